from django.urls import reverse

from communes.models import Era, Kind, Level
from core.testing import PortalTestCase, make_unit, make_user
from dossiers.figures import Figures
from dossiers.models import DossierReport, Period, ProcedureField, ReportStatus
from dossiers.services import dossier_report_save, dossier_report_submit


class ReviewTestCase(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.ho_tich = ProcedureField.objects.get(name="Hộ tịch")

    def report(self, unit, figures, *, code="2024-03", submit=True):
        report = dossier_report_save(
            unit=unit,
            period=Period.for_code(code),
            user=self.officer,
            lines={self.ho_tich.pk: figures},
            expected_version=0,
        )
        if submit:
            report = dossier_report_submit(
                report=report, user=self.chairman, expected_version=1, confirm_warnings=True
            )
        return report


class OverviewTests(ReviewTestCase):
    def url(self, unit=None, **query):
        return reverse("dossiers:overview", args=[(unit or self.hoai_nhon).pk, "2024-03"])

    def setUp(self):
        self.report(self.hoai_chau, Figures(received_online=90, received_in_person=10, resolved_on_time=100))
        self.report(
            self.hoai_chau_bac,
            Figures(received_in_person=20, resolved_on_time=18, resolved_late=2, apology_letters=1),
            submit=False,
        )

    def test_permission_matrix(self):
        self.assert_access_matrix(
            self.url(),
            {
                "anonymous": 302,
                "outsider": 404,
                "officer": 404,
                "neighbour": 404,
                "reviewer": 200,
                "province_reviewer": 404,
                "administrator": 200,
            },
        )
        self.login(self.officer)
        self.assertEqual(self.client.get(self.url(self.hoai_chau)).status_code, 404)

    def test_it_shows_each_commune_with_rates_and_the_units_total(self):
        self.login(self.reviewer)
        response = self.client.get(self.url())
        self.assertContains(response, "90,00%")
        self.assertContains(response, "0,00%")
        self.assertContains(response, "Toàn Thị xã Hoài Nhơn")
        self.assertContains(response, "75,00%")  # 90 online of 120 received
        self.assertNotContains(response, "Xã Phước Hưng")

    def test_it_flags_zero_online_and_late_without_apology(self):
        self.login(self.reviewer)
        response = self.client.get(self.url())
        self.assertContains(response, "Không có hồ sơ trực tuyến")
        self.assertContains(response, "1 hồ sơ trễ hẹn chưa có thư xin lỗi")

    def test_filters_by_status_flag_and_threshold_in_the_database(self):
        self.login(self.reviewer)
        detail = reverse("dossiers:entry", args=[self.hoai_chau_bac.pk, "2024-03"])
        self.assertContains(self.client.get(self.url(), {"status": "draft"}), detail)
        self.assertNotContains(self.client.get(self.url(), {"status": "submitted"}), detail)
        self.assertContains(self.client.get(self.url(), {"flag": "zero_online"}), detail)
        self.assertContains(self.client.get(self.url(), {"online_below": "50"}), detail)
        self.assertNotContains(self.client.get(self.url(), {"online_below": "50"}), "Xã Hoài Châu</a>")
        response = self.client.get(self.url(), {"online_below": "abc"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "invalid-feedback")

    def test_it_sorts_by_online_rate(self):
        self.login(self.reviewer)
        html = self.client.get(self.url(), {"order": "-truc_tuyen"}).content.decode()
        self.assertLess(html.index("Xã Hoài Châu</a>"), html.index("Xã Hoài Châu Bắc</a>"))
        html = self.client.get(self.url(), {"order": "truc_tuyen"}).content.decode()
        self.assertLess(html.index("Xã Hoài Châu Bắc</a>"), html.index("Xã Hoài Châu</a>"))

    def test_a_quarter_is_summed_from_its_months(self):
        self.report(self.hoai_chau, Figures(received_online=10, resolved_on_time=10), code="2024-01")
        self.login(self.reviewer)
        response = self.client.get(reverse("dossiers:overview", args=[self.hoai_nhon.pk, "2024-Q1"]))
        self.assertContains(response, '<td class="num" data-figure="received_new">110</td>', html=False)

    def test_query_count_does_not_grow_with_communes(self):
        self.login(self.reviewer)
        # session, user, unit, the period's ids, rows, calendar, the totals (all and approved),
        # navigation's memberships
        with self.assertNumQueries(8):
            self.client.get(self.url())
        for number in range(20):
            commune = make_unit(
                Era.LEGACY, Level.COMMUNE, Kind.XA, f"8{number:04d}", f"Xã Thêm {number}", self.hoai_nhon
            )
            self.report(commune, Figures(received_online=1, resolved_on_time=1))
        with self.assertNumQueries(8):
            self.client.get(self.url())

    def test_the_whole_country_is_for_superusers_only(self):
        url = reverse("dossiers:overview_country", args=["2024-03"])
        self.assert_access_matrix(url, {"anonymous": 302, "reviewer": 404, "administrator": 404})
        self.login(make_user("root", is_superuser=True, is_staff=True))
        response = self.client.get(url)
        self.assertContains(response, "Cả nước")
        self.assertContains(response, "Xã Phước Hưng")

    def test_the_period_picker_opens_the_period_and_refuses_one_that_does_not_exist(self):
        self.login(self.reviewer)
        latest = reverse("dossiers:overview_latest", args=[self.hoai_nhon.pk])
        self.assertRedirects(
            self.client.get(latest, {"nam": "2024", "phan": "Q1", "so_lieu": "da-duyet"}),
            reverse("dossiers:overview", args=[self.hoai_nhon.pk, "2024-Q1"]) + "?so_lieu=da-duyet",
        )
        self.assertRedirects(
            self.client.get(latest, {"nam": "2024", "phan": "Y"}),
            reverse("dossiers:overview", args=[self.hoai_nhon.pk, "2024"]),
        )
        for query in (
            {"nam": "năm ngoái", "phan": "Q1"},
            {"nam": "2024", "phan": "Q5"},
            {"nam": "2024", "phan": "13"},
        ):
            with self.subTest(query=query):
                response = self.client.get(latest, query)
                self.assertEqual(response.status_code, 404)
                self.assertContains(response, "không", status_code=404)
        inbox = self.client.get(reverse("dossiers:inbox"), {"nam": "2024", "phan": "Q5"})
        self.assertEqual(inbox.status_code, 404)
        self.assertEqual(
            self.client.get(reverse("dossiers:inbox"), {"nam": "2024", "phan": "03"})
            .context["inbox"]
            .period.code,
            "2024-03",
        )

    def test_the_latest_overview_redirects_to_the_month_already_due(self):
        self.login(self.reviewer)
        response = self.client.get(reverse("dossiers:overview_latest", args=[self.hoai_nhon.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/overview/", response["Location"])


class InboxTests(ReviewTestCase):
    url = reverse("dossiers:inbox")

    def test_permission_matrix(self):
        self.assert_access_matrix(
            self.url, {"anonymous": 302, "officer": 200, "reviewer": 200, "outsider": 200}
        )

    def test_it_lists_submitted_reports_of_its_communes_only(self):
        self.report(self.hoai_chau, Figures(received_online=1, resolved_on_time=1))
        self.report(self.phuoc_hung, Figures(received_online=1, resolved_on_time=1))
        self.login(self.reviewer)
        response = self.client.get(self.url, {"ky": "2024-03"})
        self.assertContains(response, "1 chờ duyệt")
        self.assertContains(response, "Xã Hoài Châu</a>")
        self.assertNotContains(response, "Xã Phước Hưng")

    def test_it_lists_communes_late_with_a_period(self):
        self.report(self.hoai_chau, Figures(received_online=1, resolved_on_time=1))
        self.login(self.reviewer)
        response = self.client.get(self.url, {"ky": "2024-03"})
        self.assertContains(response, "Báo cáo tháng 3/2024")
        rows = {row.pk: row for row in response.context["inbox"].rows}
        self.assertEqual(rows[self.hoai_chau_bac.pk].status, None)
        self.assertEqual(rows[self.hoai_chau_bac.pk].lateness, "overdue")
        self.assertEqual(rows[self.hoai_chau.pk].status, ReportStatus.SUBMITTED)

    def test_a_commune_that_did_not_exist_then_is_not_late(self):
        self.hoai_chau_bac.valid_to = "2023-12-31"
        self.hoai_chau_bac.save()
        self.login(self.reviewer)
        self.assertNotContains(self.client.get(self.url, {"ky": "2024-03"}), "Xã Hoài Châu Bắc")

    def test_query_count_does_not_grow_with_reports(self):
        self.login(self.reviewer)
        # session, user, first reviewed commune, calendar, the reviewed communes' ids and dates, the
        # month's row, the table, the counts by status, the reports waiting in other periods, navigation
        with self.assertNumQueries(10):
            self.client.get(self.url, {"ky": "2024-03"})
        for code in ("2024-01", "2024-02", "2024-03"):
            self.report(self.hoai_chau, Figures(received_online=1, resolved_on_time=1), code=code)
        with self.assertNumQueries(10):
            self.client.get(self.url, {"ky": "2024-03"})


class BulkApproveTests(ReviewTestCase):
    url = reverse("dossiers:inbox_approve")

    def test_it_approves_all_that_were_ticked(self):
        first = self.report(self.hoai_chau, Figures(received_online=1, resolved_on_time=1))
        second = self.report(self.hoai_chau_bac, Figures(received_online=1, resolved_on_time=1))
        self.login(self.reviewer)
        self.assertRedirects(
            self.client.post(self.url, {"report": [first.pk, second.pk]}), reverse("dossiers:inbox")
        )
        self.assertEqual(set(DossierReport.objects.values_list("status", flat=True)), {ReportStatus.APPROVED})

    def test_an_id_that_is_no_number_approves_nothing_and_does_not_crash(self):
        self.login(self.reviewer)
        response = self.client.post(self.url, {"report": ["²", "-1", "1e3", "99999999999999999999"]})
        self.assertRedirects(response, reverse("dossiers:inbox"), fetch_redirect_response=False)

    def test_an_id_from_another_district_approves_nothing(self):
        mine = self.report(self.hoai_chau, Figures(received_online=1, resolved_on_time=1))
        theirs = self.report(self.phuoc_hung, Figures(received_online=1, resolved_on_time=1))
        self.login(self.reviewer)
        response = self.client.post(self.url, {"report": [mine.pk, theirs.pk]})
        self.assertContains(response, f"báo cáo số {theirs.pk} không thuộc phạm vi", status_code=404)
        self.assertEqual(
            set(DossierReport.objects.values_list("status", flat=True)), {ReportStatus.SUBMITTED}
        )

    def test_one_report_that_cannot_be_approved_approves_none(self):
        submitted = self.report(self.hoai_chau, Figures(received_online=1, resolved_on_time=1))
        draft = self.report(self.hoai_chau_bac, Figures(received_online=1, resolved_on_time=1), submit=False)
        self.login(self.reviewer)
        response = self.client.post(self.url, {"report": [submitted.pk, draft.pk]})
        self.assertContains(response, "Không báo cáo nào được duyệt", status_code=409)
        self.assertContains(
            response, "Xã Hoài Châu Bắc – tháng 3/2024: báo cáo đang ở trạng thái", status_code=409
        )
        submitted.refresh_from_db()
        self.assertEqual(submitted.status, ReportStatus.SUBMITTED)

    def test_an_officer_cannot_approve_and_nothing_ticked_is_explained(self):
        report = self.report(self.hoai_chau, Figures(received_online=1, resolved_on_time=1))
        self.login(self.officer)
        self.assertEqual(self.client.post(self.url, {"report": [report.pk]}).status_code, 404)
        self.login(self.reviewer)
        response = self.client.post(self.url, {}, follow=True)
        self.assertContains(response, "Chưa chọn báo cáo nào để duyệt.")
