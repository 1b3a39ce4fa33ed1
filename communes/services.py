"""Writes about units and people."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from core.text import fold

from . import unit_source
from .models import (
    REFORM_DATE,
    AdministrativeUnit,
    Era,
    Level,
    Membership,
    Office,
    Role,
    UnitSuccession,
    User,
)

LEGACY_VALID_TO = REFORM_DATE - datetime.timedelta(days=1)
# Validity dates are set when a unit is created and never overwritten: the package only
# knows the eras' bounds, and an administrator may have recorded an earlier merger.
UPDATABLE_FIELDS = ["kind", "name", "short_name", "search_key", "parent"]


class UnknownProvince(ValueError):
    pass


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    successions_created: int = 0
    successions_updated: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.successions_created or self.successions_updated)


def _upsert_level(
    *,
    era: str,
    level: int,
    rows: Iterable[unit_source.UnitRow],
    parent_ids: dict[str, int],
    result: LoadResult,
) -> dict[str, int]:
    """Create or update the units of one level; return their ids by code."""
    rows = list(rows)
    # Whole levels are read at once: a list of 10,000 codes would pass SQLite's variable limit.
    existing = {unit.code: unit for unit in AdministrativeUnit.objects.filter(era=era, level=level)}
    valid_from = REFORM_DATE if era == Era.CURRENT else None
    valid_to = LEGACY_VALID_TO if era == Era.LEGACY else None
    to_create, to_update = [], []
    for row in rows:
        wanted = {
            "kind": row.kind,
            "name": row.name,
            "short_name": row.short_name,
            "search_key": fold(row.name),
            "parent_id": parent_ids[row.parent_code] if row.parent_code else None,
        }
        unit = existing.get(row.code)
        if unit is None:
            to_create.append(
                AdministrativeUnit(
                    era=era, level=level, code=row.code, valid_from=valid_from, valid_to=valid_to, **wanted
                )
            )
        elif any(getattr(unit, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(unit, name, value)
            to_update.append(unit)
        else:
            result.unchanged += 1
    AdministrativeUnit.objects.bulk_create(to_create, batch_size=1000)
    AdministrativeUnit.objects.bulk_update(to_update, UPDATABLE_FIELDS, batch_size=1000)
    result.created += len(to_create)
    result.updated += len(to_update)
    return dict(AdministrativeUnit.objects.filter(era=era, level=level).values_list("code", "id"))


def _link_successions(result: LoadResult) -> None:
    """Link every legacy unit in the database to its 2025 successors that are in it too."""
    links = unit_source.successions()
    ids = {
        (era, level, code): pk
        for era, level, code, pk in AdministrativeUnit.objects.values_list("era", "level", "code", "id")
    }
    wanted: dict[tuple[int, int], bool] = {}
    for link in links:
        old = ids.get((Era.LEGACY, link.old_level, link.old_code))
        new = ids.get((Era.CURRENT, link.new_level, link.new_code))
        if old and new:
            wanted[(old, new)] = link.is_primary
    existing = {(s.predecessor_id, s.successor_id): s for s in UnitSuccession.objects.all()}
    to_create, to_update = [], []
    for (old, new), is_primary in wanted.items():
        succession = existing.get((old, new))
        if succession is None:
            to_create.append(UnitSuccession(predecessor_id=old, successor_id=new, is_primary=is_primary))
        elif succession.is_primary != is_primary:
            succession.is_primary = is_primary
            to_update.append(succession)
    UnitSuccession.objects.bulk_create(to_create, batch_size=1000)
    UnitSuccession.objects.bulk_update(to_update, ["is_primary"], batch_size=1000)
    result.successions_created += len(to_create)
    result.successions_updated += len(to_update)


@transaction.atomic
def units_load(*, legacy: bool = False, province_codes: Iterable[str] | None = None) -> LoadResult:
    """Load the official list of units (the 2025 one, or the legacy one) from vietnamadminunits.

    Running it again changes nothing. ``province_codes`` narrows it to those provinces
    of that list. Legacy units are linked to their 2025 successors when both are
    loaded, whichever list came first.
    """
    source = unit_source.legacy_units() if legacy else unit_source.current_units()
    if province_codes is not None:
        wanted = set(province_codes)
        unknown = sorted(wanted - {row.province_code for row in source})
        if unknown:
            raise UnknownProvince(", ".join(unknown))
        source = [row for row in source if row.province_code in wanted]
    era = Era.LEGACY if legacy else Era.CURRENT
    result = LoadResult()
    parent_ids: dict[str, int] = {}
    for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        rows = [row for row in source if row.level == level]
        if rows:
            parent_ids = _upsert_level(era=era, level=level, rows=rows, parent_ids=parent_ids, result=result)
    _link_successions(result)
    return result


@transaction.atomic
def membership_grant(*, user: User, unit: AdministrativeUnit, role: str) -> Membership:
    """Give ``user`` a role in ``unit``, checking that the role fits the unit's level."""
    membership = Membership(user=user, unit=unit, role=role)
    membership.full_clean(validate_unique=False, validate_constraints=False)
    membership, _created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    administrator_admits(user=user)
    return membership


def administrator_admits(*, user: User) -> None:
    """Let ``user`` into the admin site once it holds the administrator role: administrators work
    there, and the site itself scopes them to their province."""
    if not user.is_staff and user.memberships.filter(role=Role.ADMINISTRATOR).exists():
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def offices_ensure(*, unit: AdministrativeUnit, names: Iterable[str]) -> list[Office]:
    """Create the offices ``names`` in ``unit`` where missing, in that order."""
    offices = []
    for position, name in enumerate(names, start=1):
        office, _created = Office.objects.update_or_create(
            unit=unit, name=name, defaults={"position": position}
        )
        offices.append(office)
    return offices
