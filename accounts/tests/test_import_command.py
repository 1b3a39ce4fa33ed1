"""``manage.py import_users FILE.xlsx [--dry-run] [--province CODE]``."""

from __future__ import annotations

import datetime
import tempfile
from io import StringIO
from pathlib import Path

import time_machine
from django.core.management import CommandError, call_command

from communes.models import Era, Kind, Level, Membership, User
from core.testing import make_unit, make_user

from .users_files import HEADER, GiaLaiTestCase, row, users_xlsx

NOW = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC)
ROWS = [
    row(21637, "", "Đặng Thị Kim", "Công chức Văn phòng", "Công chức", "kim@gialai.gov.vn"),
    row(21637, "", "Nguyễn Hữu Phước", "Chủ tịch UBND phường", "Chủ tịch"),
    row(19366, "", "Hoàng Thị Lan", "Công chức", "Công chức"),
]


@time_machine.travel(NOW, tick=False)
class ImportUsersCommandTests(GiaLaiTestCase):
    def run_command(self, rows, *args, header=None):
        extra = {"header": header} if header else {}
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "tai-khoan.xlsx"
            path.write_bytes(users_xlsx(rows, **extra))
            out, err = StringIO(), StringIO()
            try:
                call_command("import_users", str(path), *args, stdout=out, stderr=err)
            except CommandError as error:
                return error, out.getvalue(), err.getvalue()
        return None, out.getvalue(), err.getvalue()

    def test_without_a_province_it_imports_communes_of_the_whole_country(self):
        error, out, err = self.run_command(ROWS)
        self.assertIsNone(error, err)
        self.assertEqual(
            set(
                Membership.objects.filter(
                    user__username__in=["tamquan.canbo", "tamquan.chutich", "giolinh.canbo"]
                ).values_list("user__username", "unit__code")
            ),
            {("tamquan.canbo", "21637"), ("tamquan.chutich", "21637"), ("giolinh.canbo", "19366")},
        )
        # The one-time passwords of the two without email, one line each, that log them in.
        lines = [line.split("\t") for line in out.splitlines() if line.count("\t") == 3][1:]
        self.assertEqual(
            [(unit, name, username) for unit, name, username, _password in lines],
            [
                ("Phường Tam Quan", "Nguyễn Hữu Phước", "tamquan.chutich"),
                ("Xã Gio Linh", "Hoàng Thị Lan", "giolinh.canbo"),
            ],
        )
        for _unit, _name, username, password in lines:
            self.assertTrue(User.objects.get(username=username).check_password(password))
        self.assertIn("Đã tạo 3 tài khoản; đã xếp hàng 1 lời mời qua email.", out)
        self.assertIsNone(User.objects.get(username="tamquan.canbo").created_by)

    def test_dry_run_lists_the_accounts_and_saves_nothing(self):
        before = User.objects.count()
        error, out, err = self.run_command(ROWS, "--dry-run")
        self.assertIsNone(error, err)
        self.assertIn(
            "Dòng 5: tamquan.canbo – Đặng Thị Kim – Công chức phụ trách CCHC – Phường Tam Quan – lời mời "
            "qua email",
            out,
        )
        self.assertIn(
            "Tệp hợp lệ: 3 tài khoản (1 nhận lời mời qua email, 2 nhận mật khẩu dùng một lần). Chưa lưu "
            "(--dry-run).",
            out,
        )
        self.assertEqual(User.objects.count(), before)

    def test_with_a_province_a_commune_of_another_is_an_error_and_nothing_is_saved(self):
        before = User.objects.count()
        error, _out, err = self.run_command(ROWS, "--province", "52")
        self.assertEqual(str(error), "Tệp có 1 lỗi; không có tài khoản nào được tạo.")
        self.assertIn(
            "Lỗi Danh sách!B7: Dòng 7, cột B (Mã xã): mã 19366 là Xã Gio Linh thuộc Tỉnh Quảng Trị, không có "
            "trong tỉnh Gia Lai.",
            err,
        )
        self.assertEqual(User.objects.count(), before)
        error, _out, err = self.run_command(ROWS, "--province", "52", "--dry-run")
        self.assertIsNotNone(error)

    def test_every_problem_is_printed_with_its_row_and_column(self):
        make_user("tamquan.canbo")
        error, _out, err = self.run_command(
            [
                row(21637, "", "Đặng Thị Kim", "", "Công chức", "kim@"),
                row(21999, "", "An", "", "Chủ tịch", "", "abc"),
            ]
        )
        self.assertIsNotNone(error)
        self.assertEqual(
            [line.split(":")[0] for line in err.splitlines()],
            ["Lỗi Danh sách!G5", "Lỗi Danh sách!B6", "Lỗi Danh sách!H6"],
        )

    def test_names_must_be_unambiguous_nationwide_without_a_province(self):
        make_unit(Era.CURRENT, Level.COMMUNE, Kind.XA, "19400", "Xã Tam Quan", self.quang_tri)
        rows = [row("", "Tam Quan", "Đặng Thị Kim", "", "Công chức")]
        error, _out, err = self.run_command(rows)
        self.assertIsNotNone(error)
        self.assertIn(
            "có nhiều xã, phường tên “Tam Quan”: Xã Tam Quan (mã 19400, Tỉnh Quảng Trị); Phường Tam Quan (mã "
            "21637, Tỉnh Gia Lai)",
            err,
        )
        error, out, err = self.run_command(rows, "--province", "52")
        self.assertIsNone(error, err)
        self.assertTrue(
            User.objects.filter(username="tamquan.canbo", memberships__unit=self.tam_quan).exists()
        )
        # The province after a comma tells them apart too (Xã Tam Quan's officer needs its own
        # username: tamquan.canbo is Phường Tam Quan's now).
        error, out, err = self.run_command(
            [
                (
                    "",
                    "",
                    "Tam Quan, tỉnh Quảng Trị",
                    "Lê Văn Hùng",
                    "",
                    "Công chức",
                    "",
                    "",
                    "tamquan.qt.canbo",
                )
            ],
            header=(*HEADER, "Tên đăng nhập"),
        )
        self.assertIsNone(error, err)
        self.assertEqual(User.objects.get(username="tamquan.qt.canbo").memberships.get().unit.code, "19400")

    def test_a_province_code_that_is_not_one_and_a_missing_file(self):
        with self.assertRaisesMessage(CommandError, "Không có đơn vị mã 99"):
            call_command("import_users", __file__, "--province", "99")
        with self.assertRaisesMessage(CommandError, "Phường Tam Quan không phải tỉnh"):
            call_command("import_users", __file__, "--province", "21637")
        with self.assertRaisesMessage(CommandError, "Không có tệp"):
            call_command("import_users", "/khong/co/tep.xlsx")

    def test_a_broken_file_is_one_message(self):
        error, _out, err = self.run_command([], header=("Một", "Hai"))
        self.assertIsNotNone(error)
        self.assertIn("Không tìm thấy dòng tiêu đề của danh sách tài khoản trong tệp “tai-khoan.xlsx”", err)
