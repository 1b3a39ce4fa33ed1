"""One-time passwords: hashed by the cheaper hasher where the settings list it, re-hashed with the
default at the first login, and the tests' MD5 override still honoured."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher, make_password
from django.test import override_settings
from django.urls import reverse

from accounts.hashers import OneTimePasswordHasher
from accounts.services import ONE_TIME_LENGTH, one_time_password_issue
from communes.models import User
from core.testing import PortalTestCase


class OneTimePasswordHasherTests(PortalTestCase):
    def test_the_settings_list_it_after_the_default(self):
        # conftest.py overrides PASSWORD_HASHERS with MD5 for speed; the real list is read from the
        # settings module itself.
        from cchc_portal import settings as portal_settings

        hashers = portal_settings.PASSWORD_HASHERS
        self.assertEqual(hashers[0], "django.contrib.auth.hashers.PBKDF2PasswordHasher")
        self.assertEqual(hashers[1], "accounts.hashers.OneTimePasswordHasher")

    @override_settings(
        PASSWORD_HASHERS=[
            "django.contrib.auth.hashers.PBKDF2PasswordHasher",
            "accounts.hashers.OneTimePasswordHasher",
        ]
    )
    def test_a_one_time_password_is_hashed_cheaply_then_rehashed_with_the_default_at_the_first_login(self):
        user = User.objects.create_user("tamquan.chutich", password=None)
        password = one_time_password_issue(user=user)
        self.assertEqual(len(password), ONE_TIME_LENGTH)
        user.refresh_from_db()
        self.assertTrue(user.must_change_password)
        self.assertTrue(
            user.password.startswith(f"pbkdf2_sha256_onetime${OneTimePasswordHasher.iterations}$")
        )
        self.assertNotIn(password, user.password)
        response = self.client.post(reverse("login"), {"username": "tamquan.chutich", "password": password})
        self.assertEqual(response.status_code, 302)
        user.refresh_from_db()
        self.assertEqual(identify_hasher(user.password).algorithm, "pbkdf2_sha256")
        self.assertTrue(user.check_password(password))

    def test_under_the_tests_md5_override_it_hashes_with_the_default(self):
        self.assertEqual(settings.PASSWORD_HASHERS, ["django.contrib.auth.hashers.MD5PasswordHasher"])
        user = User.objects.create_user("anlao.chutich", password=None)
        password = one_time_password_issue(user=user, save=False)
        self.assertEqual(identify_hasher(user.password).algorithm, "md5")
        self.assertTrue(user.check_password(password))
        self.assertFalse(User.objects.get(pk=user.pk).has_usable_password())  # save=False saved nothing

    def test_it_costs_a_fraction_of_the_default(self):
        cheap, default = OneTimePasswordHasher(), PBKDF2PasswordHasher()
        self.assertLessEqual(cheap.iterations * 40, default.iterations)
        # 150 one-time passwords, a province's accounts without email, hash in about a second on a
        # 2-core machine (20.000 iterations: ~5 ms each; the default's 1.000.000: ~0,25 s each).
        started = time.perf_counter()
        for _ in range(10):
            make_password("abcdEFGH23", hasher=cheap)
        self.assertLess((time.perf_counter() - started) / 10, 0.05)
