"""Reads of dossier figures: the entry page, due dates, history, unusual values."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Max, Q
from django.http import Http404

from communes.models import COMMUNE_ROLES, AdministrativeUnit, Role, User
from communes.selectors import province_of, roles_in
from core import periods

from .figures import COLUMN_NAMES, Figures
from .models import DossierChange, DossierLine, DossierReport, Period, ProcedureField, ReportingCalendar

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
    for _ in range(12):
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


def get_period(period: periods.Period) -> Period | None:
    return Period.objects.filter(kind=period.kind.value, year=period.year, number=period.number).first()
