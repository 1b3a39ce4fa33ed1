"""An invitation mailed, opened, accepted; and the links that no longer work."""

from __future__ import annotations

import datetime
from unittest import mock

import time_machine
from django.core import mail, signing
from django.test import override_settings
from django.urls import reverse

from accounts.models import Invitation
from accounts.services import account_invite, invitation_token
from accounts.tasks import send_invitation
from communes.models import User
from core.testing import PASSWORD

from .people_world import PeopleTestCase

NEW_PASSWORD = "Cay-Lua-Xanh-2026!"
ZONE = datetime.timezone(datetime.timedelta(hours=7))


class InvitationMailTests(PeopleTestCase):
    def invite(self, user=None):
        with self.captureOnCommitCallbacks(execute=True):
            account_invite(user=user or self.invited, sent_by=self.administrator)
        return self.mails_to((user or self.invited).email)

    def test_the_mail_says_for_whom_what_and_until_when(self):
        for day in ("2025-03-10 09:00", "2025-08-10 09:00", "2026-12-03 09:00"):
            with (
                self.subTest(day=day),
                time_machine.travel(datetime.datetime.fromisoformat(day).replace(tzinfo=ZONE)),
            ):
                mail.outbox.clear()
                (message,) = self.invite()
                self.assertEqual(message.subject, "[Cổng CCHC] Tài khoản của bạn trên Cổng CCHC")
                self.assertIn("Kính gửi Nguyễn Thị Mới,", message.body)
                self.assertIn("Tên đăng nhập: hoaichaubac.chutich", message.body)
                self.assertIn("Chủ tịch / Phó Chủ tịch UBND – Xã Hoài Châu Bắc", message.body)
                until = (datetime.datetime.fromisoformat(day) + datetime.timedelta(days=7)).strftime(
                    "%H:%M %d/%m/%Y"
                )
                self.assertIn(f"trong 7 ngày (đến {until})", message.body)
                self.assertIn("http://127.0.0.1:8000/tai-khoan/moi/", message.body)
                self.assertIn("/accounts/password/reset/", message.body)

    def test_the_invitation_is_recorded_with_its_date_and_sender(self):
        with time_machine.travel(datetime.datetime(2026, 12, 3, 8, 30, tzinfo=ZONE)):
            self.invite()
        invitation = Invitation.objects.get(user=self.invited)
        self.assertEqual(invitation.sent_by, self.administrator)
        self.assertEqual(invitation.sent_at, datetime.datetime(2026, 12, 3, 8, 30, tzinfo=ZONE))

    def test_nothing_is_mailed_before_the_transaction_commits(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            account_invite(user=self.invited)
        self.assertEqual(mail.outbox, [])
        self.assertEqual(len(callbacks), 1)

    def test_an_account_without_email_cannot_be_invited(self):
        self.invited.email = ""
        self.invited.save()
        with self.assertRaises(ValueError):
            account_invite(user=self.invited)
        self.assertFalse(Invitation.objects.exists())

    def test_no_mail_once_a_password_is_set_or_the_account_locked(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            account_invite(user=self.invited)
        self.invited.set_password(NEW_PASSWORD)
        self.invited.save()
        for callback in callbacks:
            callback()
        self.assertEqual(mail.outbox, [])
        self.assertFalse(send_invitation.call(user_id=self.officer.pk))  # has its password

    @override_settings(NOTIFICATION_EMAIL_ATTEMPTS=3)
    def test_a_mail_server_down_is_raised_for_the_worker_to_retry(self):
        with (
            mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionRefusedError),
            self.assertRaises(ConnectionRefusedError),
        ):
            send_invitation.call(user_id=self.invited.pk)


class InvitationAcceptTests(PeopleTestCase):
    def setUp(self):
        self.url = reverse("accounts:invitation", args=[invitation_token(self.invited)])

    def post(self, password1=NEW_PASSWORD, password2=None, url=None):
        return self.client.post(
            url or self.url, {"new_password1": password1, "new_password2": password2 or password1}
        )

    def test_the_page_says_for_whom_it_is(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "hoaichaubac.chutich")
        self.assertContains(response, "Nguyễn Thị Mới")
        self.assertContains(response, "Xã Hoài Châu Bắc – Chủ tịch / Phó Chủ tịch UBND")
        self.assertContains(
            response, '<label class="form-label" for="id_new_password1">Mật khẩu mới</label>', html=True
        )
        self.assertContains(
            response,
            '<label class="form-label" for="id_new_password2">Nhập lại mật khẩu mới</label>',
            html=True,
        )
        self.assertIn("no-store", response["Cache-Control"])

    def test_anyone_with_the_link_opens_it_whoever_is_logged_in(self):
        # The link is the credential; the access matrix is about who is logged in meanwhile.
        self.assert_access_matrix(
            self.url, {"anonymous": 200, "officer": 200, "administrator": 200, "outsider": 200}
        )

    def test_accepting_sets_the_password_logs_in_and_goes_home(self):
        self.invited.must_change_password = True
        self.invited.save()
        response = self.post()
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.invited.pk)
        self.invited.refresh_from_db()
        self.assertTrue(self.invited.check_password(NEW_PASSWORD))
        self.assertFalse(self.invited.must_change_password)
        home = self.client.get(reverse("home"), follow=True)
        self.assertContains(home, "Đã đặt mật khẩu.")
        self.assertEqual(
            home.redirect_chain[-1][0], reverse("communes:unit_detail", args=[self.hoai_chau_bac.pk])
        )

        # Logged out, the new password logs in, and the link no longer opens.
        self.client.post(reverse("logout"))
        self.assertTrue(self.logs_in("hoaichaubac.chutich", NEW_PASSWORD))
        self.client.post(reverse("logout"))
        used = self.client.get(self.url)
        self.assertContains(used, "Lời mời đã được dùng", status_code=410)
        self.assertContains(used, reverse("password_reset"), status_code=410)

    def test_a_weak_or_mismatched_password_is_refused_beside_the_field_and_nothing_saved(self):
        for password1, password2, message in (
            ("12345678", None, "Mật khẩu này hoàn toàn là số."),
            ("abc", None, "Mật khẩu này quá ngắn: cần ít nhất 8 ký tự."),
            (NEW_PASSWORD, "khac-han-2026!", "Hai trường mật khẩu không giống nhau."),
            ("hoaichaubac.chutich", None, "Mật khẩu quá giống với"),
        ):
            with self.subTest(password=password1):
                response = self.post(password1, password2)
                self.assertContains(response, message, status_code=400)
                self.assertContains(response, "invalid-feedback", status_code=400)
                self.assertContains(response, "hoaichaubac.chutich", status_code=400)
                self.invited.refresh_from_db()
                self.assertFalse(self.invited.has_usable_password())
                self.assertNotIn("_auth_user_id", self.client.session)
        # The link still works after the refusals.
        self.assertEqual(self.client.get(self.url).status_code, 200)

    def test_an_expired_link_says_so_with_its_validity_and_how_to_get_a_new_one(self):
        with time_machine.travel(datetime.datetime(2026, 12, 3, 9, 0, tzinfo=ZONE)):
            url = reverse("accounts:invitation", args=[invitation_token(self.invited)])
        with time_machine.travel(datetime.datetime(2026, 12, 10, 8, 59, tzinfo=ZONE)):
            self.assertEqual(self.client.get(url).status_code, 200)
        with time_machine.travel(datetime.datetime(2026, 12, 10, 9, 1, tzinfo=ZONE)):
            response = self.client.get(url)
            self.assertContains(response, "Lời mời đã hết hạn", status_code=410)
            self.assertContains(response, "chỉ dùng được 7 ngày", status_code=410)
            self.assertContains(response, reverse("password_reset"), status_code=410)
            self.assertContains(response, "quản trị viên", status_code=410)
            posted = self.post(url=url)
            self.assertEqual(posted.status_code, 410)
        self.invited.refresh_from_db()
        self.assertFalse(self.invited.has_usable_password())

    def test_a_tampered_or_cut_link_is_not_found(self):
        token = invitation_token(self.invited)
        forged = signing.dumps([self.invited.pk, "x" * 24], salt="another-salt")
        for bad in (token[:-3], token[:20], forged, token.replace(":", ";"), "abc"):
            with self.subTest(token=bad):
                response = self.client.get(reverse("accounts:invitation", args=[bad]))
                self.assertContains(response, "Liên kết mời không đúng", status_code=404)
        self.assertFalse(User.objects.get(pk=self.invited.pk).has_usable_password())

    def test_a_link_of_an_account_locked_since_does_not_open(self):
        self.invited.is_active = False
        self.invited.save()
        response = self.client.get(self.url)
        self.assertContains(response, "Tài khoản đã bị khóa", status_code=410)
        self.assertEqual(self.post().status_code, 410)

    def test_a_one_time_password_given_since_ends_the_invitation(self):
        self.invited.set_password("Mot-lan-2026")
        self.invited.save()
        self.assertContains(self.client.get(self.url), "Lời mời đã được dùng", status_code=410)

    def test_two_tabs_post_the_same_link_the_second_is_refused(self):
        self.assertEqual(self.post().status_code, 302)
        self.client.post(reverse("logout"))
        response = self.post(password1="Mat-khau-khac-2026!")
        self.assertEqual(response.status_code, 410)
        self.invited.refresh_from_db()
        self.assertTrue(self.invited.check_password(NEW_PASSWORD))


class InvitationEndToEndTests(PeopleTestCase):
    def test_invited_from_the_list_then_accepted_from_the_mail(self):
        self.login(self.administrator)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("accounts:invitation_resend", args=[self.invited.pk]))
        self.assertRedirects(response, reverse("accounts:list"), fetch_redirect_response=False)
        (message,) = self.mails_to("chutich.hcb@example.com")
        path = self.path_of(self.link_in(message))
        self.client.post(reverse("logout"))

        page = self.client.get(path)
        self.assertContains(page, "hoaichaubac.chutich")
        response = self.client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.client.post(reverse("logout"))
        self.assertTrue(self.logs_in("hoaichaubac.chutich", NEW_PASSWORD))
        self.client.post(reverse("logout"))
        self.assertEqual(self.client.get(path).status_code, 410)
        # Nobody else's password changed.
        self.assertTrue(self.logs_in("officer", PASSWORD))
