"""A round's ranking as a file: CSV, xlsx and JSON. Pure functions, rows in and bytes out.

Columns, in every format: Hạng, Mã đơn vị, Đơn vị, Tổng điểm, Xếp loại, Thay đổi điểm, Thay đổi
hạng, then one per lĩnh vực ("1. Chỉ đạo, điều hành CCHC"). A commune not yet appraised has no
rank, total or band (empty cells, JSON null).

- CSV: UTF-8 with a byte order mark (what makes Excel read Vietnamese correctly); points written
  with a decimal point ("84.16"), as machines read them; text that a spreadsheet would run as a
  formula (starting with = + - @) is prefixed with an apostrophe.
- xlsx: points as numbers with two decimals (Excel shows the viewer's own separator); text cells
  can never become formulas.
- JSON: ``{"round": {...}, "columns": [...], "rows": [...]}``; points are strings with a decimal
  point ("84.16", exact, never a float); ranks and rank changes are integers; null when absent.

"Thay đổi hạng" is the places gained since last year: 15th → 13th is 2, 13th → 15th is −2.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.xlsx import FONT_NAME, csv_text, put_text

FIXED_COLUMNS = ("Hạng", "Mã đơn vị", "Đơn vị", "Tổng điểm", "Xếp loại", "Thay đổi điểm", "Thay đổi hạng")
POINTS_FORMAT = "0.00"


@dataclass(frozen=True)
class ExportField:
    code: str  # "1"
    title: str  # "Chỉ đạo, điều hành CCHC"

    @property
    def heading(self) -> str:
        return f"{self.code}. {self.title}"


@dataclass(frozen=True)
class ExportRow:
    rank: int | None
    code: str
    name: str
    total: Decimal | None
    band: str
    points_change: Decimal | None
    rank_change: int | None
    field_points: Sequence[Decimal | None]  # in the order of the fields


def columns(fields: Sequence[ExportField]) -> list[str]:
    return [*FIXED_COLUMNS, *(f.heading for f in fields)]


def _points(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def ranking_csv(*, fields: Sequence[ExportField], rows: Sequence[ExportRow]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([csv_text(title) for title in columns(fields)])
    for row in rows:
        writer.writerow(
            [
                "" if row.rank is None else row.rank,
                csv_text(row.code),
                csv_text(row.name),
                _points(row.total) or "",
                csv_text(row.band),
                _points(row.points_change) or "",
                "" if row.rank_change is None else row.rank_change,
                *(_points(value) or "" for value in row.field_points),
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def ranking_xlsx(*, title: str, fields: Sequence[ExportField], rows: Sequence[ExportRow]) -> bytes:
    """One sheet "Xếp hạng": a title line, the header on row 3, one row per commune from row 4."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Xếp hạng"
    put_text(sheet.cell(row=1, column=1), title)
    sheet.cell(row=1, column=1).font = Font(name=FONT_NAME, size=13, bold=True)
    header = columns(fields)
    for number, heading in enumerate(header, start=1):
        cell = sheet.cell(row=3, column=number)
        put_text(cell, heading)
        cell.font = Font(name=FONT_NAME, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for offset, row in enumerate(rows):
        line = 4 + offset
        numbers = {1: row.rank, 4: row.total, 6: row.points_change, 7: row.rank_change}
        numbers.update({8 + i: value for i, value in enumerate(row.field_points)})
        for number, value in numbers.items():
            cell = sheet.cell(row=line, column=number)
            if value is None:
                continue
            cell.value = value
            if isinstance(value, Decimal):
                cell.number_format = POINTS_FORMAT
        for number, text in ((2, row.code), (3, row.name), (5, row.band)):
            put_text(sheet.cell(row=line, column=number), text)
        for number in range(1, len(header) + 1):
            sheet.cell(row=line, column=number).font = Font(name=FONT_NAME)
    widths = {1: 7, 2: 11, 3: 30, 4: 11, 5: 14, 6: 12, 7: 12}
    for number in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(number)].width = widths.get(number, 16)
    sheet.freeze_panes = "D4"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ranking_json(*, meta: dict, fields: Sequence[ExportField], rows: Sequence[ExportRow]) -> bytes:
    """``meta``: facts about the round (framework, year, group …), written as given."""
    document = {
        "round": meta,
        "columns": columns(fields),
        "fields": [{"code": f.code, "title": f.title} for f in fields],
        "rows": [
            {
                "rank": row.rank,
                "code": row.code,
                "name": row.name,
                "total": _points(row.total),
                "band": row.band or None,
                "points_change": _points(row.points_change),
                "rank_change": row.rank_change,
                "fields": {f.code: _points(v) for f, v in zip(fields, row.field_points, strict=True)},
            }
            for row in rows
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
