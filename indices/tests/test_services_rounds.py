from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

from core.testing import PortalTestCase
from dossiers.models import DossierLine, DossierReport, Period, ProcedureField, ReportStatus
from indices.models import Adjustment, AssessmentStatus, Score
from indices.services.rounds import assessment_recompute, round_open, round_publish
from indices.testing import make_framework, make_round

D = Decimal


class RoundOpenTest(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework = make_framework(cls.binh_dinh)
        field = ProcedureField.objects.get_or_create(name="Hộ tịch")[0]
        report = DossierReport.objects.create(
            unit=cls.hoai_chau, period=Period.for_code("2023"), status=ReportStatus.APPROVED
        )
        DossierLine.objects.create(report=report, field=field, received_online=1184, received_in_person=108)

    def test_it_opens_one_assessment_per_commune_with_a_score_per_leaf(self):
        round_ = make_round(self.framework, self.hoai_nhon)
        self.assertEqual(
            sorted(round_.assessments.values_list("unit__name", flat=True)),
            ["Xã Hoài Châu", "Xã Hoài Châu Bắc"],
        )
        self.assertEqual(Score.objects.filter(assessment__round=round_).count(), 2 * 5)

    def test_opening_again_adds_nothing_twice(self):
        make_round(self.framework, self.hoai_nhon)
        make_round(self.framework, self.hoai_nhon)
        self.assertEqual(Score.objects.count(), 10)

    def test_automatic_leaves_are_computed_from_the_years_dossier_figures(self):
        round_ = make_round(self.framework, self.hoai_nhon)
        score = Score.objects.get(
            assessment__round=round_, assessment__unit=self.hoai_chau, criterion__code="1.2.2"
        )
        self.assertEqual(score.auto_value, D("91.64"))
        self.assertEqual(score.auto_score, D("3"))
        self.assertEqual(score.auto_data["denominator"], 1292)
        self.assertEqual(score.assessment.self_total, D("3.00"))

    def test_a_report_not_yet_approved_is_not_counted(self):
        # What the reviewer ranks is what it reports upward: approved reports only.
        DossierReport.objects.filter(unit=self.hoai_chau).update(status=ReportStatus.SUBMITTED)
        round_ = make_round(self.framework, self.hoai_nhon)
        score = Score.objects.get(
            assessment__round=round_, assessment__unit=self.hoai_chau, criterion__code="1.2.2"
        )
        self.assertNotEqual(score.auto_value, D("91.64"))
        self.assertNotEqual(score.auto_data.get("denominator"), 1292)

    def test_a_year_outside_the_framework_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "không áp dụng cho năm 2030"):
            round_open(
                framework=self.framework,
                year=2030,
                group=self.hoai_nhon,
                self_deadline=datetime.date(2031, 1, 1),
            )

    def test_the_appraised_total_caps_nodes_and_adds_adjustments(self):
        round_ = make_round(self.framework, self.hoai_nhon)
        assessment = round_.assessments.get(unit=self.hoai_chau)
        values = {"1.1": "4", "1.2.1": "3", "2.1": "4.5", "2.2": "4.25"}
        for score in assessment.scores.select_related("criterion"):
            if score.criterion.code in values:
                score.appraised_score = D(values[score.criterion.code])
                score.save()
        Adjustment.objects.create(assessment=assessment, points=D("-0.5"), reason="Chậm báo cáo")
        assessment.status = AssessmentStatus.APPRAISED
        assessment_recompute(assessment=assessment)
        assessment.refresh_from_db()
        # 4 + 3 + 3 (automatic) + 4,5 + 4,25 − 0,5
        self.assertEqual(assessment.appraised_total, D("18.25"))
        self.assertEqual(assessment.field_points, {"1": "10.00", "2": "8.75"})
        self.assertEqual(self.framework.band_for(assessment.appraised_total).label, "Tốt")

    def test_publishing_waits_for_every_appraisal(self):
        round_ = make_round(self.framework, self.hoai_nhon)
        with self.assertRaisesMessage(ValidationError, "còn 2 xã chưa thẩm định xong"):
            round_publish(round_=round_, user=self.reviewer)
        round_.assessments.update(status=AssessmentStatus.APPRAISED)
        round_publish(round_=round_, user=self.reviewer)
        self.assertTrue(round_.is_published)


class BandTest(PortalTestCase):
    def test_bands_include_their_lower_bound(self):
        framework = make_framework(self.binh_dinh)
        self.assertEqual(framework.band_for(D("16")).label, "Tốt")
        self.assertEqual(framework.band_for(D("15.99")).label, "Khá")
        self.assertEqual(framework.band_for(D("20")).label, "Tốt")
        self.assertEqual(framework.band_for(D("0")).label, "Trung bình")
        self.assertIsNone(framework.band_for(None))
