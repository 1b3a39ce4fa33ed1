from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from core.testing import PortalTestCase
from indices.models import Adjustment, Assessment, AssessmentStatus, Criterion, Score
from indices.services.appraisal import (
    AppraisalConflict,
    adjustment_add,
    adjustment_delete,
    assessment_accept_self_scores,
    assessment_appraisal_start,
    assessment_appraise_leaf,
    assessment_explain,
    assessment_finalise,
    assessment_reopen,
    assessment_request_explanation,
    round_survey_save,
)
from indices.services.rounds import round_publish
from indices.testing import make_framework, make_round

D = Decimal


def self_score(assessment: Assessment, code: str, points: str) -> None:
    Score.objects.filter(assessment=assessment, criterion__code=code).update(self_score=D(points))


def submitted(assessment: Assessment) -> Assessment:
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.save(update_fields=["status"])
    return assessment


class AppraisalCase(PortalTestCase):
    def setUp(self):
        self.framework = make_framework(self.binh_dinh)
        self.round = make_round(self.framework, self.hoai_nhon)
        self.assessment = Assessment.objects.get(round=self.round, unit=self.hoai_chau)
        self.leaf = {c.code: c for c in Criterion.objects.filter(framework=self.framework)}
        for code, points in (("1.1", "4"), ("1.2.1", "3"), ("2.1", "5")):
            self_score(self.assessment, code, points)

    def appraise(self, code: str, points: str | None, **extra) -> Score:
        values = {
            "comment": "",
            "explanation_requested": False,
            "applicable": True,
            "override_reason": "",
            "user": self.reviewer,
        }
        values.update(extra)
        return assessment_appraise_leaf(
            assessment=self.assessment,
            criterion=self.leaf[code],
            appraised_score=None if points is None else D(points),
            **values,
        )

    def started(self) -> Assessment:
        submitted(self.assessment)
        self.assessment = assessment_appraisal_start(assessment=self.assessment)
        return self.assessment

    def appraise_all(self, assessment: Assessment | None = None) -> None:
        """Every leaf without an automatic score gets its self score (0 for the survey)."""
        assessment = assessment or self.assessment
        for score in Score.objects.filter(assessment=assessment, auto_score__isnull=True):
            score.appraised_score = score.self_score or D(0)
            score.save()

    def reload(self) -> Assessment:
        self.assessment.refresh_from_db()
        return self.assessment


class StartTests(AppraisalCase):
    def test_a_submitted_assessment_moves_to_appraising_with_an_appraised_total(self):
        self.started()
        self.assertEqual(self.reload().status, AssessmentStatus.APPRAISING)
        # 4 + 3 + 0 (automatic leaf, no dossiers) + 5 + 0 (survey not yet entered)
        self.assertEqual(self.assessment.appraised_total, D("12.00"))

    def test_a_draft_before_the_deadline_is_refused_with_409(self):
        with self.assertRaises(AppraisalConflict):
            assessment_appraisal_start(assessment=self.assessment, today=datetime.date(2024, 1, 15))
        self.assertEqual(self.reload().status, AssessmentStatus.DRAFT)

    def test_a_draft_after_the_deadline_may_be_appraised(self):
        assessment_appraisal_start(assessment=self.assessment, today=datetime.date(2024, 1, 16))
        self.assertEqual(self.reload().status, AssessmentStatus.APPRAISING)


class LeafTests(AppraisalCase):
    def test_lowering_a_leaf_lowers_the_appraised_total(self):
        self.started()
        self.appraise("1.1", "2.5", comment="Kế hoạch ban hành muộn")
        score = Score.objects.get(assessment=self.assessment, criterion=self.leaf["1.1"])
        self.assertEqual(
            (score.appraised_score, score.reviewer_comment), (D("2.5"), "Kế hoạch ban hành muộn")
        )
        self.assertEqual(self.reload().appraised_total, D("10.50"))
        self.assertEqual(self.assessment.field_points["1"], "5.50")

    def test_points_over_the_max_off_the_step_or_negative_are_refused_and_nothing_saved(self):
        self.started()
        for points in ("4.25", "1.1", "-1"):
            with self.subTest(points=points), self.assertRaises(ValidationError) as caught:
                self.appraise("1.1", points)
            self.assertIn("1.1", caught.exception.messages[0])
        self.assertIsNone(
            Score.objects.get(assessment=self.assessment, criterion=self.leaf["1.1"]).appraised_score
        )

    def test_changing_an_automatic_score_needs_a_reason(self):
        self.started()
        with self.assertRaises(ValidationError) as caught:
            self.appraise("1.2.2", "2")
        self.assertIn("lý do sửa điểm tự động", caught.exception.messages[0])
        self.appraise("1.2.2", "2", override_reason="Số liệu một cửa chưa cập nhật tháng 12")
        self.assertEqual(self.reload().appraised_total, D("14.00"))

    def test_keeping_the_automatic_score_needs_no_reason(self):
        self.started()
        self.appraise("1.2.2", "0")
        self.assertEqual(
            Score.objects.get(assessment=self.assessment, criterion=self.leaf["1.2.2"]).appraised_score, D(0)
        )

    def test_an_inapplicable_leaf_leaves_the_scale(self):
        self.framework.rescale_to_100 = True
        self.framework.save()
        self.started()
        self.appraise("2.1", None, applicable=False)
        # 7 points of the 15 assessed, on a 100 scale
        self.assertEqual(self.reload().appraised_total, D("46.67"))

    def test_a_leaf_of_another_framework_is_404(self):
        self.started()
        other = make_framework(self.binh_dinh, name="Bộ khác")
        with self.assertRaises(Http404):
            assessment_appraise_leaf(
                assessment=self.assessment,
                criterion=other.criteria.get(code="1.1"),
                appraised_score=D(1),
                comment="",
                explanation_requested=False,
                applicable=True,
                override_reason="",
                user=self.reviewer,
            )

    def test_an_appraised_assessment_refuses_changes_with_a_conflict(self):
        self.started()
        self.appraise_all()
        assessment_finalise(assessment=self.assessment, user=self.reviewer)
        with self.assertRaises(AppraisalConflict):
            self.appraise("1.1", "1")

    def test_asking_for_an_explanation_needs_a_comment(self):
        self.started()
        with self.assertRaises(ValidationError):
            self.appraise("1.1", "2", explanation_requested=True)


class AdjustmentTests(AppraisalCase):
    def test_a_bonus_and_a_penalty_change_the_total_and_deleting_restores_it(self):
        self.started()
        bonus = adjustment_add(
            assessment=self.assessment, points=D("1.5"), reason="Sáng kiến", user=self.reviewer
        )
        adjustment_add(assessment=self.assessment, points=D("-0.5"), reason="Báo cáo trễ", user=self.reviewer)
        self.assertEqual(self.reload().appraised_total, D("13.00"))
        adjustment_delete(adjustment=bonus)
        self.assertEqual(self.reload().appraised_total, D("11.50"))

    def test_zero_too_many_points_or_no_reason_are_refused(self):
        self.started()
        # The limit is a tenth of the framework's 20 points.
        for points, reason in ((D(0), "x"), (D("2.25"), "x"), (D("-3"), "x"), (D(1), "  ")):
            with self.subTest(points=points, reason=reason), self.assertRaises(ValidationError):
                adjustment_add(assessment=self.assessment, points=points, reason=reason, user=self.reviewer)
        self.assertFalse(Adjustment.objects.exists())


class ExplanationTests(AppraisalCase):
    def test_the_round_trip_of_an_explanation(self):
        self.started()
        self.appraise("1.1", "2", comment="Thiếu kế hoạch", explanation_requested=True)
        assessment_request_explanation(assessment=self.assessment)
        self.assertEqual(self.reload().status, AssessmentStatus.EXPLAINING)
        assessment_explain(
            assessment=self.assessment,
            answers={self.leaf["1.1"].pk: "Đã ban hành ngày 10/1"},
            user=self.officer,
        )
        score = Score.objects.get(assessment=self.assessment, criterion=self.leaf["1.1"])
        self.assertEqual(self.reload().status, AssessmentStatus.APPRAISING)
        self.assertTrue(score.explanation_requested)
        self.assertEqual(score.explanation, "Đã ban hành ngày 10/1")

    def test_a_request_without_a_flagged_leaf_is_refused(self):
        self.started()
        with self.assertRaises(ValidationError):
            assessment_request_explanation(assessment=self.assessment)
        self.assertEqual(self.reload().status, AssessmentStatus.APPRAISING)

    def test_an_empty_answer_names_the_leaf_and_saves_nothing(self):
        self.started()
        self.appraise("1.1", "2", comment="Thiếu kế hoạch", explanation_requested=True)
        self.appraise("2.1", "4", comment="Thiếu biên bản", explanation_requested=True)
        assessment_request_explanation(assessment=self.assessment)
        with self.assertRaises(ValidationError) as caught:
            assessment_explain(
                assessment=self.assessment,
                answers={self.leaf["1.1"].pk: "Có", self.leaf["2.1"].pk: " "},
                user=self.officer,
            )
        self.assertIn("2.1", caught.exception.messages[0])
        self.assertEqual(Score.objects.filter(assessment=self.assessment).exclude(explanation="").count(), 0)
        self.assertEqual(self.reload().status, AssessmentStatus.EXPLAINING)

    def test_answering_outside_the_explanation_round_is_a_conflict(self):
        self.started()
        with self.assertRaises(AppraisalConflict):
            assessment_explain(assessment=self.assessment, answers={}, user=self.officer)


class FinaliseTests(AppraisalCase):
    def test_finalising_lists_the_leaves_without_a_score(self):
        self.started()
        self.appraise("1.1", "4")
        with self.assertRaises(ValidationError) as caught:
            assessment_finalise(assessment=self.assessment, user=self.reviewer)
        self.assertIn("1.2.1, 2.1, 2.2", caught.exception.messages[0])
        self.assertEqual(self.reload().status, AssessmentStatus.APPRAISING)

    def test_accepting_self_scores_fills_only_the_leaves_the_reviewer_left(self):
        self.started()
        self.appraise("1.1", "2.5", comment="Kế hoạch ban hành chậm")
        count = assessment_accept_self_scores(assessment=self.assessment, user=self.reviewer)
        # 1.2.1 and 2.1 take the self scores; 1.1 keeps the reviewer's; 1.2.2 is automatic and 2.2
        # (survey) has no self score.
        self.assertEqual(count, 2)
        finals = {
            s.criterion.code: s.appraised_score for s in self.reload().scores.select_related("criterion")
        }
        self.assertEqual((finals["1.1"], finals["1.2.1"], finals["2.1"]), (D("2.5"), D("3"), D("5")))
        self.assertIsNone(finals["2.2"])
        self.assertEqual(self.assessment.appraised_total, D("10.50"))

    def test_accepting_self_scores_after_finalising_is_a_conflict(self):
        self.started()
        self.appraise_all()
        assessment_finalise(assessment=self.assessment, user=self.reviewer)
        with self.assertRaises(AppraisalConflict):
            assessment_accept_self_scores(assessment=self.assessment, user=self.reviewer)

    def test_finalising_records_who_and_when(self):
        self.started()
        self.appraise_all()
        assessment_finalise(assessment=self.assessment, user=self.reviewer)
        self.reload()
        self.assertEqual(self.assessment.status, AssessmentStatus.APPRAISED)
        self.assertEqual(self.assessment.appraised_by, self.reviewer)
        self.assertIsNotNone(self.assessment.appraised_at)

    def test_reopening_needs_a_reason_and_an_unpublished_round(self):
        self.started()
        self.appraise_all()
        assessment_finalise(assessment=self.assessment, user=self.reviewer)
        with self.assertRaises(ValidationError):
            assessment_reopen(assessment=self.assessment, reason=" ", user=self.reviewer)
        assessment_reopen(assessment=self.assessment, reason="Xã bổ sung tài liệu", user=self.reviewer)
        self.assertEqual(self.reload().status, AssessmentStatus.APPRAISING)
        self.assertIn("Xã bổ sung tài liệu", LogEntry.objects.get().change_message)

    def test_reopening_a_published_round_is_a_conflict(self):
        for assessment in Assessment.objects.filter(round=self.round):
            submitted(assessment)
            assessment_appraisal_start(assessment=assessment)
            self.appraise_all(assessment)
            assessment_finalise(assessment=assessment, user=self.reviewer)
        round_publish(round_=self.round, user=self.reviewer)
        with self.assertRaises(AppraisalConflict):
            assessment_reopen(assessment=self.assessment, reason="Sai sót", user=self.reviewer)


class SurveyTests(AppraisalCase):
    def test_survey_points_go_into_the_appraised_score_and_the_totals(self):
        self.started()
        written = round_survey_save(
            round_=self.round,
            values={(self.assessment.pk, self.leaf["2.2"].pk): D("4.5")},
            user=self.reviewer,
        )
        self.assertEqual(written, 1)
        self.assertEqual(self.reload().appraised_total, D("16.50"))

    def test_one_bad_value_saves_nothing(self):
        self.started()
        other = Assessment.objects.get(round=self.round, unit=self.hoai_chau_bac)
        with self.assertRaises(ValidationError) as caught:
            round_survey_save(
                round_=self.round,
                values={
                    (self.assessment.pk, self.leaf["2.2"].pk): D(4),
                    (other.pk, self.leaf["2.2"].pk): D(6),
                },
                user=self.reviewer,
            )
        self.assertIn("Xã Hoài Châu Bắc", caught.exception.messages[0])
        self.assertFalse(
            Score.objects.filter(criterion=self.leaf["2.2"], appraised_score__isnull=False).exists()
        )

    def test_a_leaf_that_is_not_a_survey_leaf_is_refused(self):
        with self.assertRaises(Http404):
            round_survey_save(
                round_=self.round,
                values={(self.assessment.pk, self.leaf["2.1"].pk): D(1)},
                user=self.reviewer,
            )

    def test_an_appraised_assessment_refuses_survey_points(self):
        self.started()
        self.appraise_all()
        assessment_finalise(assessment=self.assessment, user=self.reviewer)
        with self.assertRaises(AppraisalConflict):
            round_survey_save(
                round_=self.round,
                values={(self.assessment.pk, self.leaf["2.2"].pk): D(1)},
                user=self.reviewer,
            )
        self.assertLess(timezone.now() - self.reload().appraised_at, datetime.timedelta(minutes=1))
