"""Issue 13's "done means": a return, then the daily reminder run, reach the right inboxes and
bells and no others. Through the pages and the command, as the people meet them, on the first
overdue day of 11/2026 and on the first one of 7/2025 (the month the reform began)."""

from __future__ import annotations

import datetime
import re
import zoneinfo

import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from communes.models import REFORM_DATE, Role, User
from core import periods
from core.testing import make_user
from dossiers.models import DossierReport, Period, ReportStatus
from dossiers.selectors import calendar_for, due_date
from notifications.testing import PresentTestCase

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def previous(month: periods.Period) -> periods.Period:
    return periods.Period(month.year - (month.number == 1), periods.Kind.MONTH, (month.number - 2) % 12 + 1)


class ReturnThenRemindersTests(PresentTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Locked: told nothing.
        cls.gone = make_user("gone", (cls.tam_quan, Role.OFFICER), is_active=False, email="gone@example.vn")

    def everyone(self) -> list[User]:
        return list(User.objects.order_by("username"))

    def bell(self, user: User) -> int:
        """The unread count the navigation shows ``user`` on its home page."""
        self.client.force_login(user)
        page = self.client.get(reverse("home"), follow=True).content.decode()
        return int(re.search(r'data-unread="(\d+)"', page).group(1))

    def mailed(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for message in mail.outbox:
            for address in message.to:
                counts[address.split("@")[0]] = counts.get(address.split("@")[0], 0) + 1
        return counts

    def scenario(self, month: periods.Period) -> None:
        """``month`` sent by Tam Quan and returned by the Sở the day after its due date; An Nhơn
        and Lý Sơn never sent it; every earlier month of the communes' lives approved."""
        setting = calendar_for(self.tam_quan)
        due = due_date(month, setting)
        earlier = previous(month)
        while (earlier.year, earlier.number) >= (REFORM_DATE.year, REFORM_DATE.month):
            for unit in (self.tam_quan, self.an_nhon, self.ly_son):
                DossierReport.objects.create(
                    unit=unit, period=Period.for_code(earlier.code), status=ReportStatus.APPROVED
                )
            earlier = previous(earlier)
        DossierReport.objects.create(
            unit=self.tam_quan,
            period=Period.for_code(month.code),
            status=ReportStatus.SUBMITTED,
            submitted_by=self.new_officer,
        )
        day = due + datetime.timedelta(days=1)  # the first day overdue: a reminder day

        # 1. The Sở returns Tam Quan's report, from its page, with a reason.
        with (
            time_machine.travel(datetime.datetime.combine(day, datetime.time(9), tzinfo=HANOI), tick=False),
            override_settings(TASKS=IMMEDIATE),
            self.captureOnCommitCallbacks(execute=True),
        ):
            self.client.force_login(self.province_reviewer)
            response = self.client.post(
                reverse("dossiers:review", args=[self.tam_quan.pk, month.code]),
                {"action": "return", "reason": "Số liệu lĩnh vực Hộ tịch chưa khớp với phần mềm một cửa."},
            )
            self.assertEqual(response.status_code, 302)
        self.assertEqual(
            DossierReport.objects.get(
                unit=self.tam_quan, period__year=month.year, period__number=month.number
            ).status,
            ReportStatus.RETURNED,
        )
        told = {"new_officer", "tq_chairman", "vice"}
        self.assertEqual(self.mailed(), dict.fromkeys(told, 1))
        for message in mail.outbox:
            self.assertIn("Phường Tam Quan", message.subject)
            self.assertIn("Hộ tịch chưa khớp", message.body)
            self.assertNotIn("An Nhơn", message.body)
        with time_machine.travel(datetime.datetime.combine(day, datetime.time(10), tzinfo=HANOI), tick=False):
            bells = {user.username: self.bell(user) for user in self.everyone() if user.is_active}
        self.assertEqual({name for name, count in bells.items() if count}, told)
        self.assertTrue(all(bells[name] == 1 for name in told))

        # 2. The daily run that evening (the first day overdue is a reminder day): a returned
        #    month is not sent, so Tam Quan is reminded of it, and An Nhơn and Lý Sơn of theirs.
        mail.outbox.clear()
        with (
            time_machine.travel(datetime.datetime.combine(day, datetime.time(18), tzinfo=HANOI), tick=False),
            override_settings(TASKS=IMMEDIATE),
            self.captureOnCommitCallbacks(execute=True),
        ):
            call_command("send_reminders", "-v", "0")
        reminded = {"new_officer", "tq_chairman", "vice", "an_officer", "an_chairman", "ly_officer"}
        self.assertEqual(self.mailed(), dict.fromkeys(reminded, 1))
        by_person = {message.to[0].split("@")[0]: message for message in mail.outbox}
        self.assertIn("Phường Tam Quan", by_person["vice"].body)
        self.assertIn("Phường An Nhơn", by_person["vice"].body)
        self.assertNotIn("An Nhơn", by_person["tq_chairman"].body)
        self.assertNotIn("Tam Quan", by_person["an_officer"].body)
        self.assertNotIn("Tam Quan", by_person["ly_officer"].body)
        self.assertIn(month.label, by_person["an_officer"].body)
        with time_machine.travel(datetime.datetime.combine(day, datetime.time(19), tzinfo=HANOI), tick=False):
            bells = {user.username: self.bell(user) for user in self.everyone() if user.is_active}
        expected = {
            "new_officer": 2,
            "tq_chairman": 2,
            "vice": 3,  # the return, and a reminder for each commune
            "an_officer": 1,
            "an_chairman": 1,
            "ly_officer": 1,
        }
        self.assertEqual({name: count for name, count in bells.items() if count}, expected)

        # 3. Run again the same day: nothing more.
        mail.outbox.clear()
        with (
            time_machine.travel(datetime.datetime.combine(day, datetime.time(20), tzinfo=HANOI), tick=False),
            override_settings(TASKS=IMMEDIATE),
            self.captureOnCommitCallbacks(execute=True),
        ):
            call_command("send_reminders", "-v", "0")
        self.assertEqual(mail.outbox, [])

    def test_in_late_2026(self):
        self.scenario(periods.Period(2026, periods.Kind.MONTH, 11))

    def test_in_the_reforms_first_month(self):
        self.scenario(periods.Period(2025, periods.Kind.MONTH, 7))
