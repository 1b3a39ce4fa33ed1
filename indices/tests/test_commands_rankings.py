from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from core.testing import PortalTestCase
from indices.models import Assessment, AssessmentStatus, Band, Criterion, Round, Score
from indices.testing import make_framework, make_round

from .test_selectors_rankings import appraise


class ExportRankingsTest(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework = make_framework(cls.binh_dinh)
        cls.round = make_round(cls.framework, cls.hoai_nhon)
        appraise(cls.round.assessments.get(unit=cls.hoai_chau), "16.25")
        appraise(cls.round.assessments.get(unit=cls.hoai_chau_bac), "12")

    def setUp(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.directory = Path(directory.name)

    def export(self, fmt: str, *extra: str, group: str = "543") -> Path:
        path = self.directory / f"xep-hang.{fmt}"
        call_command(
            "export_rankings",
            "--year",
            "2023",
            "--group",
            group,
            "--format",
            fmt,
            "-o",
            str(path),
            *extra,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
        return path

    def test_it_writes_a_csv_that_reads_back(self):
        rows = list(csv.reader(io.StringIO(self.export("csv").read_text(encoding="utf-8-sig"))))
        self.assertEqual(rows[0][:3], ["Hạng", "Mã đơn vị", "Đơn vị"])
        self.assertEqual(rows[0][7:], ["1. Chỉ đạo, điều hành", "2. Tác động"])
        self.assertEqual(rows[1][:5], ["1", "21649", "Xã Hoài Châu", "16.25", "Tốt"])

    def test_it_writes_an_xlsx_that_reads_back(self):
        sheet = load_workbook(self.export("xlsx"))["Xếp hạng"]
        self.assertEqual([c.value for c in sheet[5]][:5], [2, "21646", "Xã Hoài Châu Bắc", 12, "Khá"])

    def test_it_writes_json_that_reads_back(self):
        document = json.loads(self.export("json").read_bytes())
        self.assertEqual(document["round"]["group"], "Thị xã Hoài Nhơn")
        self.assertEqual([r["total"] for r in document["rows"]], ["16.25", "12.00"])

    def test_an_unknown_group_code_fails_with_a_message(self):
        with self.assertRaisesMessage(CommandError, "Không có đơn vị mã 000."):
            self.export("csv", group="000")
        self.assertFalse((self.directory / "xep-hang.csv").exists())

    def test_a_code_of_both_eras_needs_the_era(self):
        with self.assertRaisesMessage(CommandError, "--era legacy"):
            self.export("csv", group="52")
        with self.assertRaisesMessage(CommandError, "Tỉnh Bình Định không có đợt đánh giá năm 2023."):
            self.export("csv", "--era", "legacy", group="52")

    def test_several_rounds_in_the_group_and_year_need_the_framework(self):
        other = make_framework(self.binh_dinh, name="Bộ chỉ số khác")
        make_round(other, self.hoai_nhon)
        with self.assertRaisesMessage(
            CommandError, f"{self.framework.pk}: Bộ chỉ số thử; {other.pk}: Bộ chỉ số khác"
        ):
            self.export("csv")
        path = self.export("csv", "--framework", str(other.pk))
        self.assertEqual(len(path.read_text(encoding="utf-8-sig").splitlines()), 3)  # header and 2 unranked
        with self.assertRaisesMessage(CommandError, "theo bộ chỉ số mã 999999"):
            self.export("csv", "--framework", "999999")

    def test_a_missing_directory_fails_before_anything(self):
        with self.assertRaisesMessage(CommandError, "Không có thư mục"):
            call_command(
                "export_rankings",
                "--year",
                "2023",
                "--group",
                "543",
                "--format",
                "csv",
                "-o",
                str(self.directory / "khong-co" / "a.csv"),
                stdout=io.StringIO(),
            )

    def test_an_unknown_format_is_refused_by_the_argument_parser(self):
        with self.assertRaises(CommandError):
            self.export("pdf")


class GenerateSyntheticIndexTest(PortalTestCase):
    def test_it_builds_groups_of_appraised_communes_with_scores_and_stored_totals(self):
        out = io.StringIO()
        call_command(
            "generate_synthetic_index", "--communes", "7", "--leaves", "12", "--group-size", "4", stdout=out
        )
        framework = Criterion.objects.filter(code="1").latest("pk").framework
        self.assertEqual(Criterion.objects.filter(framework=framework, children__isnull=True).count(), 12)
        self.assertTrue(Band.objects.filter(framework=framework).exists())
        rounds = Round.objects.filter(framework=framework)
        self.assertEqual(rounds.count(), 2 * 2)  # two groups (4 + 3 communes) × two years
        assessments = Assessment.objects.filter(round__framework=framework)
        self.assertEqual(assessments.count(), 7 * 2)
        self.assertFalse(assessments.exclude(status=AssessmentStatus.APPRAISED).exists())
        self.assertFalse(assessments.filter(appraised_total__isnull=True).exists())
        self.assertEqual(Score.objects.filter(assessment__in=assessments).count(), 7 * 2 * 12)
        one = assessments.first()
        stored = (one.appraised_total, one.field_points)
        from indices.services.rounds import assessment_recompute

        assessment_recompute(assessment=one)
        one.refresh_from_db()
        self.assertEqual((one.appraised_total, one.field_points), stored)

    def test_it_refuses_silly_sizes(self):
        with self.assertRaises(CommandError):
            call_command(
                "generate_synthetic_index", "--communes", "0", "--leaves", "12", stdout=io.StringIO()
            )
