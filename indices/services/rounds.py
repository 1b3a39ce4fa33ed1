"""Opening a round, keeping each assessment's stored totals and automatic leaves true, publishing."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit, Level, User
from core import periods
from dossiers.selectors import Basis, communes_under, figures_for

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
    Opening again adds the communes that are missing and changes nothing else."""
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
    new = Assessment.objects.bulk_create(
        [Assessment(round=round_, unit=unit) for unit in units if unit.pk not in have]
    )
    criteria = list(framework.criteria.all())
    leaves = scoring.leaves_of(criteria)
    Score.objects.bulk_create(
        [Score(assessment=assessment, criterion=leaf) for assessment in new for leaf in leaves]
    )
    for assessment in Assessment.objects.filter(pk__in=[a.pk for a in new]).select_related(
        "round__framework"
    ):
        assessment_refresh_auto(assessment=assessment, criteria=criteria)
    return round_


def assessment_refresh_auto(*, assessment: Assessment, criteria: list[Criterion] | None = None) -> None:
    """Compute the automatic leaves of ``assessment`` from the commune's dossier figures for the
    year, store value, points and the data behind, then the totals. A reviewer's override
    (the appraised score) is kept."""
    framework = assessment.round.framework
    criteria = criteria if criteria is not None else list(framework.criteria.all())
    automatic = {c.pk: rules.parse(c.rule) for c in scoring.leaves_of(criteria) if c.rule}
    automatic = {pk: rule for pk, rule in automatic.items() if rule and not rule.is_survey}
    if automatic:
        year = periods.Period(assessment.round.year, periods.Kind.YEAR)
        # What the reviewer ranks is what it reports upward: approved reports only.
        figures = figures_for(unit=assessment.unit, period=year, basis=Basis.APPROVED).total
        by_pk = {c.pk: c for c in criteria}
        for score in assessment.scores.filter(criterion_id__in=automatic):
            outcome = rules.evaluate(
                automatic[score.criterion_id],
                figures=figures,
                max_points=by_pk[score.criterion_id].max_points,
                year=assessment.round.year,
            )
            score.auto_value, score.auto_score, score.auto_data = outcome.value, outcome.points, outcome.data
            score.save(update_fields=["auto_value", "auto_score", "auto_data", "updated_at"])
    assessment_recompute(assessment=assessment, criteria=criteria)


def assessment_recompute(*, assessment: Assessment, criteria: list[Criterion] | None = None) -> None:
    """Store the self total, the appraised total and the points per field of ``assessment``.

    The self total counts what the commune scored (and the automatic leaves); the appraised total
    counts each leaf's final score (appraised, else automatic, else self), inapplicable leaves
    left out of the scale, then bonus and penalty points.
    """
    framework = assessment.round.framework
    criteria = criteria if criteria is not None else list(framework.criteria.all())
    scores = list(assessment.scores.all())
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
        adjustments=assessment.adjustments.values_list("points", flat=True),
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
    assessment.save(update_fields=["self_total", "appraised_total", "field_points", "updated_at"])


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
    return round_


@transaction.atomic
def round_unpublish(*, round_: Round) -> Round:
    round_.published_at = None
    round_.published_by = None
    round_.save(update_fields=["published_at", "published_by"])
    return round_
