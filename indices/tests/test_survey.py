from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook, load_workbook

from core.testing import PortalTestCase
from indices.models import Assessment, Criterion
from indices.survey import parse_survey, survey_template_xlsx
from indices.testing import make_framework, make_round


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


class SurveyFileTests(PortalTestCase):
    def setUp(self):
        self.framework = make_framework(self.binh_dinh)
        self.round = make_round(self.framework, self.hoai_nhon)
        self.survey = Criterion.objects.get(framework=self.framework, code="2.2")
        self.header = ["Mã đơn vị", "Tên đơn vị", "2.2. Khảo sát sự hài lòng (tối đa 5,00)"]
        self.chau = Assessment.objects.get(round=self.round, unit=self.hoai_chau)
        self.bac = Assessment.objects.get(round=self.round, unit=self.hoai_chau_bac)

    def test_the_template_lists_every_commune_and_the_survey_leaf_with_its_max(self):
        sheet = load_workbook(BytesIO(survey_template_xlsx(self.round))).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0], tuple(self.header))
        self.assertEqual(
            [r[:2] for r in rows[1:]], [("21649", "Xã Hoài Châu"), ("21646", "Xã Hoài Châu Bắc")]
        )

    def test_the_filled_template_reads_back(self):
        book = load_workbook(BytesIO(survey_template_xlsx(self.round)))
        book.active["C2"] = 4.5
        book.active["C3"] = "3,25"
        out = BytesIO()
        book.save(out)
        values, problems = parse_survey(self.round, out.getvalue())
        self.assertEqual(problems, [])
        self.assertEqual(
            values,
            {(self.chau.pk, self.survey.pk): Decimal("4.5"), (self.bac.pk, self.survey.pk): Decimal("3.25")},
        )

    def test_every_problem_is_named_by_row_and_column_and_nothing_is_kept(self):
        data = xlsx(
            [
                self.header,
                ["21649", "Xã Hoài Châu", 6],
                ["21646", "Xã Hoài Châu Bắc", "nhiều"],
                ["99999", "Xã Lạ", 1],
                ["21961", "Xã Phước Hưng", 1],
                ["21649", "Xã Hoài Châu", -1],
            ]
        )
        values, problems = parse_survey(self.round, data)
        self.assertEqual(values, {})
        where = [(p.row, p.column) for p in problems]
        self.assertEqual(where, [(2, "C"), (3, "C"), (4, "A"), (5, "A"), (6, "A")])
        self.assertIn("ngoài khoảng 0 đến 5,00", problems[0].message)
        self.assertIn("“nhiều” không phải là số", problems[1].message)
        self.assertIn("Mã đơn vị 99999 ở dòng 4 không thuộc đợt đánh giá này", problems[2].message)
        self.assertIn("21961", problems[3].message)
        self.assertIn("đã có ở dòng 2", problems[4].message)

    def test_a_negative_value_is_refused(self):
        values, problems = parse_survey(self.round, xlsx([self.header, ["21649", "x", -1]]))
        self.assertEqual(values, {})
        self.assertIn("-1,00 điểm nằm ngoài khoảng", problems[0].message)

    def test_missing_columns_are_named(self):
        values, problems = parse_survey(self.round, xlsx([["Tên đơn vị"], ["Xã Hoài Châu"]]))
        self.assertEqual(values, {})
        messages = [p.message for p in problems]
        self.assertIn("Thiếu cột “Mã đơn vị”", messages[0])
        self.assertIn("2.2. Khảo sát sự hài lòng", messages[1])

    def test_a_file_that_is_not_an_xlsx_is_refused(self):
        values, problems = parse_survey(self.round, b"Ma don vi;Diem\n21649;4\n", filename="khao-sat.csv")
        self.assertEqual(values, {})
        self.assertIn("“khao-sat.csv” không phải tệp Excel .xlsx", problems[0].message)

    def test_a_code_typed_as_a_number_and_empty_cells_are_fine(self):
        values, problems = parse_survey(
            self.round, xlsx([self.header, [21649, "", 2], [21646, "", None], []])
        )
        self.assertEqual(problems, [])
        self.assertEqual(values, {(self.chau.pk, self.survey.pk): Decimal(2)})
