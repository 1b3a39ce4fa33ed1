"""Rankings: a round's communes ranked by their appraised totals, a commune's own results, the
published rounds the public reads.

Everything here reads the totals stored on ``Assessment`` (``assessment_recompute`` keeps them
true), so a ranking costs a fixed number of queries however many communes and leaves there are;
only a commune's weakest criteria read ``Score`` rows, of its own assessments.

Visibility (DESIGN.md): the reviewer of a group, the administrators above it and superusers see
a round's ranking at any time; the communes of the round and the public only once it is
published. A commune sees its appraised total once appraised and its rank once published.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import BooleanField, Count, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery, Value
from django.http import Http404
from django.utils.translation import gettext as _

from communes.models import REFORM_DATE, AdministrativeUnit, Era, Membership, Role, UnitSuccession, User
from communes.selectors import units_readable_by
from core.formatting import format_number

from .. import scoring
from ..models import Assessment, AssessmentStatus, Band, Criterion, Round, Score
from .access import get_round_for_user, rounds_reviewed_by

WEAKEST_COUNT = 10


@dataclass(frozen=True)
class FieldPoints:
    """A lĩnh vực of one commune: its points and what it lost against the field's max."""

    code: str
    title: str
    max_points: Decimal
    points: Decimal | None  # None: not appraised

    @property
    def lost(self) -> Decimal | None:
        return None if self.points is None else self.max_points - self.points


@dataclass
class RankingRow:
    assessment: Assessment
    unit: AdministrativeUnit
    total: Decimal | None  # the appraised total; None until the assessment is appraised
    band: Band | None
    rank: int | None  # competition rank (1, 2, 2, 4); None until appraised
    fields: list[FieldPoints]
    previous_total: Decimal | None = None  # last year's appraised total in the same group
    previous_rank: int | None = None
    openable: bool = False  # the reader may open the commune's results page (``ranking(reader=…)``)
    # A commune new since the reform: its change against its predecessors' last year, or why not.
    history: HistoryChange | None = None

    @property
    def points_change(self) -> Decimal | None:
        if self.total is None or self.previous_total is None:
            return None
        return self.total - self.previous_total

    @property
    def rank_change(self) -> int | None:
        """Places gained (positive) or lost (negative) since last year: 15th → 13th is +2."""
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank


@dataclass
class Ranking:
    round: Round
    fields: list[Criterion]  # the framework's lĩnh vực (depth 1), in code order
    bands: list[Band]
    rows: list[RankingRow]  # ranked rows first (by rank, then name), then those not yet appraised

    @cached_property
    def ranked(self) -> list[RankingRow]:
        return [row for row in self.rows if row.rank is not None]

    @cached_property
    def group_size(self) -> int:
        """The "17" of "13/17": the communes ranked."""
        return len(self.ranked)


def ranking(round_: Round, *, public: bool = False, reader: User | None = None) -> Ranking:
    """The ranking of ``round_`` (its framework and group loaded, as the access helpers do).

    Four queries whatever the number of communes and leaves: bands, lĩnh vực, the round's
    assessments with their units, last year's appraised totals in the same group. ``public``:
    compare only with last year's rounds that were published (what a commune or the public
    reads must not reveal an unpublished rank). ``reader``: mark the rows whose commune
    ``reader`` may read (``RankingRow.openable``: its results page opens for ``reader``), in the
    query of the assessments, with the rule every commune page uses (``units_readable_by``).
    """
    framework = round_.framework
    bands = list(framework.bands.all())
    fields = list(Criterion.objects.filter(framework=framework, parent__isnull=True).order_by("sort_key"))
    assessments = list(round_.assessments.select_related("unit").annotate(openable=_openable_by(reader)))
    totals = [a.appraised_total if a.status == AssessmentStatus.APPRAISED else None for a in assessments]
    ranks = scoring.competition_ranks(totals)
    previous = _previous_year(round_, public=public)
    rows = []
    for assessment, total, rank in zip(assessments, totals, ranks, strict=True):
        stored = assessment.field_points or {}
        row = RankingRow(
            assessment=assessment,
            unit=assessment.unit,
            total=total,
            band=framework.band_for(total, bands),
            rank=rank,
            fields=[
                FieldPoints(
                    code=f.code,
                    title=f.title,
                    max_points=f.max_points,
                    points=Decimal(stored[f.code]) if total is not None and f.code in stored else None,
                )
                for f in fields
            ],
        )
        row.openable = assessment.openable
        if rank is not None and assessment.unit_id in previous:
            row.previous_total, row.previous_rank = previous[assessment.unit_id]
        rows.append(row)
    if compares_with_predecessors(round_):
        wanted = [row for row in rows if row.rank is not None and row.previous_total is None]
        changes = predecessor_changes(
            framework=framework,
            year=round_.year,
            totals={row.unit.pk: row.total for row in wanted},
            public=public,
        )
        for row in wanted:
            row.history = changes.get(row.unit.pk)
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.unit.name))
    return Ranking(round=round_, fields=fields, bands=bands, rows=rows)


def _openable_by(reader: User | None) -> ExpressionWrapper | Value:
    """Whether ``reader`` may read an assessment's commune, as an expression of the query."""
    readable = units_readable_by(reader) if reader is not None else AdministrativeUnit.objects.none()
    if readable.query.is_empty():
        return Value(False)
    return ExpressionWrapper(Q(unit__in=readable), output_field=BooleanField())


def _previous_year(round_: Round, *, public: bool) -> dict[int, tuple[Decimal, int]]:
    """unit id → (total, rank) in the previous year's round of the same group (any framework).
    When the group had several rounds that year, the latest one counts. One query."""
    appraised = Assessment.objects.filter(
        round__group_id=round_.group_id,
        round__year=round_.year - 1,
        status=AssessmentStatus.APPRAISED,
        appraised_total__isnull=False,
    )
    if public:
        appraised = appraised.filter(round__published_at__isnull=False)
    by_round: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for round_id, unit_id, total in appraised.values_list("round_id", "unit_id", "appraised_total"):
        by_round[round_id].append((unit_id, total))
    found: dict[int, tuple[Decimal, int]] = {}
    for round_id in sorted(by_round):  # later rounds overwrite earlier ones
        entries = by_round[round_id]
        ranks = scoring.competition_ranks([total for _unit, total in entries])
        for (unit_id, total), rank in zip(entries, ranks, strict=True):
            found[unit_id] = (total, rank)
    return found


# --- the change against the predecessors (across the 2025 reform) ---------------------------


@dataclass(frozen=True)
class HistoryChange:
    """A 2025 commune's change against last year, taken from its predecessors (the old communes
    it continues), or the reason it is not compared (``points`` None, ``note`` says why)."""

    points: Decimal | None
    note: str
    reason: str = ""  # COMPARED, SPLIT, NOT_SCORED, OTHER_SCALE
    baseline: Decimal | None = None  # the predecessors' mean, when compared

    COMPARED = "compared"
    SPLIT = "split"
    NOT_SCORED = "not_scored"
    OTHER_SCALE = "other_scale"

    @property
    def compared(self) -> bool:
        return self.points is not None


def compares_with_predecessors(round_: Round) -> bool:
    """Whether the communes of ``round_`` are compared with their predecessors: a group of the
    2025 era whose previous year ended before the reform (the 2025 round against 2024)."""
    return round_.group.era == Era.CURRENT and round_.year - 1 < REFORM_DATE.year


def scale_of(framework) -> Decimal:
    """The scale a framework's totals are on: 100 when rescaled, else its total."""
    return scoring.HUNDRED if framework.rescale_to_100 else framework.total_points


def predecessor_changes(
    *, framework, year: int, totals: dict[int, Decimal | None], public: bool
) -> dict[int, HistoryChange]:
    """unit id → its change against its predecessors' appraised totals of ``year - 1``.

    Compared only where it means something: every predecessor went whole into the commune (a
    split one's score is never given to one of its successors), every one has an appraised total
    that year (published, when ``public``), under a framework on the same scale (100 points, or
    rescaled to 100) as ``framework``. The baseline is the predecessors' arithmetic mean (the
    portal knows no population or dossier weights to do better), and the change says so. Two
    queries whatever the number of communes: the successions, the predecessors' results."""
    if not totals:
        return {}
    shares = (
        UnitSuccession.objects.filter(predecessor=OuterRef("predecessor_id"))
        .values("predecessor")
        .annotate(count=Count("pk"))
        .values("count")
    )
    predecessors: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for successor_id, predecessor_id, name, successors in (
        UnitSuccession.objects.filter(successor_id__in=totals)
        .annotate(successors=Subquery(shares))
        .order_by("predecessor__name")
        .values_list("successor_id", "predecessor_id", "predecessor__name", "successors")
    ):
        predecessors[successor_id].append((predecessor_id, name, successors or 1))
    ids = {pk for items in predecessors.values() for pk, _name, _count in items}
    previous = Assessment.objects.filter(
        unit_id__in=ids,
        round__year=year - 1,
        status=AssessmentStatus.APPRAISED,
        appraised_total__isnull=False,
    )
    if public:
        previous = previous.filter(round__published_at__isnull=False)
    # The latest round of that year counts when a commune had several.
    scores: dict[int, tuple[Decimal, Decimal]] = {}
    for unit_id, total, points, rescaled in previous.order_by("round_id").values_list(
        "unit_id", "appraised_total", "round__framework__total_points", "round__framework__rescale_to_100"
    ):
        scores[unit_id] = (total, scoring.HUNDRED if rescaled else points)
    return {
        unit_id: history_change(
            total=totals[unit_id],
            scale=scale_of(framework),
            year=year,
            predecessors=[(name, count, scores.get(pk)) for pk, name, count in predecessors[unit_id]],
        )
        for unit_id in totals
        if predecessors.get(unit_id)
    }


def history_change(
    *,
    total: Decimal | None,
    scale: Decimal,
    year: int,
    predecessors: list[tuple[str, int, tuple[Decimal, Decimal] | None]],
) -> HistoryChange:
    """The change of ``total`` (a commune's total of ``year``, on ``scale``) against its
    ``predecessors`` last year: each (name, how many successors it has, (its total, its scale)
    or None when it was not scored). Pure; see ``predecessor_changes`` for the rule."""
    last = year - 1
    split = [name for name, successors, _score in predecessors if successors > 1]
    if split:
        return HistoryChange(
            None,
            _(
                "Không so sánh với năm %(year)s: %(names)s được chia cho nhiều xã, phường mới, nên điểm "
                "của xã cũ không tính cho riêng xã này."
            )
            % {"year": last, "names": ", ".join(split)},
            HistoryChange.SPLIT,
        )
    missing = [name for name, _successors, score in predecessors if score is None]
    if missing:
        return HistoryChange(
            None,
            _("Không so sánh với năm %(year)s: %(names)s chưa có kết quả Chỉ số CCHC năm %(year)s.")
            % {"year": last, "names": ", ".join(missing)},
            HistoryChange.NOT_SCORED,
        )
    other_scales = sorted({score[1] for _name, _s, score in predecessors if score[1] != scale})
    if other_scales:
        return HistoryChange(
            None,
            _(
                "Không so sánh với năm %(year)s: các xã cũ được chấm theo bộ chỉ số thang %(old)s điểm, "
                "khác thang %(new)s điểm của năm nay."
            )
            % {
                "year": last,
                "old": ", ".join(format_number(value, 0) for value in other_scales),
                "new": format_number(scale, 0),
            },
            HistoryChange.OTHER_SCALE,
        )
    if total is None:
        return HistoryChange(None, "")
    values = [score[0] for _name, _s, score in predecessors]
    baseline = scoring.two_places(sum(values, Decimal(0)) / len(values))
    listed = "; ".join(f"{name} {format_number(score[0], 2)}" for name, _s, score in predecessors)
    if len(predecessors) == 1:
        note = _("So với điểm năm %(year)s của xã cũ (%(list)s), nhập nguyên vẹn vào xã này.") % {
            "year": last,
            "list": listed,
        }
    else:
        note = _(
            "So với trung bình cộng điểm năm %(year)s của %(count)s xã cũ nhập nguyên vẹn vào xã này "
            "(%(list)s): %(mean)s điểm."
        ) % {"year": last, "count": len(predecessors), "list": listed, "mean": format_number(baseline, 2)}
    return HistoryChange(total - baseline, note, HistoryChange.COMPARED, baseline)


# --- who sees a ranking ---------------------------------------------------------------------


def may_see_unpublished(user: User, round_: Round) -> bool:
    """The reviewer of the group, an administrator of the group or a unit above it, a superuser."""
    if user.is_superuser:
        return True
    if rounds_reviewed_by(user).filter(pk=round_.pk).exists():
        return True
    group = round_.group
    above = [group.pk, group.parent_id, group.parent.parent_id if group.parent_id else None]
    return Membership.objects.filter(
        user=user, role=Role.ADMINISTRATOR, unit_id__in=[pk for pk in above if pk]
    ).exists()


def get_ranking_round_for_user(user: User, pk: int) -> tuple[Round, bool]:
    """The round ``pk`` whose ranking ``user`` may read, and whether ``user`` sees it before
    publication (``may_see_unpublished``). 404 when it may not: an unpublished round is 404 to
    its communes, who must not learn that results exist before they are published."""
    round_ = get_round_for_user(user, pk)
    privileged = may_see_unpublished(user, round_)
    if not round_.is_published and not privileged:
        raise Http404(_("Không tìm thấy kết quả xếp hạng."))
    return round_, privileged


def published_rounds() -> QuerySet[Round]:
    return Round.objects.filter(published_at__isnull=False).select_related("framework", "group__parent")


def get_published_round(pk: int) -> Round:
    """A published round for the public page; 404 otherwise, whoever asks."""
    round_ = published_rounds().filter(pk=pk).first()
    if round_ is None:
        raise Http404(_("Không tìm thấy kết quả xếp hạng đã công bố."))
    return round_


# --- a commune's own results ---------------------------------------------------------------


@dataclass(frozen=True)
class WeakCriterion:
    code: str
    title: str
    max_points: Decimal
    points: Decimal
    lost: Decimal


@dataclass
class IndexSummary:
    """A commune's result in one round, as far as it may be shown to the commune.

    ``total`` and ``band`` only once appraised; ``rank`` and ``group_size`` only once the round
    is published; ``weakest`` (leaves that lost most points) only once appraised.
    """

    assessment: Assessment
    round: Round
    unit: AdministrativeUnit
    year: int
    total: Decimal | None = None
    band: str = ""
    rank: int | None = None
    group_size: int | None = None
    weakest: list[WeakCriterion] = field(default_factory=list)
    change: str = ""  # against last year, set by the page (``summary_changes``)

    @property
    def status_label(self) -> str:
        return self.assessment.get_status_display()


def commune_summaries(units: list[AdministrativeUnit]) -> list[IndexSummary]:
    """The results of ``units`` for every year, oldest first. Four queries whatever the number of
    years: assessments, bands, the totals of the published rounds (for ranks), the scores of the
    appraised assessments (for the weakest criteria)."""
    assessments = list(
        Assessment.objects.filter(unit__in=units)
        .select_related("round__framework", "round__group", "unit")
        .order_by("round__year", "round_id")
    )
    if not assessments:
        return []
    framework_ids = {a.round.framework_id for a in assessments}
    bands: dict[int, list[Band]] = defaultdict(list)
    for band in Band.objects.filter(framework_id__in=framework_ids):
        bands[band.framework_id].append(band)
    appraised = [a for a in assessments if a.status == AssessmentStatus.APPRAISED]
    published = {a.round_id for a in appraised if a.round.is_published}
    round_totals: dict[int, list[Decimal]] = defaultdict(list)
    if published:
        for round_id, total in Assessment.objects.filter(
            round_id__in=published, status=AssessmentStatus.APPRAISED, appraised_total__isnull=False
        ).values_list("round_id", "appraised_total"):
            round_totals[round_id].append(total)
    weakest = _weakest([a.pk for a in appraised])

    summaries = []
    for assessment in assessments:
        round_ = assessment.round
        summary = IndexSummary(assessment=assessment, round=round_, unit=assessment.unit, year=round_.year)
        if assessment.status == AssessmentStatus.APPRAISED and assessment.appraised_total is not None:
            summary.total = assessment.appraised_total
            band = round_.framework.band_for(summary.total, bands[round_.framework_id])
            summary.band = band.label if band else ""
            summary.weakest = weakest.get(assessment.pk, [])
            if round_.pk in published:
                totals = round_totals[round_.pk]
                summary.rank = 1 + sum(1 for other in totals if other > summary.total)
                summary.group_size = len(totals)
        summaries.append(summary)
    return summaries


def _weakest(assessment_ids: list[int]) -> dict[int, list[WeakCriterion]]:
    """assessment id → its leaves that lost most points against their max (at most 10; inapplicable
    leaves and leaves at full points left out). One query."""
    if not assessment_ids:
        return {}
    lost: dict[int, list[tuple[Decimal, str, WeakCriterion]]] = defaultdict(list)
    scores = Score.objects.filter(assessment_id__in=assessment_ids, applicable=True).select_related(
        "criterion"
    )
    for score in scores.only(
        "assessment_id",
        "self_score",
        "auto_score",
        "appraised_score",
        "criterion__code",
        "criterion__title",
        "criterion__max_points",
        "criterion__sort_key",
    ):
        criterion = score.criterion
        points = score.final_score if score.final_score is not None else Decimal(0)
        missing = criterion.max_points - points
        if missing > 0:
            weak = WeakCriterion(criterion.code, criterion.title, criterion.max_points, points, missing)
            lost[score.assessment_id].append((-missing, criterion.sort_key, weak))
    return {pk: [weak for *_key, weak in sorted(items)[:WEAKEST_COUNT]] for pk, items in lost.items()}


def commune_index_summary(unit: AdministrativeUnit, year: int) -> IndexSummary | None:
    """``unit``'s index result for ``year`` (the latest round of that year when there are several):
    total, band label, rank, group size and weakest criteria, each only as far as it may be shown
    (see ``IndexSummary``). None when the commune has no assessment that year."""
    assessment = (
        Assessment.objects.filter(unit=unit, round__year=year).order_by("-round_id").only("pk").first()
    )
    if assessment is None:
        return None
    summaries = [s for s in commune_summaries([unit]) if s.assessment.pk == assessment.pk]
    return summaries[0] if summaries else None


def summary_changes(unit: AdministrativeUnit, summaries: list[IndexSummary]) -> dict[int, str]:
    """assessment id → the change against last year of ``unit``'s own results (in ``summaries``,
    as ``commune_summaries`` gives them for the unit and its predecessors), as a sentence: against
    its own total of the year before, or, for a 2025 commune's first year, against its
    predecessors (``predecessor_changes``: two queries, only when there is such a year)."""
    own = {s.year: s for s in summaries if s.unit.pk == unit.pk and s.total is not None}
    found: dict[int, str] = {}
    for year, summary in own.items():
        before = own.get(year - 1)
        if before is not None:
            found[summary.assessment.pk] = _("%(change)s so với năm %(year)s.") % {
                "change": _signed(summary.total - before.total),
                "year": year - 1,
            }
        elif compares_with_predecessors(summary.round):
            change = predecessor_changes(
                framework=summary.round.framework, year=year, totals={unit.pk: summary.total}, public=False
            ).get(unit.pk)
            if change is not None and change.compared:
                found[summary.assessment.pk] = _("%(change)s so với các xã cũ. %(note)s") % {
                    "change": _signed(change.points),
                    "note": change.note,
                }
            elif change is not None:
                found[summary.assessment.pk] = change.note
    return found


def _signed(points: Decimal) -> str:
    sign = "+" if points > 0 else ("−" if points < 0 else "±")
    return _("%(sign)s%(points)s điểm") % {"sign": sign, "points": format_number(abs(points), 2)}


def units_with_history(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    """The unit and the units it succeeded (a 2025 commune shows its predecessors' years)."""
    return [unit, *unit.predecessors.order_by("name")]


__all__ = [
    "FieldPoints",
    "HistoryChange",
    "IndexSummary",
    "Ranking",
    "RankingRow",
    "WeakCriterion",
    "commune_index_summary",
    "commune_summaries",
    "get_published_round",
    "get_ranking_round_for_user",
    "history_change",
    "may_see_unpublished",
    "published_rounds",
    "ranking",
    "summary_changes",
    "units_with_history",
]


# --- files ---------------------------------------------------------------------------------

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}


def ranking_file(result: Ranking, fmt: str) -> tuple[str, bytes, str]:
    """(file name, bytes, content type) of ``result`` as ``fmt`` (csv, xlsx or json)."""
    from .. import exports

    round_ = result.round
    fields = [exports.ExportField(code=f.code, title=f.title) for f in result.fields]
    rows = [
        exports.ExportRow(
            rank=row.rank,
            code=row.unit.code,
            name=row.unit.name,
            total=row.total,
            band=row.band.label if row.band else "",
            points_change=row.points_change,
            rank_change=row.rank_change,
            field_points=[cell.points for cell in row.fields],
        )
        for row in result.rows
    ]
    title = _("Xếp hạng Chỉ số CCHC năm %(year)s – %(group)s") % {
        "year": round_.year,
        "group": round_.group.name,
    }
    if fmt == "csv":
        data = exports.ranking_csv(fields=fields, rows=rows)
    elif fmt == "xlsx":
        data = exports.ranking_xlsx(title=title, fields=fields, rows=rows)
    elif fmt == "json":
        meta = {
            "title": title,
            "year": round_.year,
            "group_code": round_.group.code,
            "group": round_.group.name,
            "framework_id": round_.framework_id,
            "framework": round_.framework.name,
            "legal_basis": round_.framework.legal_basis,
            "total_points": f"{round_.framework.total_points:.2f}",
            "published_at": round_.published_at.isoformat() if round_.published_at else None,
        }
        data = exports.ranking_json(meta=meta, fields=fields, rows=rows)
    else:
        raise ValueError(f"Unknown format {fmt!r}: csv, xlsx or json.")
    return f"xep-hang-{round_.year}-{round_.group.code}-{round_.pk}.{fmt}", data, EXPORT_TYPES[fmt]
