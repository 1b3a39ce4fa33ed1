"""Read form Biểu số 06/VPCP/KSTT from an .xlsx file exported by one-stop software (DOMAIN.md §1).

Pure: the file's bytes and the lĩnh vực catalogue in, rows and problems out; no database access.
Formulas are never evaluated: a formula cell counts with the value Excel cached when it last saved
the file, and a formula without one is reported. Every problem in the file is listed, each with its
sheet, row and column, so that a commune can fix the file in one go.
"""

from __future__ import annotations

import math
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from io import BytesIO
from itertools import chain
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from core.formatting import format_number
from core.text import fold
from dossiers.figures import LABELS, Figures, Level, check

ERROR = Level.ERROR.value
WARNING = Level.WARNING.value

MAX_BYTES = 10 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024  # the sum of the zip members' declared sizes
MAX_RATIO = 100  # a member's unpacked size over its packed size
# Small members cannot do harm whatever their ratio; real sheets pack about tenfold.
RATIO_MIN_SIZE = 1024 * 1024
MAX_ROWS = 50_000
HEADER_SEARCH_ROWS = 50  # title blocks take ten rows or so
HEADER_DEPTH = 3  # header rows below the one naming the lĩnh vực column

OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls, and .xlsx saved with a password
ZIP_MAGIC = b"PK\x03\x04"

# Columns of the form (1-based, as printed) and the figures they hold. Column 5 is "in person and
# postal": it is stored as in person, postal stays 0.
FORM_FIELDS = {
    4: "received_online",
    5: "received_in_person",
    6: "carried_over",
    8: "resolved_early",
    9: "resolved_on_time",
    10: "resolved_late",
    12: "pending_in_time",
    13: "pending_overdue",
}
NUMBER_COLUMNS = range(3, 14)

# Optional columns after column 13, recognised by their folded header text: every group of
# alternatives must match a whole word run. Checked in this order, first match wins.
EXTRA_RULES: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("online_payments", (("thanh toan truc tuyen",),)),
    ("dossiers_with_fees", (("thu phi",),)),
    ("digitised_results", (("so hoa",),)),
    ("apology_letters", (("xin loi",),)),
    ("pakn_received", (("pakn", "phan anh"), ("tiep nhan",))),
    ("pakn_resolved", (("pakn", "phan anh"), ("giai quyet",))),
)

READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    KeyError,
    ValueError,
    IndexError,
    TypeError,
    AttributeError,
    ParseError,
    InvalidFileException,
)


@dataclass(frozen=True)
class ImportProblem:
    """Something wrong (error) or worth a second look (warning) in an imported file.

    ``row`` is the Excel row number and ``column`` the Excel column letter ("D"); both are None for
    problems about the whole file, and ``sheet`` is "" then.
    """

    sheet: str
    row: int | None
    column: str | None
    message: str
    level: str = "error"


@dataclass(frozen=True)
class ImportedRow:
    sheet: str
    row: int
    field_id: int
    field_name: str
    figures: Figures


@dataclass
class ImportResult:
    """The lĩnh vực rows read and everything wrong with the file.

    ``rows`` holds every row whose lĩnh vực was recognised (once) and whose cells are all whole
    numbers; save them only when ``ok``.
    """

    rows: list[ImportedRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(problem.level == ERROR for problem in self.problems)

    @property
    def errors(self) -> list[ImportProblem]:
        return [problem for problem in self.problems if problem.level == ERROR]

    @property
    def warnings(self) -> list[ImportProblem]:
        return [problem for problem in self.problems if problem.level == WARNING]


class _Refused(Exception):
    """The file is refused as a whole; the message says why."""

    def __init__(self, message: str, sheet: str = "") -> None:
        super().__init__(message)
        self.problem = ImportProblem(sheet, None, None, message)


def _about_file(filename: str, named: str, unnamed: str, **values: object) -> str:
    """``named`` (which quotes the file's name as ``%(filename)s``) when the file has a name, else
    ``unnamed`` (which speaks of the uploaded file): two whole sentences, never a name glued in."""
    if filename:
        return named % {"filename": filename, **values}
    return unnamed % values


def parse_bieu06(
    data: bytes, *, catalogue: Mapping[str, tuple[int, str]], filename: str = ""
) -> ImportResult:
    """Read the Biểu 06 table of an .xlsx file.

    ``catalogue`` maps a folded lĩnh vực name (``core.text.fold``) to ``(field_id, display_name)``;
    the caller builds it from ``ProcedureField.match_keys()``. ``filename`` only names the file in
    messages. A file that cannot be read safely (not .xlsx, too big, password-protected, corrupt, a
    zip bomb, too many rows, no Biểu 06 header) gives one error and no rows; otherwise every row is
    validated and every problem listed. Never raises for a bad file.
    """
    data = bytes(data)
    lookup = _Catalogue(catalogue)
    try:
        _check_container(data, filename)
        values_book = _load(data, filename, data_only=True)
        try:
            table = _find_table(values_book.worksheets, lookup, filename)
        finally:
            values_book.close()
        uncached = _formulas_without_values(data, table, filename)
    except _Refused as refused:
        return ImportResult([], [refused.problem])
    return _read_table(table, lookup, uncached)


# The container -----------------------------------------------------------------------------------


# The advice ending the refusals that saving the file again in Excel cures.
RESAVE = gettext_lazy("Hãy mở tệp trong Excel, lưu lại dưới dạng “Excel Workbook (*.xlsx)” rồi tải lên lại.")


def _check_container(data: bytes, filename: str) -> None:
    """Refuse what is not a plain .xlsx of a sane size, before openpyxl unpacks anything."""
    resave = str(RESAVE)
    if len(data) > MAX_BYTES:
        raise _Refused(
            _about_file(
                filename,
                _(
                    "Tệp “%(filename)s” nặng %(size)s MB, vượt quá giới hạn %(limit)s MB. Hãy chỉ để lại "
                    "trang tính Biểu số 06, bỏ hình ảnh và trang tính thừa rồi tải lên lại."
                ),
                _(
                    "Tệp tải lên nặng %(size)s MB, vượt quá giới hạn %(limit)s MB. Hãy chỉ để lại trang "
                    "tính Biểu số 06, bỏ hình ảnh và trang tính thừa rồi tải lên lại."
                ),
                size=_megabytes(len(data)),
                limit=_megabytes(MAX_BYTES),
            )
        )
    if data.startswith(OLE_MAGIC):
        raise _Refused(
            _about_file(
                filename,
                _(
                    "Tệp “%(filename)s” được đặt mật khẩu (hoặc là tệp .xls kiểu cũ) nên không đọc được. Hãy "
                    "mở tệp trong Excel, bỏ mật khẩu (File > Info > Protect Workbook > Encrypt with "
                    "Password, xoá mật khẩu) và lưu lại dưới dạng .xlsx không có mật khẩu rồi tải lên."
                ),
                _(
                    "Tệp tải lên được đặt mật khẩu (hoặc là tệp .xls kiểu cũ) nên không đọc được. Hãy mở tệp "
                    "trong Excel, bỏ mật khẩu (File > Info > Protect Workbook > Encrypt with Password, xoá "
                    "mật khẩu) và lưu lại dưới dạng .xlsx không có mật khẩu rồi tải lên."
                ),
            )
        )
    if not data.startswith(ZIP_MAGIC):
        raise _Refused(
            _about_file(
                filename,
                _(
                    "Tệp “%(filename)s” không phải tệp Excel .xlsx (không nhận tệp .xls, .csv, PDF hay ảnh "
                    "chụp). %(resave)s"
                ),
                _(
                    "Tệp tải lên không phải tệp Excel .xlsx (không nhận tệp .xls, .csv, PDF hay ảnh chụp). "
                    "%(resave)s"
                ),
                resave=resave,
            )
        )
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise _Refused(
            _about_file(
                filename,
                _("Tệp “%(filename)s” bị hỏng hoặc tải lên chưa trọn vẹn nên không đọc được. %(resave)s"),
                _("Tệp tải lên bị hỏng hoặc tải lên chưa trọn vẹn nên không đọc được. %(resave)s"),
                resave=resave,
            )
        ) from exc
    names = {member.filename for member in members}
    if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        raise _Refused(
            _about_file(
                filename,
                _("Tệp “%(filename)s” không phải tệp Excel .xlsx (là tệp nén của loại khác). %(resave)s"),
                _("Tệp tải lên không phải tệp Excel .xlsx (là tệp nén của loại khác). %(resave)s"),
                resave=resave,
            )
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED:
        raise _Refused(
            _about_file(
                filename,
                _(
                    "Tệp “%(filename)s” có nội dung nén bất thường nên bị từ chối để bảo vệ hệ thống: khi "
                    "giải nén lên tới %(size)s MB, vượt quá giới hạn %(limit)s MB. %(resave)s"
                ),
                _(
                    "Tệp tải lên có nội dung nén bất thường nên bị từ chối để bảo vệ hệ thống: khi giải nén "
                    "lên tới %(size)s MB, vượt quá giới hạn %(limit)s MB. %(resave)s"
                ),
                size=_megabytes(unpacked),
                limit=_megabytes(MAX_UNPACKED),
                resave=resave,
            )
        )
    for member in members:
        if member.file_size > RATIO_MIN_SIZE and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            ratio = member.file_size // max(member.compress_size, 1)
            raise _Refused(
                _about_file(
                    filename,
                    _(
                        "Tệp “%(filename)s” có nội dung nén bất thường nên bị từ chối để bảo vệ hệ thống: "
                        "phần “%(part)s” nén tới %(ratio)s lần (tệp Excel thường chỉ khoảng 10 lần). "
                        "%(resave)s"
                    ),
                    _(
                        "Tệp tải lên có nội dung nén bất thường nên bị từ chối để bảo vệ hệ thống: phần "
                        "“%(part)s” nén tới %(ratio)s lần (tệp Excel thường chỉ khoảng 10 lần). %(resave)s"
                    ),
                    part=member.filename,
                    ratio=format_number(ratio),
                    resave=resave,
                )
            )


def _load(data: bytes, filename: str, *, data_only: bool):
    try:
        return load_workbook(BytesIO(data), read_only=True, data_only=data_only, keep_links=False)
    except READ_ERRORS as exc:
        raise _Refused(
            _about_file(
                filename,
                _(
                    "Tệp “%(filename)s” bị hỏng nên không đọc được. Hãy mở tệp trong Excel, lưu lại dưới "
                    "dạng .xlsx rồi tải lên lại."
                ),
                _(
                    "Tệp tải lên bị hỏng nên không đọc được. Hãy mở tệp trong Excel, lưu lại dưới dạng .xlsx "
                    "rồi tải lên lại."
                ),
            )
        ) from exc


def _rows(worksheet, filename: str, **bounds: int) -> Iterator[tuple[int, tuple]]:
    """(row number, values) for each row of a read-only sheet, blank rows included.

    The sheet's recorded dimension is ignored (some exporters write a wrong one and openpyxl would
    stop there), so the row count is enforced here as the rows stream by.
    """
    worksheet.reset_dimensions()
    start = bounds.get("min_row", 1)
    iterator = worksheet.iter_rows(values_only=True, **bounds)
    number = start - 1
    while True:
        try:
            values = next(iterator)
        except StopIteration:
            return
        except READ_ERRORS as exc:
            raise _Refused(
                _about_file(
                    filename,
                    _(
                        "Tệp “%(filename)s” bị hỏng ở trang tính “%(sheet)s” nên không đọc được. Hãy mở tệp "
                        "trong Excel, lưu lại dưới dạng .xlsx rồi tải lên lại."
                    ),
                    _(
                        "Tệp tải lên bị hỏng ở trang tính “%(sheet)s” nên không đọc được. Hãy mở tệp trong "
                        "Excel, lưu lại dưới dạng .xlsx rồi tải lên lại."
                    ),
                    sheet=worksheet.title,
                ),
                worksheet.title,
            ) from exc
        number += 1
        if number > MAX_ROWS:
            raise _too_many_rows(worksheet.title, None)
        yield number, tuple(values)


def _too_many_rows(sheet: str, count: int | None) -> _Refused:
    values = {"sheet": sheet, "count": format_number(count or 0), "limit": format_number(MAX_ROWS)}
    if count:
        message = _(
            "Trang tính “%(sheet)s” có %(count)s dòng, vượt quá giới hạn %(limit)s dòng. Hãy xoá các dòng "
            "thừa (hoặc chép riêng Biểu số 06 sang một tệp mới) rồi tải lên lại."
        )
    else:
        message = _(
            "Trang tính “%(sheet)s” có quá nhiều dòng, vượt quá giới hạn %(limit)s dòng. Hãy xoá các dòng "
            "thừa (hoặc chép riêng Biểu số 06 sang một tệp mới) rồi tải lên lại."
        )
    return _Refused(message % values, sheet)


def _megabytes(size: int) -> str:
    return format_number(size / (1024 * 1024), 1)


# Finding the table -------------------------------------------------------------------------------


@dataclass
class _Table:
    sheet: str
    first: int  # the Excel column of form column 1 (STT); 0 when the sheet has no STT column
    extras: dict[str, int]  # figure name -> Excel column, for the optional columns after column 13
    lines: list[tuple[int, tuple]]  # the candidate data rows, blank rows left out
    total: tuple[int, tuple] | None
    problems: list[ImportProblem]  # about the header

    def column(self, form_column: int) -> int:
        return self.first + form_column - 1

    def letter(self, form_column: int) -> str:
        return get_column_letter(self.column(form_column))

    def number_columns(self) -> list[int]:
        """The Excel columns of a row's number cells: form columns 3 to 13, then the extra ones."""
        return [self.column(k) for k in NUMBER_COLUMNS] + list(self.extras.values())


def _find_table(worksheets: list, catalogue: _Catalogue, filename: str) -> _Table:
    for worksheet in worksheets:
        if worksheet.max_row is not None and worksheet.max_row > MAX_ROWS:
            raise _too_many_rows(worksheet.title, worksheet.max_row)
    for worksheet in worksheets:
        rows = _rows(worksheet, filename)
        head = [row for _index, row in zip(range(HEADER_SEARCH_ROWS + HEADER_DEPTH), rows, strict=False)]
        found = _find_header([values for _number, values in head])
        if found is None:
            continue
        top, name_column = found
        first = name_column - 1
        depth = 1
        while (
            depth <= HEADER_DEPTH and top + depth < len(head) and _is_header_like(head[top + depth][1], first)
        ):
            depth += 1
        header = [values for _number, values in head[top : top + depth]]
        extras, problems = _extra_columns(header, first, worksheet.title, head[top][0])
        table = _Table(worksheet.title, first, extras, [], None, problems)
        _collect_lines(table, chain(head[top + depth :], rows), catalogue)
        return table
    raise _Refused(
        _about_file(
            filename,
            _(
                "Không tìm thấy bảng Biểu số 06/VPCP/KSTT trong tệp “%(filename)s”: cần một dòng tiêu đề có "
                "cột “Lĩnh vực, công việc giải quyết theo cấp” và, ngay bên dưới hoặc bên phải, các cột "
                "“Tổng số” của số hồ sơ nhận giải quyết, đã giải quyết và đang giải quyết (13 cột như mẫu). "
                "Hãy tải lên đúng tệp Biểu số 06 xuất từ phần mềm một cửa."
            ),
            _(
                "Không tìm thấy bảng Biểu số 06/VPCP/KSTT trong tệp tải lên: cần một dòng tiêu đề có cột "
                "“Lĩnh vực, công việc giải quyết theo cấp” và, ngay bên dưới hoặc bên phải, các cột "
                "“Tổng số” của số hồ sơ nhận giải quyết, đã giải quyết và đang giải quyết (13 cột như mẫu). "
                "Hãy tải lên đúng tệp Biểu số 06 xuất từ phần mềm một cửa."
            ),
        )
    )


def _find_header(rows: list[tuple]) -> tuple[int, int] | None:
    """(index in ``rows``, Excel column) of the header cell naming the lĩnh vực column.

    It is a cell mentioning "lĩnh vực" just left of the first "Tổng số" (column 3) found in that row
    or the next few, so that a title such as "… THEO LĨNH VỰC" above the table is not taken for it.
    """
    for index, values in enumerate(rows):
        named = [column for column, value in enumerate(values, 1) if "linh vuc" in _folded(value)]
        if not named:
            continue
        totals = [
            column
            for below in rows[index : index + HEADER_DEPTH + 1]
            for column, value in enumerate(below, 1)
            if "tong so" in _folded(value)
        ]
        if totals and min(totals) - 1 in named:
            return index, min(totals) - 1
    return None


def _is_header_like(values: tuple, first: int) -> bool:
    """A lower header row: no lĩnh vực name (the merged header cell above), no numbers, some text."""
    if not _is_blank(_cell(values, first + 1)):
        return False
    if any(_looks_numeric(_cell(values, first + k - 1)) for k in NUMBER_COLUMNS):
        return False
    return any(isinstance(value, str) and value.strip() for value in values)


def _extra_columns(
    header: list[tuple], first: int, sheet: str, header_row: int
) -> tuple[dict[str, int], list[ImportProblem]]:
    """The optional columns after column 13, from their header text.

    A column's own (lowest) header text is tried first, then the group headers above it; an empty
    upper cell takes the text on its left, as a horizontally merged cell reads.
    """
    start = first + 13  # column(13) is first + 12
    width = max((len(values) for values in header), default=0)
    texts: list[list[str]] = []  # per header row, per extra column
    for depth, values in enumerate(header):
        carry = ""
        row_texts = []
        for column in range(start, width + 1):
            text = _folded(_cell(values, column))
            if text:
                carry = text
            elif depth < len(header) - 1:
                text = carry
            row_texts.append(text)
        texts.append(row_texts)
    extras: dict[str, int] = {}
    problems = []
    for offset, column in enumerate(range(start, width + 1)):
        gathered = ""
        for row_texts in reversed(texts):
            gathered = f"{gathered} {row_texts[offset]}"
            found = _match_extra(gathered)
            if found:
                break
        if not found:
            continue
        if found in extras:
            letter, kept = get_column_letter(column), get_column_letter(extras[found])
            problems.append(
                ImportProblem(
                    sheet,
                    header_row,
                    letter,
                    _("Cột %(letter)s và cột %(kept)s đều là “%(label)s”; chỉ lấy số liệu ở cột %(kept)s.")
                    % {"letter": letter, "kept": kept, "label": LABELS[found]},
                    WARNING,
                )
            )
            continue
        extras[found] = column
    return extras, problems


def _match_extra(text: str) -> str | None:
    for name, groups in EXTRA_RULES:
        if all(any(re.search(rf"\b{re.escape(word)}\b", text) for word in group) for group in groups):
            return name
    return None


def _collect_lines(table: _Table, rows: Iterable[tuple[int, tuple]], catalogue: _Catalogue) -> None:
    """The rows below the header up to the total row; notes and signatures after it are not read."""
    columns = [table.column(k) for k in range(1, 14)] + list(table.extras.values())
    for number, values in rows:
        if all(_is_blank(_cell(values, column)) for column in columns):
            continue
        if not table.lines and _is_column_numbers(values, table.first):
            continue
        label = _text(_cell(values, table.column(2))) or _text(_cell(values, table.column(1)))
        if label and catalogue.find(label) is None and _is_total_label(label):
            table.total = (number, values)
            return
        table.lines.append((number, values))


def _is_column_numbers(values: tuple, first: int) -> bool:
    """The row numbering the form's columns: "(1)" … "(13)" or 1 … 13."""
    return all(_column_number(_cell(values, first + k - 1)) == k for k in NUMBER_COLUMNS)


def _column_number(value: object) -> int | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else None
    if isinstance(value, str):
        text = value.strip().strip("()").strip()
        return int(text) if text.isdigit() else None
    return None


def _is_total_label(label: str) -> bool:
    key = _normalise(label)
    return key.startswith("tong") or key.split(" ")[0] == "cong"


# Formulas ----------------------------------------------------------------------------------------


def _formulas_without_values(data: bytes, table: _Table, filename: str) -> set[tuple[int, int]]:
    """(row, column) of the table's number and name cells holding a formula Excel never computed.

    A formula whose cached result is the empty string (=IF(…;"";…)) reads as an empty cell too; it
    is told apart by the cell type Excel wrote ("str"), and is not reported.
    """
    rows = [number for number, _values in table.lines] + ([table.total[0]] if table.total else [])
    if not rows:
        return set()
    values = dict(table.lines)
    if table.total:
        values[table.total[0]] = table.total[1]
    columns = [table.column(2), *table.number_columns()]
    book = _load(data, filename, data_only=False)
    try:
        worksheet = book[table.sheet]
        candidates = {
            (number, column)
            for number, raw in _rows(worksheet, filename, min_row=min(rows), max_row=max(rows))
            if number in values
            for column in columns
            if _is_formula(_cell(raw, column)) and _cell(values[number], column) is None
        }
    finally:
        book.close()
    if not candidates:
        return candidates
    book = _load(data, filename, data_only=True)
    try:
        worksheet = book[table.sheet]
        worksheet.reset_dimensions()
        low, high = min(row for row, _column in candidates), max(row for row, _column in candidates)
        empty_strings = {
            (cell.row, cell.column)
            for row in worksheet.iter_rows(min_row=low, max_row=high)
            for cell in row
            if getattr(cell, "data_type", None) == "str"
        }
    except READ_ERRORS:
        empty_strings = set()
    finally:
        book.close()
    return candidates - empty_strings


def _is_formula(value: object) -> bool:
    if isinstance(value, (ArrayFormula, DataTableFormula)):
        return True
    return isinstance(value, str) and value.startswith("=")


# Reading the rows --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Bad:
    """Why a cell is not a whole number from 0 up."""

    kind: str  # "text", "fraction", "negative", "formula"
    shown: str


def _read_table(table: _Table, catalogue: _Catalogue, uncached: set[tuple[int, int]]) -> ImportResult:
    result = ImportResult([], list(table.problems))
    sums = dict.fromkeys(NUMBER_COLUMNS, 0)
    tainted: set[int] = set()  # form columns with an unreadable cell: their total cannot be checked
    seen: dict[int, int] = {}  # field id -> the row it was first found on
    read = 0
    for number, values in table.lines:
        cells = _read_cells(table, number, values, uncached)
        has_numbers = any(
            (isinstance(value, _Bad) and value.kind != "text")
            or (isinstance(value, int) and not _is_blank(_cell(values, column)))
            for column, value in cells.items()
        )
        entry, name_problem = _identify(table, number, values, catalogue, uncached, seen, has_numbers)
        if name_problem is not None:
            result.problems.append(name_problem)
        if name_problem is None and entry is None:
            continue  # not a lĩnh vực row: a note, a signature, a section heading
        read += 1
        for column, value in cells.items():
            if isinstance(value, _Bad):
                result.problems.append(_cell_problem(table.sheet, number, column, value))
        numbers = {column: value for column, value in cells.items() if isinstance(value, int)}
        for k in NUMBER_COLUMNS:
            if table.column(k) in numbers:
                sums[k] += numbers[table.column(k)]
            else:
                tainted.add(k)
        form = {k: numbers.get(table.column(k)) for k in NUMBER_COLUMNS}
        result.problems.extend(_identity_problems(table, number, form))
        if len(numbers) < len(cells):
            continue
        figures = Figures(
            **{figure: numbers[table.column(k)] for k, figure in FORM_FIELDS.items()},
            **{figure: numbers[column] for figure, column in table.extras.items()},
        )
        result.problems.extend(_check_problems(table, number, figures))
        if entry is not None and name_problem is None:
            result.rows.append(ImportedRow(table.sheet, number, entry[0], entry[1], figures))
    if not read:
        result.problems.append(
            ImportProblem(
                table.sheet,
                None,
                None,
                _(
                    "Trang tính “%(sheet)s” có tiêu đề Biểu số 06 nhưng không có dòng số liệu lĩnh vực nào "
                    "bên dưới. Hãy kiểm tra lại tệp."
                )
                % {"sheet": table.sheet},
            )
        )
    if table.total:
        result.problems.extend(_total_problems(table, sums, tainted, uncached))
    return result


def _read_cells(
    table: _Table, number: int, values: tuple, uncached: set[tuple[int, int]]
) -> dict[int, int | _Bad]:
    """Excel column -> the whole number in it, or why there is none, for every number cell of a row."""
    return {
        column: _Bad("formula", "") if (number, column) in uncached else _read_number(_cell(values, column))
        for column in table.number_columns()
    }


def _identify(
    table: _Table,
    number: int,
    values: tuple,
    catalogue: _Catalogue,
    uncached: set[tuple[int, int]],
    seen: dict[int, int],
    has_numbers: bool,
) -> tuple[tuple[int, str] | None, ImportProblem | None]:
    """The catalogue entry of a row's lĩnh vực, and what is wrong with its name.

    (None, None) is a row to pass over: no lĩnh vực name, or a name not in the catalogue, and no
    figures either.
    """
    column = table.column(2)
    letter = get_column_letter(column)

    def problem(message: str, **values: object) -> ImportProblem:
        return ImportProblem(
            table.sheet, number, letter, message % {"row": number, "column": letter, **values}
        )

    if (number, column) in uncached:
        return None, _cell_problem(table.sheet, number, column, _Bad("formula", ""))
    name = _text(_cell(values, column))
    if not name:
        if not has_numbers:
            return None, None  # a stray note or signature line with no figures
        return None, problem(
            _(
                "Dòng %(row)s, cột %(column)s: có số liệu nhưng chưa ghi tên lĩnh vực. Hãy ghi tên lĩnh vực "
                "đúng như danh mục hoặc xoá dòng này."
            )
        )
    entry = catalogue.find(name)
    if entry is None and not has_numbers:
        return None, None  # a section heading ("I. Cấp xã"), a note or a signature: no figures to lose
    if entry is None:
        return None, problem(
            _(
                "Dòng %(row)s, cột %(column)s: lĩnh vực “%(name)s” không có trong danh mục lĩnh vực. Hãy sửa "
                "tên cho đúng với danh mục, hoặc đề nghị quản trị viên thêm tên này làm tên gọi khác của "
                "lĩnh vực."
            ),
            name=name,
        )
    if entry[0] in seen:
        return entry, problem(
            _(
                "Dòng %(row)s, cột %(column)s: lĩnh vực “%(name)s” đã có ở dòng %(first)s. Mỗi lĩnh vực chỉ "
                "được có một dòng; hãy gộp số liệu vào một dòng."
            ),
            name=entry[1],
            first=seen[entry[0]],
        )
    seen[entry[0]] = number
    return entry, None


# What is wrong with a cell, by ``_Bad.kind``.
CELL_PROBLEMS = {
    "formula": gettext_lazy(
        "Ô %(column)s%(row)s chứa công thức chưa có giá trị tính sẵn: hãy mở tệp trong Excel, lưu lại rồi "
        "tải lên."
    ),
    "negative": gettext_lazy(
        "Dòng %(row)s, cột %(column)s: số âm (%(shown)s) không hợp lệ. Hãy nhập số nguyên từ 0 trở lên."
    ),
    "fraction": gettext_lazy(
        "Dòng %(row)s, cột %(column)s: “%(shown)s” không phải số nguyên. Số hồ sơ phải là số nguyên từ 0 "
        "trở lên; dấu chấm hoặc dấu phẩy chỉ dùng để phân cách hàng nghìn (1.292)."
    ),
    "text": gettext_lazy(
        "Dòng %(row)s, cột %(column)s: “%(shown)s” không phải là số. Hãy nhập số nguyên từ 0 trở lên (ô để "
        "trống được tính là 0)."
    ),
}


def _cell_problem(sheet: str, number: int, column: int, bad: _Bad) -> ImportProblem:
    letter = get_column_letter(column)
    message = CELL_PROBLEMS[bad.kind] % {"row": number, "column": letter, "shown": bad.shown}
    return ImportProblem(sheet, number, letter, message)


# The form's inner sums: (total column, its parts, level, what is said when they differ).
IDENTITIES = (
    (
        3,
        (4, 5, 6),
        ERROR,
        gettext_lazy(
            "Dòng %(row)s: cột Tổng số (%(letter)s = %(total)s) khác Trực tuyến + Trực tiếp + Từ kỳ trước "
            "(%(letters)s = %(added)s)."
        ),
    ),
    (
        7,
        (8, 9, 10),
        ERROR,
        gettext_lazy(
            "Dòng %(row)s: cột Đã giải quyết – Tổng số (%(letter)s = %(total)s) khác Trước hạn + Đúng hạn + "
            "Quá hạn (%(letters)s = %(added)s)."
        ),
    ),
    (
        11,
        (12, 13),
        ERROR,
        gettext_lazy(
            "Dòng %(row)s: cột Đang giải quyết – Tổng số (%(letter)s = %(total)s) khác Trong hạn + Quá hạn "
            "(%(letters)s = %(added)s)."
        ),
    ),
    (
        3,
        (7, 11),
        WARNING,
        gettext_lazy(
            "Dòng %(row)s: cột Tổng số nhận giải quyết (%(letter)s = %(total)s) khác Đã giải quyết + Đang "
            "giải quyết (%(letters)s = %(added)s). Có phần mềm tính riêng hồ sơ rút hoặc trả lại; hãy kiểm "
            "tra lại."
        ),
    ),
)


def _identity_problems(table: _Table, number: int, form: dict[int, int | None]) -> list[ImportProblem]:
    """The inner sums of the form (errors) and received = resolved + pending (a warning)."""
    problems: list[ImportProblem] = []
    for total, parts, level, message in IDENTITIES:
        if form[total] is None or any(form[k] is None for k in parts):
            continue  # an unreadable cell, already reported
        if level == WARNING and problems:
            continue  # the balance of totals already known to be wrong would only repeat the error
        added = sum(form[k] for k in parts)
        if form[total] != added:
            letters = " + ".join(table.letter(k) for k in parts)
            letter = table.letter(total)
            problems.append(
                ImportProblem(
                    table.sheet,
                    number,
                    letter,
                    message
                    % {
                        "row": number,
                        "letter": letter,
                        "total": format_number(form[total]),
                        "letters": letters,
                        "added": format_number(added),
                    },
                    level,
                )
            )
    return problems


def _check_problems(table: _Table, number: int, figures: Figures) -> list[ImportProblem]:
    """The errors ``figures.check`` finds, placed at the cell of the figure concerned.

    Its received = resolved + pending warning is left out: ``_identity_problems`` gives it with the
    file's own columns.
    """
    columns = {figure: table.column(k) for k, figure in FORM_FIELDS.items()} | table.extras
    return [
        ImportProblem(
            table.sheet,
            number,
            get_column_letter(columns[problem.field]) if problem.field in columns else None,
            _("Dòng %(row)s: %(message)s") % {"row": number, "message": problem.message},
        )
        for problem in check(figures)
        if problem.level == ERROR
    ]


def _total_problems(
    table: _Table, sums: dict[int, int], tainted: set[int], uncached: set[tuple[int, int]]
) -> list[ImportProblem]:
    number, values = table.total
    problems = []
    for k in NUMBER_COLUMNS:
        column = table.column(k)
        value = _Bad("formula", "") if (number, column) in uncached else _read_number(_cell(values, column))
        if isinstance(value, _Bad):
            problems.append(_cell_problem(table.sheet, number, column, value))
        elif k not in tainted and value != sums[k]:
            letter = table.letter(k)
            problems.append(
                ImportProblem(
                    table.sheet,
                    number,
                    letter,
                    _(
                        "Dòng %(row)s (dòng tổng cộng), cột %(column)s: trong tệp ghi %(value)s nhưng cộng "
                        "các dòng lĩnh vực ở trên được %(sum)s."
                    )
                    % {
                        "row": number,
                        "column": letter,
                        "value": format_number(value),
                        "sum": format_number(sums[k]),
                    },
                )
            )
    return problems


# Cells -------------------------------------------------------------------------------------------

THOUSANDS = re.compile(r"[1-9]\d{0,2}([., ])\d{3}(?:\1\d{3})*")
DECIMAL = re.compile(r"\d+[.,]\d+")


def _read_number(value: object) -> int | _Bad:
    """The whole number in a cell: blank is 0, "1.292" and "1,292" are 1292 (a separator followed by
    exactly three digits groups thousands), anything else is a ``_Bad``."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return _Bad("text", "TRUE" if value else "FALSE")
    if isinstance(value, int):
        return _Bad("negative", str(value)) if value < 0 else value
    if isinstance(value, float):
        shown = f"{value:.15g}".replace(".", ",")
        if not math.isfinite(value):
            return _Bad("text", shown)
        if abs(value - round(value)) > 1e-9:  # tolerate binary noise from a cached formula result
            return _Bad("fraction", shown)
        whole = round(value)
        return _Bad("negative", str(whole)) if whole < 0 else whole
    if not isinstance(value, str):
        return _Bad("text", str(value))
    text = " ".join(value.split())
    if not text:
        return 0
    negative = text[0] in "-−"
    body = text[1:].strip() if negative else text
    if (body.isdigit() and body.isascii()) or THOUSANDS.fullmatch(body):
        whole = int(re.sub(r"\D", "", body))
        return _Bad("negative", text) if negative and whole else whole
    if DECIMAL.fullmatch(body):
        return _Bad("fraction", text)
    return _Bad("text", text)


def _looks_numeric(value: object) -> bool:
    return not _is_blank(value) and isinstance(_read_number(value), int)


def _cell(values: tuple, column: int) -> object:
    return values[column - 1] if 1 <= column <= len(values) else None


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    return "" if value is None else " ".join(str(value).split())


def _folded(value: object) -> str:
    return fold(value) if isinstance(value, str) else ""


# Lĩnh vực names ----------------------------------------------------------------------------------

BULLET = re.compile(r"^[\s\-–—*•+.]+")
NUMBERING = re.compile(r"^(?:(?:\d+(?:\.\d+)*|[ivxlcdm]+|[a-z])\s*[.):\-–]+|\d+(?:\.\d+)*(?=\s))\s*")
PREFIX = re.compile(r"^linh vuc\b\s*[:\-–]?\s*")
TRAILING = re.compile(r"[\s.,;:\-–—*]+$")


def _normalise(name: str) -> str:
    """A folded lĩnh vực name without list numbering, a "Lĩnh vực" prefix or trailing punctuation:
    "1. Lĩnh vực Hộ tịch." → "ho tich"."""
    key = BULLET.sub("", fold(name))
    key = NUMBERING.sub("", key)
    key = PREFIX.sub("", key)
    key = NUMBERING.sub("", key)
    return " ".join(TRAILING.sub("", key).split())


class _Catalogue:
    """Looks an imported name up as typed (folded), then normalised on both sides.

    Two catalogue entries that normalise alike are only found by their exact folded names.
    """

    def __init__(self, catalogue: Mapping[str, tuple[int, str]]) -> None:
        self.exact = catalogue
        self.loose: dict[str, tuple[int, str]] = {}
        clashes = set()
        for key, entry in catalogue.items():
            loose = _normalise(key)
            if loose in self.loose and self.loose[loose][0] != entry[0]:
                clashes.add(loose)
            self.loose.setdefault(loose, entry)
        for loose in clashes:
            del self.loose[loose]

    def find(self, name: str) -> tuple[int, str] | None:
        folded = fold(name)
        loose = _normalise(name)
        return self.exact.get(folded) or self.exact.get(loose) or self.loose.get(loose)
