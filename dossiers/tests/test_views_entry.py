import datetime

from django.urls import reverse

from core.testing import PortalTestCase
from dossiers.figures import Figures
from dossiers.forms import cell_name
from dossiers.models import DossierLine, DossierReport, Period, ProcedureField, ReportStatus
from dossiers.services import dossier_report_save, dossier_report_submit


class EntryTestCase(PortalTestCase):
    period = "2024-03"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.ho_tich = ProcedureField.objects.get(name="Hộ tịch")
        cls.chung_thuc = ProcedureField.objects.get(name="Chứng thực")

    def url(self, unit=None, period=None):
        return reverse("dossiers:entry", args=[(unit or self.hoai_chau).pk, period or self.period])

    def grid(self, version=0, **cells):
        """POST data: every cell blank but those given as field__column=value."""
        data = {"version": str(version)}
        for field in ProcedureField.objects.filter(is_active=True):
            for column in ("received_online",):
                data[cell_name(field.pk, column)] = ""
        fields = {"ho_tich": self.ho_tich.pk, "chung_thuc": self.chung_thuc.pk}
        for key, value in cells.items():
            field, column = key.split("__")
            data[cell_name(fields[field], column)] = value
        return data

    def balanced(self, version=0, **extra):
        return self.grid(
            version, ho_tich__received_online="1.184", ho_tich__resolved_on_time="1.184", **extra
        )

    def saved(self, figures=None, user=None):
        return dossier_report_save(
            unit=self.hoai_chau,
            period=Period.for_code(self.period),
            user=user or self.officer,
            lines={self.ho_tich.pk: figures or Figures(received_online=10, resolved_on_time=10)},
            expected_version=0,
        )


class EntryAccessTests(EntryTestCase):
    def test_permission_matrix_for_reading(self):
        self.assert_access_matrix(
            self.url(),
            {
                "anonymous": 302,
                "outsider": 404,
                "officer": 200,
                "chairman": 200,
                "neighbour": 404,
                "reviewer": 200,
                "province_reviewer": 200,
                "new_officer": 200,
                "administrator": 200,
            },
        )

    def test_permission_matrix_for_saving(self):
        matrix = {
            "anonymous": 302,
            "outsider": 404,
            "officer": 302,
            "chairman": 302,
            "neighbour": 404,
            "reviewer": 403,
            "new_officer": 403,
            "administrator": 403,
        }
        for persona, expected in matrix.items():
            with self.subTest(persona=persona):
                self.client.logout()
                if persona != "anonymous":
                    self.login(getattr(self, persona))
                version = DossierReport.objects.first().version if DossierReport.objects.exists() else 0
                response = self.client.post(self.url(), self.balanced(version))
                self.assertEqual(response.status_code, expected)
        self.assertEqual(DossierReport.objects.get().updated_by, self.chairman)

    def test_a_district_or_a_bad_period_is_404(self):
        self.login(self.reviewer)
        self.assertEqual(self.client.get(self.url(unit=self.hoai_nhon)).status_code, 404)
        for period in ("2024-13", "tháng-3", "2024-Q9"):
            with self.subTest(period=period):
                self.assertEqual(self.client.get(self.url(period=period)).status_code, 404)

    def test_the_list_of_periods_has_the_same_matrix(self):
        self.assert_access_matrix(
            reverse("dossiers:list", args=[self.hoai_chau.pk]),
            {"anonymous": 302, "outsider": 404, "officer": 200, "neighbour": 404, "reviewer": 200},
        )

    def test_the_lists_queries_do_not_grow_with_reports(self):
        self.login(self.officer)
        url = reverse("dossiers:list", args=[self.hoai_chau.pk])
        self.client.get(url)  # the session's first use
        # session, user, unit, the calendar, the reports of each of the two years, the unit's first
        # year, the chart's months, navigation
        with self.assertNumQueries(9):
            self.client.get(url, {"nam": "2024"})
        for month in range(1, 13):
            dossier_report_save(
                unit=self.hoai_chau,
                period=Period.for_code(f"2024-{month:02d}"),
                user=self.officer,
                lines={self.ho_tich.pk: Figures(received_online=1, resolved_on_time=1)},
                expected_version=0,
            )
        with self.assertNumQueries(9):
            response = self.client.get(url, {"nam": "2024"})
        self.assertEqual(len(response.context["listing"].months), 24)

    def test_a_commune_that_ended_lists_no_month_after_its_end(self):
        self.hoai_chau.valid_to = datetime.date(2025, 6, 30)
        self.hoai_chau.save()
        self.login(self.officer)
        response = self.client.get(reverse("dossiers:list", args=[self.hoai_chau.pk]))
        codes = [row["period"].code for row in response.context["listing"].months]
        # A month belongs to the units that existed during its calendar month: June 2025 is the
        # last of a commune that ended on 30/6/2025 and July 2025 the first of its successor,
        # whichever way the province counts its reporting days.
        self.assertEqual(codes[0], "2025-06")
        self.assertEqual(codes[-1], "2024-01")

    def test_nothing_is_entered_for_a_period_before_the_unit_existed(self):
        self.tam_quan.valid_from = datetime.date(2025, 7, 1)
        self.tam_quan.save()
        self.login(self.new_officer)
        url = self.url(self.tam_quan, "2024-03")
        page = self.client.get(url)
        self.assertContains(page, "không tồn tại trong kỳ này")
        self.assertFalse(page.context["page"].may_write)
        self.assertEqual(self.client.post(url, self.balanced()).status_code, 403)
        self.assertFalse(DossierReport.objects.filter(unit=self.tam_quan).exists())
        # Its first month is July 2025.
        self.assertTrue(self.client.get(self.url(self.tam_quan, "2025-07")).context["page"].may_write)

    def test_the_list_opens_another_period_by_its_code(self):
        self.login(self.officer)
        response = self.client.get(reverse("dossiers:list", args=[self.hoai_chau.pk]), {"ky": "2023"})
        self.assertRedirects(response, self.url(period="2023"))
        bad = self.client.get(reverse("dossiers:list", args=[self.hoai_chau.pk]), {"ky": "năm ngoái"})
        self.assertEqual(bad.status_code, 404)


class EntryTests(EntryTestCase):
    def test_an_empty_period_shows_an_empty_grid_and_creates_nothing(self):
        self.login(self.officer)
        response = self.client.get(self.url())
        self.assertContains(response, "Chưa nhập")
        self.assertContains(response, "Từ ngày 15/02/2024 đến ngày 14/03/2024")
        self.assertContains(response, 'inputmode="numeric"')
        self.assertFalse(DossierReport.objects.exists())

    def test_the_totals_row_is_counted_by_the_server_too(self):
        # Read without JavaScript (and by tests comparing pages), the row says what was saved.
        self.saved(Figures(received_online=1184, received_in_person=108, resolved_on_time=1292))
        self.login(self.officer)
        response = self.client.get(self.url())
        self.assertContains(response, '<output data-sum="received_online">1.184</output>', html=False)
        self.assertContains(response, '<output data-sum-total="received">1.292</output>', html=False)
        self.assertContains(response, '<output data-sum-total="resolved">1.292</output>', html=False)

    def test_an_officer_saves_a_draft_with_numbers_typed_the_vietnamese_way(self):
        self.login(self.officer)
        response = self.client.post(self.url(), self.balanced())
        self.assertRedirects(response, self.url(), fetch_redirect_response=False)
        line = DossierLine.objects.get()
        self.assertEqual(
            (line.field, line.received_online, line.resolved_on_time), (self.ho_tich, 1184, 1184)
        )
        page = self.client.get(self.url())
        self.assertContains(page, 'value="1.184"')
        self.assertContains(page, "Đã lưu nháp")
        self.assertContains(page, "100,00%")

    def test_a_non_numeric_cell_is_refused_beside_the_cell_and_nothing_is_saved(self):
        self.login(self.officer)
        response = self.client.post(self.url(), self.balanced(chung_thuc__received_postal="mười"))
        self.assertContains(response, "“mười” không phải số nguyên", status_code=400)
        self.assertContains(response, 'aria-invalid="true"', status_code=400)
        self.assertContains(response, 'value="mười"', status_code=400)
        self.assertFalse(DossierReport.objects.exists())

    def test_an_impossible_row_is_refused_and_nothing_is_saved(self):
        self.login(self.officer)
        response = self.client.post(
            self.url(), self.balanced(ho_tich__online_payments="9", ho_tich__dossiers_with_fees="2")
        )
        self.assertContains(response, "lớn hơn số hồ sơ có thu phí, lệ phí (2)", status_code=400)
        self.assertFalse(DossierReport.objects.exists())

    def test_a_stale_save_is_refused_naming_who_saved_and_keeps_the_values_on_screen(self):
        self.saved(user=self.chairman)  # version 1, by the chairman, after the officer opened version 0
        self.login(self.officer)
        response = self.client.post(self.url(), self.balanced(version=0))
        self.assertContains(response, "Chairman đã lưu báo cáo này lúc", status_code=409)
        self.assertContains(response, 'value="1.184"', status_code=409)
        self.assertContains(response, "Đã lưu: 10", status_code=409)
        self.assertContains(response, 'name="version" value="1"', status_code=409)
        self.assertEqual(DossierLine.objects.get().received_online, 10)
        # Looked at, saved again: it goes through.
        self.assertEqual(self.client.post(self.url(), self.balanced(version=1)).status_code, 302)
        self.assertEqual(DossierLine.objects.get().received_online, 1184)

    def test_an_officer_cannot_submit(self):
        self.login(self.officer)
        response = self.client.post(self.url(), {**self.balanced(), "submit": "1"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(DossierReport.objects.exists())

    def test_the_chairman_submits(self):
        self.login(self.chairman)
        response = self.client.post(self.url(), {**self.balanced(), "submit": "1"})
        self.assertRedirects(response, self.url())
        self.assertEqual(DossierReport.objects.get().status, ReportStatus.SUBMITTED)

    def test_an_unbalanced_report_is_saved_but_sent_only_once_confirmed(self):
        self.login(self.chairman)
        data = self.grid(ho_tich__received_online="10", ho_tich__resolved_on_time="7")
        response = self.client.post(self.url(), {**data, "submit": "1"}, follow=True)
        self.assertContains(response, "Đã lưu số liệu nhưng chưa gửi")
        self.assertContains(response, 'name="confirm_warnings"')
        report = DossierReport.objects.get()
        self.assertEqual(report.status, ReportStatus.DRAFT)
        confirmed = {
            **self.grid(report.version, ho_tich__received_online="10", ho_tich__resolved_on_time="7")
        }
        self.client.post(self.url(), {**confirmed, "submit": "1", "confirm_warnings": "on"})
        self.assertEqual(DossierReport.objects.get().status, ReportStatus.SUBMITTED)

    def test_a_submitted_report_is_read_only_and_a_post_is_refused(self):
        report = self.saved()
        dossier_report_submit(report=report, user=self.chairman, expected_version=1)
        self.login(self.officer)
        page = self.client.get(self.url())
        self.assertContains(page, "disabled")
        self.assertNotContains(page, "Lưu nháp")
        response = self.client.post(self.url(), self.balanced(version=2))
        self.assertContains(response, "không sửa được", status_code=403)
        self.assertEqual(DossierLine.objects.get().received_online, 10)

    def test_a_far_too_high_value_is_flagged_as_a_possible_typing_error(self):
        for month in ("2024-01", "2024-02"):
            dossier_report_save(
                unit=self.hoai_chau,
                period=Period.for_code(month),
                user=self.officer,
                lines={self.ho_tich.pk: Figures(received_online=100, resolved_on_time=100)},
                expected_version=0,
            )
        self.saved(Figures(received_online=1000, resolved_on_time=1000))
        self.login(self.officer)
        self.assertContains(self.client.get(self.url()), "Cao bất thường (12 tháng trước cao nhất 100)")

    def test_the_page_shows_the_history(self):
        self.saved()
        self.login(self.officer)
        response = self.client.get(self.url())
        self.assertContains(response, "Lịch sử thay đổi")
        self.assertContains(response, "Hộ tịch – Trực tuyến (trống) → 10")

    def test_query_count_does_not_grow_with_lines(self):
        self.saved()
        self.login(self.officer)
        # session, user, report, lines, fields, roles, calendar, history, outlier history,
        # whether the user reviews the unit, unit, navigation's memberships
        with self.assertNumQueries(12):
            self.client.get(self.url())
        dossier_report_save(
            unit=self.hoai_chau,
            period=Period.for_code(self.period),
            user=self.officer,
            lines={
                f.pk: Figures(received_online=1, resolved_on_time=1) for f in ProcedureField.objects.all()
            },
            expected_version=1,
        )
        with self.assertNumQueries(12):
            self.client.get(self.url())


class ReviewTests(EntryTestCase):
    def review(self, action, **data):
        return self.client.post(
            reverse("dossiers:review", args=[self.hoai_chau.pk, self.period]), {"action": action, **data}
        )

    def submitted(self):
        return dossier_report_submit(report=self.saved(), user=self.chairman, expected_version=1)

    def test_permission_matrix_for_approving(self):
        self.submitted()
        for persona, expected in {
            "officer": 403,
            "chairman": 403,
            "neighbour": 404,
            "province_reviewer": 403,
            "administrator": 403,
        }.items():
            with self.subTest(persona=persona):
                self.login(getattr(self, persona))
                self.assertEqual(self.review("approve").status_code, expected)
        self.assertEqual(DossierReport.objects.get().status, ReportStatus.SUBMITTED)
        self.login(self.reviewer)
        self.assertEqual(self.review("approve").status_code, 302)
        self.assertEqual(DossierReport.objects.get().status, ReportStatus.APPROVED)

    def test_a_return_needs_a_reason(self):
        self.submitted()
        self.login(self.reviewer)
        response = self.client.post(
            reverse("dossiers:review", args=[self.hoai_chau.pk, self.period]),
            {"action": "return", "reason": " "},
            follow=True,
        )
        self.assertContains(response, "Hãy ghi lý do trả lại")
        self.assertEqual(DossierReport.objects.get().status, ReportStatus.SUBMITTED)

    def test_a_return_with_reason_and_comment_reaches_the_commune(self):
        self.submitted()
        self.login(self.reviewer)
        self.review(
            "return", reason="Chưa khớp sổ hộ tịch.", **{f"comment-{self.ho_tich.pk}": "Xem lại tháng 3"}
        )
        self.login(self.officer)
        page = self.client.get(self.url())
        self.assertContains(page, "Báo cáo bị trả lại:")
        self.assertContains(page, "Chưa khớp sổ hộ tịch.")
        self.assertContains(page, "Ý kiến thẩm định: Xem lại tháng 3")
        self.assertContains(page, "Lưu nháp")

    def test_an_unknown_action_is_a_bad_request(self):
        self.submitted()
        self.login(self.reviewer)
        self.assertEqual(self.review("delete").status_code, 400)
        self.assertEqual(
            self.client.get(reverse("dossiers:review", args=[self.hoai_chau.pk, self.period])).status_code,
            405,
        )

    def test_reviewing_a_period_without_report_is_404(self):
        self.login(self.reviewer)
        self.assertEqual(self.review("approve").status_code, 404)
