""" "Nhắc các xã chậm gửi": the page lists each commune late with the month (alive, nothing sent,
due date passed), its officers and chairmen from Membership, whether a mail reaches each, and who
was reminded today; "Gửi nhắc nhở ngay" reminds them now, in the portal and by mail after the
commit, the list recomputed at the POST (nothing posted decides who is reminded), nobody twice the
same day. Only the communes' reviewer; 404 for a period its communes did not live in; queries flat."""

from __future__ import annotations

import datetime
from io import StringIO

import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from communes.models import Era, Kind, Level, Membership, Role, User
from core.testing import make_unit, make_user
from dossiers.figures import Figures
from dossiers.models import DossierChange, DossierReport
from dossiers.tests.test_views_review import ReviewTestCase
from notifications.models import EmailOptOut, EmailStatus, Notification
from notifications.models import Kind as NotificationKind

URL = reverse("dossiers:inbox_remind")
FIGURES = Figures(received_online=1, resolved_on_time=1)
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def at(year, month, day, hour=9):
    """``hour`` o'clock UTC: 16:00 in Hà Nội at 9, the same date."""
    return time_machine.travel(datetime.datetime(year, month, day, hour, tzinfo=datetime.UTC), tick=False)


class ReminderTests(ReviewTestCase):
    """Xã Hoài Châu sent 3/2024 (due 18/03/2024); Xã Hoài Châu Bắc sent nothing (its officer:
    ``neighbour``). Today is 25/3/2024."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.bac_chairman = make_user("bac.chutich", (cls.hoai_chau_bac, Role.CHAIRMAN))
        cls.bac_chairman.full_name = "Lê Văn Chủ Tịch"
        cls.bac_chairman.save()
        for user in (cls.officer, cls.chairman, cls.neighbour, cls.bac_chairman, cls.reviewer):
            user.email = f"{user.username}@example.vn"
            user.save()
        cls.tam_quan.valid_from = datetime.date(2025, 7, 1)  # Gia Lai's commune did not exist in 3/2024
        cls.tam_quan.save()

    def setUp(self):
        with at(2024, 3, 15):
            self.report(self.hoai_chau, FIGURES)
        Notification.objects.all().delete()  # the reviewer's "report submitted": not this page's
        self.login(self.reviewer)
        self.clock = at(2024, 3, 25)
        self.clock.start()
        self.addCleanup(self.clock.stop)

    def remind(self, query="ky=2024-03", data=None, *, follow=True):
        """Post "Gửi nhắc nhở ngay", the mail task run inline after the commit."""
        with override_settings(TASKS=IMMEDIATE), self.captureOnCommitCallbacks(execute=True):
            return self.client.post(f"{URL}?{query}", data or {}, follow=follow)

    def test_permission_matrix(self):
        matrix = {
            "anonymous": 302,
            "officer": 403,
            "chairman": 403,
            "neighbour": 403,
            "outsider": 403,
            "administrator": 403,
            "new_officer": 403,
            "reviewer": 200,
            "province_reviewer": 404,  # Gia Lai's communes did not live in 3/2024
        }
        self.assert_access_matrix(URL + "?ky=2024-03", matrix)
        self.assert_access_matrix(URL + "?ky=2024-03", matrix | {"reviewer": 302}, method="post")
        # Only the reviewer's own POST reminded anyone: Hoài Châu Bắc's two people, once.
        self.assertEqual(
            sorted(Notification.objects.values_list("recipient__username", flat=True)),
            ["bac.chutich", "neighbour"],
        )
        self.login(self.officer)
        response = self.client.get(URL, {"ky": "2024-03"})
        self.assertContains(
            response,
            "Chỉ cơ quan thẩm định (Phòng, Sở Nội vụ) nhắc các xã, phường chậm gửi báo cáo.",
            status_code=403,
        )

    def test_it_lists_each_late_commune_with_its_officers_chairman_and_due_date(self):
        response = self.client.get(URL, {"ky": "2024-03"})
        self.assertNotContains(response, "Chức năng gửi thông báo sẽ có trong bản sau")
        self.assertContains(response, "Báo cáo tháng 3/2024, hạn gửi 18/03/2024.")
        late = response.context["reminders"].reminders
        self.assertEqual([r.unit.name for r in late], ["Xã Hoài Châu Bắc"])  # Hoài Châu sent
        self.assertEqual([u.display_name for u in late[0].officers], [self.neighbour.display_name])
        self.assertEqual([u.display_name for u in late[0].chairmen], ["Lê Văn Chủ Tịch"])
        self.assertContains(
            response,
            "Chủ tịch / Phó Chủ tịch:</span> "
            f'<span data-person="{self.bac_chairman.pk}">Lê Văn Chủ Tịch</span>',
        )
        self.assertContains(response, '<td class="d-none d-sm-table-cell" data-due>18/03/2024</td>')
        self.assertContains(response, ">Gửi nhắc nhở ngay</button>")
        self.assertContains(response, f'<form method="post" action="{URL}?ky=2024-03"')
        self.assertContains(response, "2 người sẽ nhận thông báo trên cổng và qua email (nếu có).")
        self.assertNotContains(response, "không liên lạc được qua email")

    def test_a_draft_or_returned_report_is_late_too_and_an_inactive_account_is_not_reminded(self):
        self.report(self.hoai_chau_bac, FIGURES, submit=False)
        for user in (self.neighbour, self.bac_chairman):
            user.is_active = False
            user.save()
        response = self.client.get(URL, {"ky": "2024-03"})
        late = response.context["reminders"].reminders
        self.assertEqual([(r.unit.name, r.status) for r in late], [("Xã Hoài Châu Bắc", "draft")])
        self.assertEqual((late[0].officers, late[0].chairmen), ([], []))
        self.assertContains(response, "không liên lạc được qua email (chưa có tài khoản)")
        self.assertNotContains(response, ">Gửi nhắc nhở ngay</button>")
        self.assertContains(response, "Không còn ai để nhắc hôm nay")

    def test_people_no_mail_reaches_are_marked_and_a_commune_none_reaches_is_not_reachable(self):
        User.objects.filter(pk=self.neighbour.pk).update(email="")
        EmailOptOut.objects.create(user=self.bac_chairman, kind=NotificationKind.MONTH_OVERDUE)
        response = self.client.get(URL, {"ky": "2024-03"})
        self.assertContains(
            response,
            f'<span data-person="{self.neighbour.pk}">{self.neighbour.display_name} '
            '<span class="text-warning-emphasis">(chưa có email)</span></span>',
        )
        self.assertContains(response, "(đã tắt email loại này)")
        self.assertContains(response, "không liên lạc được qua email (đã tắt email loại này)")
        EmailOptOut.objects.all().delete()
        User.objects.filter(pk=self.bac_chairman.pk).update(email="")
        response = self.client.get(URL, {"ky": "2024-03"})
        self.assertContains(
            response, '<span class="d-block small text-warning-emphasis" data-unreachable="no_email">'
        )
        self.assertContains(response, "không liên lạc được qua email (chưa có email)")
        self.assertContains(response, "1 xã, phường không liên lạc được qua email.")

    def test_posting_reminds_the_late_communes_people_in_the_portal_and_by_mail(self):
        response = self.remind()
        self.assertRedirects(response, URL + "?ky=2024-03")
        self.assertContains(response, "Đã nhắc 2 người ở 1 xã, phường.")
        rows = Notification.objects.order_by("recipient__username")
        self.assertEqual(
            [(n.recipient.username, n.kind, n.unit, n.url, n.day, n.email_status) for n in rows],
            [
                (
                    username,
                    NotificationKind.MONTH_OVERDUE,
                    self.hoai_chau_bac,
                    reverse("dossiers:entry", args=[self.hoai_chau_bac.pk, "2024-03"]),
                    None,
                    EmailStatus.SENT,
                )
                for username in ("bac.chutich", "neighbour")
            ],
        )
        self.assertEqual(
            rows[0].title,
            "Xã Hoài Châu Bắc: cơ quan thẩm định nhắc gửi báo cáo tháng 3/2024, "
            "quá hạn 7 ngày (hạn 18/03/2024)",
        )
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["bac.chutich@example.vn", "neighbour@example.vn"]
        )
        self.assertIn(f"/units/{self.hoai_chau_bac.pk}/dossiers/2024-03/", mail.outbox[0].body)
        self.assertNotIn("Hoài Châu,", mail.outbox[0].body)
        self.assertContains(response, "đã nhắc lúc 16:00")

    def test_people_without_mail_are_reminded_in_the_portal_and_the_commune_named_as_not_reachable(self):
        User.objects.filter(pk__in=[self.neighbour.pk, self.bac_chairman.pk]).update(email="")
        response = self.remind()
        self.assertContains(
            response,
            "Đã nhắc 2 người ở 1 xã, phường; 1 xã, phường chưa liên lạc được qua email: "
            "Xã Hoài Châu Bắc (chưa có email).",
        )
        self.assertEqual(
            set(Notification.objects.values_list("email_status", flat=True)), {EmailStatus.NO_ADDRESS}
        )
        self.assertEqual(mail.outbox, [])

    def test_a_second_click_the_same_day_reminds_nobody_again_and_says_when(self):
        self.remind()
        with at(2024, 3, 25, hour=10):
            response = self.remind()
        self.assertContains(
            response, "Không nhắc thêm ai: người của các xã, phường chậm gửi đã được nhắc hôm nay."
        )
        self.assertEqual(Notification.objects.count(), 2)
        self.assertEqual(len(mail.outbox), 2)
        self.assertContains(
            response, '<span class="d-block small text-success" data-reminded>đã nhắc lúc 16:00</span>'
        )
        # A chairman given the commune since is reminded by the next click; the others are not.
        make_user("bac.phochutich", (self.hoai_chau_bac, Role.CHAIRMAN), email="pct@example.vn")
        response = self.remind()
        self.assertContains(response, "Đã nhắc 1 người ở 1 xã, phường.")
        self.assertEqual(Notification.objects.count(), 3)
        # The next day, everyone again.
        with at(2024, 3, 26):
            response = self.remind()
        self.assertContains(response, "Đã nhắc 3 người ở 1 xã, phường.")

    def test_the_daily_runs_reminder_of_the_month_counts_and_the_button_reminds_nobody_again(self):
        march = Notification.objects.filter(
            url=reverse("dossiers:entry", args=[self.hoai_chau_bac.pk, "2024-03"])
        )
        with (
            at(2024, 3, 25, hour=0),
            override_settings(TASKS=IMMEDIATE),
            self.captureOnCommitCallbacks(execute=True),
        ):
            # 25/3 is the 7th day after 18/3: the daily run names the overdue months (07:00 in Hà Nội).
            call_command("send_reminders", stdout=StringIO())
        self.assertEqual(
            sorted(march.values_list("recipient__username", flat=True)), ["bac.chutich", "neighbour"]
        )
        response = self.client.get(URL, {"ky": "2024-03"})
        self.assertContains(response, "đã nhắc lúc 07:00")
        self.assertNotContains(response, ">Gửi nhắc nhở ngay</button>")
        rows = Notification.objects.count()
        response = self.remind()
        self.assertContains(response, "Không nhắc thêm ai")
        self.assertEqual(Notification.objects.count(), rows)
        # A click before the run: the run does not name that month to them again that day.
        Notification.objects.all().delete()
        self.remind()
        with (
            at(2024, 3, 25, hour=11),
            override_settings(TASKS=IMMEDIATE),
            self.captureOnCommitCallbacks(execute=True),
        ):
            call_command("send_reminders", stdout=StringIO())
        self.assertEqual(march.count(), 2)
        self.assertEqual(set(march.values_list("day", flat=True)), {None})  # the button's
        self.assertTrue(Notification.objects.filter(recipient=self.neighbour, day=datetime.date(2024, 3, 25)))

    def test_the_list_is_recomputed_at_the_post_a_commune_that_sent_in_between_is_not_reminded(self):
        self.assertEqual(len(self.client.get(URL, {"ky": "2024-03"}).context["reminders"].reminders), 1)
        self.report(self.hoai_chau_bac, FIGURES)  # sent meanwhile
        Notification.objects.all().delete()  # the reviewer's "report submitted"
        mail.outbox.clear()
        response = self.remind()
        self.assertContains(response, "Không xã, phường nào chậm gửi báo cáo tháng 3/2024: không nhắc ai.")
        self.assertEqual(Notification.objects.count(), 0)
        self.assertEqual(mail.outbox, [])

    def test_a_forged_post_reminds_only_the_reviewers_own_late_communes(self):
        # Xã Phước Hưng (Tuy Phước, another reviewer's) is late too; its id in the form changes nothing.
        phuoc_hung_officer = make_user("ph.officer", (self.phuoc_hung, Role.OFFICER), email="ph@example.vn")
        tam_quan = self.tam_quan.pk
        response = self.remind(
            data={"unit": [self.phuoc_hung.pk, tam_quan], "ky": "2024-03", "recipient": phuoc_hung_officer.pk}
        )
        self.assertContains(response, "Đã nhắc 2 người ở 1 xã, phường.")
        self.assertFalse(phuoc_hung_officer.notifications.exists())
        self.assertEqual(set(Notification.objects.values_list("unit", flat=True)), {self.hoai_chau_bac.pk})
        self.assertNotIn(["ph@example.vn"], [m.to for m in mail.outbox])
        # Another province's reviewer, for the month of this one: 404, nothing written.
        self.login(self.province_reviewer)
        with override_settings(TASKS=IMMEDIATE), self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(
                self.client.post(URL + "?ky=2024-03", {"unit": self.hoai_chau_bac.pk}).status_code, 404
            )
        self.assertEqual(Notification.objects.count(), 2)

    def test_before_the_due_date_nobody_is_listed_or_reminded(self):
        with at(2024, 3, 16):
            response = self.client.get(URL, {"ky": "2024-03"})
            self.assertContains(response, "Chưa đến hạn gửi (18/03/2024): chưa xã, phường nào chậm gửi.")
            self.assertEqual(response.context["reminders"].reminders, [])
            self.assertNotContains(response, "Gửi nhắc nhở ngay")
            response = self.remind()
        self.assertContains(response, "Không xã, phường nào chậm gửi báo cáo tháng 3/2024: không nhắc ai.")
        self.assertEqual(Notification.objects.count(), 0)

    def test_the_page_itself_records_and_sends_nothing(self):
        before = (DossierChange.objects.count(), DossierReport.objects.count(), Membership.objects.count())
        self.client.get(URL, {"ky": "2024-03"})
        self.assertEqual(
            (DossierChange.objects.count(), DossierReport.objects.count(), Membership.objects.count()), before
        )
        self.assertEqual((mail.outbox, Notification.objects.count()), ([], 0))
        self.assertEqual(self.client.put(URL + "?ky=2024-03").status_code, 405)

    def test_the_inbox_links_to_it_for_its_month(self):
        response = self.client.get(reverse("dossiers:inbox"), {"ky": "2024-03"})
        self.assertContains(response, f'href="{URL}?ky=2024-03">Nhắc các xã chậm gửi (1)</a>')
        self.assertContains(self.client.get(URL, {"ky": "2024-03"}), 'href="/review/?ky=2024-03"')

    def test_periods_it_cannot_show_are_404(self):
        for query in ({"ky": "2024-Q1"}, {"ky": "2099-01"}, {"nam": "2024", "phan": "13"}):
            with self.subTest(query=query):
                self.assertEqual(self.client.get(URL, query).status_code, 404)
                self.assertEqual(
                    self.client.post(URL + "?" + "&".join(f"{k}={v}" for k, v in query.items())).status_code,
                    404,
                )
        self.login(self.province_reviewer)
        self.assertEqual(self.client.get(URL, {"ky": "2025-06"}).status_code, 404)
        with at(2025, 8, 1):
            self.login(self.province_reviewer)
            self.assertEqual(self.client.get(URL, {"ky": "2025-07"}).status_code, 200)
        self.assertEqual(Notification.objects.count(), 0)

    def test_the_query_count_is_the_same_for_one_commune_and_for_many(self):
        lone = make_unit(Era.LEGACY, Level.DISTRICT, Kind.HUYEN, "999", "Huyện Một Xã")
        first = make_unit(Era.LEGACY, Level.COMMUNE, Kind.XA, "99900", "Xã Đầu Tiên", lone)
        make_user("first.officer", (first, Role.OFFICER), email="first@example.vn")
        self.client.force_login(make_user("lone.reviewer", (lone, Role.REVIEWER)))
        # session, user, first reviewed commune, calendar, the reviewed communes' ids and dates,
        # the month's row, the late communes, their officers and chairmen, their switched-off
        # mails, today's reminders of the month, navigation
        with self.assertNumQueries(11):
            self.assertEqual(len(self.client.get(URL, {"ky": "2024-03"}).context["reminders"].reminders), 1)
        # The POST: session, user, the savepoint, the same eight of the list, the write's
        # switched-off mails and insert, the release, the mail task's rows and their update (the
        # message goes in a cookie).
        with self.assertNumQueries(POST_QUERIES):
            self.assertEqual(self.remind(follow=False).status_code, 302)
        for number in range(30):
            unit = make_unit(Era.LEGACY, Level.COMMUNE, Kind.XA, f"998{number:02d}", f"Xã Thứ {number}", lone)
            make_user(f"officer{number}", (unit, Role.OFFICER), email=f"o{number}@example.vn")
            make_user(f"chairman{number}", (unit, Role.CHAIRMAN))  # no address: in the portal only
        with self.assertNumQueries(11):
            self.assertEqual(len(self.client.get(URL, {"ky": "2024-03"}).context["reminders"].reminders), 31)
        with self.assertNumQueries(POST_QUERIES):
            self.assertEqual(self.remind(follow=False).status_code, 302)
        self.assertEqual(Notification.objects.filter(recipient__username__startswith="chairman").count(), 30)
        self.assertEqual(len(mail.outbox), 31)


# PostgreSQL takes the reminders' advisory lock (``notifications.reminders.LOCK_KEY``): one more.
POST_QUERIES = 16 + (connection.vendor == "postgresql")
