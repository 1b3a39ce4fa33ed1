from __future__ import annotations

import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

from core.testing import pdf_text
from reports.management.commands.render_report import Command
from reports.models import Report, ReportStatus
from reports.services.issuing import report_issue

from .test_issuing import IssuingTestCase


class RenderReportTests(IssuingTestCase):
    def setUp(self):
        super().setUp()
        self.out = Path(tempfile.mkdtemp()) / "bao-cao.pdf"

    def run_command(self, *args) -> str:
        stdout = StringIO()
        call_command("render_report", *args, "-o", str(self.out), stdout=stdout, stderr=StringIO())
        return stdout.getvalue()

    def test_help_is_a_plain_string(self):
        self.assertIs(type(Command.help), str)

    def test_by_id_an_issued_report_is_written_as_stored(self):
        issued = report_issue(report=self.report, user=self.chairman)
        self.run_command(str(issued.pk))
        with issued.pdf.open("rb") as handle:
            self.assertEqual(self.out.read_bytes(), handle.read())

    def test_by_id_a_draft_is_rendered(self):
        self.run_command(str(self.report.pk))
        self.assertIn("1.292", pdf_text(self.out.read_bytes()))

    def test_a_fresh_draft_is_composed_saved_and_its_id_printed(self):
        output = self.run_command("--kind", "so-ket-6-thang", "--unit", "21649", "--period", "2024-H1")
        report = Report.objects.get(pk=int(output.strip()))
        self.assertEqual(
            (report.kind, report.status, report.period), ("so-ket-6-thang", ReportStatus.DRAFT, "2024-H1")
        )
        self.assertIn("91,64%", pdf_text(self.out.read_bytes()))

    def test_a_supervision_report_over_years(self):
        output = self.run_command(
            "--kind",
            "giam-sat",
            "--unit",
            "21649",
            "--era",
            "legacy",
            "--period",
            "2024-06",
            "--from-year",
            "2023",
        )
        self.assertEqual(Report.objects.get(pk=int(output)).year_from, 2023)

    def test_failures_are_command_errors_in_vietnamese(self):
        cases = [
            (("999999",), "Không có báo cáo"),
            (("--kind", "tong-ket-nam", "--unit", "00000", "--period", "2023"), "Không có đơn vị mã 00000"),
            (("--kind", "tong-ket-nam", "--unit", "21649"), "--period"),
            (("--kind", "so-ket-6-thang", "--unit", "21649", "--period", "2024"), "6 tháng"),
            (("--kind", "ket-luan", "--unit", "21649", "--meeting", "77"), "không có cuộc họp số 77"),
            (("--unit", "21649"), "--kind"),
        ]
        for args, words in cases:
            with self.subTest(args=args), self.assertRaisesMessage(CommandError, words):
                self.run_command(*args)
        self.assertFalse(self.out.exists())
