"""dossiers.importing: the checks on the figures of a Biểu 06 file (sums, numbers, formulas), each
problem placed at its cell."""

from __future__ import annotations

import io
import re
import zipfile

from dossiers.figures import Figures
from dossiers.importing.cells import read_number

from .test_importing_fixtures import ImportTestCase, build, line, parse, rewrite_member


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
