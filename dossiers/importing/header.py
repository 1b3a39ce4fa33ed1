"""Finding the Biểu 06 table in a workbook: its header, its optional columns, its lines and total
row, and the formulas in it that Excel never computed."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from core import xlsx
from core.xlsx import ImportProblem
from dossiers.figures import LABELS

from .cells import cell_at, folded, is_blank, looks_numeric, plain_text
from .form import EXTRA_RULES, HEADER_DEPTH, HEADER_SEARCH_ROWS, NUMBER_COLUMNS, WARNING
from .names import Catalogue, normalise


@dataclass
class Table:
    """Where the Biểu 06 table of a sheet is, and its rows as read with cached values."""

    sheet: str
    first: int  # the Excel column of form column 1 (STT); 0 when the sheet has no STT column
    extras: dict[str, int]  # figure name -> Excel column, for the optional columns after column 13
    lines: list[tuple[int, tuple]]  # the candidate data rows, blank rows left out
    total: tuple[int, tuple] | None
    problems: list[ImportProblem]  # about the header
    title: list[tuple[int, tuple]] = field(default_factory=list)  # the rows above the header

    def column(self, form_column: int) -> int:
        return self.first + form_column - 1

    def letter(self, form_column: int) -> str:
        return get_column_letter(self.column(form_column))

    def number_columns(self) -> list[int]:
        """The Excel columns of a row's number cells: form columns 3 to 13, then the extra ones."""
        return [self.column(k) for k in NUMBER_COLUMNS] + list(self.extras.values())


def find_table(worksheets: list, catalogue: Catalogue, filename: str) -> Table:
    """The first sheet's Biểu 06 table, with its lines read up to the total row; ``xlsx.Refused``
    when a sheet has too many rows or no sheet has the form's header."""
    xlsx.check_row_counts(worksheets)
    for worksheet in worksheets:
        rows = xlsx.iter_rows(worksheet, filename)
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
        table = Table(worksheet.title, first, extras, [], None, problems, head[:top])
        _collect_lines(table, chain(head[top + depth :], rows), catalogue)
        return table
    raise xlsx.Refused(
        xlsx.about_file(
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
        named = [column for column, value in enumerate(values, 1) if "linh vuc" in folded(value)]
        if not named:
            continue
        totals = [
            column
            for below in rows[index : index + HEADER_DEPTH + 1]
            for column, value in enumerate(below, 1)
            if "tong so" in folded(value)
        ]
        if totals and min(totals) - 1 in named:
            return index, min(totals) - 1
    return None


def _is_header_like(values: tuple, first: int) -> bool:
    """A lower header row: no lĩnh vực name (the merged header cell above), no numbers, some text."""
    if not is_blank(cell_at(values, first + 1)):
        return False
    if any(looks_numeric(cell_at(values, first + k - 1)) for k in NUMBER_COLUMNS):
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
            text = folded(cell_at(values, column))
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


def _collect_lines(table: Table, rows: Iterable[tuple[int, tuple]], catalogue: Catalogue) -> None:
    """The rows below the header up to the total row; notes and signatures after it are not read."""
    columns = [table.column(k) for k in range(1, 14)] + list(table.extras.values())
    for number, values in rows:
        if all(is_blank(cell_at(values, column)) for column in columns):
            continue
        if not table.lines and _is_column_numbers(values, table.first):
            continue
        label = plain_text(cell_at(values, table.column(2))) or plain_text(cell_at(values, table.column(1)))
        if label and catalogue.find(label) is None and _is_total_label(label):
            table.total = (number, values)
            return
        table.lines.append((number, values))


def _is_column_numbers(values: tuple, first: int) -> bool:
    """The row numbering the form's columns: "(1)" … "(13)" or 1 … 13."""
    return all(_column_number(cell_at(values, first + k - 1)) == k for k in NUMBER_COLUMNS)


def _column_number(value: object) -> int | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else None
    if isinstance(value, str):
        text = value.strip().strip("()").strip()
        # isdigit() also passes "²", which int() refuses; a column number has a digit or two.
        return int(text) if text.isascii() and text.isdigit() and len(text) <= 3 else None
    return None


def _is_total_label(label: str) -> bool:
    key = normalise(label)
    return key.startswith("tong") or key.split(" ")[0] == "cong"


# Formulas ----------------------------------------------------------------------------------------


def formulas_without_values(data: bytes, table: Table, filename: str) -> set[tuple[int, int]]:
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
    book = xlsx.open_workbook(data, filename, data_only=False)
    try:
        worksheet = book[table.sheet]
        candidates = {
            (number, column)
            for number, raw in xlsx.iter_rows(worksheet, filename, min_row=min(rows), max_row=max(rows))
            if number in values
            for column in columns
            if xlsx.is_formula(cell_at(raw, column)) and cell_at(values[number], column) is None
        }
    finally:
        book.close()
    return candidates - xlsx.cached_text_cells(data, filename, candidates, sheet=table.sheet)
