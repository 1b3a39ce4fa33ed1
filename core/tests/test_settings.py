import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase, TestCase
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_URL = "https://cchc.example.gov.vn"
REAL_SECRET = "k3Jq-9vZ_x2mP0rT8wLs4nB7cY1dF6hG5jA-eU3iO9pQ2zX8vN4mK7"


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # A production process: none of the test run's own variables (the browser fixture sets
    # DJANGO_ALLOW_ASYNC_UNSAFE, which the deploy check rightly refuses).
    unwanted = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {key: value for key, value in os.environ.items() if key not in unwanted}
    environment.update(env, DJANGO_SETTINGS_MODULE="cchc_portal.settings_production")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


class ProductionSettingsTests(SimpleTestCase):
    def test_it_refuses_to_start_with_debug_on(self):
        result = run_manage("check", DEBUG="1", SECRET_KEY=REAL_SECRET)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DEBUG must be off in production", result.stderr)

    def test_it_refuses_to_start_without_a_real_secret(self):
        for secret in ("", "short", "django-insecure-development-key-never-use-in-production"):
            with self.subTest(secret=secret):
                result = run_manage("check", SECRET_KEY=secret)
                self.assertNotEqual(result.returncode, 0)
                self.assertIn("SECRET_KEY must be set", result.stderr)

    def test_check_deploy_is_clean(self):
        result = run_manage(
            "check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=REAL_SECRET, PORTAL_URL=PUBLIC_URL
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("System check identified no issues", result.stdout)

    def test_check_deploy_wants_the_public_address_and_a_mail_server(self):
        # Mails are written by background tasks, which have no request to take the address from.
        result = run_manage(
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            SECRET_KEY=REAL_SECRET,
            PORTAL_URL="http://127.0.0.1:8000",
            EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("cchc.W001", result.stderr + result.stdout)
        self.assertIn("cchc.W002", result.stderr + result.stdout)


class LocaleTests(SimpleTestCase):
    def test_the_portal_speaks_vietnamese_in_vietnam(self):
        self.assertEqual(settings.LANGUAGE_CODE, "vi")
        self.assertEqual(settings.TIME_ZONE, "Asia/Ho_Chi_Minh")


class SecurityHeaderTests(TestCase):
    def test_the_csp_forbids_inline_code(self):
        response = self.client.get(reverse("login"))
        policy = response["Content-Security-Policy"]
        self.assertIn("script-src 'self'", policy)
        self.assertIn("style-src 'self'", policy)
        self.assertNotIn("unsafe-inline", policy)
        self.assertNotIn("unsafe-eval", policy)
        self.assertEqual(response["X-Frame-Options"], "DENY")

    def test_pages_carry_no_inline_script_or_style(self):
        html = self.client.get(reverse("login")).content.decode()
        self.assertNotIn("<style", html)
        self.assertNotIn(" style=", html)
        for chunk in html.split("<script")[1:]:
            self.assertIn("src=", chunk.split(">", 1)[0])


class DatabaseTests(SimpleTestCase):
    def test_the_suite_runs_on_the_database_it_was_given(self):
        from django.db import connection

        url = os.environ.get("DATABASE_URL", "")
        expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
        self.assertEqual(connection.vendor, expected)


class PostgresJitTests(TestCase):
    def test_postgresql_compiles_no_query_just_in_time(self):
        """The overview's query of a 2025 province before the reform cost 5 s of JIT compilation
        for 20 ms of work: the portal's connections have it off."""
        from django.db import connection

        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL only")
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            self.assertEqual(cursor.fetchone()[0], "off")
