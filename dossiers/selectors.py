"""Reads of dossier figures: the entry page, due dates, history, unusual values."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
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
from django.http import Http404
from django.utils.translation import gettext as _

from communes.models import COMMUNE_ROLES, AdministrativeUnit, Era, Level, Role, User
from communes.selectors import province_of, roles_in
from core import periods

from .figures import COLUMN_NAMES, Figures
from .models import (
    DossierChange,
    DossierLine,
    DossierReport,
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
    unlocked = report is None or not report.is_locked
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


def report_periods_for(unit: AdministrativeUnit, *, today: datetime.date) -> list[dict]:
    """The commune's months of this year and last, newest first, with their report and due date."""
    setting = calendar_for(unit)
    reports = {
        (report.period.year, report.period.number): report
        for report in DossierReport.objects.filter(
            unit=unit, period__kind=periods.Kind.MONTH.value, period__year__gte=today.year - 1
        ).select_related("period")
    }
    if unit.valid_to and unit.valid_to < today:
        today = unit.valid_to  # a commune that ended lists its last two years, not ours
    rows = []
    for year in (today.year, today.year - 1):
        for month in range(12, 0, -1):
            period = periods.Period(year, periods.Kind.MONTH, month)
            start = period.dates(periods.Calendar(setting.calendar))[0]
            if start > today:
                continue
            report = reports.get((year, month))
            due = due_date(period, setting)
            submitted = report is not None and report.status in ("submitted", "approved")
            rows.append(
                {
                    "period": period,
                    "report": report,
                    "due": due,
                    "overdue": not submitted and today > due,
                }
            )
    return rows


def longer_reports_for(unit: AdministrativeUnit) -> list[DossierReport]:
    """Reports of quarters, halves, nine months and years the commune entered directly."""
    return list(
        DossierReport.objects.filter(unit=unit)
        .exclude(period__kind=periods.Kind.MONTH.value)
        .select_related("period")
        .order_by("-period__year", "period__kind", "period__number")
    )


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


@dataclass
class UnitFigures:
    """A unit's figures for a period, by lĩnh vực id, and where they came from.

    ``source`` is "direct" (a report for that very period), "months" (summed from its
    months), "predecessors" (a 2025 commune shown with the figures of the communes it
    continues), "communes" (a reviewer's unit: the sum of ``groups``) or None (nothing).
    """

    unit: AdministrativeUnit
    period: periods.Period
    lines: dict[int, Figures]
    source: str | None
    missing: list[periods.Period] = field(default_factory=list)
    units: list[AdministrativeUnit] = field(default_factory=list)
    groups: list[UnitFigures] = field(default_factory=list)

    @property
    def total(self) -> Figures:
        return sum(self.lines.values(), Figures())


def _period_q(period: periods.Period) -> Q:
    return Q(
        report__period__kind=period.kind.value,
        report__period__year=period.year,
        report__period__number=period.number,
    )


def _load_lines(unit_ids: list[int], period: periods.Period) -> dict[int, dict[str, dict[int, Figures]]]:
    """unit id → period code → lĩnh vực id → figures, for the period and its months; one query."""
    wanted = [period] if period.kind == periods.Kind.MONTH else [period, *period.months()]
    rows = (
        DossierLine.objects.filter(report__unit_id__in=unit_ids)
        .filter(Q(*[_period_q(p) for p in wanted], _connector=Q.OR))
        .values(
            "report__unit_id",
            "report__period__kind",
            "report__period__year",
            "report__period__number",
            "field_id",
            *COLUMN_NAMES,
        )
    )
    loaded: dict[int, dict[str, dict[int, Figures]]] = {}
    for row in rows:
        code = periods.Period(
            row["report__period__year"],
            periods.Kind(row["report__period__kind"]),
            row["report__period__number"],
        ).code
        loaded.setdefault(row["report__unit_id"], {}).setdefault(code, {})[row["field_id"]] = Figures.of(row)
    return loaded


def _compose(by_code: dict[str, dict[int, Figures]], period: periods.Period):
    """The period's lines from a direct report, or from its months: every figure is summed,
    except "từ kỳ trước" (from the first month) and "đang giải quyết" (from the last)."""
    if period.code in by_code:
        return by_code[period.code], "direct", []
    if period.kind == periods.Kind.MONTH:
        return {}, None, []
    months = period.months()
    present = [month for month in months if month.code in by_code]
    if not present:
        return {}, None, []
    first, last = by_code[present[0].code], by_code[present[-1].code]
    lines: dict[int, Figures] = {}
    for month in present:
        for field_id, figures in by_code[month.code].items():
            lines[field_id] = lines.get(field_id, Figures()) + figures
    for field_id, figures in lines.items():
        opening, closing = first.get(field_id, Figures()), last.get(field_id, Figures())
        lines[field_id] = figures.replace(
            carried_over=opening.carried_over,
            pending_in_time=closing.pending_in_time,
            pending_overdue=closing.pending_overdue,
        )
    return lines, "months", [month for month in months if month.code not in by_code]


def _sum_lines(many: list[dict[int, Figures]]) -> dict[int, Figures]:
    total: dict[int, Figures] = {}
    for lines in many:
        for field_id, figures in lines.items():
            total[field_id] = total.get(field_id, Figures()) + figures
    return total


def figures_for(*, unit: AdministrativeUnit, period: periods.Period) -> UnitFigures:
    """The figures of a commune, or of every commune under a reviewer's unit, for ``period``.

    A fixed number of queries whatever the number of communes.
    """
    if unit.level == Level.COMMUNE:
        lines, source, missing = _compose(_load_lines([unit.pk], period).get(unit.pk, {}), period)
        if source is None and unit.era == Era.CURRENT:
            predecessors = list(
                AdministrativeUnit.objects.filter(
                    successions_as_predecessor__successor=unit, successions_as_predecessor__is_primary=True
                ).order_by("name")
            )
            loaded = _load_lines([p.pk for p in predecessors], period)
            composed = [_compose(loaded.get(p.pk, {}), period) for p in predecessors]
            if any(c[1] for c in composed):
                return UnitFigures(
                    unit,
                    period,
                    _sum_lines([c[0] for c in composed]),
                    "predecessors",
                    units=[p for p, c in zip(predecessors, composed, strict=True) if c[1]],
                )
        return UnitFigures(unit, period, lines, source, missing)

    communes = list(communes_under(unit).order_by("name"))
    loaded = _load_lines([c.pk for c in communes], period)
    groups = []
    for commune in communes:
        lines, source, missing = _compose(loaded.get(commune.pk, {}), period)
        groups.append(UnitFigures(commune, period, lines, source, missing))
    return UnitFigures(unit, period, _sum_lines([g.lines for g in groups]), "communes", groups=groups)


def bieu06_file(*, unit: AdministrativeUnit, period: periods.Period, fmt: str) -> tuple[str, bytes, str]:
    """Biểu 06 of a commune (or of every commune under a reviewer's unit) as a file:
    (file name, bytes, content type). ``fmt`` is "xlsx" or "csv"."""
    from .exports import ExportGroup, ExportRow, bieu06_csv, bieu06_xlsx

    result = figures_for(unit=unit, period=period)
    names = dict(ProcedureField.objects.values_list("pk", "name"))
    order = {pk: position for position, pk in enumerate(ProcedureField.objects.values_list("pk", flat=True))}

    def rows(lines: dict[int, Figures]) -> list[ExportRow]:
        return [ExportRow(names[pk], lines[pk]) for pk in sorted(lines, key=order.__getitem__)]

    members = result.groups or [result]
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


def overview_queryset(*, communes, period: periods.Period):
    """``communes`` annotated with their figures for ``period`` (a report for that very period
    when there is one, else the sum of its months), the rates, and the status of the report.

    One query however many communes; filters and ordering on the annotations run in SQL.
    """
    # The period's own id and its months' ids, looked up once, so that the join below takes only
    # those reports instead of every report of every commune.
    wanted = [period] if period.kind == periods.Kind.MONTH else [period, *period.months()]
    ids = {
        (row.kind, row.year, row.number): row.pk
        for row in Period.objects.filter(Q(*[_period_row_q(p) for p in wanted], _connector=Q.OR))
    }
    direct_id = ids.get((period.kind.value, period.year, period.number))
    month_ids = [pk for (kind, _year, _number), pk in ids.items() if kind == periods.Kind.MONTH.value]
    if period.kind == periods.Kind.MONTH:
        month_ids = []
    queryset = communes.alias(
        period_reports=FilteredRelation(
            "dossier_reports", condition=Q(dossier_reports__period_id__in=[*ids.values()] or [0])
        )
    )
    direct = Q(period_reports__period_id=direct_id)
    months = Q(period_reports__period_id__in=month_ids or [0])
    annotations = {"has_direct": Count("period_reports", filter=direct, distinct=True)}
    for name in OVERVIEW_SUMS:
        column = f"period_reports__lines__{name}"
        if period.kind == periods.Kind.MONTH:
            annotations[name] = Coalesce(Sum(column, filter=direct), 0)
        else:
            annotations[name] = Case(
                When(has_direct__gt=0, then=Coalesce(Sum(column, filter=direct), 0)),
                default=Coalesce(Sum(column, filter=months), 0),
                output_field=IntegerField(),
            )
    direct_report = DossierReport.objects.filter(unit=OuterRef("pk"), period_id=direct_id)
    queryset = queryset.annotate(**annotations)
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
        status=Subquery(direct_report.values("status")[:1]),
        report_id=Subquery(direct_report.values("pk")[:1]),
    )
    # No select_related("parent"): grouping by the parent's columns made the whole country 10 times slower.
    return queryset


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


@dataclass
class Inbox:
    submitted: list[DossierReport]
    overdue_period: periods.Period | None
    overdue: list[AdministrativeUnit]


def inbox_for(*, user: User, overdue_period: periods.Period | None, today: datetime.date) -> Inbox:
    """Reports waiting for the reviewer, and its communes that have not sent ``overdue_period``
    (by default the latest month already due). Three queries, whatever the number of communes."""
    from communes.selectors import units_reviewed_by

    reviewed = units_reviewed_by(user)
    submitted = list(
        DossierReport.objects.filter(unit__in=reviewed, status=ReportStatus.SUBMITTED)
        .select_related("unit", "period", "submitted_by")
        .order_by("submitted_at")
    )
    first = reviewed.select_related("parent__parent").first()
    if first is None:
        return Inbox(submitted, None, [])
    setting = calendar_for(first)
    period = overdue_period or latest_due_month(setting, today=today)
    end = period.dates(periods.Calendar(setting.calendar))[1]
    sent = DossierReport.objects.filter(
        unit=OuterRef("pk"),
        period__kind=period.kind.value,
        period__year=period.year,
        period__number=period.number,
        status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED],
    )
    overdue = list(
        reviewed.valid_on(end).exclude(Exists(sent)).select_related("parent").order_by("parent__name", "name")
    )
    return Inbox(submitted, period, overdue)


def monthly_trend(*, unit: AdministrativeUnit, year: int) -> dict[int, Figures]:
    """The commune's figures per month of ``year`` (month number → figures), with those of the
    communes it continues for a 2025 commune (their history before the reform); one query."""
    units = Q(report__unit=unit)
    if unit.era == Era.CURRENT:
        units |= Q(
            report__unit__successions_as_predecessor__successor=unit,
            report__unit__successions_as_predecessor__is_primary=True,
        )
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
