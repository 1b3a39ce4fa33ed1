"""Every place of the portal that shows a commune's dossier figures, read back as a reader gets it.

One function per place, each returning the figures that place shows (``Shown``: figure name →
value), read from the rendered HTML, the downloaded xlsx or CSV, a composed report's snapshot or
an assessment's automatic scores, never from the code that made them. The consistency test
(``test_consistency.py``) compares them with ``dossiers.selectors.figures_for``; the tests at three
dates (``test_any_day.py``) read the lists' months and statuses.

Figure names are those of ``dossiers.figures.Figures`` (``received_total``, ``resolved_late``,
``online_rate_text`` …); a page's own names for them are mapped here, in one place.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import lxml.html
from openpyxl import load_workbook

from dossiers.exports import _CSV_COLUMNS, FIRST_DATA_ROW, NUMBER_COLUMNS, TOTAL
from dossiers.figures import COLUMN_NAMES, Figures

# The figures every place is asked for, with the short name a failure message gives them.
CORE = {
    "received_total": "received",
    "received_online": "online",
    "resolved_total": "resolved",
    "resolved_late": "resolved late",
    "online_payments": "online payments",
    "dossiers_with_fees": "with fees",
}
# What else some places show.
EXTRA = {
    "received_new": "received new",
    "late_total": "late",
    "apology_letters": "apologies",
    "resolved_in_time": "in time",
    "pending_total": "pending",
    "online_rate_text": "online rate",
    "on_time_rate_text": "on-time rate",
    "payment_rate_text": "payment rate",
}
NAMES = {**CORE, **EXTRA}

Shown = dict[str, int | str]
ENTRY_LINK = re.compile(r"/units/(\d+)/dossiers/([0-9A-Za-z-]+)/")


def expected(figures: Figures, names) -> Shown:
    """What a place showing ``names`` should show for ``figures``."""
    values: Shown = {}
    for name in names:
        if name == "resolved_in_time":
            values[name] = figures.resolved_early + figures.resolved_on_time
        else:
            values[name] = getattr(figures, name)
    return values


def differences(shown: Shown, wanted: Shown) -> list[str]:
    """ "resolved: 0 ≠ 1292" for each figure a place shows differently from ``wanted``; a figure
    the place does not show is not compared."""
    lines = []
    for name, value in wanted.items():
        if name not in shown:
            continue
        if shown[name] != value:
            lines.append(f"{NAMES.get(name, name)}: {_show(shown[name])} ≠ {_show(value)}")
    return lines


def _show(value) -> str:
    return "«»" if value == "" else str(value)


def number(text: str | None) -> int:
    """A figure as the portal writes it ("1.292", "", "–") as an int."""
    text = (text or "").strip().replace("\xa0", "").replace(" ", "")
    if text in ("", "–", "-", "—"):
        return 0
    return int(text.replace(".", ""))


def rate(text: str | None) -> str:
    """A rate as written ("91,64%", "–") with "–" read as no rate ("")."""
    text = (text or "").strip().replace("\xa0", "")
    return "" if text in ("", "–", "-", "—") else text


def _html(response):
    return lxml.html.fromstring(response.content.decode())


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _status_of(element) -> str | None:
    """The status a badge ``status-<x>`` shows, None for ``status-none``."""
    for badge in element.xpath(".//*[contains(concat(' ', @class, ' '), ' badge ')]"):
        for name in badge.get("class", "").split():
            if name.startswith("status-"):
                status = name.removeprefix("status-")
                return None if status == "none" else status
    return None


# The names the pages' hooks (data-figure, data-sum, data-sum-total) give the figures, where they
# differ from the names of ``Figures``.
HOOK_NAMES = {
    "resolved": "resolved_total",
    "pending": "pending_total",
    "late": "late_total",
    "online_rate": "online_rate_text",
    "on_time_rate": "on_time_rate_text",
    "payment_rate": "payment_rate_text",
}
TOTAL_HOOKS = {"received": "received_total", "resolved": "resolved_total", "pending": "pending_total"}


def _value(name: str, text: str) -> int | str:
    return rate(text) if name.endswith("_text") else number(text)


def _hooked(elements, attribute: str, names: dict[str, str]) -> Shown:
    """The figures ``elements`` mark with ``attribute="<name>"`` (stable hooks), the empty ones
    (filled by the browser's script) left out."""
    values: Shown = {}
    for element in elements:
        text = element.get("data-value", element.text_content())
        if not text.strip():
            continue
        name = names.get(element.get(attribute), element.get(attribute))
        values[name] = _value(name, text)
    return values


def _derived(values: Shown) -> Shown:
    """The totals a page leaves to its reader: received (new + từ kỳ trước), resolved, late."""
    values = dict(values)
    if "received_total" not in values and {"received_new", "carried_over"} <= values.keys():
        values["received_total"] = values["received_new"] + values["carried_over"]
    if (
        "resolved_total" not in values
        and {"resolved_early", "resolved_on_time", "resolved_late"} <= values.keys()
    ):
        values["resolved_total"] = (
            values["resolved_early"] + values["resolved_on_time"] + values["resolved_late"]
        )
    return values


def _with_totals(figures: Figures) -> Shown:
    values = expected(figures, COLUMN_NAMES)
    values.update(expected(figures, NAMES))
    return values


# --- the period page ------------------------------------------------------------------------------


@dataclass
class PeriodPage:
    code: int
    status: str | None = None  # the badge beside the title
    grid: Shown = field(default_factory=dict)  # the lĩnh vực rows added up
    footer: Shown = field(default_factory=dict)  # the "Tổng cộng" row, where the server fills it
    hooked: Shown = field(default_factory=dict)
    rows: int = 0
    text: str = ""

    @property
    def shown(self) -> Shown:
        """What the page shows: its marked figures, else its total row, else its rows added up."""
        return {**self.grid, **self.footer, **self.hooked}


def period_page(client, unit_pk: int, code: str) -> PeriodPage:
    response = client.get(f"/units/{unit_pk}/dossiers/{code}/")
    if response.status_code != 200:
        return PeriodPage(response.status_code)
    doc = _html(response)
    page = PeriodPage(200, text=_text(doc.xpath("//main")[0] if doc.xpath("//main") else doc))
    heading = doc.xpath("//h1/..")
    page.status = _status_of(heading[0]) if heading else None
    sums = dict.fromkeys(COLUMN_NAMES, 0)
    grids = doc.xpath("//table[@data-entry-grid]")
    if grids:
        rows = grids[0].xpath("./tbody/tr")
        page.rows = len(rows)
        for row in rows:
            for cell in row.xpath("./td[@data-column]"):
                inputs = cell.xpath(".//input")
                text = inputs[0].get("value", "") if inputs else _text(cell)
                sums[cell.get("data-column")] = sums.get(cell.get("data-column"), 0) + number(text)
        if rows:
            page.grid = _with_totals(Figures(**{name: sums[name] for name in COLUMN_NAMES}))
    # A total row the server fills: the grid's (data-sum, data-sum-total), a summed period's
    # (tr data-total with data-sum cells); not the table comparing months with a whole-period report.
    totals = doc.xpath(
        "//table[not(contains(@class, 'conflict-table'))]"
        "//*[self::tfoot or @data-total]//*[@data-sum or @data-sum-total]"
    )
    footer = _hooked([e for e in totals if e.get("data-sum")], "data-sum", HOOK_NAMES)
    footer.update(_hooked([e for e in totals if e.get("data-sum-total")], "data-sum-total", TOTAL_HOOKS))
    page.footer = _derived(footer)
    page.hooked = _hooked(doc.xpath("//*[@data-figure]"), "data-figure", HOOK_NAMES)
    return page


# --- the commune's list ---------------------------------------------------------------------------


@dataclass
class ListRow:
    code: str
    label: str
    status: str | None  # a month's report status (None: no report)
    overdue: bool
    shown: Shown = field(default_factory=dict)  # the figures the row shows


def list_page(client, unit_pk: int, query: str = "") -> tuple[int, dict[str, ListRow]]:
    """The periods the commune's list shows (its months, and its longer periods where listed):
    period code → its row (status, "Quá hạn", figures)."""
    response = client.get(f"/units/{unit_pk}/dossiers/{query}")
    if response.status_code != 200:
        return response.status_code, {}
    rows: dict[str, ListRow] = {}
    for row in _html(response).xpath("//table//tbody/tr"):
        links = [ENTRY_LINK.search(a.get("href", "")) for a in row.xpath(".//a")]
        links = [match for match in links if match]
        if not links and not row.get("data-period"):
            continue
        code = row.get("data-period") or links[-1].group(2)
        cells = row.xpath("./td|./th")
        status = row.get("data-status") or (_status_of(row) if periods_kind(code) == "month" else None)
        rows[code] = ListRow(
            code=code,
            label=_text(cells[0]) if cells else "",
            status=None if status == "none" else status,
            overdue=row.get("data-overdue") == "1"
            if row.get("data-overdue")
            else "Quá hạn" in _text(row) or "table-danger" in row.get("class", ""),
            shown=_hooked(row.xpath(".//*[@data-figure]"), "data-figure", HOOK_NAMES),
        )
    return 200, rows


def periods_kind(code: str) -> str:
    return "month" if re.fullmatch(r"\d{4}-\d{2}", code) else "longer"


# --- the reviewer's overview ----------------------------------------------------------------------

OVERVIEW_HEADERS = {
    "Tiếp nhận": "received_new",
    "Đã giải quyết": "resolved_total",
    "Trực tuyến": "online_rate_text",
    "Đúng hạn": "on_time_rate_text",
    "Trễ hẹn": "late_total",
    "Thư xin lỗi": "apology_letters",
    "Thanh toán TT": "payment_rate_text",
    "Trạng thái": "status",
}


@dataclass
class Overview:
    code: int
    period: str = ""  # the period the page is of (from its URL)
    rows: dict[int, Shown] = field(default_factory=dict)  # commune pk → what its row shows
    names: dict[int, str] = field(default_factory=dict)
    flags: dict[int, list[str]] = field(default_factory=dict)  # commune pk → the row's flags
    total: Shown = field(default_factory=dict)
    basis: str = ""  # the reports it counts, where the page says so (data-basis): "all", "approved"
    exports: dict[str, str] = field(default_factory=dict)  # "xlsx", "csv" → the link it gives
    text: str = ""


def overview(client, unit_pk: int, code: str | None = None) -> Overview:
    """The overview of ``code``, or (None) the one the overview's own link opens by default."""
    url = f"/units/{unit_pk}/overview/" + (f"{code}/" if code else "")
    response = client.get(url, follow=True)
    if response.status_code != 200:
        return Overview(response.status_code)
    final = response.redirect_chain[-1][0] if response.redirect_chain else url
    match = re.search(r"/overview/([^/]+)/", final)
    doc = _html(response)
    page = Overview(200, period=match.group(1) if match else "", text=_text(doc))
    marked = doc.xpath("//*[@data-basis]")
    page.basis = marked[0].get("data-basis") if marked else ""
    for link in doc.xpath("//a[contains(@href, '/bieu06.')]"):
        href = link.get("href")
        page.exports[re.search(r"bieu06\.(xlsx|csv)", href).group(1)] = href
    tables = doc.xpath("//table[contains(@class, 'overview')]") or doc.xpath("//table")
    if not tables:
        return page
    table = tables[0]
    headers = [_text(th) for th in table.xpath("./thead/tr[last()]/th")]
    columns = [OVERVIEW_HEADERS.get(header) for header in headers]

    def read(row) -> Shown:
        values: Shown = {}
        for name, cell in zip(columns, row.xpath("./th|./td"), strict=False):
            hook = cell.get("data-figure")
            name = HOOK_NAMES.get(hook, hook) if hook else name
            if name is None:
                continue
            values[name] = _status_of(cell) if name == "status" else _value(name, cell.text_content())
        if row.get("data-status"):
            values["status"] = None if row.get("data-status") == "none" else row.get("data-status")
        return values

    for row in table.xpath("./tbody/tr"):
        links = [ENTRY_LINK.search(a.get("href", "")) for a in row.xpath(".//a")]
        links = [match for match in links if match]
        pk = int(row.get("data-unit") or links[0].group(1))
        page.rows[pk] = read(row)
        page.names[pk] = _text(row.xpath("./th")[0].xpath(".//a")[0]) if row.xpath("./th//a") else ""
        page.flags[pk] = [_text(flag) for flag in row.xpath(".//*[contains(@class, 'flag')]")]
    footer = table.xpath("./tfoot/tr")
    if footer:
        page.total = read(footer[0])
        page.total.pop("status", None)
    return page


# --- the inbox ------------------------------------------------------------------------------------


@dataclass
class Inbox:
    """The inbox of one month (issue 12: one table of the month's communes with their report)."""

    code: int
    submitted: set[tuple[int, str]] = field(default_factory=set)  # (commune pk, period code) waiting
    overdue_heading: str = ""
    overdue_period: str | None = None  # the month of the table, from its section's data-period
    overdue: set[int] = field(default_factory=set)  # communes with nothing sent that month
    statuses: dict[int, str | None] = field(default_factory=dict)  # commune pk → status (None: none)
    waiting_elsewhere: dict[str, int] = field(default_factory=dict)  # other period code → count
    text: str = ""


def inbox(client, period: str | None = None, query: str = "") -> Inbox:
    """The inbox as shown, by default of its default month (its default filter: every row but the
    approved ones)."""
    response = client.get("/review/" + (f"?ky={period}" if period else "") + query)
    if response.status_code != 200:
        return Inbox(response.status_code)
    doc = _html(response)
    page = Inbox(200, text=_text(doc))
    sections = doc.xpath("//section[contains(@class, 'inbox')]")
    if sections:
        section = sections[0]
        page.overdue_period = section.get("data-period")
        page.overdue_heading = _text(section.xpath(".//h2")[0])
        for row in section.xpath(".//table//tbody/tr"):
            pk, status = int(row.get("data-unit")), row.get("data-status")
            page.statuses[pk] = None if status == "none" else status
            if status == "submitted":
                page.submitted.add((pk, page.overdue_period))
            elif status in ("none", "draft", "returned"):
                page.overdue.add(pk)
    for item in doc.xpath("//section[@aria-labelledby='elsewhere-heading']//li"):
        page.waiting_elsewhere[item.get("data-period")] = int(item.get("data-count"))
    return page


# --- Biểu 06 as xlsx and CSV ----------------------------------------------------------------------


@dataclass
class Bieu06:
    code: int
    total: Shown = field(default_factory=dict)  # the "Tổng cộng" line
    groups: dict[str, Shown] = field(default_factory=dict)  # a reviewer's file: commune → subtotal
    lines: dict[tuple[str, str], Shown] = field(default_factory=dict)  # (commune, lĩnh vực) → line


_XLSX_ATTRIBUTES = {column.number: column.attribute for column in NUMBER_COLUMNS}


def bieu06_xlsx(client, unit_pk: int, code: str, url: str = "") -> Bieu06:
    """The file at ``url``, by default the unit's Biểu 06 of ``code``."""
    response = client.get(url or f"/units/{unit_pk}/dossiers/{code}/bieu06.xlsx")
    if response.status_code != 200:
        return Bieu06(response.status_code)
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    result = Bieu06(200)
    group = ""
    for row in sheet.iter_rows(min_row=FIRST_DATA_ROW, values_only=True):
        if not any(value is not None for value in row):
            continue
        stt, name = row[0], row[1] or ""
        values: Shown = {
            attribute: int(row[column - 1] or 0)
            for column, attribute in _XLSX_ATTRIBUTES.items()
            if column - 1 < len(row)
        }
        if name == TOTAL:
            result.total = values
        elif isinstance(stt, str) and stt.strip():
            group = name
            result.groups[group] = values
        else:
            result.lines[(group, name)] = values
    return result


def bieu06_csv(client, unit_pk: int, code: str, url: str = "") -> Bieu06:
    """The CSV has no total lines: its lines added up, per commune and in all."""
    response = client.get(url or f"/units/{unit_pk}/dossiers/{code}/bieu06.csv")
    if response.status_code != 200:
        return Bieu06(response.status_code)
    reader = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    header = next(reader)
    titles = dict(_CSV_COLUMNS)
    attributes = {index: titles[title] for index, title in enumerate(header) if title in titles}
    result = Bieu06(200)
    for row in reader:
        unit_name, field_name = row[0], row[1]
        values = {attribute: int(row[index]) for index, attribute in attributes.items()}
        result.lines[(unit_name, field_name)] = values
        for bucket in (result.groups.setdefault(unit_name, {}), result.total):
            for attribute, value in values.items():
                bucket[attribute] = bucket.get(attribute, 0) + value
    return result


# --- composed documents ---------------------------------------------------------------------------

FACTS = {
    "received_total": "received_total",
    "received_new": "received_new",
    "received_online": "received_online",
    "resolved_total": "resolved_total",
    "resolved_in_time": "resolved_in_time",
    "resolved_late": "resolved_late",
    "pending_total": "pending_total",
    "online_payments": "online_payments",
    "apology_letters": "apology_letters",
    "online_rate": "online_rate_text",
    "on_time_rate": "on_time_rate_text",
    "payment_rate": "payment_rate_text",
}
# The dossier table's columns after STT and Lĩnh vực (reports.compose.common._dossier_cells).
TABLE = (
    "received_total",
    "received_online",
    "resolved_total",
    "resolved_in_time",
    "resolved_late",
    "pending_total",
    "online_rate_text",
    "on_time_rate_text",
)


@dataclass
class Document:
    facts: Shown
    total: Shown  # the table's "Tổng cộng" line
    rows: dict[str, Shown]  # the table's lines by their name (a lĩnh vực, or a commune)


def _table_values(cells: list[str]) -> Shown:
    return {
        name: rate(text) if name.endswith("_text") else number(text)
        for name, text in zip(TABLE, cells, strict=False)
    }


def document(unit, kind: str, code: str) -> Document:
    """The dossier facts and table of a report of ``kind`` for ``unit`` and ``code``, composed as a
    new draft composes them (the snapshot, not saved)."""
    from reports.compose import snapshot_build
    from reports.models import Report

    snapshot = snapshot_build(Report(unit=unit, kind=kind, period=code))
    facts: Shown = {}
    for key, name in FACTS.items():
        if key in snapshot["facts"]:
            text = snapshot["facts"][key]
            facts[name] = rate(text) if name.endswith("_text") else number(text)
    tables = [table for key, table in snapshot["tables"].items() if key.startswith("dossiers")]
    table = tables[0] if tables else {"rows": [], "total": []}
    rows = {row[1]: _table_values(row[2:]) for row in table["rows"]}
    return Document(facts, _table_values(table["total"][2:]) if table["total"] else {}, rows)


# --- the index's automatic rules ------------------------------------------------------------------

RULE_FIGURES = {
    "ty_le_truc_tuyen": ("received_online", "received_new"),
    "ty_le_dung_han": ("resolved_in_time", "resolved_total"),
    "thanh_toan_truc_tuyen": ("online_payments", "dossiers_with_fees"),
    "xin_loi_tre_han": ("apology_letters", "late_total"),
}


def index_automatic(assessment) -> Shown:
    """The figures behind an assessment's automatic leaves (their ``auto_data``), after the
    round's refresh computes them: figure name → value."""
    from indices import rules
    from indices.services.rounds import assessment_refresh_auto

    assessment_refresh_auto(assessment=assessment)
    values: Shown = {}
    for score in assessment.scores.select_related("criterion").exclude(criterion__rule=""):
        rule = rules.parse(score.criterion.rule)
        if rule is None or rule.is_survey or not score.auto_data:
            continue
        numerator, denominator = RULE_FIGURES[rule.name]
        values[numerator] = score.auto_data["numerator"]
        values[denominator] = score.auto_data["denominator"]
    return values
