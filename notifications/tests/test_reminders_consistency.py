"""The months ``send_reminders`` names are the months each commune's home card shows: for every
commune of three provinces (Bình Định before the reform, Gia Lai and Quảng Ngãi after it; Quảng
Ngãi counts calendar months, due five working days after), on days before, during and after the
2025 reform and in December 2026, read from the home page of each commune's officer.

The home lists the months not sent although due (``Quá hạn``) and the month now open; the run
names each overdue month (on its repeat days; below with every day one, then with the real
schedule) and the open month when not sent and due within ``REMINDER_DAYS_AHEAD`` days."""

from __future__ import annotations

import datetime
import random
import re
from unittest import mock

import lxml.html
import time_machine
from django.test import override_settings
from django.urls import reverse

from communes.models import REFORM_DATE, Era, Kind, Level, Role
from core import periods
from core.testing import PortalTestCase, make_unit, make_user
from dossiers.models import DossierReport, Period, ReportingCalendar, ReportStatus
from notifications.models import Kind as NotificationKind
from notifications.reminders import overdue_reminder_day, reminders_for_day

DAYS = [
    datetime.date(2025, 3, 10),  # before the reform: the district-era communes
    datetime.date(2025, 7, 3),  # during: the 2025 communes' first month open, the old ones ended
    datetime.date(2025, 7, 15),
    datetime.date(2025, 8, 10),  # after
    datetime.date(2026, 12, 3),
    datetime.date(2026, 12, 4),  # Quảng Ngãi's 11/2026 due in three days (7/12)
    datetime.date(2026, 12, 16),  # Gia Lai's 12/2026 due today
]
STATES = [ReportStatus.APPROVED, ReportStatus.SUBMITTED, ReportStatus.DRAFT, ReportStatus.RETURNED, None]
DUE = re.compile(r"Hạn gửi (\d\d/\d\d/\d{4})")
LATE = re.compile(r"Quá hạn (\d+) ngày")
AHEAD = 3


def at(day: datetime.date):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC), tick=False
    )


@override_settings(REMINDER_DAYS_AHEAD=AHEAD)
class ConsistencyTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        ended = REFORM_DATE - datetime.timedelta(days=1)
        for unit in (cls.hoai_chau, cls.hoai_chau_bac, cls.phuoc_hung):
            unit.valid_to = ended
            unit.save()
        cls.tam_quan.valid_from = REFORM_DATE
        cls.tam_quan.save()
        cls.officers = {
            cls.hoai_chau: cls.officer,
            cls.hoai_chau_bac: cls.neighbour,
            cls.phuoc_hung: make_user("ph_officer", (cls.phuoc_hung, Role.OFFICER)),
            cls.tam_quan: cls.new_officer,
        }
        quang_ngai = make_unit(Era.CURRENT, Level.PROVINCE, Kind.TINH, "51", "Tỉnh Quảng Ngãi")
        ReportingCalendar.objects.create(province=quang_ngai, calendar="calendar", submit_within_days=5)
        for number, (province, kind) in enumerate(
            [(cls.gia_lai, Kind.XA)] * 4 + [(quang_ngai, Kind.XA)] * 3 + [(quang_ngai, Kind.PHUONG)]
        ):
            unit = make_unit(
                Era.CURRENT,
                Level.COMMUNE,
                kind,
                f"3{number:04d}",
                f"Xã Thử {number}",
                province,
                valid_from=REFORM_DATE,
            )
            cls.officers[unit] = make_user(f"officer{number}", (unit, Role.OFFICER))
        # Each commune's months of 2024–2026 in its life, in a mix of states (a fixed seed).
        rng = random.Random(13)
        months = [
            periods.Period(year, periods.Kind.MONTH, n) for year in (2024, 2025, 2026) for n in range(1, 13)
        ]
        for unit in cls.officers:
            for month in months:
                first, last = month.dates(periods.Calendar.CALENDAR)
                if (unit.valid_to and first > unit.valid_to) or (unit.valid_from and last < unit.valid_from):
                    continue
                state = rng.choices(STATES, weights=[6, 2, 1, 1, 2])[0]
                if state:
                    DossierReport.objects.create(unit=unit, period=Period.for_code(month.code), status=state)

    def home(self, unit, day):
        """(period code, status, text) of each month on the commune's home card, as its officer."""
        self.client.force_login(self.officers[unit])
        response = self.client.get(reverse("communes:unit_detail", args=[unit.pk]))
        self.assertEqual(response.status_code, 200)
        tree = lxml.html.fromstring(response.content)
        return [
            (item.get("data-period"), item.get("data-status"), " ".join(item.text_content().split()))
            for item in tree.xpath('//*[@data-work="months"]/li[@data-period]')
        ]

    def expected(self, unit, day):
        """What the run names for ``unit`` on ``day`` by the home card: its overdue months, the
        open month when not sent and due within AHEAD days; and the newest overdue's lateness."""
        named, newest = set(), None
        for code, status, text in self.home(unit, day):
            url = reverse("dossiers:entry", args=[unit.pk, code])
            late = LATE.search(text)
            if late:
                named.add((NotificationKind.MONTH_OVERDUE, url))
                newest = int(late[1])
                continue
            if status in ("submitted", "approved"):
                continue  # sent: no due date shown, nothing to remind
            due = datetime.datetime.strptime(DUE.search(text)[1], "%d/%m/%Y").date()
            if day <= due <= day + datetime.timedelta(days=AHEAD):
                named.add((NotificationKind.MONTH_DUE, url))
        return named, newest

    def named(self, plan, unit):
        officer = self.officers[unit]
        return {
            (m.kind, m.url) for m in plan.messages if m.recipient.pk == officer.pk and m.unit.pk == unit.pk
        }

    def test_the_run_names_what_each_communes_home_shows(self):
        seen = {NotificationKind.MONTH_OVERDUE: 0, NotificationKind.MONTH_DUE: 0}
        for day in DAYS:
            with at(day):
                with mock.patch("notifications.reminders.overdue_reminder_day", return_value=True):
                    every_day = reminders_for_day(day=day)
                scheduled = reminders_for_day(day=day)
                for unit in self.officers:
                    with self.subTest(day=day, unit=unit.name):
                        home, newest = self.expected(unit, day)
                        self.assertEqual(self.named(every_day, unit), home)
                        # With the real schedule: all the overdue months on a repeat day, else none.
                        overdue = {item for item in home if item[0] == NotificationKind.MONTH_OVERDUE}
                        if newest is None or not overdue_reminder_day(newest):
                            overdue = set()
                        due = {item for item in home if item[0] == NotificationKind.MONTH_DUE}
                        self.assertEqual(self.named(scheduled, unit), overdue | due)
                        for kind, _url in home:
                            seen[kind] += 1
        # The days chosen do exercise both kinds, and the district-era communes before the reform.
        self.assertGreater(seen[NotificationKind.MONTH_OVERDUE], 20)
        self.assertGreater(seen[NotificationKind.MONTH_DUE], 2)

    @mock.patch("notifications.reminders.overdue_reminder_day", return_value=True)
    def test_the_days_cover_the_eras(self, _every_day):
        with at(DAYS[0]):
            before = {c.unit.pk for c in reminders_for_day(day=DAYS[0]).communes}
        with at(DAYS[4]):
            after = {c.unit.pk for c in reminders_for_day(day=DAYS[4]).communes}
        self.assertTrue(before)
        self.assertTrue(before <= {self.hoai_chau.pk, self.hoai_chau_bac.pk, self.phuoc_hung.pk})
        self.assertTrue(after)
        self.assertFalse(after & {self.hoai_chau.pk, self.hoai_chau_bac.pk, self.phuoc_hung.pk})
