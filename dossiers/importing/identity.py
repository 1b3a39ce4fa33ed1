"""What a Biểu 06 file says it is: the unit and the period written in its title block, and how they
compare with the commune and period it is being imported for.

One-stop software writes them above the table, in cells merged across the sheet or not, upper or
lower case, one line per cell or several lines in one cell:

- the unit: "UBND XÃ HOÀI CHÂU", "ỦY BAN NHÂN DÂN PHƯỜNG …", "Đơn vị báo cáo: UBND xã …" (its value
  after the colon, in the next cell or in the cell below), often under its district ("UBND HUYỆN …"
  above "UBND XÃ …", or "UBND XÃ …, HUYỆN …"); "Đơn vị nhận báo cáo: …" is the receiver, not read;
- the period: "Kỳ báo cáo: tháng 5/2019" (the value after the colon or in the next cell), a line
  "Tháng 12 năm 2024", "Quý I năm 2024", "6 tháng đầu năm 2024", "9 tháng năm 2024", "Năm 2024",
  "Từ tháng 1 đến tháng 3 năm 2024", and the dates "(Từ ngày 15/11/2024 đến ngày 14/12/2024)", also
  written "từ ngày 15 tháng 11 năm 2024 đến ngày 14 tháng 12 năm 2024" or as date cells. A single
  date ("Hoài Châu, ngày 15 tháng 12 năm 2024", "Ngày nhận báo cáo: …") is not a period.

Pure: rows in, ``FileIdentity`` out; ``matching.check_identity`` compares it with the target.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from core.text import fold

# Level words, folded, longest first so that "thi xa" is not read as "xa".
COMMUNE_WORDS = ("thi tran", "dac khu", "phuong", "xa")
DISTRICT_WORDS = ("thi xa", "thanh pho", "huyen", "quan")
PROVINCE_WORDS = ("tinh", "thanh pho")
LEVEL_WORDS = ("thi tran", "thi xa", "thanh pho", "dac khu", "phuong", "huyen", "quan", "tinh", "xa")
COMMUNE, DISTRICT, PROVINCE = "commune", "district", "province"
AUTHORITY = re.compile(r"^(?:ubnd|u\.b\.n\.d\.?|uy ban nhan dan)\b\s*")
LEVEL = re.compile(r"^(" + "|".join(LEVEL_WORDS) + r")\b\s*(.*)$")
# A separator followed by another unit: "UBND XÃ HOÀI CHÂU, HUYỆN …", "… - THỊ XÃ …".
NEXT_UNIT = re.compile(
    r"\s*(?:,|;|\s[-–]\s)\s*(?=(?:ubnd\s+|uy ban nhan dan\s+)?(?:" + "|".join(LEVEL_WORDS) + r")\s)"
)
# A title line is a few words: text further right or longer than this is not read (a crafted file
# of megabytes of text above the table would otherwise take seconds to fold).
MAX_COLUMNS = 60
MAX_CELL = 500
DECORATION = " \t-–—_=*.:;,\"'“”()[]"


@dataclass(frozen=True)
class Place:
    """Where a line was read: sheet, Excel row and column letter."""

    sheet: str
    row: int
    column: str


@dataclass(frozen=True)
class UnitLine:
    """A unit the title block names. ``text`` is as written ("UBND XÃ HOÀI CHÂU BẮC"); ``word`` the
    folded level word ("xa", "huyen"; "" when none is written) and ``name`` the folded name without
    "UBND" and level word ("hoai chau bac")."""

    text: str
    word: str
    name: str
    place: Place

    @property
    def level(self) -> str | None:
        if self.word in COMMUNE_WORDS:
            return COMMUNE
        if self.word in ("thi xa", "huyen", "quan"):
            return DISTRICT
        if self.word == "tinh":
            return PROVINCE
        if self.word == "thanh pho":
            return "city"  # a district's or a province's: compared with both
        return None


@dataclass(frozen=True)
class Span:
    """Months of one year, as a period names them: (2024, 1, 3) is the first quarter."""

    year: int | None  # None: "Tháng 2" without its year
    first: int
    last: int


@dataclass(frozen=True)
class PeriodLine:
    """A period the title block names (``span``) or dates (``dates``), with its text as written."""

    text: str
    place: Place
    span: Span | None = None
    dates: tuple[datetime.date, datetime.date] | None = None


@dataclass
class FileIdentity:
    sheet: str = ""
    units: list[UnitLine] = field(default_factory=list)
    periods: list[PeriodLine] = field(default_factory=list)


# Reading ------------------------------------------------------------------------------------------


@dataclass
class _Segment:
    """One line of one cell: its text, folded, and where it is."""

    text: str
    folded: str
    row: int
    column: int


def read_identity(sheet: str, rows: list[tuple[int, tuple]]) -> FileIdentity:
    """The units and periods written in ``rows``, the rows above the table's header."""
    by_row: list[list[_Segment]] = []
    for number, values in rows:
        segments = []
        for column, value in enumerate(values[:MAX_COLUMNS], 1):
            for text in _cell_lines(value):
                segments.append(_Segment(text, fold(text), number, column))
        if segments:
            by_row.append(segments)
    identity = FileIdentity(sheet)
    _read_units(sheet, by_row, identity)
    _read_periods(sheet, by_row, identity)
    return identity


def _cell_lines(value: object) -> list[str]:
    if isinstance(value, datetime.datetime):
        return [f"{value:%d/%m/%Y}"]
    if isinstance(value, datetime.date):
        return [f"{value:%d/%m/%Y}"]
    if not isinstance(value, str):
        return []
    return [" ".join(line.split()) for line in value[:MAX_CELL].splitlines() if line.strip()]


def _place(sheet: str, segment: _Segment) -> Place:
    return Place(sheet, segment.row, get_column_letter(segment.column))


REPORTER = re.compile(r"\bdon vi bao cao\b\s*:?\s*(.*)$")
RECEIVER = re.compile(r"\bdon vi nhan bao cao\b\s*:?\s*(.*)$")


def _read_units(sheet: str, by_row: list[list[_Segment]], identity: FileIdentity) -> None:
    used: set[int] = set()  # id() of segments read as a label's value, or the receiver's
    found: list[UnitLine] = []
    for index, segments in enumerate(by_row):
        for position, segment in enumerate(segments):
            if id(segment) in used:
                continue
            receiver = RECEIVER.search(segment.folded)
            reporter = None if receiver else REPORTER.search(segment.folded)
            if receiver or reporter:
                match = receiver or reporter
                if match.group(1).strip(DECORATION):
                    value = segment.text
                    if len(segment.text) == len(segment.folded):
                        value = segment.text[match.start(1) :]
                    value_segment = segment
                else:
                    value_segment = _value_after(by_row, index, position)
                    if value_segment is None:
                        continue
                    used.add(id(value_segment))
                    value = value_segment.text
                if reporter:
                    found.extend(_units_in(value, _place(sheet, value_segment), labelled=True))
                continue
            if (
                AUTHORITY.match(segment.folded)
                or _under_authority(by_row, index, position, segment)
                and LEVEL.match(segment.folded)
            ):
                found.extend(_units_in(segment.text, _place(sheet, segment), labelled=False))
    seen = set()
    for unit in found:
        if (unit.word, unit.name) not in seen:
            seen.add((unit.word, unit.name))
            identity.units.append(unit)


def _value_after(by_row: list[list[_Segment]], index: int, position: int) -> _Segment | None:
    """The value of a label written alone: the next line of its row, else the cell below it."""
    segments = by_row[index]
    if position + 1 < len(segments):
        return segments[position + 1]
    if index + 1 < len(by_row):
        label = segments[position]
        below = [s for s in by_row[index + 1] if s.column == label.column]
        if below:
            return below[0]
    return None


def _under_authority(by_row: list[list[_Segment]], index: int, position: int, segment: _Segment) -> bool:
    """A bare "XÃ HOÀI CHÂU" counts when it stands right under a "UBND …" line (same cell or the
    cell above); elsewhere a line starting "xã …" may be a sentence or a place and date."""
    if "ngay" in segment.folded.split() or len(segment.folded.split()) > 8:
        return False
    segments = by_row[index]
    if position > 0 and segments[position - 1].column == segment.column:
        return bool(AUTHORITY.match(segments[position - 1].folded))
    if index > 0:
        above = [s for s in by_row[index - 1] if s.column == segment.column]
        return bool(above) and bool(AUTHORITY.match(above[-1].folded))
    return False


def _units_in(text: str, place: Place, *, labelled: bool) -> list[UnitLine]:
    """The units in one line: "UBND XÃ HOÀI CHÂU, THỊ XÃ HOÀI NHƠN" gives two.

    A labelled value ("Đơn vị báo cáo: Bộ phận một cửa xã Hoài Châu") may name its unit after other
    words; an unlabelled line starts with "UBND" or a level word.
    """
    text = text.strip(DECORATION)
    folded = fold(text)
    if labelled:
        start = re.search(r"\b(?:ubnd|uy ban nhan dan|" + "|".join(LEVEL_WORDS) + r")\s", folded)
        if start is not None:
            if len(text) == len(folded):
                text = text[start.start() :]
            folded = folded[start.start() :]
    if len(text) != len(folded):  # folding changed the length (decomposed accents): keep it whole
        parts = [(text, folded)]
    else:
        matches = list(NEXT_UNIT.finditer(folded))
        starts = [0, *(m.end() for m in matches)]
        ends = [*(m.start() for m in matches), len(folded)]
        parts = [
            (text[start:end].strip(DECORATION), folded[start:end].strip(DECORATION))
            for start, end in zip(starts, ends, strict=True)
        ]
    units = []
    for part_text, part in parts:
        core = AUTHORITY.sub("", part)
        match = LEVEL.match(core)
        word, name = (match.group(1), match.group(2)) if match else ("", core)
        name = _name_key(name)
        if name:
            units.append(UnitLine(part_text, word, name, place))
    return units


def _name_key(name: str) -> str:
    """A folded name compared whole: punctuation and repeated spaces left out."""
    return " ".join(re.sub(r"[^\w\s']", " ", name).split())


def name_key(unit_name: str) -> tuple[str, str]:
    """(level word, name key) of a unit's name in the database: "Xã Hoài Châu" → ("xa", "hoai chau")."""
    folded = fold(unit_name)
    match = LEVEL.match(folded)
    if match is None:
        return "", _name_key(folded)
    return match.group(1), _name_key(match.group(2))


# Periods --------------------------------------------------------------------------------------------

DATE = r"(\d{1,2})\s*(?:/|-|\.|\s*thang\s*)\s*(\d{1,2})\s*(?:/|-|\.|\s*nam\s*)\s*(\d{4})"
RANGE = re.compile(r"\btu\s+(?:ngay\s*)?" + DATE + r"\s*(?:den|toi|-|–)\s*(?:het\s+)?(?:ngay\s*)?" + DATE)
# A single date, or a date left blank for the signature ("ngày … tháng … năm 2024"): not a period.
ONE_DATE = re.compile(r"\bngay\s*" + DATE + r"|\bngay[\s.…_]*thang[\s.…_]*nam[\s.…_]*\d{0,4}")
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
YEAR = r"(?:\s*(?:nam|/|-|\.)\s*(\d{4}))"
NAMED = (
    ("months", re.compile(r"\btu thang (\d{1,2}) (?:den|toi|-) thang (\d{1,2})" + YEAR)),
    ("nine", re.compile(r"\b9 thang(?: dau)?(?: nam)?\s*(\d{4})")),
    ("half", re.compile(r"\b6 thang(?: (dau|cuoi))?(?: nam)?\s*(\d{4})")),
    ("quarter", re.compile(r"\bquy (iv|i{1,3}|[1-4])" + YEAR)),
    ("month", re.compile(r"\bthang (\d{1,2})" + YEAR)),
    ("year", re.compile(r"\bnam (\d{4})\b")),
)
MONTH_ALONE = re.compile(r"\bthang (\d{1,2})\b(?!\s*(?:/|-|nam|\d))")
LABEL = re.compile(r"\bky bao cao\b\s*:?\s*")


def _read_periods(sheet: str, by_row: list[list[_Segment]], identity: FileIdentity) -> None:
    for index, segments in enumerate(by_row):
        row = _Row(segments)
        for match in RANGE.finditer(row.folded):
            dates = _dates(match.groups())
            if dates is not None:
                identity.periods.append(
                    PeriodLine(
                        row.written(match.start(), match.end()), row.place(sheet, match.start()), dates=dates
                    )
                )
        rest = _blank(ONE_DATE, _blank(RANGE, row.folded))
        label = LABEL.search(rest)
        if label is not None:
            found = _span(rest[label.end() :], alone=True)
            if found is not None:
                span, _start, end = found
                text = row.written(label.start(), label.end() + end)
                identity.periods.append(PeriodLine(text, row.place(sheet, label.start()), span=span))
            elif not rest[label.end() :].strip(DECORATION) and index + 1 < len(by_row):
                below = _Row(by_row[index + 1])
                found = _span(_blank(ONE_DATE, _blank(RANGE, below.folded)), alone=True)
                if found is not None:
                    span, start, end = found
                    identity.periods.append(
                        PeriodLine(below.written(start, end), below.place(sheet, start), span=span)
                    )
            continue
        for segment in segments:
            found = _span(_blank(ONE_DATE, _blank(RANGE, segment.folded)), alone=False)
            if found is not None:
                span, start, end = found
                text = segment.text[start:end] if len(segment.text) == len(segment.folded) else segment.text
                identity.periods.append(PeriodLine(text, _place(sheet, segment), span=span))


class _Row:
    """A row's lines joined by spaces, written and folded, with the way back to each cell."""

    def __init__(self, segments: list[_Segment]) -> None:
        self.segments = segments
        self.folded = " ".join(segment.folded for segment in segments)
        self.text = " ".join(segment.text for segment in segments)
        self.starts = []
        offset = 0
        for segment in segments:
            self.starts.append(offset)
            offset += len(segment.folded) + 1

    def written(self, start: int, end: int) -> str:
        if len(self.text) != len(self.folded):
            return self.text.strip()
        return self.text[start:end].strip(" ,;")

    def place(self, sheet: str, offset: int) -> Place:
        holder = self.segments[0]
        for segment, start in zip(self.segments, self.starts, strict=True):
            if start <= offset:
                holder = segment
        return _place(sheet, holder)


def _blank(pattern: re.Pattern, text: str) -> str:
    """``text`` with ``pattern``'s matches made spaces of the same length, so offsets still hold."""
    return pattern.sub(lambda match: " " * len(match.group(0)), text)


def _dates(groups: tuple) -> tuple[datetime.date, datetime.date] | None:
    try:
        numbers = [int(g) for g in groups]
        first = datetime.date(numbers[2], numbers[1], numbers[0])
        last = datetime.date(numbers[5], numbers[4], numbers[3])
    except ValueError:
        return None
    return (first, last) if first <= last else None


def _span(text: str, *, alone: bool) -> tuple[Span, int, int] | None:
    """The period named in ``text``, and where. Outside a "Kỳ báo cáo" label (``alone`` False) only
    a line that starts or ends with it counts, so that "… số 01/2020 … năm 2020 của …" is not read
    as one."""
    for kind, pattern in NAMED:
        for match in pattern.finditer(text):
            if not alone and not _at_edge(text, match):
                continue
            span = _span_of(kind, match)
            if span is not None:
                return span, match.start(), match.end()
    if alone:
        match = MONTH_ALONE.search(text)
        if match is not None and 1 <= int(match.group(1)) <= 12:
            return Span(None, int(match.group(1)), int(match.group(1))), match.start(), match.end()
    return None


EDGE_WORDS = re.compile(r"^(?:bao cao|so lieu|ket qua|tong hop|tinh hinh)\b\s*")


def _at_edge(text: str, match: re.Match) -> bool:
    before = EDGE_WORDS.sub("", text[: match.start()].strip(DECORATION)).strip(DECORATION)
    after = text[match.end() :].strip(DECORATION)
    return not before or not after


def _span_of(kind: str, match: re.Match) -> Span | None:
    groups = match.groups()
    if kind == "months":
        first, last, year = int(groups[0]), int(groups[1]), int(groups[2])
        return Span(year, first, last) if 1 <= first <= last <= 12 else None
    if kind == "nine":
        return Span(int(groups[0]), 1, 9)
    if kind == "half":
        return Span(int(groups[1]), 7, 12) if groups[0] == "cuoi" else Span(int(groups[1]), 1, 6)
    if kind == "quarter":
        number = ROMAN.get(groups[0]) or int(groups[0])
        return Span(int(groups[1]), 3 * number - 2, 3 * number)
    if kind == "month":
        month = int(groups[0])
        return Span(int(groups[1]), month, month) if 1 <= month <= 12 else None
    return Span(int(groups[0]), 1, 12)
