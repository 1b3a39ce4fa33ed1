"""Reads of the reviewer's pages: the rounds, one round's communes, one assessment's leaves.

Round pages are for the reviewer of the round's group and, read-only, for the administrators
above it and superusers. A commune's officer may read a round through its own assessment
(``rounds_readable_by``) but does not see the other communes' unpublished figures here: 404.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from communes.models import User
from communes.selectors import units_administered_by

from .. import scoring
from ..models import Adjustment, Assessment, AssessmentStatus, Criterion, Evidence, Round, Score
from ..services.appraisal import survey_leaves
from .access import get_round_for_user, rounds_reviewed_by


def rounds_for_round_pages(user: User) -> QuerySet[Round]:
    """The rounds whose pages ``user`` opens: those it reviews, those under the units it
    administers, every one for a superuser."""
    if not user.is_authenticated or not user.is_active:
        return Round.objects.none()
    if user.is_superuser:
        return Round.objects.all()
    return Round.objects.filter(
        Q(pk__in=rounds_reviewed_by(user).values("pk")) | Q(group__in=units_administered_by(user))
    )


def get_round_for_page(user: User, pk: int, *, review: bool = False) -> tuple[Round, bool]:
    """The round ``pk`` and whether ``user`` reviews it. 404 when the user may not open the round's
    pages; 403 when ``review`` and the user only reads it (an administrator)."""
    round_ = get_round_for_user(user, pk)
    reviews = rounds_reviewed_by(user).filter(pk=pk).exists()
    if not reviews and not rounds_for_round_pages(user).filter(pk=pk).exists():
        raise Http404(_("Không tìm thấy đợt đánh giá."))
    if review and not reviews:
        raise PermissionDenied(_("Chỉ cơ quan thẩm định của nhóm này được làm việc này."))
    return round_, reviews


STATUS_COUNTS = {
    f"count_{status.value}": Count("assessments", filter=Q(assessments__status=status.value))
    for status in AssessmentStatus
}


def round_list(user: User) -> list[Round]:
    """The rounds for ``user``'s list, each with ``count_<status>`` and ``count_all``; one query."""
    rounds = (
        rounds_for_round_pages(user)
        .select_related("framework", "group")
        .annotate(count_all=Count("assessments"), **STATUS_COUNTS)
        .order_by("-year", "group__name", "framework__name")
    )
    result = list(rounds)
    for round_ in result:
        round_.status_counts = [
            (status.label, getattr(round_, f"count_{status.value}"))
            for status in AssessmentStatus
            if getattr(round_, f"count_{status.value}")
        ]
    return result


@dataclass
class RoundRow:
    assessment: Assessment
    survey: list[Decimal | None]
    adjustments: Decimal
    overdue: bool


@dataclass
class RoundPage:
    round: Round
    survey_leaves: list[Criterion]
    rows: list[RoundRow]
    overdue: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def all_appraised(self) -> bool:
        return bool(self.rows) and all(r.assessment.status == AssessmentStatus.APPRAISED for r in self.rows)


def round_page(round_: Round, *, today: datetime.date) -> RoundPage:
    """Every commune of ``round_`` with its totals, survey points and adjustments: three queries
    (criteria, assessments with their adjustment sums, survey scores), however many communes."""
    leaves = survey_leaves(round_.framework.criteria.all())
    assessments = list(
        Assessment.objects.filter(round=round_)
        .select_related("unit")
        .annotate(adjustment_sum=Sum("adjustments__points"))
        .order_by("unit__name")
    )
    survey = (
        {
            (s.assessment_id, s.criterion_id): s.appraised_score
            for s in Score.objects.filter(assessment__round=round_, criterion__in=leaves).only(
                "assessment_id", "criterion_id", "appraised_score"
            )
        }
        if leaves
        else {}
    )
    past_deadline = today > round_.self_deadline
    rows = [
        RoundRow(
            assessment=a,
            survey=[survey.get((a.pk, leaf.pk)) for leaf in leaves],
            adjustments=a.adjustment_sum or Decimal(0),
            overdue=past_deadline and a.status == AssessmentStatus.DRAFT,
        )
        for a in assessments
    ]
    counts = {status.label: 0 for status in AssessmentStatus}
    for a in assessments:
        counts[a.get_status_display()] += 1
    return RoundPage(
        round=round_,
        survey_leaves=leaves,
        rows=rows,
        overdue=sum(1 for r in rows if r.overdue),
        counts={label: n for label, n in counts.items() if n},
    )


@dataclass
class LeafRow:
    criterion: Criterion
    score: Score
    prefill: Decimal | None
    is_survey: bool


@dataclass
class FieldGroup:
    criterion: Criterion
    points: Decimal
    self_points: Decimal
    leaves: list[LeafRow]


@dataclass
class AppraisalPage:
    assessment: Assessment
    fields: list[FieldGroup]
    adjustments: list[Adjustment]
    flagged: int
    missing: list[str]


def appraisal_page(assessment: Assessment) -> AppraisalPage:
    """The leaves of ``assessment`` grouped by field, with evidence and scores: four queries
    (criteria, scores, their evidence, adjustments), however many leaves and files."""
    criteria = list(assessment.round.framework.criteria.all())
    scores = {
        s.criterion_id: s
        for s in Score.objects.filter(assessment=assessment).prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at"))
        )
    }
    survey = {leaf.pk for leaf in survey_leaves(criteria)}
    final_points = scoring.tree_points(
        criteria, {pk: s.final_score for pk, s in scores.items() if s.applicable}
    )
    self_points = scoring.tree_points(
        criteria,
        {pk: s.self_score if s.self_score is not None else s.auto_score for pk, s in scores.items()},
    )
    by_parent: dict[int | None, list[Criterion]] = {}
    for criterion in criteria:
        by_parent.setdefault(criterion.parent_id, []).append(criterion)

    def leaves_under(node: Criterion) -> list[Criterion]:
        kids = by_parent.get(node.pk)
        if not kids:
            return [node]
        return [leaf for kid in sorted(kids, key=lambda c: c.sort_key) for leaf in leaves_under(kid)]

    fields = []
    for root in sorted(by_parent.get(None, []), key=lambda c: c.sort_key):
        rows = []
        for leaf in leaves_under(root):
            score = scores.get(leaf.pk)
            if score is None:
                continue
            prefill = score.appraised_score
            if prefill is None:
                prefill = score.auto_score if score.auto_score is not None else score.self_score
            rows.append(LeafRow(leaf, score, prefill, leaf.pk in survey))
        fields.append(
            FieldGroup(
                root, final_points.get(root.pk, Decimal(0)), self_points.get(root.pk, Decimal(0)), rows
            )
        )
    missing = [
        s.criterion_id
        for s in scores.values()
        if s.applicable and s.appraised_score is None and s.auto_score is None
    ]
    codes = {c.pk: c for c in criteria}
    return AppraisalPage(
        assessment=assessment,
        fields=fields,
        adjustments=list(assessment.adjustments.all()),
        flagged=sum(1 for s in scores.values() if s.explanation_requested and s.applicable),
        missing=[codes[pk].code for pk in sorted(missing, key=lambda pk: codes[pk].sort_key)],
    )


def flagged_scores(assessment: Assessment) -> list[Score]:
    """The leaves the commune must explain, in the tree's order (one query)."""
    return list(
        assessment.scores.filter(explanation_requested=True, applicable=True)
        .select_related("criterion")
        .order_by("criterion__sort_key")
    )
