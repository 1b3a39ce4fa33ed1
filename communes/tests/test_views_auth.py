from axes.models import AccessAttempt
from django.test import Client, override_settings
from django.urls import reverse

from core.testing import PASSWORD, PortalTestCase

LOGIN = reverse("login")


class LoginTests(PortalTestCase):
    def post_login(self, username, password, **extra):
        return self.client.post(LOGIN, {"username": username, "password": password}, **extra)

    def test_the_login_page_is_in_vietnamese_with_labelled_fields(self):
        response = self.client.get(LOGIN)
        self.assertContains(response, '<html lang="vi">')
        self.assertContains(
            response, '<label class="form-label" for="id_username">Tên đăng nhập</label>', html=True
        )
        self.assertContains(
            response, '<label class="form-label" for="id_password">Mật khẩu</label>', html=True
        )

    def test_an_english_browser_still_gets_vietnamese(self):
        self.login(self.officer)
        response = self.client.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": "Cchc-moi-2025!", "new_password2": "khac"},
            HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9",
        )
        self.assertContains(response, '<html lang="vi">')
        self.assertNotContains(response, "didn’t match")

    def test_a_right_password_logs_in_and_goes_home(self):
        response = self.post_login("officer", PASSWORD)
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.officer.pk)

    def test_a_wrong_password_is_refused_in_vietnamese(self):
        response = self.post_login("officer", "sai-mat-khau")
        self.assertContains(response, "Tên đăng nhập hoặc mật khẩu không đúng.", status_code=200)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_an_inactive_account_cannot_log_in(self):
        self.officer.is_active = False
        self.officer.save()
        response = self.post_login("officer", PASSWORD)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertEqual(response.status_code, 200)

    def test_a_login_may_not_redirect_to_another_site(self):
        response = self.client.post(
            LOGIN, {"username": "officer", "password": PASSWORD, "next": "https://example.com/"}
        )
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_repeated_failures_lock_the_username_from_that_address(self):
        for _attempt in range(3):
            self.post_login("officer", "sai-mat-khau", REMOTE_ADDR="10.0.0.5")
        response = self.post_login("officer", PASSWORD, REMOTE_ADDR="10.0.0.5")
        self.assertContains(response, "tạm thời bị khóa đăng nhập", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)
        # Three failures, and the refused attempt while locked counts as one more.
        self.assertEqual(AccessAttempt.objects.get(username="officer").failures_since_start, 4)

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_a_lockout_does_not_lock_colleagues_in_the_same_office(self):
        for _attempt in range(3):
            self.post_login("officer", "sai-mat-khau", REMOTE_ADDR="10.0.0.5")
        response = self.post_login("chairman", PASSWORD, REMOTE_ADDR="10.0.0.5")
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)

    def test_a_login_posted_without_csrf_token_is_refused_and_explained(self):
        client = Client(enforce_csrf_checks=True)
        response = client.post(LOGIN, {"username": "officer", "password": PASSWORD})
        self.assertContains(response, "thiếu mã bảo mật", status_code=403)
        self.assertNotIn("_auth_user_id", client.session)


class LogoutTests(PortalTestCase):
    def test_logout_is_a_post_and_returns_to_the_login_page(self):
        self.login(self.officer)
        self.assertEqual(self.client.get(reverse("logout")).status_code, 405)
        response = self.client.post(reverse("logout"))
        self.assertRedirects(response, LOGIN, fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)


class PasswordChangeTests(PortalTestCase):
    url = reverse("password_change")

    def test_permission_matrix(self):
        self.assert_access_matrix(
            self.url, {"anonymous": 302, "officer": 200, "reviewer": 200, "outsider": 200}
        )

    def test_it_changes_the_password(self):
        self.login(self.officer)
        response = self.client.post(
            self.url,
            {"old_password": PASSWORD, "new_password1": "Cchc-moi-2025!", "new_password2": "Cchc-moi-2025!"},
        )
        self.assertRedirects(response, reverse("password_change_done"))
        self.officer.refresh_from_db()
        self.assertTrue(self.officer.check_password("Cchc-moi-2025!"))

    def test_the_same_change_posted_twice_is_refused_the_second_time(self):
        self.login(self.officer)
        data = {
            "old_password": PASSWORD,
            "new_password1": "Cchc-moi-2025!",
            "new_password2": "Cchc-moi-2025!",
        }
        self.assertRedirects(self.client.post(self.url, data), reverse("password_change_done"))
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "invalid-feedback")
        self.officer.refresh_from_db()
        self.assertTrue(self.officer.check_password("Cchc-moi-2025!"))

    def test_a_too_short_password_is_refused_in_vietnamese(self):
        # Django's own "vi" catalogue leaves this message in English; locale/ fills it in.
        self.login(self.officer)
        response = self.client.post(
            self.url, {"old_password": PASSWORD, "new_password1": "ab1", "new_password2": "ab1"}
        )
        self.assertContains(response, "Mật khẩu này quá ngắn: cần ít nhất 8 ký tự.")
        self.officer.refresh_from_db()
        self.assertTrue(self.officer.check_password(PASSWORD))

    def test_a_wrong_old_password_changes_nothing(self):
        self.login(self.officer)
        response = self.client.post(
            self.url,
            {"old_password": "sai", "new_password1": "Cchc-moi-2025!", "new_password2": "Cchc-moi-2025!"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "invalid-feedback")
        self.officer.refresh_from_db()
        self.assertTrue(self.officer.check_password(PASSWORD))

    def test_mismatched_new_passwords_change_nothing(self):
        self.login(self.officer)
        response = self.client.post(
            self.url, {"old_password": PASSWORD, "new_password1": "Cchc-moi-2025!", "new_password2": "khac"}
        )
        self.assertEqual(response.status_code, 200)
        self.officer.refresh_from_db()
        self.assertTrue(self.officer.check_password(PASSWORD))
