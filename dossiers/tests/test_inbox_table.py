"""The reviewer's inbox as one table (issue 12): a month's communes with their report, waiting or
late, filtered by status, lateness and name, sorted, the period chosen; 404 for a period the
reviewer's communes did not live in; queries flat in the number of communes; three dates."""

from __future__ import annotations

import datetime

import time_machine
from django.urls import reverse

from communes.models import Era, Kind, Level, Role
from core.testing import make_unit, make_user
from dossiers.figures import Figures
from dossiers.models import ReportStatus
from dossiers.services import dossier_report_return
from dossiers.tests.test_views_review import ReviewTestCase

URL = reverse("dossiers:inbox")
FIGURES = Figures(received_online=1, resolved_on_time=1)


def at(year, month, day):
    # 09:00 UTC is 16:00 in Hà Nội: the same date in the portal's time zone.
    return time_machine.travel(datetime.datetime(year, month, day, 9, tzinfo=datetime.UTC), tick=False)


class InboxTableTests(ReviewTestCase):
    """Xã Hoài Châu sent 3/2024 on time, Xã Hoài Châu Bắc has nothing; Thị xã Hoài Nhơn reviews them."""

    def rows(self, **query):
        response = self.client.get(URL, {"ky": "2024-03", **query})
        self.assertEqual(response.status_code, 200)
        return [row.name for row in response.context["inbox"].rows]

    def setUp(self):
        with at(2024, 3, 15):  # 3/2024 is 15/2–14/3 (Nghị định 09/2019), due 18/3 (2 working days)
            self.sent = self.report(self.hoai_chau, FIGURES)
        self.login(self.reviewer)

    def test_permission_matrix(self):
        # Every user may open it; what it lists is the user's own reviewing (nothing for the others).
        self.assert_access_matrix(
            URL,
            {
                "anonymous": 302,
                "officer": 200,
                "neighbour": 200,
                "outsider": 200,
                "reviewer": 200,
                "province_reviewer": 200,
            },
        )
        self.login(self.officer)
        response = self.client.get(URL, {"ky": "2024-03"})
        self.assertContains(response, "Bạn chưa được phân công thẩm định xã, phường nào.")
        self.assertEqual(response.context["inbox"].rows, [])

    def test_waiting_and_late_reports_are_one_table(self):
        response = self.client.get(URL, {"ky": "2024-03"})
        inbox = response.context["inbox"]
        rows = {row.name: row for row in inbox.rows}
        self.assertEqual(rows["Xã Hoài Châu"].status, ReportStatus.SUBMITTED)
        self.assertEqual(rows["Xã Hoài Châu"].lateness, "on_time")
        self.assertEqual(rows["Xã Hoài Châu Bắc"].status, None)
        self.assertEqual(rows["Xã Hoài Châu Bắc"].lateness, "overdue")
        self.assertEqual(inbox.counts["submitted"], 1)
        self.assertEqual(inbox.counts["overdue"], 1)
        self.assertContains(response, f'<tr data-unit="{self.hoai_chau_bac.pk}" data-status="none"')
        self.assertContains(response, "1 quá hạn chưa gửi")
        self.assertNotContains(response, "Xã Phước Hưng")  # another district's

    def test_it_filters_by_status(self):
        draft = self.report(self.hoai_chau_bac, FIGURES, submit=False)
        self.assertEqual(self.rows(trang_thai="submitted"), ["Xã Hoài Châu"])
        self.assertEqual(self.rows(trang_thai="draft"), ["Xã Hoài Châu Bắc"])
        self.assertEqual(self.rows(trang_thai="unsent"), ["Xã Hoài Châu Bắc"])
        self.assertEqual(self.rows(trang_thai="missing"), [])
        draft.delete()
        self.assertEqual(self.rows(trang_thai="missing"), ["Xã Hoài Châu Bắc"])
        dossier_report_return(report=self.sent, user=self.reviewer, reason="Thiếu số liệu Hộ tịch")
        self.assertEqual(self.rows(trang_thai="returned"), ["Xã Hoài Châu"])
        self.assertEqual(self.rows(trang_thai="approved"), [])

    def test_approved_reports_are_shown_only_when_asked(self):
        self.client.post(reverse("dossiers:inbox_approve"), {"report": [self.sent.pk], "confirmed": "1"})
        self.assertEqual(self.rows(), ["Xã Hoài Châu Bắc"])  # by default: what still needs something
        self.assertEqual(self.rows(trang_thai="approved"), ["Xã Hoài Châu"])
        self.assertEqual(self.rows(trang_thai="all", sap_xep="ten"), ["Xã Hoài Châu", "Xã Hoài Châu Bắc"])

    def test_it_filters_by_lateness(self):
        self.assertEqual(self.rows(han="qua-han"), ["Xã Hoài Châu Bắc"])
        self.assertEqual(self.rows(han="chua-den-han"), [])
        self.assertEqual(self.rows(han="dung-han"), ["Xã Hoài Châu"])
        self.assertEqual(self.rows(han="gui-muon"), [])
        with at(2024, 3, 25):
            late = self.report(self.hoai_chau_bac, FIGURES)
        self.assertEqual(self.rows(han="gui-muon"), ["Xã Hoài Châu Bắc"])
        row = next(
            row
            for row in self.client.get(URL, {"ky": "2024-03"}).context["inbox"].rows
            if row.pk == late.unit_id
        )
        self.assertEqual((row.lateness, row.days_late), ("late", 7))

    def test_before_the_due_date_nothing_is_late(self):
        with at(2024, 3, 16):
            self.assertEqual(self.rows(han="qua-han"), [])
            self.assertEqual(self.rows(han="chua-den-han"), ["Xã Hoài Châu Bắc"])
            response = self.client.get(URL, {"ky": "2024-03"})
        self.assertContains(response, "Chưa đến hạn gửi (18/03/2024).")
        self.assertNotContains(response, "Nhắc các xã chậm gửi")

    def test_it_searches_names_with_or_without_diacritics(self):
        for query in ("Châu Bắc", "chau bac", "CHAU BAC", "  hoài châu bắc "):
            with self.subTest(query=query):
                self.assertEqual(self.rows(q=query), ["Xã Hoài Châu Bắc"])
        self.assertEqual(self.rows(q="Phước Hưng"), [])
        self.assertContains(
            self.client.get(URL, {"ky": "2024-03", "q": "Phước Hưng"}),
            "Không có xã, phường nào khớp với bộ lọc.",
        )

    def test_it_sorts_by_name_status_and_lateness(self):
        both = {"trang_thai": "all"}
        self.assertEqual(self.rows(**both), ["Xã Hoài Châu", "Xã Hoài Châu Bắc"])  # waiting first
        self.assertEqual(self.rows(sap_xep="-trang-thai", **both), ["Xã Hoài Châu Bắc", "Xã Hoài Châu"])
        self.assertEqual(self.rows(sap_xep="-ten", **both), ["Xã Hoài Châu Bắc", "Xã Hoài Châu"])
        self.assertEqual(self.rows(sap_xep="-tre-han", **both), ["Xã Hoài Châu Bắc", "Xã Hoài Châu"])
        self.assertEqual(self.rows(sap_xep="ngay-gui", **both), ["Xã Hoài Châu", "Xã Hoài Châu Bắc"])
        response = self.client.get(URL, {"ky": "2024-03", "sap_xep": "ten"})
        self.assertContains(response, 'aria-sort="ascending"><a href="?sap_xep=-ten&amp;ky=2024-03">')

    def test_a_bad_filter_value_is_said_and_ignored(self):
        response = self.client.get(URL, {"ky": "2024-03", "trang_thai": "xoa-het", "sap_xep": "1; DROP"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.context["inbox"].rows), 2)
        self.assertTrue(response.context["inbox"].filter.errors)

    def test_the_period_picker_keeps_the_filters_and_offers_months_only(self):
        response = self.client.get(URL, {"ky": "2024-03", "trang_thai": "submitted", "q": "chau"})
        self.assertContains(response, '<input type="hidden" name="trang_thai" value="submitted">')
        self.assertContains(response, '<input type="hidden" name="q" value="chau">')
        parts = [value for value, _label in response.context["picker"]["parts"]]
        self.assertEqual(parts, [f"{m:02d}" for m in range(1, 13)])
        self.assertEqual(
            self.client.get(URL, {"nam": "2024", "phan": "02"}).context["inbox"].period.code, "2024-02"
        )

    def test_other_periods_waiting_are_counted_with_a_link(self):
        self.report(self.hoai_chau_bac, FIGURES, code="2024-02")
        response = self.client.get(URL, {"ky": "2024-03"})
        self.assertContains(response, "1 báo cáo chờ duyệt ở kỳ khác")
        self.assertContains(
            response, '<a href="?ky=2024-02&amp;trang_thai=submitted">Tháng 2/2024: 1 báo cáo</a>'
        )

    def test_periods_it_cannot_show_are_404(self):
        for query in (
            {"ky": "2024-Q1"},  # the inbox is of monthly reports
            {"nam": "2024", "phan": "Y"},
            {"ky": "2024-13"},
            {"ky": "2099-01"},  # not begun
        ):
            with self.subTest(query=query):
                self.assertEqual(self.client.get(URL, query).status_code, 404)
        self.hoai_chau.valid_from = self.hoai_chau_bac.valid_from = datetime.date(2020, 1, 1)
        self.hoai_chau.save()
        self.hoai_chau_bac.save()
        self.assertEqual(self.client.get(URL, {"ky": "2019-12"}).status_code, 404)
        self.assertEqual(self.client.get(URL, {"ky": "2020-01"}).status_code, 200)

    def test_a_2025_province_has_no_inbox_before_its_communes_existed(self):
        self.tam_quan.valid_from = datetime.date(2025, 7, 1)
        self.tam_quan.save()
        self.login(self.province_reviewer)
        self.assertEqual(self.client.get(URL, {"ky": "2025-06"}).status_code, 404)
        self.assertEqual(self.client.get(URL, {"ky": "2024-03"}).status_code, 404)
        response = self.client.get(URL, {"ky": "2025-07"})
        self.assertEqual([row.name for row in response.context["inbox"].rows], ["Phường Tam Quan"])
        # Its predecessors' reports were their district's to review, not the province's.
        self.assertNotContains(self.client.get(URL, {"ky": "2025-07", "trang_thai": "all"}), "Xã Hoài Châu")

    def test_it_opens_on_the_latest_month_due_on_three_dates(self):
        self.tam_quan.valid_from = datetime.date(2025, 7, 1)
        self.tam_quan.save()
        for moment, user, wanted in (
            ((2024, 11, 20), self.reviewer, "2024-11"),  # 15/10–14/11, due 18/11
            # 6/2025 is due, but Tam Quan began on 1/7/2025: the province's first month.
            ((2025, 7, 15), self.province_reviewer, "2025-07"),
            ((2026, 12, 3), self.province_reviewer, "2026-11"),
        ):
            with self.subTest(day=moment), at(*moment):
                self.login(user)
                response = self.client.get(URL)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.context["inbox"].period.code, wanted)


class InboxQueryCountTests(ReviewTestCase):
    def test_the_query_count_is_the_same_for_one_commune_and_for_many(self):
        lone = make_unit(Era.LEGACY, Level.DISTRICT, Kind.HUYEN, "999", "Huyện Một Xã")
        only = make_unit(Era.LEGACY, Level.COMMUNE, Kind.XA, "99901", "Xã Duy Nhất", lone)
        self.report(only, FIGURES)
        make_user("lone.reviewer", (lone, Role.REVIEWER))
        self.client.force_login(self.reviewer.__class__.objects.get(username="lone.reviewer"))
        # session, user, first reviewed commune, calendar, the reviewed communes' ids and dates, the
        # month's row, the table, the counts by status, the reports waiting in other periods, navigation
        with self.assertNumQueries(10):
            self.assertEqual(len(self.client.get(URL, {"ky": "2024-03"}).context["inbox"].rows), 1)
        many = [
            make_unit(Era.LEGACY, Level.COMMUNE, Kind.XA, f"998{n:02d}", f"Xã Thứ {n}", lone)
            for n in range(30)
        ]
        for number, unit in enumerate(many):
            make_user(f"officer{number}", (unit, Role.OFFICER))
            if number % 2:
                self.report(unit, FIGURES, code="2024-03" if number % 4 == 1 else "2024-02")
        with self.assertNumQueries(10):
            self.assertEqual(len(self.client.get(URL, {"ky": "2024-03"}).context["inbox"].rows), 31)
        with self.assertNumQueries(10):
            self.client.get(URL, {"ky": "2024-03", "q": "thu", "han": "qua-han", "sap_xep": "-tre-han"})
