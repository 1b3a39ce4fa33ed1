"""dossiers.importing: the files refused whole (not an .xlsx, corrupt, too large, a zip bomb, no
Biểu 06 header), with one problem that says why."""

from __future__ import annotations

import io
import re
import zipfile
from unittest import mock

from openpyxl import Workbook

from core import xlsx
from dossiers import importing

from .test_importing_fixtures import SHEET, ImportTestCase, build, line, parse, rewrite_member


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
