"""dossiers.importing: reading Biểu số 06/VPCP/KSTT from one-stop software's .xlsx exports.

The workbooks are built here with openpyxl the way one-stop software lays them out: a title block,
a two-row header with merged cells, a row of column numbers, the lĩnh vực rows, a total row, then
notes and signatures.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from unittest import mock

from django.test import SimpleTestCase
from openpyxl import Workbook
from openpyxl.utils import get_column_letter as get_letter

from core import xlsx
from core.text import fold
from dossiers import importing
from dossiers.figures import Figures
from dossiers.importing import ImportProblem, ImportResult, parse_bieu06
from dossiers.importing.cells import read_number

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
) -> bytes:
    """An .xlsx laid out like a one-stop export. ``lines`` are columns 2..13 (then the extra
    columns); ``extras`` are (group header, own header) for columns 14 onwards."""
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

    sheet["A1"] = "UBND XÃ HOÀI CHÂU"
    sheet["I1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    sheet["A2"] = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"
    sheet.merge_cells(f"A2:{last}2")
    sheet["A3"] = "(Từ ngày 15/12/2023 đến ngày 14/12/2024)"
    sheet.merge_cells(f"A3:{last}3")
    sheet["K4"] = "Đơn vị tính: Số hồ sơ TTHC"
    if subtitle:
        sheet["A5"] = subtitle
        sheet.merge_cells(f"A5:{last}5")

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


class CleanFileTests(ImportTestCase):
    def test_a_one_stop_export_gives_the_figures_of_each_lĩnh_vực(self):
        ho_tich = line("Hộ tịch", online=1184, in_person=108, early=300, on_time=992)
        ho_tich[1:4] = ["1.292", "1.184", "108"]  # text numbers with Vietnamese thousands separators
        chung_thuc = line("Chứng thực", online=20, in_person=5, carried=2, on_time=25, in_time=2)
        chung_thuc[9] = " 2 "
        chung_thuc[10] = " 2 "
        chung_thuc[11] = None  # a blank cell counts 0
        dat_dai = line("Đất đai", in_person=7, late=3, overdue=4)
        dat_dai[1] = "7"
        result = parse(build([ho_tich, chung_thuc, dat_dai]))

        self.assertEqual(result.problems, [])
        self.assertTrue(result.ok)
        self.assertEqual(
            [(r.sheet, r.row, r.field_id, r.field_name) for r in result.rows],
            [
                (SHEET, 9, ID["Hộ tịch"], "Hộ tịch"),
                (SHEET, 10, ID["Chứng thực"], "Chứng thực"),
                (SHEET, 11, ID["Đất đai"], "Đất đai"),
            ],
        )
        self.assertEqual(
            result.rows[0].figures,
            Figures(received_online=1184, received_in_person=108, resolved_early=300, resolved_on_time=992),
        )
        self.assertEqual(
            result.rows[1].figures,
            Figures(
                received_online=20,
                received_in_person=5,
                carried_over=2,
                resolved_on_time=25,
                pending_in_time=2,
            ),
        )
        self.assertEqual(
            result.rows[2].figures, Figures(received_in_person=7, resolved_late=3, pending_overdue=4)
        )

    def test_notes_and_signatures_below_the_total_row_are_not_read(self):
        result = parse(build([line("Hộ tịch", online=3, on_time=3)]))
        self.assertEqual(result.problems, [])
        self.assertEqual(len(result.rows), 1)

    def test_a_three_row_header_numbered_without_brackets_and_a_total_merged_over_a_and_b(self):
        data = build(
            [line("Hộ tịch", online=3, on_time=3), line("Tôn giáo", in_person=1, in_time=1)],
            three_row_header=True,
            column_numbers="plain",
            total_in_column_a=True,
            total_label="Tổng số",
        )
        result = parse(data)
        self.assertEqual(result.problems, [])
        self.assertEqual([r.row for r in result.rows], [10, 11])
        self.assertEqual(result.rows[1].figures, Figures(received_in_person=1, pending_in_time=1))

    def test_a_file_without_column_numbers_or_total_row(self):
        result = parse(build([line("Hộ tịch", online=3, on_time=3)], column_numbers=None, total=None))
        self.assertEqual(result.problems, [])  # the signatures below are not mistaken for lĩnh vực
        self.assertEqual([r.row for r in result.rows], [8])

    def test_a_title_mentioning_lĩnh_vực_just_above_the_header_is_not_taken_for_it(self):
        data = build([line("Hộ tịch", online=3, on_time=3)], subtitle="PHÂN THEO LĨNH VỰC")
        result = parse(data)
        self.assertEqual(result.problems, [])
        self.assertEqual([(r.row, r.field_name) for r in result.rows], [(9, "Hộ tịch")])

    def test_rows_beyond_a_wrong_recorded_dimension_are_still_read(self):
        data = build([line("Hộ tịch", online=3, on_time=3), line("Đất đai", online=1, on_time=1)])
        data = rewrite_member(
            data,
            "xl/worksheets/sheet1.xml",
            lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:M9"', xml),
        )
        result = parse(data)
        self.assertEqual(result.problems, [])
        self.assertEqual([r.row for r in result.rows], [9, 10])

    def test_the_first_sheet_with_the_header_is_read_and_other_sheets_ignored(self):
        data = build(
            [line("Hộ tịch", online=3, on_time=3)],
            sheets_before=[("Hướng dẫn", [["Hướng dẫn nhập liệu"], ["Điền số hồ sơ theo lĩnh vực"]])],
        )
        result = parse(data)
        self.assertEqual(result.problems, [])
        self.assertEqual([(r.sheet, r.row) for r in result.rows], [(SHEET, 9)])

    def test_extra_columns_after_column_13_are_read_by_their_header(self):
        extras = (
            ("Thanh toán trực tuyến", "Số giao dịch"),
            ("", "Số hồ sơ có thu phí, lệ phí"),
            ("Số kết quả được số hóa", None),
            ("Số thư xin lỗi", None),
            ("PAKN", "Tiếp nhận"),
            ("", "Đã giải quyết"),
            ("Ghi chú", None),
        )
        row = line("Hộ tịch", online=10, early=4, on_time=4, late=2) + [5, 6, 7, 2, 3, 1, "gửi muộn"]
        result = parse(build([row], extras=extras, total=line("", online=10, early=4, on_time=4, late=2)[1:]))
        self.assertEqual(result.problems, [])
        self.assertEqual(
            result.rows[0].figures,
            Figures(
                received_online=10,
                resolved_early=4,
                resolved_on_time=4,
                resolved_late=2,
                online_payments=5,
                dossiers_with_fees=6,
                digitised_results=7,
                apology_letters=2,
                pakn_received=3,
                pakn_resolved=1,
            ),
        )

    def test_figures_check_errors_are_placed_at_the_cell_of_the_figure(self):
        extras = (("Thanh toán trực tuyến", "Số giao dịch"), ("", "Số hồ sơ có thu phí, lệ phí"))
        row = line("Hộ tịch", online=10, on_time=10) + [8, 5]
        result = parse(build([row], extras=extras, total=None))
        self.assertFalse(result.ok)
        self.assertProblem(
            result, row=9, column="N", contains="Dòng 9: Số giao dịch thanh toán trực tuyến (8) lớn hơn"
        )
        self.assertEqual(len(result.problems), 1, result.problems)


class NameTests(ImportTestCase):
    def test_names_are_recognised_whatever_their_case_spacing_composition_prefix_or_numbering(self):
        written = [
            "HỘ TỊCH",
            "  chứng    thực ",
            unicodedata.normalize("NFD", "Đất đai"),
            "Lĩnh vực Bảo trợ xã hội",
            "1. Người có công",
            "II. Giáo dục và Đào tạo.",
            "3) Lĩnh vực: Nuôi con nuôi;",
            "Tôn Giáo",
            "Công thương",
        ]
        result = parse(build([line(name, online=1, on_time=1) for name in written]))
        self.assertEqual(result.problems, [])
        self.assertEqual(
            [r.field_name for r in result.rows],
            [
                "Hộ tịch",
                "Chứng thực",
                "Đất đai",
                "Bảo trợ xã hội",
                "Người có công",
                "Giáo dục và Đào tạo",
                "Nuôi con nuôi",
                "Tôn giáo",
                "Công thương",
            ],
        )

    def test_an_unknown_lĩnh_vực_is_an_error_at_its_name_cell(self):
        result = parse(
            build([line("Hộ tịch", online=1, on_time=1), line("Hộ tịch điện tử", online=2, on_time=2)])
        )
        self.assertFalse(result.ok)
        self.assertProblem(
            result, row=10, column="B", contains="lĩnh vực “Hộ tịch điện tử” không có trong danh mục lĩnh vực"
        )
        self.assertEqual([r.field_name for r in result.rows], ["Hộ tịch"])

    def test_the_same_lĩnh_vực_twice_is_an_error_naming_the_first_row(self):
        result = parse(
            build(
                [
                    line("Hộ tịch", online=1, on_time=1),
                    line("Đất đai", in_person=1, in_time=1),
                    line("1. HỘ TỊCH", online=2, on_time=2),
                ]
            )
        )
        self.assertFalse(result.ok)
        self.assertProblem(result, row=11, column="B", contains="lĩnh vực “Hộ tịch” đã có ở dòng 9")
        self.assertEqual([r.row for r in result.rows], [9, 10])

    def test_figures_without_a_name_are_an_error(self):
        result = parse(build([line("Hộ tịch", online=1, on_time=1), line(None, online=2, on_time=2)]))
        self.assertProblem(result, row=10, column="B", contains="có số liệu nhưng chưa ghi tên lĩnh vực")

    def test_a_section_heading_without_figures_is_passed_over(self):
        result = parse(build([["I. Cấp xã"], line("Hộ tịch", online=1, on_time=1)]))
        self.assertEqual(result.problems, [])
        self.assertEqual([r.row for r in result.rows], [10])


class ArithmeticTests(ImportTestCase):
    def test_a_total_row_that_does_not_match_the_rows_above_is_an_error_per_column(self):
        rows = [line("Hộ tịch", online=10, on_time=10), line("Đất đai", online=5, on_time=5)]
        total = line("", online=15, on_time=15)[1:]
        total[1] = 16  # D: online
        total[6] = 14  # I: on time
        result = parse(build(rows, total=total))
        self.assertFalse(result.ok)
        self.assertProblem(
            result,
            row=11,
            column="D",
            contains="trong tệp ghi 16 nhưng cộng các dòng lĩnh vực ở trên được 15",
        )
        self.assertProblem(
            result,
            row=11,
            column="I",
            contains="trong tệp ghi 14 nhưng cộng các dòng lĩnh vực ở trên được 15",
        )
        self.assertEqual(len(result.problems), 2, result.problems)
        self.assertEqual(len(result.rows), 2)  # the rows themselves are sound

    def test_received_total_must_be_online_plus_in_person_plus_carried_over(self):
        row = line("Hộ tịch", online=100, in_person=20, carried=8, on_time=128)
        row[1] = 130
        result = parse(build([row], total=None))
        self.assertProblem(
            result,
            row=9,
            column="C",
            contains="Dòng 9: cột Tổng số (C = 130) khác Trực tuyến + Trực tiếp + Từ kỳ trước "
            "(D + E + F = 128).",
        )
        # C is known wrong, so received = resolved + pending is not also warned about.
        self.assertEqual(len(result.problems), 1, result.problems)
        self.assertFalse(result.ok)

    def test_resolved_total_must_be_early_plus_on_time_plus_late(self):
        row = line("Hộ tịch", online=10, early=2, on_time=7, late=1)
        row[5] = 9
        result = parse(build([row], total=None))
        self.assertProblem(
            result, row=9, column="G", contains="(G = 9) khác Trước hạn + Đúng hạn + Quá hạn (H + I + J = 10)"
        )
        self.assertFalse(result.ok)

    def test_pending_total_must_be_in_time_plus_overdue(self):
        row = line("Hộ tịch", online=10, on_time=5, in_time=3, overdue=2)
        row[9] = 1_500
        result = parse(build([row], total=None))
        self.assertProblem(
            result, row=9, column="K", contains="(K = 1.500) khác Trong hạn + Quá hạn (L + M = 5)"
        )
        self.assertFalse(result.ok)

    def test_received_not_equal_to_resolved_plus_pending_is_only_a_warning(self):
        row = line("Hộ tịch", online=10, on_time=7, in_time=2)  # one dossier withdrawn
        result = parse(build([row]))
        self.assertTrue(result.ok)
        problem = self.assertProblem(
            result,
            row=9,
            column="C",
            contains="(C = 10) khác Đã giải quyết + Đang giải quyết (G + K = 9)",
            level="warning",
        )
        self.assertEqual(result.problems, [problem])
        self.assertEqual(len(result.rows), 1)


class NumberTests(ImportTestCase):
    def test_thousands_separators_blanks_and_spaces_are_read(self):
        cases = {"1.292": 1292, "1,292": 1292, " 12 ": 12, "": 0, None: 0, 7.0: 7, "1.234.567": 1234567, 3: 3}
        for written, expected in cases.items():
            with self.subTest(written=written):
                self.assertEqual(read_number(written), expected)

    def test_negative_fractional_and_text_numbers_are_errors_at_their_cell(self):
        row = line("Hộ tịch", online=10, on_time=10)
        row[2] = -3  # D
        row[3] = 2.5  # E
        row[4] = "2,5"  # F
        row[6] = "mười"  # H
        row[10] = "1.2345"  # L
        result = parse(build([row, line("Đất đai", online=1, on_time=1)], total=None))
        self.assertFalse(result.ok)
        self.assertProblem(result, row=9, column="D", contains="số âm (-3) không hợp lệ")
        self.assertProblem(result, row=9, column="E", contains="“2,5” không phải số nguyên")
        self.assertProblem(result, row=9, column="F", contains="“2,5” không phải số nguyên")
        self.assertProblem(result, row=9, column="H", contains="“mười” không phải là số")
        self.assertProblem(result, row=9, column="L", contains="“1.2345” không phải số nguyên")
        # No sums are checked on a row with unreadable cells, and the row is not imported.
        self.assertEqual(len(result.problems), 5, result.problems)
        self.assertEqual([r.field_name for r in result.rows], ["Đất đai"])

    def test_every_problem_of_the_file_is_listed(self):
        bad_sum = line("Đất đai", online=3, on_time=3)
        bad_sum[1] = 4
        rows = [
            line("Hộ tịch", online=1, on_time=1),
            bad_sum,
            line("Phố cổ", online=1, on_time=1),
            ["Tôn giáo", 1, "x", 0, 0, 1, 0, 1, 0, 0, 0, 0],
        ]
        result = parse(build(rows, total=[9] * 11))
        places = {(p.row, p.column) for p in result.problems if p.level == "error"}
        self.assertTrue({(10, "C"), (11, "B"), (12, "D"), (13, "C"), (13, "G")} <= places, result.problems)


class FormulaTests(ImportTestCase):
    def test_a_formula_without_a_cached_value_is_an_error_at_its_cell(self):
        rows = [line("Hộ tịch", online=4, on_time=4), line("Đất đai", online=6, on_time=6)]
        total = line("", online=10, on_time=10)[1:]
        total[1] = "=SUM(D9:D10)"  # openpyxl writes no cached value
        result = parse(build(rows, total=total))
        self.assertFalse(result.ok)
        self.assertProblem(
            result,
            row=11,
            column="D",
            contains="Ô D11 chứa công thức chưa có giá trị tính sẵn: hãy mở tệp trong Excel, lưu lại",
        )
        self.assertEqual(len(result.problems), 1, result.problems)

    def test_a_formula_with_a_cached_value_counts_with_that_value(self):
        data = build([line("Hộ tịch", online=4, on_time=4)], total=None)
        data = rewrite_member(
            data,
            "xl/worksheets/sheet1.xml",
            lambda xml: re.sub(r'<c r="C9" t="n"><v>4</v></c>', '<c r="C9"><f>D9+E9+F9</f><v>4</v></c>', xml),
        )
        self.assertIn(b"D9+E9+F9", zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml"))
        result = parse(data)
        self.assertEqual(result.problems, [])
        self.assertEqual(result.rows[0].figures, Figures(received_online=4, resolved_on_time=4))

    def test_a_formula_whose_cached_result_is_empty_text_reads_as_blank(self):
        data = build([line("Hộ tịch", online=4, on_time=4)], total=None)
        data = rewrite_member(
            data,
            "xl/worksheets/sheet1.xml",
            lambda xml: xml.replace(
                '<c r="F9" t="n"><v>0</v></c>', '<c r="F9" t="str"><f>IF(1,"",1)</f><v></v></c>'
            ),
        )
        result = parse(data)
        self.assertEqual(result.problems, [])
        self.assertEqual(result.rows[0].figures.carried_over, 0)


class RefusalTests(ImportTestCase):
    def test_bytes_that_are_not_an_xlsx_are_refused(self):
        for label, data in {
            "random": bytes(range(256)) * 4,
            "csv": "STT,Lĩnh vực,Tổng số\n1,Hộ tịch,3\n".encode(),
            "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
            "empty": b"",
            "another zip": _zip({"word/document.xml": "<w/>", "[Content_Types].xml": "<Types/>"}),
        }.items():
            with self.subTest(label):
                problem = self.assertRefused(parse(data, "bao-cao.xlsx"), "không phải tệp Excel .xlsx")
                self.assertIn("“bao-cao.xlsx”", problem.message)

    def test_an_ole_file_is_refused_as_password_protected_or_old_format(self):
        data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)
        problem = self.assertRefused(parse(data), "được đặt mật khẩu")
        self.assertIn(".xls kiểu cũ", problem.message)
        self.assertIn("không có mật khẩu", problem.message)

    def test_a_truncated_xlsx_is_refused_as_corrupt(self):
        data = build([line("Hộ tịch", online=1, on_time=1)])
        self.assertRefused(parse(data[: len(data) // 2]), "bị hỏng hoặc tải lên chưa trọn vẹn")

    def test_a_zip_with_broken_parts_is_refused_as_corrupt(self):
        data = _zip({"[Content_Types].xml": "<Types", "xl/workbook.xml": "<workbook"})
        self.assertRefused(parse(data), "bị hỏng")

    def test_a_file_over_the_size_limit_is_refused(self):
        data = build([line("Hộ tịch", online=1, on_time=1)])
        with mock.patch.object(importing, "MAX_BYTES", len(data) - 1):
            self.assertRefused(parse(data), "vượt quá giới hạn")
        self.assertTrue(parse(data).ok)

    def test_a_member_that_unpacks_a_hundredfold_is_refused_as_a_zip_bomb(self):
        data = _zip(
            {
                "[Content_Types].xml": "<Types/>",
                "xl/workbook.xml": "<workbook/>",
                "xl/worksheets/sheet1.xml": "\0" * (2 * 1024 * 1024),
            }
        )
        problem = self.assertRefused(parse(data), "nén bất thường")
        self.assertIn("xl/worksheets/sheet1.xml", problem.message)

    def test_a_file_unpacking_beyond_the_limit_is_refused_as_a_zip_bomb(self):
        data = build([line("Hộ tịch", online=1, on_time=1)])
        with mock.patch.object(xlsx, "MAX_UNPACKED", 10_000):
            self.assertRefused(parse(data), "khi giải nén lên tới")

    def test_a_sheet_with_too_many_rows_is_refused(self):
        data = build([line("Hộ tịch", online=1, on_time=1)] * 30, total=None)
        with mock.patch.object(xlsx, "MAX_ROWS", 20):
            self.assertRefused(parse(data), "vượt quá giới hạn 20 dòng", sheet=SHEET)

    def test_rows_are_counted_even_when_the_sheet_declares_no_dimension(self):
        data = build([line("Hộ tịch", online=1, on_time=1)] * 30, total=None)
        data = rewrite_member(
            data, "xl/worksheets/sheet1.xml", lambda xml: re.sub(r"<dimension [^>]*/>", "", xml)
        )
        with mock.patch.object(xlsx, "MAX_ROWS", 20):
            self.assertRefused(parse(data), "có quá nhiều dòng", sheet=SHEET)

    def test_a_workbook_without_the_bieu_06_header_is_refused(self):
        book = Workbook()
        book.active.append(["Họ và tên", "Số hồ sơ"])
        book.active.append(["Nguyễn Văn An", 3])
        output = io.BytesIO()
        book.save(output)
        problem = self.assertRefused(
            parse(output.getvalue(), "danh-sach.xlsx"), "Không tìm thấy bảng Biểu số 06"
        )
        self.assertIn("“danh-sach.xlsx”", problem.message)
        self.assertIn("Lĩnh vực, công việc giải quyết theo cấp", problem.message)

    def test_a_header_without_data_rows_is_an_error(self):
        result = parse(build([], total=None))
        self.assertFalse(result.ok)
        self.assertProblem(result, row=None, column=None, contains="không có dòng số liệu lĩnh vực nào")


def _zip(members: dict[str, str]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return output.getvalue()
