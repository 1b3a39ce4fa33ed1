"""A one-time password handed over on paper: every page sends its holder to choose its own,
then it goes on to its home."""

from __future__ import annotations

import re

from django.test import override_settings
from django.urls import reverse

from accounts.services import one_time_password_issue
from core.testing import PASSWORD

from .people_world import PeopleTestCase

CHANGE = reverse("password_change")
OWN_PASSWORD = "Nui-Ba-Den-2026!"


class ForcedChangeTestCase(PeopleTestCase):
    def setUp(self):
        self.one_time = one_time_password_issue(user=self.officer)
        self.officer.refresh_from_db()

    def change(self, new=OWN_PASSWORD, old=None, new2=None):
        return self.client.post(
            CHANGE, {"old_password": old or self.one_time, "new_password1": new, "new_password2": new2 or new}
        )


class RedirectTests(ForcedChangeTestCase):
    def setUp(self):
        super().setUp()
        self.assertTrue(self.logs_in("officer", self.one_time))

    def test_every_page_leads_to_the_password_form(self):
        for url in (
            reverse("home"),
            reverse("communes:unit_detail", args=[self.hoai_chau.pk]),
            reverse("dossiers:entry", args=[self.hoai_chau.pk, "2024-03"]),
            reverse("dossiers:export", args=[self.hoai_chau.pk, "2024-03", "xlsx"]),
            reverse("notifications:list"),
            "/admin/",
            "/khong-co-trang-nay/",
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertRedirects(response, CHANGE, fetch_redirect_response=False)

    def test_a_post_is_not_acted_on(self):
        response = self.client.post(
            reverse("dossiers:entry", args=[self.hoai_chau.pk, "2024-03"]), {"version": "0"}
        )
        self.assertRedirects(response, CHANGE, fetch_redirect_response=False)
        self.assertFalse(self.hoai_chau.dossier_reports.exists())

    def test_an_htmx_request_loads_the_form_as_a_whole_page(self):
        response = self.client.get(
            reverse("communes:unit_detail", args=[self.hoai_chau.pk]), HTTP_HX_REQUEST="true"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["HX-Redirect"], CHANGE)
        self.assertEqual(response.content, b"")

    def test_the_form_says_why_and_offers_no_way_around(self):
        response = self.client.get(CHANGE)
        self.assertContains(response, "Đặt mật khẩu của bạn")
        self.assertContains(response, "mật khẩu dùng một lần do quản trị viên cấp")
        self.assertContains(
            response, '<label class="form-label" for="id_old_password">Mật khẩu hiện tại</label>', html=True
        )
        self.assertNotContains(response, ">Hủy<")

    def test_logging_out_and_the_static_files_stay_open(self):
        self.assertEqual(self.client.get("/static/css/portal.css").status_code, 200)
        response = self.client.post(reverse("logout"))
        self.assertRedirects(response, reverse("login"), fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_change_clears_the_flag_keeps_the_session_and_goes_home(self):
        session_key = self.client.session.session_key
        response = self.change()
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.officer.refresh_from_db()
        self.assertFalse(self.officer.must_change_password)
        self.assertTrue(self.officer.check_password(OWN_PASSWORD))
        home = self.client.get(reverse("home"), follow=True)
        self.assertEqual(
            home.redirect_chain[-1][0], reverse("communes:unit_detail", args=[self.hoai_chau.pk])
        )
        self.assertContains(home, "Đã lưu mật khẩu mới của bạn.")
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.officer.pk)
        self.assertNotEqual(self.client.session.session_key, "")
        self.assertIsNotNone(session_key)
        # The paper's password no longer works; the person's own does.
        self.assertFalse(self.logs_in("officer", self.one_time))
        self.assertTrue(self.logs_in("officer", OWN_PASSWORD))

    def test_keeping_the_one_time_password_is_refused(self):
        response = self.change(new=self.one_time)
        self.assertContains(response, "Mật khẩu mới phải khác mật khẩu hiện tại.")
        self.officer.refresh_from_db()
        self.assertTrue(self.officer.must_change_password)
        self.assertRedirects(self.client.get(reverse("home")), CHANGE, fetch_redirect_response=False)

    def test_a_wrong_current_password_changes_nothing(self):
        response = self.change(old="khong-dung")
        self.assertContains(response, "invalid-feedback")
        self.officer.refresh_from_db()
        self.assertTrue(self.officer.must_change_password)
        self.assertTrue(self.officer.check_password(self.one_time))


class OtherAccountsTests(ForcedChangeTestCase):
    def test_others_are_not_redirected_and_their_change_goes_to_the_done_page(self):
        self.login(self.chairman)
        self.assertEqual(
            self.client.get(reverse("communes:unit_detail", args=[self.hoai_chau.pk])).status_code, 200
        )
        response = self.client.post(
            CHANGE, {"old_password": PASSWORD, "new_password1": OWN_PASSWORD, "new_password2": OWN_PASSWORD}
        )
        self.assertRedirects(response, reverse("password_change_done"), fetch_redirect_response=False)

    def test_the_one_time_password_is_random_readable_and_only_its_hash_is_stored(self):
        self.assertRegex(self.one_time, r"^[a-km-zA-HJ-NP-Z2-9]{10}$")
        self.assertNotIn(self.one_time, self.officer.password)
        self.assertTrue(self.officer.check_password(self.one_time))
        self.assertNotEqual(one_time_password_issue(user=self.chairman), self.one_time)


@override_settings(AXES_FAILURE_LIMIT=50)
class HandedOverFromTheListTests(PeopleTestCase):
    def test_one_time_password_from_the_list_then_forced_change_then_home(self):
        self.login(self.administrator)
        url = reverse("accounts:one_time_password", args=[self.neighbour.pk])
        self.assertContains(self.client.get(url), "Cấp mật khẩu dùng một lần cho Neighbour?")
        sheet = self.client.post(url)
        self.assertEqual(sheet.status_code, 200)
        password = re.search(r'data-field="password">([^<]+)<', sheet.content.decode()).group(1)
        self.assertEqual(password, sheet.context["password"])

        self.assertTrue(self.logs_in("neighbour", password))
        self.assertRedirects(self.client.get(reverse("home")), CHANGE, fetch_redirect_response=False)
        response = self.client.post(
            CHANGE, {"old_password": password, "new_password1": OWN_PASSWORD, "new_password2": OWN_PASSWORD}
        )
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        home = self.client.get(reverse("home"), follow=True)
        self.assertEqual(
            home.redirect_chain[-1][0], reverse("communes:unit_detail", args=[self.hoai_chau_bac.pk])
        )
        self.assertFalse(self.logs_in("neighbour", PASSWORD))
