"""accounts.importing.reading: users files as people type them, and files that cannot be read."""

from __future__ import annotations

import io
import zipfile

from django.test import SimpleTestCase
from openpyxl import Workbook

from accounts.importing import UsersFile, read_users_file
from accounts.importing.reading import (
    CODE,
    EMAIL,
    FULL_NAME,
    PHONE,
    POSITION,
    ROLE,
    UNIT,
    USERNAME,
    header_key,
)

from .users_files import HEADER, users_xlsx


class HeaderTests(SimpleTestCase):
    def test_header_texts_are_read_whatever_their_case_accents_and_spacing(self):
        spellings = {
            FULL_NAME: ("Họ và tên", "HỌ VÀ TÊN", "Ho va ten", "Họ, tên", "  họ   tên "),
            CODE: ("Mã xã", "MÃ ĐVHC", "Ma xa", "Mã đơn vị"),
            UNIT: ("Tên xã, phường", "Xã/Phường", "ĐƠN VỊ", "Xã, phường, đặc khu"),
            POSITION: ("Chức vụ", "CHỨC DANH"),
            ROLE: ("Vai trò", "VAI TRÒ (Công chức / Chủ tịch)"),
            EMAIL: ("Email", "E-mail", "Thư điện tử", "EMAIL (nếu có)"),
            PHONE: ("Điện thoại", "Số điện thoại", "SĐT", "Điện thoại di động"),
            USERNAME: ("Tên đăng nhập", "TÊN ĐĂNG NHẬP (để trống: tự tạo)", "Tài khoản"),
        }
        for key, texts in spellings.items():
            for text in texts:
                with self.subTest(text=text):
                    self.assertEqual(header_key(text), key)
        for text in ("STT", "Ghi chú", "", "  "):
            with self.subTest(text=text):
                self.assertIsNone(header_key(text))

    def test_the_header_is_found_below_title_rows_in_any_column_order(self):
        header = ("Vai trò", "Email", "Họ và tên", "Ghi chú", "Tên xã", "Điện thoại")
        data = users_xlsx([("Chủ tịch", "", "Trần Văn Bình", "", "Tam Quan", "0912345678")], header=header)
        users = read_users_file(data)
        self.assertTrue(users.readable)
        self.assertEqual(users.header_row, 4)
        self.assertEqual(
            {key: column.letter for key, column in users.columns.items()},
            {ROLE: "A", EMAIL: "B", FULL_NAME: "C", UNIT: "E", PHONE: "F"},
        )
        self.assertEqual(users.columns[UNIT].label, "E (Tên xã)")
        self.assertEqual(users.rows[0].row, 5)
        self.assertEqual(
            users.rows[0].cells,
            {ROLE: "Chủ tịch", FULL_NAME: "Trần Văn Bình", UNIT: "Tam Quan", PHONE: "0912345678"},
        )

    def test_a_sheet_without_the_header_is_passed_over_for_the_next(self):
        data = users_xlsx(
            [("", "21637", "Phường Tam Quan", "Đặng Thị Kim", "", "Công chức")],
            sheets_before=[[("Hướng dẫn điền",), ("Họ và tên: ghi đầy đủ",)]],
        )
        users = read_users_file(data)
        self.assertEqual(users.sheet, "Danh sách")
        self.assertEqual(len(users.rows), 1)

    def test_a_second_header_row_under_a_merged_group_is_read(self):
        book_rows = [("", "", "", "", "", "", "Email", "Điện thoại")]
        data = users_xlsx(
            [
                *book_rows,
                ("1", "21637", "Tam Quan", "Đặng Thị Kim", "", "Công chức", "kim@gialai.gov.vn", ""),
            ],
            header=("STT", "Mã xã", "Tên xã", "Họ và tên", "Chức vụ", "Vai trò", "Thông tin liên hệ", ""),
            title_rows=[("DANH SÁCH",)],
        )
        users = read_users_file(data)
        self.assertEqual(users.columns[EMAIL].letter, "G")
        self.assertEqual(users.columns[PHONE].letter, "H")
        self.assertEqual([r.row for r in users.rows], [4])
        self.assertEqual(users.rows[0].get(EMAIL), "kim@gialai.gov.vn")

    def test_a_column_named_twice_is_read_once_with_a_warning(self):
        header = (*HEADER, "Điện thoại cơ quan")
        users = read_users_file(
            users_xlsx([("", "21637", "", "An", "", "Công chức", "", "0912345678", "02563")], header=header)
        )
        self.assertEqual(users.columns[PHONE].letter, "H")
        self.assertEqual([p.level for p in users.problems], ["warning"])
        self.assertIn("Cột I (Điện thoại cơ quan) và cột H (Điện thoại)", users.problems[0].message)

    def test_a_file_without_an_email_column_says_everyone_gets_a_one_time_password(self):
        header = ("Mã xã", "Họ và tên", "Vai trò")
        users = read_users_file(users_xlsx([("21637", "Đặng Thị Kim", "Công chức")], header=header))
        self.assertTrue(users.readable)
        self.assertEqual([p.level for p in users.problems], ["warning"])
        self.assertIn("mật khẩu dùng một lần", users.problems[0].message)


class RowTests(SimpleTestCase):
    def test_codes_typed_as_numbers_come_back_as_digits_and_phones_get_their_zero_back(self):
        data = users_xlsx(
            [
                (
                    1,
                    21637,
                    "Phường Tam Quan ",
                    "  Đặng Thị   Kim ",
                    "Công chức VP ",
                    "Công chức ",
                    " kim@gialai.gov.vn ",
                    912345678,
                ),
                (2, 4.0, "Ba Đình", "Lê Văn Tư", "", "Chủ tịch", "", 2563822123),
                (3, "21637", "Tam Quan", "Nguyễn An", "", "Chủ tịch", "", "0912 345 678"),
            ]
        )
        rows = read_users_file(data).rows
        self.assertEqual(rows[0].get(CODE), "21637")
        self.assertEqual(rows[0].get(UNIT), "Phường Tam Quan")
        self.assertEqual(rows[0].get(FULL_NAME), "Đặng Thị Kim")
        self.assertEqual(rows[0].get(EMAIL), "kim@gialai.gov.vn")
        self.assertEqual(rows[0].get(PHONE), "0912345678")
        self.assertEqual(rows[1].get(CODE), "4")
        self.assertEqual(rows[1].get(PHONE), "02563822123")
        self.assertEqual(rows[2].get(PHONE), "0912 345 678")

    def test_rows_without_a_person_are_passed_over(self):
        data = users_xlsx(
            [
                ("(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"),
                (1, "21637", "Phường Tam Quan", "Đặng Thị Kim", "", "Công chức"),
                (2, "21637", "Phường Tam Quan", "", "", "Chủ tịch"),  # the template's row, not filled
                (),
                (None, None, None, "   "),
                (
                    3,
                    "21610",
                    "Phường Hoài Nhơn Bắc",
                    "",
                    "",
                    "Chủ tịch",
                    "",
                    "0912345678",
                ),  # a phone: a person
                ("Ghi chú: danh sách gồm 2 người",),
            ]
        )
        users = read_users_file(data)
        self.assertEqual([r.row for r in users.rows], [6, 10])

    def test_the_payload_gives_back_the_same_file(self):
        users = read_users_file(users_xlsx([(1, 21637, "Tam Quan", "Đặng Thị Kim", "", "Công chức")]))
        again = UsersFile.from_payload(users.to_payload())
        self.assertEqual(again, users)


class RefusalTests(SimpleTestCase):
    def assert_refused(self, data: bytes, *fragments: str, filename: str = "tai-khoan.xlsx") -> None:
        users = read_users_file(data, filename=filename)
        self.assertFalse(users.readable)
        self.assertEqual(users.rows, [])
        self.assertEqual(len(users.problems), 1)
        for fragment in fragments:
            self.assertIn(fragment, users.problems[0].message)

    def test_a_file_that_is_not_xlsx_is_refused(self):
        self.assert_refused(
            b"Ho va ten;Vai tro\nAn;Cong chuc\n", "không phải tệp Excel .xlsx", "tai-khoan.xlsx"
        )

    def test_a_password_protected_file_is_refused(self):
        self.assert_refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "đặt mật khẩu")

    def test_a_corrupt_file_is_refused(self):
        data = users_xlsx([(1, 21637, "Tam Quan", "An", "", "Công chức")])
        self.assert_refused(data[: len(data) // 2], "bị hỏng")

    def test_a_zip_that_is_not_a_workbook_is_refused(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "<w/>")
        self.assert_refused(buffer.getvalue(), "tệp nén của loại khác")

    def test_an_empty_workbook_is_refused(self):
        buffer = io.BytesIO()
        Workbook().save(buffer)
        self.assert_refused(buffer.getvalue(), "Không tìm thấy dòng tiêu đề", "“Họ và tên”", "“Vai trò”")

    def test_a_file_without_the_header_is_refused(self):
        data = users_xlsx([("An", "Công chức")], header=("Người", "Việc"))
        self.assert_refused(data, "Không tìm thấy dòng tiêu đề", "tệp mẫu")

    def test_a_header_without_anyone_below_is_refused(self):
        data = users_xlsx([(1, "21637", "Phường Tam Quan", "", "", "Công chức")])
        self.assert_refused(data, "dòng 4", "không có tài khoản nào để tạo")
