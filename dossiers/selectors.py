"""Reads of dossier figures: the entry page, due dates, history, unusual values."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.db.models.lookups import GreaterThan
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import (
    COMMUNE_ROLES,
    REFORM_DATE,
    AdministrativeUnit,
    Era,
    Level,
    Membership,
    Role,
    UnitSuccession,
    User,
)
from communes.selectors import province_of, roles_in
from core import periods

from .figures import COLUMN_NAMES, Figures
from .filters import STATUS_RANK, InboxFilter
from .models import (
    DossierChange,
    DossierLine,
    DossierReport,
    FiguresChoice,
    Period,
    ProcedureField,
    ReportingCalendar,
    ReportStatus,
)

# A figure more than this many times the largest of the last 12 months (and above the floor)
# is shown as a possible typing error: 1292 typed as 12920.
OUTLIER_FACTOR = 3
OUTLIER_FLOOR = 10


def calendar_for(unit: AdministrativeUnit) -> ReportingCalendar:
    """The province's calendar, or the regulatory one with 2 working days when none is set."""
    province = province_of(unit)
    setting = ReportingCalendar.objects.filter(province=province).first()
    return setting or ReportingCalendar(province=province)


def add_working_days(day: datetime.date, count: int) -> datetime.date:
    """``count`` working days (Monday to Friday) after ``day``. Public holidays are not counted out."""
    while count > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def due_date(period: periods.Period, setting: ReportingCalendar) -> datetime.date:
    return add_working_days(period.dates(periods.Calendar(setting.calendar))[1], setting.submit_within_days)


def parse_period_or_404(code: str) -> periods.Period:
    try:
        return periods.Period.parse(code)
    except periods.PeriodSyntaxError as error:
        raise Http404(str(error)) from error


@dataclass
class EntryPage:
    unit: AdministrativeUnit
    period: periods.Period
    report: DossierReport | None
    fields: list[ProcedureField]
    lines: dict[int, Figures]
    comments: dict[int, str]
    may_write: bool
    may_submit: bool
    date_from: datetime.date
    date_to: datetime.date
    due: datetime.date
    history: list[DossierChange] = field(default_factory=list)
    # The unit did not exist during the period (a 2025 commune's 2024, a dissolved one's 2026):
    # nothing is entered there.
    outside_life: bool = False

    @property
    def version(self) -> int:
        return self.report.version if self.report else 0

    @property
    def total(self) -> Figures:
        return sum(self.lines.values(), Figures())


def entry_page(*, user: User, unit: AdministrativeUnit, period: periods.Period) -> EntryPage:
    """What the entry grid of ``unit`` for ``period`` shows, in a fixed number of queries."""
    report = (
        DossierReport.objects.filter(
            unit=unit, period__kind=period.kind.value, period__year=period.year, period__number=period.number
        )
        .select_related("period", "submitted_by", "reviewed_by", "updated_by")
        .first()
    )
    lines = list(report.lines.all()) if report else []
    used = {line.field_id for line in lines}
    fields = list(ProcedureField.objects.filter(Q(is_active=True) | Q(pk__in=used)))
    roles = roles_in(user, unit)
    outside_life = not months_of_unit(unit, period)
    unlocked = (report is None or not report.is_locked) and not outside_life
    setting = calendar_for(unit)
    date_from, date_to = period.dates(periods.Calendar(setting.calendar))
    history = (
        list(report.changes.select_related("user", "field").order_by("-at", "-pk")[:50]) if report else []
    )
    return EntryPage(
        unit=unit,
        period=period,
        report=report,
        fields=fields,
        lines={line.field_id: line.figures for line in lines},
        comments={line.field_id: line.reviewer_comment for line in lines if line.reviewer_comment},
        may_write=unlocked and bool(roles & set(COMMUNE_ROLES)),
        may_submit=unlocked and Role.CHAIRMAN in roles,
        date_from=date_from,
        date_to=date_to,
        due=due_date(period, setting),
        history=history,
        outside_life=outside_life,
    )


def unusual_values(
    *, unit: AdministrativeUnit, period: periods.Period, lines: dict[int, Figures]
) -> dict[tuple[int, str], int]:
    """Cells far above the commune's last 12 months: (field id, column) → that largest value.

    Only months are compared with months; one query.
    """
    if period.kind != periods.Kind.MONTH:
        return {}
    previous = []
    year, month = period.year, period.number
    for _month in range(12):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        previous.append(Q(report__period__year=year, report__period__number=month))
    history = (
        DossierLine.objects.filter(report__unit=unit, report__period__kind=periods.Kind.MONTH.value)
        .filter(Q(*previous, _connector=Q.OR))
        .values("field_id")
        .annotate(**{column: Max(column) for column in COLUMN_NAMES})
    )
    flagged = {}
    for row in history:
        figures = lines.get(row["field_id"])
        if figures is None:
            continue
        for column in COLUMN_NAMES:
            usual = row[column] or 0
            value = getattr(figures, column)
            if value > OUTLIER_FLOOR and value > OUTLIER_FACTOR * usual:
                flagged[(row["field_id"], column)] = usual
    return flagged


def periods_of_year(year: int) -> list[periods.Period]:
    """Every period of ``year``: twelve months, four quarters, two halves, nine months, the year."""
    return [
        *(periods.Period(year, periods.Kind.MONTH, m) for m in range(1, 13)),
        *(periods.Period(year, periods.Kind.QUARTER, q) for q in range(1, 5)),
        *(periods.Period(year, periods.Kind.HALF, h) for h in (1, 2)),
        periods.Period(year, periods.Kind.NINE_MONTHS),
        periods.Period(year, periods.Kind.YEAR),
    ]


def years_of_unit(
    unit: AdministrativeUnit, *, today: datetime.date, lineage: Lineage | None = None
) -> list[int]:
    """The years a commune's list offers, newest first: from its first day (or its first report,
    or the first report of a predecessor that went whole into it) to its last day (or today)."""
    last = min(unit.valid_to, today) if unit.valid_to else today
    first_report = (
        DossierReport.objects.filter(
            unit_id__in=[unit.pk, *(p.pk for p in lineage.whole)] if lineage else [unit.pk]
        )
        .order_by("period__year")
        .values_list("period__year", flat=True)
    ).first()
    first = unit.valid_from.year if unit.valid_from else (first_report or last.year)
    if first_report is not None:
        first = min(first, first_report)
    return list(range(last.year, min(first, last.year) - 1, -1))


@dataclass
class CommuneList:
    """What a commune's list of reports shows for two years."""

    years: list[int]
    months: list[dict]
    longer: list[dict]
    # A 2025 commune's predecessors (its months before 1/7/2025 are theirs), else None.
    lineage: Lineage | None = None
    # The later of the two years shown (the one asked for, or the latest).
    shown_year: int = 0


def commune_list(unit: AdministrativeUnit, *, today: datetime.date, year: int | None = None) -> CommuneList:
    """The commune's months of ``year`` and the year before (by default its latest year: this
    one, or the last of a commune that ended), newest first, each with its report's status, its
    figures by the rule of ``_with_history``, its due date and whether it is late; and the quarters,
    halves, nine months and years of the same years that have figures, with where they come from,
    how many months are approved, waiting or missing, and any conflict between months and a
    whole-period report.

    Only the months of the unit's life that have begun are listed (a 2025 commune's months
    before 1/7/2025 are its predecessors' history, in its longer periods and its chart, never
    late); a month is late when it is not sent and its due date has passed. A fixed number of
    queries (the calendar, the predecessors, the reports of both years with theirs), whatever the
    date and the era.
    """
    months, longer = [], []
    setting = calendar_for(unit)
    # Asked for a legacy commune too, so that the list's queries are the same in both eras.
    lineage = lineages([unit]).get(unit.pk, Lineage())
    if unit.era != Era.CURRENT:
        lineage = None
    shown = _shown_years(unit, today=today, year=year)
    wanted = [period for year in shown for period in periods_of_year(year)]
    ids = [unit.pk, *(p.pk for p in lineage.units)] if lineage else [unit.pk]
    loaded = _load_reports(ids, wanted[0], wanted=wanted)
    for year in shown:
        for row in _year_rows(unit, year, setting, loaded, lineage, today=today):
            if row["period"].kind == periods.Kind.MONTH:
                months.append(row)
            elif row["figures"].source:
                longer.append(row)
    years = years_of_unit(unit, today=today, lineage=lineage)
    return CommuneList(years, months, longer, lineage, shown[0])


def _shown_years(unit: AdministrativeUnit, *, today: datetime.date, year: int | None) -> list[int]:
    last = min(unit.valid_to, today) if unit.valid_to else today
    year = min(year or last.year, last.year)
    return [year, year - 1]


def _year_rows(
    unit: AdministrativeUnit,
    year: int,
    setting: ReportingCalendar,
    reports: dict[int, dict[str, _Loaded]],
    lineage: Lineage | None,
    *,
    today: datetime.date,
) -> list[dict]:
    calendar = periods.Calendar(setting.calendar)
    wanted = periods_of_year(year)
    loaded = reports.get(unit.pk, {})
    # A month with no report of its own inside a period reported as a whole (a year taken from the
    # one-stop system) is not late: the whole-period report covers it.
    covered: dict[str, periods.Period] = {}
    for period in reversed(wanted):
        if period.kind != periods.Kind.MONTH and period.code in loaded:
            covered.update((month.code, period) for month in period.months())
    rows = []
    for period in wanted:
        if period.kind == periods.Kind.MONTH:
            if not month_in_life(unit, period) and period.code not in loaded:
                continue
            if period.dates(calendar)[0] > today:
                continue
        figures = _with_history(unit, reports, period, Basis.ALL, lineage)
        report = loaded.get(period.code)
        due = due_date(period, setting)
        sent = report is not None and report.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
        rows.append(
            {
                "period": period,
                "status": report.status if report else None,
                "status_label": ReportStatus(report.status).label if report else "",
                "figures": figures,
                "total": figures.total,
                "due": due,
                "covered_by": covered.get(period.code) if report is None else None,
                "overdue": period.kind == periods.Kind.MONTH
                and not sent
                and today > due
                and (report is not None or period.code not in covered),
            }
        )
    months = [row for row in rows if row["period"].kind == periods.Kind.MONTH]
    others = [row for row in rows if row["period"].kind != periods.Kind.MONTH]
    return [*reversed(months), *others]


def month_reports_in(unit: AdministrativeUnit, period: periods.Period) -> list[DossierReport]:
    """The commune's month reports inside a longer ``period``, in month order; one query.

    A quarter, half, nine months or year is the sum of these wherever there is one, so a report
    entered for the whole period would stand beside them (a conflict shown on the period page).
    """
    if period.kind == periods.Kind.MONTH:
        return []
    numbers = [month.number for month in period.months()]
    return list(
        DossierReport.objects.filter(
            unit=unit,
            period__kind=periods.Kind.MONTH.value,
            period__year=period.year,
            period__number__in=numbers,
        )
        .select_related("period")
        .order_by("period__number")
    )


def get_period(period: periods.Period) -> Period | None:
    return Period.objects.filter(kind=period.kind.value, year=period.year, number=period.number).first()


class Basis(StrEnum):
    """Which reports a figure counts. ``ALL``: every report, the unapproved ones marked where
    shown (the commune's own pages and documents). ``APPROVED``: approved reports only (what a
    reviewer reports upward: its summary document, its Biểu 06, the index's automatic rules)."""

    ALL = "all"
    APPROVED = "approved"


@dataclass
class MonthState:
    """One month of a longer period for one commune: its report's status (None: no report)
    and its figures."""

    period: periods.Period
    status: str | None
    total: Figures

    @property
    def approved(self) -> bool:
        return self.status == ReportStatus.APPROVED

    @property
    def ongoing(self) -> bool:
        """No report yet for a month that has not ended (by the calendar, the later of the two
        counts): nothing is missing yet."""
        return self.status is None and self.period.dates(periods.Calendar.CALENDAR)[1] >= timezone.localdate()


@dataclass
class DirectReport:
    """The report entered for a longer period as a whole (typed, or imported from a year's file)."""

    status: str
    choice: str
    lines: dict[int, Figures]

    @property
    def total(self) -> Figures:
        return sum(self.lines.values(), Figures())

    @property
    def status_label(self) -> str:
        return ReportStatus(self.status).label


@dataclass
class UnitFigures:
    """A unit's figures for a period, by lĩnh vực id, and where they came from.

    ``source`` is "direct" (a report for that very period), "months" (summed from its
    months), "predecessors" (a 2025 commune shown with the figures of the communes it
    continues), "communes" (a reviewer's unit: the sum of ``groups``) or None (nothing).

    For a longer period, ``months`` lists each of its months in the unit's life with its status,
    ``months_lines`` their sum, and ``direct`` the report entered for the whole period, if any.
    Both at once is a ``conflict``: the months count unless a user chose the whole-period report.
    """

    unit: AdministrativeUnit
    period: periods.Period
    lines: dict[int, Figures]
    source: str | None
    missing: list[periods.Period] = field(default_factory=list)
    units: list[AdministrativeUnit] = field(default_factory=list)
    groups: list[UnitFigures] = field(default_factory=list)
    basis: Basis = Basis.ALL
    months: list[MonthState] = field(default_factory=list)
    months_lines: dict[int, Figures] = field(default_factory=dict)
    direct: DirectReport | None = None
    # Counted reports that are not approved (Basis.ALL), or reports left out because they are
    # not approved (Basis.APPROVED): what a page marks beside the figures.
    unapproved: int = 0
    # The status of the report the figures are (a month's, or the whole-period report's).
    status: str | None = None
    # A 2025 commune's period that began before 1/7/2025 and ends after it (9 months, year
    # 2025): its predecessors' part (source "predecessors"), already counted in ``lines``.
    history: UnitFigures | None = None
    # Predecessors split between several 2025 communes, with their figures for the period:
    # shown as split, counted in no successor.
    split: list[UnitFigures] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return ReportStatus(self.status).label if self.status else ""

    @property
    def total(self) -> Figures:
        return sum(self.lines.values(), Figures())

    @property
    def months_total(self) -> Figures:
        return sum(self.months_lines.values(), Figures())

    @property
    def conflict(self) -> bool:
        return self.direct is not None and any(month.status for month in self.months)

    @property
    def approved_months(self) -> int:
        return sum(1 for month in self.months if month.approved)

    @property
    def waiting_months(self) -> int:
        return sum(1 for month in self.months if month.status and not month.approved)

    @property
    def missing_months(self) -> int:
        return sum(1 for month in self.months if month.status is None and not month.ongoing)

    @property
    def ongoing_months(self) -> int:
        return sum(1 for month in self.months if month.ongoing)


def months_of_unit(unit: AdministrativeUnit, period: periods.Period) -> list[periods.Period]:
    """The months of ``period`` in the unit's life: a commune that ended on 30/6/2025 has no
    July, one that began on 1/7/2025 no June (calendar months, whatever the province counts)."""
    return [month for month in period.months() if month_in_life(unit, month)]


def month_in_life(unit: AdministrativeUnit, month: periods.Period) -> bool:
    first, last = month.dates(periods.Calendar.CALENDAR)
    return (unit.valid_to is None or first <= unit.valid_to) and (
        unit.valid_from is None or last >= unit.valid_from
    )


def _period_q(period: periods.Period, prefix: str = "report__") -> Q:
    return Q(
        **{
            f"{prefix}period__kind": period.kind.value,
            f"{prefix}period__year": period.year,
            f"{prefix}period__number": period.number,
        }
    )


@dataclass
class _Loaded:
    status: str
    choice: str
    lines: dict[int, Figures]


def _load_reports(
    unit_ids: list[int], period: periods.Period, *, wanted: list[periods.Period] | None = None
) -> dict[int, dict[str, _Loaded]]:
    """unit id → period code → report (status, choice, lines), for the period and its months
    (or the ``wanted`` periods); one query (a report with no line is there too, with no lines)."""
    if wanted is None:
        wanted = [period] if period.kind == periods.Kind.MONTH else [period, *period.months()]
    rows = (
        DossierReport.objects.filter(unit_id__in=unit_ids)
        .filter(Q(*[_period_q(p, "") for p in wanted], _connector=Q.OR))
        .values(
            "unit_id",
            "period__kind",
            "period__year",
            "period__number",
            "status",
            "figures_choice",
            "lines__field_id",
            *[f"lines__{column}" for column in COLUMN_NAMES],
        )
    )
    loaded: dict[int, dict[str, _Loaded]] = {}
    for row in rows:
        code = periods.Period(
            row["period__year"], periods.Kind(row["period__kind"]), row["period__number"]
        ).code
        report = loaded.setdefault(row["unit_id"], {}).setdefault(
            code, _Loaded(row["status"], row["figures_choice"], {})
        )
        if row["lines__field_id"] is not None:
            report.lines[row["lines__field_id"]] = Figures(
                *(row[f"lines__{column}"] for column in COLUMN_NAMES)
            )
    return loaded


def _summed(months: list[dict[int, Figures]]) -> dict[int, Figures]:
    """Months added up: every figure summed, except "từ kỳ trước" (from the first month) and
    "đang giải quyết" (from the last)."""
    lines = _sum_lines(months)
    if not months:
        return lines
    first, last = months[0], months[-1]
    for field_id, figures in lines.items():
        opening, closing = first.get(field_id, Figures()), last.get(field_id, Figures())
        lines[field_id] = figures.replace(
            carried_over=opening.carried_over,
            pending_in_time=closing.pending_in_time,
            pending_overdue=closing.pending_overdue,
        )
    return lines


def _counts(status: str, basis: Basis) -> bool:
    return basis == Basis.ALL or status == ReportStatus.APPROVED


def _compose(
    unit: AdministrativeUnit, reports: dict[str, _Loaded], period: periods.Period, basis: Basis
) -> UnitFigures:
    """The rule, in one place: a month is its report; a longer period is the sum of its months
    wherever the commune has a month report in it, else the report entered for the whole period;
    when both exist the months count unless a user chose the whole-period report. With
    ``Basis.APPROVED`` only approved reports are counted."""
    result = UnitFigures(unit, period, {}, None, basis=basis)
    if period.kind == periods.Kind.MONTH:
        report = reports.get(period.code)
        if report is not None:
            _take(result, report, basis)
        return result
    direct = reports.get(period.code)
    if direct is not None:
        result.direct = DirectReport(direct.status, direct.choice, direct.lines)
    in_months = months_of_unit(unit, period)
    present = [month for month in period.months() if month.code in reports]
    for month in sorted({*in_months, *present}, key=lambda m: m.number):
        report = reports.get(month.code)
        if report is None:
            result.months.append(MonthState(month, None, Figures()))
        else:
            result.months.append(MonthState(month, report.status, sum(report.lines.values(), Figures())))
    counted = [reports[month.code] for month in present if _counts(reports[month.code].status, basis)]
    result.months_lines = _summed([report.lines for report in counted])
    if present and not (direct is not None and direct.choice == FiguresChoice.DIRECT):
        result.source = "months"
        result.lines = result.months_lines
        result.unapproved = sum(1 for month in present if reports[month.code].status != ReportStatus.APPROVED)
        result.missing = [month for month in in_months if month.code not in reports]
    elif direct is not None:
        _take(result, direct, basis)
    return result


def _take(result: UnitFigures, report: _Loaded, basis: Basis) -> None:
    """``result`` is the figures of this one report (its lines if ``basis`` counts it)."""
    result.source, result.status = "direct", report.status
    if _counts(report.status, basis):
        result.lines = report.lines
    result.unapproved = int(report.status != ReportStatus.APPROVED)


def _sum_lines(many: list[dict[int, Figures]]) -> dict[int, Figures]:
    total: dict[int, Figures] = {}
    for lines in many:
        for field_id, figures in lines.items():
            total[field_id] = total.get(field_id, Figures()) + figures
    return total


@dataclass
class Lineage:
    """The communes a 2025 commune continues. ``whole``: those that went into it whole (their
    figures are its history, summed). ``split``: those divided between it and other communes
    (their figures stay theirs: never divided by invention, never given whole to one successor)."""

    whole: list[AdministrativeUnit] = field(default_factory=list)
    split: list[AdministrativeUnit] = field(default_factory=list)

    @property
    def units(self) -> list[AdministrativeUnit]:
        return [*self.whole, *self.split]


def _split_elsewhere():
    """A succession row whose predecessor also continues in another unit (in SQL)."""
    return Exists(
        UnitSuccession.objects.filter(predecessor=OuterRef("predecessor_id")).exclude(
            successor=OuterRef("successor_id")
        )
    )


def lineages(successors) -> dict[int, Lineage]:
    """Successor id → its ``Lineage``, for 2025 communes (a list or a queryset); one query.

    The package's mapping (``UnitSuccession``) has one row per old commune and new one: an old
    commune with a single row went whole into its successor; one with several was split.
    """
    rows = (
        UnitSuccession.objects.filter(successor__in=successors, predecessor__level=Level.COMMUNE)
        .annotate(is_split=_split_elsewhere())
        .select_related("predecessor")
        .order_by("predecessor__name", "predecessor_id")
    )
    found: dict[int, Lineage] = {}
    for row in rows:
        lineage = found.setdefault(row.successor_id, Lineage())
        (lineage.split if row.is_split else lineage.whole).append(row.predecessor)
    return found


def whole_predecessors(successor):
    """The ids of the communes that went whole into ``successor`` (a unit or an ``OuterRef``),
    as a subquery: ``Lineage.whole`` in SQL."""
    return (
        UnitSuccession.objects.filter(successor=successor, predecessor__level=Level.COMMUNE)
        .exclude(_split_elsewhere())
        .values("predecessor_id")
    )


def reaches_back(period: periods.Period) -> bool:
    """Whether ``period`` has calendar months before 1/7/2025: a 2025 commune's figures for
    them are its predecessors'."""
    return period.dates(periods.Calendar.CALENDAR)[0] < REFORM_DATE


def _counted(result: UnitFigures) -> bool:
    """Whether ``result`` counts at least one report (a report with no line counts too)."""
    if result.source == "months":
        return any(month.status and _counts(month.status, result.basis) for month in result.months)
    if result.source == "direct":
        return _counts(result.status, result.basis)
    if result.source == "predecessors":
        return any(_counted(group) for group in result.groups)
    return False


def _joined(first: UnitFigures, then: UnitFigures) -> dict[int, Figures]:
    """Two consecutive parts of a period added up (the predecessors' months, then the
    commune's): every figure summed, "từ kỳ trước" from the first part that counts a report,
    "đang giải quyết" from the last (as ``_summed`` does with months)."""
    return _summed([part.lines for part in (first, then) if _counted(part)])


def _with_history(
    unit: AdministrativeUnit,
    loaded: dict[int, dict[str, _Loaded]],
    period: periods.Period,
    basis: Basis,
    lineage: Lineage | None,
) -> UnitFigures:
    """``_compose`` for a commune, and for a 2025 commune with the months of ``period`` before
    1/7/2025 taken from its predecessors: those that went whole into it, each by the same rule,
    summed ("predecessors"). A period wholly before the reform is theirs; one across it (nine
    months, year 2025) is their part (``history``) then the commune's own, joined as months are.
    Predecessors split between several communes are listed in ``split``, counted nowhere."""
    own = _compose(unit, loaded.get(unit.pk, {}), period, basis)
    if lineage is None or not reaches_back(period):
        return own
    composed = [_compose(p, loaded.get(p.pk, {}), period, basis) for p in lineage.split]
    own.split = [c for c in composed if c.source]
    composed = [
        c for c in (_compose(p, loaded.get(p.pk, {}), period, basis) for p in lineage.whole) if c.source
    ]
    if not composed:
        return own
    history = UnitFigures(
        unit,
        period,
        _sum_lines([c.lines for c in composed]),
        "predecessors",
        units=[c.unit for c in composed],
        groups=composed,
        basis=basis,
        unapproved=sum(c.unapproved for c in composed),
    )
    own.lines = _joined(history, own)
    own.unapproved += history.unapproved
    if own.months or own.source:  # the period runs on after the reform: the commune's part too
        own.history = history
    if own.source is None:
        own.source, own.units, own.groups = "predecessors", history.units, history.groups
    return own


def figures_for(*, unit: AdministrativeUnit, period: periods.Period, basis: Basis = Basis.ALL) -> UnitFigures:
    """The figures of a commune, or of every commune under a reviewer's unit, for ``period``,
    by the one rule of ``_compose`` (with ``_with_history`` for a 2025 commune's months before
    the reform). Every page, export, document and index rule reads them here (the overview's SQL
    in ``overview_queryset`` follows the same rule, and a test holds them equal). A fixed number
    of queries whatever the number of communes.
    """
    history = unit.era == Era.CURRENT and reaches_back(period)
    if unit.level == Level.COMMUNE:
        lineage = lineages([unit]).get(unit.pk, Lineage()) if history else None
        ids = [unit.pk, *(p.pk for p in lineage.units)] if lineage else [unit.pk]
        return _with_history(unit, _load_reports(ids, period), period, basis, lineage)

    communes = list(communes_for_period(unit, period).order_by("name"))
    found = lineages(communes) if history else {}
    ids = [c.pk for c in communes] + [p.pk for lineage in found.values() for p in lineage.units]
    loaded = _load_reports(ids, period)
    groups = [
        _with_history(commune, loaded, period, basis, found.get(commune.pk, Lineage()) if history else None)
        for commune in communes
    ]
    return UnitFigures(
        unit,
        period,
        _sum_lines([g.lines for g in groups]),
        "communes",
        groups=groups,
        basis=basis,
        unapproved=sum(g.unapproved for g in groups),
    )


def default_basis(unit: AdministrativeUnit) -> Basis:
    """What a unit's own Biểu 06 counts unless asked otherwise: a commune, every report of its
    own; a reviewer's unit, what it reports upward (approved reports only)."""
    return Basis.ALL if unit.level == Level.COMMUNE else Basis.APPROVED


def bieu06_file(
    *, unit: AdministrativeUnit, period: periods.Period, fmt: str, basis: Basis | None = None
) -> tuple[str, bytes, str]:
    """Biểu 06 of a commune (or of every commune under a reviewer's unit) as a file:
    (file name, bytes, content type). ``fmt`` is "xlsx" or "csv"; ``basis`` by default
    ``default_basis(unit)``."""
    from .exports import ExportGroup, ExportRow, bieu06_csv, bieu06_xlsx

    result = figures_for(unit=unit, period=period, basis=basis or default_basis(unit))
    names = dict(ProcedureField.objects.values_list("pk", "name"))
    order = {pk: position for position, pk in enumerate(ProcedureField.objects.values_list("pk", flat=True))}

    def rows(lines: dict[int, Figures]) -> list[ExportRow]:
        return [ExportRow(names[pk], lines[pk]) for pk in sorted(lines, key=order.__getitem__)]

    members = result.groups if result.source == "communes" else [result]
    groups = [ExportGroup(member.unit.name, rows(member.lines)) for member in members]
    stem = f"bieu06-{unit.code}-{period.code}"
    if fmt == "csv":
        return f"{stem}.csv", bieu06_csv(groups=groups), "text/csv; charset=utf-8"
    setting = calendar_for(unit)
    date_from, date_to = period.dates(periods.Calendar(setting.calendar))
    data = bieu06_xlsx(
        issuer=_("UBND %(unit)s") % {"unit": unit.name.upper()},
        unit_name=unit.name,
        period_label=period.label,
        date_from=date_from,
        date_to=date_to,
        groups=groups,
    )
    return f"{stem}.xlsx", data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# The overview's figures, summed in the database for a whole list of communes at once.
OVERVIEW_SUMS = (
    "received_online",
    "received_in_person",
    "received_postal",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_overdue",
    "apology_letters",
    "online_payments",
    "dossiers_with_fees",
)


def overview_queryset(
    *,
    communes,
    period: periods.Period,
    basis: Basis = Basis.ALL,
    with_approved: bool = False,
    history: bool = False,
):
    """``communes`` annotated with their figures for ``period``, by the rule of ``_compose``
    written in SQL (a month is its report; a longer period the sum of its months wherever the
    commune has one, "đang giải quyết" from the last of them, else the whole-period report, or
    that report when a user chose it), the rates, and the status.

    ``history`` (2025 communes, a period with months before 1/7/2025): the figures of the
    predecessors that went whole into each are added by the same rule, as ``_with_history``
    does ("đang giải quyết" from the commune's own reports when it counts one, else from theirs),
    and ``split_history`` says whether a predecessor split between several communes has a report
    in the period (counted in none of them), ``history_reported`` whether one that went whole
    into it has.

    ``status`` is the report's for a month or a whole-period report; for summed months it is
    "approved" when every month of the period is, "submitted" when every one is sent, "returned"
    when one is returned, else "draft". ``months_reported`` and ``months_approved`` count them.

    ``with_approved`` adds ``approved_<figure>`` beside each figure (with ``Basis.ALL``).

    One query however many communes (with ``history``, one more per basis beforehand: the
    predecessors' sums); filters and ordering on the annotations run in SQL.
    """
    # The period's own id and its months' ids, looked up once, so that the join below takes only
    # those reports instead of every report of every commune.
    wanted = [period] if period.kind == periods.Kind.MONTH else [period, *period.months()]
    ids = {
        (row.kind, row.year, row.number): row.pk
        for row in Period.objects.filter(Q(*[_period_row_q(p) for p in wanted], _connector=Q.OR))
    }
    direct_id = ids.get((period.kind.value, period.year, period.number))
    month_key = periods.Kind.MONTH.value
    month_ids = [
        ids[(month_key, m.year, m.number)] for m in period.months() if (month_key, m.year, m.number) in ids
    ]
    if period.kind == periods.Kind.MONTH:
        month_ids = []
    queryset = communes.alias(
        period_reports=FilteredRelation(
            "dossier_reports", condition=Q(dossier_reports__period_id__in=[*ids.values()] or [0])
        )
    )
    direct = Q(period_reports__period_id=direct_id)
    months = Q(period_reports__period_id__in=month_ids or [0])
    queryset = queryset.annotate(
        months_reported=_months_with(month_ids, Q()),
        direct_chosen=Count(
            "period_reports", filter=direct & Q(period_reports__figures_choice=FiguresChoice.DIRECT)
        ),
    )
    use_months = Q(months_reported__gt=0, direct_chosen=0)
    history = history and reaches_back(period)
    annotations = _overview_sums(period, basis, direct, months, use_months, month_ids)
    if history:
        annotations = _history_added(annotations, communes, period, basis, direct, months, use_months, ids)
    if with_approved and basis == Basis.ALL:
        # The approved figures beside, in the same query: what the reviewer reports upward.
        approved = _overview_sums(period, Basis.APPROVED, direct, months, use_months, month_ids)
        if history:
            approved = _history_added(
                approved, communes, period, Basis.APPROVED, direct, months, use_months, ids
            )
        annotations.update({f"approved_{name}": value for name, value in approved.items()})
    if history:
        annotations["split_history"] = _predecessor_reported([*ids.values()], split=True)
        annotations["history_reported"] = _predecessor_reported([*ids.values()], split=False)
    if period.kind != periods.Kind.MONTH:
        sent = [ReportStatus.SUBMITTED, ReportStatus.APPROVED]
        annotations["months_approved"] = _months_with(
            month_ids, Q(period_reports__status=ReportStatus.APPROVED)
        )
        annotations["months_sent"] = _months_with(month_ids, Q(period_reports__status__in=sent))
        annotations["months_returned"] = _months_with(
            month_ids, Q(period_reports__status=ReportStatus.RETURNED)
        )
    direct_report = DossierReport.objects.filter(unit=OuterRef("pk"), period_id=direct_id)
    queryset = queryset.annotate(**annotations)
    report_status = Subquery(direct_report.values("status")[:1])
    if period.kind != periods.Kind.MONTH:
        queryset = queryset.annotate(months_expected=_months_in_life(period))
        report_status = Case(
            When(
                use_months & Q(months_approved__gte=F("months_expected")),
                then=Value(ReportStatus.APPROVED.value),
            ),
            When(
                use_months & Q(months_sent__gte=F("months_expected")),
                then=Value(ReportStatus.SUBMITTED.value),
            ),
            When(use_months & Q(months_returned__gt=0), then=Value(ReportStatus.RETURNED.value)),
            When(use_months, then=Value(ReportStatus.DRAFT.value)),
            default=report_status,
        )
    percent = Value(100.0)
    queryset = queryset.annotate(
        received_new=F("received_online") + F("received_in_person") + F("received_postal"),
        resolved=F("resolved_early") + F("resolved_on_time") + F("resolved_late"),
        late=F("resolved_late") + F("pending_overdue"),
    ).annotate(
        online_rate=ExpressionWrapper(
            percent * F("received_online") / NullIf(F("received_new"), 0), FloatField()
        ),
        on_time_rate=ExpressionWrapper(
            percent * (F("resolved_early") + F("resolved_on_time")) / NullIf(F("resolved"), 0), FloatField()
        ),
        payment_rate=ExpressionWrapper(
            percent * F("online_payments") / NullIf(F("dossiers_with_fees"), 0), FloatField()
        ),
        status=report_status,
        report_id=Subquery(direct_report.values("pk")[:1]),
    )
    # No select_related("parent"): grouping by the parent's columns made the whole country 10 times slower.
    return queryset


def _overview_sums(period, basis: Basis, direct: Q, months: Q, use_months: Q, month_ids: list[int]) -> dict:
    """The summed figures of ``overview_queryset``, counting the reports ``basis`` counts."""
    counted = Q() if basis == Basis.ALL else Q(period_reports__status=ReportStatus.APPROVED)
    sums = {}
    for name in OVERVIEW_SUMS:
        column = f"period_reports__lines__{name}"
        from_direct = Coalesce(Sum(column, filter=direct & counted), 0)
        if period.kind == periods.Kind.MONTH:
            sums[name] = from_direct
        elif name == "pending_overdue":  # from the last month counted
            sums[name] = Case(
                When(use_months, then=_last_month_sum(column, month_ids, counted)),
                default=from_direct,
                output_field=IntegerField(),
            )
        else:
            sums[name] = Case(
                When(use_months, then=Coalesce(Sum(column, filter=months & counted), 0)),
                default=from_direct,
                output_field=IntegerField(),
            )
    return sums


def _history_added(
    sums: dict, communes, period, basis: Basis, direct: Q, months: Q, use_months: Q, ids: dict
) -> dict:
    """``sums`` (a 2025 commune's own, from ``_overview_sums``) with the figures of the
    predecessors that went whole into it added, by the rule of ``_with_history``: each
    predecessor's reports counted as ``_compose`` counts them. The predecessors' sums are read
    first, in one query grouped by successor (each report's rule checked once), and given to the
    communes' query as a value looked up by the commune's id: a subquery per figure and commune
    made a 150 KB statement that took most of a second (docs/performance.md)."""
    counted = Q() if basis == Basis.ALL else Q(period_reports__status=ReportStatus.APPROVED)
    own_counted = (use_months & Q(GreaterThan(Count("period_reports", filter=months & counted), 0))) | (
        ~use_months & Q(GreaterThan(Count("period_reports", filter=direct & counted), 0))
    )
    theirs = _predecessor_sums(communes, period, basis, ids, list(sums))
    added = {}
    for name, own in sums.items():
        value = _ById(theirs[name]) if theirs[name] else Value(0)
        if name == "pending_overdue":
            added[name] = Case(When(own_counted, then=own), default=value, output_field=IntegerField())
        else:
            added[name] = ExpressionWrapper(own + value, output_field=IntegerField())
    return added


def _predecessor_sums(
    communes, period, basis: Basis, ids: dict, names: list[str]
) -> dict[str, dict[int, int]]:
    """figure → successor id → the sum of that figure over the reports of its whole predecessors
    that count for ``period`` ("đang giải quyết" from the last one counted). One query."""
    direct_id = ids.get((period.kind.value, period.year, period.number)) or 0
    month_key = periods.Kind.MONTH.value
    month_ids = [
        ids[(month_key, m.year, m.number)] for m in period.months() if (month_key, m.year, m.number) in ids
    ]
    if period.kind == periods.Kind.MONTH:
        month_ids = []
    used, last = _predecessor_reports_used(basis, direct_id, month_ids or [0])
    # Only the predecessors that went whole into one of the communes (a split one counts in none).
    whole = (
        UnitSuccession.objects.filter(successor__in=communes, predecessor__level=Level.COMMUNE)
        .exclude(_split_elsewhere())
        .values("predecessor_id")
    )
    reports = DossierReport.objects.filter(unit_id__in=whole, period_id__in=[*ids.values()] or [0])
    successor = "report__unit__successions_as_predecessor__successor_id"
    rows = (
        DossierLine.objects.filter(report__in=reports.filter(used).values("pk"))
        .values(successor)
        .annotate(
            **{
                name: Sum(name, filter=Q(report__in=reports.filter(last).values("pk")))
                if name == "pending_overdue"
                else Sum(name)
                for name in names
            }
        )
        .order_by()
    )
    sums: dict[str, dict[int, int]] = {name: {} for name in names}
    for row in rows:
        for name in names:
            if row[name]:
                sums[name][row[successor]] = row[name]
    return sums


class _ById(Func):
    """A value per commune given as a JSON object keyed by the commune's id (0 when absent),
    looked up in SQL, so that the overview's filters and ordering still run on it there."""

    output_field = IntegerField()

    def __init__(self, values: dict[int, int]):
        super().__init__(F("pk"))
        self.payload = json.dumps({str(key): value for key, value in values.items()})

    def as_sql(self, compiler, connection, **extra):
        key, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            sql = f"COALESCE((%s::jsonb ->> ({key})::text)::integer, 0)"
        else:
            sql = f"COALESCE(CAST(json_extract(%s, '$.\"' || ({key}) || '\"') AS INTEGER), 0)"
        return sql, [self.payload, *params]

    def get_group_by_cols(self):
        return []  # the commune's id is grouped by already


class _UngroupedExists(Exists):
    """``Exists`` correlated on the commune's id only: left out of the GROUP BY (where it would
    be computed once more for every joined row), as the SQL standard allows."""

    def get_group_by_cols(self):
        return []


def _predecessor_reports_used(basis: Basis, direct_id: int, month_ids: list[int]) -> tuple[Q, Q]:
    """On a predecessor's reports: whether one is counted by the rule of ``_compose`` (its
    months, unless its whole-period report was chosen; that report when it has no month or was
    chosen; approved only with ``Basis.APPROVED``), and whether it is also the one "đang giải
    quyết" comes from (the last month counted, or that report)."""

    def same_unit(**conditions):
        return DossierReport.objects.filter(unit_id=OuterRef("unit_id"), **conditions)

    counted = Q() if basis == Basis.ALL else Q(status=ReportStatus.APPROVED)
    is_direct = Q(period_id=direct_id)
    is_month = Q(period_id__in=month_ids)
    later = same_unit(period_id__in=month_ids, period__number__gt=OuterRef("period__number"))
    if basis == Basis.APPROVED:
        later = later.filter(status=ReportStatus.APPROVED)
    if not direct_id:  # no report can be of the period itself: its months only, no choice
        return counted & is_month, counted & is_month & ~Q(Exists(later))
    chose_direct = Q(Exists(same_unit(period_id=direct_id, figures_choice=FiguresChoice.DIRECT)))
    has_months = Q(Exists(same_unit(period_id__in=month_ids)))
    used = counted & (
        (is_month & ~chose_direct) | (is_direct & (~has_months | Q(figures_choice=FiguresChoice.DIRECT)))
    )
    return used, used & (is_direct | ~Q(Exists(later)))


def _predecessor_reported(period_ids: list[int], *, split: bool):
    """Whether a predecessor of the commune that was split between several (``split``), or one
    that went whole into it, has a report in ``period_ids``, in SQL. A split one's figures are
    counted in none of its successors; a commune with no whole one reporting has an empty
    history for the period, not a zero one."""
    rows = UnitSuccession.objects.filter(successor=OuterRef("pk"), predecessor__level=Level.COMMUNE)
    rows = rows.filter(_split_elsewhere()) if split else rows.exclude(_split_elsewhere())
    reported = DossierReport.objects.filter(
        unit_id=OuterRef("predecessor_id"), period_id__in=period_ids or [0]
    )
    return _UngroupedExists(rows.filter(Exists(reported)))


def _months_in_life(period: periods.Period):
    """How many months of ``period`` fall in the unit's life, in SQL: ``months_of_unit``."""
    counts = []
    for month in period.months():
        first, last = month.dates(periods.Calendar.CALENDAR)
        alive = (Q(valid_to__isnull=True) | Q(valid_to__gte=first)) & (
            Q(valid_from__isnull=True) | Q(valid_from__lte=last)
        )
        counts.append(Case(When(alive, then=Value(1)), default=Value(0)))
    total = counts[0]
    for count in counts[1:]:
        total = total + count
    return ExpressionWrapper(total, output_field=IntegerField())


def _months_with(month_ids: list[int], condition: Q):
    """How many of ``month_ids`` the commune has a report for that meets ``condition``, as
    aggregates of the one join (a COUNT DISTINCT per commune was the slow part)."""
    total = Value(0)
    for month_id in month_ids:
        has = GreaterThan(
            Count("period_reports", filter=Q(period_reports__period_id=month_id) & condition), 0
        )
        total = total + Case(When(has, then=Value(1)), default=Value(0))
    return ExpressionWrapper(total, output_field=IntegerField())


def _last_month_sum(column: str, month_ids: list[int], counted: Q):
    """``column`` summed over the lines of the commune's last counted month among ``month_ids``
    (given in month order), as aggregates of the one join: no subquery per commune."""
    last = Value(0)
    for month_id in month_ids:  # each later month with a counted report replaces the earlier
        this = Q(period_reports__period_id=month_id) & counted
        last = Case(
            When(
                GreaterThan(Count("period_reports", filter=this), 0),
                then=Coalesce(Sum(column, filter=this), 0),
            ),
            default=last,
            output_field=IntegerField(),
        )
    return last


def _period_row_q(period: periods.Period) -> Q:
    return Q(kind=period.kind.value, year=period.year, number=period.number)


def communes_under(unit: AdministrativeUnit):
    """The communes of a reviewer's unit (a district's, or a 2025 province's)."""
    return AdministrativeUnit.objects.communes().filter(Q(parent=unit) | Q(parent__parent=unit))


def latest_due_month(setting: ReportingCalendar, *, today: datetime.date) -> periods.Period:
    """The latest month whose report was due before ``today``."""
    year, month = today.year, today.month
    while True:
        period = periods.Period(year, periods.Kind.MONTH, month)
        if due_date(period, setting) < today:
            return period
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)


def default_period(communes, setting: ReportingCalendar, *, today: datetime.date) -> periods.Period:
    """The month a reviewer's overview or inbox opens on: the latest month already due, or, when
    none of ``communes`` lives any more (a district dissolved in 2025), their latest month with a
    report (else the last month of their life). One or two queries."""
    current = latest_due_month(setting, today=today)
    first, _last = current.dates(periods.Calendar.CALENDAR)
    if communes.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first)).exists():
        return current
    latest = (
        DossierReport.objects.filter(unit__in=communes, period__kind=periods.Kind.MONTH.value)
        .order_by("-period__year", "-period__number")
        .values_list("period__year", "period__number")
        .first()
    )
    if latest is not None:
        return periods.Period(latest[0], periods.Kind.MONTH, latest[1])
    ended = communes.aggregate(last=Max("valid_to"))["last"]
    return periods.Period(ended.year, periods.Kind.MONTH, ended.month) if ended else current


def communes_for_period(unit: AdministrativeUnit, period: periods.Period):
    """The communes a reviewer's unit sums for ``period``: those under it that lived in the
    period; for a 2025 unit and a period that ended before the reform, its communes of 1/7/2025,
    each shown with its predecessors' figures (``_with_history``)."""
    communes = communes_under(unit)
    if unit.era == Era.CURRENT and period.dates(periods.Calendar.CALENDAR)[1] < REFORM_DATE:
        return communes.valid_on(REFORM_DATE)
    return living_in(communes, period)


def living_in(communes, period: periods.Period):
    """``communes`` that lived during ``period`` (calendar months, as ``month_in_life``)."""
    first, last = period.dates(periods.Calendar.CALENDAR)
    return communes.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first)).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=last)
    )


@dataclass
class Waiting:
    """Reports sent and waiting for the reviewer in a period other than the inbox's own: how many,
    and, for a period longer than a month (reviewed on its report's page, not in the inbox), which."""

    period: periods.Period
    count: int = 0
    reports: list[tuple[int, str]] = field(default_factory=list)  # (commune pk, commune name)


@dataclass
class Inbox:
    """The reviewer's inbox for one month: the communes that lived in it, each with the month's
    report (``inbox_queryset``), filtered and sorted; counts of the whole month by status; and
    the reports waiting in other periods. ``period`` None: the user reviews no commune."""

    period: periods.Period | None
    rows: list[AdministrativeUnit] = field(default_factory=list)
    filter: InboxFilter | None = None
    counts: dict[str, int] = field(default_factory=dict)
    due: datetime.date | None = None
    is_due: bool = False
    elsewhere: list[Waiting] = field(default_factory=list)
    several_parents: bool = False

    @property
    def waiting_elsewhere(self) -> int:
        return sum(waiting.count for waiting in self.elsewhere)


@dataclass
class InboxScope:
    """Whom and when an inbox page is about: the communes the user reviews that lived in the
    month, the month's row id (None: no report of that month exists anywhere) and due date."""

    reviewed: list[int]  # the ids of every commune the user reviews
    communes: object  # QuerySet[AdministrativeUnit]: those that lived in the month
    period: periods.Period
    period_id: int | None
    due: datetime.date
    today: datetime.date

    @property
    def is_due(self) -> bool:
        return self.due < self.today

    @property
    def due_end(self) -> datetime.datetime:
        """The first moment after the due date, in the portal's time zone: sent before it is on time."""
        day = self.due + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime(day.year, day.month, day.day))


def inbox_scope(*, user: User, period: periods.Period | None, today: datetime.date) -> InboxScope | None:
    """The month an inbox page shows and the communes in it; None when ``user`` reviews no commune.

    ``period`` None: the latest month already due (``default_period``), or, for a province younger
    than that month (Gia Lai on 8/7/2025), its first month. A period asked for is refused with a
    404 saying why when it is not a month (the inbox is of monthly reports; longer periods are
    summed from them), has not begun, or is one in which none of the user's communes lived (a 2025
    province's months before the reform: its predecessors' reports were their district's to review).
    Four queries (five for the default month): the first commune, the calendar, the ids and dates
    of every commune reviewed (read once, so that the later queries look communes up by id rather
    than through the OR of ``units_reviewed_by``), the month's row."""
    from communes.selectors import units_reviewed_by

    reviewed = units_reviewed_by(user)
    first = reviewed.select_related("parent__parent").first()
    if first is None:
        return None
    setting = calendar_for(first)
    lives = list(reviewed.values_list("pk", "valid_from", "valid_to"))

    def alive(month: periods.Period) -> list[int]:  # as ``living_in``
        start, end = month.dates(periods.Calendar.CALENDAR)
        return [
            pk
            for pk, born, ended in lives
            if (ended is None or ended >= start) and (born is None or born <= end)
        ]

    if period is None:
        every = AdministrativeUnit.objects.filter(pk__in=[pk for pk, *_rest in lives])
        period = default_period(every, setting, today=today)
        if not alive(period):
            last_day = period.dates(periods.Calendar.CALENDAR)[1]
            later = [born for _pk, born, _ended in lives if born and born > last_day]
            if later:
                period = periods.Period(min(later).year, periods.Kind.MONTH, min(later).month)
    else:
        if period.kind != periods.Kind.MONTH:
            raise Http404(
                _("Hộp thư thẩm định xem theo tháng: hãy chọn một tháng (kỳ dài hơn được cộng từ các tháng).")
            )
        if period.dates(periods.Calendar(setting.calendar))[0] > today:
            raise Http404(_("%(period)s chưa bắt đầu.") % {"period": period.label.capitalize()})
        if not alive(period):
            raise Http404(
                _("Không xã, phường nào bạn thẩm định tồn tại trong %(period)s.") % {"period": period.label}
            )
    row = get_period(period)
    return InboxScope(
        reviewed=[pk for pk, *_rest in lives],
        communes=AdministrativeUnit.objects.filter(pk__in=alive(period)),
        period=period,
        period_id=row.pk if row else None,
        due=due_date(period, setting),
        today=today,
    )


def inbox_queryset(communes, *, period_id: int | None):
    """``communes`` each with its report of the month ``period_id`` (one LEFT JOIN: a commune has
    at most one), annotated for the inbox: ``report_id``, ``status`` (None: no report),
    ``submitted_at``, ``reviewed_at``, the sender's names, ``status_rank`` (``STATUS_RANK``),
    ``unsent`` (1 for a draft, a returned report or none) and ``sent_at`` (when sent, for the
    reports submitted or approved). One query however many communes."""
    sent = [ReportStatus.SUBMITTED, ReportStatus.APPROVED]
    unsent = Q(status__isnull=True) | Q(status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED])
    ranks = [When(status=status, then=Value(rank)) for status, rank in STATUS_RANK.items() if status]
    return (
        communes.alias(
            month_report=FilteredRelation(
                "dossier_reports", condition=Q(dossier_reports__period_id=period_id or 0)
            )
        )
        .annotate(
            report_id=F("month_report__pk"),
            status=F("month_report__status"),
            submitted_at=F("month_report__submitted_at"),
            reviewed_at=F("month_report__reviewed_at"),
            sender_full_name=F("month_report__submitted_by__full_name"),
            sender_username=F("month_report__submitted_by__username"),
        )
        .annotate(
            status_rank=Case(*ranks, default=Value(STATUS_RANK[None])),
            unsent=Case(When(unsent, then=Value(1)), default=Value(0)),
            sent_at=Case(
                When(status__in=sent, then=F("submitted_at")),
                default=Value(None, output_field=DateTimeField()),
            ),
        )
    )


def inbox_for(*, user: User, period: periods.Period | None, today: datetime.date, params=None) -> Inbox:
    """The reviewer's inbox for ``period`` (see ``inbox_scope`` for the default and the 404s),
    filtered and sorted by ``params`` (``InboxFilter``). Each row carries ``lateness``
    ("overdue", "not_due", "late" or "on_time") and ``days_late``.

    Seven queries whatever the number of communes and reports (eight for the default month): those
    of ``inbox_scope``, the rows, the counts by status, the reports waiting in other periods.
    """
    scope = inbox_scope(user=user, period=period, today=today)
    if scope is None:
        return Inbox(None)
    base = inbox_queryset(scope.communes, period_id=scope.period_id)
    filterset = InboxFilter(
        params if params is not None else {}, queryset=base, due=scope.due, today=today, due_end=scope.due_end
    )
    rows = list(filterset.qs.select_related("parent"))
    for row in rows:
        row.sender_name = row.sender_full_name or row.sender_username or ""
        row.days_late = None
        if row.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED) and row.submitted_at:
            late = (timezone.localtime(row.submitted_at).date() - scope.due).days
            row.lateness, row.days_late = ("late", late) if late > 0 else ("on_time", None)
        elif scope.is_due:
            row.lateness, row.days_late = "overdue", (today - scope.due).days
        else:
            row.lateness = "not_due"
    counted = {
        "communes": Count("pk"),
        "missing": Count("pk", filter=Q(status__isnull=True)),
        **{status.value: Count("pk", filter=Q(status=status)) for status in ReportStatus},
    }
    counts = base.aggregate(**counted)
    counts["unsent"] = counts["missing"] + counts[ReportStatus.DRAFT] + counts[ReportStatus.RETURNED]
    counts["overdue"] = counts["unsent"] if scope.is_due else 0
    return Inbox(
        period=scope.period,
        rows=rows,
        filter=filterset,
        counts=counts,
        due=scope.due,
        is_due=scope.is_due,
        elsewhere=_waiting_elsewhere(scope),
        several_parents=len({row.parent_id for row in rows}) > 1,
    )


def _waiting_elsewhere(scope: InboxScope) -> list[Waiting]:
    """The reports submitted and waiting in periods other than the inbox's month, newest period
    first; one query."""
    reports = (
        DossierReport.objects.filter(unit_id__in=scope.reviewed, status=ReportStatus.SUBMITTED)
        .exclude(period_id=scope.period_id or 0)
        .values_list("unit_id", "unit__name", "period__kind", "period__year", "period__number")
        .order_by("unit__name")
    )
    found: dict[periods.Period, Waiting] = {}
    for unit_id, unit_name, kind, year, number in reports:
        period = periods.Period(year, periods.Kind(kind), number)
        waiting = found.setdefault(period, Waiting(period))
        waiting.count += 1
        if period.kind != periods.Kind.MONTH:
            waiting.reports.append((unit_id, unit_name))
    return sorted(found.values(), key=lambda w: w.period.dates()[1], reverse=True)


@dataclass
class Reminder:
    """A commune late with the month, and who is reminded: its active officers and chairmen, each
    with whether a mail reaches it; who was reminded of the month today already, and when; and
    why no mail reaches the commune at all, if so (``notifications.reminders.UNREACHABLE``)."""

    unit: AdministrativeUnit
    status: str | None
    officers: list[User] = field(default_factory=list)
    chairmen: list[User] = field(default_factory=list)
    period: periods.Period | None = None
    due: datetime.date | None = None
    today: datetime.date | None = None
    url: str = ""  # the month's entry page, where the reminder leads
    reminded: dict[int, datetime.datetime] = field(default_factory=dict)  # person id → reminded today at
    mail_off: set[int] = field(default_factory=set)  # people who switched this reminder's mail off
    unreachable: str | None = None

    @property
    def status_label(self) -> str:
        return ReportStatus(self.status).label if self.status else _("Chưa nhập")

    @property
    def month(self) -> MonthToDo:
        return MonthToDo(self.period, self.status, self.due, (self.today - self.due).days)

    @property
    def people(self) -> list[User]:
        """The officers then the chairmen, each person once."""
        seen: dict[int, User] = {}
        for person in [*self.officers, *self.chairmen]:
            seen.setdefault(person.pk, person)
        return list(seen.values())

    @property
    def to_remind(self) -> list[User]:
        """Those not reminded of the month today yet."""
        return [person for person in self.people if person.pk not in self.reminded]

    @property
    def reminded_at(self) -> datetime.datetime | None:
        return max(self.reminded.values()) if self.reminded else None

    @property
    def unreachable_label(self) -> str:
        from notifications.reminders import UNREACHABLE

        return str(UNREACHABLE[self.unreachable]) if self.unreachable else ""


@dataclass
class ReminderList:
    period: periods.Period | None
    due: datetime.date | None = None
    is_due: bool = False
    reminders: list[Reminder] = field(default_factory=list)

    @property
    def without_accounts(self) -> int:
        return sum(1 for r in self.reminders if not r.officers and not r.chairmen)

    @property
    def unreachable(self) -> list[Reminder]:
        return [r for r in self.reminders if r.unreachable]

    @property
    def to_remind(self) -> int:
        """How many people the button would remind now (a person of two communes counts once)."""
        return len({person.pk for r in self.reminders for person in r.to_remind})


def inbox_reminders(*, user: User, period: periods.Period | None, today: datetime.date) -> ReminderList:
    """The communes late with ``period`` (alive in it, nothing sent, its due date passed: none
    before), by name, each with the active accounts of its officers and chairmen (from
    ``Membership``), whom "Nhắc các xã chậm gửi" reminds; whether mail reaches each (an address, the
    month's overdue reminder not switched off) and who was reminded of the month today (by the
    button or the daily run: a ``MONTH_OVERDUE`` notification leading to the month's page). Eight
    queries whatever the number: those of ``inbox_scope``, the late communes, their officers and
    chairmen, their switched-off mails, today's reminders of the month."""
    from notifications.models import Kind as NotificationKind
    from notifications.models import Notification
    from notifications.reminders import day_bounds, entry_url, unreachable_reason
    from notifications.services import opted_out

    scope = inbox_scope(user=user, period=period, today=today)
    if scope is None:
        return ReminderList(None)
    result = ReminderList(scope.period, scope.due, scope.is_due)
    if not scope.is_due:
        return result
    late = list(
        inbox_queryset(scope.communes, period_id=scope.period_id)
        .filter(unsent=1)
        .select_related("parent")
        .order_by("search_key", "pk")
    )
    result.reminders = [
        Reminder(
            unit,
            unit.status,
            period=scope.period,
            due=scope.due,
            today=today,
            url=entry_url(unit, scope.period),
        )
        for unit in late
    ]
    if not late:
        return result
    by_unit = {reminder.unit.pk: reminder for reminder in result.reminders}
    memberships = list(
        Membership.objects.filter(
            unit__in=[unit.pk for unit in late], role__in=COMMUNE_ROLES, user__is_active=True
        )
        .select_related("user")
        .order_by("user__full_name", "user__username")
    )
    for membership in memberships:
        reminder = by_unit[membership.unit_id]
        (reminder.officers if membership.role == Role.OFFICER else reminder.chairmen).append(membership.user)
    off = opted_out({membership.user_id: membership.user for membership in memberships}.values())
    start, end = day_bounds(today)
    for unit_id, recipient_id, url, at in (
        Notification.objects.filter(
            kind=NotificationKind.MONTH_OVERDUE,
            unit_id__in=list(by_unit),
            created_at__gte=start,
            created_at__lt=end,
        )
        .order_by()
        .values_list("unit_id", "recipient_id", "url", "created_at")
    ):
        reminder = by_unit[unit_id]
        if url == reminder.url:
            reminder.reminded[recipient_id] = max(at, reminder.reminded.get(recipient_id, at))
    for reminder in result.reminders:
        people = reminder.people
        reminder.mail_off = {p.pk for p in people if (p.pk, NotificationKind.MONTH_OVERDUE) in off}
        reminder.unreachable = unreachable_reason(people, [NotificationKind.MONTH_OVERDUE], off)
    return result


def monthly_trend(*, unit: AdministrativeUnit, year: int) -> dict[int, Figures]:
    """The commune's figures per month of ``year`` (month number → figures), every report
    counted; for a 2025 commune its months before 1/7/2025 are those of the communes that went
    whole into it, summed (a split predecessor is in no successor's trend); one query."""
    units = Q(report__unit=unit)
    if unit.era == Era.CURRENT and year <= REFORM_DATE.year:
        before = Q(report__period__year__lt=REFORM_DATE.year) | Q(
            report__period__year=REFORM_DATE.year, report__period__number__lt=REFORM_DATE.month
        )
        units |= before & Q(report__unit__in=whole_predecessors(unit))
    rows = (
        DossierLine.objects.filter(
            units, report__period__kind=periods.Kind.MONTH.value, report__period__year=year
        )
        .values("report__period__number")
        .annotate(**{column: Sum(column) for column in COLUMN_NAMES})
    )
    return {row["report__period__number"]: Figures.of(row) for row in rows}


def import_catalogue() -> dict[str, tuple[int, str]]:
    """The lĩnh vực an imported Biểu 06 may name: folded name or alias → (id, name); one query."""
    catalogue = {}
    for procedure in ProcedureField.objects.filter(is_active=True):
        for key in procedure.match_keys():
            catalogue[key] = (procedure.pk, procedure.name)
    return catalogue


@dataclass
class MonthToDo:
    """A month of a commune's that asks for work on its home: not sent although due (draft,
    returned or not begun), or the month now open."""

    period: periods.Period
    status: str | None
    due: datetime.date
    late_by: int  # days past the due date; 0 for the open month

    @property
    def status_label(self) -> str:
        return ReportStatus(self.status).label if self.status else _("Chưa nhập")


MONTHS_LOOKED_BACK = 12  # a commune's home names unsent months of the last year, not older ones


def commune_months_to_do(unit: AdministrativeUnit, *, today: datetime.date) -> list[MonthToDo]:
    """The months of the commune's life, from a year back to the month now open, that are not
    sent yet although due (oldest first), then the open month whatever its state: what its
    home shows for today, by the list's rule (due date of the province's calendar). Two queries
    (the calendar, the reports): ``communes_months_to_do`` for one commune, so that the daily
    reminders (``notifications.reminders``) name exactly what the home shows."""
    return communes_months_to_do([unit], today=today)[unit.pk]


def communes_months_to_do(units, *, today: datetime.date) -> dict[int, list[MonthToDo]]:
    """``commune_months_to_do`` of each of ``units`` (commune id → its months), in two queries
    whatever their number: the provinces' calendars, and the reports of the months wanted. Each
    unit's province is found through its loaded parents (``select_related("parent__parent")``),
    as ``calendar_for`` does; a province without a calendar of its own counts by the default."""
    units = list(units)
    provinces = {unit.pk: province_of(unit) for unit in units}
    stored = {
        setting.province_id: setting
        for setting in ReportingCalendar.objects.filter(
            province_id__in={province.pk for province in provinces.values()}
        )
    }
    # Per province: its calendar, the latest month already due and the month after it (open).
    by_province: dict[int, tuple[ReportingCalendar, list[periods.Period], periods.Period]] = {}
    plans = {}
    wanted: set[periods.Period] = set()
    for unit in units:
        province = provinces[unit.pk]
        if province.pk not in by_province:
            setting = stored.get(province.pk) or ReportingCalendar(province=province)
            latest = latest_due_month(setting, today=today)
            back = [latest]
            for _step in range(MONTHS_LOOKED_BACK - 1):
                month = back[-1]
                back.append(
                    periods.Period(
                        month.year - (month.number == 1), periods.Kind.MONTH, (month.number - 2) % 12 + 1
                    )
                )
            back.reverse()
            following = periods.Period(
                latest.year + latest.number // 12, periods.Kind.MONTH, latest.number % 12 + 1
            )
            by_province[province.pk] = (setting, back, following)
        setting, back, following = by_province[province.pk]
        months = [month for month in back if month_in_life(unit, month)]
        open_month = following if month_in_life(unit, following) else None
        plans[unit.pk] = (setting, months, open_month)
        wanted.update(months)
        if open_month:
            wanted.add(open_month)
    rows = {}
    if wanted:
        rows = {
            (unit_id, year, number): status
            for unit_id, year, number, status in DossierReport.objects.filter(
                unit_id__in=[unit.pk for unit in units]
            )
            .filter(
                Q(
                    *[_period_q(p, "") for p in sorted(wanted, key=lambda p: (p.year, p.number))],
                    _connector=Q.OR,
                )
            )
            .values_list("unit_id", "period__year", "period__number", "status")
        }
    sent = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
    result = {}
    for unit in units:
        setting, months, open_month = plans[unit.pk]
        to_do = []
        for month in months:
            status = rows.get((unit.pk, month.year, month.number))
            if status not in sent:
                due = due_date(month, setting)
                to_do.append(MonthToDo(month, status, due, (today - due).days))
        if open_month:
            status = rows.get((unit.pk, open_month.year, open_month.number))
            to_do.append(MonthToDo(open_month, status, due_date(open_month, setting), 0))
        result[unit.pk] = to_do
    return result
