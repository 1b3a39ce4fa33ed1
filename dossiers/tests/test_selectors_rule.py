"""The one rule for a period's figures (dossiers.selectors._compose) and the overview's SQL that
follows it: months first, the whole-period report only without months or when chosen, approved
reports only where asked, "đang giải quyết" from the last month counted."""

from django.urls import reverse

from core.periods import Period as P
from core.testing import PortalTestCase
from dossiers.figures import Figures
from dossiers.models import ChangeAction, DossierChange, DossierReport, FiguresChoice, Period, ProcedureField
from dossiers.selectors import Basis, communes_under, figures_for, overview_queryset
from dossiers.services import dossier_report_approve, dossier_report_save, dossier_report_submit


class RuleTestCase(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.ho_tich = ProcedureField.objects.get(name="Hộ tịch")

    def report(self, code, figures, *, approve=False, unit=None):
        report = dossier_report_save(
            unit=unit or self.hoai_chau,
            period=Period.for_code(code),
            user=self.officer,
            lines={self.ho_tich.pk: figures},
            expected_version=0,
        )
        if approve:
            report = dossier_report_submit(
                report=report, user=self.chairman, expected_version=1, confirm_warnings=True
            )
            report = dossier_report_approve(report=report, user=self.reviewer)
        return report

    def months(self, year=2024, count=12, approve=True, **figures):
        for number in range(1, count + 1):
            self.report(f"{year}-{number:02d}", Figures(**figures), approve=approve)

    def overview_row(self, code, basis=Basis.ALL):
        rows = overview_queryset(communes=communes_under(self.hoai_nhon), period=P.parse(code), basis=basis)
        return rows.get(pk=self.hoai_chau.pk)


class MonthsFirstTests(RuleTestCase):
    def test_a_draft_year_does_not_hide_twelve_approved_months(self):
        self.months(received_online=10, resolved_on_time=10)
        self.report("2024", Figures(received_online=1, resolved_on_time=1))
        result = figures_for(unit=self.hoai_chau, period=P.parse("2024"))
        self.assertEqual((result.source, result.total.resolved_total), ("months", 120))
        self.assertTrue(result.conflict)
        self.assertEqual((result.approved_months, result.waiting_months, result.missing_months), (12, 0, 0))
        self.assertEqual(result.direct.total.resolved_total, 1)
        self.assertEqual(self.overview_row("2024").resolved, 120)
        self.assertEqual(self.overview_row("2024").status, "approved")

    def test_the_whole_period_report_counts_when_chosen(self):
        self.months(count=3, received_online=10, resolved_on_time=10)
        quarter = self.report("2024-Q1", Figures(received_online=7, resolved_on_time=7))
        quarter.figures_choice = FiguresChoice.DIRECT
        quarter.save()
        result = figures_for(unit=self.hoai_chau, period=P.parse("2024-Q1"))
        self.assertEqual((result.source, result.total.resolved_total), ("direct", 7))
        self.assertEqual(result.months_total.resolved_total, 30)
        self.assertEqual(self.overview_row("2024-Q1").resolved, 7)
        self.assertEqual(self.overview_row("2024-Q1").status, "draft")

    def test_without_months_the_whole_period_report_counts(self):
        self.report("2023", Figures(received_in_person=17, resolved_on_time=17))
        result = figures_for(unit=self.hoai_chau, period=P.parse("2023"))
        self.assertEqual((result.source, result.total.resolved_total, result.conflict), ("direct", 17, False))
        self.assertEqual(self.overview_row("2023").resolved, 17)


class BasisTests(RuleTestCase):
    def test_approved_only_leaves_out_the_rest_and_takes_pending_from_the_last_counted_month(self):
        self.report(
            "2024-01", Figures(received_online=10, resolved_on_time=8, pending_overdue=2), approve=True
        )
        self.report(
            "2024-02", Figures(carried_over=2, received_online=5, resolved_on_time=1, pending_overdue=6)
        )
        every = figures_for(unit=self.hoai_chau, period=P.parse("2024-Q1"))
        approved = figures_for(unit=self.hoai_chau, period=P.parse("2024-Q1"), basis=Basis.APPROVED)
        self.assertEqual(
            (every.total.received_new, every.total.pending_overdue, every.unapproved), (15, 6, 1)
        )
        self.assertEqual((approved.total.received_new, approved.total.pending_overdue), (10, 2))
        for basis, result in ((Basis.ALL, every), (Basis.APPROVED, approved)):
            row = self.overview_row("2024-Q1", basis)
            with self.subTest(basis=basis):
                self.assertEqual(row.received_new, result.total.received_new)
                self.assertEqual(row.pending_overdue, result.total.pending_overdue)
                self.assertEqual(row.late, result.total.late_total)
        self.assertEqual(self.overview_row("2024-Q1").months_approved, 1)

    def test_a_month_not_approved_is_empty_when_approved_only(self):
        self.report("2024-03", Figures(received_online=4, resolved_on_time=4))
        result = figures_for(unit=self.hoai_chau, period=P.parse("2024-03"), basis=Basis.APPROVED)
        self.assertEqual((result.source, result.lines, result.unapproved), ("direct", {}, 1))
        self.assertEqual(self.overview_row("2024-03", Basis.APPROVED).received_new, 0)


class ChooseTests(RuleTestCase):
    def setUp(self):
        self.months(count=3, received_online=10, resolved_on_time=10)
        self.quarter = self.report("2024-Q1", Figures(received_online=7, resolved_on_time=7))
        self.url = reverse("dossiers:choose", args=[self.hoai_chau.pk, "2024-Q1"])
        self.page = reverse("dossiers:entry", args=[self.hoai_chau.pk, "2024-Q1"])

    def test_the_period_page_shows_both_totals_and_the_choice(self):
        self.login(self.reviewer)
        response = self.client.get(self.page)
        self.assertTemplateUsed(response, "dossiers/period_summary.html")
        self.assertContains(response, "Hai nguồn số liệu cho cùng một kỳ")
        self.assertContains(response, '<td class="num" data-side="months">30</td>', html=False)
        self.assertContains(response, '<td class="num" data-side="direct">7</td>', html=False)
        self.assertContains(response, "Dùng báo cáo cả kỳ")
        # The whole-period report's own grid stays reachable, saying the months count.
        grid = self.client.get(self.page, {"ca-ky": "1"})
        self.assertTemplateUsed(grid, "dossiers/report_entry.html")
        self.assertContains(grid, "Xã đã có 3 báo cáo tháng trong kỳ này")

    def test_permission_matrix(self):
        data = {"choice": "direct", "expected": ""}
        self.assert_access_matrix(
            self.url,
            {"anonymous": 302, "outsider": 404, "neighbour": 404, "province_reviewer": 403},
            method="post",
            data=data,
        )
        self.quarter.refresh_from_db()
        self.assertEqual(self.quarter.figures_choice, "")
        for persona in ("officer", "chairman", "reviewer"):
            with self.subTest(persona=persona):
                DossierReport.objects.filter(pk=self.quarter.pk).update(figures_choice="")
                self.login(getattr(self, persona))
                self.assertRedirects(self.client.post(self.url, data), self.page)
                self.quarter.refresh_from_db()
                self.assertEqual(self.quarter.figures_choice, "direct")

    def test_the_choice_is_recorded_and_a_stale_one_is_refused(self):
        self.login(self.officer)
        self.client.post(self.url, {"choice": "direct", "expected": ""})
        change = DossierChange.objects.get(report=self.quarter, action=ChangeAction.CHOOSE)
        self.assertEqual((change.user, change.note), (self.officer, "Báo cáo cả kỳ"))
        self.assertEqual(figures_for(unit=self.hoai_chau, period=P.parse("2024-Q1")).total.resolved_total, 7)
        # Someone saw the page before that choice and now asks for the months: refused, said why.
        response = self.client.post(self.url, {"choice": "months", "expected": ""}, follow=True)
        self.assertContains(response, "vừa được chọn là “Báo cáo cả kỳ” bởi người khác")
        self.quarter.refresh_from_db()
        self.assertEqual(self.quarter.figures_choice, "direct")

    def test_a_bad_choice_or_a_period_without_its_own_report_is_refused(self):
        self.login(self.officer)
        response = self.client.post(self.url, {"choice": "both", "expected": ""}, follow=True)
        self.assertContains(response, "Chỉ chọn được giữa tổng các tháng và báo cáo cả kỳ")
        other = reverse("dossiers:choose", args=[self.hoai_chau.pk, "2024-Q2"])
        self.assertEqual(self.client.post(other, {"choice": "direct", "expected": ""}).status_code, 404)
        self.assertEqual(self.client.get(self.url).status_code, 405)
