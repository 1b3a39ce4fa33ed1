"""Reads of the self-assessment pages: a commune's assessments, and one assessment as a tree."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from communes.models import COMMUNE_ROLES, AdministrativeUnit, Membership, Role, User
from core.formatting import format_number

from .. import rules, scoring
from ..evidence import MAX_FILES_PER_LEAF, max_bytes
from ..forms import points_text
from ..models import Assessment, AssessmentStatus, Criterion, Evidence, Score


def assessments_of_unit(unit: AdministrativeUnit) -> QuerySet[Assessment]:
    """The commune's assessments, newest year first (one query)."""
    return (
        Assessment.objects.filter(unit=unit)
        .select_related("round__framework", "round__group")
        .order_by("-round__year", "round__framework__name")
    )


@dataclass
class Row:
    """One node of the tree as shown: a lĩnh vực, a tiêu chí, or a leaf with its score."""

    criterion: Criterion
    points: Decimal  # the self points, capped at the node's max
    is_leaf: bool = False
    kind: str = ""  # leaves: "self", "auto" or "survey"
    score: Score | None = None
    evidence: list[Evidence] = field(default_factory=list)
    auto_text: str = ""
    form: object = None  # the leaf's ScoreForm, set by the view when the page is writable
    evidence_error: str = ""
    evidence_done: str = ""  # the message after an upload or a delete
    saved: bool = False  # the leaf's score was just saved
    children: list[Row] = field(default_factory=list)  # lĩnh vực only: every node below, in order

    @property
    def max_text(self) -> str:
        return points_text(self.criterion.max_points)

    @property
    def points_text(self) -> str:
        return points_text(self.points)

    @property
    def self_text(self) -> str:
        return points_text(self.score.self_score) if self.score else ""

    @property
    def appraised_text(self) -> str:
        return points_text(self.score.appraised_score) if self.score else ""

    @property
    def has_evidence_room(self) -> bool:
        from ..evidence import MAX_FILES_PER_LEAF

        return len(self.evidence) < MAX_FILES_PER_LEAF


@dataclass
class AssessmentPage:
    assessment: Assessment
    fields: list[Row]  # lĩnh vực, each with its nodes
    rows: dict[int, Row]  # every node by criterion pk
    may_write: bool  # an officer or chairman of the commune, while the assessment is a draft
    may_submit: bool  # a chairman of the commune, while a draft
    is_member: bool  # an officer or chairman of the commune, whatever the status
    show_appraisal: bool

    @property
    def total_text(self) -> str:
        return points_text(self.assessment.self_total)

    @property
    def upload_limit_text(self) -> str:
        """The largest evidence file, as the upload hint says it ("10 MB")."""
        return f"{format_number(Decimal(max_bytes()) / (1024 * 1024), 0)} MB"

    @property
    def files_per_leaf(self) -> int:
        return MAX_FILES_PER_LEAF

    @property
    def framework(self):
        return self.assessment.round.framework


def roles_of(user: User, unit: AdministrativeUnit) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user, unit=unit).values_list("role", flat=True))


def assessment_page(*, assessment: Assessment, user: User) -> AssessmentPage:
    """The assessment as a tree with every leaf's score, evidence files and the capped points of
    every node. Four queries whatever the size: the user's roles, the criteria, the scores,
    the evidence files."""
    roles = roles_of(user, assessment.unit)
    is_member = bool(roles & set(COMMUNE_ROLES))
    draft = assessment.status == AssessmentStatus.DRAFT
    criteria = list(assessment.round.framework.criteria.order_by("sort_key"))
    scores = {
        s.criterion_id: s
        for s in assessment.scores.prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "pk"))
        )
    }
    return build_page(
        assessment=assessment,
        criteria=criteria,
        scores=scores,
        is_member=is_member,
        may_write=is_member and draft,
        may_submit=Role.CHAIRMAN in roles and draft,
    )


def build_page(*, assessment, criteria, scores, is_member, may_write, may_submit) -> AssessmentPage:
    """The tree from loaded criteria and scores (no query)."""
    values = {pk: s.self_score if s.self_score is not None else s.auto_score for pk, s in scores.items()}
    points = scoring.tree_points(criteria, values)
    leaf_ids = {leaf.pk for leaf in scoring.leaves_of(criteria)}
    rows: dict[int, Row] = {}
    fields: list[Row] = []
    for criterion in criteria:
        row = Row(criterion=criterion, points=points.get(criterion.pk, Decimal(0)))
        if criterion.pk in leaf_ids:
            row.is_leaf = True
            row.kind = leaf_kind(criterion)
            row.score = scores.get(criterion.pk)
            row.evidence = list(row.score.evidence.all()) if row.score else []
            if row.kind == "auto" and row.score is not None:
                row.auto_text = auto_text(row.score, criterion)
        rows[criterion.pk] = row
        if criterion.parent_id is None:
            fields.append(row)
        else:
            top = criterion
            while top.parent_id is not None and top.parent_id in rows:
                top = rows[top.parent_id].criterion
            rows[top.pk].children.append(row)
    return AssessmentPage(
        assessment=assessment,
        fields=fields,
        rows=rows,
        may_write=may_write,
        may_submit=may_submit,
        is_member=is_member,
        show_appraisal=assessment.status == AssessmentStatus.APPRAISED,
    )


def leaf_kind(criterion: Criterion) -> str:
    """``self`` (typed by the commune), ``auto`` (computed from dossier figures) or ``survey``
    (entered by the reviewer). A rule that cannot be read counts as typed by the commune."""
    try:
        rule = rules.parse(criterion.rule) if criterion.rule else None
    except rules.RuleError:
        return "self"
    if rule is None:
        return "self"
    return "survey" if rule.is_survey else "auto"


def auto_text(score: Score, criterion: Criterion) -> str:
    """The computed value and the data behind, e.g.
    "91,64% (1.184/1.292 hồ sơ, năm 2023), ngưỡng 80%: 3 điểm"."""
    data = score.auto_data or {}
    if not data:
        return _("Chưa tính (chưa có số liệu hồ sơ).")
    values = {
        "value": format_number(score.auto_value, 2) if score.auto_value is not None else "",
        "numerator": format_number(data.get("numerator", 0)),
        "denominator": format_number(data.get("denominator", 0)),
        "period": data.get("period", ""),
        "threshold": points_text(Decimal(data["threshold"])) if data.get("threshold") else "",
        "points": points_text(score.auto_score or Decimal(0)),
    }
    if score.auto_value is None:
        return _("Không có hồ sơ để tính tỷ lệ (%(period)s): %(points)s điểm") % values
    if values["threshold"]:
        return (
            _(
                "%(value)s%% (%(numerator)s/%(denominator)s hồ sơ, %(period)s), "
                "ngưỡng %(threshold)s%%: %(points)s điểm"
            )
            % values
        )
    return _("%(value)s%% (%(numerator)s/%(denominator)s hồ sơ, %(period)s): %(points)s điểm") % values


@dataclass(frozen=True)
class SubmissionCheck:
    """What the chairman sees before submitting."""

    unscored: list[Criterion]  # self-scored leaves without a score
    undocumented: list[Criterion]  # evidence required, points, no file but a note: allowed
    blocking: list[Criterion]  # evidence required, points, neither file nor note: refused

    @property
    def may_submit(self) -> bool:
        return not self.blocking


def submission_check(assessment: Assessment) -> SubmissionCheck:
    """Leaves without a score, and leaves lacking evidence, in code order (two queries)."""
    criteria = list(assessment.round.framework.criteria.order_by("sort_key"))
    scores = {s.criterion_id: s for s in assessment.scores.annotate(evidence_count=Count("evidence"))}
    unscored, undocumented, blocking = [], [], []
    for leaf in scoring.leaves_of(criteria):
        score = scores.get(leaf.pk)
        if score is None:
            continue
        if leaf_kind(leaf) == "self" and score.self_score is None:
            unscored.append(leaf)
        points = score.self_score if score.self_score is not None else score.auto_score
        if leaf.evidence_required and points and not score.evidence_count:
            (undocumented if score.note.strip() else blocking).append(leaf)
    return SubmissionCheck(unscored=unscored, undocumented=undocumented, blocking=blocking)
