"""A parsed Biểu 06 file set against the commune and period it is imported for: does the file say
it is theirs (``identity``), what would change against the figures already saved, and would it
stand beside month reports of a longer period. What the upload page's preview and
``import_dossiers`` both show before anything is saved.

The package's one module that reads the database, through ``dossiers.selectors`` (the province's
calendar, the month reports, the figures) and the unit's own relations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communes.models import AdministrativeUnit, Era, Level
from core import periods
from core.formatting import format_number
from dossiers.figures import COLUMNS, Figures
from dossiers.models import DossierLine, ProcedureField, ReportStatus
from dossiers.selectors import calendar_for, figures_for, import_catalogue, month_reports_in

from . import parse_bieu06
from .form import ImportResult
from .matching import Target, check_identity


@dataclass(frozen=True)
class Change:
    """One cell the import changes: its lĩnh vực, its column, the saved value and the file's."""

    field_name: str
    column: str
    saved: int
    new: int


@dataclass(frozen=True)
class BesideMonths:
    """Month reports already inside the longer period a file is imported for: its figures would be
    a second total beside theirs (the period is the sum of its months wherever there are some)."""

    unit_name: str
    period: periods.Period
    months: int
    approved: int
    months_resolved: int
    file_resolved: int

    @property
    def message(self) -> str:
        counted = ngettext(
            "%(unit)s đã có %(count)s báo cáo tháng trong %(period)s (%(approved)s đã duyệt)",
            "%(unit)s đã có %(count)s báo cáo tháng trong %(period)s (%(approved)s đã duyệt)",
            self.months,
        ) % {
            "unit": self.unit_name,
            "count": self.months,
            "period": self.period.label,
            "approved": self.approved,
        }
        return _(
            "%(counted)s; tổng số hồ sơ đã giải quyết của các tháng là %(months)s, trong tệp là %(file)s. "
            "Kỳ này được tính bằng tổng các tháng, nên số liệu của tệp sẽ là một báo cáo cả kỳ đứng bên "
            "cạnh các tháng: hai tổng cho cùng một kỳ, người xem phải chọn một."
        ) % {
            "counted": counted,
            "months": format_number(self.months_resolved),
            "file": format_number(self.file_resolved),
        }


@dataclass
class Review:
    """``result`` holds the file's rows and every problem, its identity's included; ``notes`` what
    is worth knowing but not wrong; ``changes`` the cells that change, ``saved`` whether the
    period has a report already; ``beside`` the month reports the import would stand beside."""

    result: ImportResult
    notes: list[str] = field(default_factory=list)
    saved: bool = False
    changes: list[Change] = field(default_factory=list)
    beside: BesideMonths | None = None

    @property
    def ok(self) -> bool:
        return self.result.ok


def review_import(
    data: bytes, *, unit: AdministrativeUnit, period: periods.Period, filename: str = ""
) -> Review:
    """Read ``data`` and set it against ``unit`` and ``period``: nothing is saved."""
    result = parse_bieu06(data, catalogue=import_catalogue(), filename=filename)
    review = Review(result)
    if result.identity is None:
        return review  # the file was refused as a whole: nothing to compare
    checked = check_identity(result.identity, target_of(unit, period))
    result.problems.extend(checked.problems)
    review.notes = checked.notes
    if not result.ok:
        return review
    lines = {row.field_id: row.figures for row in result.rows}
    review.saved, review.changes = changes_against_saved(unit=unit, period=period, lines=lines)
    review.beside = beside_months(unit=unit, period=period, lines=lines)
    return review


def target_of(unit: AdministrativeUnit, period: periods.Period) -> Target:
    """What ``identity.check_identity`` compares a file with, for a commune."""
    ancestors = []
    above = unit.parent
    while above is not None:
        ancestors.append(above)
        above = above.parent
    district = next((a.name for a in ancestors if a.level == Level.DISTRICT), None)
    province = next((a for a in ancestors if a.level == Level.PROVINCE), None)
    provinces = []
    if province is not None:
        provinces = [province.name, *province.predecessors.values_list("name", flat=True)]
    related = [
        *unit.predecessors.values_list("name", flat=True),
        *unit.successors.values_list("name", flat=True),
    ]
    return Target(
        name=unit.name,
        current_era=unit.era == Era.CURRENT,
        district=district,
        provinces=tuple(provinces),
        related=tuple(related),
        period=period,
        calendar=periods.Calendar(calendar_for(unit).calendar),
    )


def changes_against_saved(
    *, unit: AdministrativeUnit, period: periods.Period, lines: Mapping[int, Figures]
) -> tuple[bool, list[Change]]:
    """Whether the period has a report already, and every cell the import changes in it.

    The import replaces the report: a lĩnh vực saved but not in the file becomes 0.
    """
    saved_lines = DossierLine.objects.filter(
        report__unit=unit,
        report__period__kind=period.kind.value,
        report__period__year=period.year,
        report__period__number=period.number,
    )
    saved = {line.field_id: line.figures for line in saved_lines}
    exists = (
        bool(saved)
        or unit.dossier_reports.filter(
            period__kind=period.kind.value, period__year=period.year, period__number=period.number
        ).exists()
    )
    if not exists:
        return False, []
    order = list(lines) + [field_id for field_id in saved if field_id not in lines]
    names = dict(ProcedureField.objects.filter(pk__in=order).values_list("pk", "name"))
    changes = []
    for field_id in order:
        before, after = saved.get(field_id, Figures()), lines.get(field_id, Figures())
        for column in COLUMNS:
            old, new = getattr(before, column.name), getattr(after, column.name)
            if old != new:
                label = f"{column.group} – {column.label}"
                changes.append(Change(names.get(field_id, str(field_id)), label, old, new))
    return True, changes


def beside_months(
    *, unit: AdministrativeUnit, period: periods.Period, lines: Mapping[int, Figures]
) -> BesideMonths | None:
    """The month reports already inside a longer ``period``, or None (a month, or none there)."""
    months = month_reports_in(unit, period)
    if not months:
        return None
    composed = figures_for(unit=unit, period=period)
    file_total = sum(lines.values(), Figures())
    return BesideMonths(
        unit_name=unit.name,
        period=period,
        months=len(months),
        approved=sum(1 for report in months if report.status == ReportStatus.APPROVED),
        months_resolved=composed.months_total.resolved_total,
        file_resolved=file_total.resolved_total,
    )
