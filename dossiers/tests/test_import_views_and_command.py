import tempfile
from pathlib import Path
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.periods import Period as P
from core.testing import PortalTestCase
from dossiers.exports import ExportGroup, ExportRow, bieu06_xlsx
from dossiers.figures import Figures
from dossiers.importing import parse_bieu06
from dossiers.models import DossierChange, DossierLine, DossierReport, Period, ProcedureField
from dossiers.selectors import bieu06_file, import_catalogue
from dossiers.services import dossier_report_save, dossier_report_submit

HO_TICH = Figures(
    received_online=1184,
    received_in_person=108,
    resolved_early=300,
    resolved_on_time=992,
    online_payments=586,
    dossiers_with_fees=618,
    digitised_results=700,
)
CHUNG_THUC = Figures(received_in_person=83, carried_over=2, resolved_on_time=80, pending_in_time=5)


class ImportTestCase(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.ho_tich = ProcedureField.objects.get(name="Hộ tịch")
        cls.chung_thuc = ProcedureField.objects.get(name="Chứng thực")

    def bieu06(self, unit=None) -> bytes:
        """A real Biểu 06 file of ``unit`` (Hoài Châu by default) for 5/2024, written by the portal's
        own export (``bieu06_xlsx``, as ``bieu06_file`` calls it), with the figures Hoài Châu Bắc
        saved, so that a test can compare what was imported with them."""
        self.save_neighbours_figures()
        unit = unit or self.hoai_chau
        period = P.parse("2024-05")
        first, last = period.dates()
        rows = [ExportRow("Hộ tịch", HO_TICH), ExportRow("Chứng thực", CHUNG_THUC)]
        return bieu06_xlsx(
            issuer=f"UBND {unit.name.upper()}",
            unit_name=unit.name,
            period_label=period.label,
            date_from=first,
            date_to=last,
            groups=[ExportGroup(unit.name, rows)],
        )

    def save_neighbours_figures(self) -> None:
        if not DossierReport.objects.filter(unit=self.hoai_chau_bac).exists():
            dossier_report_save(
                unit=self.hoai_chau_bac,
                period=Period.for_code("2024-05"),
                user=self.neighbour,
                lines={self.ho_tich.pk: HO_TICH, self.chung_thuc.pk: CHUNG_THUC},
                expected_version=0,
            )

    def neighbours_export(self) -> bytes:
        """Hoài Châu Bắc's report as the portal exports it (“UBND XÃ HOÀI CHÂU BẮC”, tháng 5/2024)."""
        self.save_neighbours_figures()
        return bieu06_file(unit=self.hoai_chau_bac, period=P.parse("2024-05"), fmt="xlsx")[1]

    def lines_of(self, unit):
        return {line.field_id: line.figures for line in DossierLine.objects.filter(report__unit=unit)}


class RoundTripTests(ImportTestCase):
    def test_an_exported_bieu_06_reads_back_with_the_same_figures(self):
        result = parse_bieu06(self.neighbours_export(), catalogue=import_catalogue())
        self.assertTrue(result.ok, result.problems)
        self.assertEqual(
            {row.field_id: row.figures for row in result.rows}, self.lines_of(self.hoai_chau_bac)
        )


class ImportViewTests(ImportTestCase):
    def url(self, unit=None):
        return reverse("dossiers:import", args=[(unit or self.hoai_chau).pk, "2024-05"])

    def upload(self, data: bytes, name="bieu06.xlsx"):
        return self.client.post(self.url(), {"file": SimpleUploadedFile(name, data)})

    def test_permission_matrix(self):
        self.assert_access_matrix(
            self.url(),
            {
                "anonymous": 302,
                "outsider": 404,
                "officer": 200,
                "chairman": 200,
                "neighbour": 404,
                "reviewer": 403,
                "new_officer": 403,
            },
        )

    def test_a_good_file_is_previewed_then_saved_only_when_confirmed(self):
        data = self.bieu06()
        self.login(self.officer)
        preview = self.upload(data)
        self.assertContains(preview, "Kiểm tra xong: tệp hợp lệ")
        self.assertContains(preview, "1.292")
        self.assertFalse(DossierReport.objects.filter(unit=self.hoai_chau).exists())
        payload = preview.context["payload"]
        response = self.client.post(self.url(), {"payload": payload})
        self.assertRedirects(response, reverse("dossiers:entry", args=[self.hoai_chau.pk, "2024-05"]))
        self.assertEqual(self.lines_of(self.hoai_chau), self.lines_of(self.hoai_chau_bac))
        self.assertTrue(DossierChange.objects.filter(report__unit=self.hoai_chau, action="import").exists())

    def test_the_neighbours_own_export_is_refused_for_this_commune(self):
        self.login(self.officer)
        response = self.upload(self.neighbours_export())
        self.assertContains(
            response,
            "Tệp ghi đơn vị “UBND XÃ HOÀI CHÂU BẮC”, nhưng đang nhập cho Xã Hoài Châu.",
            status_code=400,
        )
        self.assertNotContains(response, "Xác nhận nhập", status_code=400)
        self.assertFalse(DossierReport.objects.filter(unit=self.hoai_chau).exists())

    def test_a_file_that_is_not_xlsx_is_refused_and_nothing_saved(self):
        self.login(self.officer)
        response = self.upload(b"STT,Linh vuc\n1,Ho tich\n", name="bieu06.csv")
        self.assertContains(response, "không có gì được lưu", status_code=400)
        self.assertContains(response, ".xlsx", status_code=400)
        self.assertFalse(DossierReport.objects.filter(unit=self.hoai_chau).exists())

    def test_a_file_over_the_limit_is_refused(self):
        self.login(self.officer)
        with mock.patch("dossiers.views.imports.MAX_BYTES", 10):
            response = self.upload(self.bieu06())
        self.assertContains(response, "lớn hơn 10 MB", status_code=400)
        self.assertFalse(DossierReport.objects.filter(unit=self.hoai_chau).exists())

    def test_no_file_is_explained(self):
        self.login(self.officer)
        self.assertContains(self.client.post(self.url(), {}), "Hãy chọn tệp Excel", status_code=400)

    def test_a_tampered_or_foreign_preview_saves_nothing(self):
        data = self.bieu06()
        self.login(self.officer)
        payload = self.upload(data).context["payload"]
        self.assertEqual(self.client.post(self.url(), {"payload": payload + "x"}).status_code, 400)
        self.login(self.neighbour)
        neighbours = self.client.post(
            reverse("dossiers:import", args=[self.hoai_chau_bac.pk, "2024-05"]), {"payload": payload}
        )
        self.assertEqual(neighbours.status_code, 403)
        self.assertFalse(DossierReport.objects.filter(unit=self.hoai_chau).exists())

    def test_a_save_between_preview_and_confirmation_is_caught(self):
        data = self.bieu06()
        self.login(self.officer)
        payload = self.upload(data).context["payload"]
        dossier_report_save(
            unit=self.hoai_chau,
            period=Period.for_code("2024-05"),
            user=self.chairman,
            lines={self.ho_tich.pk: Figures(received_online=1, resolved_on_time=1)},
            expected_version=0,
        )
        response = self.client.post(self.url(), {"payload": payload})
        self.assertContains(response, "Chairman đã lưu báo cáo này", status_code=409)
        self.assertEqual(self.lines_of(self.hoai_chau)[self.ho_tich.pk].received_online, 1)

    def test_a_submitted_report_cannot_be_imported_over(self):
        report = dossier_report_save(
            unit=self.hoai_chau,
            period=Period.for_code("2024-05"),
            user=self.officer,
            lines={self.ho_tich.pk: Figures(received_online=1, resolved_on_time=1)},
            expected_version=0,
        )
        dossier_report_submit(report=report, user=self.chairman, expected_version=1)
        self.login(self.officer)
        self.assertEqual(self.client.get(self.url()).status_code, 403)


class ImportCommandTests(ImportTestCase):
    def file(self, data: bytes) -> str:
        path = Path(tempfile.mkdtemp()) / "bieu06.xlsx"
        path.write_bytes(data)
        return str(path)

    def run_import(self, path, *extra):
        call_command("import_dossiers", path, "--unit", "21649", "--period", "2024-05", *extra, verbosity=0)

    def test_it_imports_a_good_file(self):
        self.run_import(self.file(self.bieu06()))
        self.assertEqual(self.lines_of(self.hoai_chau), self.lines_of(self.hoai_chau_bac))

    def test_the_neighbours_own_export_is_refused_for_this_commune(self):
        with self.assertRaises(CommandError) as caught:
            self.run_import(self.file(self.neighbours_export()))
        self.assertEqual(caught.exception.returncode, 1)
        self.assertFalse(DossierReport.objects.filter(unit=self.hoai_chau).exists())

    def test_dry_run_saves_nothing(self):
        self.run_import(self.file(self.bieu06()), "--dry-run")
        self.assertFalse(DossierReport.objects.filter(unit=self.hoai_chau).exists())

    def test_a_bad_file_prints_every_problem_and_exits_1(self):
        with self.assertRaises(CommandError) as caught:
            self.run_import(self.file(b"not a workbook"))
        self.assertEqual(caught.exception.returncode, 1)
        self.assertIn("không có gì được lưu", str(caught.exception))
        self.assertFalse(DossierReport.objects.filter(unit=self.hoai_chau).exists())

    def test_a_user_may_import_only_into_its_own_commune(self):
        path = self.file(self.bieu06())
        with self.assertRaises(CommandError) as caught:
            self.run_import(path, "--user", "neighbour")
        self.assertIn("không được nhập", str(caught.exception))
        self.run_import(path, "--user", "officer")
        self.assertEqual(DossierReport.objects.get(unit=self.hoai_chau).updated_by, self.officer)

    def test_a_district_or_a_missing_file_is_refused(self):
        with self.assertRaises(CommandError):
            call_command(
                "import_dossiers", "/no/such.xlsx", "--unit", "21649", "--period", "2024-05", verbosity=0
            )
        with self.assertRaises(CommandError) as caught:
            call_command(
                "import_dossiers",
                self.file(self.bieu06()),
                "--unit",
                "543",
                "--period",
                "2024-05",
                verbosity=0,
            )
        self.assertIn("không phải xã", str(caught.exception))
