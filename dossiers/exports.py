"""Dossier figures as files: form Biểu số 06/VPCP/KSTT in xlsx, and a flat csv (DOMAIN.md §1).

Pure functions, rows in and bytes out: no database, no request. The view chooses the rows, checks
access and sets the response headers. Totals (columns 3, 5, 7, 11 and the total rows) are computed
by ``Figures`` and written as values, never as spreadsheet formulas, so a file reads the same in any
program and after any edit.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from math import ceil

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from core.xlsx import FONT_NAME, csv_text, put_text
from dossiers.figures import GROUP_OTHER, GROUP_PENDING, GROUP_RECEIVED, GROUP_RESOLVED, Figures


@dataclass(frozen=True)
class ExportRow:
    """One lĩnh vực line of the table."""

    field_name: str  # e.g. "Hộ tịch"
    figures: Figures


@dataclass(frozen=True)
class ExportGroup:
    """One commune's block of lines."""

    unit_name: str  # e.g. "Xã Hoài Châu"
    rows: Sequence[ExportRow]


@dataclass(frozen=True)
class _NumberColumn:
    number: int  # (3) … (13) as on the form; (14) … (19) are the figures reported beside it
    group: str
    label: str
    attribute: str  # a field or a computed total of ``Figures``

    def value(self, figures: Figures) -> int:
        return getattr(figures, self.attribute)


# Spreadsheet columns 3 to 19, in the order of the form.
NUMBER_COLUMNS: tuple[_NumberColumn, ...] = (
    _NumberColumn(3, GROUP_RECEIVED, "Tổng số", "received_total"),
    _NumberColumn(4, GROUP_RECEIVED, "Trong đó: Trực tuyến", "received_online"),
    _NumberColumn(
        5, GROUP_RECEIVED, "Trong đó: Trực tiếp, dịch vụ bưu chính", "received_in_person_or_postal"
    ),
    _NumberColumn(6, GROUP_RECEIVED, "Từ kỳ trước", "carried_over"),
    _NumberColumn(7, GROUP_RESOLVED, "Tổng số", "resolved_total"),
    _NumberColumn(8, GROUP_RESOLVED, "Trước hạn", "resolved_early"),
    _NumberColumn(9, GROUP_RESOLVED, "Đúng hạn", "resolved_on_time"),
    _NumberColumn(10, GROUP_RESOLVED, "Quá hạn", "resolved_late"),
    _NumberColumn(11, GROUP_PENDING, "Tổng số", "pending_total"),
    _NumberColumn(12, GROUP_PENDING, "Trong hạn", "pending_in_time"),
    _NumberColumn(13, GROUP_PENDING, "Quá hạn", "pending_overdue"),
    _NumberColumn(14, GROUP_OTHER, "Thanh toán trực tuyến", "online_payments"),
    _NumberColumn(15, GROUP_OTHER, "Hồ sơ có thu phí, lệ phí", "dossiers_with_fees"),
    _NumberColumn(16, GROUP_OTHER, "Kết quả được số hóa", "digitised_results"),
    _NumberColumn(17, GROUP_OTHER, "Thư xin lỗi", "apology_letters"),
    _NumberColumn(18, GROUP_OTHER, "PAKN tiếp nhận", "pakn_received"),
    _NumberColumn(19, GROUP_OTHER, "PAKN đã giải quyết", "pakn_resolved"),
)

TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"
UNIT_OF_MEASURE = "Đơn vị tính: Số hồ sơ TTHC"
STT = "STT"
FIELD = "Lĩnh vực, công việc giải quyết theo cấp"
TOTAL = "Tổng cộng"
SHEET_TITLE = "Biểu 06"

# Layout of the sheet, 1-based as openpyxl counts.
ROW_ISSUER = 1
ROW_TITLE = 2
ROW_PERIOD = 3
ROW_UNIT_OF_MEASURE = 4
ROW_GROUP_HEADER = 6  # row 5 stays empty, as on the printed form
ROW_COLUMN_HEADER = 7
ROW_COLUMN_NUMBERS = 8
FIRST_DATA_ROW = 9
LAST_COLUMN = NUMBER_COLUMNS[-1].number
WIDTH_STT = 6
WIDTH_FIELD = 36
WIDTH_NUMBER = 11

NUMBER_FORMAT = "#,##0"  # Excel puts in the viewer's own thousands separator (a dot in Vietnamese)
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)


def bieu06_xlsx(
    *,
    issuer: str,
    unit_name: str,
    period_label: str,
    date_from: date,
    date_to: date,
    groups: Sequence[ExportGroup],
) -> bytes:
    """One worksheet laid out like Biểu số 06/VPCP/KSTT, ready to print on A4 landscape.

    With one group the table lists its lĩnh vực rows (STT 1, 2, …) and a "Tổng cộng" row. With several
    (a reviewer's unit) each group gets a bold row with its commune's name and subtotals (STT I, II, …)
    followed by its own rows numbered from 1, and the table ends with the grand total. Columns 14-19 hold
    the figures communes report beside the form. Every number is an int; no cell holds a formula, and
    text that looks like one (``=…``, ``+…``, ``-…``, ``@…``) is stored as text.

    ``unit_name`` names the unit the report is about; it goes into the workbook's properties, since the
    form itself shows only the issuer.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    workbook.properties.title = ILLEGAL_CHARACTERS_RE.sub("", f"{TITLE} - {unit_name} - {period_label}")

    _write_title_block(sheet, issuer=issuer, period_label=period_label, date_from=date_from, date_to=date_to)
    _write_header(sheet)
    last_row = _write_table(sheet, groups)
    _set_up_page(sheet, last_row)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def bieu06_csv(*, groups: Sequence[ExportGroup]) -> bytes:
    """The figures as a flat table: one line per lĩnh vực of each group, no total lines.

    Columns: "Đơn vị", "Lĩnh vực", then 19 numbers: columns 3 to 19 of the xlsx, with "Trực tiếp" and
    "Dịch vụ bưu chính" also given apart after column 5. UTF-8 with a byte order mark, which is what
    makes Excel read Vietnamese correctly. Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return is prefixed with ``'`` so that no spreadsheet runs it as a formula.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["Đơn vị", "Lĩnh vực", *(title for title, _ in _CSV_COLUMNS)])
    for group in groups:
        for row in group.rows:
            writer.writerow(
                [
                    csv_text(group.unit_name),
                    csv_text(row.field_name),
                    *(getattr(row.figures, attribute) for _, attribute in _CSV_COLUMNS),
                ]
            )
    return buffer.getvalue().encode("utf-8-sig")


def _csv_title(column: _NumberColumn) -> str:
    # A flat file has one header row, so each title carries its group ("Quá hạn" appears twice).
    label = column.label.removeprefix("Trong đó: ")
    if column.group == GROUP_OTHER:
        return f"{label} ({column.number})"
    return f"{column.group}: {label} ({column.number})"


def _csv_columns() -> tuple[tuple[str, str], ...]:
    columns: list[tuple[str, str]] = []
    for column in NUMBER_COLUMNS:
        columns.append((_csv_title(column), column.attribute))
        if column.attribute == "received_in_person_or_postal":
            # The portal stores the two channels apart (DOMAIN.md §1); the form adds them up.
            columns.append((f"{GROUP_RECEIVED}: Trực tiếp", "received_in_person"))
            columns.append((f"{GROUP_RECEIVED}: Dịch vụ bưu chính", "received_postal"))
    return tuple(columns)


_CSV_COLUMNS = _csv_columns()


def roman(number: int) -> str:
    """``4`` → "IV": how the form numbers the groups of a table."""
    if number < 1:
        raise ValueError(f"Roman numerals start at 1, not {number}.")
    numerals = (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    )
    text = ""
    for value, numeral in numerals:
        count, number = divmod(number, value)
        text += numeral * count
    return text


def _font(*, bold: bool = False, italic: bool = False, size: int = 12) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic)


def _merge(sheet: Worksheet, first_row: int, first_column: int, last_row: int, last_column: int) -> None:
    if (first_row, first_column) != (last_row, last_column):
        sheet.merge_cells(
            start_row=first_row, start_column=first_column, end_row=last_row, end_column=last_column
        )


def _write_title_block(
    sheet: Worksheet, *, issuer: str, period_label: str, date_from: date, date_to: date
) -> None:
    cell = sheet.cell(ROW_ISSUER, 1)
    put_text(cell, issuer)
    cell.font = _font(bold=True)
    cell.alignment = Alignment(horizontal="center", vertical="center")
    _merge(sheet, ROW_ISSUER, 1, ROW_ISSUER, 2)

    period = f"Kỳ báo cáo: {period_label} (Từ ngày {date_from:%d/%m/%Y} đến ngày {date_to:%d/%m/%Y})"
    lines = (
        (ROW_TITLE, TITLE, _font(bold=True, size=13), "center"),
        (ROW_PERIOD, period, _font(italic=True), "center"),
        (ROW_UNIT_OF_MEASURE, UNIT_OF_MEASURE, _font(italic=True), "right"),
    )
    for row, text, font, horizontal in lines:
        cell = sheet.cell(row, 1)
        put_text(cell, text)
        cell.font = font
        cell.alignment = Alignment(horizontal=horizontal, vertical="center")
        _merge(sheet, row, 1, row, LAST_COLUMN)
    sheet.row_dimensions[ROW_TITLE].height = 22


def _header_cell(sheet: Worksheet, row: int, column: int, text: str, font: Font | None = None) -> None:
    cell = sheet.cell(row, column)
    put_text(cell, text)
    cell.font = font or _font(bold=True)
    cell.alignment = _HEADER_ALIGNMENT


def _write_header(sheet: Worksheet) -> None:
    # STT and Lĩnh vực stand over both header rows; every group stands over its columns.
    for column, text in ((1, STT), (2, FIELD)):
        _header_cell(sheet, ROW_GROUP_HEADER, column, text)
        _merge(sheet, ROW_GROUP_HEADER, column, ROW_COLUMN_HEADER, column)
    group_spans: dict[str, list[int]] = {}
    for column in NUMBER_COLUMNS:
        group_spans.setdefault(column.group, []).append(column.number)
        _header_cell(sheet, ROW_COLUMN_HEADER, column.number, column.label)
    for group, numbers in group_spans.items():
        _header_cell(sheet, ROW_GROUP_HEADER, numbers[0], group)
        _merge(sheet, ROW_GROUP_HEADER, numbers[0], ROW_GROUP_HEADER, numbers[-1])
    for column in range(1, LAST_COLUMN + 1):
        _header_cell(sheet, ROW_COLUMN_NUMBERS, column, f"({column})", _font(italic=True))
        for row in (ROW_GROUP_HEADER, ROW_COLUMN_HEADER, ROW_COLUMN_NUMBERS):
            # Merged cells draw only the borders their own cells carry, so every cell gets one.
            sheet.cell(row, column).border = _BORDER

    # Neither Excel nor openpyxl sizes rows to wrapped text on opening: room for five lines.
    sheet.row_dimensions[ROW_GROUP_HEADER].height = 32
    sheet.row_dimensions[ROW_COLUMN_HEADER].height = 84
    sheet.column_dimensions["A"].width = WIDTH_STT
    sheet.column_dimensions["B"].width = WIDTH_FIELD
    for column in NUMBER_COLUMNS:
        sheet.column_dimensions[get_column_letter(column.number)].width = WIDTH_NUMBER


@dataclass(frozen=True)
class _Line:
    stt: int | str
    name: str
    figures: Figures
    bold: bool = False


def _lines(groups: Sequence[ExportGroup]) -> list[_Line]:
    def numbered(rows: Sequence[ExportRow]) -> list[_Line]:
        return [_Line(index, row.field_name, row.figures) for index, row in enumerate(rows, start=1)]

    def total(rows: Sequence[ExportRow]) -> Figures:
        return sum((row.figures for row in rows), Figures())

    everything = [row for group in groups for row in group.rows]
    if len(groups) <= 1:
        lines = numbered(everything)
    else:
        lines = []
        for index, group in enumerate(groups, start=1):
            lines.append(_Line(roman(index), group.unit_name, total(group.rows), bold=True))
            lines.extend(numbered(group.rows))
    lines.append(_Line("", TOTAL, total(everything), bold=True))
    return lines


def _write_table(sheet: Worksheet, groups: Sequence[ExportGroup]) -> int:
    """Write the data lines from FIRST_DATA_ROW on; returns the last row written."""
    row = FIRST_DATA_ROW - 1
    for line in _lines(groups):
        row += 1
        font = _font(bold=line.bold)

        stt = sheet.cell(row, 1)
        if isinstance(line.stt, str):
            put_text(stt, line.stt)
        else:
            stt.value = line.stt
        stt.alignment = Alignment(horizontal="center", vertical="center")

        name = sheet.cell(row, 2)
        put_text(name, line.name)
        name.alignment = Alignment(
            horizontal="center" if line.name == TOTAL else "left", vertical="center", wrap_text=True
        )
        name_lines = ceil(len(line.name) / WIDTH_FIELD)
        if name_lines > 1:
            # Excel does not grow a row to fit wrapped text it did not type itself.
            sheet.row_dimensions[row].height = 16 * name_lines

        for column in NUMBER_COLUMNS:
            cell = sheet.cell(row, column.number)
            cell.value = column.value(line.figures)
            cell.number_format = NUMBER_FORMAT
            cell.alignment = Alignment(horizontal="right", vertical="center")

        for column in range(1, LAST_COLUMN + 1):
            cell = sheet.cell(row, column)
            cell.font = font
            cell.border = _BORDER
    return row


def _set_up_page(sheet: Worksheet, last_row: int) -> None:
    # Scrolling keeps the headers and the lĩnh vực column in sight.
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, 3).coordinate
    sheet.print_title_rows = f"{ROW_GROUP_HEADER}:{ROW_COLUMN_NUMBERS}"
    sheet.print_area = f"A1:{get_column_letter(LAST_COLUMN)}{last_row}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    # One page wide, as many pages tall as the rows need.
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "Trang &P/&N"
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
