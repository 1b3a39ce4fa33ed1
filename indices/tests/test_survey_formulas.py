"""The survey-points upload (indices.survey) reports a formula Excel never computed, as the Biểu 06
import does, and refuses points out of range, however large or small, naming the cell (issue 10,
items 3 and 5c). openpyxl writes a formula with no cached value, as a file never opened in Excel."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from core.testing import PortalTestCase
from indices.models import Assessment, Criterion, Score
from indices.survey import parse_survey
from indices.testing import make_framework, make_round

HEADER = ["Mã đơn vị", "Tên đơn vị", "2.2. Khảo sát sự hài lòng (tối đa 5,00)"]
UNCACHED = "chứa công thức chưa có giá trị tính sẵn: hãy mở tệp trong Excel, lưu lại rồi tải lên."


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_cached(data: bytes, cell: str, cached: str, kind: str = "") -> bytes:
    """The same file with the formula of ``cell`` given the cached value Excel would have written."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                start = text.index(f'<c r="{cell}"')
                end = text.index("</c>", start)
                formula = text[text.index("<f>", start) : text.index("</f>", start) + 4]
                attribute = f' t="{kind}"' if kind else ""
                text = text[:start] + f'<c r="{cell}"{attribute}>{formula}<v>{cached}</v>' + text[end:]
                content = text.encode()
            target.writestr(info.filename, content)
    return out.getvalue()


class SurveyFormulaTests(PortalTestCase):
    def setUp(self):
        self.framework = make_framework(self.binh_dinh)
        self.round = make_round(self.framework, self.hoai_nhon)
        self.survey = Criterion.objects.get(framework=self.framework, code="2.2")
        self.chau = Assessment.objects.get(round=self.round, unit=self.hoai_chau)
        self.bac = Assessment.objects.get(round=self.round, unit=self.hoai_chau_bac)

    def where(self, problems):
        return [(p.row, p.column) for p in problems]

    def test_a_formula_without_a_cached_value_is_reported_not_skipped(self):
        data = xlsx([HEADER, ["21649", "Xã Hoài Châu", "=2+2"], ["21646", "Xã Hoài Châu Bắc", 3]])
        values, problems = parse_survey(self.round, data)
        self.assertEqual(values, {})
        self.assertEqual(self.where(problems), [(2, "C")])
        self.assertEqual(problems[0].message, f"Ô C2 (Xã Hoài Châu, tiêu chí 2.2) {UNCACHED}")

    def test_a_formula_in_the_code_column_is_reported(self):
        data = xlsx([HEADER, ["=TEXT(21649;0)", "Xã Hoài Châu", 4]])
        values, problems = parse_survey(self.round, data)
        self.assertEqual(values, {})
        self.assertEqual(self.where(problems), [(2, "A")])
        self.assertEqual(problems[0].message, f"Ô A2 {UNCACHED}")

    def test_a_row_of_formulas_only_is_not_taken_for_a_blank_row(self):
        data = xlsx([HEADER, ["=A3", "=B3", "=C3"]])
        values, problems = parse_survey(self.round, data)
        self.assertEqual(values, {})
        self.assertEqual(self.where(problems), [(2, "A")])

    def test_a_formula_with_its_cached_value_counts_with_that_value(self):
        data = with_cached(xlsx([HEADER, ["21649", "Xã Hoài Châu", "=2+2"]]), "C2", "4")
        values, problems = parse_survey(self.round, data)
        self.assertEqual(problems, [])
        self.assertEqual(values, {(self.chau.pk, self.survey.pk): Decimal(4)})

    def test_a_formula_whose_cached_result_is_empty_text_is_an_empty_cell(self):
        data = with_cached(xlsx([HEADER, ["21649", "Xã Hoài Châu", '=IF(1;"";1)']]), "C2", "", kind="str")
        values, problems = parse_survey(self.round, data)
        self.assertEqual((values, problems), ({}, []))

    def test_the_upload_page_shows_the_formula_problem_and_saves_nothing(self):
        self.login(self.reviewer)
        data = xlsx([HEADER, ["21649", "Xã Hoài Châu", "=2+2"]])
        response = self.client.post(
            reverse("indices:round_survey_upload", args=[self.round.pk]),
            {"file": SimpleUploadedFile("khao-sat.xlsx", data)},
        )
        self.assertContains(response, f"Ô C2 (Xã Hoài Châu, tiêu chí 2.2) {UNCACHED}", status_code=400)
        self.assertFalse(Score.objects.filter(criterion=self.survey, appraised_score__isnull=False).exists())


class SurveyRangeTests(PortalTestCase):
    def setUp(self):
        self.framework = make_framework(self.binh_dinh)
        self.round = make_round(self.framework, self.hoai_nhon)

    def test_points_out_of_range_are_refused_naming_the_cell(self):
        for typed, shown in (
            (-1, "-1,00 điểm nằm ngoài khoảng 0 đến 5,00"),
            (5.25, "5,25 điểm nằm ngoài khoảng 0 đến 5,00"),
            (1e300, "điểm nằm ngoài khoảng 0 đến 5,00"),
            ("1e40", "“1e40” điểm nằm ngoài khoảng 0 đến 5,00"),
            ("9" * 5000, "điểm nằm ngoài khoảng 0 đến 5,00"),
            ("-1E+999999", "điểm nằm ngoài khoảng 0 đến 5,00"),
            (3000000000, "điểm nằm ngoài khoảng 0 đến 5,00"),
        ):
            with self.subTest(typed=str(typed)[:20]):
                values, problems = parse_survey(self.round, xlsx([HEADER, ["21649", "x", typed]]))
                self.assertEqual(values, {})
                self.assertEqual([(p.row, p.column) for p in problems], [(2, "C")])
                self.assertIn("Ô C2 (Xã Hoài Châu, tiêu chí 2.2)", problems[0].message)
                self.assertIn(shown, problems[0].message)
                self.assertLess(len(problems[0].message), 200)

    def test_points_too_small_to_store_are_refused_not_rounded_to_zero(self):
        for typed in ("1e-9999999", "0.001", "2.2500000001"):
            with self.subTest(typed=typed):
                values, problems = parse_survey(self.round, xlsx([HEADER, ["21649", "x", typed]]))
                self.assertEqual(values, {})
                self.assertEqual([(p.row, p.column) for p in problems], [(2, "C")])
