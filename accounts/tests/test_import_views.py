"""The import page: who opens it, its preview and confirmation, the hand-over sheet, the stale and
forged confirmations; the invitations mailed after the commit."""

from __future__ import annotations

import datetime
import re
from unittest import mock

import time_machine
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.importing import read_users_file, users_import
from accounts.models import Invitation
from accounts.views.importing import IMPORT_SALT
from communes.models import Membership, Role, User
from core.testing import make_user

from .users_files import GiaLaiTestCase, row, users_xlsx

NOW = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC)
TODAY = NOW.date()
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
IMPORT = reverse("accounts:import")
TEMPLATE = reverse("accounts:import_template")

FILE_ROWS = [
    row(
        21637,
        "Phường Tam Quan",
        "Đặng Thị Kim",
        "Công chức Văn phòng",
        "Công chức",
        "kim@gialai.gov.vn",
        "0912345678",
    ),
    row(21637, "Phường Tam Quan", "Nguyễn Hữu Phước", "Chủ tịch UBND phường", "Chủ tịch"),
    row(21610, "", "Võ Đình Khải", "Chủ tịch UBND phường", "Chủ tịch", "", "0256 3861 234"),
    row(52, "", "Trương Văn Lực", "Chuyên viên Sở Nội vụ", "Thẩm định", "luc@gialai.gov.vn"),
]
NON_ADMINISTRATORS = (
    "officer",
    "chairman",
    "neighbour",
    "reviewer",
    "province_reviewer",
    "new_officer",
    "outsider",
)


@time_machine.travel(NOW, tick=False)
class AccessTests(GiaLaiTestCase):
    def test_the_import_page(self):
        matrix = {"anonymous": 302, **dict.fromkeys(NON_ADMINISTRATORS, 403)}
        # Bình Định's administrator administers a province of before the reform: no account is
        # created there any more.
        matrix |= {"administrator": 403, "gia_lai_admin": 200, "quang_tri_admin": 200, "superuser": 200}
        self.assert_access_matrix(IMPORT, matrix)
        self.assert_access_matrix(
            f"{IMPORT}?province={self.gia_lai.pk}",
            {"gia_lai_admin": 200, "quang_tri_admin": 404, "superuser": 200, "administrator": 403},
        )

    def test_the_template(self):
        matrix = {"anonymous": 302, **dict.fromkeys(NON_ADMINISTRATORS, 403)}
        matrix |= {"administrator": 403, "gia_lai_admin": 200, "quang_tri_admin": 200, "superuser": 200}
        self.assert_access_matrix(TEMPLATE, matrix)
        self.assert_access_matrix(
            f"{TEMPLATE}?province={self.gia_lai.pk}",
            {"gia_lai_admin": 200, "quang_tri_admin": 404, "superuser": 200},
        )

    def test_the_upload(self):
        data = users_xlsx(FILE_ROWS)
        for persona, expected in {
            "anonymous": 302,
            **dict.fromkeys(NON_ADMINISTRATORS, 403),
            "administrator": 403,
            "quang_tri_admin": 404,  # another province's administrator, posting Gia Lai's id
        }.items():
            with self.subTest(persona=persona):
                self.client.logout()
                if persona != "anonymous":
                    self.login(getattr(self, persona))
                upload = SimpleUploadedFile("tai-khoan.xlsx", data)
                response = self.client.post(IMPORT, {"file": upload, "province": self.gia_lai.pk})
                self.assertEqual(response.status_code, expected)

    def test_the_confirmation(self):
        payload = self.preview_payload(self.gia_lai_admin)
        before = User.objects.count()
        matrix = {
            "anonymous": 302,
            **dict.fromkeys(NON_ADMINISTRATORS, 403),
            "administrator": 403,
            "quang_tri_admin": 404,
            "superuser": 403,  # a preview is its maker's: the superuser did not make this one
        }
        self.assert_access_matrix(
            IMPORT, matrix, method="post", data={"payload": payload, "province": self.gia_lai.pk}
        )
        self.assertEqual(User.objects.count(), before)
        self.assert_access_matrix(
            IMPORT,
            {"gia_lai_admin": 200},
            method="post",
            data={"payload": payload, "province": self.gia_lai.pk},
        )
        self.assertEqual(User.objects.count(), before + len(FILE_ROWS))

    def test_another_provinces_administrator_cannot_use_its_own_preview_for_this_province(self):
        # Quảng Trị's administrator previews a file of Quảng Trị, then posts it with Gia Lai's id
        # (404: not its province), or alters the payload (400: its signature no longer holds).
        self.login(self.quang_tri_admin)
        data = users_xlsx([row(19366, "", "Hoàng Thị Lan", "", "Công chức")])
        response = self.client.post(IMPORT, {"file": SimpleUploadedFile("qt.xlsx", data)})
        self.assertEqual(response.status_code, 200)
        payload = response.context["payload"]
        before = User.objects.count()
        self.assertEqual(
            self.client.post(IMPORT, {"payload": payload, "province": self.gia_lai.pk}).status_code, 404
        )
        forged = payload[:20] + ("A" if payload[20] != "A" else "B") + payload[21:]
        response = self.client.post(IMPORT, {"payload": forged})
        self.assertContains(response, "Bản xem trước đã hết hạn hoặc không hợp lệ", status_code=400)
        self.assertEqual(User.objects.count(), before)

    def test_a_payload_signed_for_another_province_is_refused_even_for_its_administrator(self):
        # An administrator of both provinces: a preview made for Quảng Trị confirmed on Gia Lai's page.
        both = make_user("hai.tinh", (self.gia_lai, Role.ADMINISTRATOR), (self.quang_tri, Role.ADMINISTRATOR))
        users = read_users_file(users_xlsx([row(21637, "", "Đặng Thị Kim", "", "Công chức")]))
        payload = signing.dumps(
            {"user": both.pk, "province": self.quang_tri.pk, "file": users.to_payload()}, salt=IMPORT_SALT
        )
        self.login(both)
        response = self.client.post(IMPORT, {"payload": payload, "province": self.gia_lai.pk})
        self.assertEqual(response.status_code, 403)
        # And confirmed on Quảng Trị's page, its rows are checked again there: Tam Quan is not in it.
        response = self.client.post(IMPORT, {"payload": payload, "province": self.quang_tri.pk})
        self.assertContains(response, "không có trong tỉnh Quảng Trị", status_code=409)
        self.assertFalse(User.objects.filter(full_name="Đặng Thị Kim").exists())

    def test_a_stale_preview_of_an_administrator_who_lost_the_role_is_refused(self):
        payload = self.preview_payload(self.gia_lai_admin)
        Membership.objects.filter(user=self.gia_lai_admin, role=Role.ADMINISTRATOR).delete()
        response = self.client.post(IMPORT, {"payload": payload, "province": self.gia_lai.pk})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(User.objects.filter(full_name="Đặng Thị Kim").exists())

    def preview_payload(self, user) -> str:
        self.login(user)
        upload = SimpleUploadedFile("tai-khoan.xlsx", users_xlsx(FILE_ROWS))
        response = self.client.post(IMPORT, {"file": upload, "province": self.gia_lai.pk})
        self.assertEqual(response.status_code, 200)
        return response.context["payload"]


@time_machine.travel(NOW, tick=False)
@override_settings(TASKS=IMMEDIATE_TASKS)
class PreviewAndConfirmTests(GiaLaiTestCase):
    def setUp(self):
        self.login(self.gia_lai_admin)

    def upload(self, rows, **extra):
        upload = SimpleUploadedFile("tai-khoan.xlsx", users_xlsx(rows, **extra))
        return self.client.post(IMPORT, {"file": upload, "province": self.gia_lai.pk})

    def test_the_preview_shows_what_will_be_created_and_saves_nothing(self):
        before = User.objects.count()
        response = self.upload(FILE_ROWS)
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        for text in (
            "tamquan.canbo",
            "tamquan.chutich",
            "hoainhonbac.chutich",
            "gialai.sonoivu",
            "Đặng Thị Kim",
            "Công chức Văn phòng",
            "Phường Hoài Nhơn Bắc",
            "kim@gialai.gov.vn",
            "0256 3861 234",
            "Gửi lời mời qua email",
            "Mật khẩu dùng một lần",
            "Xác nhận tạo 4 tài khoản",
        ):
            self.assertIn(text, body)
        self.assertEqual(
            re.findall(r'data-delivery="([a-z-]+)"', body),
            ["invitation", "one-time", "one-time", "invitation"],
        )
        self.assertEqual(User.objects.count(), before)

    def test_confirming_creates_every_account_with_its_role_and_shows_the_hand_over_sheet(self):
        payload = self.upload(FILE_ROWS).context["payload"]
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(IMPORT, {"payload": payload, "province": self.gia_lai.pk})
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "accounts/import_result.html")
        created = {u.username: u for u in User.objects.filter(created_by=self.gia_lai_admin)}
        self.assertEqual(
            set(created), {"tamquan.canbo", "tamquan.chutich", "hoainhonbac.chutich", "gialai.sonoivu"}
        )
        roles = set(
            Membership.objects.filter(user__in=created.values()).values_list(
                "user__username", "unit__code", "role"
            )
        )
        self.assertEqual(
            roles,
            {
                ("tamquan.canbo", "21637", Role.OFFICER),
                ("tamquan.chutich", "21637", Role.CHAIRMAN),
                ("hoainhonbac.chutich", "21610", Role.CHAIRMAN),
                ("gialai.sonoivu", "52", Role.REVIEWER),
            },
        )
        kim = created["tamquan.canbo"]
        self.assertEqual(
            (kim.full_name, kim.job_title, kim.email, kim.phone),
            ("Đặng Thị Kim", "Công chức Văn phòng", "kim@gialai.gov.vn", "0912345678"),
        )
        self.assertFalse(kim.has_usable_password())
        self.assertFalse(kim.must_change_password)
        # The hand-over sheet: the two accounts without email, with a password that logs them in.
        sheet = re.findall(
            r'<tr data-username="([^"]+)">.*?<code class="one-time-password">([^<]+)</code>',
            response.content.decode(),
            re.S,
        )
        self.assertEqual(
            [username for username, _password in sheet], ["hoainhonbac.chutich", "tamquan.chutich"]
        )
        for username, password in sheet:
            account = created[username]
            self.assertTrue(account.must_change_password)
            self.assertTrue(account.check_password(password))
            self.assertNotIn(password, account.password)  # hashed, never in clear
        self.assertContains(response, "2 lời mời đang được gửi qua email")
        self.assertContains(response, reverse("accounts:list"))
        # The invitations, mailed after the commit, and recorded.
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), ["kim@gialai.gov.vn", "luc@gialai.gov.vn"])
        self.assertIn("tamquan.canbo", next(m.body for m in mail.outbox if m.to == ["kim@gialai.gov.vn"]))
        self.assertEqual(Invitation.objects.filter(sent_by=self.gia_lai_admin).count(), 2)

    def test_the_hand_over_sheet_is_sorted_by_commune_then_name(self):
        payload = self.upload(
            [
                row(21637, "", "Trần Bé", "", "Công chức"),
                row(21610, "", "Võ Khải", "", "Chủ tịch"),
                row(21637, "", "Nguyễn An", "", "Chủ tịch"),
            ]
        ).context["payload"]
        response = self.client.post(IMPORT, {"payload": payload, "province": self.gia_lai.pk})
        names = [item.account.full_name for item in response.context["outcome"].handover]
        self.assertEqual(names, ["Võ Khải", "Nguyễn An", "Trần Bé"])

    def test_a_confirmation_posted_again_creates_nothing_more(self):
        payload = self.upload(FILE_ROWS).context["payload"]
        self.assertEqual(
            self.client.post(IMPORT, {"payload": payload, "province": self.gia_lai.pk}).status_code, 200
        )
        count = User.objects.count()
        response = self.client.post(IMPORT, {"payload": payload, "province": self.gia_lai.pk})
        self.assertContains(response, "Chưa tạo tài khoản nào", status_code=409)
        self.assertContains(response, "tên đăng nhập tự tạo “tamquan.canbo” đã có trên cổng", status_code=409)
        self.assertEqual(User.objects.count(), count)

    def test_a_username_taken_between_preview_and_confirmation_refuses_it_all(self):
        payload = self.upload(FILE_ROWS).context["payload"]
        make_user("hoainhonbac.chutich")
        count = User.objects.count()
        response = self.client.post(IMPORT, {"payload": payload, "province": self.gia_lai.pk})
        self.assertContains(
            response, "Dòng 7: tên đăng nhập tự tạo “hoainhonbac.chutich” đã có trên cổng", status_code=409
        )
        self.assertEqual(User.objects.count(), count)
        self.assertEqual(mail.outbox, [])

    def test_a_username_taken_during_the_insert_refuses_it_all(self):
        # Another request creates the username between the check and the insert: the unique
        # constraint refuses the insert, and the whole import with it.
        payload = self.upload(FILE_ROWS).context["payload"]
        count = User.objects.count()
        with mock.patch.object(User.objects, "bulk_create", side_effect=IntegrityError("unique username")):
            response = self.client.post(IMPORT, {"payload": payload, "province": self.gia_lai.pk})
        self.assertContains(response, "một tên đăng nhập trong tệp vừa được tạo ở nơi khác", status_code=409)
        self.assertEqual(User.objects.count(), count)

    def test_a_commune_closed_between_preview_and_confirmation_refuses_it_all(self):
        payload = self.upload(FILE_ROWS).context["payload"]
        self.hoai_nhon_bac.valid_to = datetime.date(2026, 12, 1)
        self.hoai_nhon_bac.save()
        response = self.client.post(IMPORT, {"payload": payload, "province": self.gia_lai.pk})
        self.assertContains(response, "đã thôi hoạt động", status_code=409)
        self.assertFalse(User.objects.filter(created_by=self.gia_lai_admin).exists())

    def test_an_expired_preview_is_refused(self):
        payload = self.upload(FILE_ROWS).context["payload"]
        with time_machine.travel(NOW + datetime.timedelta(hours=2), tick=False):
            response = self.client.post(IMPORT, {"payload": payload, "province": self.gia_lai.pk})
        self.assertContains(response, "Bản xem trước đã hết hạn", status_code=400)
        self.assertFalse(User.objects.filter(created_by=self.gia_lai_admin).exists())

    def test_no_file_and_a_file_too_big(self):
        self.assertContains(
            self.client.post(IMPORT, {"province": self.gia_lai.pk}), "Hãy chọn tệp Excel", status_code=400
        )
        big = SimpleUploadedFile("to.xlsx", b"PK\x03\x04" + b"0" * (10 * 1024 * 1024 + 1))
        response = self.client.post(IMPORT, {"file": big, "province": self.gia_lai.pk})
        self.assertContains(response, "lớn hơn 10 MB", status_code=400)

    def test_a_superuser_picks_the_province(self):
        self.login(self.superuser)
        response = self.client.get(IMPORT)
        self.assertContains(response, "Hãy chọn tỉnh")
        self.assertContains(
            response, f'<option value="{self.quang_tri.pk}">Tỉnh Quảng Trị</option>', html=True
        )
        upload = SimpleUploadedFile("tai-khoan.xlsx", users_xlsx(FILE_ROWS))
        self.assertContains(
            self.client.post(IMPORT, {"file": upload}), "Hãy chọn tỉnh trước", status_code=400
        )
        upload = SimpleUploadedFile("tai-khoan.xlsx", users_xlsx(FILE_ROWS))
        response = self.client.post(IMPORT, {"file": upload, "province": self.gia_lai.pk})
        payload = response.context["payload"]
        response = self.client.post(IMPORT, {"payload": payload, "province": self.gia_lai.pk})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(User.objects.filter(created_by=self.superuser).count(), len(FILE_ROWS))


@time_machine.travel(NOW, tick=False)
class QueryCountTests(GiaLaiTestCase):
    def rows(self, count):
        return [
            row(
                21637,
                "",
                f"Người {n}",
                "",
                "Công chức" if n % 2 else "Chủ tịch",
                f"nguoi{n}@gialai.gov.vn" if n % 3 else "",
            )
            for n in range(count)
        ]

    def test_creating_the_accounts_takes_the_same_queries_for_10_and_50_rows(self):
        # The savepoint, the province locked, its communes, the usernames and the emails taken, the
        # users, their roles and their invitations inserted (one statement each up to 62 users on
        # SQLite), the savepoint released.
        for count in (10, 50):
            users = read_users_file(users_xlsx(self.rows(count)))
            with self.subTest(count=count), self.assertNumQueries(9):
                outcome = users_import(
                    users=users, province=self.gia_lai, created_by=self.gia_lai_admin, today=TODAY
                )
            self.assertEqual(len(outcome.created), count)
            User.objects.filter(created_by=self.gia_lai_admin).delete()

    def test_the_pages_take_the_same_queries_for_10_and_50_rows(self):
        self.login(self.gia_lai_admin)
        counts = {}
        for count in (10, 50):
            data = users_xlsx(self.rows(count))
            with CaptureQueriesContext(connection) as preview:
                response = self.client.post(
                    IMPORT, {"file": SimpleUploadedFile("t.xlsx", data), "province": self.gia_lai.pk}
                )
            with CaptureQueriesContext(connection) as confirm:
                self.client.post(
                    IMPORT, {"payload": response.context["payload"], "province": self.gia_lai.pk}
                )
            counts[count] = (len(preview), len(confirm))
            User.objects.filter(created_by=self.gia_lai_admin).delete()
        self.assertEqual(counts[10], counts[50])
