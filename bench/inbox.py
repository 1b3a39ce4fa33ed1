"""Benchmark: the reviewer's inbox (one month's table), its reminder list, beside a floor.

    DATABASE_URL=postgres://… .venv/bin/python manage.py generate_synthetic --province 38 \
        --months 18 --end 2026-11
    DATABASE_URL=postgres://… .venv/bin/python bench/inbox.py [--runs 9] [--period 2026-11] [--floor DIR]

Tỉnh Thanh Hóa (2025 code 38) has 166 communes: with 18 months that is the issue's "170 communes ×
18 months". Before timing, the month's reports are given a fixed mix of states (benchmark data,
not the demo; the same every run): a third submitted and waiting, a sixth returned, a sixth in
draft, the rest approved; and one commune in ten has a report waiting in an earlier month.

Times the server side of each page (the request through Django's test client in-process:
middleware, queries, template) after one warm-up request: the wall clock, and the CPU time of
this process, which a machine busy with other work inflates less; and counts the queries.
``--floor DIR`` times the same inbox URL with the code of another checkout (e.g. ``git worktree
add /tmp/base fa670c4``, the inbox before issue 12) on the same database, in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def setup(root: Path) -> None:
    sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")
    import django

    django.setup()


def time_pages(pages, runs: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    for label, user, url in pages:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        assert client.get(url).status_code == 200, url  # warm-up
        timings, cpu = [], []
        for _run in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started, used = time.perf_counter(), time.process_time()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
                cpu.append(time.process_time() - used)
            assert response.status_code == 200
        print(
            f"{label}: median {statistics.median(timings) * 1000:.0f} ms "
            f"(runs: {', '.join(f'{t * 1000:.0f}' for t in timings)} ms; Python CPU median "
            f"{statistics.median(cpu) * 1000:.0f} ms), {len(queries)} queries, "
            f"{len(response.content) / 1024:.0f} KB",
            flush=True,
        )


def prepare(province_code: str, period_code: str):
    """The reviewer, and the month's fixed mix of states; idempotent."""
    import datetime

    from django.db.models import F
    from django.utils import timezone

    from communes.models import AdministrativeUnit, Era, Role, User
    from communes.services import membership_grant
    from dossiers.models import DossierReport, ReportStatus
    from dossiers.models import Period as PeriodRow

    province = AdministrativeUnit.objects.get(era=Era.CURRENT, level=1, code=province_code)
    reviewer, _ = User.objects.get_or_create(username="bench.reviewer")
    membership_grant(user=reviewer, unit=province, role=Role.REVIEWER)
    year, number = (int(part) for part in period_code.split("-"))
    month = PeriodRow.objects.get(kind="month", year=year, number=number)
    reports = DossierReport.objects.filter(unit__parent=province)
    sent = timezone.make_aware(datetime.datetime(month.year, month.number, 16, 9))
    mix = {
        0: ReportStatus.SUBMITTED,
        1: ReportStatus.SUBMITTED,
        2: ReportStatus.RETURNED,
        3: ReportStatus.DRAFT,
    }
    reports.filter(period=month).update(status=ReportStatus.APPROVED, submitted_at=sent)
    for remainder, status in mix.items():
        reports.filter(period=month).annotate(r=F("unit_id") % 6).filter(r=remainder).update(status=status)
    earlier = PeriodRow.objects.filter(kind="month", year=month.year, number__lt=month.number).order_by(
        "-number"
    )
    if earlier:
        waiting = reports.filter(period=earlier[0]).annotate(r=F("unit_id") % 10).filter(r=0)
        waiting.update(status=ReportStatus.SUBMITTED, submitted_at=sent)
    return province, reviewer


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--period", default="2026-11")
    parser.add_argument(
        "--province", default="38", help="2025 code of the province (38: Thanh Hóa, 166 communes)"
    )
    parser.add_argument("--floor", metavar="DIR", help="another checkout whose inbox is timed beside")
    parser.add_argument("--only-floor", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    root = Path(__file__).resolve().parent.parent
    if options.only_floor:  # run by --floor, with the other checkout's code on sys.path
        setup(Path.cwd())
        from communes.models import User

        reviewer = User.objects.get(username="bench.reviewer")
        time_pages([("floor: inbox", reviewer, f"/review/?ky={options.period}")], options.runs)
        return
    setup(root)
    from communes.models import AdministrativeUnit
    from dossiers.models import DossierReport

    if not DossierReport.objects.exists():
        sys.exit("No report in this database: run `manage.py generate_synthetic` first.")
    province, reviewer = prepare(options.province, options.period)
    communes = AdministrativeUnit.objects.filter(parent=province).count()
    url = f"/review/?ky={options.period}"
    pages = [
        (f"inbox, {province.name} ({communes} communes), default filter", reviewer, url),
        ("inbox, every row, sorted by days late", reviewer, f"{url}&trang_thai=all&sap_xep=-tre-han"),
        ("inbox, name search and lateness filter", reviewer, f"{url}&q=xa&han=qua-han"),
        ("reminders (who would be reminded)", reviewer, f"/review/remind/?ky={options.period}"),
    ]
    time_pages(pages, options.runs)
    if options.floor:
        subprocess.run(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--only-floor",
                "--runs",
                str(options.runs),
                "--period",
                options.period,
            ],
            cwd=options.floor,
            check=True,
        )


if __name__ == "__main__":
    main()
