"""One answer everywhere (issue 11): every figure of every commune and period of the demo is the same
in every place that shows it, and equal to ``dossiers.selectors.figures_for``.

With the whole demo loaded once and the clock at 2 December 2026, for each commune and each period
with figures (the months of the demo's reports, the quarters, halves, nine months and years that
contain them, and the longer periods reported as a whole; a 2025 commune for the periods its
predecessors have figures in), each place is read as its reader gets it (``places.py``: the HTML, the
xlsx and CSV, the composed document, the index's automatic scores) and compared with the selector:

- the commune's pages, its Biểu 06 and its own 6-month and year reports count every report
  (``Basis.ALL``); the reviewer's overview shows each commune's figures, with a total, counting
  what the page says it counts (``data-basis``), and its Biểu 06 links count the same;
- what a reviewer reports upward counts approved reports only (``Basis.APPROVED``): its summary
  document, the index's automatic rules.

A failure names the commune, the period, the place and the figure: "Xã Hoài Châu 2023 · overview ·
resolved: 0 ≠ 1292". Each test collects every disagreement of its place before failing, and
test-artifacts/consistency.txt gets them all with the count of what was compared.

Every place is read for every commune and period but the slowest reads, sampled unless
CONSISTENCY_EVERY_PAGE=1 (then about four times as long): a month's entry grid (a form of 180
cells) and its CSV are read for every month of xã Hoài Châu and xã Tùng Châu and the last month of
each year elsewhere (where the demo's statuses differ), a 2025 commune's quarters and nine months
(its predecessors' sums, as its halves and years) not; the xlsx files for each commune's and
reviewer's years and every period of xã Hoài Châu; a 2025 province's periods before the reform (its
legacy districts' communes again, hundreds of rows) for its years, first halves and last months;
the selector's check of itself for halves and years. The months left out are still compared in the
lists, overviews and inboxes, which show them all.

The present (issue 12: Tỉnh Gia Lai's 135 communes, every month since 7/2025) is sampled so: every
commune is compared in the pages that show them all at once (the province's overview with its total
and Biểu 06 files, the inbox of every month, the summary document), against the province's figures
for it; a commune's own pages, files, documents and index assessments, and the province's figures
against the commune's, only for Phường Tam Quan, the communes with named people
(``dossiers.demo.PERSONAS``) and every ``SAMPLE_EVERY``-th commune by code; the province's overview
for its latest month (which has every state) and its years (2025 across the reform). A figure that
disagrees in any of them fails.

The class renders templates without the test runner's instrumentation (it copies every template's
context for ``response.context``, unused here).

"""

from __future__ import annotations

import datetime
import os
import time
from collections import Counter, defaultdict
from pathlib import Path

import time_machine
from django.core.management import call_command
from django.template.base import Template
from django.test import Client, TestCase
from django.test.utils import _TestState

from communes.models import (
    REFORM_DATE,
    AdministrativeUnit,
    Era,
    Level,
    Membership,
    Role,
    UnitSuccession,
    User,
)
from communes.selectors import units_reviewed_by
from core import periods
from dossiers import demo
from dossiers.figures import Figures
from dossiers.models import DossierReport, Period, ProcedureField, ReportStatus
from dossiers.selectors import Basis, communes_under, figures_for
from dossiers.services import dossier_report_save
from indices.models import Assessment, Framework, Round
from indices.services.rounds import round_open
from reports.models import ReportKind

from . import places

TODAY = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC)
ARTIFACT = Path(__file__).resolve().parents[2] / "test-artifacts" / "consistency.txt"
EVERY_PAGE = os.environ.get("CONSISTENCY_EVERY_PAGE") == "1"
Kind = periods.Kind

# The legacy communes of the seeds with the most history (xã Hoài Châu: 2023 and 2024 by month;
# xã Tùng Châu: two yearly reports and 2023 by month): every month grid of theirs is read.
NAMED = {"21649", "18241"}
# Of the present's communes (after 1/7/2025), whose own pages are read beside the personas'.
SAMPLE_EVERY = 30
BASES = {"all": Basis.ALL, "approved": Basis.APPROVED}


def containing(period: periods.Period) -> list[periods.Period]:
    """The quarter, half, nine months (to September) and year a month is in."""
    month, year = period.number, period.year
    longer = [
        periods.Period(year, Kind.QUARTER, (month - 1) // 3 + 1),
        periods.Period(year, Kind.HALF, (month - 1) // 6 + 1),
        periods.Period(year, Kind.YEAR),
    ]
    if month <= 9:
        longer.append(periods.Period(year, Kind.NINE_MONTHS))
    return longer


def demo_cases() -> dict[int, set[periods.Period]]:
    """commune pk → the periods it has figures in, from the demo's reports."""
    found: dict[int, set[periods.Period]] = defaultdict(set)
    rows = DossierReport.objects.values_list("unit_id", "period__kind", "period__year", "period__number")
    for unit_id, kind, year, number in rows:
        period = periods.Period(year, Kind(kind), number)
        found[unit_id].add(period)
        if period.kind == Kind.MONTH:
            found[unit_id].update(containing(period))
    # A 2025 commune shows its predecessors' figures for the periods before it existed.
    for succession in UnitSuccession.objects.filter(
        predecessor_id__in=list(found), is_primary=True, successor__level=Level.COMMUNE
    ):
        found[succession.successor_id].update(found[succession.predecessor_id])
    return found


def order(period: periods.Period) -> tuple:
    return (period.year, list(Kind).index(period.kind), period.number)


def month_alive(unit: AdministrativeUnit, month: periods.Period) -> bool:
    first, last = month.dates(periods.Calendar.CALENDAR)
    return (unit.valid_from is None or unit.valid_from <= last) and (
        unit.valid_to is None or unit.valid_to >= first
    )


def alive_in(unit: AdministrativeUnit, period: periods.Period) -> bool:
    return any(month_alive(unit, month) for month in period.months())


def history_row(reviewer: AdministrativeUnit, unit: AdministrativeUnit, period: periods.Period) -> bool:
    """A 2025 province's row for one of its communes in a period before the reform: the commune's
    predecessors' figures (issue 12), not a row outside its life."""
    return (
        reviewer.era == Era.CURRENT
        and unit.era == Era.CURRENT
        and period.dates(periods.Calendar.CALENDAR)[1] < REFORM_DATE
    )


@time_machine.travel(TODAY, tick=False)
class ConsistencyTest(TestCase):
    maxDiff = None
    compared: set[tuple[int, str, str]] = set()
    failures: dict[str, list[str]] = {}
    durations: dict[str, float] = {}
    selector: dict = {}

    @classmethod
    def setUpClass(cls):
        saved = getattr(_TestState, "saved_data", None)
        if saved is not None and getattr(saved, "template_render", None) is not None:
            instrumented, Template._render = Template._render, saved.template_render
            cls.addClassCleanup(setattr, Template, "_render", instrumented)
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        started = time.perf_counter()
        call_command("seed_demo", verbosity=0)
        cls.durations["seed_demo"] = time.perf_counter() - started
        cls.open_rounds_of_the_years_with_figures()
        found = demo_cases()
        cls.units = AdministrativeUnit.objects.select_related("parent").in_bulk(list(found))
        cls.cases = [
            (cls.units[pk], period)
            for pk in sorted(found, key=lambda pk: (cls.units[pk].era, cls.units[pk].name))
            for period in sorted(found[pk], key=order)
        ]
        cls.reviewers = {unit.parent_id: unit.parent for unit in cls.units.values()}
        present = sorted((u for u in cls.units.values() if u.era == Era.CURRENT), key=lambda u: u.code)
        cls.sample = {u.pk for u in present if u.code in demo.PERSONAS} | {
            u.pk for u in present[::SAMPLE_EVERY]
        }
        cls.own_cases = [(unit, period) for unit, period in cls.cases if cls.reads_own_pages(unit)]
        cls.field_names = dict(ProcedureField.objects.values_list("pk", "name"))
        cls.statuses = {
            (unit_id, periods.Period(year, Kind(kind), number).code): status
            for unit_id, kind, year, number, status in DossierReport.objects.values_list(
                "unit_id", "period__kind", "period__year", "period__number", "status"
            )
        }
        cls.people = {}
        for membership in Membership.objects.filter(
            role__in=[Role.OFFICER, Role.CHAIRMAN, Role.REVIEWER]
        ).order_by("-role", "user__username"):
            cls.people.setdefault(membership.unit_id, membership.user.username)
        cls.durations["setUpTestData"] = time.perf_counter() - started

    @classmethod
    def reads_own_pages(cls, unit: AdministrativeUnit) -> bool:
        """Whether the commune's own pages, files and documents are read: every legacy commune's,
        and of the present (135 communes in Gia Lai alone) Tam Quan, the communes with named people
        and every SAMPLE_EVERY-th by code; all of them with CONSISTENCY_EVERY_PAGE=1."""
        return EVERY_PAGE or unit.era == Era.LEGACY or unit.pk in cls.sample

    @classmethod
    def open_rounds_of_the_years_with_figures(cls) -> None:
        """The demo's index rounds are of 2022 and 2023 in Hoài Nhơn and Gio Linh; a Sở opens the
        others of the years with figures (legacy districts), so that their automatic leaves are
        computed from the figures too."""
        years = defaultdict(set)
        for unit_id, year in DossierReport.objects.values_list("unit__parent_id", "period__year"):
            years[unit_id].add(year)
        for group in AdministrativeUnit.objects.filter(pk__in=list(years), level=Level.DISTRICT):
            for year in sorted(years[group.pk]):
                if Round.objects.filter(group=group, year=year).exists():
                    continue
                framework = Framework.objects.filter(year_from__lte=year, year_to__gte=year).first()
                if framework is not None:
                    round_open(
                        framework=framework,
                        year=year,
                        group=group,
                        self_deadline=datetime.date(year + 1, 1, 15),
                        communes=list(communes_under(group).valid_on(datetime.date(year, 12, 14))),
                    )

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        units = {pk for pk, _code, _place in cls.compared}
        pairs = {(pk, code) for pk, code, _place in cls.compared}
        place_names = sorted({place for _pk, _code, place in cls.compared})
        cases = {(unit.pk, period.code) for unit, period in cls.cases}
        of_cases = [(pk, code, place) for pk, code, place in cls.compared if (pk, code) in cases]
        communes = {unit.pk for unit, _period in cls.cases}
        lines = [
            f"Communes with figures: {len(communes)} ({sum(u.era == Era.LEGACY for u in cls.units.values())} "
            f"legacy), {len(cases)} commune-periods, {len(of_cases)} commune × period × place comparisons "
            f"({len(of_cases) / max(len(cases), 1):.1f} places a commune-period).",
            f"Compared {len(cls.compared)} (unit, period, place) triples: {len(units)} units, "
            f"{len(pairs)} unit-periods, {len(place_names)} places ({', '.join(place_names)}); "
            f"{'every' if EVERY_PAGE else 'sampled'} month pages.",
            "Seconds: " + ", ".join(f"{name} {seconds:.1f}" for name, seconds in cls.durations.items()),
        ]
        for test, failures in sorted(cls.failures.items()):
            lines.append(f"\n{test}: {len(failures)} disagreements")
            lines.extend(f"  {line}" for line in failures)
        ARTIFACT.parent.mkdir(exist_ok=True)
        ARTIFACT.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print("\n" + "\n".join(lines[:3]))  # noqa: T201 (the closing note quotes it; shown with -s)

    # --- helpers ---------------------------------------------------------------------------------

    def setUp(self):
        self.clients: dict[str, Client] = {}
        self.found: list[str] = []
        self.started = time.perf_counter()

    def client_for(self, unit: AdministrativeUnit) -> Client:
        """The unit's own person (officer, chairman or reviewer), else the superuser."""
        username = self.people.get(unit.pk, "quantri")
        if username not in self.clients:
            client = Client()
            client.force_login(User.objects.get(username=username))
            self.clients[username] = client
        return self.clients[username]

    def read(self, place, *args, **kwargs):
        """``place(*args, **kwargs)``, its time added to the place's."""
        started = time.perf_counter()
        try:
            return place(*args, **kwargs)
        finally:
            name = f"read {place.__name__}"
            type(self).durations[name] = type(self).durations.get(name, 0) + time.perf_counter() - started

    def answer(self, unit, period, basis=Basis.ALL):
        key = (unit.pk, period.code, basis)
        if key not in self.selector:
            self.selector[key] = self.read(figures_for, unit=unit, period=period, basis=basis)
        return self.selector[key]

    def answer_of_row(self, unit, period, basis=Basis.ALL):
        """What a reviewer's page should show for one of its communes: ``figures_for`` of the
        commune for those whose own pages are read, else the commune's group in ``figures_for`` of
        its reviewer (one call for 135 communes; ``test_selector_agrees_with_itself`` holds the two
        equal on the sample)."""
        if self.reads_own_pages(unit) or unit.parent_id not in self.reviewers:
            return self.answer(unit, period, basis)
        key = (unit.parent_id, period.code, basis, "groups")
        if key not in self.selector:
            reviewer = self.reviewers[unit.parent_id]
            self.selector[key] = {
                group.unit.pk: group for group in self.answer(reviewer, period, basis).groups
            }
        return self.selector[key].get(unit.pk) or self.answer(unit, period, basis)

    def check(self, unit, period, place: str, shown: places.Shown, wanted: places.Shown, where: str = ""):
        self.compared.add((unit.pk, period.code, place))
        for line in places.differences(shown, wanted):
            self.found.append(f"{unit.name} {period.code} · {place}{where} · {line}")

    def wrong(self, unit, period, place: str, what: str) -> None:
        self.compared.add((unit.pk, period.code, place))
        self.found.append(f"{unit.name} {period.code} · {place} · {what}")

    def conclude(self) -> None:
        name = self.id().rsplit(".", 1)[-1]
        type(self).failures[name] = list(self.found)
        type(self).durations[name] = time.perf_counter() - self.started
        if self.found:
            self.fail(f"{len(self.found)} disagreements:\n" + "\n".join(self.found))

    def sampled(self, *, xlsx: bool = False) -> list[tuple[AdministrativeUnit, periods.Period]]:
        """The cases whose period page and CSV are read: every longer period (a 2025 commune's
        halves and years: its predecessors' sums), every month of the NAMED communes and elsewhere
        the last month of each year with figures (where the demo's statuses differ). With
        ``xlsx``, the files read as xlsx too: each commune's years, and every period of xã Hoài
        Châu (the layout is the CSV's figures, written otherwise)."""
        last = {}
        for unit, period in self.own_cases:
            if period.kind == Kind.MONTH:
                last[(unit.pk, period.year)] = period
        if xlsx:
            return [
                (unit, period)
                for unit, period in self.own_cases
                if EVERY_PAGE or period.kind == Kind.YEAR or (unit.code == "21649" and unit.era == Era.LEGACY)
            ]
        return [
            (unit, period)
            for unit, period in self.own_cases
            if EVERY_PAGE
            or (unit.code in NAMED and unit.era == Era.LEGACY)
            or last.get((unit.pk, period.year)) == period
            or (period.kind != Kind.MONTH and unit.era == Era.LEGACY)
            or period.kind in (Kind.HALF, Kind.YEAR)
        ]

    def reviewer_periods(self) -> list[tuple[AdministrativeUnit, periods.Period]]:
        """Each reviewer's periods with figures. A 2025 province's pages hold a hundred communes and
        more, about a second each: before the reform (its communes' predecessors) the year, the
        first half and the last month of each year are read; since, its latest month (which has
        every state; the inbox reads every month) and its years (2025 across the reform). All of
        them with CONSISTENCY_EVERY_PAGE=1."""
        wanted = defaultdict(set)
        for unit, period in self.cases:
            wanted[unit.parent_id].add(period)
        last, months = {}, defaultdict(list)
        for pk, found in wanted.items():
            for period in sorted(found, key=order):
                if period.kind == Kind.MONTH:
                    last[(pk, period.year)] = period
                    if period.dates()[1] >= REFORM_DATE:
                        months[pk].append(period)

        def read(reviewer, period) -> bool:
            if EVERY_PAGE or reviewer.era == Era.LEGACY:
                return True
            if period.dates()[1] >= REFORM_DATE:
                return period.kind == Kind.YEAR or period == months[reviewer.pk][-1]
            return (
                period.kind == Kind.YEAR
                or period.code.endswith("-H1")
                or last[(reviewer.pk, period.year)] == period
            )

        return [
            (self.reviewers[pk], period)
            for pk in sorted(wanted)
            for period in sorted(wanted[pk], key=order)
            if read(self.reviewers[pk], period)
        ]

    def communes_of(self, reviewer, period):
        return [unit for unit, p in self.cases if p == period and unit.parent_id == reviewer.pk]

    # --- the commune's own pages and files --------------------------------------------------------

    def test_period_page(self):
        """/units/<pk>/dossiers/<period>/: the figures of the grid (or its total row), and a
        month's status badge."""
        for unit, period in self.sampled():
            page = self.read(places.period_page, self.client_for(unit), unit.pk, period.code)
            if page.code != 200:
                self.wrong(unit, period, "period page", f"answers {page.code}")
                continue
            if not page.shown:
                self.wrong(unit, period, "period page", "shows no figures (no grid, no total row)")
                continue
            wanted = places.expected(self.answer(unit, period).total, places.NAMES)
            self.check(unit, period, "period page", page.shown, wanted)
            if page.grid and (page.footer or page.hooked):  # the grid's lines against its total row
                self.check(unit, period, "period page", page.grid, wanted, " (lines added up)")
            for name in places.CORE:
                if name not in page.shown:
                    self.found.append(
                        f"{unit.name} {period.code} · period page · {places.NAMES[name]}: not shown"
                    )
            if period.kind == Kind.MONTH and (unit.era == Era.LEGACY or month_alive(unit, period)):
                status = self.statuses.get((unit.pk, period.code))
                if page.status != status:
                    self.found.append(
                        f"{unit.name} {period.code} · period page · status: {page.status} ≠ {status}"
                    )
        self.conclude()

    def test_commune_list(self):
        """/units/<pk>/dossiers/?nam=<year>: each month listed shows its report's status and
        figures, each longer period its figures; no month outside the unit's life, no «Quá hạn»
        beside an approved report."""
        years = defaultdict(set)
        for unit, period in self.own_cases:
            years[unit].add(period.year)
        for unit in sorted(years, key=lambda u: (u.era, u.name)):
            listed: dict[str, places.ListRow] = {}
            for year in sorted(years[unit]):
                code, rows = self.read(places.list_page, self.client_for(unit), unit.pk, f"?nam={year}")
                if code != 200:
                    self.wrong(unit, periods.Period(year, Kind.YEAR), "list", f"answers {code}")
                    continue
                listed.update(rows)
            for _unit, period in ((u, p) for u, p in self.cases if u == unit):
                if period.code not in listed and period.kind == Kind.MONTH and month_alive(unit, period):
                    self.wrong(unit, period, "list", "month with figures not listed")
            for period_code, row in sorted(listed.items()):
                period = periods.Period.parse(period_code)
                self.compared.add((unit.pk, period_code, "list"))
                if row.shown:
                    wanted = places.expected(self.answer(unit, period).total, places.NAMES)
                    self.check(unit, period, "list", row.shown, wanted)
                if period.kind != Kind.MONTH:
                    continue
                status = self.statuses.get((unit.pk, period_code))
                if (unit.era == Era.LEGACY or month_alive(unit, period)) and row.status != status:
                    self.found.append(f"{unit.name} {period_code} · list · status: {row.status} ≠ {status}")
                if row.overdue and status == ReportStatus.APPROVED:
                    self.found.append(
                        f"{unit.name} {period_code} · list · «Quá hạn» beside an approved report"
                    )
                if not month_alive(unit, period):
                    self.found.append(f"{unit.name} {period_code} · list · a month outside the unit's life")
        self.conclude()

    def test_bieu06_files_of_the_commune(self):
        """/units/<pk>/dossiers/<period>/bieu06.xlsx and .csv: the total line and each lĩnh vực."""
        columns = [column.attribute for column in places.NUMBER_COLUMNS]
        every = set(self.sampled())
        heavy = set(self.sampled(xlsx=True))
        for unit, period in self.own_cases:
            if (unit, period) not in every:
                continue
            answer = self.answer(unit, period)
            wanted = places.expected(answer.total, columns)
            reads = [("Biểu 06 csv", places.bieu06_csv)]
            if (unit, period) in heavy:
                reads.append(("Biểu 06 xlsx", places.bieu06_xlsx))
            for place, reader in reads:
                file = self.read(reader, self.client_for(unit), unit.pk, period.code)
                if file.code != 200:
                    self.wrong(unit, period, place, f"answers {file.code}")
                    continue
                self.check(unit, period, place, file.total, wanted)
                lines = {name: values for (_group, name), values in file.lines.items()}
                for field_id, figures in answer.lines.items():
                    name = self.field_names[field_id]
                    if name not in lines:
                        if figures != Figures():
                            self.found.append(f"{unit.name} {period.code} · {place} · {name}: line missing")
                        continue
                    self.check(
                        unit, period, place, lines[name], places.expected(figures, columns), f" · {name}"
                    )
        self.conclude()

    def test_documents_of_the_commune(self):
        """The 6-month report of H1 and the year report of each year: facts and dossier table."""
        kinds = {Kind.HALF: ReportKind.HALF_YEAR, Kind.YEAR: ReportKind.YEAR}
        for unit, period in self.own_cases:
            if period.kind not in kinds or (period.kind == Kind.HALF and period.number != 1):
                continue
            place = "6-month report" if period.kind == Kind.HALF else "year report"
            answer = self.answer(unit, period)
            wanted = places.expected(answer.total, places.NAMES)
            document = self.read(places.document, unit, kinds[period.kind], period.code)
            self.check(unit, period, place, document.facts, wanted, " facts")
            self.check(unit, period, place, document.total, wanted, " table")
            for field_id, figures in answer.lines.items():
                name = self.field_names[field_id]
                if name not in document.rows:
                    self.found.append(f"{unit.name} {period.code} · {place} table · {name}: line missing")
                    continue
                self.check(
                    unit,
                    period,
                    place,
                    document.rows[name],
                    places.expected(figures, places.NAMES),
                    f" · {name}",
                )
        self.conclude()

    # --- the reviewer's pages, files and documents ------------------------------------------------

    def test_overview(self):
        """/units/<district or province>/overview/<period>/: each commune's row (figures, and a
        month's status), the total row, and the Biểu 06 files it links to, counting the reports
        the page says it counts."""
        shown_names = [name for name in places.OVERVIEW_HEADERS.values() if name != "status"]
        columns = [column.attribute for column in places.NUMBER_COLUMNS]
        for reviewer, period in self.reviewer_periods():
            heavy = period.kind == Kind.YEAR  # the xlsx of a reviewer's unit: its years
            client = self.client_for(reviewer)
            page = self.read(places.overview, client, reviewer.pk, period.code)
            if page.code != 200:
                self.wrong(reviewer, period, "overview", f"answers {page.code}")
                continue
            basis = BASES.get(page.basis, Basis.ALL)
            where = f" ({page.basis or 'basis not marked: all'})"
            for pk, row in page.rows.items():
                unit = self.units.get(pk) or AdministrativeUnit(pk=pk, name=page.names[pk])
                answer = self.answer_of_row(unit, period, basis).total if pk in self.units else Figures()
                self.check(unit, period, "overview", row, places.expected(answer, shown_names), where)
                if (
                    pk in self.units
                    and not alive_in(unit, period)
                    and not history_row(reviewer, unit, period)
                ):
                    self.found.append(
                        f"{unit.name} {period.code} · overview · a row before or after its life"
                    )
                if period.kind == Kind.MONTH and pk in self.units and month_alive(unit, period):
                    status = self.statuses.get((pk, period.code))
                    if row.get("status") != status:
                        self.found.append(
                            f"{unit.name} {period.code} · overview · status: {row.get('status')} ≠ {status}"
                        )
            for unit in self.communes_of(reviewer, period):
                if unit.pk not in page.rows and alive_in(unit, period):
                    self.wrong(unit, period, "overview", "no row for a commune with figures")
            rows_total = sum(
                (
                    self.answer_of_row(self.units[pk], period, basis).total
                    for pk in page.rows
                    if pk in self.units
                ),
                Figures(),
            )
            self.check(
                reviewer,
                period,
                "overview total",
                page.total,
                places.expected(rows_total, shown_names),
                where,
            )
            files = (("xlsx", places.bieu06_xlsx), ("csv", places.bieu06_csv))
            for fmt, reader in files if EVERY_PAGE or heavy else files[1:]:
                place = f"reviewer Biểu 06 {fmt}"
                if fmt not in page.exports:
                    self.wrong(reviewer, period, place, "the overview links to no file")
                    continue
                file = self.read(reader, client, reviewer.pk, period.code, url=page.exports[fmt])
                if file.code != 200:
                    self.wrong(reviewer, period, place, f"answers {file.code}")
                    continue
                self.check(
                    reviewer,
                    period,
                    place,
                    file.total,
                    places.expected(rows_total, columns),
                    where + " total",
                )
                for pk in page.rows:
                    unit = self.units.get(pk)
                    if unit is None:
                        continue
                    wanted = places.expected(self.answer_of_row(unit, period, basis).total, columns)
                    if unit.name not in file.groups:
                        if any(wanted.values()) and fmt == "xlsx":
                            self.wrong(unit, period, place, f"no subtotal for the commune{where}")
                        continue
                    self.check(unit, period, place, file.groups[unit.name], wanted, where)
        self.conclude()

    def test_selector_agrees_with_itself(self):
        """figures_for(reviewer) is made of its communes as figures_for(commune) answers them: a
        legacy district's communes, and a 2025 province's sampled communes (``reads_own_pages``)
        since the reform (before it, the province's figures are those of the communes of the time)."""
        for reviewer, period in self.reviewer_periods():
            if reviewer.era != Era.LEGACY and period.dates()[1] < REFORM_DATE:
                continue  # a 2025 province's periods before the reform: the communes of that time
            if period.kind not in (Kind.HALF, Kind.YEAR) and not EVERY_PAGE:
                continue  # the halves and years hold every rule: months summed, statuses, life
            for basis in Basis:
                groups = {group.unit.pk: group for group in self.answer(reviewer, period, basis).groups}
                for unit in self.communes_of(reviewer, period):
                    if not alive_in(unit, period) or not self.reads_own_pages(unit):
                        continue
                    group = groups.get(unit.pk)
                    shown = places.expected(group.total if group else Figures(), places.NAMES)
                    wanted = places.expected(self.answer(unit, period, basis).total, places.NAMES)
                    self.check(unit, period, f"selector of the reviewer ({basis})", shown, wanted)
        self.conclude()

    def test_inbox(self):
        """/review/?ky=<month>: the month's reports waiting, the other periods' counted, and the
        communes late with the month (alive in it, with no report sent)."""
        for reviewer in sorted(self.reviewers.values(), key=lambda u: u.name):
            client = self.client_for(reviewer)
            reviewed = list(communes_under(reviewer))
            waiting = {
                (unit_id, periods.Period(year, Kind(kind), number).code)
                for unit_id, kind, year, number in DossierReport.objects.filter(
                    unit__in=reviewed, status=ReportStatus.SUBMITTED
                ).values_list("unit_id", "period__kind", "period__year", "period__number")
            }
            names = {unit.pk: unit.name for unit in reviewed}
            months = sorted(
                {p for u, p in self.cases if u.parent_id == reviewer.pk and p.kind == Kind.MONTH}, key=order
            )
            # What the inbox's user reviews, whatever unit it is here for (the superuser standing
            # in for a unit without its own reviewer reviews nothing: an empty inbox).
            everyone_reviewed = list(
                units_reviewed_by(User.objects.get(username=self.people.get(reviewer.pk, "quantri")))
            )
            for month in months:
                page = self.read(places.inbox, client, month.code)
                if everyone_reviewed and not any(month_alive(unit, month) for unit in everyone_reviewed):
                    # A 2025 province's months before the reform: its communes' history, whose
                    # reports were their district's to review. The inbox refuses them.
                    if page.code != 404:
                        self.wrong(reviewer, month, "inbox", f"answers {page.code}, not 404")
                    continue
                if page.code != 200:
                    self.wrong(reviewer, month, "inbox", f"answers {page.code}")
                    continue
                self.compared.add((reviewer.pk, month.code, "inbox"))
                # The month's table shows its own waiting reports; the other periods' are counted below it.
                in_month = {(unit_id, code) for unit_id, code in waiting if code == month.code}
                elsewhere = dict(Counter(code for _unit, code in waiting if code != month.code))
                if page.submitted != in_month or page.waiting_elsewhere != elsewhere:
                    self.found.append(
                        f"{reviewer.name} {month.code} · inbox · waiting differ: "
                        f"{sorted(page.submitted ^ in_month)}; "
                        f"elsewhere {page.waiting_elsewhere} ≠ {elsewhere}"
                    )
                if page.overdue_period not in (None, month.code):
                    self.found.append(
                        f"{reviewer.name} {month.code} · inbox · late list of {page.overdue_period}"
                    )
                late = {
                    unit.pk
                    for unit in reviewed
                    if month_alive(unit, month)
                    and self.statuses.get((unit.pk, month.code))
                    not in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
                }
                if page.overdue != late:
                    extra = sorted(names.get(pk, str(pk)) for pk in page.overdue - late)
                    lacking = sorted(names.get(pk, str(pk)) for pk in late - page.overdue)
                    self.found.append(
                        f"{reviewer.name} {month.code} · inbox late · listed but not late: "
                        f"{len(extra)} {extra[:4]}; late but not listed: {len(lacking)} {lacking[:4]}"
                    )
        self.conclude()

    def test_summary_documents(self):
        """The reviewer's summary of its communes (H1, year): approved reports only."""
        for reviewer, period in self.reviewer_periods():
            if period.kind not in (Kind.HALF, Kind.YEAR) or (period.kind == Kind.HALF and period.number != 1):
                continue
            living = [unit for unit in self.communes_of(reviewer, period) if alive_in(unit, period)]
            if not living:
                continue  # a 2025 province for the years before it
            document = self.read(places.document, reviewer, ReportKind.SUMMARY, period.code)
            total = places.expected(self.answer(reviewer, period, Basis.APPROVED).total, places.NAMES)
            self.check(reviewer, period, "summary", document.facts, total, " facts")
            self.check(reviewer, period, "summary", document.total, total, " table")
            for unit in living:
                wanted = places.expected(self.answer_of_row(unit, period, Basis.APPROVED).total, places.NAMES)
                if unit.name not in document.rows:
                    self.wrong(unit, period, "summary", "no line for the commune")
                    continue
                self.check(unit, period, "summary", document.rows[unit.name], wanted)
        self.conclude()

    def test_index_automatic_rules(self):
        """The automatic leaves of each assessment: the year's figures, approved reports only."""
        with_figures = {(unit.pk, period.year) for unit, period in self.cases if period.kind == Kind.YEAR}
        assessments = Assessment.objects.select_related("unit", "round__framework").order_by(
            "round__year", "unit__name"
        )
        for assessment in assessments:
            if not self.reads_own_pages(assessment.unit):
                continue  # a commune's own assessment: read for the sample of the present
            unit, year = assessment.unit, periods.Period(assessment.round.year, Kind.YEAR)
            shown = self.read(places.index_automatic, assessment)
            wanted = places.expected(self.answer(unit, year, Basis.APPROVED).total, places.NAMES)
            if (unit.pk, year.year) in with_figures or any(shown.values()):
                self.check(unit, year, "index", shown, wanted)
        self.conclude()

    # --- regressions of the issue -----------------------------------------------------------------

    def unit(self, code: str) -> AdministrativeUnit:
        return AdministrativeUnit.objects.get(era=Era.LEGACY, level=Level.COMMUNE, code=code)

    def test_hoai_chau_2023_is_its_months_summed(self):
        """/units/<Hoài Châu>/dossiers/2023/ (and a quarter, half, nine months): 1.292 resolved,
        the months summed, read only; not "Chưa nhập" with zeros."""
        hoai_chau = self.unit("21649")
        client = self.client_for(hoai_chau)
        expected = {}
        for code in ("2023", "2023-Q1", "2023-H1", "2023-9M"):
            months = periods.Period.parse(code).months()
            totals = [figures_for(unit=hoai_chau, period=month).total for month in months]
            expected[code] = sum(totals, Figures()).resolved_total
        self.assertEqual(expected["2023"], 1292)
        for code, resolved in expected.items():
            with self.subTest(period=code):
                page = places.period_page(client, hoai_chau.pk, code)
                self.assertEqual(page.code, 200)
                shown = page.shown.get("resolved_total")
                self.assertEqual(
                    shown, resolved, f"Xã Hoài Châu {code} · period page · resolved: {shown} ≠ {resolved}"
                )
                self.assertNotIn(
                    "Chưa nhập", page.text.split("Các tháng trong kỳ")[0], f"Xã Hoài Châu {code}: «Chưa nhập»"
                )
                response = client.get(f"/units/{hoai_chau.pk}/dossiers/{code}/")
                self.assertNotContains(
                    response, 'name="save"', msg_prefix=f"Xã Hoài Châu {code}: not read only"
                )

    def test_a_draft_year_report_beside_months_changes_no_figure(self):
        """A draft year report saved for xã Hoài Châu Bắc 2024 leaves its figures (776 received)
        and the district's total as they were in the overview, and the conflict shows."""
        bac = self.unit("21646")
        district = bac.parent
        reviewer = self.client_for(district)
        before = places.overview(reviewer, district.pk, "2024")
        everything = figures_for(unit=bac, period=periods.Period.parse("2024"))
        self.assertEqual(
            everything.total.received_new, 776, "Xã Hoài Châu Bắc 2024: 776 received (every report)"
        )
        officer = User.objects.get(username="hoaichaubac.canbo")
        field_id = next(iter(everything.lines))
        dossier_report_save(
            unit=bac,
            period=Period.for_code("2024"),
            user=officer,
            lines={field_id: Figures(received_in_person=5000, resolved_on_time=5000)},
            expected_version=0,
        )
        after = places.overview(reviewer, district.pk, "2024")
        self.assertEqual(
            after.rows[bac.pk].get("received_new"),
            before.rows[bac.pk].get("received_new"),
            f"Xã Hoài Châu Bắc 2024 · overview ({after.basis}) · received: changed by a draft year report",
        )
        self.assertEqual(
            after.total, before.total, "Thị xã Hoài Nhơn 2024 · overview total: changed by a draft"
        )
        if after.basis != "approved":
            self.assertEqual(after.rows[bac.pk].get("received_new"), 776)
        self.assertTrue(
            any("cả kỳ" in flag for flag in after.flags[bac.pk]),
            f"Xã Hoài Châu Bắc 2024 · overview · the conflict is not flagged: {after.flags[bac.pk]}",
        )
        page = places.period_page(self.client_for(bac), bac.pk, "2024")
        self.assertEqual(
            page.shown.get("received_new"), 776, "Xã Hoài Châu Bắc 2024 · period page · received"
        )
        self.assertIn(
            "Tổng các tháng", page.text, "Xã Hoài Châu Bắc 2024 · period page · the conflict is not shown"
        )
        self.assertIn(
            "Báo cáo cả kỳ", page.text, "Xã Hoài Châu Bắc 2024 · period page · the conflict is not shown"
        )
        self.assertIn(
            "5.000", page.text, "Xã Hoài Châu Bắc 2024 · period page · the year report's figure is not shown"
        )
        code, rows = places.list_page(self.client_for(bac), bac.pk, "?nam=2024")
        self.assertEqual(
            rows["2024"].shown.get("received_new"), 776, "Xã Hoài Châu Bắc 2024 · list · received"
        )

    def test_the_overview_counts_every_report_by_default(self):
        """Issue 11: the overview shows each commune's figures (as its own pages: every report, the
        unapproved ones marked) with its status: Hoài Châu Bắc's 2024 is 776 with a returned month."""
        bac = self.unit("21646")
        page = places.overview(self.client_for(bac.parent), bac.parent.pk, "2024")
        self.assertEqual(
            page.rows[bac.pk].get("received_new"),
            776,
            f"Xã Hoài Châu Bắc 2024 · overview ({page.basis}) · received",
        )
