"""The completeness board: a reviewer's communes × the months of a year.

Each cell is the state of one commune's report for one month; each month has its counts and
its reporting rates, as DHIS2's reporting-rate summary gives them:

- expected: the communes that lived in the month (``selectors.month_in_life``);
- received: their reports sent (submitted or approved), or a whole-period report sent that covers
  the month (a year imported from the one-stop system, as ``selectors.commune_list`` counts it);
- received on time: those sent by the month's due date (``selectors.due_date``: the province's
  calendar and its working days), judged by the report's last submission;
- reporting rate = received / expected; on-time rate = received on time / expected.

A month whose due date has not passed is "not yet due", never missing; the year's rates count
the months already due only. A month outside a commune's life is "before it was set up" or
"after it ended", and not expected.

The board reads a fixed number of queries whatever the number of communes: the calendar, the
years, the communes, the reports of the year, and (for a unit created or ended by the 2025
reform) the units it continues or that continue it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Max, Min, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import REFORM_DATE, AdministrativeUnit, Era, Level, User
from communes.selectors import units_readable_by
from core import periods
from core.text import fold

from .models import DossierReport, ReportingCalendar, ReportStatus
from .selectors import calendar_for, communes_under, due_date, latest_due_month, living_in


class CellState(StrEnum):
    BEFORE = "before"  # the month ended before the commune was set up
    AFTER = "after"  # the month began after the commune ended
    NOT_DUE = "not_due"  # no report, and the due date has not passed
    MISSING = "missing"  # no report, and the due date has passed
    DRAFT = ReportStatus.DRAFT.value
    RETURNED = ReportStatus.RETURNED.value
    SUBMITTED = ReportStatus.SUBMITTED.value
    APPROVED = ReportStatus.APPROVED.value
    COVERED = "covered"  # no month report; a quarter, half, nine months or year report covers it


# The first year the portal offers (as the period picker does) to a unit whose first day is not
# recorded; a report of an earlier year (imported) moves it back.
FIRST_YEAR = 2021
SENT = frozenset({ReportStatus.SUBMITTED.value, ReportStatus.APPROVED.value})
# The longer periods whose report stands for its months, widest first: a narrower one overrides.
COVERING = (periods.Kind.YEAR, periods.Kind.NINE_MONTHS, periods.Kind.HALF, periods.Kind.QUARTER)


@dataclass
class Tally:
    """The counts of one month (or a year, or a row): how many reports in each state, how many
    were expected, received and received on time."""

    expected: int = 0
    approved: int = 0
    submitted: int = 0
    returned: int = 0
    draft: int = 0
    missing: int = 0
    not_due: int = 0
    covered: int = 0
    received: int = 0
    on_time: int = 0

    @property
    def rate(self) -> float | None:
        """Reporting rate (DHIS2): received / expected, in percent; None when nothing was expected."""
        return 100 * self.received / self.expected if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        """On-time reporting rate (DHIS2): received on time / expected, in percent."""
        return 100 * self.on_time / self.expected if self.expected else None

    @property
    def late(self) -> int:
        return self.received - self.on_time

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(slots=True)
class Cell:
    """One commune's month. ``expected``: the commune lived in it; ``outside``: a report stands
    in a month outside the commune's life (shown, not counted)."""

    month: int
    state: CellState
    expected: bool
    received: bool = False
    on_time: bool = False
    submitted: datetime.date | None = None
    covered_by: periods.Period | None = None
    outside: bool = False
    url: str = ""
    colspan: int = 1
    # What the table shows: the short label, and the details for the tooltip.
    icon: str = ""
    label: str = ""
    title: str = ""

    @property
    def late(self) -> bool:
        return self.received and not self.on_time


@dataclass
class MonthColumn:
    period: periods.Period
    due: datetime.date
    # The due date has passed (``today > due``, as the commune's list counts a month late).
    is_due: bool
    # The reviewer's unit itself lived in the month (a 2025 province has no January 2025).
    unit_alive: bool
    tally: Tally = field(default_factory=Tally)


@dataclass
class HeaderItem:
    """One column of the tables, or (``column`` None) a run of months outside the unit's life."""

    column: MonthColumn | None
    colspan: int
    first: int
    last: int
    # A run before the unit was set up (else after it ended).
    before: bool = False


@dataclass
class BoardRow:
    pk: int
    name: str
    parent_name: str
    cells: list[Cell]
    # Over the months already due.
    tally: Tally = field(default_factory=Tally)
    url: str = ""

    @property
    def shown(self) -> list[Cell]:
        """The cells as the table shows them: a run of months outside the commune's life is one
        cell spanning them."""
        return [cell for cell in self.cells if cell.colspan]


@dataclass
class Board:
    unit: AdministrativeUnit
    year: int
    today: datetime.date
    columns: list[MonthColumn]
    rows: list[BoardRow]
    # The year over the months already due.
    total: Tally
    years: list[int]
    # The units this one continues (a 2025 province's predecessors) and those that continue it,
    # that the user may read: their boards hold the months outside this unit's life.
    earlier: list[AdministrativeUnit] = field(default_factory=list)
    later: list[AdministrativeUnit] = field(default_factory=list)

    @property
    def months_before(self) -> list[periods.Period]:
        return [c.period for c in self.columns if not c.unit_alive and self._before(c.period)]

    @property
    def months_after(self) -> list[periods.Period]:
        return [c.period for c in self.columns if not c.unit_alive and not self._before(c.period)]

    @property
    def header(self) -> list[HeaderItem]:
        """The columns as the tables show them: a run of months outside the unit's life is one
        narrow column ("T1–T6"), not six columns of "before it was set up"."""
        items: list[HeaderItem] = []
        for column in self.columns:
            if column.unit_alive:
                items.append(HeaderItem(column, 1, column.period.number, column.period.number))
            elif items and items[-1].column is None:
                items[-1].colspan += 1
                items[-1].last = column.period.number
            else:
                before = self._before(column.period)
                items.append(HeaderItem(None, 1, column.period.number, column.period.number, before))
        return items

    @property
    def before_span(self) -> tuple[int, int] | None:
        """The first and last month before the unit was set up, if any."""
        months = self.months_before
        return (months[0].number, months[-1].number) if months else None

    @property
    def after_span(self) -> tuple[int, int] | None:
        """The first and last month after the unit ended, if any."""
        months = self.months_after
        return (months[0].number, months[-1].number) if months else None

    def _before(self, month: periods.Period) -> bool:
        first = self.unit.valid_from
        return first is not None and month.dates(periods.Calendar.CALENDAR)[1] < first

    @property
    def has_covered(self) -> bool:
        return any(column.tally.covered for column in self.columns)

    @property
    def with_parent(self) -> bool:
        """The communes belong to several districts (a legacy province): each row names its own."""
        return len({row.parent_name for row in self.rows}) > 1


@dataclass
class _Report:
    status: str
    submitted_at: datetime.datetime | None


def _deadline(due: datetime.date) -> datetime.datetime:
    """The first moment after the due date, in the portal's time zone: sent before it is on time."""
    return timezone.make_aware(datetime.datetime.combine(due + datetime.timedelta(days=1), datetime.time()))


def _load(communes, year: int) -> dict[int, dict[tuple[str, int], _Report]]:
    """commune id → (period kind, number) → its report of ``year``; ``communes`` their ids, or a
    queryset of them; one query."""
    if not isinstance(communes, list):
        communes = communes.values("pk")
    rows = DossierReport.objects.filter(unit__in=communes, period__year=year).values_list(
        "unit_id", "period__kind", "period__number", "status", "submitted_at"
    )
    loaded: dict[int, dict[tuple[str, int], _Report]] = {}
    for unit_id, kind, number, status, submitted_at in rows:
        loaded.setdefault(unit_id, {})[(kind, number)] = _Report(status, submitted_at)
    return loaded


@dataclass
class _Month:
    """What every commune's cell of a month is judged against."""

    period: periods.Period
    first: datetime.date
    last: datetime.date
    due: datetime.date
    deadline: datetime.datetime
    is_due: bool


def _months(year: int, setting: ReportingCalendar, today: datetime.date) -> list[_Month]:
    months = []
    for number in range(1, 13):
        period = periods.Period(year, periods.Kind.MONTH, number)
        first, last = period.dates(periods.Calendar.CALENDAR)
        due = due_date(period, setting)
        months.append(_Month(period, first, last, due, _deadline(due), today > due))
    return months


def _covering(
    reports: dict[tuple[str, int], _Report], year: int, setting: ReportingCalendar
) -> dict[int, tuple[periods.Period, _Report, datetime.datetime]]:
    """month number → the whole-period report that covers it, with that period's deadline."""
    covered = {}
    for kind in COVERING:
        for (report_kind, number), report in reports.items():
            if report_kind != kind.value:
                continue
            period = periods.Period(year, kind, number)
            deadline = _deadline(due_date(period, setting))
            covered.update((month.number, (period, report, deadline)) for month in period.months())
    return covered


def _cells(
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
    reports: dict[tuple[str, int], _Report],
    months: list[_Month],
    setting: ReportingCalendar,
) -> list[Cell]:
    """The twelve cells of one commune (``valid_from``/``valid_to``: its life)."""
    month_key = periods.Kind.MONTH.value
    covered = {}
    if any(kind != month_key for kind, _number in reports):
        covered = _covering(reports, months[0].period.year, setting)
    cells = []
    for month in months:
        alive = (valid_to is None or month.first <= valid_to) and (
            valid_from is None or month.last >= valid_from
        )
        report = reports.get((month_key, month.period.number))
        if report is not None:
            received = report.status in SENT
            cell = Cell(
                month.period.number,
                CellState(report.status),
                alive,
                received=received and alive,
                on_time=alive and received and _sent_before(report, month.deadline),
                submitted=timezone.localdate(report.submitted_at) if report.submitted_at else None,
                outside=not alive,
            )
        elif not alive:
            before = valid_from is not None and month.last < valid_from
            cell = Cell(month.period.number, CellState.BEFORE if before else CellState.AFTER, False)
        elif month.period.number in covered:
            period, cover, deadline = covered[month.period.number]
            received = cover.status in SENT
            cell = Cell(
                month.period.number,
                CellState.COVERED,
                True,
                received=received,
                on_time=received and _sent_before(cover, deadline),
                submitted=timezone.localdate(cover.submitted_at) if cover.submitted_at else None,
                covered_by=period,
            )
        else:
            cell = Cell(month.period.number, CellState.MISSING if month.is_due else CellState.NOT_DUE, True)
        cells.append(cell)
    return cells


def _sent_before(report: _Report, deadline: datetime.datetime) -> bool:
    # A report approved without a recorded submission (none the portal makes) is not counted on time.
    return report.submitted_at is not None and report.submitted_at < deadline


_STATE_FIELD = {
    CellState.APPROVED: "approved",
    CellState.SUBMITTED: "submitted",
    CellState.RETURNED: "returned",
    CellState.DRAFT: "draft",
    CellState.MISSING: "missing",
    CellState.NOT_DUE: "not_due",
    CellState.COVERED: "covered",
}


def _count(tally: Tally, cell: Cell) -> None:
    if not cell.expected:
        return
    tally.expected += 1
    name = _STATE_FIELD[cell.state]
    setattr(tally, name, getattr(tally, name) + 1)
    tally.received += cell.received
    tally.on_time += cell.on_time


def _merge_outside(cells: list[Cell]) -> None:
    """A run of months before the commune existed (or after it ended) becomes one cell."""
    start = None
    for index, cell in enumerate(cells):
        outside = cell.state in (CellState.BEFORE, CellState.AFTER)
        if outside and start is not None and cells[start].state == cell.state:
            cells[start].colspan += 1
            cell.colspan = 0
        else:
            start = index if outside else None


def board_years(
    unit: AdministrativeUnit,
    *,
    today: datetime.date,
    setting: ReportingCalendar | None = None,
    commune_ids: list[int] | None = None,
) -> tuple[list[int], int]:
    """The years a reviewer's unit has a board for, newest first, and the year its board opens on.

    From the unit's first year (when unknown, ``FIRST_YEAR`` or its communes' first report if
    earlier) to its last (this year, or the year it ended); it opens on the year of the latest
    month already due, or for a unit that ended, on the last year with a report of its
    communes. No year at all (a unit set up after today) is a 404. One query, and the calendar's
    unless ``setting`` is given (``commune_ids``: the communes under the unit, when known).
    """
    communes = commune_ids if commune_ids is not None else communes_under(unit).values("pk")
    span = DossierReport.objects.filter(unit__in=communes).aggregate(
        first=Min("period__year"), last=Max("period__year")
    )
    last = min(unit.valid_to.year, today.year) if unit.valid_to else today.year
    # A unit of before the reform has no first day: from the portal's first year, or its first report.
    first = unit.valid_from.year if unit.valid_from else min(span["first"] or FIRST_YEAR, FIRST_YEAR, last)
    years = list(range(last, first - 1, -1))
    if not years:
        raise Http404(
            _("%(unit)s chưa được thành lập: có hiệu lực từ %(day)s.")
            % {"unit": unit.name, "day": unit.valid_from.strftime("%d/%m/%Y")}
        )
    if unit.valid_to and unit.valid_to < today:
        latest = min(span["last"] or last, last)
    else:
        latest = latest_due_month(setting or calendar_for(unit), today=today).year
    return years, min(max(latest, first), last)


def unit_board(*, user: User, unit: AdministrativeUnit, year: int, today: datetime.date) -> Board:
    """The board of a reviewer's unit (a legacy district or province, a 2025 province) for
    ``year``: every commune under it that lived in the year, by name. A year outside the unit's
    years (``board_years``) is a 404 that says why. Five queries at most: the calendar, the
    communes, the years, the reports, the units it continues or that continue it."""
    setting = calendar_for(unit)
    # The communes read once, their ids given to the next two queries: the join that finds the
    # communes under a unit (its children or grandchildren) was a third of the time, three times.
    under = list(communes_under(unit).values_list("pk", "name", "parent__name", "valid_from", "valid_to"))
    years, _latest = board_years(unit, today=today, setting=setting, commune_ids=[c[0] for c in under])
    if year not in years:
        raise Http404(
            _("%(unit)s không có bảng tình hình gửi báo cáo năm %(year)s (có các năm %(years)s).")
            % {"unit": unit.name, "year": year, "years": ", ".join(map(str, sorted(years)))}
        )
    months = _months(year, setting, today)
    first, last = months[0].first, months[-1].last
    # Those that lived in the year, as ``selectors.living_in`` (calendar dates).
    values = [c for c in under if (c[4] is None or c[4] >= first) and (c[3] is None or c[3] <= last)]
    loaded = _load([c[0] for c in values], year)
    entry = [reverse("dossiers:entry", args=[0, m.period.code]).replace("/0/", "/{}/", 1) for m in months]
    listing = reverse("dossiers:list", args=[0]).replace("/0/", "/{}/", 1) + f"?nam={year}"
    columns = [
        MonthColumn(
            m.period,
            m.due,
            m.is_due,
            (unit.valid_to is None or m.first <= unit.valid_to)
            and (unit.valid_from is None or m.last >= unit.valid_from),
        )
        for m in months
    ]
    unit_outside = {column.period.number for column in columns if not column.unit_alive}
    texts = _Texts(months)
    rows = []
    # In Vietnamese order (Đ after D), which the database's collation does not give.
    for pk, name, parent_name, valid_from, valid_to in sorted(values, key=lambda v: (fold(v[1]), v[1], v[0])):
        cells = _cells(valid_from, valid_to, loaded.get(pk, {}), months, setting)
        row = BoardRow(pk, name, parent_name or "", cells, url=listing.format(pk))
        for cell, column, month in zip(cells, columns, months, strict=True):
            _count(column.tally, cell)
            if month.is_due:
                _count(row.tally, cell)
            if cell.state == CellState.COVERED:
                cell.url = reverse("dossiers:entry", args=[pk, cell.covered_by.code])
            elif cell.state not in (CellState.BEFORE, CellState.AFTER):
                cell.url = entry[cell.month - 1].format(pk)
        _merge_outside(cells)
        _dress(cells, texts, valid_from, valid_to, unit_outside)
        rows.append(row)
    total = Tally()
    for column in columns:
        if column.is_due:
            total.add(column.tally)
    board = Board(unit, year, today, columns, rows, total, years)
    if not all(column.unit_alive for column in columns):
        board.earlier, board.later = _linked_units(user, unit)
    return board


def state_labels() -> dict[CellState, tuple[str, str, str]]:
    """Each state's icon, short label (in the cell) and long label (legend and tooltip)."""
    return {
        CellState.APPROVED: ("✓", _("Đã duyệt"), _("Đã gửi và đã được duyệt")),
        CellState.SUBMITTED: ("↑", _("Đã gửi"), _("Đã gửi, chờ thẩm định")),
        CellState.RETURNED: ("↩", _("Trả lại"), _("Bị trả lại, chưa gửi lại")),
        CellState.DRAFT: ("✎", _("Đang nhập"), _("Đang nhập, chưa gửi")),
        CellState.MISSING: ("✗", _("Chưa có"), _("Chưa có báo cáo, đã quá hạn gửi")),
        CellState.NOT_DUE: ("…", _("Chưa đến hạn"), _("Chưa có báo cáo, chưa đến hạn gửi")),
        CellState.COVERED: ("≡", _("Cả kỳ"), _("Không có báo cáo tháng; có báo cáo cả kỳ gồm tháng này")),
        CellState.BEFORE: ("–", _("Chưa thành lập"), _("Đơn vị chưa được thành lập: không phải gửi")),
        CellState.AFTER: ("–", _("Đã kết thúc"), _("Đơn vị đã kết thúc hoạt động: không phải gửi")),
    }


class _Texts:
    """The words of the cells, translated once per board (not once per cell: gettext was most of
    the time of a 170-commune board)."""

    def __init__(self, months: list[_Month]) -> None:
        self.labels = state_labels()
        self.month_state = {
            (month.period.number, state): _("%(month)s: %(state)s")
            % {"month": month.period.label.capitalize(), "state": long}
            for month in months
            for state, (_icon, _short, long) in self.labels.items()
        }
        self.due = {
            month.period.number: _("hạn gửi %(day)s") % {"day": month.due.strftime("%d/%m/%Y")}
            for month in months
        }
        self.before_short = _("Trước khi thành lập (%(day)s)")
        self.before = _("Đơn vị thành lập ngày %(day)s")
        self.after_short = _("Sau khi kết thúc (%(day)s)")
        self.after = _("Đơn vị kết thúc hoạt động ngày %(day)s")
        self.covered = _("báo cáo %(period)s")
        self.sent = _("gửi %(day)s")
        self.late = _("gửi trễ hạn")
        self.outside = _("tháng ngoài thời gian hoạt động của đơn vị: không tính")


def _dress(
    cells: list[Cell],
    texts: _Texts,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
    unit_outside: set[int],
) -> None:
    """The label and tooltip of each cell shown. A commune's months outside the life of the
    reviewer's unit too (``unit_outside``) are a dash: the column's header says why; elsewhere a
    run of three months or more has room for the date."""
    for cell in cells:
        if not cell.colspan:
            continue
        cell.icon, short, _long = texts.labels[cell.state]
        details = [texts.month_state[(cell.month, cell.state)]]
        if cell.state == CellState.BEFORE and valid_from:
            day = valid_from.strftime("%d/%m/%Y")
            short = "–" if cell.month in unit_outside else short
            if cell.colspan >= 3 and cell.month not in unit_outside:
                short = texts.before_short % {"day": day}
            details = [texts.before % {"day": day}]
        elif cell.state == CellState.AFTER and valid_to:
            day = valid_to.strftime("%d/%m/%Y")
            short = "–" if cell.month in unit_outside else short
            if cell.colspan >= 3 and cell.month not in unit_outside:
                short = texts.after_short % {"day": day}
            details = [texts.after % {"day": day}]
        else:
            if cell.covered_by is not None:
                details.append(texts.covered % {"period": cell.covered_by.label})
            if cell.submitted:
                details.append(texts.sent % {"day": cell.submitted.strftime("%d/%m")})
            details.append(texts.due[cell.month])
            if cell.late:
                details.append(texts.late)
            if cell.outside:
                details.append(texts.outside)
        cell.label, cell.title = short, "; ".join(details)


def _linked_units(user: User, unit: AdministrativeUnit) -> tuple[list, list]:
    """The units ``unit`` continues and those continuing it, that ``user`` may read; one query."""
    linked = (
        units_readable_by(user)
        .filter(
            Q(successions_as_predecessor__successor=unit) | Q(successions_as_successor__predecessor=unit),
            level__in=[Level.PROVINCE, Level.DISTRICT],
        )
        .exclude(pk=unit.pk)
        .distinct()
        .order_by("name")
    )
    earlier, later = [], []
    for other in linked:
        (earlier if other.era == Era.LEGACY and unit.era == Era.CURRENT else later).append(other)
    return earlier, later


# The board's filter: which cells a row must have to be shown.
FILTER_STATES = {
    "thieu": lambda cell: cell.state == CellState.MISSING,
    "chua-gui": lambda cell: (
        cell.expected and not cell.received and cell.state not in (CellState.NOT_DUE, CellState.COVERED)
    ),
    "cho-duyet": lambda cell: cell.state == CellState.SUBMITTED,
    "tra-lai": lambda cell: cell.state == CellState.RETURNED,
    "dang-nhap": lambda cell: cell.state == CellState.DRAFT,
    "gui-tre": lambda cell: cell.late,
    "da-duyet": lambda cell: cell.state == CellState.APPROVED,
}


def board_rows_matching(
    rows: list[BoardRow], *, name: str = "", state: str = "", month: int | None = None
) -> list[BoardRow]:
    """The rows whose name contains ``name`` (without diacritics or case) and that have a cell in
    ``state`` (a key of ``FILTER_STATES``) in ``month``, or in any month when none is given."""
    wanted = fold(name)
    test = FILTER_STATES.get(state)
    matching = []
    for row in rows:
        if wanted and wanted not in fold(row.name):
            continue
        if test is not None:
            cells = [row.cells[month - 1]] if month else row.cells
            if not any(test(cell) for cell in cells):
                continue
        matching.append(row)
    return matching


@dataclass
class ProvinceRow:
    pk: int
    name: str
    # Its months, due by the province's own calendar.
    columns: list[MonthColumn]
    # Over its months already due.
    tally: Tally
    url: str


@dataclass
class CountryBoard:
    """The nation's board: one row per province, each month its counts and rates."""

    year: int
    era: str
    columns: list[MonthColumn]
    rows: list[ProvinceRow]
    total: Tally


def country_years(*, today: datetime.date) -> list[int]:
    """The years of the nation's board, newest first: from ``FIRST_YEAR`` (or the first report) to
    this year. One query."""
    first = DossierReport.objects.aggregate(first=Min("period__year"))["first"] or FIRST_YEAR
    return list(range(today.year, min(first, FIRST_YEAR, today.year) - 1, -1))


def country_eras(year: int) -> list[str]:
    """The eras of the provinces a year's nation board lists: 2025 has both (the 34 provinces from
    July, the 63 before)."""
    first, last = periods.Period(year, periods.Kind.YEAR).dates(periods.Calendar.CALENDAR)
    eras = []
    if last >= REFORM_DATE:
        eras.append(Era.CURRENT.value)
    if first < REFORM_DATE:
        eras.append(Era.LEGACY.value)
    return eras


def country_board(*, year: int, era: str, today: datetime.date) -> CountryBoard:
    """Every province of ``era`` for ``year``: its communes' months counted as on a province's
    board, under each province's own calendar. Four queries whatever the number of communes."""
    calendars = {setting.province_id: setting for setting in ReportingCalendar.objects.all()}
    default = ReportingCalendar()
    provinces = list(
        AdministrativeUnit.objects.filter(era=era, level=Level.PROVINCE)
        .order_by("name")
        .values_list("pk", "name")
    )
    communes = living_in(
        AdministrativeUnit.objects.communes().filter(era=era), periods.Period(year, periods.Kind.YEAR)
    )
    loaded = _load(communes, year)
    by_calendar: dict[tuple[str, int], list[_Month]] = {}
    national = _months(year, default, today)
    columns = [MonthColumn(m.period, m.due, m.is_due, True) for m in national]
    board_url = reverse("dossiers:board", args=[0, year]).replace("/0/", "/{}/", 1)
    rows = {pk: ProvinceRow(pk, name, [], Tally(), board_url.format(pk)) for pk, name in provinces}
    values = communes.values_list("pk", "valid_from", "valid_to", "parent_id", "parent__parent_id")
    for pk, valid_from, valid_to, parent_id, grandparent_id in values:
        province_id = grandparent_id or parent_id
        setting = calendars.get(province_id, default)
        key = (setting.calendar, setting.submit_within_days)
        if key not in by_calendar:
            by_calendar[key] = _months(year, setting, today)
        months = by_calendar[key]
        row = rows[province_id]
        if not row.columns:
            row.columns = [MonthColumn(m.period, m.due, m.is_due, True) for m in months]
        cells = _cells(valid_from, valid_to, loaded.get(pk, {}), months, setting)
        for cell, column in zip(cells, row.columns, strict=True):
            _count(column.tally, cell)
            if column.is_due:
                _count(row.tally, cell)
    total = Tally()
    for row in rows.values():
        if not row.columns:  # a province with no commune that year
            row.columns = [MonthColumn(m.period, m.due, m.is_due, True) for m in national]
        for column, own in zip(columns, row.columns, strict=True):
            column.tally.add(own.tally)
        total.add(row.tally)
    # A province's months are due by its own calendar; the nation's column says the usual one.
    return CountryBoard(year, era, columns, list(rows.values()), total)
