"""``send_reminders``: what each commune's officers and chairmen hear of on a day (months due soon,
months overdue, self-scoring deadlines), one mail per person and day, safe to run twice, the
communes no mail reaches named, and the queries flat whatever the number of communes and people.

The world (``core.testing``) after the reform: Tỉnh Gia Lai ⊃ Phường Tam Quan (``new_officer``,
``tq_chairman``) and Phường An Nhơn (``an_officer``, ``an_chairman``); ``vice`` is a vice-chairman of
both; Tỉnh Quảng Ngãi ⊃ Đặc khu Lý Sơn (``ly_officer``), reviewed by ``qn_reviewer``. Bình Định's
communes ended on 30/6/2025. Gia Lai and Quảng Ngãi count months from the 15th to the 14th, due two
working days after: 11/2026 was due on 17/11/2026, 12/2026 on 16/12/2026.
"""

from __future__ import annotations

import datetime
import smtplib
import zoneinfo
from io import StringIO

import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communes.models import REFORM_DATE, Era, Kind, Level, Role, User
from core import periods
from core.testing import make_unit, make_user
from dossiers.models import DossierReport, Period, ReportStatus
from indices.models import AssessmentStatus
from indices.testing import make_framework, make_round
from notifications.models import EmailOptOut, EmailStatus, Notification
from notifications.models import Kind as NotificationKind
from notifications.reminders import overdue_reminder_day, reminders_for_day
from notifications.testing import PresentTestCase

# PostgreSQL's advisory lock (``reminders.LOCK_KEY``) is one more query there.
LOCK = int(connection.vendor == "postgresql")
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
ENDED = datetime.date(2025, 6, 30)


def at(day: datetime.date, hour: int = 6):
    """The clock at ``hour`` o'clock of ``day`` in the portal's time zone (a cron line's morning)."""
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=HANOI), tick=False)


def month_codes(last: str, count: int) -> list[str]:
    """``count`` month codes ending with ``last``, oldest first."""
    month = periods.Period.parse(last)
    codes = []
    for _step in range(count):
        codes.append(month.code)
        month = periods.Period(
            month.year - (month.number == 1), periods.Kind.MONTH, (month.number - 2) % 12 + 1
        )
    return codes[::-1]


class FailingBackend(BaseEmailBackend):
    """The mail server down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("down")


class RemindersTestCase(PresentTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Every commune sent everything up to 10/2026 (the last twelve months the homes look at).
        for unit in (cls.tam_quan, cls.an_nhon, cls.ly_son):
            cls.reports(unit, month_codes("2026-10", 12), ReportStatus.APPROVED)

    @staticmethod
    def reports(unit, codes, status):
        for code in codes:
            DossierReport.objects.update_or_create(
                unit=unit, period=Period.for_code(code), defaults={"status": status}
            )

    def run_day(self, day: datetime.date, *args, hour: int = 6) -> str:
        """``send_reminders --date day`` at ``hour`` that day, the task run inline; its output."""
        out = StringIO()
        with at(day, hour), override_settings(TASKS=IMMEDIATE), self.captureOnCommitCallbacks(execute=True):
            call_command("send_reminders", "--date", day.isoformat(), *args, stdout=out)
        return out.getvalue()

    def rows(self, **filters):
        return sorted(
            Notification.objects.filter(**filters).values_list(
                "recipient__username", "kind", "unit__name", "url"
            )
        )

    def entry(self, unit, code):
        return reverse("dossiers:entry", args=[unit.pk, code])


class OverdueTests(RemindersTestCase):
    DAY = datetime.date(2026, 11, 18)  # the first day after 11/2026 was due

    def test_the_first_day_after_the_deadline_the_late_communes_people_hear_of_the_month(self):
        self.reports(self.tam_quan, ["2026-11"], ReportStatus.DRAFT)  # a draft is not sent
        self.reports(self.an_nhon, ["2026-11"], ReportStatus.SUBMITTED)  # sent
        # Lý Sơn has no report of 11/2026.
        self.run_day(self.DAY)
        url_tq, url_ly = self.entry(self.tam_quan, "2026-11"), self.entry(self.ly_son, "2026-11")
        overdue = NotificationKind.MONTH_OVERDUE
        self.assertEqual(
            self.rows(),
            [
                ("ly_officer", overdue, "Đặc khu Lý Sơn", url_ly),
                ("new_officer", overdue, "Phường Tam Quan", url_tq),
                ("tq_chairman", overdue, "Phường Tam Quan", url_tq),
                ("vice", overdue, "Phường Tam Quan", url_tq),
            ],
        )
        row = Notification.objects.get(recipient=self.new_officer)
        self.assertEqual(row.day, self.DAY)
        self.assertEqual(
            row.title, "Phường Tam Quan: báo cáo tháng 11/2026 quá hạn 1 ngày (hạn 17/11/2026), đang nhập"
        )
        self.assertEqual(row.email_status, EmailStatus.SENT)
        self.assertEqual(
            sorted(message.to[0] for message in mail.outbox),
            ["ly_officer@example.vn", "new_officer@example.vn", "tq_chairman@example.vn", "vice@example.vn"],
        )
        message = next(m for m in mail.outbox if m.to == ["new_officer@example.vn"])
        self.assertEqual(message.subject, "[Cổng CCHC] Nhắc việc ngày 18/11/2026: 1 việc")
        self.assertIn("http://127.0.0.1:8000" + url_tq, message.body)
        self.assertNotIn("Lý Sơn", message.body)

    def test_a_returned_report_is_overdue_and_an_approved_or_submitted_one_is_not(self):
        self.reports(self.tam_quan, ["2026-11"], ReportStatus.RETURNED)
        self.reports(self.an_nhon, ["2026-11"], ReportStatus.APPROVED)
        self.reports(self.ly_son, ["2026-11"], ReportStatus.SUBMITTED)
        self.run_day(self.DAY)
        self.assertEqual({unit for _user, _kind, unit, _url in self.rows()}, {"Phường Tam Quan"})
        self.assertIn("bị trả lại", Notification.objects.filter(unit=self.tam_quan).first().title)

    def test_overdue_months_are_named_on_days_1_3_and_7_after_the_deadline_then_weekly(self):
        self.reports(self.an_nhon, ["2026-11"], ReportStatus.APPROVED)
        self.reports(self.ly_son, ["2026-11"], ReportStatus.APPROVED)
        self.assertEqual([d for d in range(0, 30) if overdue_reminder_day(d)], [1, 3, 7, 14, 21, 28])
        named = []
        for late_by in range(0, 16):
            day = datetime.date(2026, 11, 17) + datetime.timedelta(days=late_by)
            with at(day):
                plan = reminders_for_day(day=day)
            if any(m.kind == NotificationKind.MONTH_OVERDUE for m in plan.messages):
                named.append(late_by)
        self.assertEqual(named, [1, 3, 7, 14])

    def test_every_month_overdue_is_named_each_time_as_the_home_lists_them(self):
        # 9/2026 and 11/2026 not sent: named together on the days counted from 11/2026's deadline.
        self.reports(self.tam_quan, ["2026-09"], ReportStatus.DRAFT)
        self.reports(self.an_nhon, ["2026-11"], ReportStatus.APPROVED)
        self.reports(self.ly_son, ["2026-11"], ReportStatus.APPROVED)
        self.run_day(self.DAY)
        self.assertEqual(
            [
                title
                for (title,) in Notification.objects.filter(recipient=self.new_officer)
                .order_by("pk")
                .values_list("title")
            ],
            [
                "Phường Tam Quan: báo cáo tháng 9/2026 quá hạn 63 ngày (hạn 16/09/2026), đang nhập",
                "Phường Tam Quan: báo cáo tháng 11/2026 quá hạn 1 ngày (hạn 17/11/2026), chưa nhập",
            ],
        )
        self.assertEqual(len([m for m in mail.outbox if m.to == ["new_officer@example.vn"]]), 1)
        self.assertIn("2 việc", mail.outbox[0].subject)

    def test_months_older_than_a_year_are_not_named(self):
        DossierReport.objects.filter(unit=self.tam_quan).delete()
        self.reports(self.tam_quan, month_codes("2026-11", 12), ReportStatus.APPROVED)
        self.reports(
            self.tam_quan, ["2025-07", "2025-08", "2025-09", "2025-10", "2025-11"], ReportStatus.DRAFT
        )
        self.run_day(self.DAY)
        self.assertFalse(Notification.objects.filter(unit=self.tam_quan).exists())


class ErasTests(RemindersTestCase):
    """The communes of the day's era: Bình Định's before 1/7/2025, the 2025 ones after."""

    def test_before_the_reform_the_district_era_communes_are_reminded(self):
        # 3/2025 (15/2–14/3) was due on 18/3/2025; nothing of Hoài Châu's or Hoài Châu Bắc's was sent.
        self.run_day(datetime.date(2025, 3, 19))
        self.assertEqual(
            set(Notification.objects.values_list("recipient__username", "unit__name")),
            {("officer", "Xã Hoài Châu"), ("chairman", "Xã Hoài Châu"), ("neighbour", "Xã Hoài Châu Bắc")},
        )
        self.assertEqual(Notification.objects.filter(recipient=self.officer).count(), 12)  # a year back

    def test_just_after_it_the_2025_communes_hear_of_their_first_month(self):
        # 7/2025 (15/6–14/7) was due on 16/7/2025; the district-era communes ended on 30/6.
        self.run_day(datetime.date(2025, 7, 17))
        self.assertEqual(
            set(Notification.objects.values_list("unit__name", "url")),
            {(unit.name, self.entry(unit, "2025-07")) for unit in (self.tam_quan, self.an_nhon, self.ly_son)},
        )

    def test_on_3_december_2026_the_month_16_days_late_waits_for_its_weekly_repeat(self):
        for unit in (self.an_nhon, self.ly_son):
            self.reports(unit, ["2026-11"], ReportStatus.APPROVED)
        self.reports(self.tam_quan, ["2026-11"], ReportStatus.DRAFT)
        self.run_day(datetime.date(2026, 12, 3))
        self.assertFalse(Notification.objects.exists())
        self.run_day(datetime.date(2026, 12, 8))  # the 21st day
        self.assertEqual(Notification.objects.filter(unit=self.tam_quan).count(), 3)


class DueSoonAndDeadlineTests(RemindersTestCase):
    def setUp(self):
        for unit in (self.tam_quan, self.an_nhon, self.ly_son):
            self.reports(unit, ["2026-11"], ReportStatus.APPROVED)

    def test_the_open_month_is_named_from_n_days_before_its_due_date_until_that_day(self):
        self.reports(self.an_nhon, ["2026-12"], ReportStatus.SUBMITTED)  # sent early: nothing
        self.reports(self.ly_son, ["2026-12"], ReportStatus.DRAFT)
        with self.settings(REMINDER_DAYS_AHEAD=3):
            for day, named in (
                (datetime.date(2026, 12, 12), False),  # 4 days ahead
                (datetime.date(2026, 12, 13), True),
                (datetime.date(2026, 12, 16), True),  # due today
            ):
                with self.subTest(day=day), at(day):
                    plan = reminders_for_day(day=day)
                    self.assertEqual(
                        sorted({(m.recipient.username, m.kind, m.unit.name) for m in plan.messages}),
                        sorted(
                            (user, NotificationKind.MONTH_DUE, unit)
                            for user, unit in (
                                ("ly_officer", "Đặc khu Lý Sơn"),
                                ("new_officer", "Phường Tam Quan"),
                                ("tq_chairman", "Phường Tam Quan"),
                                ("vice", "Phường Tam Quan"),
                            )
                        )
                        if named
                        else [],
                    )
        self.run_day(datetime.date(2026, 12, 14))
        row = Notification.objects.get(recipient=self.ly_officer)
        self.assertEqual(
            row.title, "Đặc khu Lý Sơn: báo cáo tháng 12/2026 hạn gửi 16/12/2026 (còn 2 ngày), đang nhập"
        )
        self.assertEqual(row.url, self.entry(self.ly_son, "2026-12"))
        self.run_day(datetime.date(2026, 12, 16))
        self.assertIn(
            "hạn gửi hôm nay (16/12/2026)",
            Notification.objects.filter(recipient=self.ly_officer, day=datetime.date(2026, 12, 16))
            .get()
            .title,
        )

    def test_a_self_assessment_in_draft_hears_of_its_deadline_within_n_days(self):
        framework = make_framework(self.gia_lai, years=(2025, 2030))
        index_round = make_round(
            framework,
            self.gia_lai,
            year=2026,
            deadline=datetime.date(2027, 1, 15),
            communes=[self.tam_quan, self.an_nhon],
        )
        index_round.assessments.filter(unit=self.an_nhon).update(status=AssessmentStatus.SUBMITTED)
        Notification.objects.all().delete()  # the round's opening, told to the communes
        self.reports(self.tam_quan, ["2026-12"], ReportStatus.APPROVED)
        self.reports(self.ly_son, ["2026-12"], ReportStatus.APPROVED)
        self.reports(self.an_nhon, ["2026-12"], ReportStatus.APPROVED)
        with at(datetime.date(2027, 1, 11)):
            self.assertEqual(reminders_for_day(day=datetime.date(2027, 1, 11), days_ahead=3).messages, [])
        self.run_day(datetime.date(2027, 1, 13))
        assessment = index_round.assessments.get(unit=self.tam_quan)
        self.assertEqual(
            self.rows(),
            [
                (
                    user,
                    NotificationKind.ROUND_DEADLINE,
                    "Phường Tam Quan",
                    reverse("indices:assessment_detail", args=[assessment.pk]),
                )
                for user in ("new_officer", "tq_chairman", "vice")
            ],
        )
        self.assertEqual(
            Notification.objects.filter(recipient=self.new_officer).get().title,
            "Phường Tam Quan: hạn tự chấm điểm Chỉ số CCHC năm 2026 là 15/01/2027 (còn 2 ngày)",
        )
        index_round.published_at = datetime.datetime(2027, 1, 14, tzinfo=datetime.UTC)
        index_round.save()
        with at(datetime.date(2027, 1, 14)):
            self.assertEqual(reminders_for_day(day=datetime.date(2027, 1, 14)).messages, [])


class OneMailADayTests(RemindersTestCase):
    DAY = datetime.date(2026, 11, 18)

    def setUp(self):
        self.reports(self.tam_quan, ["2026-11"], ReportStatus.DRAFT)
        self.reports(self.an_nhon, ["2026-11"], ReportStatus.RETURNED)
        self.reports(self.ly_son, ["2026-11"], ReportStatus.APPROVED)

    def test_a_person_of_two_communes_gets_one_mail_with_both(self):
        self.run_day(self.DAY)
        mails = [m for m in mail.outbox if m.to == ["vice@example.vn"]]
        self.assertEqual(len(mails), 1)
        self.assertIn("2 việc", mails[0].subject)
        self.assertIn("Phường Tam Quan: báo cáo tháng 11/2026", mails[0].body)
        self.assertIn("Phường An Nhơn: báo cáo tháng 11/2026", mails[0].body)
        self.assertEqual(Notification.objects.filter(recipient=self.vice).count(), 2)
        self.assertEqual(len(mail.outbox), 5)  # new_officer, tq_chairman, an_officer, an_chairman, vice

    def test_running_twice_the_same_day_writes_and_sends_nothing_more(self):
        self.run_day(self.DAY)
        rows, mails = Notification.objects.count(), len(mail.outbox)
        output = self.run_day(self.DAY, hour=9)
        self.assertEqual((Notification.objects.count(), len(mail.outbox)), (rows, mails))
        self.assertIn("- Người nhận: 0; đã được nhắc trong ngày nên bỏ qua: 5", output)
        self.assertTrue(
            output.rstrip().endswith(
                "Đã ghi 0 thông báo cho 0 người, 0 email gửi qua tác vụ nền; "
                "0 xã, phường không liên lạc được qua email."
            )
        )
        # The next day is not one to repeat the overdue month (day 2 after its deadline); the day
        # after is (day 3).
        self.run_day(self.DAY + datetime.timedelta(days=1))
        self.assertEqual(Notification.objects.count(), rows)
        self.run_day(self.DAY + datetime.timedelta(days=2))
        self.assertEqual(Notification.objects.count(), rows * 2)

    def test_a_person_already_reminded_today_is_left_out(self):
        Notification.objects.create(
            recipient=self.an_officer,
            kind=NotificationKind.MONTH_DUE,
            title="…",
            url="/",
            day=self.DAY,
            email_status=EmailStatus.SENT,
        )
        self.run_day(self.DAY)
        self.assertEqual(Notification.objects.filter(recipient=self.an_officer).count(), 1)
        self.assertNotIn(["an_officer@example.vn"], [m.to for m in mail.outbox])
        self.assertIn(["an_chairman@example.vn"], [m.to for m in mail.outbox])

    def test_a_switched_off_kind_is_written_and_not_mailed_and_a_locked_account_gets_nothing(self):
        EmailOptOut.objects.create(user=self.an_officer, kind=NotificationKind.MONTH_OVERDUE)
        EmailOptOut.objects.create(user=self.new_officer, kind=NotificationKind.MONTH_DUE)  # another kind
        self.tq_chairman.is_active = False
        self.tq_chairman.save()
        self.run_day(self.DAY)
        self.assertEqual(Notification.objects.get(recipient=self.an_officer).email_status, EmailStatus.OFF)
        self.assertEqual(Notification.objects.get(recipient=self.new_officer).email_status, EmailStatus.SENT)
        self.assertFalse(Notification.objects.filter(recipient=self.tq_chairman).exists())
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox),
            ["an_chairman@example.vn", "new_officer@example.vn", "vice@example.vn"],
        )


class UnreachableTests(RemindersTestCase):
    DAY = datetime.date(2026, 11, 18)

    def test_a_commune_no_mail_reaches_is_named_with_why_and_its_people_still_see_it_in_the_portal(self):
        for unit in (self.tam_quan, self.an_nhon, self.ly_son):
            self.reports(unit, ["2026-11"], ReportStatus.DRAFT)
        User.objects.filter(pk__in=[self.new_officer.pk, self.tq_chairman.pk, self.vice.pk]).update(email="")
        self.ly_officer.is_active = False  # Lý Sơn has no account left
        self.ly_officer.save()
        EmailOptOut.objects.create(user=self.an_officer, kind=NotificationKind.MONTH_OVERDUE)
        EmailOptOut.objects.create(user=self.an_chairman, kind=NotificationKind.MONTH_OVERDUE)
        output = self.run_day(self.DAY)
        self.assertIn(
            "Xã, phường có việc cần nhắc nhưng không liên lạc được qua email (3):\n"
            "- Đặc khu Lý Sơn, Tỉnh Quảng Ngãi: chưa có tài khoản\n"
            "- Phường An Nhơn, Tỉnh Gia Lai: đã tắt email loại này\n"
            "- Phường Tam Quan, Tỉnh Gia Lai: chưa có email\n",
            output,
        )
        self.assertEqual(
            dict(Notification.objects.values_list("recipient__username", "email_status")),
            {
                "new_officer": EmailStatus.NO_ADDRESS,
                "tq_chairman": EmailStatus.NO_ADDRESS,
                "vice": EmailStatus.NO_ADDRESS,  # of Tam Quan and An Nhơn: no address either way
                "an_officer": EmailStatus.OFF,
                "an_chairman": EmailStatus.OFF,
            },
        )
        self.assertEqual(mail.outbox, [])
        self.assertTrue(output.rstrip().endswith("3 xã, phường không liên lạc được qua email."))

    def test_one_person_with_an_address_is_enough(self):
        self.reports(self.tam_quan, ["2026-11"], ReportStatus.DRAFT)
        User.objects.filter(pk__in=[self.new_officer.pk, self.tq_chairman.pk]).update(email="")
        output = self.run_day(self.DAY, "--dry-run")
        self.assertIn("0 xã, phường không liên lạc được qua email.", output)
        self.assertNotIn("Phường Tam Quan, Tỉnh Gia Lai:", output)


class CommandTests(RemindersTestCase):
    DAY = datetime.date(2026, 11, 18)

    def test_a_dry_run_writes_nothing_and_prints_what_would_be_sent(self):
        self.reports(self.tam_quan, ["2026-11"], ReportStatus.DRAFT)
        self.reports(self.an_nhon, ["2026-11"], ReportStatus.APPROVED)
        User.objects.filter(pk=self.ly_officer.pk).update(email="")
        output = self.run_day(self.DAY, "--dry-run")
        self.assertEqual(Notification.objects.count(), 0)
        self.assertEqual(mail.outbox, [])
        self.assertEqual(
            output,
            "Nhắc việc ngày 18/11/2026, 3 xã, phường (chạy thử: không ghi, không gửi gì):\n"
            "- Báo cáo tháng sắp đến hạn: 0 thông báo\n"
            "- Báo cáo tháng quá hạn chưa gửi: 4 thông báo\n"
            "- Sắp hết hạn tự chấm điểm: 0 thông báo\n"
            "- Người nhận: 4; đã được nhắc trong ngày nên bỏ qua: 0\n"
            "- Email (mỗi người một thư): 3\n"
            "Xã, phường có việc cần nhắc nhưng không liên lạc được qua email (1):\n"
            "- Đặc khu Lý Sơn, Tỉnh Quảng Ngãi: chưa có email\n"
            "Chạy thử: sẽ ghi 4 thông báo cho 4 người, gửi 3 email; "
            "1 xã, phường không liên lạc được qua email.\n",
        )

    def test_quiet_with_verbosity_0_and_a_bad_date_is_refused(self):
        self.reports(self.tam_quan, ["2026-11"], ReportStatus.DRAFT)
        self.reports(self.an_nhon, ["2026-11"], ReportStatus.APPROVED)
        self.reports(self.ly_son, ["2026-11"], ReportStatus.APPROVED)
        self.assertEqual(self.run_day(self.DAY, "-v", "0"), "")
        self.assertEqual(Notification.objects.filter(day=self.DAY).count(), 3)
        with self.assertRaisesMessage(CommandError, "--date “18/11/2026” không đúng: viết năm-tháng-ngày"):
            call_command("send_reminders", "--date", "18/11/2026", stdout=StringIO())

    def test_the_day_is_todays_in_the_portals_time_zone(self):
        self.reports(self.tam_quan, ["2026-11"], ReportStatus.DRAFT)
        # 18/11/2026 at 01:00 in Vietnam is still the 17th in UTC.
        with (
            time_machine.travel(datetime.datetime(2026, 11, 17, 18, tzinfo=datetime.UTC), tick=False),
            override_settings(TASKS=IMMEDIATE),
            self.captureOnCommitCallbacks(execute=True),
        ):
            call_command("send_reminders", stdout=StringIO())
        self.assertEqual(set(Notification.objects.values_list("day", flat=True)), {self.DAY})


class RetryTests(RemindersTestCase):
    DAY = datetime.date(2026, 11, 18)

    def setUp(self):
        for unit in (self.an_nhon, self.ly_son):
            self.reports(unit, ["2026-11"], ReportStatus.APPROVED)

    def test_the_mail_server_down_leaves_the_rows_and_the_next_run_mails_them(self):
        self.reports(self.tam_quan, ["2026-11"], ReportStatus.DRAFT)
        with self.settings(EMAIL_BACKEND="notifications.tests.test_reminders.FailingBackend"):
            self.run_day(self.DAY)
        self.assertEqual(
            set(Notification.objects.values_list("email_status", "email_attempts")),
            {(EmailStatus.PENDING, 1)},
        )
        self.run_day(self.DAY, hour=8)
        self.assertEqual(Notification.objects.count(), 3)
        self.assertEqual(set(Notification.objects.values_list("email_status", flat=True)), {EmailStatus.SENT})
        self.assertEqual(len(mail.outbox), 3)

    def test_pending_mails_of_earlier_failures_are_mailed_again_once_old_enough(self):
        def pending(user, minutes_ago, **extra):
            with time_machine.travel(
                datetime.datetime.combine(self.DAY, datetime.time(6), tzinfo=HANOI)
                - datetime.timedelta(minutes=minutes_ago),
                tick=False,
            ):
                return Notification.objects.create(
                    recipient=user,
                    kind=NotificationKind.REPORT_RETURNED,
                    title=f"Trả lại {minutes_ago}",
                    url="/",
                    **extra,
                )

        self.reports(self.tam_quan, ["2026-11"], ReportStatus.APPROVED)
        lost = pending(self.new_officer, 60)
        young = pending(self.an_officer, 2)  # its task may still be queued
        tried = pending(self.an_chairman, 60, email_attempts=5)
        locked = pending(self.tq_chairman, 60)
        self.tq_chairman.is_active = False
        self.tq_chairman.save()
        stale = pending(self.ly_officer, 60 * 24, day=self.DAY - datetime.timedelta(days=1))
        stale.kind = NotificationKind.MONTH_DUE
        stale.save()
        self.run_day(self.DAY)
        statuses = dict(
            Notification.objects.filter(
                pk__in=[lost.pk, young.pk, tried.pk, locked.pk, stale.pk]
            ).values_list("pk", "email_status")
        )
        self.assertEqual(
            statuses,
            {
                lost.pk: EmailStatus.SENT,
                young.pk: EmailStatus.PENDING,
                tried.pk: EmailStatus.FAILED,
                locked.pk: EmailStatus.FAILED,
                stale.pk: EmailStatus.SENT,  # yesterday's reminder, not named again today
            },
        )
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["ly_officer@example.vn", "new_officer@example.vn"]
        )


class ScopeTests(RemindersTestCase):
    """The run's notifications and mails reach exactly the people of the communes concerned."""

    DAY = datetime.date(2026, 11, 18)

    def test_only_the_late_communes_officers_and_chairmen_hear_and_of_their_own_commune_only(self):
        self.reports(self.tam_quan, ["2026-11"], ReportStatus.DRAFT)
        self.reports(self.an_nhon, ["2026-11"], ReportStatus.APPROVED)
        self.reports(self.ly_son, ["2026-11"], ReportStatus.RETURNED)
        # Bình Định's communes (ended) have nothing sent for years: history, nobody is reminded.
        self.run_day(self.DAY)
        by_person = {}
        for username, unit in Notification.objects.values_list("recipient__username", "unit__name"):
            by_person.setdefault(username, set()).add(unit)
        self.assertEqual(
            by_person,
            {
                "new_officer": {"Phường Tam Quan"},
                "tq_chairman": {"Phường Tam Quan"},
                "vice": {"Phường Tam Quan"},
                "ly_officer": {"Đặc khu Lý Sơn"},
            },
        )
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox),
            ["ly_officer@example.vn", "new_officer@example.vn", "tq_chairman@example.vn", "vice@example.vn"],
        )
        others = ["Lý Sơn", "An Nhơn", "Hoài Châu", "Quảng Ngãi"]
        for message in mail.outbox:
            if message.to != ["ly_officer@example.vn"]:
                for name in others:
                    self.assertNotIn(name, message.body + message.subject)
        for user in (
            self.an_officer,
            self.an_chairman,
            self.officer,
            self.chairman,
            self.neighbour,
            self.reviewer,
            self.province_reviewer,
            self.qn_reviewer,
            self.administrator,
            self.outsider,
        ):
            self.assertFalse(user.notifications.exists(), user.username)


class QueryCountTests(RemindersTestCase):
    DAY = datetime.date(2026, 11, 18)

    def measure(self) -> int:
        Notification.objects.all().delete()
        mail.outbox.clear()
        with CaptureQueriesContext(connection) as queries:
            self.run_day(self.DAY)
        self.assertTrue(mail.outbox)
        return len(queries)

    def province(self, code: str, communes: int):
        province = make_unit(Era.CURRENT, Level.PROVINCE, Kind.TINH, code, f"Tỉnh Thử {code}")
        framework = make_framework(province, name=f"Bộ {code}", years=(2025, 2030))
        units = []
        for number in range(communes):
            unit = make_unit(
                Era.CURRENT,
                Level.COMMUNE,
                Kind.XA,
                f"{code}{number:03d}",
                f"Xã Thử {code}-{number}",
                province,
                valid_from=REFORM_DATE,
            )
            units.append(unit)
            make_user(f"o{code}{number}", (unit, Role.OFFICER), email=f"o{code}{number}@example.vn")
            make_user(
                f"c{code}{number}", (unit, Role.CHAIRMAN), email="" if number % 3 else f"c{code}{number}@x.vn"
            )
            self.reports(unit, month_codes("2026-10", 12), ReportStatus.APPROVED)
            self.reports(
                unit,
                ["2026-11"],
                [ReportStatus.DRAFT, ReportStatus.RETURNED, ReportStatus.APPROVED][number % 3],
            )
        make_round(
            framework,
            province,
            year=2026,
            deadline=self.DAY + datetime.timedelta(days=2),
            communes=units[::5],
        )

    def test_the_runs_queries_do_not_grow_with_communes_or_people(self):
        # The savepoint, the communes, calendars, reports, assessments, officers and chairmen, their
        # switched-off mails, who was reminded today, by a reviewer today, the pending mails; the
        # write's switched-off mails and insert, the release; the mail's rows and their update.
        # Inserts go by batches (``bulk_create``: 500 rows on PostgreSQL, 83 on SQLite), so both
        # runs stay within one.
        self.province("90", 3)
        few = self.measure()
        self.province("91", 27)
        many = self.measure()
        self.assertGreater(Notification.objects.count(), 50)
        self.assertEqual(many, few)
        self.assertEqual(few, 15 + LOCK)
