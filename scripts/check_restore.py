"""The two ends of scripts/check_restore.sh, run against the database of DATABASE_URL.

``check_restore.py fixture EXPECTED.json`` (on the database to back up, migrated and empty): the test
world of ``core.testing.build_world``, an evidence file on Hoài Châu's self-assessment and an issued
annual report with its stored PDF, made by the portal's own services; then both files are read
through the portal, logged in as the commune's officer, and their SHA-256 written to EXPECTED.json
with the inventory of ``portal.py``.

``check_restore.py verify EXPECTED.json`` (on the restored database and MEDIA_ROOT): logs in again,
reads both files through the portal and compares, with the inventory. Exit status 1, naming what
differs, on any mismatch.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")
# WhiteNoise looks for STATIC_ROOT, which only collectstatic (production) creates.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

import django  # noqa: E402

django.setup()

import portal  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from core.testing import PASSWORD  # noqa: E402

USERNAME = "officer"  # Hoài Châu's officer: reads the commune's issued reports and its evidence


def make_fixture() -> dict[str, str]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from core.testing import build_world
    from indices.services.assessment import evidence_upload
    from indices.testing import make_framework, make_round
    from reports.compose import report_compose
    from reports.services.issuing import report_issue

    with transaction.atomic():
        world = build_world()
        framework = make_framework(world.binh_dinh)
        round_ = make_round(framework, world.hoai_nhon)
        assessment = round_.assessments.get(unit=world.hoai_chau)
    # A PDF of its own each run, so that no other file could give the same checksum.
    content = b"%PDF-1.4\n% check_restore " + secrets.token_hex(32).encode() + b"\n%%EOF\n"
    evidence = evidence_upload(
        assessment=assessment,
        criterion=framework.criteria.get(code="1.1"),
        upload=SimpleUploadedFile("Kế hoạch CCHC 2023.pdf", content, content_type="application/pdf"),
        user=world.officer,
    )
    report = report_compose(unit=world.hoai_chau, kind="tong-ket-nam", period="2023", user=world.officer)
    report = report_issue(report=report, user=world.chairman)
    return {
        "report": reverse("reports:report_download", args=[report.pk]),
        "evidence": reverse("indices:evidence_download", args=[evidence.pk]),
    }


def read_back(urls: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The SHA-256 of each URL's body, read by the test client logged in through the login page."""
    client = Client()
    failures = []
    response = client.post(reverse("login"), {"username": USERNAME, "password": PASSWORD})
    if response.status_code != 302:
        return {}, [f"login as {USERNAME} answered {response.status_code}, not a redirect"]
    checksums = {}
    for name, url in urls.items():
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.status_code != 200:
            failures.append(f"{name}: GET {url} answered {response.status_code}: {body[:200]!r}")
        checksums[name] = hashlib.sha256(body).hexdigest()
    return checksums, failures


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in {"fixture", "verify"}:
        print("usage: scripts/check_restore.py fixture|verify EXPECTED.json", file=sys.stderr)
        return 2
    setup_test_environment()  # the test client's host, "testserver", is allowed
    command, expected_path = argv[0], Path(argv[1])
    if command == "fixture":
        urls = make_fixture()
        checksums, failures = read_back(urls)
        found = portal.inventory()
        stored = {
            name: hashlib.sha256(Path(django.conf.settings.MEDIA_ROOT, path).read_bytes()).hexdigest()
            for name, path in _stored_files().items()
        }
        for name, checksum in stored.items():
            if checksums.get(name) != checksum:
                failures.append(f"{name}: the portal did not send the stored file before the backup")
        if found["files_missing"]:
            failures.append(f"files missing before the backup: {found['files_missing']}")
        expected_path.write_text(
            json.dumps({"urls": urls, "sha256": checksums, "inventory": found}, indent=2)
        )
        print(f"check_restore.py: fixture made, {found['counts']}")
    else:
        expected = json.loads(expected_path.read_text())
        checksums, failures = read_back(expected["urls"])
        for name, checksum in expected["sha256"].items():
            if checksums.get(name) not in (None, checksum):
                failures.append(
                    f"{name}: {expected['urls'][name]} sent other bytes after the restore "
                    f"(sha256 {checksums[name]}, before {checksum})"
                )
        found = portal.inventory()
        if found != expected["inventory"]:
            failures.append(
                f"inventory after the restore {found} differs from before {expected['inventory']}"
            )
        if not failures:
            print(f"check_restore.py: the PDF and the evidence file read back the same, {found['counts']}")
    for failure in failures:
        print(f"check_restore.py: FAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


def _stored_files() -> dict[str, str]:
    from indices.models import Evidence
    from reports.models import Report

    return {
        "report": Report.objects.exclude(pdf="").latest("pk").pdf.name,
        "evidence": Evidence.objects.latest("pk").file.name,
    }


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
