"""The Word copy: the same document as a .docx (python-docx), for the chairman to edit before
signing; the body's cleaned HTML becomes Word paragraphs and lists."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import docx
from django.conf import settings
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt, RGBColor

from ..models import Report
from .document import DataTable, Document, _header_grid, document_for

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
