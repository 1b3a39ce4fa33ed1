"""Shared set-up of the appraisal views' tests: a submitted self-assessment of Hoài Châu in a round
of Hoài Nhơn, and helpers to start, score and finish its appraisal."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from core.testing import PortalTestCase
from indices.models import Assessment, AssessmentStatus, Criterion, Score
from indices.services.appraisal import assessment_appraisal_start
from indices.services.rounds import assessment_recompute
from indices.testing import make_framework, make_round

D = Decimal


class AppraisalViewCase(PortalTestCase):
    def setUp(self):
        self.framework = make_framework(self.binh_dinh)
        self.round = make_round(self.framework, self.hoai_nhon)
        self.assessment = Assessment.objects.get(round=self.round, unit=self.hoai_chau)
        self.leaf = {c.code: c for c in Criterion.objects.filter(framework=self.framework)}
        for code, points in (("1.1", "4"), ("1.2.1", "3"), ("2.1", "5")):
            Score.objects.filter(assessment=self.assessment, criterion__code=code).update(
                self_score=D(points)
            )
        self.assessment.status = AssessmentStatus.SUBMITTED
        self.assessment.save()
        assessment_recompute(assessment=self.assessment)

    def url(self, name: str, *args) -> str:
        return reverse(f"indices:{name}", args=args or [self.assessment.pk])

    def start(self) -> None:
        assessment_appraisal_start(assessment=self.assessment)
        self.assessment.refresh_from_db()

    def score(self, code: str) -> Score:
        return Score.objects.get(assessment=self.assessment, criterion=self.leaf[code])

    def leaf_post(self, code: str, **data):
        values = {"appraised_score": "", "comment": "", "override_reason": ""}
        values.update(data)
        return self.client.post(
            self.url("assessment_appraise_leaf", self.assessment.pk, self.leaf[code].pk), values
        )

    def appraise_all(self, assessment: Assessment) -> None:
        for score in Score.objects.filter(assessment=assessment, auto_score__isnull=True):
            score.appraised_score = score.self_score or D(0)
            score.save()
