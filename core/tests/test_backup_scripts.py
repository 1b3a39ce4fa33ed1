"""scripts/backup.sh and scripts/restore.sh (README "Backup and restore"): what they refuse.

The whole round trip (dump, media, restore into a fresh database, files read back through the
portal) needs PostgreSQL twice over and runs in CI as scripts/check_restore.sh. These tests guard the
refusals, which must come before anything is written or restored.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.test import SimpleTestCase, TestCase

from communes.models import AdministrativeUnit

SCRIPTS = Path(settings.BASE_DIR) / "scripts"


def run(script: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHON": sys.executable, **env}
    return subprocess.run(
        ["bash", str(SCRIPTS / script), *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )


def fake_backup(folder: Path) -> Path:
    """A backup folder as backup.sh writes it, with contents that are not a real dump."""
    folder.mkdir(parents=True)
    (folder / "db.dump").write_bytes(b"PGDMP not really a dump")
    (folder / "media.tar.gz").write_bytes(b"not really an archive")
    (folder / "manifest.txt").write_text("CCHC portal backup\n")
    lines = [
        f"{hashlib.sha256((folder / name).read_bytes()).hexdigest()}  {name}\n"
        for name in ("db.dump", "media.tar.gz", "manifest.txt")
    ]
    (folder / "SHA256SUMS").write_text("".join(lines))
    return folder


class ScriptTestCase(SimpleTestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="backup-tests-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.media = self.tmp / "media"
        self.media.mkdir()
        self.sqlite = f"sqlite:///{self.tmp / 'db.sqlite3'}"


class BackupRefusalTests(ScriptTestCase):
    def test_without_a_destination_it_prints_how_to_call_it(self):
        result = run("backup.sh", DATABASE_URL=self.sqlite, MEDIA_ROOT=str(self.media))
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("usage: scripts/backup.sh", result.stderr)

    def test_sqlite_is_refused_by_name_and_nothing_is_written(self):
        dest = self.tmp / "backups"
        result = run("backup.sh", str(dest), DATABASE_URL=self.sqlite, MEDIA_ROOT=str(self.media))
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("DATABASE_URL is SQLite", result.stderr)
        self.assertIn(str(self.tmp / "db.sqlite3"), result.stderr)
        self.assertFalse(dest.exists())

    def test_a_media_root_that_does_not_exist_is_refused_by_name(self):
        missing = self.tmp / "no-such-media"
        result = run(
            "backup.sh",
            str(self.tmp / "backups"),
            DATABASE_URL="postgres://cchc@127.0.0.1:1/cchc",
            MEDIA_ROOT=str(missing),
        )
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn(f"MEDIA_ROOT {missing} does not exist", result.stderr)
        self.assertFalse((self.tmp / "backups").exists())


class RestoreRefusalTests(ScriptTestCase):
    def test_a_backup_whose_checksum_does_not_match_is_refused_before_anything_is_restored(self):
        backup = fake_backup(self.tmp / "20261202T013000Z")
        (backup / "db.dump").write_bytes(b"PGDMP changed after the backup")
        target = self.tmp / "restored-media"
        result = run("restore.sh", str(backup), DATABASE_URL=self.sqlite, MEDIA_ROOT=str(target))
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("db.dump: FAILED", result.stdout + result.stderr)
        self.assertIn("does not match its checksum", result.stderr)
        self.assertFalse(target.exists())

    def test_a_folder_that_is_not_a_backup_is_refused_by_name(self):
        result = run("restore.sh", str(self.tmp), DATABASE_URL=self.sqlite, MEDIA_ROOT=str(self.media))
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn(f"{self.tmp} is not a backup of backup.sh: db.dump is missing", result.stderr)

    def test_sqlite_is_refused_as_a_target(self):
        backup = fake_backup(self.tmp / "20261202T013000Z")
        result = run("restore.sh", str(backup), DATABASE_URL=self.sqlite, MEDIA_ROOT=str(self.tmp / "new"))
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("DATABASE_URL is SQLite", result.stderr)


class PortalEnvironmentTests(SimpleTestCase):
    def test_the_database_is_read_like_the_portal_reads_it_and_the_password_stays_off_the_command_line(self):
        result = subprocess.run(
            [sys.executable, str(SCRIPTS / "portal.py"), "env"],
            capture_output=True,
            text=True,
            env={
                **os.environ,
                "DATABASE_URL": "postgres://cchc:p%40ss%20word@db.internal:6543/cchc_prod?sslmode=require",
                "MEDIA_ROOT": "/srv/cchc/media",
            },
            check=True,
        )
        lines = set(result.stdout.splitlines())
        for expected in (
            "PORTAL_DB_ENGINE=postgresql",
            "export PGHOST=db.internal",
            "export PGPORT=6543",
            "export PGUSER=cchc",
            "export PGPASSWORD='p@ss word'",
            "export PGDATABASE=cchc_prod",
            "export PGSSLMODE=require",
            "PORTAL_MEDIA_ROOT=/srv/cchc/media",
        ):
            self.assertIn(expected, lines)
        self.assertNotIn("DATABASE_URL", result.stdout)


def database_url_of_tests() -> str:
    """The URL of the database the tests run on (test_…), for a script to connect to."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{quote(db['USER'], safe='')}{password}@{host}/{db['NAME']}"


@unittest.skipUnless(connection.vendor == "postgresql", "the scripts work on PostgreSQL only")
class PostgreSQLScriptTests(TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="backup-tests-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.media = self.tmp / "media"
        (self.media / "evidence").mkdir(parents=True)
        (self.media / "evidence" / "old.pdf").write_bytes(b"%PDF-1.4 old")

    def test_a_backup_has_its_checksums_and_keep_days_deletes_only_old_backups(self):
        dest = self.tmp / "backups"
        now = datetime.datetime.now(datetime.UTC)
        old, recent = (f"{now - datetime.timedelta(days=days):%Y%m%dT%H%M%SZ}" for days in (40, 20))
        for name in (old, recent, "notes"):
            (dest / name).mkdir(parents=True)

        result = run(
            "backup.sh",
            "--keep-days",
            "30",
            str(dest),
            DATABASE_URL=database_url_of_tests(),
            MEDIA_ROOT=str(self.media),
        )

        self.assertEqual(result.returncode, 0, result.stderr)
        written = sorted(set(os.listdir(dest)) - {old, recent, "notes", ".backup.lock"})
        self.assertEqual(len(written), 1, os.listdir(dest))
        backup = dest / written[0]
        self.assertEqual(
            sorted(os.listdir(backup)), ["SHA256SUMS", "db.dump", "manifest.txt", "media.tar.gz"]
        )
        check = subprocess.run(
            ["sha256sum", "--check", "--strict", "SHA256SUMS"], cwd=backup, capture_output=True, check=False
        )
        self.assertEqual(check.returncode, 0, check.stdout)
        self.assertIn("(1 files)", (backup / "manifest.txt").read_text())
        self.assertEqual((backup / "db.dump").stat().st_mode & 0o077, 0)  # readable by its owner only
        self.assertFalse((dest / old).exists())
        self.assertTrue((dest / recent).exists())
        self.assertTrue((dest / "notes").exists())
        self.assertIn(f"deleted {dest / old}", result.stdout)

    def test_a_database_with_tables_and_a_media_root_with_files_are_refused_and_left_alone(self):
        backup = fake_backup(self.tmp / "20261202T013000Z")
        media, db = self.media, connection.settings_dict
        before = AdministrativeUnit.objects.count()

        result = run("restore.sh", str(backup), DATABASE_URL=database_url_of_tests(), MEDIA_ROOT=str(media))

        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn(f"database {db['NAME']} is not empty", result.stderr)
        self.assertIn(f"MEDIA_ROOT {media} is not empty", result.stderr)
        self.assertIn("--force", result.stderr)
        self.assertEqual(AdministrativeUnit.objects.count(), before)
        self.assertEqual((media / "evidence" / "old.pdf").read_bytes(), b"%PDF-1.4 old")
