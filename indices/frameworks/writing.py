"""Writing a framework (a saved one, or a ``FrameworkData``) as the Excel template."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .data import (
    BAND_HEADER,
    COLUMNS,
    FACTS,
    GROUP_LABELS,
    INFO_SHEET,
    TREE_SHEET,
    WIDTHS,
    BandRow,
    FrameworkData,
    Node,
)


def data_of(framework, criteria: Iterable | None = None, bands: Iterable | None = None) -> FrameworkData:
    """A saved ``Framework`` (with its criteria and bands) as ``FrameworkData``."""
    criteria = list(criteria if criteria is not None else framework.criteria.order_by("sort_key"))
    bands = list(bands if bands is not None else framework.bands.all())
    return FrameworkData(
        name=framework.name,
        issuer_code=framework.issuer.code,
        era=framework.issuer.era,
        year_from=framework.year_from,
        year_to=framework.year_to,
        legal_basis=framework.legal_basis,
        total_points=framework.total_points,
        step=framework.step,
        rescale_to_100=framework.rescale_to_100,
        group_level=framework.group_level,
        note=framework.note,
        nodes=[
            Node(c.code, c.title, c.max_points, c.guide, c.evidence_required, c.rule)
            for c in sorted(criteria, key=lambda c: c.sort_key)
        ],
        bands=[
            BandRow(b.label, b.min_points, b.max_points) for b in sorted(bands, key=lambda b: -b.min_points)
        ],
        issuer=framework.issuer,
    )


def framework_xlsx(framework) -> bytes:
    """The template filled with a saved framework: export → import gives the same framework."""
    return write_xlsx(data_of(framework))


def write_xlsx(data: FrameworkData) -> bytes:
    book = Workbook()
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    tree = book.active
    tree.title = TREE_SHEET
    tree.append(list(COLUMNS.values()))
    for node in data.nodes:
        tree.append(
            [
                node.code,
                node.title,
                node.max_points,
                node.guide,
                "có" if node.evidence_required else "không",
                node.rule,
            ]
        )
    for cell in tree[1]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in tree.iter_rows(min_row=2):
        row[0].number_format = "@"  # a code stays text: 1.10 is not 1.1
        row[2].number_format = "0.00"
        for cell in row:
            cell.alignment = wrap
    for node, row in zip(data.nodes, tree.iter_rows(min_row=2), strict=False):
        if node.parent_code is None:
            for cell in row[:3]:
                cell.font = bold
    for index, key in enumerate(COLUMNS, start=1):
        tree.column_dimensions[get_column_letter(index)].width = WIDTHS[key]
    tree.freeze_panes = "A2"

    info = book.create_sheet(INFO_SHEET)
    facts = [
        ("name", data.name),
        ("issuer", data.issuer_code),
        ("era", data.era),
        ("year_from", data.year_from),
        ("year_to", data.year_to),
        ("legal_basis", data.legal_basis),
        ("total_points", data.total_points),
        ("step", data.step),
        ("rescale_to_100", "có" if data.rescale_to_100 else "không"),
        ("group_level", GROUP_LABELS.get(data.group_level, "huyện")),
        ("note", data.note),
    ]
    for key, value in facts:
        info.append([FACTS[key], value])
        info.cell(info.max_row, 1).font = bold
        if key == "issuer":
            info.cell(info.max_row, 2).number_format = "@"
    info.append([])
    info.append(list(BAND_HEADER))
    for cell in info[info.max_row]:
        cell.font = bold
    for band in data.bands:
        info.append([band.label, band.min_points, band.max_points])
    for row in info.iter_rows():
        for cell in row:
            cell.alignment = wrap
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 70
    info.column_dimensions["C"].width = 12

    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_issuer(data: FrameworkData, issuer) -> FrameworkData:
    return replace(data, issuer=issuer)
