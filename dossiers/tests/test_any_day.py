"""The same pages at three dates (issue 11): what a list shows does not depend on what day it is.

With the demo loaded once, the clock is set (time_machine) to a day in 2024 (20/5/2024), a day of
the first half of July 2025, just after the reform (8/7/2025), and today (2/12/2026), and at each:

- the commune list of xã Hoài Châu (legacy, ended 30/6/2025; hoaichau.canbo) and of phường Tam
  Quan (its 2025 successor; tamquan.canbo) lists each month with its real report and status;
  no month before the unit existed or after it ended; never «Quá hạn» beside a report sent, nor
  for a month outside the unit's life, nor before the month's due date;
- the overview and the inbox's late list of the dissolved thị xã Hoài Nhơn (hoainhon.noivu) and of
  the 2025 province Gia Lai (gialai.sonoivu) open on the current period for a live unit (the latest
  month already due: 6/2025 on 8/7/2025, whose communes are the legacy ones it continues; the
  inbox, which lists the province's own communes, then opens on their first month, 7/2025) and on
  the latest month with figures for a dissolved one, never on 11/2026; the late list names only
  communes alive that month that sent nothing, and only once the month is due.

A failure says the date, the page and what is wrong.
"""

from __future__ import annotations

import datetime

import time_machine
from django.core.management import call_command
from django.test import Client, TestCase

from communes.models import REFORM_DATE, AdministrativeUnit, Era, Level, User
from core import periods
from dossiers.models import DossierReport, ReportStatus
from dossiers.selectors import communes_under

from . import places

Kind = periods.Kind
# 09:00 UTC is 16:00 in Hà Nội: the same date in the portal's time zone.
DAYS = {
    "20/5/2024": datetime.datetime(2024, 5, 20, 9, 0, tzinfo=datetime.UTC),
    "8/7/2025": datetime.datetime(2025, 7, 8, 9, 0, tzinfo=datetime.UTC),
    "2/12/2026": datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC),
}
SENT = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


def month_alive(unit: AdministrativeUnit, month: periods.Period) -> bool:
    first, last = month.dates(periods.Calendar.CALENDAR)
    return (unit.valid_from is None or unit.valid_from <= last) and (
        unit.valid_to is None or unit.valid_to >= first
    )


def months_between(first: periods.Period, last: periods.Period) -> list[periods.Period]:
    found, year, month = [], first.year, first.number
    while (year, month) <= (last.year, last.number):
        found.append(periods.Period(year, Kind.MONTH, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def due(month: periods.Period) -> datetime.date:
    """Two working days after the month's last day (Nghị định 09/2019, the demo's provinces)."""
    day, count = month.dates(periods.Calendar.REGULATORY)[1], 2
    while count:
        day += datetime.timedelta(days=1)
        count -= day.weekday() < 5
    return day


def latest_due(today: datetime.date) -> periods.Period:
    month = periods.Period(today.year, Kind.MONTH, today.month)
    while due(month) >= today:
        month = (
            periods.Period(month.year - 1, Kind.MONTH, 12)
            if month.number == 1
            else periods.Period(month.year, Kind.MONTH, month.number - 1)
        )
    return month


class AnyDayTest(TestCase):
    maxDiff = None

    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", verbosity=0)

        def unit(era, level, code):
            return AdministrativeUnit.objects.get(era=era, level=level, code=code)

        cls.hoai_chau = unit(Era.LEGACY, Level.COMMUNE, "21649")
        cls.tam_quan = unit(Era.CURRENT, Level.COMMUNE, "21637")
        cls.hoai_nhon = unit(Era.LEGACY, Level.DISTRICT, "543")
        cls.gia_lai = unit(Era.CURRENT, Level.PROVINCE, "52")
        cls.statuses = {
            (unit_id, periods.Period(year, Kind(kind), number).code): status
            for unit_id, kind, year, number, status in DossierReport.objects.values_list(
                "unit_id", "period__kind", "period__year", "period__number", "status"
            )
        }

    def login(self, username: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(username=username))
        return client

    def expected_default(self, reviewer: AdministrativeUnit, today: datetime.date) -> periods.Period:
        """The latest month already due (a 2025 province's first months are its legacy communes',
        so 6/2025 on 8/7/2025); for a unit all of whose communes ended before it, their latest
        month with figures."""
        communes = list(communes_under(reviewer))
        current = latest_due(today)
        first_day = current.dates(periods.Calendar.CALENDAR)[0]
        if not all(unit.valid_to and unit.valid_to < first_day for unit in communes):
            return current
        codes = sorted(
            (year, number)
            for kind, year, number in DossierReport.objects.filter(unit__in=communes).values_list(
                "period__kind", "period__year", "period__number"
            )
            if kind == Kind.MONTH.value
        )
        return periods.Period(codes[-1][0], Kind.MONTH, codes[-1][1])

    def expected_inbox(self, reviewer: AdministrativeUnit, today: datetime.date) -> periods.Period:
        """The inbox's month: the overview's, unless none of the reviewer's communes lived in it (a
        2025 province on 8/7/2025: 6/2025 was its predecessors'), then its communes' first month."""
        wanted = self.expected_default(reviewer, today)
        communes = list(communes_under(reviewer))
        if any(month_alive(unit, wanted) for unit in communes):
            return wanted
        first = min(unit.valid_from for unit in communes if unit.valid_from)
        return periods.Period(first.year, Kind.MONTH, first.month)

    # --- the commune's list ---------------------------------------------------------------------

    def check_list(self, unit: AdministrativeUnit, username: str) -> None:
        for label, moment in DAYS.items():
            with time_machine.travel(moment, tick=False), self.subTest(day=label, unit=unit.name):
                today = moment.date()
                client = self.login(username)
                code, rows = places.list_page(client, unit.pk)
                self.assertEqual(code, 200, f"{label} · {unit.name} · list answers {code}")
                years = {periods.Period.parse(c).year for c in rows if places.periods_kind(c) == "month"}
                years |= {
                    int(c[:4]) for (pk, c) in self.statuses if pk == unit.pk and int(c[:4]) <= today.year
                }
                for year in sorted(years):
                    rows.update(places.list_page(client, unit.pk, f"?nam={year}")[1])
                problems = []
                for period_code, row in sorted(rows.items()):
                    if places.periods_kind(period_code) != "month":
                        continue
                    month = periods.Period.parse(period_code)
                    status = self.statuses.get((unit.pk, period_code))
                    where = f"{label} · {unit.name} {period_code} · list"
                    if not month_alive(unit, month):
                        problems.append(f"{where} · a month outside the unit's life is listed")
                    if row.status != status:
                        problems.append(f"{where} · status: {row.status} ≠ {status}")
                    if row.overdue and (
                        status in SENT or today <= due(month) or not month_alive(unit, month)
                    ):
                        problems.append(f"{where} · «Quá hạn» (report {status}, due {due(month):%d/%m/%Y})")
                    if (
                        not row.overdue
                        and status not in SENT
                        and today > due(month)
                        and month_alive(unit, month)
                    ):
                        problems.append(
                            f"{where} · not «Quá hạn» though nothing was sent by {due(month):%d/%m/%Y}"
                        )
                # Every month of its life that has a report and has begun is there.
                for unit_id, period_code in self.statuses:
                    if unit_id != unit.pk or places.periods_kind(period_code) != "month":
                        continue
                    month = periods.Period.parse(period_code)
                    if month.dates()[0] <= today and month_alive(unit, month) and period_code not in rows:
                        problems.append(
                            f"{label} · {unit.name} {period_code} · list · a month with a report is missing"
                        )
                self.assertEqual(problems, [])

    def test_the_list_of_a_commune_that_ended(self):
        self.check_list(self.hoai_chau, "hoaichau.canbo")

    def test_the_list_of_a_2025_commune(self):
        self.check_list(self.tam_quan, "tamquan.canbo")

    def test_approved_2024_months_are_not_late(self):
        """Issue 11: as hoaichau.canbo today, the 2024 months on the list are approved, not
        «Chưa nhập – Quá hạn»."""
        with time_machine.travel(DAYS["2/12/2026"], tick=False):
            code, rows = places.list_page(self.login("hoaichau.canbo"), self.hoai_chau.pk, "?nam=2024")
        months = {
            c: row for c, row in rows.items() if c.startswith("2024-") and places.periods_kind(c) == "month"
        }
        self.assertEqual(len(months), 12, f"Xã Hoài Châu 2024 · list · months listed: {sorted(months)}")
        for period_code, row in sorted(months.items()):
            status = self.statuses[(self.hoai_chau.pk, period_code)]
            self.assertEqual(row.status, status, f"Xã Hoài Châu {period_code} · list · status")
            if status == ReportStatus.APPROVED:
                self.assertFalse(
                    row.overdue, f"Xã Hoài Châu {period_code} · list · «Quá hạn» beside an approved month"
                )

    def test_tam_quan_today_has_one_late_month_its_draft(self):
        """Issue 12: as tamquan.canbo today the list showed 23 months «Quá hạn», 1–6/2025 among
        them, before the ward existed. Now 7/2025 to 10/2026 are approved, 11/2026 is the draft the
        officer entered (late: due 17/11/2026), 12/2026 is under way, and nothing before 7/2025."""
        with time_machine.travel(DAYS["2/12/2026"], tick=False):
            client = self.login("tamquan.canbo")
            rows = {}
            for query in ("", "?nam=2025"):
                rows.update(places.list_page(client, self.tam_quan.pk, query)[1])
        months = {c: row for c, row in rows.items() if places.periods_kind(c) == "month"}
        self.assertEqual(min(months), "2025-07", "Phường Tam Quan · list · a month before 7/2025")
        self.assertEqual(
            {c for c, row in months.items() if row.overdue}, {"2026-11"}, "Phường Tam Quan · list · «Quá hạn»"
        )
        self.assertEqual(months["2026-11"].status, ReportStatus.DRAFT)
        self.assertEqual(months["2026-12"].status, None)
        approved = {c for c, row in months.items() if row.status == ReportStatus.APPROVED}
        self.assertEqual(approved, set(months) - {"2026-11", "2026-12"})

    # --- the reviewer's overview and inbox ------------------------------------------------------

    def check_reviewer(self, reviewer: AdministrativeUnit, username: str, days=DAYS) -> None:
        communes = {unit.pk: unit for unit in communes_under(reviewer)}
        for label, moment in days.items():
            with time_machine.travel(moment, tick=False), self.subTest(day=label, unit=reviewer.name):
                today = moment.date()
                client = self.login(username)
                wanted = self.expected_default(reviewer, today)
                problems = []
                page = places.overview(client, reviewer.pk)
                if page.code != 200:
                    problems.append(f"{label} · {reviewer.name} · overview answers {page.code}")
                elif page.period != wanted.code:
                    problems.append(
                        f"{label} · {reviewer.name} · overview opens on {page.period} ≠ {wanted.code}"
                    )
                shown = periods.Period.parse(page.period or wanted.code)
                # A 2025 province's month before the reform may list its communes with their
                # predecessors' figures (issue 12): those rows are history, not outside their life.
                history = (
                    reviewer.era == Era.CURRENT and shown.dates(periods.Calendar.CALENDAR)[1] < REFORM_DATE
                )
                for pk in page.rows:
                    if (
                        pk in communes
                        and not history
                        and not any(month_alive(communes[pk], m) for m in shown.months())
                    ):
                        problems.append(
                            f"{label} · {reviewer.name} · overview · "
                            f"row for {communes[pk].name} outside its life"
                        )
                inbox = places.inbox(client)
                if inbox.code != 200:
                    problems.append(f"{label} · inbox answers {inbox.code}")
                else:
                    period = inbox.overdue_period
                    if period != self.expected_inbox(reviewer, today).code:
                        problems.append(
                            f"{label} · {reviewer.name} · inbox late list of {period} ≠ {wanted.code}"
                        )
                    month = periods.Period.parse(period) if period else wanted
                    late = {
                        pk
                        for pk, unit in communes.items()
                        if month_alive(unit, month) and self.statuses.get((pk, month.code)) not in SENT
                    }
                    listed = {pk for pk in inbox.overdue if pk in communes}
                    outside = sorted(communes[pk].name for pk in listed - late)
                    if outside:
                        problems.append(
                            f"{label} · {reviewer.name} {month.code} · inbox late · "
                            f"not late: {outside[:4]} ({len(outside)})"
                        )
                    if today > due(month) and late - listed:
                        missing = sorted(communes[pk].name for pk in late - listed)
                        problems.append(
                            f"{label} · {reviewer.name} {month.code} · inbox late · "
                            f"missing {missing[:4]} ({len(missing)})"
                        )
                self.assertEqual(problems, [])

    def test_a_dissolved_district(self):
        self.check_reviewer(self.hoai_nhon, "hoainhon.noivu")

    def test_a_2025_province(self):
        # Gia Lai did not exist on 20/5/2024: its pages are read from the reform on.
        self.check_reviewer(self.gia_lai, "gialai.sonoivu", {k: v for k, v in DAYS.items() if v.year >= 2025})

    def test_the_dissolved_district_opens_on_its_latest_month_with_figures(self):
        """Issue 11: today, thị xã Hoài Nhơn's overview opens on 6/2025 (its last month, the
        latest with figures), not on 11/2026."""
        with time_machine.travel(DAYS["2/12/2026"], tick=False):
            client = self.login("hoainhon.noivu")
            page = places.overview(client, self.hoai_nhon.pk)
            inbox = places.inbox(client)
        self.assertEqual(page.period, "2025-06", "2/12/2026 · Thị xã Hoài Nhơn · overview's default period")
        self.assertEqual(inbox.overdue_period, "2025-06", "2/12/2026 · Thị xã Hoài Nhơn · inbox's late list")
