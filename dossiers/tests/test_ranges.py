"""Figures within their range everywhere (issue 10, item 3).

The figures are PositiveIntegerField: PostgreSQL refuses anything above 2.147.483.647 with an error,
SQLite stores it. Every way in (the entry grid, the import preview and its confirmation, the command)
refuses a figure above ``MAX_FIGURE`` with a message naming the cell, so nothing reaches the database
out of range. These tests run on both databases; on PostgreSQL a figure let through would be a 500.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase
from django.urls import reverse

from core.testing import PortalTestCase
from dossiers.figures import MAX_FIGURE, Figures, Level, check
from dossiers.forms import cell_name
from dossiers.importing.cells import read_number
from dossiers.models import DossierChange, DossierLine, DossierReport, Period, ProcedureField
from dossiers.services import FiguresInvalid, dossier_report_save
from dossiers.tests.test_importing_fixtures import build, line
from dossiers.views import IMPORT_SALT

HUGE = 3_000_000_000  # above PostgreSQL's integer (2.147.483.647)


class BoundTests(SimpleTestCase):
    def test_the_bound_is_far_below_the_database_integer(self):
        # 15 figures of a row, or 12 months of one figure, summed in the database stay far below 2^31 - 1.
        self.assertEqual(MAX_FIGURE, 1_000_000)
        self.assertLess(MAX_FIGURE * 15 * 12, 2**31 - 1)

    def test_check_refuses_a_figure_above_the_bound(self):
        problems = check(Figures(received_online=MAX_FIGURE + 1, resolved_on_time=MAX_FIGURE + 1))
        errors = [(p.field, p.message) for p in problems if p.level == Level.ERROR]
        self.assertEqual(
            errors,
            [
                ("received_online", "Trực tuyến: 1.000.001 vượt quá giới hạn 1.000.000."),
                ("resolved_on_time", "Đúng hạn: 1.000.001 vượt quá giới hạn 1.000.000."),
            ],
        )
        self.assertEqual(check(Figures(received_online=MAX_FIGURE, resolved_on_time=MAX_FIGURE)), [])

    def test_a_cell_with_thousands_of_digits_is_too_large_not_a_crash(self):
        # int() of more than 4.300 digits raises ValueError in Python 3.11.
        self.assertEqual(read_number("9" * 5000).kind, "too_large")
        self.assertIsInstance(read_number("1.292"), int)
        self.assertEqual(read_number(str(HUGE)), HUGE)  # the importer bounds the figures it stores


class GridTests(PortalTestCase):
    period = "2024-03"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.ho_tich = ProcedureField.objects.get(name="Hộ tịch")

    def url(self):
        return reverse("dossiers:entry", args=[self.hoai_chau.pk, self.period])

    def post(self, version=0, **cells):
        data = {"version": str(version)}
        data.update({cell_name(self.ho_tich.pk, column): value for column, value in cells.items()})
        return self.client.post(self.url(), data)

    def test_a_figure_above_the_bound_is_refused_beside_the_cell_and_nothing_is_saved(self):
        self.login(self.officer)
        response = self.post(received_online="3000000000", resolved_on_time="3.000.000.000")
        self.assertContains(
            response,
            "Ô “Số hồ sơ nhận giải quyết – Trực tuyến” của lĩnh vực Hộ tịch: 3.000.000.000 vượt quá giới "
            "hạn 1.000.000.",
            status_code=400,
        )
        self.assertContains(
            response, "Ô “Số hồ sơ đã giải quyết – Đúng hạn” của lĩnh vực Hộ tịch", status_code=400
        )
        self.assertContains(response, 'aria-invalid="true"', status_code=400)
        self.assertFalse(DossierReport.objects.exists())

    def test_a_figure_of_thousands_of_digits_is_refused_in_vietnamese(self):
        self.login(self.officer)
        response = self.post(received_online="9" * 5000)
        self.assertContains(response, "vượt quá giới hạn 1.000.000", status_code=400)
        self.assertNotContains(response, "Exceeds the limit", status_code=400)
        self.assertFalse(DossierReport.objects.exists())

    def test_the_bound_itself_is_accepted(self):
        self.login(self.officer)
        response = self.post(received_online="1.000.000", resolved_on_time="1.000.000")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(DossierLine.objects.get().received_online, MAX_FIGURE)

    def test_a_huge_version_is_a_stale_save_not_a_crash(self):
        self.login(self.officer)
        self.assertEqual(self.post(received_online="1", resolved_on_time="1").status_code, 302)
        response = self.post(version=99999999999, received_online="2", resolved_on_time="2")
        self.assertEqual(response.status_code, 409)
        self.assertEqual(DossierLine.objects.get().received_online, 1)

    def test_the_service_refuses_it_too(self):
        with self.assertRaises(FiguresInvalid) as caught:
            dossier_report_save(
                unit=self.hoai_chau,
                period=Period.for_code(self.period),
                user=self.officer,
                lines={self.ho_tich.pk: Figures(received_online=HUGE, resolved_on_time=HUGE)},
                expected_version=0,
            )
        self.assertIn("3.000.000.000 vượt quá giới hạn 1.000.000", caught.exception.messages[0])
        self.assertFalse(DossierReport.objects.exists())
        self.assertFalse(DossierChange.objects.exists())

    def test_huge_numbers_in_urls_and_query_strings_are_404_or_ignored(self):
        self.login(self.officer)
        huge = "99999999999999999999"  # above even a bigint
        for url in (
            f"/units/{huge}/dossiers/",
            f"/units/{huge}/dossiers/2024-03/",
            f"/units/{huge}/overview/",
            f"/units/{self.hoai_chau.pk}/dossiers/99999999999/",
            f"/units/{self.hoai_chau.pk}/dossiers/99999-03/",
            f"/units/{self.hoai_chau.pk}/dossiers/?ky=99999999999",
            f"/overview/{huge}/",
            f"/review/?ky={huge}",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
        listing = self.client.get(f"/units/{self.hoai_chau.pk}/dossiers/?nam={huge}")
        self.assertEqual(listing.status_code, 200)


class ImportTests(PortalTestCase):
    period = "2024-05"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.ho_tich = ProcedureField.objects.get(name="Hộ tịch")

    def url(self):
        return reverse("dossiers:import", args=[self.hoai_chau.pk, self.period])

    def huge_file(self) -> bytes:
        return build(
            [
                line("Hộ tịch", online=HUGE, on_time=HUGE),
                line("Chứng thực", in_person=83, on_time=83),
            ],
            extras=(("Số giao dịch thanh toán trực tuyến", None), ("Số hồ sơ có thu phí, lệ phí", None)),
        )

    def test_the_preview_lists_the_cells_above_the_bound_and_offers_no_confirmation(self):
        self.login(self.officer)
        data = build([line("Hộ tịch", online=HUGE, on_time=HUGE)])
        response = self.client.post(self.url(), {"file": SimpleUploadedFile("bieu06.xlsx", data)})
        self.assertContains(
            response, "Dòng 9, cột D: 3.000.000.000 vượt quá giới hạn 1.000.000.", status_code=400
        )
        self.assertContains(response, "Dòng 9, cột I: 3.000.000.000 vượt quá giới hạn", status_code=400)
        self.assertEqual(response.context["payload"], "")
        self.assertFalse(DossierReport.objects.exists())

    def test_extra_columns_are_bounded_too(self):
        self.login(self.officer)
        data = build(
            [[*line("Hộ tịch", online=5, on_time=5), HUGE, HUGE]],
            extras=(("Số giao dịch thanh toán trực tuyến", None), ("Số hồ sơ có thu phí, lệ phí", None)),
        )
        response = self.client.post(self.url(), {"file": SimpleUploadedFile("bieu06.xlsx", data)})
        self.assertContains(response, "Dòng 9, cột N: 3.000.000.000 vượt quá giới hạn", status_code=400)
        self.assertContains(response, "Dòng 9, cột O: 3.000.000.000 vượt quá giới hạn", status_code=400)
        self.assertFalse(DossierReport.objects.exists())

    def test_a_total_row_above_the_bound_is_only_compared(self):
        # The total row and the row totals are not stored: 15 lĩnh vực of 100.000 add up past the bound.
        lines = [line(name, online=100_000, on_time=100_000) for name in ("Hộ tịch", "Chứng thực")]
        from dossiers.importing import parse_bieu06
        from dossiers.selectors import import_catalogue

        result = parse_bieu06(build(lines), catalogue=import_catalogue())
        self.assertTrue(result.ok, result.problems)

    def confirm(self, lines: dict) -> object:
        payload = signing.dumps(
            {"unit": self.hoai_chau.pk, "period": self.period, "version": 0, "lines": lines}, salt=IMPORT_SALT
        )
        return self.client.post(self.url(), {"payload": payload})

    def test_a_signed_payload_out_of_range_is_refused_at_confirmation(self):
        # A preview signed before the bound existed, or by anyone holding the key: the service refuses it.
        self.login(self.officer)
        numbers = list(Figures(received_online=HUGE, resolved_on_time=HUGE).__dict__.values())
        response = self.confirm({str(self.ho_tich.pk): numbers})
        self.assertContains(response, "3.000.000.000 vượt quá giới hạn 1.000.000", status_code=409)
        self.assertFalse(DossierReport.objects.exists())

    def test_a_lines_field_closed_since_the_preview_is_refused_not_a_crash(self):
        self.login(self.officer)
        numbers = list(Figures(received_online=5, resolved_on_time=5).__dict__.values())
        ProcedureField.objects.filter(pk=self.ho_tich.pk).update(is_active=False)
        response = self.confirm({str(self.ho_tich.pk): numbers})
        self.assertContains(response, "Lĩnh vực không có trong danh mục đang dùng", status_code=409)
        self.assertFalse(DossierReport.objects.exists())

    def test_a_tampered_payload_is_refused(self):
        self.login(self.officer)
        good = build([line("Hộ tịch", online=5, on_time=5)])
        preview = self.client.post(self.url(), {"file": SimpleUploadedFile("bieu06.xlsx", good)})
        payload = preview.context["payload"]
        forged = signing.b64_encode(
            signing.JSONSerializer().dumps(
                {"unit": self.hoai_chau.pk, "period": self.period, "version": 0, "lines": {"1": [HUGE] * 15}}
            )
        ).decode()
        for tampered in (payload[:-2] + "xx", forged + payload[payload.index(":") :]):
            with self.subTest(payload=tampered[:20]):
                self.assertEqual(self.client.post(self.url(), {"payload": tampered}).status_code, 400)
        self.assertFalse(DossierReport.objects.exists())

    def test_the_command_exits_1_naming_the_cell(self):
        path = Path(tempfile.mkdtemp()) / "bieu06.xlsx"
        path.write_bytes(build([line("Hộ tịch", online=HUGE, on_time=HUGE)]))
        out = io.StringIO()
        with self.assertRaises(CommandError) as caught:
            call_command("import_dossiers", str(path), "--unit", "21649", "--period", self.period, stderr=out)
        self.assertEqual(caught.exception.returncode, 1)
        self.assertIn("không có gì được lưu", str(caught.exception))
        self.assertIn(
            "Lỗi Biểu 06!D9: Dòng 9, cột D: 3.000.000.000 vượt quá giới hạn 1.000.000.", out.getvalue()
        )
        self.assertFalse(DossierReport.objects.exists())

    def test_the_bound_is_a_validator_of_the_model_fields(self):
        line_ = DossierLine(received_online=HUGE)
        with self.assertRaises(ValidationError) as caught:
            line_.clean_fields(exclude=["report", "field"])
        self.assertIn("received_online", caught.exception.message_dict)
        change = DossierChange(new_value=HUGE, old_value=HUGE, action="edit")
        with self.assertRaises(ValidationError) as caught:
            change.clean_fields(exclude=["report", "user", "field"])
        self.assertEqual(set(caught.exception.message_dict), {"old_value", "new_value"})


class ColumnNumbersRowTests(SimpleTestCase):
    """The row numbering the form's columns ("(1)" … "(13)") is recognised by reading its cells as
    numbers: a digit int() refuses ("²") or thousands of digits there is not a crash."""

    def test_odd_digits_where_the_column_numbers_stand_are_read_as_a_line_not_a_crash(self):
        from openpyxl import load_workbook

        from dossiers.tests.test_importing_fixtures import parse

        def with_c8(odd: str):
            book = load_workbook(io.BytesIO(build([line("Hộ tịch", online=5, on_time=5)])))
            book.active["C8"] = odd  # row 8 holds "(1)" … "(13)"
            out = io.BytesIO()
            book.save(out)
            return parse(out.getvalue())

        for odd in ("²", "(²)"):
            with self.subTest(odd=odd):
                # Not the column numbers then, and no figure in it: passed over like a note.
                result = with_c8(odd)
                self.assertTrue(result.ok, result.problems)
                self.assertEqual([row.figures.received_online for row in result.rows], [5])
        result = with_c8("9" * 5000)
        self.assertFalse(result.ok)
        self.assertTrue(
            any(p.row == 8 and p.column == "C" and "vượt quá giới hạn" in p.message for p in result.problems),
            result.problems,
        )
