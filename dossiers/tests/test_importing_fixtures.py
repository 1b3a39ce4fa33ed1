"""dossiers.importing: reading Biểu số 06/VPCP/KSTT from one-stop software's .xlsx exports.

The workbooks are built here with openpyxl the way one-stop software lays them out: a title block,
a two-row header with merged cells, a row of column numbers, the lĩnh vực rows, a total row, then
notes and signatures. The tests are in ``test_importing_reading`` (layouts and lĩnh vực names),
``test_importing_checks`` (sums, numbers, formulas) and ``test_importing_refusals`` (whole files).
"""

from __future__ import annotations

import io
import re
import zipfile

from django.test import SimpleTestCase
from openpyxl import Workbook
from openpyxl.utils import get_column_letter as get_letter

from core.text import fold
from dossiers.importing import ImportProblem, ImportResult, parse_bieu06

NAMES = (
    "Hộ tịch",
    "Chứng thực",
    "Đất đai",
    "Bảo trợ xã hội",
    "Người có công",
    "Giáo dục và Đào tạo",
    "Thành lập và hoạt động của hộ kinh doanh",
    "Nuôi con nuôi",
    "Lao động, tiền lương",
    "Văn hóa cơ sở",
    "Tôn giáo",
    "Công thương",
)
CATALOGUE = {fold(name): (number, name) for number, name in enumerate(NAMES, 1)}
ID = {name: number for number, name in enumerate(NAMES, 1)}

SHEET = "Biểu 06"
# The title block of ``build``: xã Hoài Châu, May 2024 under the regulatory calendar (15th to 14th).
UNIT_LINE = "UBND XÃ HOÀI CHÂU"
PERIOD_LINE = "(Từ ngày 15/04/2024 đến ngày 14/05/2024)"
# Rows of the default layout: title block 1-5, header 6-7, column numbers 8, lĩnh vực rows from 9.


def line(name, *, online=0, in_person=0, carried=0, early=0, on_time=0, late=0, in_time=0, overdue=0):
    """Columns 2..13 of a row whose totals add up."""
    return [
        name,
        online + in_person + carried,
        online,
        in_person,
        carried,
        early + on_time + late,
        early,
        on_time,
        late,
        in_time + overdue,
        in_time,
        overdue,
    ]


def as_int(value) -> int:
    if isinstance(value, str):
        return int(re.sub(r"\D", "", value) or 0)
    return int(value or 0)


def build(
    lines,
    *,
    total="auto",
    total_label="Tổng cộng",
    total_in_column_a=False,
    extras=(),
    column_numbers="brackets",
    three_row_header=False,
    sheets_before=(),
    sheet_title=SHEET,
    subtitle=None,
    unit_line=UNIT_LINE,
    period_line=PERIOD_LINE,
    title_cells=(),
    title_merges=(),
) -> bytes:
    """An .xlsx laid out like a one-stop export. ``lines`` are columns 2..13 (then the extra
    columns); ``extras`` are (group header, own header) for columns 14 onwards. ``unit_line`` (A1)
    and ``period_line`` (A3, merged across the table) say whose file it is and for when; None
    leaves the cell empty. ``title_cells`` ((coordinate, value), …) and ``title_merges`` ("A1:F1", …)
    write other title blocks into rows 1 to 5, over the default one."""
    book = Workbook()
    first = book.active
    for title, rows in sheets_before:
        sheet = first if first is not None else book.create_sheet()
        first = None
        sheet.title = title
        for row in rows:
            sheet.append(row)
    sheet = first if first is not None else book.create_sheet()
    sheet.title = sheet_title
    last = get_letter(13 + len(extras))

    sheet["A1"] = unit_line
    sheet["I1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    sheet["A2"] = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"
    sheet.merge_cells(f"A2:{last}2")
    if period_line is not None:
        sheet["A3"] = period_line
        sheet.merge_cells(f"A3:{last}3")
    sheet["K4"] = "Đơn vị tính: Số hồ sơ TTHC"
    if subtitle:
        sheet["A5"] = subtitle
        sheet.merge_cells(f"A5:{last}5")
    for coordinate, value in title_cells:
        sheet[coordinate] = value
    for cells in title_merges:
        sheet.merge_cells(cells)

    bottom = 8 if three_row_header else 7
    sheet["A6"], sheet["B6"] = "STT", "Lĩnh vực, công việc giải quyết theo cấp"
    sheet.merge_cells(f"A6:A{bottom}")
    sheet.merge_cells(f"B6:B{bottom}")
    for start, end, group in (("C", "F", "nhận"), ("G", "J", "đã"), ("K", "M", "đang")):
        sheet[f"{start}6"] = f"Số hồ sơ {group} giải quyết"
        sheet.merge_cells(f"{start}6:{end}6")
    if three_row_header:
        for letter, text in zip(
            "CFGHIJKLM",
            (
                "Tổng số",
                "Từ kỳ trước",
                "Tổng số",
                "Trước hạn",
                "Đúng hạn",
                "Quá hạn",
                "Tổng số",
                "Trong hạn",
                "Quá hạn",
            ),
            strict=True,
        ):
            sheet[f"{letter}7"] = text
            sheet.merge_cells(f"{letter}7:{letter}8")
        sheet["D7"] = "Trong đó"
        sheet.merge_cells("D7:E7")
        sheet["D8"], sheet["E8"] = "Trực tuyến", "Trực tiếp, dịch vụ bưu chính"
    else:
        for letter, text in zip(
            "CDEFGHIJKLM",
            (
                "Tổng số",
                "Trong đó: Trực tuyến",
                "Trong đó: Trực tiếp, dịch vụ bưu chính",
                "Từ kỳ trước",
                "Tổng số",
                "Trước hạn",
                "Đúng hạn",
                "Quá hạn",
                "Tổng số",
                "Trong hạn",
                "Quá hạn",
            ),
            strict=True,
        ):
            sheet[f"{letter}7"] = text
    for offset, (group, own) in enumerate(extras):
        letter = get_letter(14 + offset)
        if own is None:
            sheet[f"{letter}6"] = group
            sheet.merge_cells(f"{letter}6:{letter}{bottom}")
        else:
            if group:
                sheet[f"{letter}6"] = group
            sheet[f"{letter}{bottom}"] = own

    row = bottom + 1
    if column_numbers:
        for column in range(1, 14 + len(extras)):
            number = f"({column})" if column_numbers == "brackets" else column
            sheet.cell(row, column, number)
        row += 1
    for index, values in enumerate(lines, 1):
        sheet.cell(row, 1, index)
        for column, value in enumerate(values, 2):
            sheet.cell(row, column, value)
        row += 1
    if total is not None:
        if total == "auto":
            width = 12 + len(extras)
            total = [sum(as_int(values[i]) for values in lines if len(values) > i) for i in range(1, width)]
        if total_in_column_a:
            sheet.cell(row, 1, total_label)
            sheet.merge_cells(f"A{row}:B{row}")
        else:
            sheet.cell(row, 2, total_label)
        for column, value in enumerate(total, 3):
            sheet.cell(row, column, value)
        row += 1
    sheet.cell(row + 1, 1, "Ghi chú: số liệu lấy từ phần mềm một cửa, tính đến hết ngày 14/12/2024.")
    sheet.cell(row + 2, 10, "Hoài Châu, ngày 15 tháng 12 năm 2024")
    sheet.cell(row + 3, 2, "NGƯỜI LẬP BIỂU")
    sheet.cell(row + 3, 10, "CHỦ TỊCH")
    sheet.cell(row + 6, 2, "Nguyễn Văn An")
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def parse(data: bytes, filename: str = "bieu06.xlsx") -> ImportResult:
    return parse_bieu06(data, catalogue=CATALOGUE, filename=filename)


def rewrite_member(data: bytes, member: str, change) -> bytes:
    """The same .xlsx with one part's text changed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == member:
                content = change(content.decode()).encode()
            target.writestr(info.filename, content)
    return output.getvalue()


class ImportTestCase(SimpleTestCase):
    def assertProblem(self, result: ImportResult, *, row, column, contains, level="error", sheet=SHEET):
        """Exactly one problem at (sheet, row, column) with that level, whose message has ``contains``."""
        found = [p for p in result.problems if (p.sheet, p.row, p.column) == (sheet, row, column)]
        self.assertEqual(
            len(found), 1, f"expected one problem at {sheet}!{column}{row}, got {result.problems}"
        )
        self.assertEqual(found[0].level, level)
        self.assertIn(contains, found[0].message)
        return found[0]

    def assertRefused(self, result: ImportResult, contains: str, sheet: str = "") -> ImportProblem:
        self.assertFalse(result.ok)
        self.assertEqual(result.rows, [])
        self.assertEqual(len(result.problems), 1, result.problems)
        problem = result.problems[0]
        self.assertEqual(
            (problem.sheet, problem.row, problem.column, problem.level), (sheet, None, None, "error")
        )
        self.assertIn(contains, problem.message)
        return problem
