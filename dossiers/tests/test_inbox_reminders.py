""" "Nhắc các xã chậm gửi" (issue 12): until the notifications of the next version, a page that
says so and lists who would be reminded: each commune late with the month (alive, nothing sent,
due date passed), its officers and chairmen from Membership, and the due date. It records and
sends nothing; 404 for a period the reviewer's communes did not live in; queries flat."""

from __future__ import annotations

import datetime

import time_machine
from django.core import mail
from django.urls import reverse

from communes.models import Era, Kind, Level, Membership, Role
from core.testing import make_unit, make_user
from dossiers.figures import Figures
from dossiers.models import DossierChange, DossierReport
from dossiers.tests.test_views_review import ReviewTestCase

URL = reverse("dossiers:inbox_remind")
FIGURES = Figures(received_online=1, resolved_on_time=1)
NOTICE = "Chức năng gửi thông báo sẽ có trong bản sau; danh sách các xã sẽ được nhắc:"


def at(year, month, day):
    return time_machine.travel(datetime.datetime(year, month, day, 9, tzinfo=datetime.UTC), tick=False)


class ReminderTests(ReviewTestCase):
    """Xã Hoài Châu sent 3/2024; Xã Hoài Châu Bắc sent nothing (its officer: ``neighbour``)."""

    def setUp(self):
        with at(2024, 3, 15):
            self.report(self.hoai_chau, FIGURES)
        self.login(self.reviewer)

    def test_permission_matrix(self):
        self.tam_quan.valid_from = datetime.date(2025, 7, 1)  # Gia Lai's commune did not exist in 3/2024
        self.tam_quan.save()
        self.assert_access_matrix(
            URL + "?ky=2024-03",
            {"anonymous": 302, "officer": 200, "outsider": 200, "reviewer": 200, "province_reviewer": 404},
        )
        self.login(self.officer)
        response = self.client.get(URL, {"ky": "2024-03"})
        self.assertContains(response, "Bạn chưa được phân công thẩm định xã, phường nào.")
        self.assertNotContains(response, 'data-unit="')

    def test_it_lists_each_late_commune_with_its_officers_chairman_and_due_date(self):
        chairman = make_user("bac.chutich", (self.hoai_chau_bac, Role.CHAIRMAN))
        chairman.full_name = "Lê Văn Chủ Tịch"
        chairman.save()
        response = self.client.get(URL, {"ky": "2024-03"})
        self.assertContains(response, NOTICE)
        self.assertContains(response, "Báo cáo tháng 3/2024, hạn gửi 18/03/2024.")
        late = response.context["reminders"].reminders
        self.assertEqual([r.unit.name for r in late], ["Xã Hoài Châu Bắc"])  # Hoài Châu sent
        self.assertEqual([u.display_name for u in late[0].officers], [self.neighbour.display_name])
        self.assertEqual([u.display_name for u in late[0].chairmen], ["Lê Văn Chủ Tịch"])
        self.assertContains(response, "Chủ tịch / Phó Chủ tịch:</span> Lê Văn Chủ Tịch</div>")
        self.assertContains(response, '<td class="d-none d-sm-table-cell" data-due>18/03/2024</td>')

    def test_a_draft_or_returned_report_is_late_too_and_an_inactive_account_is_not_reminded(self):
        self.report(self.hoai_chau_bac, FIGURES, submit=False)
        self.neighbour.is_active = False
        self.neighbour.save()
        response = self.client.get(URL, {"ky": "2024-03"})
        late = response.context["reminders"].reminders
        self.assertEqual([(r.unit.name, r.status) for r in late], [("Xã Hoài Châu Bắc", "draft")])
        self.assertEqual(late[0].officers, [])
        self.assertContains(response, "1 xã, phường chưa có tài khoản cán bộ hay chủ tịch trên cổng")

    def test_before_the_due_date_nobody_is_listed(self):
        with at(2024, 3, 16):
            response = self.client.get(URL, {"ky": "2024-03"})
        self.assertContains(response, "Chưa đến hạn gửi (18/03/2024): chưa xã, phường nào chậm gửi.")
        self.assertEqual(response.context["reminders"].reminders, [])

    def test_it_records_and_sends_nothing(self):
        before = (DossierChange.objects.count(), DossierReport.objects.count(), Membership.objects.count())
        self.client.get(URL, {"ky": "2024-03"})
        self.assertEqual(
            (DossierChange.objects.count(), DossierReport.objects.count(), Membership.objects.count()), before
        )
        self.assertEqual(mail.outbox, [])
        self.assertEqual(self.client.post(URL, {"ky": "2024-03"}).status_code, 405)

    def test_the_inbox_links_to_it_for_its_month(self):
        response = self.client.get(reverse("dossiers:inbox"), {"ky": "2024-03"})
        self.assertContains(response, f'href="{URL}?ky=2024-03">Nhắc các xã chậm gửi (1)</a>')
        self.assertContains(self.client.get(URL, {"ky": "2024-03"}), 'href="/review/?ky=2024-03"')

    def test_periods_it_cannot_show_are_404(self):
        self.tam_quan.valid_from = datetime.date(2025, 7, 1)
        self.tam_quan.save()
        for query in ({"ky": "2024-Q1"}, {"ky": "2099-01"}, {"nam": "2024", "phan": "13"}):
            with self.subTest(query=query):
                self.assertEqual(self.client.get(URL, query).status_code, 404)
        self.login(self.province_reviewer)
        self.assertEqual(self.client.get(URL, {"ky": "2025-06"}).status_code, 404)
        self.assertEqual(self.client.get(URL, {"ky": "2025-07"}).status_code, 200)

    def test_the_query_count_is_the_same_for_one_commune_and_for_many(self):
        lone = make_unit(Era.LEGACY, Level.DISTRICT, Kind.HUYEN, "999", "Huyện Một Xã")
        first = make_unit(Era.LEGACY, Level.COMMUNE, Kind.XA, "99900", "Xã Đầu Tiên", lone)
        make_user("first.officer", (first, Role.OFFICER))
        self.client.force_login(make_user("lone.reviewer", (lone, Role.REVIEWER)))
        # session, user, first reviewed commune, calendar, the reviewed communes' ids and dates,
        # the month's row, the late communes, their officers and chairmen, navigation
        with self.assertNumQueries(9):
            self.assertEqual(len(self.client.get(URL, {"ky": "2024-03"}).context["reminders"].reminders), 1)
        for number in range(30):
            unit = make_unit(Era.LEGACY, Level.COMMUNE, Kind.XA, f"998{number:02d}", f"Xã Thứ {number}", lone)
            make_user(f"officer{number}", (unit, Role.OFFICER))
            make_user(f"chairman{number}", (unit, Role.CHAIRMAN))
        with self.assertNumQueries(9):
            self.assertEqual(len(self.client.get(URL, {"ky": "2024-03"}).context["reminders"].reminders), 31)
