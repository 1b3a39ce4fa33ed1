"""The documents themselves: a report as HTML for WeasyPrint (the PDF) and as a Word copy.

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

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import docx
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt, RGBColor
from lxml import etree

from communes.models import Level
from core.pdf import render_pdf

from .models import Report, ReportKind, ReportStatus, SignerMode
from .text import clean, dated_line

# --- what both documents show ----------------------------------------------------------------

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
    dated_line: str  # "Tùng Châu, ngày 29 tháng 09 năm 2023"
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


# --- the PDF ------------------------------------------------------------------------------------


def report_html(report: Report) -> str:
    """The document as HTML for WeasyPrint and ``static/css/print.css``."""
    return render_to_string("reports/document/report.html", {"doc": document_for(report)})


def report_pdf(report: Report) -> bytes:
    """The document as an A4 PDF, every font embedded."""
    return render_pdf(report_html(report))


# --- the Word copy ------------------------------------------------------------------------------

WORD_FONT = "Times New Roman"  # on every office PC; the PDF's bundled serif has its metrics
TEXT_WIDTH = Mm(210 - 30 - 15)
LETTERHEAD_WIDTHS = (Cm(6.3), TEXT_WIDTH - Cm(6.3))
SIGNATURE_WIDTHS = (Cm(7.5), TEXT_WIDTH - Cm(7.5))
BOLD_FONT = settings.BASE_DIR / "static" / "fonts" / "liberation-serif-2.1.5" / "LiberationSerif-Bold.ttf"
# The elements that may follow w:pBdr inside w:pPr (ECMA-376 order), to insert it in its place.
AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
    "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def report_docx(report: Report) -> bytes:
    """The same document as a Word file, for the chairman to edit before signing."""
    doc = document_for(report)
    word = docx.Document()
    _word_page(word)
    lists = _WordLists(word)
    if doc.draft:
        mark = _paragraph(word, align=WD_ALIGN_PARAGRAPH.RIGHT)
        _run(mark, doc.draft_mark, bold=True, size=10, colour=RGBColor(0x80, 0x80, 0x80))
    _word_letterhead(word, doc)
    _run(_paragraph(word, align=WD_ALIGN_PARAGRAPH.CENTER, before=18), doc.title, bold=True)
    if doc.summary:
        _run(_paragraph(word, align=WD_ALIGN_PARAGRAPH.CENTER), doc.summary, bold=True)
    _rule(_paragraph(word), Cm(0), TEXT_WIDTH, width=TEXT_WIDTH // 4)
    if doc.addressee_line:
        _run(_paragraph(word, align=WD_ALIGN_PARAGRAPH.CENTER, before=6, after=6), doc.addressee_line)
    for part in doc.parts:
        if part.heading:
            heading = _body_paragraph(word)
            heading.paragraph_format.keep_with_next = True
            _run(heading, part.heading, bold=True)
        _word_body(word, lists, part.body)
        if part.table is not None:
            _word_table(word, part.table)
    _word_signature(word, doc)
    word.core_properties.title = f"{doc.title} {doc.summary}".strip()
    word.core_properties.language = "vi-VN"
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _word_page(word) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    normal = word.styles["Normal"]
    normal.font.name = WORD_FONT
    normal.font.size = Pt(14)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), WORD_FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    # Page numbers top centre from page 2 (NĐ 30): a PAGE field in the header, none on page 1.
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = number.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    run.font.size = Pt(13)


def _paragraph(container, *, align=None, before: float = 0, after: float = 0, size=None):
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    if align is not None:
        paragraph.alignment = align
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.first_line_indent = Cm(0)
    return paragraph


def _body_paragraph(container):
    paragraph = _paragraph(container, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6)
    paragraph.paragraph_format.first_line_indent = Cm(1)
    return paragraph


def _run(paragraph, text: str, *, bold=False, italic=False, size=None, colour=None):
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    if size:
        run.font.size = Pt(size)
    if colour is not None:
        run.font.color.rgb = colour
    return run


def _rule(paragraph, left, available, *, width) -> None:
    """A solid rule ``width`` long, centred in ``available`` (an empty paragraph's bottom border)."""
    indent = max((available - width) // 2, 0)
    fmt = paragraph.paragraph_format
    fmt.left_indent, fmt.right_indent = left + indent, indent
    p_pr = paragraph._p.get_or_add_pPr()
    border = parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'
    )
    p_pr.insert_element_before(border, *AFTER_PBDR)
    _run(paragraph, "", size=2)
    paragraph.paragraph_format.line_spacing = Pt(3)


def _text_width(text: str, size: float) -> int:
    """How wide ``text`` is in the bundled bold serif (Times metrics), in EMU."""
    from PIL import ImageFont

    font = ImageFont.truetype(str(BOLD_FONT), 1000)
    return int(font.getlength(text) / 1000 * Pt(size))


def _borderless(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = parse_xml(
        f"<w:tblBorders {nsdecls('w')}>"
        + "".join(
            f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        + "</w:tblBorders>"
    )
    tbl_pr.append(borders)
    table.autofit = False


def _widths(table, widths) -> None:
    # Word reads the cells' widths, LibreOffice the grid's: set both.
    for column, width in zip(table.columns, widths, strict=False):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width


def _cell_paragraph(cell, *, first: bool, align=WD_ALIGN_PARAGRAPH.CENTER):
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.first_line_indent = Cm(0)
    return paragraph


def _word_letterhead(word, doc: Document) -> None:
    table = word.add_table(rows=2, cols=2)
    _borderless(table)
    _widths(table, LETTERHEAD_WIDTHS)
    left, right = table.rows[0].cells
    _run(_cell_paragraph(left, first=True), doc.issuer_above, bold=doc.issuer_above_bold, size=13)
    _run(_cell_paragraph(left, first=False), doc.issuer, bold=True, size=13)
    _rule(left.add_paragraph(), Cm(0), LETTERHEAD_WIDTHS[0], width=LETTERHEAD_WIDTHS[0] // 3)
    _run(_cell_paragraph(right, first=True), doc.nation, bold=True, size=12)
    _run(_cell_paragraph(right, first=False), doc.motto, bold=True, size=13)
    _rule(right.add_paragraph(), Cm(0), LETTERHEAD_WIDTHS[1], width=_text_width(doc.motto, 13))
    number, dated = table.rows[1].cells
    _run(_cell_paragraph(number, first=True), doc.number_line, size=13)
    number.paragraphs[0].paragraph_format.space_before = Pt(6)
    _run(_cell_paragraph(dated, first=True), doc.dated_line, italic=True)
    dated.paragraphs[0].paragraph_format.space_before = Pt(6)


def _word_signature(word, doc: Document) -> None:
    _paragraph(word)
    table = word.add_table(rows=1, cols=2)
    _borderless(table)
    _widths(table, SIGNATURE_WIDTHS)
    left, right = table.rows[0].cells
    heading = _cell_paragraph(left, first=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    _run(heading, doc.recipients_label, bold=True, italic=True, size=12)
    for line in doc.recipients:
        _run(_cell_paragraph(left, first=False, align=WD_ALIGN_PARAGRAPH.LEFT), line, size=11)
    for i, line in enumerate(doc.signer_lines):
        _run(_cell_paragraph(right, first=i == 0), line, bold=True)
    for _i in range(4):  # room for the signature and the seal
        _cell_paragraph(right, first=False)
    _run(_cell_paragraph(right, first=False), doc.signer_name, bold=True)
    for row in table.rows:
        _cant_split(row)


def _cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.insert(0, OxmlElement("w:cantSplit"))


def _word_table(word, table: DataTable) -> None:
    size = 11 if table.wide else 12
    if table.caption:
        caption = _paragraph(word, align=WD_ALIGN_PARAGRAPH.CENTER, before=6, after=3)
        caption.paragraph_format.keep_with_next = True
        _run(caption, table.caption, bold=True, size=size + 1)
    header_rows = len(table.header)
    body = table.rows + ([table.total] if table.total else [])
    grid = word.add_table(rows=header_rows + len(body), cols=table.columns)
    grid.style = word.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(grid, _column_widths(table))
    for r in range(header_rows):
        row = grid.rows[r]
        _cant_split(row)
        row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeats on every page
    for r, c, cell in _header_grid(table.header):
        last_row = min(r + cell.rowspan, header_rows) - 1
        last_column = min(c + cell.colspan, table.columns) - 1
        if c >= table.columns:
            continue
        target = grid.cell(r, c)
        if (last_row, last_column) != (r, c):
            target = target.merge(grid.cell(last_row, last_column))
        _run(_cell_paragraph(target, first=True), cell.text, bold=True, size=size)
    for i, values in enumerate(body):
        row = grid.rows[header_rows + i]
        _cant_split(row)
        is_total = table.total is not None and i == len(body) - 1
        for c, (text, numeric) in enumerate(values[: table.columns]):
            align = WD_ALIGN_PARAGRAPH.RIGHT if numeric else WD_ALIGN_PARAGRAPH.LEFT
            _run(_cell_paragraph(row.cells[c], first=True, align=align), text, bold=is_total, size=size)
    _paragraph(word, after=6)


def _column_widths(table: DataTable) -> list[int]:
    """The text width shared by the columns after their longest cell (between 4 and 28 characters):
    "STT" narrow, "Lĩnh vực" wide, figures in between."""
    longest = [4] * table.columns
    for values in [*table.rows, table.total or []]:
        for c, (text, _numeric) in enumerate(values[: table.columns]):
            longest[c] = min(max(longest[c], len(text)), 28)
    total = sum(longest)
    return [int(TEXT_WIDTH * n / total) for n in longest]


# The body's HTML (already cleaned: p, br, b/strong, i/em, ul/ol/li) as Word paragraphs.


@dataclass
class _Block:
    runs: list[tuple[str, bool, bool]] = field(default_factory=list)  # text ("\n": a break), bold, italic
    list_id: int | None = None
    level: int = 0


class _BodyParser(HTMLParser):
    def __init__(self, new_list) -> None:
        super().__init__(convert_charrefs=True)
        self.new_list = new_list  # kind ("ul"/"ol") -> a fresh Word numbering id
        self.blocks: list[_Block] = []
        self.current = _Block()
        self.lists: list[tuple[str, int]] = []  # (kind, Word numbering id) of the open lists
        self.bold = self.italic = 0

    def flush(self) -> None:
        runs = self.current.runs
        if "".join(text for text, *_ in runs).strip():
            first_text, *rest = runs[0]
            runs[0] = (first_text.lstrip(), *rest)
            last_text, *rest = runs[-1]
            runs[-1] = (last_text.rstrip(), *rest)
            self.blocks.append(self.current)
        self.current = _Block()
        if self.lists:
            # Text after a nested list, still inside the item, continues at the item's level.
            self.current.list_id, self.current.level = None, 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("p", "li", "ul", "ol"):
            self.flush()
        if tag in ("ul", "ol"):
            if self.lists and self.lists[-1][0] == tag:
                self.lists.append((tag, self.lists[-1][1]))
            else:
                self.lists.append((tag, self.new_list(tag)))
        elif tag == "li" and self.lists:
            self.current.list_id, self.current.level = self.lists[-1][1], len(self.lists) - 1
        elif tag == "br":
            self.current.runs.append(("\n", False, False))
        elif tag in ("b", "strong"):
            self.bold += 1
        elif tag in ("i", "em"):
            self.italic += 1

    def handle_endtag(self, tag) -> None:
        if tag in ("p", "li", "ul", "ol"):
            self.flush()
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag in ("b", "strong"):
            self.bold = max(self.bold - 1, 0)
        elif tag in ("i", "em"):
            self.italic = max(self.italic - 1, 0)

    def handle_data(self, data) -> None:
        text = re.sub(r"\s+", " ", data)
        if text:
            previous = self.current.runs[-1][0] if self.current.runs else " "
            if text.startswith(" ") and previous.endswith((" ", "\n")):
                text = text[1:]
            if text:
                self.current.runs.append((text, self.bold > 0, self.italic > 0))


class _WordLists:
    """Numbering for the body's lists: "- " bullets like the seeds, "1." numbers, one Word list
    per HTML list so that each numbered list starts at 1."""

    def __init__(self, word) -> None:
        self.numbering = word.part.numbering_part.element
        self.abstract: dict[str, int] = {}

    def new(self, kind: str) -> int:
        if kind not in self.abstract:
            self.abstract[kind] = self._define(kind)
        return self.numbering.add_num(self.abstract[kind]).numId

    def _define(self, kind: str) -> int:
        ids = [int(n.get(qn("w:abstractNumId"))) for n in self.numbering.findall(qn("w:abstractNum"))]
        abstract_id = max(ids, default=0) + 1
        levels = []
        for level in range(9):
            if kind == "ul":
                fmt, text = "bullet", "-"
            else:
                fmt, text = "decimal", f"%{level + 1}."
            levels.append(
                f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                f'<w:suff w:val="space"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:ind w:left="{level * 567}" w:firstLine="567"/></w:pPr>'
                f'<w:rPr><w:rFonts w:ascii="{WORD_FONT}" w:hAnsi="{WORD_FONT}"/></w:rPr></w:lvl>'
            )
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
            f'<w:multiLevelType w:val="multilevel"/>{"".join(levels)}</w:abstractNum>'
        )
        first_num = self.numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)  # every abstractNum comes before the nums
        else:
            self.numbering.append(abstract)
        return abstract_id


def _word_body(word, lists: _WordLists, html: str) -> None:
    parser = _BodyParser(lists.new)
    parser.feed(html)
    parser.close()
    parser.flush()
    for block in parser.blocks:
        paragraph = _body_paragraph(word)
        if block.list_id is not None:
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = block.level
            num_pr.get_or_add_numId().val = block.list_id
            paragraph.paragraph_format.first_line_indent = None  # the list's own indent
        for text, bold, italic in block.runs:
            if text == "\n":
                paragraph.add_run().add_break(WD_BREAK.LINE)
            else:
                _run(paragraph, text, bold=bold, italic=italic)
