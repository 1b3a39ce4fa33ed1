""" "Quên mật khẩu": Django's flow in Vietnamese, the same answer for any address, throttled,
and the links that no longer work."""

from __future__ import annotations

import datetime

import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import PasswordResetRequest
from cchc_portal.settings import client_address_settings
from core.testing import PASSWORD

from .people_world import PeopleTestCase

RESET = reverse("password_reset")
DONE = reverse("password_reset_done")
NEW_PASSWORD = "Song-Lai-Giang-2026!"
ZONE = datetime.timezone(datetime.timedelta(hours=7))
BALANCER = "10.0.0.2"


class ResetTestCase(PeopleTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.officer.email = "canbo.hoaichau@example.com"
        cls.officer.full_name = "Trần Văn Cán"
        cls.officer.save()

    def ask(self, email, *, address="203.0.113.10", **extra):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(RESET, {"email": email}, REMOTE_ADDR=address, **extra)

    def confirm_path(self, user):
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        return reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)])

    def set_password(self, path, password=NEW_PASSWORD, password2=None):
        """Follow the mail's link (Django moves the token into the session), then post the form."""
        opened = self.client.get(path)
        self.assertEqual(opened.status_code, 302)
        return self.client.post(
            opened["Location"], {"new_password1": password, "new_password2": password2 or password}
        )


class LoginPageLinkTests(ResetTestCase):
    def test_the_login_page_links_to_the_reset_instead_of_asking_to_call(self):
        response = self.client.get(reverse("login"))
        self.assertContains(response, f'<a href="{RESET}">Quên mật khẩu?</a>', html=True)
        self.assertNotContains(response, "Hãy liên hệ quản trị viên của tỉnh để được cấp lại")

    def test_every_page_of_the_flow_is_in_vietnamese(self):
        pages = {
            RESET: "Nhập địa chỉ email của tài khoản",
            DONE: "Hãy xem hộp thư của bạn",
            reverse("password_reset_complete"): "Đã đặt mật khẩu mới",
        }
        for url, text in pages.items():
            with self.subTest(url=url):
                response = self.client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
                self.assertContains(response, text)
                self.assertContains(response, '<html lang="vi">')

    def test_the_pages_open_to_everyone(self):
        for url in (RESET, DONE, reverse("password_reset_complete")):
            with self.subTest(url=url):
                self.assert_access_matrix(
                    url, {"anonymous": 200, "officer": 200, "administrator": 200, "gialai_admin": 200}
                )


class ResetEndToEndTests(ResetTestCase):
    def test_a_forgotten_password_reset_from_the_mail(self):
        response = self.ask("canbo.hoaichau@example.com")
        self.assertRedirects(response, DONE, fetch_redirect_response=False)
        (message,) = mail.outbox
        self.assertEqual(message.to, ["canbo.hoaichau@example.com"])
        self.assertEqual(message.subject, "[Cổng CCHC] Đặt lại mật khẩu")
        self.assertIn("Kính gửi Trần Văn Cán,", message.body)
        self.assertIn("cho tài khoản officer.", message.body)
        self.assertIn("Liên kết dùng được một lần, trong 24 giờ:", message.body)
        self.assertNotIn("&#x27;", message.body)  # plain text, not HTML-escaped

        path = self.path_of(self.link_in(message))
        opened = self.client.get(path)
        form_url = opened["Location"]
        self.assertTrue(form_url.endswith("/set-password/"))
        page = self.client.get(form_url)
        self.assertContains(page, "Đặt mật khẩu mới")
        self.assertContains(page, "Tài khoản: <strong>officer</strong>")
        done = self.client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
        self.assertRedirects(done, reverse("password_reset_complete"), fetch_redirect_response=False)

        self.assertTrue(self.logs_in("officer", NEW_PASSWORD))
        self.assertFalse(self.logs_in("officer", PASSWORD))
        self.assertContains(self.last_login_response, "Tên đăng nhập hoặc mật khẩu không đúng.")
        # The link worked once.
        again = self.client.get(path)
        self.assertContains(again, "Liên kết này đã được dùng", status_code=410)
        self.assertContains(again, f'href="{RESET}"', status_code=410)

    def test_an_invited_account_without_a_password_gets_its_first_one_here(self):
        self.ask("CHUTICH.HCB@example.com")
        (message,) = mail.outbox
        self.assertEqual(message.to, ["chutich.hcb@example.com"])
        response = self.set_password(self.path_of(self.link_in(message)))
        self.assertRedirects(response, reverse("password_reset_complete"), fetch_redirect_response=False)
        self.assertTrue(self.logs_in("hoaichaubac.chutich", NEW_PASSWORD))

    def test_after_a_reset_the_one_time_password_obligation_goes(self):
        self.officer.must_change_password = True
        self.officer.save()
        self.set_password(self.confirm_path(self.officer))
        self.officer.refresh_from_db()
        self.assertFalse(self.officer.must_change_password)
        self.assertTrue(self.logs_in("officer", NEW_PASSWORD))
        self.assertRedirects(self.last_login_response, reverse("home"), fetch_redirect_response=False)
        self.assertEqual(self.client.get(reverse("home")).status_code, 302)
        self.assertNotEqual(self.client.get(reverse("home"))["Location"], reverse("password_change"))

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_a_reset_ends_the_lockout_of_too_many_wrong_passwords(self):
        for _attempt in range(3):
            self.logs_in("officer", "sai-mat-khau")
        self.assertTrue(AccessAttempt.objects.filter(username="officer").exists())
        self.set_password(self.confirm_path(self.officer))
        self.assertFalse(AccessAttempt.objects.filter(username="officer").exists())
        self.assertTrue(self.logs_in("officer", NEW_PASSWORD))

    def test_a_weak_new_password_is_refused_and_the_link_stays_usable(self):
        response = self.set_password(self.confirm_path(self.officer), password="12345678")
        self.assertContains(response, "Mật khẩu này hoàn toàn là số.", status_code=400)
        self.officer.refresh_from_db()
        self.assertTrue(self.officer.check_password(PASSWORD))
        again = self.client.post(
            response.request["PATH_INFO"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
        self.assertEqual(again.status_code, 302)


class SameAnswerTests(ResetTestCase):
    def test_an_unknown_address_gets_the_same_answer_as_a_known_one(self):
        answers = []
        for email in ("canbo.hoaichau@example.com", "khong-co-ai@example.com"):
            response = self.ask(email)
            done = self.client.get(response["Location"])
            answers.append((response.status_code, response["Location"], done.status_code, done.content))
        self.assertEqual(answers[0], answers[1])
        self.assertEqual([m.to for m in mail.outbox], [["canbo.hoaichau@example.com"]])
        self.assertNotIn(b"canbo.hoaichau", answers[0][3])

    def test_a_locked_account_gets_no_mail_and_the_same_answer(self):
        self.officer.is_active = False
        self.officer.save()
        response = self.ask("canbo.hoaichau@example.com")
        self.assertRedirects(response, DONE, fetch_redirect_response=False)
        self.assertEqual(mail.outbox, [])

    def test_a_malformed_address_is_refused_beside_the_field_keeping_what_was_typed(self):
        response = self.ask("canbo.hoaichau@")
        self.assertContains(response, "Địa chỉ email này không đúng dạng", status_code=400)
        self.assertContains(response, 'value="canbo.hoaichau@"', status_code=400)
        self.assertEqual(mail.outbox, [])
        self.assertFalse(PasswordResetRequest.objects.exists())
        empty = self.ask("")
        self.assertContains(empty, "Hãy nhập địa chỉ email của tài khoản.", status_code=400)


class ThrottleTests(ResetTestCase):
    @override_settings(PASSWORD_RESET_ADDRESS_LIMIT=5)
    def test_a_sixth_request_from_one_address_within_the_hour_is_refused(self):
        start = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=ZONE)
        with time_machine.travel(start, tick=False) as clock:
            for number in range(5):
                self.assertEqual(self.ask(f"nguoi{number}@example.com").status_code, 302)
                clock.shift(datetime.timedelta(minutes=5))
            refused = self.ask("canbo.hoaichau@example.com")
            self.assertContains(refused, "đã gửi 5 yêu cầu đặt lại mật khẩu trong 1 giờ", status_code=429)
            self.assertContains(refused, "Hãy thử lại sau khoảng 35 phút", status_code=429)
            self.assertEqual(refused["Retry-After"], str(35 * 60))
            self.assertEqual(mail.outbox, [])
            # Another office is not refused.
            self.assertEqual(self.ask("canbo.hoaichau@example.com", address="203.0.113.77").status_code, 302)
            self.assertEqual(len(mail.outbox), 1)
            # An hour after the first request, the first one no longer counts.
            clock.move_to(start + datetime.timedelta(hours=1, seconds=1))
            self.assertEqual(self.ask("canbo.hoaichau@example.com").status_code, 302)

    @override_settings(PASSWORD_RESET_EMAIL_LIMIT=3)
    def test_a_fourth_mail_to_one_address_within_the_hour_is_not_sent_but_answered_the_same(self):
        start = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=ZONE)
        with time_machine.travel(start, tick=False) as clock:
            answers = []
            for number in range(4):
                # From four machines: the address limit is not what stops it.
                response = self.ask("canbo.hoaichau@example.com", address=f"198.51.100.{number}")
                answers.append((response.status_code, response["Location"]))
            self.assertEqual(set(answers), {(302, DONE)})
            self.assertEqual(len(mail.outbox), 3)
            # An unknown address is counted the same way, and its fourth answer is the same too.
            for number in range(4):
                response = self.ask("khong-co-ai@example.com", address=f"198.51.100.{number}")
                self.assertRedirects(response, DONE, fetch_redirect_response=False)
            self.assertEqual(PasswordResetRequest.objects.filter(mailed=False).count(), 2)
            clock.move_to(start + datetime.timedelta(hours=1, minutes=1))
            self.ask("canbo.hoaichau@example.com")
            self.assertEqual(len(mail.outbox), 4)
            # The rows older than the window are gone.
            self.assertEqual(PasswordResetRequest.objects.count(), 1)

    @override_settings(**client_address_settings(1), PASSWORD_RESET_ADDRESS_LIMIT=2)
    def test_behind_the_balancer_each_client_is_counted_by_its_own_address(self):
        def ask(client_address, forged=None):
            forwarded = client_address if forged is None else f"{forged}, {client_address}"
            return self.ask("x@example.com", address=BALANCER, HTTP_X_FORWARDED_FOR=forwarded)

        ask("198.51.100.66", forged="192.0.2.1")
        ask("198.51.100.66", forged="192.0.2.2")
        # Forging the header does not make a new client.
        self.assertEqual(ask("198.51.100.66", forged="192.0.2.3").status_code, 429)
        self.assertEqual(ask("203.0.113.10").status_code, 302)
        self.assertEqual(
            set(PasswordResetRequest.objects.values_list("client_address", flat=True)),
            {"198.51.100.66", "203.0.113.10"},
        )


class BadLinkTests(ResetTestCase):
    def test_an_expired_link_says_so_and_links_to_ask_again(self):
        with time_machine.travel(datetime.datetime(2026, 12, 3, 9, 0, tzinfo=ZONE)):
            path = self.confirm_path(self.officer)
        with time_machine.travel(datetime.datetime(2026, 12, 4, 8, 59, tzinfo=ZONE)):
            self.assertEqual(self.client.get(path).status_code, 302)
        with time_machine.travel(datetime.datetime(2026, 12, 4, 9, 1, tzinfo=ZONE)):
            response = self.client.get(path)
        self.assertContains(response, "Liên kết này đã hết hạn", status_code=410)
        self.assertContains(response, "trong 24 giờ", status_code=410)
        self.assertContains(response, f'href="{RESET}"', status_code=410)
        self.assertContains(response, "quản trị viên", status_code=410)

    def test_a_link_outdated_by_a_later_password_change_is_used(self):
        path = self.confirm_path(self.officer)
        self.officer.set_password("Da-doi-roi-2026!")
        self.officer.save()
        self.assertContains(self.client.get(path), "Liên kết này đã được dùng", status_code=410)

    def test_a_link_cut_short_is_used_and_one_of_no_account_is_not_found(self):
        uid = urlsafe_base64_encode(force_bytes(self.officer.pk))
        token = default_token_generator.make_token(self.officer)
        cut = self.client.get(reverse("password_reset_confirm", args=[uid, token[:-5]]))
        self.assertContains(cut, "không dùng được", status_code=410)
        for bad_uid in (urlsafe_base64_encode(force_bytes(999999)), "@@", "MTIz"):
            with self.subTest(uid=bad_uid):
                response = self.client.get(reverse("password_reset_confirm", args=[bad_uid, token]))
                self.assertContains(response, "Liên kết này không đúng", status_code=404)
                self.assertContains(response, f'href="{RESET}"', status_code=404)

    def test_the_link_of_an_account_locked_since_does_not_open(self):
        path = self.confirm_path(self.officer)
        self.officer.is_active = False
        self.officer.save()
        response = self.client.get(path)
        self.assertContains(response, "Liên kết này không đúng", status_code=404)
        self.officer.refresh_from_db()
        self.assertTrue(self.officer.check_password(PASSWORD))

    def test_the_form_address_without_a_token_in_the_session_says_used(self):
        uid = urlsafe_base64_encode(force_bytes(self.officer.pk))
        response = self.client.get(reverse("password_reset_confirm", args=[uid, "set-password"]))
        self.assertContains(response, "Liên kết này đã được dùng", status_code=410)
