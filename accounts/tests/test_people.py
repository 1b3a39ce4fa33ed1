"""The province's account list and its actions for the administrator: who sees whom, the
states, the filters, locking and unlocking, invitations sent again, one-time passwords."""

from __future__ import annotations

import datetime

import time_machine
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from accounts.services import account_deactivate, one_time_password_issue
from communes.models import Membership, Role, User
from core.testing import PASSWORD

from .people_world import PeopleTestCase, make_invited

LIST = reverse("accounts:list")
ZONE = datetime.timezone(datetime.timedelta(hours=7))
# Every persona, and what the administrator pages answer it.
NOT_ADMINISTRATORS = (
    "officer",
    "chairman",
    "neighbour",
    "reviewer",
    "province_reviewer",
    "new_officer",
    "outsider",
)


def accounts_shown(response) -> list[str]:
    return [row.account.username for row in response.context["rows"]]


class ListAccessTests(PeopleTestCase):
    def test_permission_matrix(self):
        self.assert_access_matrix(
            LIST,
            {
                "anonymous": 302,
                **dict.fromkeys(NOT_ADMINISTRATORS, 403),
                "administrator": 200,
                "gialai_admin": 200,
                "superuser": 200,
            },
        )
        self.login(self.officer)
        self.assertContains(
            self.client.get(LIST), "Chỉ quản trị viên của tỉnh mới quản lý tài khoản.", status_code=403
        )

    def test_each_administrator_sees_only_its_provinces_accounts(self):
        self.login(self.administrator)
        self.assertCountEqual(
            accounts_shown(self.client.get(LIST)),
            ["officer", "chairman", "neighbour", "reviewer", "administrator", "hoaichaubac.chutich"],
        )
        self.login(self.gialai_admin)
        self.assertCountEqual(
            accounts_shown(self.client.get(LIST)),
            ["province_reviewer", "new_officer", "gialai.quantri", "tamquan.moi"],
        )
        self.login(self.superuser)
        self.assertEqual(len(accounts_shown(self.client.get(LIST))), User.objects.count())

    def test_the_navigation_links_the_list_for_administrators_only(self):
        for persona, shown in (
            ("administrator", True),
            ("superuser", True),
            ("officer", False),
            ("reviewer", False),
        ):
            with self.subTest(persona=persona):
                self.login(getattr(self, persona))
                response = self.client.get(reverse("indices:framework_list"))
                link = f'<a class="nav-link" href="{LIST}">Tài khoản</a>'
                if shown:
                    self.assertContains(response, link, html=True)
                else:
                    self.assertNotContains(response, link, html=True)


class ListContentTests(PeopleTestCase):
    def setUp(self):
        self.login(self.administrator)

    def row(self, user, **params):
        response = self.client.get(LIST, params)
        return next(row for row in response.context["rows"] if row.account.pk == user.pk), response

    def test_a_row_shows_name_username_units_roles_contact_and_state(self):
        self.officer.full_name, self.officer.job_title = "Trần Văn Cán", "Công chức Văn phòng – Thống kê"
        self.officer.email, self.officer.phone = "canbo@example.com", "0912 345 678"
        self.officer.save()
        Membership.objects.create(user=self.officer, unit=self.hoai_chau_bac, role=Role.OFFICER)
        _row, response = self.row(self.officer)
        html = response.content.decode()
        start = html.index(f'data-account="{self.officer.pk}"')
        cells = html[start : html.index("</tr>", start)]
        for text in (
            "Trần Văn Cán",
            "Công chức Văn phòng – Thống kê",
            "<code>officer</code>",
            "Xã Hoài Châu – Công chức phụ trách CCHC",
            "Xã Hoài Châu Bắc – Công chức phụ trách CCHC",
            "canbo@<wbr>example.com",
            "0912 345 678",
            "Đang hoạt động",
            "chưa đăng nhập lần nào",
        ):
            self.assertIn(text, cells)

    def test_the_four_states(self):
        with time_machine.travel(datetime.datetime(2026, 12, 1, 8, 15, tzinfo=ZONE)):
            Invitation.objects.create(user=self.invited, sent_by=self.administrator)
        with time_machine.travel(datetime.datetime(2026, 12, 2, 14, 5, tzinfo=ZONE)):
            account_deactivate(user=self.neighbour)
        self.chairman.last_login = datetime.datetime(2026, 12, 3, 7, 45, tzinfo=ZONE)
        self.chairman.save()
        one_time_password_issue(user=self.reviewer)
        no_email = make_invited("hoaichau.khongmail", self.hoai_chau, Role.OFFICER)
        expected = {
            self.invited: ("cho-nhan-loi-moi", "mời lúc 08:15 01/12/2026"),
            self.neighbour: ("da-khoa", "Đã khóa từ 02/12/2026"),
            self.chairman: ("dang-hoat-dong", "đăng nhập lần cuối 07:45 03/12/2026"),
            self.reviewer: ("phai-doi-mat-khau", "Phải đổi mật khẩu"),
            no_email: ("cho-nhan-loi-moi", "chưa có email: cấp mật khẩu dùng một lần"),
        }
        response = self.client.get(LIST)
        html = response.content.decode()
        for user, (code, text) in expected.items():
            with self.subTest(user=user.username):
                start = html.index(f'data-account="{user.pk}" data-state="{code}"')
                self.assertIn(text, html[start : html.index("</tr>", start)])

    def test_the_actions_fit_each_state(self):
        account_deactivate(user=self.neighbour)
        no_email = make_invited("hoaichau.khongmail", self.hoai_chau, Role.OFFICER)
        response = self.client.get(LIST)
        html = response.content.decode()

        def cells(user):
            start = html.index(f'data-account="{user.pk}"')
            return html[start : html.index("</tr>", start)]

        self.assertIn(reverse("accounts:invitation_resend", args=[self.invited.pk]), cells(self.invited))
        self.assertIn("Gửi lời mời", cells(self.invited))
        self.assertNotIn("accounts:invitation_resend", cells(no_email))
        self.assertNotIn(reverse("accounts:invitation_resend", args=[no_email.pk]), cells(no_email))
        self.assertNotIn(reverse("accounts:invitation_resend", args=[self.officer.pk]), cells(self.officer))
        self.assertIn(reverse("accounts:deactivate", args=[self.officer.pk]), cells(self.officer))
        self.assertIn(reverse("accounts:one_time_password", args=[self.officer.pk]), cells(self.officer))
        self.assertIn(reverse("accounts:reactivate", args=[self.neighbour.pk]), cells(self.neighbour))
        self.assertNotIn(reverse("accounts:deactivate", args=[self.neighbour.pk]), cells(self.neighbour))
        own = cells(self.administrator)
        self.assertIn("Tài khoản của bạn", own)
        self.assertNotIn(reverse("accounts:deactivate", args=[self.administrator.pk]), own)

    def test_the_list_links_the_import_and_its_template(self):
        response = self.client.get(LIST)
        self.assertContains(response, f'href="{reverse("accounts:import")}"')
        self.assertContains(response, f'href="{reverse("accounts:import_template")}"')

    def test_an_administrator_alone_in_its_province_is_led_to_the_import(self):
        lonely_province = self.gia_lai
        Membership.objects.filter(unit=lonely_province).exclude(user=self.gialai_admin).delete()
        Membership.objects.filter(unit=self.tam_quan).delete()
        self.login(self.gialai_admin)
        response = self.client.get(LIST)
        self.assertEqual(accounts_shown(response), ["gialai.quantri"])
        self.assertContains(response, "Chưa có tài khoản nào khác ngoài bạn")
        self.assertContains(response, f'class="btn btn-primary" href="{reverse("accounts:import")}"', count=2)


class ListFilterTests(PeopleTestCase):
    def setUp(self):
        self.login(self.administrator)

    def shown(self, **params):
        return set(accounts_shown(self.client.get(LIST, params)))

    def test_search_by_commune_name_with_or_without_diacritics(self):
        expected = {"officer", "chairman"}
        for typed in ("Hoài Châu", "hoai chau", "HOAI CHAU", "xã hoài châu"):
            with self.subTest(typed=typed):
                self.assertTrue(expected <= self.shown(q=typed))
                self.assertNotIn("reviewer", self.shown(q=typed))
        self.assertEqual(self.shown(q="hoai chau bac"), {"neighbour", "hoaichaubac.chutich"})

    def test_search_by_person_name_or_username_folded(self):
        self.assertEqual(self.shown(q="nguyen thi moi"), {"hoaichaubac.chutich"})
        self.assertEqual(self.shown(q="Nguyễn Thị"), {"hoaichaubac.chutich"})
        self.assertEqual(self.shown(q="REVIEW"), {"reviewer"})
        self.assertEqual(self.shown(q="khong co ai"), set())

    def test_search_never_reaches_another_province(self):
        self.assertEqual(self.shown(q="tam quan"), set())
        self.assertEqual(self.shown(q="le van tam"), set())

    def test_by_role(self):
        self.assertEqual(self.shown(vai_tro=Role.CHAIRMAN), {"chairman", "hoaichaubac.chutich"})
        self.assertEqual(self.shown(vai_tro=Role.REVIEWER), {"reviewer"})

    def test_by_state(self):
        account_deactivate(user=self.neighbour)
        one_time_password_issue(user=self.reviewer)
        self.assertEqual(self.shown(trang_thai="da-khoa"), {"neighbour"})
        self.assertEqual(self.shown(trang_thai="cho-nhan-loi-moi"), {"hoaichaubac.chutich"})
        self.assertEqual(self.shown(trang_thai="phai-doi-mat-khau"), {"reviewer"})
        self.assertEqual(self.shown(trang_thai="dang-hoat-dong"), {"officer", "chairman", "administrator"})

    def test_filters_combine_and_an_unknown_value_is_ignored(self):
        self.assertEqual(self.shown(q="hoai chau", vai_tro=Role.OFFICER), {"officer", "neighbour"})
        everyone = self.shown()
        self.assertEqual(self.shown(vai_tro="bogus", trang_thai="x", page="abc"), everyone)

    def test_nothing_matching_says_so_with_a_way_back(self):
        response = self.client.get(LIST, {"q": "khong co ai"})
        self.assertContains(response, "Không có tài khoản nào khớp với bộ lọc.")
        self.assertContains(response, 'value="khong co ai"')


class ListQueryCountTests(PeopleTestCase):
    def add_accounts(self, count: int) -> None:
        for number in range(count):
            user = User.objects.create_user(f"nguoi{number}", password=None, email=f"n{number}@example.com")
            Membership.objects.create(
                user=user, unit=self.hoai_chau if number % 2 else self.phuoc_hung, role=Role.OFFICER
            )
            if number % 3 == 0:
                Invitation.objects.create(user=user)
            if number % 5 == 0:
                Membership.objects.create(user=user, unit=self.hoai_chau_bac, role=Role.CHAIRMAN)

    def test_the_query_count_does_not_grow_with_accounts(self):
        self.login(self.administrator)
        # session, user, the navigation's memberships (is it an administrator), the count, the
        # page's accounts, their roles with units; one more for the names when searching.
        for count, params, queries in (
            (5, {}, 6),
            (50, {}, 6),
            (5, {"q": "hoai chau"}, 7),
            (50, {"q": "hoai chau"}, 7),
        ):
            with self.subTest(count=count, params=params):
                User.objects.filter(username__startswith="nguoi").delete()
                self.add_accounts(count)
                with self.assertNumQueries(queries):
                    response = self.client.get(LIST, params)
                self.assertEqual(response.status_code, 200)
        self.assertGreaterEqual(len(response.context["rows"]), 25)


class ActionAccessTests(PeopleTestCase):
    """Every action: administrators only; an account out of reach is 404 like one that does not exist."""

    def urls(self, user):
        return {
            "deactivate": reverse("accounts:deactivate", args=[user.pk]),
            "one_time_password": reverse("accounts:one_time_password", args=[user.pk]),
        }

    def test_the_confirmation_pages(self):
        for name, url in self.urls(self.officer).items():
            with self.subTest(action=name):
                self.assert_access_matrix(
                    url,
                    {
                        "anonymous": 302,
                        **dict.fromkeys(NOT_ADMINISTRATORS, 403),
                        "administrator": 200,
                        "gialai_admin": 404,
                        "superuser": 200,
                    },
                )
        account_deactivate(user=self.new_officer)
        self.assert_access_matrix(
            reverse("accounts:reactivate", args=[self.new_officer.pk]),
            {"anonymous": 302, "officer": 403, "administrator": 404, "gialai_admin": 200, "superuser": 200},
        )

    def test_the_actions_posted(self):
        # Bình Định's administrator and the superuser act (a redirect back to the list, or the
        # sheet of the one-time password); Gia Lai's is told the account does not exist.
        matrix = {
            "anonymous": 302,
            **dict.fromkeys(NOT_ADMINISTRATORS, 403),
            "gialai_admin": 404,
            "administrator": 302,
            "superuser": 302,
        }
        for name, target, acted in (
            ("invitation_resend", self.invited, 302),
            ("deactivate", self.invited, 302),
            ("reactivate", self.invited, 302),
            ("one_time_password", self.invited, 200),
        ):
            with self.subTest(action=name):
                expected = {**matrix, "administrator": acted, "superuser": acted}
                self.assert_access_matrix(
                    reverse(f"accounts:{name}", args=[target.pk]), expected, method="post"
                )
        self.invited.refresh_from_db()
        self.assertTrue(self.invited.is_active)  # locked, then unlocked
        self.assertTrue(self.invited.must_change_password)
        self.assertEqual(Invitation.objects.filter(user=self.invited).count(), 2)

    def test_a_foreign_or_missing_account_is_404_and_nothing_changes(self):
        self.login(self.administrator)
        account_deactivate(user=self.province_reviewer)
        for user_pk in (self.new_officer.pk, self.gialai_invited.pk, self.superuser.pk, 999999):
            for name in ("deactivate", "one_time_password", "invitation_resend", "reactivate"):
                with self.subTest(user=user_pk, action=name):
                    response = self.client.post(reverse(f"accounts:{name}", args=[user_pk]))
                    self.assertContains(response, "Không tìm thấy", status_code=404)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("accounts:reactivate", args=[self.province_reviewer.pk]))
        self.assertEqual(response.status_code, 404)
        self.province_reviewer.refresh_from_db()
        self.new_officer.refresh_from_db()
        self.assertFalse(self.province_reviewer.is_active)
        self.assertTrue(self.new_officer.is_active)
        self.assertTrue(self.new_officer.check_password(PASSWORD))
        self.assertEqual(mail.outbox, [])

    def test_non_administrators_may_not_act_even_on_themselves(self):
        for persona in NOT_ADMINISTRATORS:
            user = getattr(self, persona)
            with self.subTest(persona=persona):
                self.login(user)
                self.assertEqual(
                    self.client.post(reverse("accounts:deactivate", args=[user.pk])).status_code, 403
                )
                self.assertEqual(
                    self.client.post(
                        reverse("accounts:one_time_password", args=[self.officer.pk])
                    ).status_code,
                    403,
                )
        self.officer.refresh_from_db()
        self.assertTrue(self.officer.is_active)
        self.assertTrue(self.officer.check_password(PASSWORD))

    def test_resending_is_a_post(self):
        self.login(self.administrator)
        self.assertEqual(
            self.client.get(reverse("accounts:invitation_resend", args=[self.invited.pk])).status_code, 405
        )


class DeactivateTests(PeopleTestCase):
    def setUp(self):
        self.login(self.administrator)
        self.url = reverse("accounts:deactivate", args=[self.officer.pk])

    def test_the_confirmation_says_what_happens_and_what_stays(self):
        response = self.client.get(self.url, {"q": "hoai chau"})
        self.assertContains(response, "Khóa tài khoản của Officer?")
        self.assertContains(response, "Lịch sử giữ nguyên")
        self.assertContains(response, f'href="{LIST}?q=hoai+chau"')
        self.officer.refresh_from_db()
        self.assertTrue(self.officer.is_active)

    def test_locking_locks_dates_and_comes_back_to_the_same_list(self):
        with time_machine.travel(datetime.datetime(2026, 12, 3, 10, 0, tzinfo=ZONE), tick=False):
            response = self.client.post(self.url + "?q=hoai+chau&trang_thai=dang-hoat-dong&page=1")
        self.assertRedirects(
            response, f"{LIST}?q=hoai+chau&trang_thai=dang-hoat-dong&page=1", fetch_redirect_response=False
        )
        self.officer.refresh_from_db()
        self.assertFalse(self.officer.is_active)
        self.assertEqual(self.officer.deactivated_at, datetime.datetime(2026, 12, 3, 10, 0, tzinfo=ZONE))
        self.assertTrue(self.officer.memberships.exists())
        page = self.client.get(LIST)
        self.assertContains(page, "Đã khóa tài khoản Officer.")
        self.assertContains(page, "Đã khóa từ 03/12/2026")

    def test_a_locked_account_is_told_so_at_login_only_with_its_password(self):
        account_deactivate(user=self.officer)
        self.assertFalse(self.logs_in("officer", PASSWORD))
        self.assertContains(
            self.last_login_response, "Tài khoản này đã bị khóa. Hãy liên hệ quản trị viên của tỉnh."
        )
        self.assertFalse(self.logs_in("officer", "sai-mat-khau"))
        self.assertContains(self.last_login_response, "Tên đăng nhập hoặc mật khẩu không đúng.")
        self.assertNotContains(self.last_login_response, "bị khóa")

    @override_settings(AXES_FAILURE_LIMIT=2)
    def test_during_a_lockout_the_password_of_a_locked_account_is_not_looked_at(self):
        account_deactivate(user=self.officer)
        for _attempt in range(2):
            self.logs_in("officer", "sai-mat-khau")
        self.assertFalse(self.logs_in("officer", PASSWORD))
        self.assertContains(self.last_login_response, "tạm thời bị khóa đăng nhập", status_code=429)
        self.assertNotContains(self.last_login_response, "Tài khoản này đã bị khóa", status_code=429)

    def test_a_locked_accounts_open_session_stops(self):
        self.client.logout()
        self.login(self.officer)
        unit_page = reverse("communes:unit_detail", args=[self.hoai_chau.pk])
        self.assertEqual(self.client.get(unit_page).status_code, 200)
        account_deactivate(user=self.officer, by=self.administrator)
        response = self.client.get(unit_page)
        self.assertRedirects(response, f"{reverse('login')}?next={unit_page}", fetch_redirect_response=False)

    def test_an_administrator_cannot_lock_itself(self):
        own = reverse("accounts:deactivate", args=[self.administrator.pk])
        self.assertContains(self.client.get(own), "Bạn không thể tự khóa", status_code=403)
        self.assertContains(self.client.post(own), "Bạn không thể tự khóa", status_code=403)
        self.administrator.refresh_from_db()
        self.assertTrue(self.administrator.is_active)

    def test_locking_an_account_already_locked_changes_nothing_and_says_so(self):
        with time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=ZONE), tick=False):
            account_deactivate(user=self.officer)
        for method in ("get", "post"):
            with self.subTest(method=method):
                response = getattr(self.client, method)(self.url)
                self.assertRedirects(response, LIST, fetch_redirect_response=False)
                page = self.client.get(LIST)
                self.assertContains(page, "đã bị khóa từ trước (09:00 01/12/2026); không có gì thay đổi.")
        self.officer.refresh_from_db()
        self.assertEqual(self.officer.deactivated_at, datetime.datetime(2026, 12, 1, 9, 0, tzinfo=ZONE))

    def test_a_locked_account_gets_no_notification_and_no_reminder(self):
        from communes.selectors import commune_people
        from notifications.models import Notification
        from notifications.services import notify

        account_deactivate(user=self.officer)
        notify([self.officer, self.chairman], kind="report_returned", title="Báo cáo bị trả lại", url="/")
        self.assertEqual(
            list(Notification.objects.values_list("recipient__username", flat=True)), ["chairman"]
        )
        self.assertEqual([user.username for user in commune_people(self.hoai_chau)], ["chairman"])


class ReactivateTests(PeopleTestCase):
    def setUp(self):
        self.login(self.administrator)
        account_deactivate(user=self.officer)
        self.url = reverse("accounts:reactivate", args=[self.officer.pk])

    def test_unlocking_lets_it_in_again_with_its_password(self):
        self.assertContains(self.client.get(self.url), "Mở khóa tài khoản của Officer?")
        response = self.client.post(self.url)
        self.assertRedirects(response, LIST, fetch_redirect_response=False)
        self.officer.refresh_from_db()
        self.assertTrue(self.officer.is_active)
        self.assertIsNone(self.officer.deactivated_at)
        self.assertTrue(self.logs_in("officer", PASSWORD))

    def test_unlocking_an_active_account_changes_nothing_and_says_so(self):
        self.client.post(self.url)
        response = self.client.post(self.url, follow=True)
        self.assertContains(response, "đang hoạt động (đã được mở khóa); không có gì thay đổi.")


class InvitationResendTests(PeopleTestCase):
    def setUp(self):
        self.login(self.administrator)
        self.url = reverse("accounts:invitation_resend", args=[self.invited.pk])

    def post(self):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(self.url + "?q=moi")

    def test_it_mails_a_new_link_and_records_it(self):
        response = self.post()
        self.assertRedirects(response, f"{LIST}?q=moi", fetch_redirect_response=False)
        (message,) = mail.outbox
        self.assertEqual(message.to, ["chutich.hcb@example.com"])
        self.assertEqual(Invitation.objects.get().sent_by, self.administrator)
        self.assertContains(self.client.get(LIST), "Đã gửi lại lời mời đến chutich.hcb@example.com")

    def test_an_account_that_has_its_password_since_is_refused(self):
        self.invited.set_password("Da-co-mat-khau-2026")
        self.invited.save()
        response = self.post()
        self.assertContains(response, "đã có mật khẩu", status_code=409)
        self.assertContains(response, f'href="{LIST}?q=moi"', status_code=409)
        self.assertEqual(mail.outbox, [])
        self.assertFalse(Invitation.objects.exists())

    def test_without_email_or_locked_it_is_refused_saying_why(self):
        self.invited.email = ""
        self.invited.save()
        self.assertContains(self.post(), "chưa có email: hãy cấp mật khẩu dùng một lần", status_code=409)
        self.invited.email = "chutich.hcb@example.com"
        self.invited.is_active = False
        self.invited.save()
        self.assertContains(self.post(), "đang bị khóa: hãy mở khóa trước", status_code=409)
        self.assertEqual(mail.outbox, [])


class OneTimePasswordTests(PeopleTestCase):
    def setUp(self):
        self.login(self.administrator)
        self.url = reverse("accounts:one_time_password", args=[self.invited.pk])

    def test_asked_first_then_shown_once_on_a_printable_page(self):
        confirm = self.client.get(self.url)
        self.assertContains(confirm, "Cấp mật khẩu dùng một lần cho Nguyễn Thị Mới?")
        self.invited.refresh_from_db()
        self.assertFalse(self.invited.has_usable_password())

        sheet = self.client.post(self.url)
        password = sheet.context["password"]
        self.assertContains(sheet, f'data-field="password">{password}<')
        self.assertContains(sheet, f'data-field="username">{self.invited.username}<')
        self.assertContains(sheet, "http://127.0.0.1:8000/accounts/login/")
        self.assertContains(sheet, "Xã Hoài Châu Bắc – Chủ tịch / Phó Chủ tịch UBND")
        self.assertContains(sheet, "data-print")
        self.assertIn("no-store", sheet["Cache-Control"])
        self.invited.refresh_from_db()
        self.assertTrue(self.invited.must_change_password)
        self.assertTrue(self.invited.check_password(password))
        self.assertNotIn(password, self.invited.password)
        # Opened again, the page asks again; the password is never shown twice.
        self.assertNotContains(self.client.get(self.url), password)

    def test_a_locked_account_is_refused(self):
        account_deactivate(user=self.invited)
        response = self.client.post(self.url)
        self.assertContains(response, "đang bị khóa: hãy mở khóa trước khi cấp mật khẩu", status_code=409)
        self.invited.refresh_from_db()
        self.assertFalse(self.invited.has_usable_password())

    def test_not_for_oneself(self):
        response = self.client.post(reverse("accounts:one_time_password", args=[self.administrator.pk]))
        self.assertContains(response, "Đổi mật khẩu", status_code=403)
        self.administrator.refresh_from_db()
        self.assertFalse(self.administrator.must_change_password)

    def test_it_ends_the_invitation_and_the_previous_password(self):
        from accounts.services import invitation_token

        link = reverse("accounts:invitation", args=[invitation_token(self.invited)])
        self.client.post(self.url)
        self.client.logout()
        self.assertEqual(self.client.get(link).status_code, 410)


class HistoryKeepsTheNameTests(PeopleTestCase):
    def test_a_dossier_reports_history_still_names_the_locked_officer(self):
        from dossiers.figures import Figures
        from dossiers.models import Period, ProcedureField
        from dossiers.services import dossier_report_save

        ho_tich = ProcedureField.objects.get(name="Hộ tịch")
        self.officer.full_name = "Trần Văn Cán"
        self.officer.save()
        dossier_report_save(
            unit=self.hoai_chau,
            period=Period.for_code("2024-03"),
            user=self.officer,
            lines={ho_tich.pk: Figures(received_online=10, resolved_on_time=10)},
            expected_version=0,
        )
        account_deactivate(user=self.officer, by=self.administrator)
        self.login(self.chairman)
        response = self.client.get(reverse("dossiers:entry", args=[self.hoai_chau.pk, "2024-03"]))
        self.assertContains(response, "Lịch sử thay đổi")
        self.assertContains(response, "Trần Văn Cán")

    def test_an_issued_report_still_names_the_locked_chairman(self):
        from reports.models import Report

        self.chairman.full_name = "Trần Quốc Toàn"
        self.chairman.save()
        report = Report.objects.create(
            unit=self.hoai_chau,
            kind="tong-ket-nam",
            period="2023",
            type_code="BC",
            number=12,
            place="Hoài Châu",
            dated=datetime.date(2024, 1, 10),
            title="BÁO CÁO",
            summary="Kết quả thực hiện công tác cải cách hành chính năm 2023",
            signer_name="Trần Quốc Toàn",
            status="issued",
            issued_at=timezone.now(),
            issued_by=self.chairman,
            created_by=self.officer,
        )
        account_deactivate(user=self.chairman, by=self.administrator)
        self.login(self.officer)
        response = self.client.get(reverse("reports:report_detail", args=[report.pk]))
        self.assertContains(response, "Ban hành")
        self.assertContains(response, "– Trần Quốc Toàn")


class AdminSiteTests(PeopleTestCase):
    def change_url(self, user):
        return reverse("admin:communes_user_change", args=[user.pk])

    def post_change(self, user, **fields):
        data = {
            "username": user.username,
            "full_name": user.full_name,
            "email": user.email,
            "phone": user.phone,
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "is_active": "on",
            **fields,
        }
        return self.client.post(self.change_url(user), {k: v for k, v in data.items() if v is not None})

    def test_the_page_shows_phone_the_obligation_and_the_locking_date(self):
        account_deactivate(user=self.neighbour)
        self.login(self.administrator)
        response = self.client.get(self.change_url(self.neighbour))
        self.assertContains(response, 'name="phone"')
        self.assertContains(response, 'name="must_change_password"')
        self.assertContains(response, "Ngày khóa")
        changelist = self.client.get(reverse("admin:communes_user_changelist"))
        self.assertContains(changelist, "column-phone")
        self.assertContains(changelist, "column-must_change_password")

    def test_unticking_active_goes_through_the_service_and_dates_it(self):
        self.login(self.administrator)
        with time_machine.travel(datetime.datetime(2026, 12, 3, 11, 0, tzinfo=ZONE), tick=False):
            response = self.post_change(self.officer, is_active=None, phone="0905 111 222")
        self.assertEqual(response.status_code, 302)
        self.officer.refresh_from_db()
        self.assertFalse(self.officer.is_active)
        self.assertEqual(self.officer.deactivated_at, datetime.datetime(2026, 12, 3, 11, 0, tzinfo=ZONE))
        self.assertEqual(self.officer.phone, "0905 111 222")
        response = self.post_change(self.officer)
        self.officer.refresh_from_db()
        self.assertTrue(self.officer.is_active)
        self.assertIsNone(self.officer.deactivated_at)

    def test_an_administrator_cannot_untick_itself(self):
        self.login(self.gialai_admin)
        response = self.client.get(self.change_url(self.gialai_admin))
        self.assertContains(response, "Bạn không thể tự khóa tài khoản của chính mình.")
        self.post_change(self.gialai_admin, is_active=None)
        self.gialai_admin.refresh_from_db()
        self.assertTrue(self.gialai_admin.is_active)

    def test_a_new_account_with_an_email_and_no_password_is_invited(self):
        self.login(self.administrator)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("admin:communes_user_add"),
                {
                    "username": "phuochung.canbo",
                    "full_name": "Phạm Văn Hưng",
                    "email": "hung@example.com",
                    "usable_password": "false",
                    "password1": "",
                    "password2": "",
                    "memberships-TOTAL_FORMS": "0",
                    "memberships-INITIAL_FORMS": "0",
                },
            )
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        user = User.objects.get(username="phuochung.canbo")
        self.assertFalse(user.has_usable_password())
        self.assertEqual(user.created_by, self.administrator)
        self.assertEqual(Invitation.objects.get().user, user)
        (message,) = mail.outbox
        self.assertEqual(message.to, ["hung@example.com"])

    def test_a_new_account_with_a_password_is_not_invited(self):
        self.login(self.superuser)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("admin:communes_user_add"),
                {
                    "username": "coquan.moi",
                    "email": "coquan@example.com",
                    "usable_password": "true",
                    "password1": "Mat-khau-rieng-2026!",
                    "password2": "Mat-khau-rieng-2026!",
                    "memberships-TOTAL_FORMS": "0",
                    "memberships-INITIAL_FORMS": "0",
                },
            )
        self.assertTrue(User.objects.get(username="coquan.moi").has_usable_password())
        self.assertEqual(mail.outbox, [])
