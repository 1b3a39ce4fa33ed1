"""Demo index results: the two shipped frameworks, and the seeds' scores to the last digit.

- Thị xã Hoài Nhơn, 2022 and 2023, Bình Định's seven-field framework: xã Hoài Châu 84,16 points in
  2023, 13th of the 17 xã, phường (seed 000); both rounds appraised and published, so the change
  against last year shows.
- Huyện Gio Linh, 2023, Quảng Trị's eight-field framework (QĐ 1325/QĐ-UBND): xã Gio Sơn 85,65 points,
  band "Tốt" (seed 003); published. Gio Linh 2024 is under way: Gio Sơn self-scoring, some communes
  submitted, one asked for an explanation, so every step of the work can be tried.
The other communes' totals are invented but plausible; every total is reached leaf by leaf (a
commune's weakest criteria are real), and survey points carry the decimals, as they do in life.
"""

from __future__ import annotations

import datetime
import random
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from communes.models import AdministrativeUnit, Era, Level, User

from . import rules, scoring
from .models import Assessment, AssessmentStatus, Framework, Round
from .services.frameworks import framework_import, framework_read
from .services.rounds import assessment_recompute, round_open

DATA = Path(__file__).resolve().parent / "data"
BINH_DINH_FILE = DATA / "binh-dinh-2021-2023-cap-xa.xlsx"
QUANG_TRI_FILE = DATA / "quang-tri-2023-2025-cap-xa.xlsx"
D = Decimal

# Seed 000: 84,16 points, 13th of 17. Twelve communes above (two of them tied), four below.
HOAI_NHON_2023_OTHERS = [
    "91.25", "89.74", "88.50", "88.50", "87.93", "87.20", "86.85", "86.42", "85.97", "85.30", "84.92",
    "84.55", "83.61", "82.09", "80.74", "78.38",
]  # fmt: skip
HOAI_CHAU_2023 = D("84.16")
GIO_SON_2023 = D("85.65")
PAPER_EVIDENCE = "Tài liệu kiểm chứng (bản giấy) lưu tại Văn phòng - Thống kê UBND xã."
OVERRIDE_REASON = "Số liệu năm chưa nhập trên cổng: lấy theo báo cáo của hệ thống một cửa của tỉnh."


def _unit(level: int, code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(era=Era.LEGACY, level=level, code=code)


def _framework(path: Path) -> Framework:
    """The shipped framework of ``path``, imported the first time only."""
    result = framework_read(path.read_bytes(), filename=path.name)
    if not result.ok:
        raise ValueError(f"{path.name}: {[p.message for p in result.problems]}")
    data = result.data
    existing = Framework.objects.filter(
        name=data.name, issuer=data.issuer, year_from=data.year_from, year_to=data.year_to
    ).order_by("-version")
    return existing.first() or framework_import(data=data, issuer=data.issuer).framework


class _Scorer:
    """Fills an assessment so that its appraised total is exactly a target."""

    def __init__(self, framework: Framework, rng: random.Random):
        self.framework = framework
        self.rng = rng
        self.criteria = list(framework.criteria.all())
        self.leaves = scoring.leaves_of(self.criteria)
        self.rules = {leaf.pk: rules.parse(leaf.rule) for leaf in self.leaves}
        self.survey = [leaf for leaf in self.leaves if self.rules[leaf.pk] and self.rules[leaf.pk].is_survey]
        self.manual = [leaf for leaf in self.leaves if not self.rules[leaf.pk]]
        self.step = framework.step

    def fill(self, assessment: Assessment, target: Decimal, *, reviewer: User, appraise: bool = True) -> None:
        scores = {score.criterion_id: score for score in assessment.scores.all()}
        automatic = [
            leaf for leaf in self.leaves if self.rules[leaf.pk] and not self.rules[leaf.pk].is_survey
        ]
        auto_points = D(0)
        for leaf in automatic:
            score = scores[leaf.pk]
            if appraise and not score.auto_data.get("denominator"):
                # No dossier figures on the portal for that year: the reviewer scored it from the
                # province's one-stop system, and said so.
                score.appraised_score = (
                    leaf.max_points * D("0.8") / self.step
                ).to_integral_value() * self.step
                score.override_reason = OVERRIDE_REASON
            auto_points += score.final_score or D(0)

        survey_max = sum((leaf.max_points for leaf in self.survey), D(0))
        manual_max = sum((leaf.max_points for leaf in self.manual), D(0))
        # Manual leaves take a whole number of steps; the survey points carry the rest.
        wanted_survey = survey_max * D(self.rng.uniform(0.78, 0.92))
        manual = ((target - auto_points - wanted_survey) / self.step).to_integral_value(
            ROUND_FLOOR
        ) * self.step
        manual = min(manual, manual_max)
        survey = target - auto_points - manual
        if not (D(0) <= survey <= survey_max and manual >= 0):
            raise ValueError(f"{assessment.unit.name}: cannot reach {target} with this framework")

        lost = manual_max - manual
        given = {leaf.pk: leaf.max_points for leaf in self.manual}
        while lost > 0:
            leaf = self.rng.choice(self.manual)
            if given[leaf.pk] >= self.step:
                given[leaf.pk] -= self.step
                lost -= self.step
        shares = self._split(survey, self.survey)
        for leaf in self.manual:
            score = scores[leaf.pk]
            score.appraised_score = given[leaf.pk] if appraise else None
            # Communes score themselves a little generously; the reviewer takes some back.
            generous = given[leaf.pk] + self.step if self.rng.random() < 0.12 else given[leaf.pk]
            score.self_score = min(generous, leaf.max_points)
            if leaf.evidence_required and score.self_score:
                # The demo keeps no files: the commune says where its evidence is, as the rule asks.
                score.note = PAPER_EVIDENCE
        for leaf, points in zip(self.survey, shares, strict=True):
            scores[leaf.pk].appraised_score = points if appraise else None
        for score in scores.values():
            score.save()
        if appraise:
            assessment.status = AssessmentStatus.APPRAISED
            assessment.submitted_at = assessment.appraised_at = timezone.now()
            assessment.appraised_by = reviewer
            assessment.save(update_fields=["status", "submitted_at", "appraised_at", "appraised_by"])
        assessment_recompute(assessment=assessment, criteria=self.criteria)
        if appraise and assessment.appraised_total != target:
            raise ValueError(f"{assessment.unit.name}: {assessment.appraised_total} instead of {target}")

    @staticmethod
    def _split(points: Decimal, leaves: list) -> list[Decimal]:
        """``points`` over ``leaves`` in proportion to their max, two decimals, the last takes the rest."""
        total_max = sum((leaf.max_points for leaf in leaves), D(0))
        shares = [scoring.two_places(points * leaf.max_points / total_max) for leaf in leaves[:-1]]
        return [*shares, points - sum(shares, D(0))]


def _published_round(framework, group, year, targets, *, reviewer, rng) -> Round:
    round_ = round_open(
        framework=framework, year=year, group=group, self_deadline=datetime.date(year + 1, 1, 10)
    )
    if round_.is_published:
        return round_
    scorer = _Scorer(framework, rng)
    for assessment in round_.assessments.select_related("unit", "round__framework").order_by("unit__code"):
        scorer.fill(assessment, targets[assessment.unit_id], reviewer=reviewer)
    round_.published_at = timezone.now()
    round_.published_by = reviewer
    round_.save(update_fields=["published_at", "published_by"])
    return round_


@transaction.atomic
def seed_index() -> None:
    """The demo's frameworks and index results. Running it again changes nothing."""
    rng = random.Random(2024)  # noqa: S311 (demo figures, not security)
    binh_dinh = _framework(BINH_DINH_FILE)
    quang_tri = _framework(QUANG_TRI_FILE)
    hoai_nhon = _unit(Level.DISTRICT, "543")
    hoai_chau = _unit(Level.COMMUNE, "21649")
    reviewer_hn = User.objects.get(username="hoainhon.noivu")
    communes = list(hoai_nhon.children.exclude(pk=hoai_chau.pk).order_by("code"))

    targets_2023 = {hoai_chau.pk: HOAI_CHAU_2023}
    targets_2023.update({c.pk: D(t) for c, t in zip(communes, HOAI_NHON_2023_OTHERS, strict=True)})
    # 2022: a little lower everywhere.
    targets_2022 = {pk: value - D(rng.randint(40, 260)) / 100 for pk, value in targets_2023.items()}
    targets_2022[hoai_chau.pk] = D("83.05")
    _published_round(binh_dinh, hoai_nhon, 2022, targets_2022, reviewer=reviewer_hn, rng=rng)
    _published_round(binh_dinh, hoai_nhon, 2023, targets_2023, reviewer=reviewer_hn, rng=rng)

    gio_linh = _unit(Level.DISTRICT, "466")
    gio_son = _unit(Level.COMMUNE, "19537")
    reviewer_gl = User.objects.get(username="giolinh.noivu")
    gio_linh_communes = list(gio_linh.children.order_by("code"))
    targets = {c.pk: D(rng.randint(7200, 9350)) / 100 for c in gio_linh_communes}
    targets[gio_son.pk] = GIO_SON_2023
    _published_round(quang_tri, gio_linh, 2023, targets, reviewer=reviewer_gl, rng=rng)
    _round_under_way(quang_tri, gio_linh, gio_son, reviewer=reviewer_gl, rng=rng)


def _round_under_way(framework, group, gio_son, *, reviewer, rng) -> None:
    """Gio Linh 2024: Gio Sơn self-scoring (half done), three communes submitted, one of them in
    appraisal with an explanation asked for."""
    round_ = round_open(framework=framework, year=2024, group=group, self_deadline=datetime.date(2025, 1, 10))
    if round_.assessments.exclude(status=AssessmentStatus.DRAFT).exists():
        return
    scorer = _Scorer(framework, rng)
    assessments = list(round_.assessments.select_related("unit", "round__framework").order_by("unit__code"))
    others = [a for a in assessments if a.unit_id != gio_son.pk]
    own = next(a for a in assessments if a.unit_id == gio_son.pk)
    half = {leaf.pk for leaf in scorer.manual[: len(scorer.manual) // 2]}
    for score in own.scores.filter(criterion_id__in=half).select_related("criterion"):
        score.self_score = score.criterion.max_points
        if score.criterion.evidence_required:
            score.note = "Tài liệu kiểm chứng đang được số hóa, sẽ tải lên trước hạn."
        score.save(update_fields=["self_score", "note"])
    assessment_recompute(assessment=own, criteria=scorer.criteria)
    for index, assessment in enumerate(others[:3]):
        scorer.fill(assessment, D(rng.randint(8000, 9000)) / 100, reviewer=reviewer, appraise=False)
        assessment.status = AssessmentStatus.SUBMITTED if index else AssessmentStatus.EXPLAINING
        assessment.submitted_at = timezone.now()
        assessment.save(update_fields=["status", "submitted_at"])
        if index == 0:
            score = assessment.scores.filter(criterion__in=scorer.manual).select_related("criterion").first()
            score.appraised_score = max(score.self_score - framework.step, D(0))
            score.reviewer_comment = "Kế hoạch ban hành sau thời hạn, đề nghị xã giải trình."
            score.explanation_requested = True
            score.save()
        assessment_recompute(assessment=assessment, criteria=scorer.criteria)
