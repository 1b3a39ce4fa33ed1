"""seed_demo never runs on a production machine: its accounts have a published password."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase, override_settings

from communes.models import AdministrativeUnit, User

ROOT = Path(__file__).resolve().parents[2]
REAL_SECRET = "k3Jq-9vZ_x2mP0rT8wLs4nB7cY1dF6hG5jA-eU3iO9pQ2zX8vN4mK7"


class RefusalTests(TestCase):
    def assert_refused(self, *words: str):
        with self.assertRaises(CommandError) as caught:
            call_command("seed_demo", verbosity=0)
        for word in words:
            self.assertIn(word, str(caught.exception))
        self.assertFalse(User.objects.exists())
        self.assertFalse(AdministrativeUnit.objects.exists())

    @override_settings(DEMO_DATA_ALLOWED=False)
    def test_it_refuses_under_the_production_settings(self):
        self.assert_refused("Không nạp dữ liệu mẫu", "quantri", "cchc_portal.settings_production", "DEBUG=1")

    @override_settings(DEBUG=False, SECRET_KEY=REAL_SECRET)
    def test_it_refuses_with_a_real_secret_and_debug_off(self):
        # The development settings pointed at a production environment (its SECRET_KEY, its
        # DATABASE_URL): manage.py's default settings module, without the production one.
        self.assert_refused("Không nạp dữ liệu mẫu", "SECRET_KEY", "DEBUG=1")


class ProductionProcessTests(SimpleTestCase):
    def test_manage_py_seed_demo_exits_1_and_touches_no_database(self):
        with tempfile.TemporaryDirectory() as folder:
            database = Path(folder) / "db.sqlite3"
            unwanted = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
            environment = {key: value for key, value in os.environ.items() if key not in unwanted}
            environment.update(
                DJANGO_SETTINGS_MODULE="cchc_portal.settings_production",
                SECRET_KEY=REAL_SECRET,
                DATABASE_URL=f"sqlite:///{database}",
            )
            result = subprocess.run(
                [sys.executable, "manage.py", "seed_demo"],
                cwd=ROOT,
                env=environment,
                capture_output=True,
                text=True,
                timeout=120,
            )
            self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
            self.assertIn("Không nạp dữ liệu mẫu", result.stderr)
            self.assertNotIn("quantri  ", result.stdout)
            self.assertFalse(database.exists() and database.stat().st_size, "the database was written")


class DevelopmentMachineTests(SimpleTestCase):
    def test_make_run_and_the_test_runner_may_seed(self):
        from core.management.commands.seed_demo import demo_data_refusal

        self.assertIsNone(demo_data_refusal())  # the development key, as in tests
        with override_settings(DEBUG=True, SECRET_KEY=REAL_SECRET):  # make run sets DEBUG=1
            self.assertIsNone(demo_data_refusal())
