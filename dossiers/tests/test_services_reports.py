from django.core.exceptions import ValidationError

from core.testing import PortalTestCase
from dossiers.figures import Figures
from dossiers.models import DossierChange, DossierLine, DossierReport, Period, ProcedureField, ReportStatus
from dossiers.services import (
    FiguresInvalid,
    NeedsConfirmation,
    StaleReport,
    WorkflowError,
    dossier_report_approve,
    dossier_report_reopen,
    dossier_report_return,
    dossier_report_save,
    dossier_report_submit,
)


class ReportServiceTestCase(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.march = Period.for_code("2024-03")
        cls.ho_tich = ProcedureField.objects.get(name="Hộ tịch")
        cls.chung_thuc = ProcedureField.objects.get(name="Chứng thực")
        cls.good = Figures(received_online=8, received_in_person=2, resolved_on_time=9, pending_in_time=1)

    def save(self, lines, *, version=0, user=None):
        return dossier_report_save(
            unit=self.hoai_chau,
            period=self.march,
            user=user or self.officer,
            lines=lines,
            expected_version=version,
        )


class SaveTests(ReportServiceTestCase):
    def test_a_first_save_creates_the_draft_with_its_lines(self):
        report = self.save({self.ho_tich.pk: self.good})
        self.assertEqual(
            (report.status, report.version, report.updated_by), (ReportStatus.DRAFT, 1, self.officer)
        )
        line = report.lines.get()
        self.assertEqual(line.figures, self.good)

    def test_all_zero_rows_of_a_new_report_are_not_stored(self):
        report = self.save({self.ho_tich.pk: self.good, self.chung_thuc.pk: Figures()})
        self.assertEqual(report.lines.count(), 1)

    def test_every_changed_figure_is_recorded_with_old_and_new_value(self):
        report = self.save({self.ho_tich.pk: self.good})
        self.save(
            {self.ho_tich.pk: self.good.replace(received_online=9, resolved_on_time=10)},
            version=1,
            user=self.chairman,
        )
        changes = report.changes.filter(column="received_online").order_by("at")
        self.assertEqual([(c.old_value, c.new_value) for c in changes], [(None, 8), (8, 9)])
        self.assertEqual(changes.last().user, self.chairman)

    def test_errors_refuse_the_whole_save_and_keep_nothing(self):
        bad = self.good.replace(online_payments=5, dossiers_with_fees=1)
        with self.assertRaises(FiguresInvalid) as caught:
            self.save({self.ho_tich.pk: self.good, self.chung_thuc.pk: bad})
        ((field_id, problems),) = caught.exception.problems.items()
        self.assertEqual(field_id, self.chung_thuc.pk)
        self.assertIn("thanh toán trực tuyến", problems[0].message)
        self.assertFalse(DossierReport.objects.exists())
        self.assertFalse(DossierLine.objects.exists())

    def test_a_save_based_on_an_old_version_is_refused_naming_who_changed_it(self):
        self.save({self.ho_tich.pk: self.good})
        self.save({self.ho_tich.pk: self.good.replace(carried_over=0)}, version=1, user=self.chairman)
        with self.assertRaises(StaleReport) as caught:
            self.save({self.ho_tich.pk: self.good.replace(received_online=100)}, version=1)
        self.assertIn(self.chairman.display_name, str(caught.exception))
        self.assertEqual(DossierLine.objects.get().received_online, 8)

    def test_two_first_saves_of_the_same_report_cannot_both_win(self):
        self.save({self.ho_tich.pk: self.good})
        with self.assertRaises(StaleReport):
            self.save({self.ho_tich.pk: self.good.replace(received_online=1)}, version=0, user=self.chairman)

    def test_a_submitted_report_cannot_be_edited(self):
        report = self.save({self.ho_tich.pk: self.good})
        dossier_report_submit(report=report, user=self.chairman, expected_version=1)
        with self.assertRaises(WorkflowError):
            self.save({self.ho_tich.pk: self.good}, version=2)

    def test_an_unknown_or_retired_field_is_refused(self):
        retired = ProcedureField.objects.create(name="Cũ", is_active=False)
        for field_id in (retired.pk, 999999):
            with self.subTest(field_id=field_id), self.assertRaises(ValidationError):
                self.save({field_id: self.good})
        self.assertFalse(DossierReport.objects.exists())


class WorkflowTests(ReportServiceTestCase):
    def draft(self, figures=None):
        return self.save({self.ho_tich.pk: figures or self.good})

    def test_the_chairman_submits_a_draft(self):
        report = dossier_report_submit(report=self.draft(), user=self.chairman, expected_version=1)
        self.assertEqual(
            (report.status, report.submitted_by, report.version), (ReportStatus.SUBMITTED, self.chairman, 2)
        )
        self.assertTrue(report.changes.filter(action="submit", user=self.chairman).exists())

    def test_an_unbalanced_report_needs_an_explicit_confirmation(self):
        report = self.draft(self.good.replace(pending_in_time=0))
        with self.assertRaises(NeedsConfirmation) as caught:
            dossier_report_submit(report=report, user=self.chairman, expected_version=1)
        self.assertIn("khác số đã giải quyết", caught.exception.warnings[0].message)
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatus.DRAFT)
        report = dossier_report_submit(
            report=report, user=self.chairman, expected_version=1, confirm_warnings=True
        )
        self.assertEqual(report.status, ReportStatus.SUBMITTED)

    def test_an_empty_report_cannot_be_submitted(self):
        report = DossierReport.objects.create(unit=self.hoai_chau, period=self.march)
        with self.assertRaises(WorkflowError):
            dossier_report_submit(report=report, user=self.chairman, expected_version=1)

    def test_the_reviewer_returns_with_a_reason_and_row_comments(self):
        report = dossier_report_submit(report=self.draft(), user=self.chairman, expected_version=1)
        report = dossier_report_return(
            report=report,
            user=self.reviewer,
            reason="Số liệu hộ tịch chưa khớp sổ.",
            line_comments={self.ho_tich.pk: "Kiểm tra lại"},
        )
        self.assertEqual(
            (report.status, report.return_reason), (ReportStatus.RETURNED, "Số liệu hộ tịch chưa khớp sổ.")
        )
        self.assertEqual(report.lines.get().reviewer_comment, "Kiểm tra lại")
        # Returned, the commune edits it again.
        self.save(
            {self.ho_tich.pk: self.good.replace(received_online=9, resolved_on_time=10)},
            version=report.version,
        )

    def test_a_return_without_a_reason_is_refused(self):
        report = dossier_report_submit(report=self.draft(), user=self.chairman, expected_version=1)
        for reason in ("", "   "):
            with self.subTest(reason=reason), self.assertRaises(WorkflowError):
                dossier_report_return(report=report, user=self.reviewer, reason=reason)
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatus.SUBMITTED)

    def test_approval_locks_and_only_a_reopen_with_reason_unlocks(self):
        report = dossier_report_submit(report=self.draft(), user=self.chairman, expected_version=1)
        report = dossier_report_approve(report=report, user=self.reviewer)
        self.assertEqual(report.status, ReportStatus.APPROVED)
        with self.assertRaises(WorkflowError):
            self.save({self.ho_tich.pk: self.good}, version=report.version)
        with self.assertRaises(WorkflowError):
            dossier_report_reopen(report=report, user=self.reviewer, reason=" ")
        report = dossier_report_reopen(
            report=report, user=self.reviewer, reason="Xã xin điều chỉnh số liệu tháng 3."
        )
        self.assertEqual(report.status, ReportStatus.RETURNED)
        self.assertTrue(report.changes.filter(action="reopen", note__contains="điều chỉnh").exists())

    def test_only_submitted_reports_are_approved_or_returned(self):
        report = self.draft()
        with self.assertRaises(WorkflowError):
            dossier_report_approve(report=report, user=self.reviewer)
        with self.assertRaises(WorkflowError):
            dossier_report_return(report=report, user=self.reviewer, reason="x")

    def test_two_reviewers_acting_on_the_same_stale_report_cannot_both_succeed(self):
        report = dossier_report_submit(report=self.draft(), user=self.chairman, expected_version=1)
        stale_copy = DossierReport.objects.get(pk=report.pk)
        dossier_report_approve(report=report, user=self.reviewer)
        with self.assertRaises(WorkflowError):
            dossier_report_return(report=stale_copy, user=self.reviewer, reason="Muộn một bước")
        report.refresh_from_db()
        self.assertEqual(report.status, ReportStatus.APPROVED)
        self.assertFalse(report.changes.filter(action="return").exists())

    def test_history_lists_status_changes_in_order(self):
        report = dossier_report_submit(report=self.draft(), user=self.chairman, expected_version=1)
        dossier_report_approve(report=report, user=self.reviewer)
        actions = list(
            DossierChange.objects.filter(report=report)
            .exclude(action="edit")
            .values_list("action", flat=True)
        )
        self.assertEqual(actions, ["submit", "approve"])
