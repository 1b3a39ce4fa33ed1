"""Bulk approval from the inbox table (issue 12): all or nothing. A stale selection (a report
approved or returned by someone else since the page was opened) is refused with 409 and a message
naming each such report and who moved it; a report of another district or province with 404 and
its number; the inbox's filters come back after; the queries do not grow with the reports."""

from __future__ import annotations

from django.urls import reverse

from communes.models import Role
from core.testing import make_user
from dossiers.figures import Figures
from dossiers.models import DossierChange, DossierReport, ReportStatus
from dossiers.services import dossier_report_approve, dossier_report_return
from dossiers.tests.test_views_review import ReviewTestCase

URL = reverse("dossiers:inbox_approve")
FIGURES = Figures(received_online=1, resolved_on_time=1)


class BulkApprovalTests(ReviewTestCase):
    def setUp(self):
        self.first = self.report(self.hoai_chau, FIGURES)
        self.second = self.report(self.hoai_chau_bac, FIGURES)
        self.colleague = make_user("colleague", (self.hoai_nhon, Role.REVIEWER))
        self.colleague.full_name = "Trần Thị Đồng Nghiệp"
        self.colleague.save()
        self.login(self.reviewer)

    def statuses(self):
        return dict(DossierReport.objects.values_list("pk", "status"))

    def test_permission_matrix(self):
        data = {"report": [self.first.pk], "confirmed": "1"}
        self.assert_access_matrix(
            URL,
            {"anonymous": 302, "officer": 404, "neighbour": 404, "outsider": 404, "province_reviewer": 404},
            method="post",
            data=data,
        )
        self.assertEqual(set(self.statuses().values()), {ReportStatus.SUBMITTED})
        self.login(self.reviewer)
        self.assertEqual(self.client.get(URL).status_code, 405)

    def test_it_approves_every_report_ticked_and_records_each(self):
        response = self.client.post(URL, {"report": [self.first.pk, self.second.pk], "confirmed": "1"})
        self.assertRedirects(response, reverse("dossiers:inbox"), fetch_redirect_response=False)
        self.assertEqual(set(self.statuses().values()), {ReportStatus.APPROVED})
        approved = DossierReport.objects.get(pk=self.first.pk)
        self.assertEqual((approved.reviewed_by, approved.version), (self.reviewer, self.first.version + 1))
        self.assertEqual(DossierChange.objects.filter(action="approve").count(), 2)

    def test_a_report_approved_meanwhile_by_a_colleague_refuses_all_and_names_it(self):
        dossier_report_approve(report=self.second, user=self.colleague)
        response = self.client.post(URL, {"report": [self.first.pk, self.second.pk], "confirmed": "1"})
        self.assertContains(response, "Không báo cáo nào được duyệt", status_code=409)
        self.assertContains(
            response,
            "Xã Hoài Châu Bắc – tháng 3/2024: đã được Trần Thị Đồng Nghiệp duyệt lúc",
            status_code=409,
        )
        self.assertNotContains(response, "Xã Hoài Châu – tháng 3/2024:", status_code=409)
        self.assertEqual(self.statuses()[self.first.pk], ReportStatus.SUBMITTED)  # nothing half-approved

    def test_a_report_returned_meanwhile_refuses_all_and_names_it(self):
        dossier_report_return(report=self.first, user=self.colleague, reason="Thiếu Hộ tịch")
        response = self.client.post(URL, {"report": [self.first.pk, self.second.pk], "ask": "1"})
        self.assertContains(
            response, "Xã Hoài Châu – tháng 3/2024: đã bị Trần Thị Đồng Nghiệp trả lại lúc", status_code=409
        )
        self.assertEqual(self.statuses()[self.second.pk], ReportStatus.SUBMITTED)

    def test_a_report_of_another_district_or_province_is_404_with_its_number(self):
        theirs = self.report(self.phuoc_hung, FIGURES)
        tam_quan = self.report(self.tam_quan, FIGURES)
        for other in (theirs, tam_quan):
            with self.subTest(report=other.unit.name):
                response = self.client.post(URL, {"report": [self.first.pk, other.pk], "confirmed": "1"})
                self.assertContains(
                    response, f"báo cáo số {other.pk} không thuộc phạm vi thẩm định", status_code=404
                )
                self.assertNotContains(response, other.unit.name, status_code=404)
        self.assertEqual(set(self.statuses().values()), {ReportStatus.SUBMITTED})

    def test_the_inbox_filters_come_back_after_approving_and_on_a_refusal(self):
        query = "?trang_thai=submitted&q=chau&ky=2024-03"
        response = self.client.post(URL + query, {"report": [self.first.pk], "confirmed": "1"})
        self.assertRedirects(response, reverse("dossiers:inbox") + query, fetch_redirect_response=False)
        response = self.client.post(URL + query, {"report": [self.first.pk], "confirmed": "1"})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.context["inbox"].period.code, "2024-03")
        self.assertEqual(response.context["inbox"].filter.form.cleaned_data["q"], "chau")

    def test_without_javascript_the_page_lists_them_and_posts_back_with_the_filters(self):
        query = "?trang_thai=submitted&ky=2024-03"
        response = self.client.post(URL + query, {"report": [self.first.pk, self.second.pk], "ask": "1"})
        self.assertContains(response, "Duyệt 2 báo cáo?")
        self.assertContains(response, f'action="{URL}?trang_thai=submitted&amp;ky=2024-03"')
        self.assertContains(response, 'href="/review/?trang_thai=submitted&amp;ky=2024-03"')
        self.assertEqual(set(self.statuses().values()), {ReportStatus.SUBMITTED})

    def test_the_query_count_does_not_grow_with_the_reports(self):
        # session, user, the reports in reach (the reviewed communes a subquery), savepoint, the
        # reports read again (locked on PostgreSQL), the update, the history, the notifications
        # (the communes' people, their mail settings, the insert), release; then the redirect
        with self.assertNumQueries(11):
            self.client.post(URL, {"report": [self.first.pk], "confirmed": "1"})
        more = [self.report(self.hoai_chau, FIGURES, code=f"2024-{m:02d}") for m in range(4, 10)]
        with self.assertNumQueries(11):
            self.client.post(URL, {"report": [self.second.pk, *(r.pk for r in more)], "confirmed": "1"})
        self.assertEqual(set(self.statuses().values()), {ReportStatus.APPROVED})
