"""Reading Excel lists of plan tasks and documents: cells as communes type them, headers found below
a title block, every problem named by row and column, and nothing read from a file that is not a
plain .xlsx."""

from __future__ import annotations

import datetime
from io import BytesIO

from django.test import SimpleTestCase
from openpyxl import Workbook

from communes.models import Office
from core.testing import PortalTestCase
from reports.imports import (
    CellProblem,
    document_type_from_symbol,
    document_type_from_text,
    normalise_symbol,
    read_date,
    read_documents,
    read_plan_tasks,
    read_yes_no,
)


def book_bytes(*sheets: tuple[str, list]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class CellTests(SimpleTestCase):
    def test_symbols_and_types(self):
        self.assertEqual(normalise_symbol(" 03 / KH - UBND "), "03/KH-UBND")
        self.assertEqual(document_type_from_symbol("03/KH-UBND"), "KH")
        self.assertEqual(document_type_from_symbol("12/QD-UBND"), "QĐ")
        self.assertEqual(document_type_from_symbol("08/KH-UBND-VH"), "KH")
        self.assertEqual(document_type_from_symbol("15/TTr-UBND"), "TTr")
        self.assertEqual(document_type_from_symbol("12/UBND-VP"), "CV")
        self.assertEqual(document_type_from_symbol("25/CTr-UBND"), "CTr")
        self.assertIsNone(document_type_from_symbol("148"))
        self.assertEqual(document_type_from_text("Quyết định"), "QĐ")
        self.assertEqual(document_type_from_text("quyet dinh"), "QĐ")
        self.assertEqual(document_type_from_text("kh"), "KH")
        self.assertIsNone(document_type_from_text("Thư"))

    def test_dates(self):
        self.assertEqual(read_date("26/1/2021"), datetime.date(2021, 1, 26))
        self.assertEqual(read_date("26-01-2021"), datetime.date(2021, 1, 26))
        self.assertEqual(read_date("2021-01-26"), datetime.date(2021, 1, 26))
        self.assertEqual(read_date(datetime.datetime(2021, 1, 26, 0, 0)), datetime.date(2021, 1, 26))
        self.assertIsNone(read_date("  "))
        for bad in ("31/02/2021", "tháng 1", 44222, "01/01/1990"):
            with self.subTest(bad=bad), self.assertRaises(CellProblem):
                read_date(bad)

    def test_yes_no(self):
        for yes in ("có", "Có", "x", "Đã hoàn thành", True):
            self.assertTrue(read_yes_no(yes))
        for no in ("không", None, "", "chưa", False):
            self.assertFalse(read_yes_no(no))
        with self.assertRaises(CellProblem):
            read_yes_no("có lẽ")


class ReadTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.vp = Office.objects.create(unit=cls.hoai_chau, name="Văn phòng - Thống kê")

    def test_the_header_may_stand_on_a_later_sheet_below_a_title(self):
        data = book_bytes(
            ("Hướng dẫn", [["Điền danh sách ở trang sau"]]),
            (
                "DS",
                [
                    ["UBND XÃ HOÀI CHÂU"],
                    ["Danh sách nhiệm vụ"],
                    ["TT", "Nội dung nhiệm vụ", "Bộ phận thực hiện"],
                    [1, "Việc một", "VĂN PHÒNG THỐNG KÊ"],
                ],
            ),
        )
        result = read_plan_tasks(data, "ds.xlsx", unit=self.hoai_chau)
        self.assertTrue(result.ok, result.problems)
        self.assertEqual(result.rows[0].office, self.vp)

    def test_no_header_is_one_problem_naming_the_columns(self):
        result = read_documents(book_bytes(("S", [["a", "b"], [1, 2]])), "x.xlsx", unit=self.hoai_chau)
        self.assertFalse(result.ok)
        self.assertEqual(len(result.problems), 1)
        self.assertIn("“Số, ký hiệu”", result.problems[0].message)

    def test_an_empty_list_is_a_problem(self):
        result = read_plan_tasks(
            book_bytes(("S", [["STT", "Nhiệm vụ"], [None, None]])), "x.xlsx", unit=self.hoai_chau
        )
        self.assertFalse(result.ok)
        self.assertIn("không có nhiệm vụ", result.problems[0].message)

    def test_an_old_xls_or_a_password_file_is_refused_before_reading(self):
        result = read_documents(b"\xd0\xcf\x11\xe0" + b"\0" * 100, "cu.xls", unit=self.hoai_chau)
        self.assertFalse(result.ok)
        self.assertIn("mật khẩu", result.problems[0].message)

    def test_problems_carry_sheet_row_and_column(self):
        data = book_bytes(
            ("Sổ", [["Trích yếu", "Số, ký hiệu", "Ngày ban hành"], ["", "03/KH-UBND", "hôm nay"]])
        )
        result = read_documents(data, "so.xlsx", unit=self.hoai_chau)
        self.assertEqual(
            {(p.sheet, p.row, p.column) for p in result.problems}, {("Sổ", 2, "A"), ("Sổ", 2, "C")}
        )
