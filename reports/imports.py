"""Excel lists of a commune's records: the tasks of a yearly plan and the register of directive
documents. Both are read in full and checked before anything is written (the services save them
in one transaction), and every problem is reported with its sheet, row and column.

Plan tasks: columns "STT", "Nhiệm vụ", "Bộ phận" (optional: one of the commune's offices, matched
by name without regard to case, diacritics or punctuation), "Thời hạn" (optional date),
"Hoàn thành" (optional: có/không). A row whose STT is a Roman numeral (I, II …) is a group heading
and is skipped.

Documents: columns "Số, ký hiệu", "Ngày ban hành" (a date cell, or text dd/mm/yyyy), "Loại" (a
type code such as KH, or its name such as "Kế hoạch"; empty: read from the symbol, 03/KH-UBND is a
plan), "Trích yếu". A document already in the register (same number and symbol in the same year),
or twice in the file, is refused.

The header row may stand below a title block: the first of the first 20 rows of a sheet that
names the required columns is taken, on the first sheet that has one.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from communes.models import AdministrativeUnit, Office
from core.formatting import format_number
from core.text import fold
from core.xlsx import (
    READ_ERRORS,
    ImportProblem,
    Refused,
    check_container,
    check_row_counts,
    iter_rows,
    open_workbook,
)

from .models import DirectiveDocument, DocumentType
from .text import SHORT_TEXT_MAX_CHARS, SUMMARY_MAX_CHARS

MAX_IMPORT_BYTES = 10 * 1024 * 1024  # as core.xlsx.MAX_BYTES: a list of tasks is far smaller
HEADER_SEARCH_ROWS = 20
ROMAN = re.compile(r"^[IVXLC]+\.?$")
DATE_TEXT = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
YES = {"co", "x", "v", "da hoan thanh", "hoan thanh", "roi", "da xong", "xong", "1", "true", "yes"}
NO = {"", "khong", "chua", "chua hoan thanh", "dang thuc hien", "0", "false", "no"}
# A công văn carries no type code: its symbol starts with the issuer ("12/UBND-VP").
ISSUER_CODES = {"ubnd", "hdnd"}


def _key(text: str) -> str:
    """``text`` folded with everything but letters and digits removed: "Số, ký hiệu" → "sokyhieu"."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


# Symbols and types -------------------------------------------------------------------------------


def normalise_symbol(text: str) -> str:
    """ "03 / KH - UBND" → "03/KH-UBND": no space around the slash and the dashes."""
    text = " ".join((text or "").split())
    return re.sub(r"\s*([/-])\s*", r"\1", text)


TYPE_BY_KEY = {_key(code): code for code in DocumentType.values} | {
    _key(str(label)): code for code, label in DocumentType.choices
}


def document_type_from_symbol(symbol: str) -> str | None:
    """The type code in a number and symbol: "03/KH-UBND" → "KH", "12/QD-UBND" → "QĐ", a công
    văn "12/UBND-VP" → "CV"; None when the symbol names no known type."""
    if "/" not in symbol:
        return None
    head = symbol.split("/", 1)[1].split("-", 1)[0]
    key = _key(head)
    if key in ISSUER_CODES:
        return DocumentType.CV
    code = {_key(code): code for code in DocumentType.values}.get(key)
    return code


def document_type_from_text(text: str) -> str | None:
    """A type typed in the "Loại" column, as its code ("KH", "QD") or its name ("Kế hoạch")."""
    return TYPE_BY_KEY.get(_key(text))


# Cells -------------------------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


class CellProblem(ValueError):
    """A cell that cannot be read; the message says what would be right."""


def read_date(value: object) -> datetime.date | None:
    """A date cell, or text "15/03/2024" (also 15-03-2024, 15.03.2024, 2024-03-15); blank is None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _cell_text(value)
    match = DATE_TEXT.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = ISO_DATE.match(text)
        if not match:
            raise CellProblem(
                _("“%(text)s” không phải ngày: hãy ghi theo dạng ngày/tháng/năm, ví dụ 15/03/2024.")
                % {"text": text}
            )
        year, month, day = (int(part) for part in match.groups())
    try:
        day_value = datetime.date(year, month, day)
    except ValueError as exc:
        raise CellProblem(_("Ngày “%(text)s” không có thật trên lịch.") % {"text": text}) from exc
    if not 2000 <= day_value.year <= 2100:
        raise CellProblem(
            _("Ngày “%(text)s” nằm ngoài khoảng hợp lệ (từ năm 2000 đến năm 2100).") % {"text": text}
        )
    return day_value


def read_yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    key = fold(_cell_text(value))
    if key in YES:
        return True
    if key in NO:
        return False
    raise CellProblem(
        _("“%(text)s” không rõ: hãy ghi “có” nếu đã hoàn thành, “không” hoặc để trống nếu chưa.")
        % {"text": _cell_text(value)}
    )


# Tables ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str  # as the file should head it
    aliases: tuple[str, ...]
    required: bool


@dataclass
class Table:
    sheet: str
    columns: dict[str, int]  # column name → 0-based index
    rows: list[tuple[int, tuple]]  # (Excel row number, values) below the header


def _find_table(book, filename: str, columns: list[Column]) -> Table | ImportProblem:
    wanted = {column.name: {_key(alias) for alias in (column.name, *column.aliases)} for column in columns}
    required = [column.name for column in columns if column.required]
    for worksheet in book.worksheets:
        rows = list(iter_rows(worksheet, filename))
        for position, (_number, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
            found: dict[str, int] = {}
            for index, value in enumerate(values):
                key = _key(_cell_text(value))
                for name, keys in wanted.items():
                    if key in keys and name not in found:
                        found[name] = index
            if all(name in found for name in required):
                return Table(worksheet.title, found, rows[position + 1 :])
    names = ", ".join(f"“{name}”" for name in required)
    return ImportProblem(
        "",
        None,
        None,
        _(
            "Không tìm thấy dòng tiêu đề có các cột %(names)s trong 20 dòng đầu của trang tính nào. Hãy "
            "đặt tên cột đúng như mẫu rồi tải lên lại."
        )
        % {"names": names},
    )


def _open(data: bytes, filename: str, columns: list[Column]) -> Table | ImportProblem:
    try:
        check_container(data, filename)
        book = open_workbook(data, filename, data_only=True)
        try:
            check_row_counts(book.worksheets)
            return _find_table(book, filename, columns)
        finally:
            book.close()
    except Refused as refused:
        return refused.problem
    except READ_ERRORS:
        return ImportProblem(
            "",
            None,
            None,
            _(
                "Tệp bị hỏng nên không đọc được. Hãy mở tệp trong Excel, lưu lại dưới dạng .xlsx rồi tải "
                "lên lại."
            ),
        )


def _value(values: tuple, index: int | None) -> object:
    if index is None or index >= len(values):
        return None
    return values[index]


def _blank(values: tuple) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


@dataclass
class ReadResult:
    """What an Excel list holds: the rows ready to save, or the problems (then nothing is saved)."""

    rows: list = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


class _Problems:
    def __init__(self, table: Table):
        self.table = table
        self.found: list[ImportProblem] = []

    def add(self, row: int, name: str | None, message: str) -> None:
        index = self.table.columns.get(name) if name else None
        letter = get_column_letter(index + 1) if index is not None else None
        self.found.append(ImportProblem(self.table.sheet, row, letter, message))


def _too_long(what: str, text: str, limit: int) -> str | None:
    """The problem of a text over its limit (as the forms say it), or None."""
    if len(text) <= limit:
        return None
    return _("%(what)s dài %(length)s ký tự, quá giới hạn %(limit)s ký tự. Hãy rút gọn.") % {
        "what": what,
        "length": format_number(len(text)),
        "limit": format_number(limit),
    }


def _empty(table_or_problem) -> ReadResult:
    return ReadResult(problems=[table_or_problem])


# Plan tasks --------------------------------------------------------------------------------------

PLAN_COLUMNS = [
    Column("STT", ("Số thứ tự", "TT"), required=False),
    Column("Nhiệm vụ", ("Nội dung nhiệm vụ", "Nội dung", "Tên nhiệm vụ"), required=True),
    Column("Bộ phận", ("Bộ phận thực hiện", "Bộ phận chủ trì", "Đơn vị thực hiện", "Đơn vị chủ trì"), False),
    Column("Thời hạn", ("Thời hạn hoàn thành", "Thời gian hoàn thành", "Hạn hoàn thành"), required=False),
    Column("Hoàn thành", ("Đã hoàn thành", "Kết quả"), required=False),
]


@dataclass(frozen=True)
class PlanTaskRow:
    row: int
    description: str
    office: Office | None
    due_on: datetime.date | None
    done: bool


def read_plan_tasks(data: bytes, filename: str, *, unit: AdministrativeUnit) -> ReadResult:
    """The plan tasks in an Excel list, every cell checked; nothing is written."""
    table = _open(data, filename, PLAN_COLUMNS)
    if isinstance(table, ImportProblem):
        return _empty(table)
    offices = {_key(office.name): office for office in Office.objects.filter(unit=unit)}
    office_names = ", ".join(office.name for office in offices.values())
    problems = _Problems(table)
    rows: list[PlanTaskRow] = []
    col = table.columns.get
    for number, values in table.rows:
        if _blank(values):
            continue
        number_text = _cell_text(_value(values, col("STT")))
        description = _cell_text(_value(values, col("Nhiệm vụ")))
        if ROMAN.match(number_text):
            continue  # a group heading: "I. Công tác chỉ đạo, điều hành"
        if not description:
            problems.add(number, "Nhiệm vụ", _("Thiếu nội dung nhiệm vụ."))
            continue
        too_long = _too_long(_("Nội dung nhiệm vụ"), description, SHORT_TEXT_MAX_CHARS)
        if too_long:
            problems.add(number, "Nhiệm vụ", too_long)
        office = None
        office_text = _cell_text(_value(values, col("Bộ phận")))
        if office_text:
            office = offices.get(_key(office_text))
            if office is None:
                problems.add(
                    number,
                    "Bộ phận",
                    _("Không có bộ phận “%(name)s” trong đơn vị. Các bộ phận hiện có: %(names)s.")
                    % {"name": office_text, "names": office_names or _("(chưa có bộ phận nào)")},
                )
        try:
            due_on = read_date(_value(values, col("Thời hạn")))
        except CellProblem as problem:
            problems.add(number, "Thời hạn", str(problem))
            due_on = None
        try:
            done = read_yes_no(_value(values, col("Hoàn thành")))
        except CellProblem as problem:
            problems.add(number, "Hoàn thành", str(problem))
            done = False
        rows.append(PlanTaskRow(number, description, office, due_on, done))
    if problems.found:
        return ReadResult(problems=problems.found)
    if not rows:
        return _empty(
            ImportProblem(table.sheet, None, None, _("Trang tính không có nhiệm vụ nào dưới dòng tiêu đề."))
        )
    return ReadResult(rows=rows)


# Documents ---------------------------------------------------------------------------------------

DOCUMENT_COLUMNS = [
    Column("Số, ký hiệu", ("Số ký hiệu", "Số hiệu", "Số và ký hiệu", "Số/ký hiệu"), required=True),
    Column("Ngày ban hành", ("Ngày", "Ngày văn bản", "Ngày tháng"), required=True),
    Column("Loại", ("Loại văn bản",), required=False),
    Column("Trích yếu", ("Trích yếu nội dung", "Nội dung"), required=True),
]


@dataclass(frozen=True)
class DocumentRow:
    row: int
    number_symbol: str
    issued_on: datetime.date
    type_code: str
    summary: str


def duplicate_key(symbol: str, day: datetime.date) -> tuple[str, int]:
    """Two entries are the same document when their number and symbol match in the same year
    (numbers start again each year)."""
    return _key(symbol), day.year


def read_documents(data: bytes, filename: str, *, unit: AdministrativeUnit) -> ReadResult:
    """The directive documents in an Excel list, every cell checked; nothing is written."""
    table = _open(data, filename, DOCUMENT_COLUMNS)
    if isinstance(table, ImportProblem):
        return _empty(table)
    existing = {
        duplicate_key(symbol, day): day
        for symbol, day in DirectiveDocument.objects.filter(unit=unit).values_list(
            "number_symbol", "issued_on"
        )
    }
    seen: dict[tuple[str, int], int] = {}
    problems = _Problems(table)
    rows: list[DocumentRow] = []
    col = table.columns.get
    for number, values in table.rows:
        if _blank(values):
            continue
        before = len(problems.found)
        symbol = normalise_symbol(_cell_text(_value(values, col("Số, ký hiệu"))))
        summary = _cell_text(_value(values, col("Trích yếu")))
        raw_date = _value(values, col("Ngày ban hành"))
        if not symbol:
            problems.add(number, "Số, ký hiệu", _("Thiếu số, ký hiệu của văn bản (ví dụ 03/KH-UBND)."))
        elif len(symbol) > 40:
            problems.add(number, "Số, ký hiệu", _("Số, ký hiệu dài quá 40 ký tự."))
        issued_on = None
        try:
            issued_on = read_date(raw_date)
            if issued_on is None:
                problems.add(number, "Ngày ban hành", _("Thiếu ngày ban hành (ví dụ 26/01/2021)."))
        except CellProblem as problem:
            problems.add(number, "Ngày ban hành", str(problem))
        type_text = _cell_text(_value(values, col("Loại")))
        if type_text:
            type_code = document_type_from_text(type_text)
            if type_code is None:
                problems.add(
                    number,
                    "Loại",
                    _("Loại văn bản “%(text)s” không rõ: hãy ghi mã (%(codes)s) hoặc tên (ví dụ Kế hoạch).")
                    % {"text": type_text, "codes": ", ".join(DocumentType.values)},
                )
        else:
            type_code = document_type_from_symbol(symbol) if symbol else None
            if symbol and type_code is None:
                problems.add(
                    number,
                    "Loại",
                    _("Không đọc được loại văn bản từ ký hiệu “%(symbol)s”: hãy ghi loại ở cột “Loại”.")
                    % {"symbol": symbol},
                )
        if not summary:
            problems.add(number, "Trích yếu", _("Thiếu trích yếu nội dung văn bản."))
        elif too_long := _too_long(_("Trích yếu"), summary, SUMMARY_MAX_CHARS):
            problems.add(number, "Trích yếu", too_long)
        if symbol and issued_on is not None:
            key = duplicate_key(symbol, issued_on)
            if key in existing:
                problems.add(
                    number,
                    "Số, ký hiệu",
                    _("Văn bản %(symbol)s năm %(year)s đã có trong sổ (ngày %(day)s).")
                    % {"symbol": symbol, "year": issued_on.year, "day": existing[key].strftime("%d/%m/%Y")},
                )
            elif key in seen:
                problems.add(
                    number,
                    "Số, ký hiệu",
                    _("Văn bản %(symbol)s năm %(year)s đã có ở dòng %(row)s của tệp.")
                    % {"symbol": symbol, "year": issued_on.year, "row": seen[key]},
                )
            else:
                seen[key] = number
        if len(problems.found) == before:
            rows.append(DocumentRow(number, symbol, issued_on, type_code, summary))
    if problems.found:
        return ReadResult(problems=problems.found)
    if not rows:
        return _empty(
            ImportProblem(table.sheet, None, None, _("Trang tính không có văn bản nào dưới dòng tiêu đề."))
        )
    return ReadResult(rows=rows)


__all__ = [
    "MAX_IMPORT_BYTES",
    "DocumentRow",
    "PlanTaskRow",
    "ReadResult",
    "document_type_from_symbol",
    "document_type_from_text",
    "normalise_symbol",
    "read_documents",
    "read_plan_tasks",
]
