"""Demo index results: the two shipped frameworks, and the seeds' scores to the last digit.

- Thị xã Hoài Nhơn, 2022 and 2023, Bình Định's seven-field framework: xã Hoài Châu 84,16 points in
  2023, 13th of the 17 xã, phường (seed 000); both rounds appraised and published, so the change
  against last year shows.
- Huyện Gio Linh, 2023, Quảng Trị's eight-field framework (QĐ 1325/QĐ-UBND): xã Gio Sơn 85,65 points,
  band "Tốt" (seed 003); published. Gio Linh 2024 is under way: Gio Sơn self-scoring, some communes
  submitted, one asked for an explanation, so every step of the work can be tried.
- Tỉnh Gia Lai since the reform (the present): its illustrative 2025 framework (8 contents, 70
  criteria points + 30 survey points, rescaled to 100 where a commune was not surveyed; content 9,
  bonus and penalty points, as adjustments). The 2025 round of its 135 communes, appraised and
  published in 2026 (a few communes not surveyed, a few with bonus or penalty points); the 2026
  round open, its deadline after the day the demo runs: phường Tam Quan self-scoring part-way, a
  few communes submitted, phường Hoài Nhơn Bắc asked for an explanation. Written in bulk (two
  rounds × 135 communes × 42 leaves), the totals by ``assessment_totals`` as the portal computes.
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
from dossiers.selectors import communes_under

from . import rules, scoring
from .models import Adjustment, Assessment, AssessmentStatus, Framework, Round, Score
from .services.frameworks import framework_import, framework_read
from .services.rounds import (
    Prepared,
    assessment_recompute,
    assessment_totals,
    assessments_prepare,
    assessments_save,
    round_open,
)

DATA = Path(__file__).resolve().parent / "data"
BINH_DINH_FILE = DATA / "binh-dinh-2021-2023-cap-xa.xlsx"
QUANG_TRI_FILE = DATA / "quang-tri-2023-2025-cap-xa.xlsx"
GIA_LAI_FILE = DATA / "gia-lai-2025-2030-cap-xa-minh-hoa.xlsx"
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
            # The district-era rounds were worked in the first weeks of the next year.
            year = assessment.round.year
            assessment.submitted_at = _past(datetime.date(year + 1, 1, 8))
            assessment.appraised_at = _past(datetime.date(year + 1, 2, 5))
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
    round_.published_at = _past(datetime.date(year + 1, 2, 20))
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
    seed_gia_lai()


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
        assessment.submitted_at = _past(datetime.date(2025, 1, 6 + index))
        assessment.save(update_fields=["status", "submitted_at"])
        if index == 0:
            score = assessment.scores.filter(criterion__in=scorer.manual).select_related("criterion").first()
            score.appraised_score = max(score.self_score - framework.step, D(0))
            score.reviewer_comment = "Kế hoạch ban hành sau thời hạn, đề nghị xã giải trình."
            score.explanation_requested = True
            score.save()
        assessment_recompute(assessment=assessment, criteria=scorer.criteria)


# --- Tỉnh Gia Lai since the reform -----------------------------------------------------------

TAM_QUAN = "21637"
EXPLAINING_2026 = "21655"  # phường Hoài Nhơn Bắc: its officer and chairman are demo accounts
SUBMITTED_2026 = ("23617", "21553")  # phường An Khê, phường Quy Nhơn Bắc (demo accounts too)
NOT_SURVEYED = (
    "Năm 2025 phường, xã chưa được điều tra xã hội học (minh họa): không áp dụng, tổng điểm quy đổi "
    "về thang 100."
)
TAKEN_BACK = "Tài liệu kiểm chứng chưa thể hiện đủ yêu cầu của tiêu chí (minh họa)."
BONUSES = (
    (D("1.5"), "Sáng kiến về CCHC được UBND tỉnh công nhận (minh họa)."),
    (D("1"), "Được UBND tỉnh khen thưởng về thực hiện mô hình chính quyền địa phương hai cấp (minh họa)."),
    (D("-1"), "Chậm gửi báo cáo CCHC quý III/2025 quá 10 ngày (minh họa)."),
    (D("-0.5"), "Để xảy ra phản ánh, kiến nghị về TTHC quá hạn xử lý (minh họa)."),
)


def _aware(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _past(day: datetime.date) -> datetime.datetime:
    """``day`` at 9 o'clock, or an hour ago if the demo runs before it."""
    return min(_aware(day), timezone.now() - datetime.timedelta(hours=1))


class _BulkScorer:
    """Fills prepared assessments (in memory) to about a target; the totals are then computed by
    ``assessment_totals``, exactly as the portal does, whatever the target was."""

    def __init__(self, framework: Framework, criteria: list, rng: random.Random):
        self.framework = framework
        self.criteria = criteria
        self.rng = rng
        self.step = framework.step
        leaves = scoring.leaves_of(criteria)
        parsed = {leaf.pk: rules.parse(leaf.rule) for leaf in leaves}
        self.survey = [leaf for leaf in leaves if parsed[leaf.pk] and parsed[leaf.pk].is_survey]
        self.manual = [leaf for leaf in leaves if not parsed[leaf.pk]]
        self.automatic = {leaf.pk for leaf in leaves if parsed[leaf.pk] and not parsed[leaf.pk].is_survey}

    def fill(self, item: Prepared, target: Decimal, *, appraise: bool, surveyed: bool = True) -> None:
        """Self scores (a little generous) and, with ``appraise``, the reviewer's: manual leaves in
        whole steps, the survey carrying the decimals. ``target`` is the tree's points out of 100."""
        scores = {score.criterion_id: score for score in item.scores}
        auto_points = D(0)
        for pk in self.automatic:
            score = scores[pk]
            if appraise and not score.auto_data.get("denominator"):
                # No approved figures on the portal for that year: scored from the one-stop system.
                score.appraised_score = (
                    score.criterion.max_points * D("0.8") / self.step
                ).to_integral_value() * self.step
                score.override_reason = OVERRIDE_REASON
            auto_points += score.final_score or D(0)
        survey_max = sum((leaf.max_points for leaf in self.survey), D(0))
        manual_max = sum((leaf.max_points for leaf in self.manual), D(0))
        scale = D(100) if surveyed else D(100) - survey_max
        tree_target = target * scale / 100
        survey = (survey_max * D(self.rng.uniform(0.8, 0.93))).quantize(D("0.01")) if surveyed else D(0)
        manual = ((tree_target - auto_points - survey) / self.step).to_integral_value(ROUND_FLOOR) * self.step
        manual = max(D(0), min(manual, manual_max))
        lost = manual_max - manual
        given = {leaf.pk: leaf.max_points for leaf in self.manual}
        while lost > 0:
            leaf = self.rng.choice(self.manual)
            if given[leaf.pk] >= self.step:
                given[leaf.pk] -= self.step
                lost -= self.step
        for leaf in self.manual:
            score = scores[leaf.pk]
            generous = self.rng.random() < 0.12 and given[leaf.pk] < leaf.max_points
            score.self_score = given[leaf.pk] + (self.step if generous else D(0))
            if appraise:
                score.appraised_score = given[leaf.pk]
                if generous:
                    score.reviewer_comment = TAKEN_BACK
            if leaf.evidence_required and score.self_score:
                score.note = PAPER_EVIDENCE
        if appraise:
            shares = _Scorer._split(survey, self.survey)
            for leaf, points in zip(self.survey, shares, strict=True):
                score = scores[leaf.pk]
                if surveyed:
                    score.appraised_score = points
                else:
                    score.applicable = False
                    score.reviewer_comment = NOT_SURVEYED


def seed_gia_lai() -> None:
    """Gia Lai's framework, its published 2025 round and its open 2026 round. Idempotent."""
    rng = random.Random(2025)  # noqa: S311 (demo figures, not security)
    framework = _framework(GIA_LAI_FILE)
    gia_lai = AdministrativeUnit.objects.get(era=Era.CURRENT, level=Level.PROVINCE, code="52")
    reviewer = User.objects.get(username="gialai.sonoivu")
    communes = list(communes_under(gia_lai).order_by("code"))
    criteria = list(framework.criteria.all())
    _gia_lai_2025(framework, gia_lai, communes, criteria, reviewer=reviewer, rng=rng)
    _gia_lai_2026(framework, gia_lai, criteria, reviewer=reviewer, rng=rng)


def _gia_lai_2025(framework, gia_lai, communes, criteria, *, reviewer, rng) -> None:
    """All 135 communes appraised; published in 2026 (in March, or two days ago on an earlier day)."""
    now = timezone.now()
    published = min(_aware(datetime.date(2026, 3, 25)), now - datetime.timedelta(days=2))
    round_ = round_open(
        framework=framework,
        year=2025,
        group=gia_lai,
        self_deadline=datetime.date(2026, 1, 15),
        communes=[],
    )
    if round_.assessments.exists():
        return
    scorer = _BulkScorer(framework, criteria, rng)
    prepared = assessments_prepare(round_=round_, units=communes, criteria=criteria)
    not_surveyed = set(rng.sample([c.code for c in communes if c.code != TAM_QUAN], 4))
    adjusted = dict(
        zip(rng.sample([c.code for c in communes if c.code != TAM_QUAN], 6), BONUSES * 2, strict=False)
    )
    adjusted[TAM_QUAN] = BONUSES[0]
    adjustments = []
    for item in prepared:
        code = item.assessment.unit.code
        target = D(rng.randint(7400, 9300)) / 100 if code != TAM_QUAN else D("87.5")
        bonus = adjusted.get(code)
        if bonus:
            target -= bonus[0]
        scorer.fill(item, target, appraise=True, surveyed=code not in not_surveyed)
        assessment = item.assessment
        assessment.status = AssessmentStatus.APPRAISED
        assessment.submitted_at = published - datetime.timedelta(days=70 - rng.randint(0, 10))
        assessment.appraised_at = published - datetime.timedelta(days=rng.randint(3, 20))
        assessment.appraised_by = reviewer
        assessment_totals(
            assessment=assessment,
            criteria=criteria,
            scores=item.scores,
            adjustments=[bonus[0]] if bonus else [],
        )
        if bonus:
            adjustments.append(
                Adjustment(assessment=assessment, points=bonus[0], reason=bonus[1], created_by=reviewer)
            )
    assessments_save(prepared)
    Adjustment.objects.bulk_create(adjustments)
    round_.published_at = published
    round_.published_by = reviewer
    round_.save(update_fields=["published_at", "published_by"])


def _next_deadline(today: datetime.date) -> datetime.date:
    """15 January after ``today`` (of 2027 at the earliest): the 2026 round is always still open."""
    deadline = datetime.date(max(today.year, 2027), 1, 15)
    return deadline if deadline > today else datetime.date(today.year + 1, 1, 15)


def _gia_lai_2026(framework, gia_lai, criteria, *, reviewer, rng) -> None:
    """Open now: Tam Quan half self-scored, two communes submitted, Hoài Nhơn Bắc asked to explain."""
    today = timezone.localdate()
    round_ = round_open(framework=framework, year=2026, group=gia_lai, self_deadline=_next_deadline(today))
    if round_.assessments.exclude(status=AssessmentStatus.DRAFT).exists():
        return
    scorer = _BulkScorer(framework, criteria, rng)
    by_code = {
        a.unit.code: a
        for a in round_.assessments.filter(unit__code__in=[TAM_QUAN, EXPLAINING_2026, *SUBMITTED_2026])
        .select_related("unit", "round__framework")
        .prefetch_related("scores__criterion")
    }
    changed: list[Score] = []
    own = by_code[TAM_QUAN]
    half = {leaf.pk for leaf in scorer.manual[: len(scorer.manual) // 2]}
    for score in own.scores.all():
        if score.criterion_id in half:
            score.self_score = score.criterion.max_points
            if score.criterion.evidence_required:
                score.note = "Tài liệu kiểm chứng đang được số hóa, sẽ tải lên trước hạn."
            changed.append(score)
    own_scores = list(own.scores.all())
    assessment_totals(assessment=own, criteria=criteria, scores=own_scores)
    for index, code in enumerate([EXPLAINING_2026, *SUBMITTED_2026]):
        assessment = by_code[code]
        item = Prepared(assessment, list(assessment.scores.all()))
        scorer.fill(item, D(rng.randint(8000, 9200)) / 100, appraise=False)
        assessment.submitted_at = timezone.now() - datetime.timedelta(days=3 + index)
        assessment.status = (
            AssessmentStatus.EXPLAINING if code == EXPLAINING_2026 else AssessmentStatus.SUBMITTED
        )
        if code == EXPLAINING_2026:
            score = next(s for s in item.scores if s.criterion_id == scorer.manual[0].pk)
            score.appraised_score = max((score.self_score or D(0)) - framework.step, D(0))
            score.reviewer_comment = (
                "Kế hoạch CCHC năm 2026 ban hành sau thời hạn, đề nghị phường giải trình."
            )
            score.explanation_requested = True
        assessment_totals(assessment=assessment, criteria=criteria, scores=item.scores)
        changed += item.scores
    Score.objects.bulk_update(
        changed,
        ["self_score", "note", "appraised_score", "reviewer_comment", "explanation_requested"],
        batch_size=500,
    )
    Assessment.objects.bulk_update(
        list(by_code.values()), ["status", "submitted_at", "self_total", "appraised_total", "field_points"]
    )
