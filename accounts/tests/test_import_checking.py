"""accounts.importing: each row's unit, role and username, the rows against each other and against
the portal's accounts. Every bad input through the upload page too: 400, its message by row and
column, nothing saved."""

from __future__ import annotations

import datetime

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.importing import read_users_file, users_review
from communes.models import Era, Kind, Level, Membership, Role, User
from core.testing import make_unit, make_user

from .users_files import GiaLaiTestCase, row, users_xlsx

TODAY = datetime.date(2026, 12, 3)


def review(rows, *, province, header=None, today=TODAY):
    extra = {"header": header} if header else {}
    return users_review(read_users_file(users_xlsx(rows, **extra)), province=province, today=today)


class PlanTests(GiaLaiTestCase):
    def test_codes_names_and_roles_give_the_accounts_with_generated_usernames(self):
        checked = review(
            [
                row(
                    21637,
                    "Phường Tam Quan",
                    "Đặng Thị Kim",
                    "Công chức VP",
                    "Công chức phụ trách CCHC",
                    "kim@gialai.gov.vn",
                ),
                row("", "Tam Quan", "Nguyễn Hữu Phước", "Chủ tịch UBND phường", "Chủ tịch"),
                row("", "tam quan", "Trần Văn An", "Phó Chủ tịch UBND phường", "Phó Chủ tịch"),
                row(21637, "", "Lê Thị Bé", "", "Cán bộ"),
                row("", "P. Hoài Nhơn Bắc", "Võ Đình Khải", "", "CHU TICH"),
                row(52, "", "Trương Văn Lực", "Chuyên viên Sở Nội vụ", "Thẩm định", "luc@gialai.gov.vn"),
                row("", "", "Phan Thị Hoa", "Chuyên viên", "Sở Nội vụ"),
            ],
            province=self.gia_lai,
        )
        self.assertEqual(checked.errors, [])
        plan = [
            (a.username, a.generated, a.unit.name, [m.role for m in a.memberships], a.invited)
            for a in checked.accounts
        ]
        self.assertEqual(
            plan,
            [
                ("tamquan.canbo", True, "Phường Tam Quan", [Role.OFFICER], True),
                ("tamquan.chutich", True, "Phường Tam Quan", [Role.CHAIRMAN], False),
                ("tamquan.phochutich", True, "Phường Tam Quan", [Role.CHAIRMAN], False),
                ("tamquan.canbo2", True, "Phường Tam Quan", [Role.OFFICER], False),
                ("hoainhonbac.chutich", True, "Phường Hoài Nhơn Bắc", [Role.CHAIRMAN], False),
                ("gialai.sonoivu", True, "Tỉnh Gia Lai", [Role.REVIEWER], True),
                ("gialai.sonoivu2", True, "Tỉnh Gia Lai", [Role.REVIEWER], False),
            ],
        )
        self.assertEqual((checked.invitations, checked.one_time_passwords), (2, 5))

    def test_a_code_whose_zeros_excel_dropped_is_padded(self):
        ba_dinh = make_unit(Era.CURRENT, Level.COMMUNE, Kind.PHUONG, "00004", "Phường Ba Đình", self.gia_lai)
        checked = review([row(4, "", "Lê Văn Tư", "", "Công chức")], province=self.gia_lai)
        self.assertEqual(checked.errors, [])
        self.assertEqual(checked.accounts[0].unit, ba_dinh)
        self.assertEqual(checked.accounts[0].username, "badinh.canbo")

    def test_a_given_username_is_kept_and_not_generated_twice(self):
        header = ("Mã xã", "Họ và tên", "Vai trò", "Email", "Tên đăng nhập")
        checked = review(
            [
                ("21637", "Đặng Thị Kim", "Công chức", "", "tamquan.canbo"),
                ("21637", "Lê Thị Bé", "Công chức", "", ""),
            ],
            province=self.gia_lai,
            header=header,
        )
        self.assertEqual(
            [(a.username, a.generated) for a in checked.accounts],
            [("tamquan.canbo", False), ("tamquan.canbo2", True)],
        )

    def test_one_person_on_two_rows_with_one_email_is_one_account_with_two_roles(self):
        checked = review(
            [
                row(21637, "", "Trần Văn An", "Phó Chủ tịch", "Phó Chủ tịch", "an@gialai.gov.vn"),
                row(21610, "", "Trần Văn An", "", "Chủ tịch", "AN@gialai.gov.vn"),
            ],
            province=self.gia_lai,
        )
        self.assertEqual(checked.errors, [])
        self.assertEqual(len(checked.accounts), 1)
        self.assertEqual(
            [m.unit for m in checked.accounts[0].memberships], [self.tam_quan, self.hoai_nhon_bac]
        )

    def test_one_person_may_give_the_same_username_on_each_of_its_rows(self):
        header = ("Mã xã", "Họ và tên", "Vai trò", "Email", "Tên đăng nhập")
        checked = review(
            [
                ("21637", "Trần Văn An", "Phó Chủ tịch", "an@gialai.gov.vn", "an.tran"),
                ("21610", "Trần Văn An", "Chủ tịch", "an@gialai.gov.vn", "an.tran"),
            ],
            province=self.gia_lai,
            header=header,
        )
        self.assertEqual(checked.errors, [])
        self.assertEqual([(a.username, len(a.memberships)) for a in checked.accounts], [("an.tran", 2)])

    def test_without_a_province_codes_are_matched_in_the_whole_country(self):
        checked = review(
            [
                row(21637, "", "Đặng Thị Kim", "", "Công chức"),
                row(19366, "Gio Linh", "Hoàng Lan", "", "Công chức"),
            ],
            province=None,
        )
        self.assertEqual(checked.errors, [])
        self.assertEqual([a.unit for a in checked.accounts], [self.tam_quan, self.gio_linh])

    def test_without_a_province_a_reviewer_names_its_province(self):
        checked = review(
            [row(44, "", "Lê Văn Hùng", "", "Thẩm định"), row("", "Gia Lai", "Trương Lực", "", "Thẩm định")],
            province=None,
        )
        self.assertEqual(checked.errors, [])
        self.assertEqual([a.unit for a in checked.accounts], [self.quang_tri, self.gia_lai])
        missing = review([row("", "", "Lê Văn Hùng", "", "Thẩm định")], province=None)
        self.assertIn("chưa ghi mã hay tên tỉnh", missing.errors[0].message)

    def test_a_commune_closed_since_is_refused_today_and_taken_before(self):
        closed = [row(21661, "", "Đinh Văn Nhân", "", "Công chức")]
        self.assertIn(
            "đã thôi hoạt động từ sau ngày 31/01/2026",
            review(closed, province=self.gia_lai).errors[0].message,
        )
        self.assertEqual(review(closed, province=self.gia_lai, today=datetime.date(2025, 8, 10)).errors, [])

    def test_the_queries_do_not_grow_with_the_rows(self):
        # The scope's communes, the usernames taken, the emails taken.
        rows = [row(21637, "", f"Người {n}", "", "Công chức", f"nguoi{n}@gialai.gov.vn") for n in range(40)]
        for count in (5, 40):
            users = read_users_file(users_xlsx(rows[:count]))
            with self.subTest(count=count), self.assertNumQueries(3):
                self.assertTrue(users_review(users, province=self.gia_lai, today=TODAY).ok)


@time_machine.travel(datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC), tick=False)
class BadInputTests(GiaLaiTestCase):
    """Each bad input of the issue through the upload page: 400, every problem by row and column, no
    confirm button, nothing saved."""

    def setUp(self):
        self.login(self.gia_lai_admin)

    def upload(self, rows, *, header=None):
        users_before, memberships_before = User.objects.count(), Membership.objects.count()
        extra = {"header": header} if header else {}
        data = users_xlsx(rows, **extra)
        response = self.client.post(
            reverse("accounts:import"),
            {"file": SimpleUploadedFile("tai-khoan.xlsx", data), "province": self.gia_lai.pk},
        )
        self.assertEqual(response.status_code, 400)
        self.assertNotContains(response, 'name="payload"', status_code=400)
        self.assertEqual(User.objects.count(), users_before)
        self.assertEqual(Membership.objects.count(), memberships_before)
        return [str(p.message) for p in response.context["review"].errors]

    def assert_one(self, messages, *fragments):
        self.assertEqual(len(messages), 1, messages)
        for fragment in fragments:
            self.assertIn(fragment, messages[0])

    def test_a_duplicate_row(self):
        messages = self.upload(
            [
                row(21637, "Tam Quan", "Đặng Thị Kim", "", "Công chức"),
                row(21637, "Phường Tam Quan", "Đặng thị Kim ", "", "Cán bộ"),
            ]
        )
        self.assert_one(messages, "Dòng 6: trùng dòng 5", "Đặng thị Kim", "Phường Tam Quan")

    def test_the_same_username_twice(self):
        header = ("Mã xã", "Họ và tên", "Vai trò", "Tên đăng nhập")
        messages = self.upload(
            [("21637", "Đặng Thị Kim", "Công chức", "tq.kim"), ("21610", "Võ Khải", "Chủ tịch", "TQ.kim")],
            header=header,
        )
        self.assert_one(messages, "Dòng 6, cột D (Tên đăng nhập)", "“TQ.kim” đã ghi ở dòng 5")

    def test_the_same_email_for_two_people(self):
        messages = self.upload(
            [
                row(21637, "", "Đặng Thị Kim", "", "Công chức", "vanphong@gialai.gov.vn"),
                row(21637, "", "Nguyễn Hữu Phước", "", "Chủ tịch", "vanphong@gialai.gov.vn"),
            ]
        )
        self.assert_one(messages, "Dòng 6, cột G (Email)", "đã ghi cho Đặng Thị Kim ở dòng 5")

    def test_an_unknown_commune(self):
        self.assert_one(
            self.upload([row(21999, "", "An", "", "Công chức")]),
            "Dòng 5, cột B (Mã xã)",
            "không có xã, phường nào mã 21999 trong tỉnh Gia Lai",
        )
        self.assert_one(
            self.upload([row("", "Phường Đống Đa", "An", "", "Công chức")]),
            "Dòng 5, cột C (Tên xã, phường)",
            "không có xã, phường nào tên “Phường Đống Đa” trong tỉnh Gia Lai",
        )
        self.assert_one(self.upload([row("2163x", "", "An", "", "Công chức")]), "“2163x” không phải mã xã")

    def test_a_commune_of_another_province(self):
        self.assert_one(
            self.upload([row(19366, "", "Hoàng Thị Lan", "", "Công chức")]),
            "mã 19366 là Xã Gio Linh thuộc Tỉnh Quảng Trị, không có trong tỉnh Gia Lai",
        )
        self.assert_one(
            self.upload([row("", "Gio Linh", "Hoàng Thị Lan", "", "Công chức")]),
            "“Gio Linh” là Xã Gio Linh (mã 19366, Tỉnh Quảng Trị), không có trong tỉnh Gia Lai",
        )

    def test_a_commune_of_before_the_reform(self):
        self.assert_one(
            self.upload([row(21649, "", "Lê Thị Thu Hà", "", "Công chức")]),
            "mã 21649 là Xã Hoài Châu của trước ngày 01/7/2025, nay thuộc Phường Tam Quan (mã 21637)",
        )

    def test_an_ambiguous_name_lists_the_candidates(self):
        self.assert_one(
            self.upload([row("", "Hoài Nhơn", "An", "", "Công chức")]),
            "có nhiều xã, phường tên “Hoài Nhơn”",
            "Phường Hoài Nhơn (mã 21607, Tỉnh Gia Lai)",
            "Xã Hoài Nhơn (mã 21634, Tỉnh Gia Lai)",
        )

    def test_a_code_and_a_name_that_disagree(self):
        self.assert_one(
            self.upload([row(21637, "Hoài Nhơn Bắc", "An", "", "Công chức")]),
            "Dòng 5, cột C (Tên xã, phường): mã 21637 (cột B) là Phường Tam Quan",
            "nhưng tên ghi “Hoài Nhơn Bắc”",
        )

    def test_a_bad_email(self):
        self.assert_one(
            self.upload([row(21637, "", "An", "", "Công chức", "an@gialai")]),
            "Dòng 5, cột G (Email): “an@gialai” không phải địa chỉ email hợp lệ",
        )

    def test_an_existing_username(self):
        make_user("tamquan.canbo")
        self.assert_one(
            self.upload([row(21637, "", "Đặng Thị Kim", "", "Công chức")]),
            "Dòng 5: tên đăng nhập tự tạo “tamquan.canbo” đã có trên cổng",
            "thêm cột “Tên đăng nhập”",
        )
        header = ("Mã xã", "Họ và tên", "Vai trò", "Tên đăng nhập")
        self.assert_one(
            self.upload([("21637", "Đặng Thị Kim", "Công chức", "Officer")], header=header),
            "Dòng 5, cột D (Tên đăng nhập): tên đăng nhập “Officer” đã có trên cổng",
        )

    def test_an_email_used_by_another_account(self):
        make_user("kim", email="Kim@GiaLai.gov.vn")
        self.assert_one(
            self.upload([row(21637, "", "Đặng Thị Kim", "", "Công chức", "kim@gialai.gov.vn")]),
            "Dòng 5, cột G (Email): email kim@gialai.gov.vn đã dùng cho một tài khoản khác",
        )

    def test_a_role_that_does_not_fit_the_unit(self):
        self.assert_one(
            self.upload([row(52, "", "An", "", "Công chức")]),
            "Dòng 5, cột F (Vai trò)",
            "chỉ giao cho xã, phường, không cho Tỉnh Gia Lai",
        )
        self.assert_one(
            self.upload([row(21637, "", "An", "", "Thẩm định")]),
            "Dòng 5, cột F (Vai trò)",
            "chỉ giao cho tỉnh, không cho Phường Tam Quan",
        )

    def test_an_unknown_role_and_the_administrator_role(self):
        self.assert_one(
            self.upload([row(21637, "", "An", "", "Thủ quỹ")]), "“Thủ quỹ” không phải vai trò", "“Công chức”"
        )
        self.assert_one(
            self.upload([row(52, "", "An", "", "Quản trị viên")]),
            "vai trò quản trị viên không tạo được từ tệp",
        )
        self.assert_one(
            self.upload([row(21637, "", "An", "", "")]), "Dòng 5, cột F (Vai trò): chưa ghi vai trò"
        )

    def test_a_missing_name(self):
        self.assert_one(
            self.upload([row(21637, "", "", "Công chức VP", "Công chức", "kim@gialai.gov.vn")]),
            "Dòng 5, cột D (Họ và tên): chưa ghi họ và tên",
        )

    def test_an_unreadable_phone(self):
        self.assert_one(
            self.upload([row(21637, "", "An", "", "Công chức", "", "0912 345 678 / 0256")]),
            "Dòng 5, cột H (Điện thoại): không đọc được số điện thoại",
        )
        self.assert_one(
            self.upload([row(21637, "", "An", "", "Công chức", "", "12")]),
            "không đọc được số điện thoại “12”",
        )

    def test_a_bad_given_username(self):
        header = ("Mã xã", "Họ và tên", "Vai trò", "Tên đăng nhập")
        self.assert_one(
            self.upload([("21637", "An", "Công chức", "tam quan")], header=header),
            "tên đăng nhập “tam quan” không hợp lệ",
        )

    def test_every_problem_of_a_file_is_listed_in_row_order(self):
        messages = self.upload(
            [
                row(21637, "", "Đặng Thị Kim", "", "Công chức", "kim@"),
                row(21999, "", "", "Chuyên viên", "Thẩm định"),
                row(21637, "", "An", "", "Thủ quỹ", "", "abc"),
            ]
        )
        self.assertEqual(
            [m.split(":")[0] for m in messages],
            [
                "Dòng 5, cột G (Email)",
                "Dòng 6, cột B (Mã xã)",
                "Dòng 6, cột D (Họ và tên)",
                "Dòng 7, cột F (Vai trò)",
                "Dòng 7, cột H (Điện thoại)",
            ],
        )

    def test_a_duplicate_of_a_row_with_a_problem_of_its_own_is_listed_too(self):
        messages = self.upload(
            [
                row(21637, "Phường Tam Quan", "Đặng Thị Kim", "", "Công chức", "kim@gialai"),
                row(21637, "Tam Quan", "Đặng Thị Kim", "", "Cán bộ", "kim@gialai"),
            ]
        )
        self.assertEqual(len(messages), 3, messages)
        self.assertIn("Dòng 6: trùng dòng 5", messages[1])

    def test_a_broken_file_is_one_clear_message(self):
        users_before = User.objects.count()
        response = self.client.post(
            reverse("accounts:import"),
            {"file": SimpleUploadedFile("danh-sach.csv", b"a;b\n"), "province": self.gia_lai.pk},
        )
        self.assertContains(response, "Tệp “danh-sach.csv” không phải tệp Excel .xlsx", status_code=400)
        self.assertEqual(User.objects.count(), users_before)
