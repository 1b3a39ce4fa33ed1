"""core.xlsx: the guards every importer of an uploaded .xlsx goes through, and formula-safe text.

The guards' messages for a Biểu 06 file, and the zip bombs, are tested through the importer in
``dossiers/tests/test_importing_refusals.py``; here each public guard is tested on its own.
"""

from __future__ import annotations

import csv
import io
import zipfile
from unittest import mock

from django.test import SimpleTestCase
from openpyxl import Workbook, load_workbook

from core import xlsx

FORMULAS = ("=1+1", "+x", "-x", "@x")


def _xlsx(*rows: tuple) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _zip(members: dict[str, str]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return output.getvalue()


class CheckContainerTests(SimpleTestCase):
    def assertRefused(self, data: bytes, contains: str, filename: str = "") -> xlsx.ImportProblem:
        with self.assertRaises(xlsx.Refused) as caught:
            xlsx.check_container(data, filename)
        problem = caught.exception.problem
        self.assertEqual(
            (problem.sheet, problem.row, problem.column, problem.level), ("", None, None, "error")
        )
        self.assertIn(contains, problem.message)
        return problem

    def test_it_lets_a_plain_xlsx_through(self):
        xlsx.check_container(_xlsx(("Mã", "Nội dung")), "bo-chi-so.xlsx")

    def test_it_refuses_a_file_that_is_not_a_zip(self):
        problem = self.assertRefused(
            b"Ma,Noi dung\n1,Chi dao\n", "không phải tệp Excel .xlsx", "danh-sach.csv"
        )
        self.assertIn("“danh-sach.csv”", problem.message)

    def test_it_speaks_of_the_uploaded_file_when_it_has_no_name(self):
        problem = self.assertRefused(b"%PDF-1.7", "Tệp tải lên không phải tệp Excel .xlsx")
        self.assertNotIn("“", problem.message.split(".xlsx")[0])

    def test_it_refuses_a_corrupt_zip(self):
        data = _xlsx(("Mã", "Nội dung"))
        self.assertRefused(data[: len(data) // 2], "bị hỏng hoặc tải lên chưa trọn vẹn")

    def test_it_refuses_a_zip_that_holds_no_workbook(self):
        self.assertRefused(_zip({"readme.txt": "hello"}), "là tệp nén của loại khác")

    def test_it_refuses_a_password_protected_or_old_excel_file(self):
        self.assertRefused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "được đặt mật khẩu")

    def test_it_refuses_a_file_over_the_limit_it_is_given(self):
        data = _xlsx(("Mã", "Nội dung"))
        with self.assertRaises(xlsx.Refused):
            xlsx.check_container(data, "", max_bytes=len(data) - 1)
        xlsx.check_container(data, "", max_bytes=len(data))


class ReadingTests(SimpleTestCase):
    def test_it_refuses_a_workbook_openpyxl_cannot_open(self):
        data = _zip({"[Content_Types].xml": "<Types", "xl/workbook.xml": "<workbook"})
        with self.assertRaises(xlsx.Refused) as caught:
            xlsx.open_workbook(data, "hong.xlsx", data_only=True)
        self.assertIn("“hong.xlsx” bị hỏng", caught.exception.problem.message)

    def test_it_numbers_the_rows_blank_ones_included(self):
        book = xlsx.open_workbook(_xlsx(("a", 1), (None, None), ("b", 2)), "", data_only=True)
        try:
            rows = list(xlsx.iter_rows(book.worksheets[0], ""))
        finally:
            book.close()
        self.assertEqual([number for number, _values in rows], [1, 2, 3])
        self.assertEqual((rows[0][1], rows[2][1]), (("a", 1), ("b", 2)))
        self.assertFalse(any(value is not None for value in rows[1][1]))  # short or empty when blank

    def test_it_refuses_a_sheet_past_the_row_limit(self):
        book = xlsx.open_workbook(_xlsx(*[("x",)] * 5), "", data_only=True)
        try:
            with mock.patch.object(xlsx, "MAX_ROWS", 3), self.assertRaises(xlsx.Refused) as caught:
                list(xlsx.iter_rows(book.worksheets[0], ""))
        finally:
            book.close()
        self.assertIn("vượt quá giới hạn 3 dòng", caught.exception.problem.message)
        self.assertEqual(caught.exception.problem.sheet, "Sheet")

    def test_it_tells_a_formula_from_a_value(self):
        self.assertTrue(xlsx.is_formula("=SUM(A1:A3)"))
        self.assertFalse(xlsx.is_formula("SUM"))
        self.assertFalse(xlsx.is_formula(3))


class FormulaSafeTextTests(SimpleTestCase):
    def test_csv_text_prefixes_what_a_spreadsheet_would_run(self):
        for text in FORMULAS:
            with self.subTest(text=text):
                self.assertEqual(xlsx.csv_text(text), f"'{text}")
        self.assertEqual(xlsx.csv_text("Xã Hoài Châu"), "Xã Hoài Châu")

    def test_csv_text_survives_a_round_trip_through_csv(self):
        buffer = io.StringIO(newline="")
        csv.writer(buffer).writerow([xlsx.csv_text(text) for text in FORMULAS])
        self.assertEqual(next(csv.reader(io.StringIO(buffer.getvalue()))), [f"'{t}" for t in FORMULAS])

    def test_put_text_stores_formula_like_text_as_text(self):
        book = Workbook()
        for row, text in enumerate((*FORMULAS, "Hộ tịch"), start=1):
            xlsx.put_text(book.active.cell(row=row, column=1), text)
        output = io.BytesIO()
        book.save(output)

        for data_only in (False, True):
            cells = [row[0] for row in load_workbook(output, data_only=data_only).active.iter_rows()]
            self.assertEqual([cell.value for cell in cells], [*FORMULAS, "Hộ tịch"])
            self.assertEqual({cell.data_type for cell in cells}, {"s"})
            self.assertEqual([cell.quotePrefix for cell in cells], [True, True, True, True, False])

    def test_put_text_drops_characters_an_xlsx_cannot_hold(self):
        cell = Workbook().active.cell(row=1, column=1)
        xlsx.put_text(cell, "Hộ\x00 tịch\x07")
        self.assertEqual(cell.value, "Hộ tịch")
