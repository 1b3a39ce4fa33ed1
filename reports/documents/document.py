"""What both documents show: ``document_for`` reads a report once into a ``Document`` (its own
facts, its parts in order, each with its table and chart), which the PDF and the Word copy print.

Both follow Nghị định 30/2020/NĐ-CP, Phụ lục I (DOMAIN.md §4) and read the same things: the
report's own facts (number, place and date, type, summary, addressee, signer, recipients), its
sections in order (heading, body, then the table and chart of the snapshot named by
``section.table``) and ``report.snapshot``. ``document_for`` gathers them once, so the PDF and the
Word copy cannot drift apart.

Who the letterhead names (left column):
- a commune, or any unit's own People's Committee: "ỦY BAN NHÂN DÂN" / "XÃ TÙNG CHÂU", both bold,
  as the seeds print it; the signer signs for the committee ("TM. ỦY BAN NHÂN DÂN");
- a reviewer's summary report (kind ``tong-hop``) of a district or a province: the reviewing
  office under its governing committee, "UBND THỊ XÃ HOÀI NHƠN" / "PHÒNG NỘI VỤ" before the 2025
  reform, "UBND TỈNH GIA LAI" / "SỞ NỘI VỤ" after it (the governing body not bold, the office
  bold: NĐ 30's "cơ quan chủ quản" / "cơ quan ban hành"). An office is headed by one person, so
  its head signs without "TM."; a deputy signs "KT. TRƯỞNG PHÒNG" / "PHÓ TRƯỞNG PHÒNG".
A vice-chairman signs a committee's document "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH" /
"PHÓ CHỦ TỊCH", the three lines of seed 003 and of NĐ 30 for collective bodies.

Text typed by users is escaped by the template; a section's body is HTML that passes through
``reports.text.clean`` again here (defence in depth: whatever reached the database), and a chart
is SVG rebuilt from an allow-list of elements and attributes before it is placed inline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from lxml import etree

from communes.models import Level

from ..models import Report, ReportKind, ReportStatus, SignerMode
from ..text import clean, dated_line

WIDE_TABLE_COLUMNS = 8  # more columns than this: a smaller type so that Biểu 06 fits the width
NBSP = "\u00a0"


@dataclass(frozen=True)
class HeaderCell:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class DataTable:
    caption: str
    header: list[list[HeaderCell]]
    rows: list[list[tuple[str, bool]]]  # (cell, numeric)
    total: list[tuple[str, bool]] | None
    columns: int

    @property
    def wide(self) -> bool:
        return self.columns > WIDE_TABLE_COLUMNS


@dataclass(frozen=True)
class Part:
    heading: str
    body: SafeString  # cleaned HTML
    table: DataTable | None = None
    chart: SafeString = mark_safe("")  # sanitised inline SVG, or nothing


@dataclass(frozen=True)
class Document:
    draft: bool
    issuer_above: str  # "ỦY BAN NHÂN DÂN", or the governing committee of an office
    issuer_above_bold: bool
    issuer: str  # "XÃ TÙNG CHÂU", "PHÒNG NỘI VỤ"
    number_line: str  # "Số: 352/BC-UBND"
    dated_line: str  # "Tùng Châu, ngày 29 tháng 9 năm 2023"
    title: str  # "BÁO CÁO"
    summary: str
    addressee_line: str  # "Kính gửi: Phòng Nội vụ huyện." or ""
    parts: list[Part]
    signer_lines: list[str]  # "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"
    signer_name: str
    recipients: list[str]  # each "- …"
    nation: str = field(default_factory=lambda: _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
    motto: str = field(default_factory=lambda: _("Độc lập - Tự do - Hạnh phúc"))
    draft_mark: str = field(default_factory=lambda: _("DỰ THẢO"))
    recipients_label: str = field(default_factory=lambda: _("Nơi nhận:"))


def _is_office(report: Report) -> bool:
    """A reviewer's summary is issued by its home-affairs office, not by a People's Committee."""
    return report.kind == ReportKind.SUMMARY and report.unit.level != Level.COMMUNE


def _issuer(report: Report) -> tuple[str, bool, str]:
    unit = report.unit
    if _is_office(report):
        office = _("PHÒNG NỘI VỤ") if unit.level == Level.DISTRICT else _("SỞ NỘI VỤ")
        return _("UBND %(unit)s") % {"unit": unit.name.upper()}, False, office
    return _("ỦY BAN NHÂN DÂN"), True, unit.name.upper()


def _head_title(report: Report) -> str:
    if not _is_office(report):
        return _("CHỦ TỊCH")
    return _("TRƯỞNG PHÒNG") if report.unit.level == Level.DISTRICT else _("GIÁM ĐỐC")


def _signer_lines(report: Report) -> list[str]:
    head = _head_title(report)
    title = (report.signer_title or "").strip().upper() or head
    lines = [] if _is_office(report) else [_("TM. %(body)s") % {"body": _("ỦY BAN NHÂN DÂN")}]
    if report.signer_mode == SignerMode.KT:
        deputy_of = title.removeprefix(_("PHÓ") + " ").strip() if title != head else head
        lines.append(_("KT. %(head)s") % {"head": deputy_of})
    lines.append(title)
    return lines


def _dated_line(report: Report) -> str:
    place = report.place.strip()
    if report.dated:
        return dated_line(place, report.dated)
    # A draft without its date: the blanks a chairman fills in by hand, as on paper.
    blank = NBSP * 5
    return _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % {
        "place": place,
        "day": blank,
        "month": blank,
        "year": timezone.localdate().year,
    }


def _recipients(report: Report) -> list[str]:
    lines = []
    for line in (report.recipients or "").splitlines():
        text = line.strip().lstrip("-–+•").strip()
        if text:
            lines.append(f"- {text}")
    return lines


def _cell_text(value) -> str:
    return "" if value is None else str(value)


def _data_table(raw) -> DataTable | None:
    """A snapshot table, checked cell by cell (the snapshot is JSON: trust its shape to nothing)."""
    if not isinstance(raw, dict):
        return None
    numeric = [bool(v) for v in raw.get("numeric") or [] if not isinstance(v, (dict, list))]
    header = []
    for row in raw.get("header") or []:
        cells = []
        for cell in row if isinstance(row, list) else []:
            if isinstance(cell, dict):
                cells.append(
                    HeaderCell(
                        _cell_text(cell.get("text")),
                        max(1, _int(cell.get("colspan"))),
                        max(1, _int(cell.get("rowspan"))),
                    )
                )
            else:
                cells.append(HeaderCell(_cell_text(cell)))
        header.append(cells)

    def flag(i: int) -> bool:
        return numeric[i] if i < len(numeric) else False

    def line(row) -> list[tuple[str, bool]]:
        return [(_cell_text(v), flag(i)) for i, v in enumerate(row if isinstance(row, list) else [])]

    rows = [line(row) for row in raw.get("rows") or []]
    total = line(raw["total"]) if isinstance(raw.get("total"), list) else None
    columns = max(
        [len(numeric), *(len(r) for r in rows), len(total or []), _header_columns(header)], default=0
    )
    if not columns:
        return None
    return DataTable(_cell_text(raw.get("caption")), header, rows, total, columns)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 1


def _header_grid(header: list[list[HeaderCell]]) -> list[tuple[int, int, HeaderCell]]:
    """(row, column, cell) of each header cell, rowspans of the rows above taken into account."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(header):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return placed


def _header_columns(header: list[list[HeaderCell]]) -> int:
    return max((c + cell.colspan for _r, c, cell in _header_grid(header)), default=0)


# Only what core.charts draws, and only presentation attributes: no script, no style, no link,
# no foreign content, no reference to anything outside the picture.
SVG_NS = "http://www.w3.org/2000/svg"
SVG_TAGS = {
    "svg", "g", "title", "desc", "line", "rect", "circle", "ellipse", "polyline", "polygon", "path",
    "text", "tspan",
}  # fmt: skip
SVG_ATTRIBUTES = {
    "viewBox", "width", "height", "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "rx", "ry",
    "dx", "dy", "points", "d", "fill", "stroke", "stroke-width", "stroke-dasharray", "stroke-linecap",
    "stroke-linejoin", "opacity", "fill-opacity", "stroke-opacity", "font-size", "font-weight",
    "text-anchor", "dominant-baseline", "transform", "role", "aria-label",
}  # fmt: skip
SVG_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def sanitise_svg(markup) -> SafeString:
    """``markup`` rebuilt from ``SVG_TAGS`` and ``SVG_ATTRIBUTES`` only, in the bundled serif;
    empty when it is not an SVG picture."""
    if not isinstance(markup, str) or not markup.strip():
        return mark_safe("")
    try:
        source = etree.fromstring(markup.strip().encode(), SVG_PARSER)
    except etree.XMLSyntaxError:
        return mark_safe("")
    if etree.QName(source).localname != "svg":
        return mark_safe("")

    def copy(node, parent=None):
        name = etree.QName(node).localname if isinstance(node.tag, str) else ""
        if name not in SVG_TAGS or etree.QName(node).namespace not in (SVG_NS, None):
            return None
        out = etree.Element(f"{{{SVG_NS}}}{name}", nsmap={None: SVG_NS}) if parent is None else None
        if out is None:
            out = etree.SubElement(parent, f"{{{SVG_NS}}}{name}")
        for key, value in node.attrib.items():
            if key in SVG_ATTRIBUTES and "url(" not in value.lower() and ":" not in value.split("(")[0]:
                out.set(key, value)
        out.text = node.text
        for child in node:
            kept = copy(child, out)
            if kept is not None:
                kept.tail = child.tail
            elif child.tail:  # the text after a dropped element stays where it was
                last = out[-1] if len(out) else None
                if last is not None:
                    last.tail = (last.tail or "") + child.tail
                else:
                    out.text = (out.text or "") + child.tail
        return out

    tree = copy(source)
    tree.set("width", "100%")
    tree.set("font-family", "CCHC Serif")  # the @font-face of print.css, embedded like the text
    return mark_safe(etree.tostring(tree, encoding="unicode"))  # noqa: S308 (rebuilt from allow-lists)


def document_for(report: Report) -> Document:
    """Everything the PDF and the Word copy print, in order, as text and cleaned HTML."""
    snapshot = report.snapshot if isinstance(report.snapshot, dict) else {}
    tables = snapshot.get("tables") if isinstance(snapshot.get("tables"), dict) else {}
    charts = snapshot.get("charts") if isinstance(snapshot.get("charts"), dict) else {}
    parts = []
    for section in report.sections.all():
        name = section.table
        parts.append(
            Part(
                heading=section.heading.strip(),
                body=mark_safe(clean(section.body)),  # noqa: S308 (cleaned again right here)
                table=_data_table(tables.get(name)) if name else None,
                chart=sanitise_svg(charts.get(name)) if name else mark_safe(""),
            )
        )
    above, above_bold, issuer = _issuer(report)
    addressee = report.addressee.strip()
    return Document(
        draft=report.status != ReportStatus.ISSUED,
        issuer_above=above,
        issuer_above_bold=above_bold,
        issuer=issuer,
        number_line=_("Số: %(number)s") % {"number": report.number_symbol.replace(" ", NBSP)},
        dated_line=_dated_line(report),
        title=report.title.strip().upper(),
        summary=report.summary.strip(),
        addressee_line=_("Kính gửi: %(addressee)s") % {"addressee": addressee} if addressee else "",
        parts=parts,
        signer_lines=_signer_lines(report),
        signer_name=report.signer_name.strip(),
        recipients=_recipients(report),
    )
