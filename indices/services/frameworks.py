"""Saving frameworks: an import (all or nothing), and a new version of a framework in use."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from communes.models import AdministrativeUnit
from communes.selectors import unit_by_code

from .. import frameworks
from ..frameworks import FrameworkData
from ..models import Band, Criterion, Framework


class Outcome:
    CREATED = "created"
    REPLACED = "replaced"
    NEW_VERSION = "new_version"


@dataclass(frozen=True)
class Imported:
    framework: Framework
    outcome: str  # one of Outcome


def framework_read(data: bytes, *, filename: str = "") -> frameworks.ReadResult:
    """Read and check a template file, the issuing unit looked up among the loaded units."""
    return frameworks.read_xlsx(data, filename=filename, find_issuer=_find_issuer)


def _find_issuer(code: str, era: str | None) -> AdministrativeUnit:
    return unit_by_code(code, era=era)


@transaction.atomic
def framework_import(*, data: FrameworkData, issuer: AdministrativeUnit) -> Imported:
    """Save ``data`` as a framework of ``issuer``.

    A framework with the same name, issuer and years that has assessments is never changed: the
    import becomes its next version (``previous`` set). One that has none is replaced (criteria
    and bands rebuilt). Everything is checked again first; ValidationError lists the problems.
    """
    problems = frameworks.validate(data)
    if problems:
        raise ValidationError([problem.message for problem in problems])
    latest = (
        Framework.objects.select_for_update()
        .filter(name=data.name, issuer=issuer, year_from=data.year_from, year_to=data.year_to)
        .order_by("-version")
        .first()
    )
    if latest is not None and not latest.is_in_use():
        framework, outcome = latest, Outcome.REPLACED
        framework.criteria.all().delete()
        framework.bands.all().delete()
    else:
        framework, outcome = Framework(issuer=issuer), Outcome.CREATED
        if latest is not None:
            framework.version, framework.previous, outcome = latest.version + 1, latest, Outcome.NEW_VERSION
    _save(framework, data)
    return Imported(framework, outcome)


@transaction.atomic
def framework_new_version(*, framework: Framework) -> Framework:
    """Copy ``framework`` (criteria and bands) as its next version, to be edited instead of it."""
    highest = Framework.objects.filter(
        name=framework.name,
        issuer_id=framework.issuer_id,
        year_from=framework.year_from,
        year_to=framework.year_to,
    ).aggregate(highest=Max("version"))["highest"]
    copy = Framework(
        issuer_id=framework.issuer_id, version=max(highest or 0, framework.version) + 1, previous=framework
    )
    _save(copy, frameworks.data_of(framework))
    return copy


# The facts a framework takes from its template, under the same names on both sides.
FACTS = (
    "name", "year_from", "year_to", "legal_basis", "total_points", "step", "rescale_to_100", "group_level",
    "note",
)  # fmt: skip


def _save(framework: Framework, data: FrameworkData) -> None:
    """Give ``framework`` the facts of ``data``, save it, and build its criteria and bands."""
    for attribute in FACTS:
        setattr(framework, attribute, getattr(data, attribute))
    framework.save()
    _build(framework, data)


def _build(framework: Framework, data: FrameworkData) -> None:
    """Create the criteria level by level (a parent's id is known before its children are made),
    and the bands. ``bulk_create`` skips ``Criterion.save``, so sort key and depth are set here."""
    by_code: dict[str, Criterion] = {}
    depths: dict[int, list] = {}
    for node in data.nodes:
        depths.setdefault(node.code.count(".") + 1, []).append(node)
    for depth in sorted(depths):
        made = Criterion.objects.bulk_create(
            [
                Criterion(
                    framework=framework,
                    parent=by_code.get(node.parent_code) if node.parent_code else None,
                    code=node.code,
                    sort_key=Criterion.sort_key_of(node.code),
                    depth=depth,
                    title=node.title,
                    max_points=node.max_points,
                    guide=node.guide,
                    evidence_required=node.evidence_required,
                    rule=node.rule,
                )
                for node in depths[depth]
            ]
        )
        by_code.update({criterion.code: criterion for criterion in made})
    Band.objects.bulk_create(
        [
            Band(
                framework=framework, label=band.label, min_points=band.min_points, max_points=band.max_points
            )
            for band in data.bands
        ]
    )
