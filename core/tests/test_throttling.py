"""Failed-login throttling behind the load balancer (README "Settings", AXES_*).

Every request here comes the way production sees it: from the balancer's address (REMOTE_ADDR),
with the client's address in X-Forwarded-For as the balancer appends it, after whatever the
client itself sent there.
"""

from __future__ import annotations

import datetime

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.test import SimpleTestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from cchc_portal.settings import client_address_settings
from core.testing import PASSWORD, PortalTestCase

LOGIN = reverse("login")
BALANCER = "10.0.0.2"
CDN = "10.0.0.9"
ATTACKER = "198.51.100.66"
OFFICE = "203.0.113.10"
OTHER_OFFICE = "203.0.113.77"
LOCKED_TEXT = "tạm thời bị khóa đăng nhập"


class ThrottlingTestCase(PortalTestCase):
    def post_login(self, username, password, address, *, forged=None, **extra):
        """A login posted by the client at ``address`` through one balancer.

        ``forged`` is what the client put in X-Forwarded-For itself; the balancer appends the
        address it sees after it.
        """
        forwarded = address if forged is None else f"{forged}, {address}"
        extra.setdefault("REMOTE_ADDR", BALANCER)
        extra.setdefault("HTTP_X_FORWARDED_FOR", forwarded)
        self.client.logout()
        return self.client.post(LOGIN, {"username": username, "password": password}, **extra)

    def assert_logged_in(self, response, user):
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertEqual(int(self.client.session["_auth_user_id"]), user.pk)

    def assert_locked_out(self, response):
        self.assertContains(response, LOCKED_TEXT, status_code=429)
        self.assertTemplateUsed(response, "registration/locked_out.html")
        self.assertNotIn("_auth_user_id", self.client.session)


@override_settings(**client_address_settings(1), AXES_FAILURE_LIMIT=5)
class BehindTheBalancerTests(ThrottlingTestCase):
    def test_an_attacker_cannot_lock_the_real_user_out(self):
        # Five wrong passwords for the chairman from the attacker's machine, each with another
        # forged X-Forwarded-For: they all count against the attacker's own address.
        for attempt in range(5):
            self.post_login("chairman", "sai-mat-khau", ATTACKER, forged=f"192.0.2.{attempt}")
        self.assert_locked_out(self.post_login("chairman", PASSWORD, ATTACKER, forged="192.0.2.200"))
        self.assertEqual(
            list(AccessAttempt.objects.values_list("username", "ip_address", "failures_since_start")),
            [("chairman", ATTACKER, 6)],
        )
        # The chairman, at the commune office, is not locked out.
        self.assert_logged_in(self.post_login("chairman", PASSWORD, OFFICE), self.chairman)

    def test_a_colleague_in_the_same_office_is_not_locked_out(self):
        for _attempt in range(5):
            self.post_login("officer", "sai-mat-khau", OFFICE)
        response = self.post_login("officer", PASSWORD, OFFICE)
        self.assert_locked_out(response)
        self.assertFalse(response.context["address_locked"])
        self.assertContains(response, "Hãy thử lại sau 15 phút", status_code=429)
        self.assert_logged_in(self.post_login("chairman", PASSWORD, OFFICE), self.chairman)

    def test_a_request_without_the_balancers_header_is_never_counted_as_the_balancer(self):
        self.post_login("officer", "sai-mat-khau", OFFICE, HTTP_X_FORWARDED_FOR="")
        self.assertEqual(AccessFailureLog.objects.get().ip_address, None)
        self.assertFalse(AccessFailureLog.objects.filter(ip_address=BALANCER).exists())


@override_settings(**client_address_settings(1), AXES_IP_FAILURE_LIMIT=50)
class SprayingTests(ThrottlingTestCase):
    def spray(self, count, address=ATTACKER):
        for attempt in range(count):
            self.post_login(f"xa.chutich{attempt}", "cchc@2025", address, forged=f"192.0.2.{attempt}")

    def test_fifty_failures_over_many_usernames_lock_the_address_out(self):
        self.spray(50)
        self.assertEqual(AccessFailureLog.objects.filter(ip_address=ATTACKER).count(), 50)
        # The 51st attempt is refused even with a right password, for a username never tried.
        response = self.post_login("officer", PASSWORD, ATTACKER)
        self.assert_locked_out(response)
        self.assertTrue(response.context["address_locked"])
        self.assertContains(response, "đã đăng nhập sai quá 50 lần trong 60 phút", status_code=429)
        # Another address is not concerned.
        self.assert_logged_in(self.post_login("officer", PASSWORD, OTHER_OFFICE), self.officer)

    def test_the_fiftieth_failure_already_answers_the_locked_out_page(self):
        self.spray(49)
        self.assert_locked_out(self.post_login("xa.chutich99", "cchc@2025", ATTACKER))

    def test_a_busy_office_below_the_ceiling_still_logs_in(self):
        self.spray(49, address=OFFICE)
        self.assert_logged_in(self.post_login("officer", PASSWORD, OFFICE), self.officer)

    def test_the_attackers_own_successful_login_does_not_reset_the_ceiling(self):
        self.spray(45)
        self.assert_logged_in(self.post_login("outsider", PASSWORD, ATTACKER), self.outsider)
        for attempt in range(5):
            self.post_login(f"xa.canbo{attempt}", "cchc@2025", ATTACKER)
        self.assert_locked_out(self.post_login("outsider", PASSWORD, ATTACKER))

    def test_failures_older_than_the_window_no_longer_count(self):
        self.spray(50)
        self.assert_locked_out(self.post_login("officer", PASSWORD, ATTACKER))
        an_hour_ago = timezone.now() - datetime.timedelta(hours=1, minutes=1)
        AccessFailureLog.objects.update(attempt_time=an_hour_ago)
        self.assert_logged_in(self.post_login("officer", PASSWORD, ATTACKER), self.officer)

    @override_settings(AXES_IP_FAILURE_LIMIT=3, AXES_IP_FAILURE_WINDOW=datetime.timedelta(minutes=10))
    def test_the_ceiling_and_its_window_are_settings(self):
        self.spray(3)
        self.assert_locked_out(self.post_login("officer", PASSWORD, ATTACKER))
        AccessFailureLog.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=11))
        self.assert_logged_in(self.post_login("officer", PASSWORD, ATTACKER), self.officer)


@override_settings(**client_address_settings(2), AXES_FAILURE_LIMIT=5)
class BehindTwoProxiesTests(ThrottlingTestCase):
    def test_the_client_is_the_address_the_first_proxy_saw(self):
        # The first proxy appends the client, the second the first proxy; the balancer connects.
        for attempt in range(5):
            self.post_login(
                "chairman", "sai", "x", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, {ATTACKER}, {CDN}"
            )
        self.assertEqual(AccessAttempt.objects.get().ip_address, ATTACKER)
        response = self.post_login("chairman", PASSWORD, "x", HTTP_X_FORWARDED_FOR=f"{OFFICE}, {CDN}")
        self.assert_logged_in(response, self.chairman)


@override_settings(**client_address_settings(0), AXES_FAILURE_LIMIT=5)
class WithoutAProxyTests(ThrottlingTestCase):
    def test_the_connecting_address_is_used_and_x_forwarded_for_ignored(self):
        for attempt in range(5):
            self.post_login("officer", "sai-mat-khau", f"192.0.2.{attempt}", REMOTE_ADDR="10.0.0.5")
        self.assertEqual(
            list(AccessAttempt.objects.values_list("ip_address", "failures_since_start")), [("10.0.0.5", 5)]
        )
        self.assert_locked_out(self.post_login("officer", PASSWORD, OFFICE, REMOTE_ADDR="10.0.0.5"))
        self.assert_logged_in(
            self.post_login("officer", PASSWORD, OFFICE, REMOTE_ADDR="10.0.0.6"), self.officer
        )


class DefaultSettingsTests(SimpleTestCase):
    def test_the_defaults_are_five_per_username_and_address_and_fifty_an_hour_per_address(self):
        self.assertEqual(settings.AXES_FAILURE_LIMIT, 5)
        self.assertEqual(settings.AXES_LOCKOUT_PARAMETERS, [["username", "ip_address"]])
        self.assertEqual(settings.AXES_IP_FAILURE_LIMIT, 50)
        self.assertEqual(settings.AXES_IP_FAILURE_WINDOW, datetime.timedelta(hours=1))

    def test_the_proxy_count_reads_the_nth_address_from_the_right(self):
        self.assertEqual(
            client_address_settings(0),
            {"AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",), "AXES_IPWARE_PROXY_COUNT": None},
        )
        self.assertEqual(
            client_address_settings(1),
            {"AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR",), "AXES_IPWARE_PROXY_COUNT": 0},
        )
