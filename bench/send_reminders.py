"""Benchmark: ``send_reminders`` for the whole country, beside a floor.

    DATABASE_URL=postgres://… .venv/bin/python manage.py generate_synthetic --months 13 \
        --end 2026-11 --fields 1
    DATABASE_URL=postgres://… .venv/bin/python bench/send_reminders.py [--runs 5] [--day 2026-12-15]

Benchmark data, not the demo (the same every run, idempotent): every 2025 commune (3.321) gets an
officer and a chairman (``bench.o.<id>``, ``bench.c.<id>``), one commune in ten shares a
vice-chairman with the next one of its province, so about 7.000 people; one account in eight has
no email, one in fifty has switched the overdue mail off, one in a hundred is locked, and one
commune in a hundred has no account at all. The months 12/2025 … 10/2026 are approved but for
3 % left in draft or never sent; 11/2026 is 55 % approved, 20 % submitted, 5 % returned, 10 %
in draft, 10 % not begun; nothing of 12/2026 exists yet. Each province has an index round whose
self-scoring ends two days after the day, 30 % of its communes still in draft.

The day, 15/12/2026, is the heaviest of the month: 12/2026 is due the next day (every commune is
told), 11/2026 is 28 days overdue (its weekly repeat: every late commune is told of all its
overdue months) and the self-scoring deadline is near. Timed: ``call_command("send_reminders",
"--date", day)`` in-process, writing the notifications and mailing them with the task run inline
(``TASKS_BACKEND=immediate``) through Django's locmem mail backend (each mail built, nothing
leaves the machine). The day's rows are deleted between runs, untimed. Beside it, in the same
run, alternately, the floor: the same rows written by a bare ``bulk_create`` and the same mails
built by ``compose_daily`` and handed to the same backend. Then one more run the same day, which
must write and send nothing. Prints each run, the medians, the wall clock and this process's CPU
time, and the queries.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PREFIX = "bench."


def prepare(day: datetime.date) -> None:
    """The people, the mix of months and the rounds described above; idempotent."""
    from decimal import Decimal

    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.db.models import F

    from communes.models import AdministrativeUnit, Era, Membership, Role, User
    from dossiers.models import DossierReport, ReportStatus
    from dossiers.models import Period as PeriodRow
    from indices.models import Assessment, AssessmentStatus, Framework, Round
    from notifications.models import EmailOptOut, Kind

    communes = list(
        AdministrativeUnit.objects.communes().filter(era=Era.CURRENT).order_by("parent_id", "code")
    )
    with transaction.atomic():
        if not User.objects.filter(username__startswith=PREFIX + "o.").exists():
            unusable = make_password(None)
            users, memberships = [], []
            for index, unit in enumerate(communes):
                if unit.pk % 100 == 0:
                    continue  # no account yet
                for role, letter in ((Role.OFFICER, "o"), (Role.CHAIRMAN, "c")):
                    users.append(User(username=f"{PREFIX}{letter}.{unit.pk}", password=unusable))
                    memberships.append((users[-1], unit, role))
                following = communes[index + 1] if index + 1 < len(communes) else None
                if index % 10 == 0 and following and following.parent_id == unit.parent_id:
                    users.append(User(username=f"{PREFIX}v.{unit.pk}", password=unusable))
                    memberships += [(users[-1], unit, Role.CHAIRMAN), (users[-1], following, Role.CHAIRMAN)]
            for number, user in enumerate(users):
                user.full_name = f"Người dùng thử {number}"
                user.email = "" if number % 8 == 7 else f"{user.username}@example.vn"
                user.is_active = number % 100 != 42
            User.objects.bulk_create(users, batch_size=1000)
            Membership.objects.bulk_create(
                [Membership(user=user, unit=unit, role=role) for user, unit, role in memberships],
                batch_size=1000,
            )
            EmailOptOut.objects.bulk_create(
                [EmailOptOut(user=user, kind=Kind.MONTH_OVERDUE) for user in users[::50]], batch_size=1000
            )
        months = list(PeriodRow.objects.filter(kind="month").order_by("year", "number"))
        latest = next(m for m in months if (m.year, m.number) == (2026, 11))
        reports = DossierReport.objects.filter(unit__in=communes)
        for month in months:
            if month == latest:
                continue
            rows = reports.filter(period=month).annotate(r=(F("unit_id") * 7 + month.number) % 100)
            rows.update(status=ReportStatus.APPROVED)
            rows.filter(r__in=[0, 1]).update(status=ReportStatus.DRAFT)
            rows.filter(r=2).delete()
        rows = reports.filter(period=latest).annotate(r=F("unit_id") % 20)
        rows.update(status=ReportStatus.APPROVED)
        for remainders, status in (
            (range(11, 15), ReportStatus.SUBMITTED),
            (range(15, 16), ReportStatus.RETURNED),
            (range(16, 18), ReportStatus.DRAFT),
        ):
            rows.filter(r__in=list(remainders)).update(status=status)
        rows.filter(r__in=[18, 19]).delete()
        reports.filter(period__year=2026, period__number=12).delete()

        provinces = AdministrativeUnit.objects.filter(era=Era.CURRENT, level=1)
        framework, _created = Framework.objects.get_or_create(
            name="Bộ chỉ số thử (đo hiệu năng nhắc việc)",
            defaults={
                "issuer": provinces.first(),
                "year_from": 2025,
                "year_to": 2030,
                "total_points": Decimal(100),
            },
        )
        deadline = day + datetime.timedelta(days=2)
        for province in provinces:
            Round.objects.update_or_create(
                framework=framework, year=2026, group=province, defaults={"self_deadline": deadline}
            )
        rounds = {r.group_id: r for r in Round.objects.filter(framework=framework)}
        have = set(Assessment.objects.filter(round__framework=framework).values_list("unit_id", flat=True))
        Assessment.objects.bulk_create(
            [
                Assessment(
                    round=rounds[unit.parent_id],
                    unit=unit,
                    status=AssessmentStatus.DRAFT if unit.pk % 10 < 3 else AssessmentStatus.SUBMITTED,
                )
                for unit in communes
                if unit.pk not in have
            ],
            batch_size=1000,
        )


def clear(day: datetime.date) -> None:
    from django.core import mail

    from notifications.models import Notification

    Notification.objects.filter(day=day).delete()
    mail.outbox = []


def real_run(day: datetime.date):
    from io import StringIO

    from django.core import mail
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications.models import Notification

    with CaptureQueriesContext(connection) as queries:
        started, used = time.perf_counter(), time.process_time()
        call_command("send_reminders", "--date", day.isoformat(), verbosity=0, stdout=StringIO())
        elapsed, cpu = time.perf_counter() - started, time.process_time() - used
    rows = Notification.objects.filter(day=day).count()
    return elapsed, cpu, len(queries), rows, len(mail.outbox)


def floor_run(day: datetime.date, messages) -> tuple[float, float, int]:
    """The same rows by a bare bulk insert, and the same mails built and handed to the backend."""
    from django.core import mail
    from django.core.mail import get_connection
    from django.db import transaction

    from notifications.models import Notification
    from notifications.services import compose_daily

    started, used = time.perf_counter(), time.process_time()
    with transaction.atomic():
        rows = Notification.objects.bulk_create(
            [
                Notification(
                    recipient=m.recipient,
                    kind=m.kind,
                    unit=m.unit,
                    title=m.title,
                    body=m.body,
                    url=m.url,
                    day=day,
                )
                for m in messages
            ],
            batch_size=500,
        )
    by_person: dict[int, list] = {}
    for row in rows:
        if row.recipient.email:
            by_person.setdefault(row.recipient_id, []).append(row)
    connection = get_connection()
    connection.send_messages([compose_daily(same[0].recipient, day, same) for same in by_person.values()])
    elapsed, cpu = time.perf_counter() - started, time.process_time() - used
    return elapsed, cpu, len(mail.outbox)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--day", default="2026-12-15")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")
    os.environ["TASKS_BACKEND"] = "immediate"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    import django

    django.setup()
    from django.db import connection

    from communes.models import User
    from dossiers.models import DossierReport
    from notifications.reminders import reminders_for_day

    if not DossierReport.objects.filter(period__year=2026, period__number=11).exists():
        sys.exit(
            "No report of 11/2026: run `manage.py generate_synthetic --months 13 --end 2026-11 --fields 1`."
        )
    day = datetime.date.fromisoformat(options.day)
    started = time.perf_counter()
    prepare(day)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"prepared in {time.perf_counter() - started:.1f} s", flush=True)
    clear(day)
    plan = reminders_for_day(day=day)
    people = User.objects.filter(username__startswith=PREFIX).count()
    print(
        f"{plan.communes_alive} communes, {people} bench accounts; on {day}: "
        f"{len(plan.messages)} notifications ({dict(plan.counts)}), {plan.people} people, "
        f"{plan.mails} mails, {len(plan.unreachable)} communes no mail reaches",
        flush=True,
    )
    real, floor = [], []
    for run in range(options.runs):
        clear(day)
        elapsed, cpu, queries, rows, mails = real_run(day)
        real.append((elapsed, cpu))
        print(
            f"run {run + 1}: send_reminders {elapsed:.2f} s (CPU {cpu:.2f} s), {queries} queries, "
            f"{rows} rows, {mails} mails",
            flush=True,
        )
        clear(day)
        elapsed, cpu, mails = floor_run(day, plan.messages)
        floor.append((elapsed, cpu))
        print(f"run {run + 1}: floor {elapsed:.2f} s (CPU {cpu:.2f} s), {mails} mails", flush=True)
    clear(day)
    real_run(day)
    from django.core import mail

    mail.outbox = []
    again = real_run(day)
    print(
        f"again the same day: {again[0]:.2f} s, {again[2]} queries, {again[4]} mails (must be 0)", flush=True
    )
    clear(day)
    for label, timings in (("send_reminders", real), ("floor", floor)):
        print(
            f"{label}: median {statistics.median(t for t, _cpu in timings):.2f} s, "
            f"CPU median {statistics.median(cpu for _t, cpu in timings):.2f} s",
            flush=True,
        )


if __name__ == "__main__":
    main()
