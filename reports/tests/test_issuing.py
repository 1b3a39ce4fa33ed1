from __future__ import annotations

import shutil
import tempfile

from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.utils import timezone

from core.testing import pdf_text
from reports.compose import report_compose
from reports.models import DirectiveDocument, ReportStatus
from reports.services.issuing import ReportError, ReportLocked, report_correct, report_issue, report_save

from .test_compose import ComposerData


class IssuingTestCase(ComposerData):
    def setUp(self):
        self.media = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.media, ignore_errors=True)
        overridden = override_settings(MEDIA_ROOT=self.media)
        overridden.enable()
        self.addCleanup(overridden.disable)
        self.report = report_compose(
            unit=self.hoai_chau, kind="tong-ket-nam", period="2023", user=self.officer
        )


class IssueTests(IssuingTestCase):
    def test_the_chairman_issues_it_freezing_figures_and_storing_the_pdf(self):
        issued = report_issue(report=self.report, user=self.chairman)
        self.assertEqual(issued.status, ReportStatus.ISSUED)
        self.assertEqual(issued.issued_by, self.chairman)
        self.assertIsNotNone(issued.issued_at)
        with issued.pdf.open("rb") as handle:
            stored = handle.read()
        self.assertTrue(stored.startswith(b"%PDF"))
        self.assertIn("1.292", pdf_text(stored))

    def test_an_officer_may_not_issue(self):
        with self.assertRaises(PermissionDenied):
            report_issue(report=self.report, user=self.officer)
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.DRAFT)

    def test_without_number_date_or_signer_it_is_refused_by_name(self):
        self.report.number, self.report.signer_name = None, ""
        self.report.save()
        with self.assertRaisesMessage(ReportError, "số văn bản, họ tên người ký"):
            report_issue(report=self.report, user=self.chairman)
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.DRAFT)
        self.assertFalse(self.report.pdf)

    def test_a_number_used_that_year_is_refused(self):
        self.report.number = 7
        self.report.save()
        DirectiveDocument.objects.create(
            unit=self.hoai_chau,
            number_symbol="7/BC-UBND",  # typed into the register without the leading zero
            issued_on=self.report.dated.replace(day=1),
            type_code="BC",
            summary="Báo cáo khác",
        )
        with self.assertRaisesMessage(ReportError, "Số 07/BC-UBND đã dùng trong năm"):
            report_issue(report=self.report, user=self.chairman)

    def test_two_reports_may_not_be_issued_with_one_number(self):
        report_issue(report=self.report, user=self.chairman)
        other = report_compose(
            unit=self.hoai_chau, kind="so-ket-6-thang", period="2024-H1", user=self.officer
        )
        report_save(report=other, facts={"number": self.report.number}, sections={}, revision=other.revision)
        with self.assertRaises(ReportError):
            report_issue(report=other, user=self.chairman)

    def test_an_issued_report_is_read_only(self):
        report_issue(report=self.report, user=self.chairman)
        with self.assertRaises(ReportLocked):
            report_save(
                report=self.report, facts={"place": "Khác"}, sections={}, revision=self.report.revision
            )
        with self.assertRaises(ReportLocked):
            report_issue(report=self.report, user=self.chairman)

    def test_a_later_change_of_the_figures_leaves_the_issued_report_alone(self):
        issued = report_issue(report=self.report, user=self.chairman)
        with issued.pdf.open("rb") as handle:
            before = handle.read()
        line = self.hoai_chau.dossier_reports.get(period__kind="year").lines.get(field=self.ho_tich)
        line.received_online = 5000
        line.save()
        issued.refresh_from_db()
        with issued.pdf.open("rb") as handle:
            self.assertEqual(handle.read(), before)
        self.assertEqual(issued.snapshot["facts"]["received_online"], "1.184")

    def test_the_section_bodies_are_cleaned_before_they_are_stored(self):
        section = self.report.sections.first()
        report_save(
            report=self.report,
            revision=1,
            facts={},
            sections={
                section.pk: {
                    "heading": "A",
                    "body": '<p onclick="x()">Hi <b>đậm</b><script>alert(1)</script><style>p{}</style></p>',
                }
            },
        )
        section.refresh_from_db()
        self.assertEqual(section.body, "<p>Hi <b>đậm</b></p>")


class CorrectTests(IssuingTestCase):
    def test_a_correction_is_a_new_draft_version_copying_the_issued_one(self):
        first = self.report.sections.first()
        report_save(
            report=self.report,
            revision=1,
            facts={"addressee": "Phòng Nội vụ"},
            sections={first.pk: {"heading": "X", "body": "<p>riêng</p>"}},
        )
        issued = report_issue(report=self.report, user=self.chairman)
        correction = report_correct(report=issued, user=self.officer)
        self.assertEqual(
            (correction.version, correction.previous, correction.status), (2, issued, ReportStatus.DRAFT)
        )
        self.assertEqual(correction.addressee, "Phòng Nội vụ")
        self.assertEqual(correction.number, issued.number + 1)
        self.assertEqual(correction.dated, timezone.localdate())
        self.assertEqual(
            list(correction.sections.values_list("heading", "body", "table")),
            list(issued.sections.values_list("heading", "body", "table")),
        )
        with self.assertRaises(ReportLocked):
            report_correct(report=issued, user=self.officer)
        with self.assertRaises(ReportLocked):
            report_correct(report=correction, user=self.officer)
