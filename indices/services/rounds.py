"""Opening a round, keeping each assessment's stored totals and automatic leaves true, publishing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import REFORM_DATE, AdministrativeUnit, Era, Level, User
from core import periods
from dossiers.selectors import Basis, communes_under, figures_for
from notifications import events
from notifications.services import notifications_write

from .. import rules, scoring
from ..models import Assessment, AssessmentStatus, Criterion, Framework, Round, Score


@transaction.atomic
def round_open(
    *,
    framework: Framework,
    year: int,
    group: AdministrativeUnit,
    self_deadline: datetime.date,
    communes: list[AdministrativeUnit] | None = None,
) -> Round:
    """Open ``framework`` for ``year`` in ``group``: one assessment per commune under the group
    (or ``communes``), each with an empty score per leaf and its automatic leaves computed.
    Opening again adds the communes that are missing and changes nothing else.

    A province opens for 100–170 communes at once, so the new assessments are built in memory
    (``assessments_prepare``: the figures read for the whole group, the totals computed by
    ``assessment_totals`` as ``assessment_recompute`` does) and written in two bulk inserts."""
    if not framework.year_from <= year <= framework.year_to:
        raise ValidationError(
            _("Bộ chỉ số “%(name)s” áp dụng cho các năm %(years)s, không áp dụng cho năm %(year)s.")
            % {"name": framework.name, "years": framework.years_label, "year": year}
        )
    if group.level == Level.COMMUNE:
        raise ValidationError(_("Nhóm xếp hạng phải là một huyện hoặc một tỉnh, không phải một xã."))
    round_, _created = Round.objects.get_or_create(
        framework=framework, year=year, group=group, defaults={"self_deadline": self_deadline}
    )
    units = communes if communes is not None else list(communes_under(group))
    have = set(round_.assessments.values_list("unit_id", flat=True))
    missing = [unit for unit in units if unit.pk not in have]
    if missing:
        prepared = assessments_prepare(round_=round_, units=missing)
        assessments_save(prepared)
        # The communes added now, and only they, hear of the round: one write for the province.
        notifications_write(events.round_opened(round_, [item.assessment for item in prepared]))
    return round_


@dataclass
class Prepared:
    """An assessment and its scores built in memory, not yet saved (``assessments_save``)."""

    assessment: Assessment
    scores: list[Score]


def assessments_prepare(
    *, round_: Round, units: list[AdministrativeUnit], criteria: list[Criterion] | None = None
) -> list[Prepared]:
    """A new draft assessment of ``round_`` per unit, a score per leaf, the automatic leaves
    computed from each unit's approved figures for the year, and the totals. No writes; the
    queries are the criteria, and the figures of the whole group at once (``_year_figures``)."""
    framework = round_.framework
    criteria = criteria if criteria is not None else list(framework.criteria.all())
    leaves = scoring.leaves_of(criteria)
    automatic = _automatic(criteria)
    figures = _year_figures(round_, units) if automatic else {}
    by_pk = {c.pk: c for c in criteria}
    prepared = []
    for unit in units:
        assessment = Assessment(round=round_, unit=unit)
        scores = [Score(assessment=assessment, criterion=leaf) for leaf in leaves]
        for score in scores:
            if score.criterion_id in automatic:
                _apply(score, automatic[score.criterion_id], figures[unit.pk], by_pk, round_.year)
        assessment_totals(assessment=assessment, criteria=criteria, scores=scores)
        prepared.append(Prepared(assessment, scores))
    return prepared


def assessments_save(prepared: list[Prepared]) -> None:
    """Insert prepared assessments, then their scores (``_insert_scores``)."""
    Assessment.objects.bulk_create([item.assessment for item in prepared], batch_size=500)
    for item in prepared:
        for score in item.scores:
            score.assessment_id = item.assessment.pk
    _insert_scores([score for item in prepared for score in item.scores])


SCORE_BATCH = 2000


def _insert_scores(scores: list[Score]) -> None:
    """``Score.objects.bulk_create(scores)``, faster on SQLite.

    A province's round is 135 communes × 42 leaves; SQLite takes 999 parameters a statement, so
    bulk_create wrote them 66 rows at a time and spent most of its time compiling the SQL (about
    1 s a round in the demo). On SQLite the same values (each field's ``get_db_prep_save``, the
    ``auto_now`` stamp once) go through one ``executemany``; elsewhere bulk_create batches well.
    The scores' primary keys are not read back."""
    if connection.vendor != "sqlite":
        Score.objects.bulk_create(scores, batch_size=SCORE_BATCH)
        return
    database = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the per-access proxy
    fields = [field for field in Score._meta.concrete_fields if not field.primary_key]
    stamp = timezone.now()
    columns, preparers = [], []
    for field in fields:
        columns.append(database.ops.quote_name(field.column))
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            preparers.append((field.attname, _constant(field.get_db_prep_save(stamp, database))))
        elif isinstance(field, models.DecimalField):
            # What get_db_prep_save gives for a Decimal (the base adapter returns it unchanged),
            # without its per-value context arithmetic.
            preparers.append((field.attname, _decimal_or(field, database)))
        else:
            preparers.append((field.attname, partial(field.get_db_prep_save, connection=database)))
    rows = [[prepare(getattr(score, name)) for name, prepare in preparers] for score in scores]
    # Only the model's own table and column names go into the text; the values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        database.ops.quote_name(Score._meta.db_table), ", ".join(columns), ", ".join(["%s"] * len(columns))
    )
    with database.cursor() as cursor:
        for start in range(0, len(rows), SCORE_BATCH):
            cursor.executemany(sql, rows[start : start + SCORE_BATCH])


def _automatic(criteria: list[Criterion]) -> dict[int, rules.Rule]:
    """leaf id → its rule, for the leaves computed from dossier figures (not the survey)."""
    parsed = {c.pk: rules.parse(c.rule) for c in scoring.leaves_of(criteria) if c.rule}
    return {pk: rule for pk, rule in parsed.items() if rule and not rule.is_survey}


def _apply(score: Score, rule: rules.Rule, figures, by_pk: dict, year: int) -> None:
    maximum = by_pk[score.criterion_id].max_points
    outcome = rules.evaluate(rule, figures=figures, max_points=maximum, year=year)
    score.auto_value, score.auto_score, score.auto_data = outcome.value, outcome.points, outcome.data


def _year_figures(round_: Round, units: list[AdministrativeUnit]) -> dict:
    """unit id → its approved figures for the round's year, exactly as ``figures_for`` gives them
    for the commune alone. Read for the whole group at once (one composition of every commune
    under it); a unit not in it, or a 2025 commune with no report of its own in a year that began
    before the reform (whose own reading falls back on its predecessors), is read alone."""
    year = periods.Period(round_.year, periods.Kind.YEAR)
    # From 2026 on, no predecessor lived in the year: there is nothing to fall back on.
    before_reform = year.dates(periods.Calendar.CALENDAR)[0] < REFORM_DATE
    found = {}
    for composed in figures_for(unit=round_.group, period=year, basis=Basis.APPROVED).groups:
        if composed.source is not None or composed.unit.era != Era.CURRENT or not before_reform:
            found[composed.unit.pk] = composed.total
    for unit in units:
        if unit.pk not in found:
            found[unit.pk] = figures_for(unit=unit, period=year, basis=Basis.APPROVED).total
    return found


def _constant(value):
    return lambda _value: value


def _decimal_or(field, database):
    def prepare(value):
        if value is None or isinstance(value, Decimal):
            return value
        return field.get_db_prep_save(value, database)

    return prepare


def assessment_refresh_auto(*, assessment: Assessment, criteria: list[Criterion] | None = None) -> None:
    """Compute the automatic leaves of ``assessment`` from the commune's dossier figures for the
    year, store value, points and the data behind, then the totals. A reviewer's override
    (the appraised score) is kept."""
    framework = assessment.round.framework
    criteria = criteria if criteria is not None else list(framework.criteria.all())
    automatic = _automatic(criteria)
    if automatic:
        year = periods.Period(assessment.round.year, periods.Kind.YEAR)
        # What the reviewer ranks is what it reports upward: approved reports only.
        figures = figures_for(unit=assessment.unit, period=year, basis=Basis.APPROVED).total
        by_pk = {c.pk: c for c in criteria}
        for score in assessment.scores.filter(criterion_id__in=automatic):
            _apply(score, automatic[score.criterion_id], figures, by_pk, assessment.round.year)
            score.save(update_fields=["auto_value", "auto_score", "auto_data", "updated_at"])
    assessment_recompute(assessment=assessment, criteria=criteria)


def assessment_recompute(*, assessment: Assessment, criteria: list[Criterion] | None = None) -> None:
    """Store the totals of ``assessment`` (``assessment_totals``) from its saved scores and adjustments."""
    framework = assessment.round.framework
    criteria = criteria if criteria is not None else list(framework.criteria.all())
    assessment_totals(
        assessment=assessment,
        criteria=criteria,
        scores=list(assessment.scores.all()),
        adjustments=list(assessment.adjustments.values_list("points", flat=True)),
    )
    assessment.save(update_fields=["self_total", "appraised_total", "field_points", "updated_at"])


def assessment_totals(
    *,
    assessment: Assessment,
    criteria: list[Criterion],
    scores: list[Score],
    adjustments: list[Decimal] | tuple = (),
) -> None:
    """Set (without saving) the self total, the appraised total and the points per field of
    ``assessment`` from ``scores`` (its leaves) and ``adjustments`` (bonus and penalty points).

    The self total counts what the commune scored (and the automatic leaves); the appraised total
    counts each leaf's final score (appraised, else automatic, else self), inapplicable leaves
    left out of the scale, then bonus and penalty points. The one computation of the stored
    totals: ``assessment_recompute`` and the bulk writers (``round_open``, the demo) call it.
    """
    framework = assessment.round.framework
    by_pk = {c.pk: c for c in criteria}

    self_values = {s.criterion_id: s.self_score if s.self_score is not None else s.auto_score for s in scores}
    self_points = scoring.tree_points(criteria, self_values)
    self_total = scoring.total(framework=framework, criteria=criteria, points=self_points)

    applicable = [s for s in scores if s.applicable]
    final_points = scoring.tree_points(criteria, {s.criterion_id: s.final_score for s in applicable})
    inapplicable_max = sum((by_pk[s.criterion_id].max_points for s in scores if not s.applicable), Decimal(0))
    final = scoring.total(
        framework=framework,
        criteria=criteria,
        points=final_points,
        inapplicable_max=inapplicable_max,
        adjustments=adjustments,
    )
    assessment.self_total = self_total.final
    appraised = assessment.status in (
        AssessmentStatus.APPRAISING,
        AssessmentStatus.EXPLAINING,
        AssessmentStatus.APPRAISED,
    )
    assessment.appraised_total = final.final if appraised else None
    assessment.field_points = {
        c.code: str(final_points.get(c.pk, Decimal(0))) for c in criteria if c.parent_id is None
    }


@transaction.atomic
def round_publish(*, round_: Round, user: User) -> Round:
    """Make the round's results public. Refused while a commune is not yet appraised."""
    waiting = round_.assessments.exclude(status=AssessmentStatus.APPRAISED).select_related("unit")
    names = [a.unit.name for a in waiting.order_by("unit__name")[:5]]
    if names:
        raise ValidationError(
            _("Chưa công bố được: còn %(count)s xã chưa thẩm định xong (%(names)s).")
            % {"count": waiting.count(), "names": ", ".join(names)}
        )
    round_.published_at = timezone.now()
    round_.published_by = user
    round_.save(update_fields=["published_at", "published_by"])
    notifications_write(events.ranking_published(round_, user=user))
    return round_


@transaction.atomic
def round_unpublish(*, round_: Round) -> Round:
    round_.published_at = None
    round_.published_by = None
    round_.save(update_fields=["published_at", "published_by"])
    return round_
