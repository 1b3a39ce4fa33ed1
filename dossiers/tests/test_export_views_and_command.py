import io
import tempfile
from pathlib import Path

import openpyxl
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.testing import PortalTestCase
from dossiers.figures import Figures
from dossiers.models import DossierReport, Period, ProcedureField, ReportStatus
from dossiers.services import dossier_report_save


class ExportTestCase(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        ho_tich = ProcedureField.objects.get(name="Hộ tịch")
        for unit, online in ((cls.hoai_chau, 1184), (cls.hoai_chau_bac, 16)):
            dossier_report_save(
                unit=unit,
                period=Period.for_code("2023"),
                user=cls.officer,
                lines={
                    ho_tich.pk: Figures(
                        received_online=online, received_in_person=108, resolved_on_time=online + 108
                    )
                },
                expected_version=0,
            )

    def cells(self, data: bytes) -> list:
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        return [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]


class ExportViewTests(ExportTestCase):
    def url(self, unit, fmt="xlsx"):
        return reverse("dossiers:export", args=[unit.pk, "2023", fmt])

    def test_permission_matrix(self):
        self.assert_access_matrix(
            self.url(self.hoai_chau),
            {
                "anonymous": 302,
                "outsider": 404,
                "officer": 200,
                "neighbour": 404,
                "reviewer": 200,
                "new_officer": 200,
            },
        )
        self.assert_access_matrix(
            self.url(self.hoai_nhon),
            {"officer": 404, "neighbour": 404, "reviewer": 200, "administrator": 200},
        )

    def test_a_communes_bieu_06_reads_back_with_its_figures(self):
        self.login(self.officer)
        response = self.client.get(self.url(self.hoai_chau))
        self.assertEqual(response["Content-Disposition"], 'attachment; filename="bieu06-21649-2023.xlsx"')
        cells = self.cells(response.content)
        self.assertIn("UBND XÃ HOÀI CHÂU", cells)
        self.assertIn("Hộ tịch", cells)
        self.assertIn(1292, cells)
        self.assertIn(1184, cells)

    def test_a_reviewers_export_has_a_group_per_commune_and_a_total(self):
        self.login(self.reviewer)
        cells = self.cells(self.client.get(self.url(self.hoai_nhon) + "?so_lieu=tat-ca").content)
        self.assertIn("Xã Hoài Châu", cells)
        self.assertIn("Xã Hoài Châu Bắc", cells)
        self.assertIn(1184 + 16, cells)
        self.assertIn(1292 + 124, cells)

    def test_a_reviewers_export_counts_approved_reports_unless_asked(self):
        # What the reviewer sends upward: the reports of this test are not approved yet.
        self.login(self.reviewer)
        cells = self.cells(self.client.get(self.url(self.hoai_nhon)).content)
        self.assertIn("Xã Hoài Châu", cells)
        self.assertNotIn(1292 + 124, cells)
        DossierReport.objects.update(status=ReportStatus.APPROVED)
        cells = self.cells(self.client.get(self.url(self.hoai_nhon)).content)
        self.assertIn(1292 + 124, cells)

    def test_csv_too(self):
        self.login(self.officer)
        response = self.client.get(self.url(self.hoai_chau, "csv"))
        self.assertTrue(response.content.startswith(b"\xef\xbb\xbf"))
        self.assertIn("Xã Hoài Châu,Hộ tịch", response.content.decode("utf-8-sig"))

    def test_another_format_or_a_bad_period_is_404(self):
        self.login(self.officer)
        self.assertEqual(
            self.client.get(f"/units/{self.hoai_chau.pk}/dossiers/2023/bieu06.pdf").status_code, 404
        )
        self.assertEqual(
            self.client.get(reverse("dossiers:export", args=[self.hoai_chau.pk, "23", "xlsx"])).status_code,
            404,
        )


class ExportCommandTests(ExportTestCase):
    def export(self, *args):
        folder = tempfile.mkdtemp()
        path = Path(folder) / "out.xlsx"
        call_command("export_dossiers", *args, "-o", str(path), verbosity=0)
        return path

    def test_it_writes_the_communes_bieu_06(self):
        path = self.export("--unit", "21649", "--period", "2023")
        self.assertIn(1292, self.cells(path.read_bytes()))

    def test_a_reviewers_unit_gives_every_commune(self):
        path = self.export("--unit", "543", "--period", "2023")
        self.assertIn("Xã Hoài Châu Bắc", self.cells(path.read_bytes()))

    def test_a_reviewers_unit_counts_approved_reports_unless_asked(self):
        self.assertNotIn(
            1292 + 124, self.cells(self.export("--unit", "543", "--period", "2023").read_bytes())
        )
        path = self.export("--unit", "543", "--period", "2023", "--include-unapproved")
        self.assertIn(1292 + 124, self.cells(path.read_bytes()))

    def test_it_answers_only_what_the_user_may_see(self):
        with self.assertRaises(CommandError) as caught:
            self.export("--unit", "21649", "--period", "2023", "--user", "neighbour")
        self.assertEqual(
            str(caught.exception), "Không có đơn vị mã 21649 trong phạm vi của người dùng neighbour."
        )
        self.assertTrue(self.export("--unit", "21649", "--period", "2023", "--user", "officer").exists())

    def test_bad_arguments_are_errors_with_exit_status_1(self):
        cases = {
            ("--unit", "99999", "--period", "2023"): "Không có đơn vị mã 99999",
            ("--unit", "21649", "--period", "2023-13"): "Tháng 13 không tồn tại",
            ("--unit", "52", "--period", "2023"): "Mã 52 ứng với nhiều đơn vị",
        }
        for args, message in cases.items():
            with self.subTest(args=args), self.assertRaises(CommandError) as caught:
                self.export(*args)
            self.assertIn(message, str(caught.exception))
            self.assertEqual(caught.exception.returncode, 1)
        self.assertTrue(self.export("--unit", "52", "--era", "2025", "--period", "2023").exists())

    def test_the_output_must_be_xlsx_or_csv(self):
        with self.assertRaises(CommandError):
            call_command(
                "export_dossiers", "--unit", "21649", "--period", "2023", "-o", "/tmp/x.pdf", verbosity=0
            )
