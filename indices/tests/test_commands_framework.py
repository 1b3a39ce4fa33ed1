"""The commands import_framework and export_framework, and the two shipped frameworks."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase

from communes.models import Era, Kind, Level
from core.testing import PortalTestCase, make_unit
from indices.frameworks import write_xlsx
from indices.models import Band, Criterion, Framework
from indices.testing import make_framework, make_round

from .test_frameworks import sample_data

DATA = Path(__file__).resolve().parent.parent / "data"


class CommandTests(PortalTestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.addCleanup(self.folder.cleanup)

    def file(self, data: bytes, name: str = "bo.xlsx") -> str:
        path = Path(self.folder.name) / name
        path.write_bytes(data)
        return str(path)

    def run_command(self, *args) -> tuple[str, str]:
        out, err = StringIO(), StringIO()
        call_command(*args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_import_saves_a_good_file(self):
        out, _err = self.run_command("import_framework", self.file(write_xlsx(sample_data())))
        self.assertIn("Đã nhập bộ chỉ số “Bộ chỉ số thử”", out)
        self.assertEqual(Framework.objects.get().criteria.count(), 8)

    def test_dry_run_checks_without_saving(self):
        out, _err = self.run_command("import_framework", self.file(write_xlsx(sample_data())), "--dry-run")
        self.assertIn("Chưa lưu (--dry-run)", out)
        self.assertEqual(Framework.objects.count(), 0)

    def test_a_bad_file_prints_every_problem_and_fails(self):
        data = sample_data(total_points=Decimal(25), year_from=2026)
        err = StringIO()
        with self.assertRaises(CommandError) as caught:
            call_command("import_framework", self.file(write_xlsx(data)), stdout=StringIO(), stderr=err)
        self.assertIn("không có gì được lưu", str(caught.exception))
        self.assertIn("Lỗi Thông tin!B7: Các lĩnh vực cộng lại 20 điểm", err.getvalue())
        self.assertIn("đứng trước năm", err.getvalue())
        self.assertEqual(Framework.objects.count(), 0)

    def test_a_missing_or_unreadable_file_fails(self):
        with self.assertRaises(CommandError):
            call_command("import_framework", "/nonexistent/bo.xlsx")
        with self.assertRaises(CommandError):
            call_command("import_framework", self.file(b"not excel"), stderr=StringIO())

    def test_importing_over_a_framework_in_use_makes_a_new_version(self):
        first = make_framework(self.binh_dinh)
        make_round(first, self.hoai_nhon)
        out, _err = self.run_command("import_framework", self.file(write_xlsx(sample_data())))
        self.assertIn("phiên bản 2", out)
        self.assertEqual(Framework.objects.get(version=2).previous, first)

    def test_export_writes_what_import_reads(self):
        framework = make_framework(self.binh_dinh)
        target = Path(self.folder.name) / "ra.xlsx"
        out, _err = self.run_command("export_framework", str(framework.pk), "-o", str(target))
        self.assertIn("Đã ghi", out)
        Framework.objects.all().delete()
        self.run_command("import_framework", str(target))
        self.assertEqual(Criterion.objects.count(), 8)

    def test_export_of_an_unknown_framework_fails(self):
        with self.assertRaises(CommandError):
            call_command("export_framework", "999", "-o", str(Path(self.folder.name) / "x.xlsx"))

    def test_help_is_plain_text(self):
        from indices.management.commands import export_framework, import_framework

        self.assertIsInstance(import_framework.Command.help, str)
        self.assertIsInstance(export_framework.Command.help, str)


class ShippedFrameworkTests(TestCase):
    BANDS = [("Xuất sắc", 90, 100), ("Tốt", 80, 90), ("Khá", 70, 80), ("Trung bình", 50, 70), ("Yếu", 0, 50)]

    def import_file(self, name: str) -> Framework:
        call_command("import_framework", str(DATA / name), stdout=StringIO(), stderr=StringIO())
        return Framework.objects.get()

    def check_common(self, framework: Framework, fields: int) -> list[Criterion]:
        criteria = list(framework.criteria.all())
        self.assertEqual(framework.total_points, Decimal(100))
        self.assertEqual(framework.step, Decimal("0.25"))
        self.assertEqual(framework.group_level, Level.DISTRICT)
        self.assertIn("minh họa", framework.note)
        self.assertEqual(len([c for c in criteria if c.depth == 1]), fields)
        self.assertEqual(sum(c.max_points for c in criteria if c.depth == 1), Decimal(100))
        self.assertEqual(
            sorted((b.label, b.min_points, b.max_points) for b in Band.objects.filter(framework=framework)),
            sorted((label, Decimal(low), Decimal(high)) for label, low, high in self.BANDS),
        )
        rules = {c.code: c.rule for c in criteria if c.rule}
        for rule in ("ty_le_truc_tuyen(nguong=80)", "ty_le_dung_han(nguong=95)", "xin_loi_tre_han"):
            self.assertTrue(any(code.startswith("3.") and text == rule for code, text in rules.items()), rule)
        self.assertTrue(
            any(c.startswith("7.") and r == "thanh_toan_truc_tuyen(nguong=50)" for c, r in rules.items())
        )
        return criteria

    def test_quang_tri_2023_2025_imports_with_eight_fields(self):
        make_unit(Era.LEGACY, Level.PROVINCE, Kind.TINH, "45", "Tỉnh Quảng Trị")
        framework = self.import_file("quang-tri-2023-2025-cap-xa.xlsx")
        self.assertEqual((framework.year_from, framework.year_to), (2023, 2025))
        self.assertEqual(framework.legal_basis, "QĐ 1325/QĐ-UBND ngày 23/6/2023")
        criteria = self.check_common(framework, fields=8)
        self.assertTrue(30 <= len([c for c in criteria if c.depth == 2]) <= 40)
        leaves = [c for c in criteria if c.depth == 3]
        self.assertTrue(60 <= len(leaves) <= 100)
        survey = sum(c.max_points for c in leaves if c.rule == "khao_sat" and c.code.startswith("8."))
        self.assertTrue(20 <= survey <= 30)
        self.assertGreater(len([c for c in leaves if c.evidence_required]), len(leaves) / 2)

    def test_binh_dinh_2021_2023_imports_with_seven_fields(self):
        make_unit(Era.LEGACY, Level.PROVINCE, Kind.TINH, "52", "Tỉnh Bình Định")
        framework = self.import_file("binh-dinh-2021-2023-cap-xa.xlsx")
        self.assertEqual((framework.year_from, framework.year_to), (2021, 2023))
        self.assertIn("minh họa", framework.legal_basis)
        criteria = self.check_common(framework, fields=7)
        self.assertTrue(20 <= len([c for c in criteria if c.depth == 2]) <= 30)
        self.assertTrue(50 <= len([c for c in criteria if c.depth == 3]) <= 70)
        self.assertTrue(any(c.rule == "khao_sat" and c.code.startswith("1.") for c in criteria))

    def test_gia_lai_2025_imports_with_eight_contents_criteria_and_survey(self):
        make_unit(Era.CURRENT, Level.PROVINCE, Kind.TINH, "52", "Tỉnh Gia Lai")
        call_command(
            "import_framework",
            str(DATA / "gia-lai-2025-2030-cap-xa-minh-hoa.xlsx"),
            stdout=StringIO(),
            stderr=StringIO(),
        )
        framework = Framework.objects.get()
        self.assertEqual(framework.issuer.era, Era.CURRENT)
        self.assertEqual((framework.year_from, framework.year_to), (2025, 2030))
        self.assertIn("minh họa", framework.name)
        self.assertIn("minh họa", framework.legal_basis)
        self.assertTrue(framework.note.startswith("MINH HỌA"))
        # Content 9 (bonus and penalty) is the appraisal's adjustments: the note says so.
        self.assertIn("Nội dung 9 – Điểm thưởng, điểm trừ", framework.note)
        self.assertEqual(framework.total_points, Decimal(100))
        self.assertTrue(framework.rescale_to_100)
        self.assertEqual(framework.group_level, Level.PROVINCE)
        criteria = list(framework.criteria.all())
        fields = [c for c in criteria if c.depth == 1]
        self.assertEqual(len(fields), 8)
        leaves = [c for c in criteria if not c.children.exists()]
        self.assertTrue(40 <= len(leaves) <= 60)
        survey = sum(c.max_points for c in leaves if c.rule == "khao_sat")
        self.assertEqual(survey, Decimal(30))  # 70 criteria points + 30 survey points, as Hà Tĩnh
        rules = {c.rule for c in leaves if c.rule and c.rule != "khao_sat"}
        self.assertEqual(
            rules,
            {
                "ty_le_truc_tuyen(nguong=80)",
                "ty_le_dung_han(nguong=95)",
                "xin_loi_tre_han",
                "thanh_toan_truc_tuyen(nguong=50)",
            },
        )
        self.assertEqual(
            sorted((b.label, b.min_points, b.max_points) for b in framework.bands.all()),
            sorted((label, Decimal(low), Decimal(high)) for label, low, high in self.BANDS),
        )
