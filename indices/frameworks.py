"""Frameworks as data: the Excel template (DESIGN.md "Interfaces") read and written, and the checks.

Pure functions, no queries: a file's bytes in, a ``FrameworkData`` and the list of problems out;
a ``FrameworkData`` in, the bytes of the template out. The admin runs the same checks
(``tree_problems``, ``band_problems``, ``fact_problems``) on what an administrator edits, so a
framework saved by either road obeys the same rules:

- codes are digits and dots (1, 1.2, 1.2.3), unique, and every node's parent exists;
- every max is positive and a whole number of steps; a node's children add up to its max, and
  the fields (the roots) add up to the total;
- a rule (``indices.rules``) is readable and sits on a leaf;
- bands start at 0, touch each other without gap or overlap, and end at the total (at 100 when
  the total is rescaled to 100).

The guards against bad files (not an xlsx, encrypted, corrupt, a zip bomb, too many rows) are
``core.xlsx``'s; this module adds its own size limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from communes.models import Level
from core import xlsx
from core.formatting import format_number
from core.text import fold
from core.xlsx import READ_ERRORS, ImportProblem

from . import rules, scoring

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 2_000
HEADER_SEARCH_ROWS = 20

TREE_SHEET = "Tiêu chí"
INFO_SHEET = "Thông tin"

# The columns of the tree sheet: key → header as written. Matching folds case and diacritics and
# ignores a note in brackets ("Tài liệu kiểm chứng (có/không)").
COLUMNS = {
    "code": "Mã",
    "title": "Nội dung",
    "max_points": "Điểm tối đa",
    "guide": "Hướng dẫn chấm",
    "evidence": "Tài liệu kiểm chứng",
    "rule": "Cách tính tự động",
}
WIDTHS = {"code": 9, "title": 60, "max_points": 11, "guide": 60, "evidence": 14, "rule": 30}

# The facts of the sheet "Thông tin": key → label as written.
FACTS = {
    "name": "Tên bộ chỉ số",
    "issuer": "Đơn vị ban hành",
    "era": "Giai đoạn",
    "year_from": "Áp dụng từ năm",
    "year_to": "Áp dụng đến năm",
    "legal_basis": "Căn cứ",
    "total_points": "Tổng điểm",
    "step": "Bước điểm",
    "rescale_to_100": "Quy đổi thang 100",
    "group_level": "Nhóm xếp hạng",
    "note": "Ghi chú",
}
REQUIRED_FACTS = ("name", "issuer", "year_from", "year_to", "total_points")
BAND_HEADER = ("Xếp loại", "Từ", "Đến dưới")
GROUPS = {"huyen": Level.DISTRICT, "tinh": Level.PROVINCE}
GROUP_LABELS = {Level.DISTRICT: "huyện", Level.PROVINCE: "tỉnh"}
ERAS = ("legacy", "2025")
YES = {"co", "x", "yes", "true", "1"}
NO = {"khong", "", "no", "false", "0"}

CODE = re.compile(r"^[1-9]\d*(?:\.[1-9]\d*)*$")
DEFAULT_STEP = Decimal("0.25")
HUNDRED = Decimal(100)
MAX_POINTS_VALUE = Decimal("99999.99")  # what a points column (7 digits, 2 decimals) holds

CODE_ADVICE = gettext_lazy("Mã gồm các số nguyên dương cách nhau bởi dấu chấm, ví dụ 1, 1.2, 1.2.3.")


@dataclass
class Node:
    """One row of the tree sheet (``row`` is the Excel row; None for what did not come from Excel)."""

    code: str
    title: str
    max_points: Decimal | None
    guide: str = ""
    evidence_required: bool = False
    rule: str = ""
    row: int | None = None

    @property
    def parent_code(self) -> str | None:
        return self.code.rpartition(".")[0] or None


@dataclass
class BandRow:
    label: str
    min_points: Decimal | None
    max_points: Decimal | None
    row: int | None = None


@dataclass
class FrameworkData:
    """A framework as the template holds it; ``issuer`` is the resolved unit when a lookup ran."""

    name: str = ""
    issuer_code: str = ""
    era: str = ""
    year_from: int | None = None
    year_to: int | None = None
    legal_basis: str = ""
    total_points: Decimal | None = None
    step: Decimal = DEFAULT_STEP
    rescale_to_100: bool = False
    group_level: int = Level.DISTRICT
    note: str = ""
    nodes: list[Node] = field(default_factory=list)
    bands: list[BandRow] = field(default_factory=list)
    issuer: object | None = None
    # Where each fact was read ({"total_points": 7}), for the location of problems about it.
    fact_rows: dict[str, int] = field(default_factory=dict)

    def leaves(self) -> list[Node]:
        parents = {node.parent_code for node in self.nodes}
        return [node for node in self.nodes if node.code not in parents]

    def fields(self) -> list[Node]:
        return [node for node in self.nodes if node.parent_code is None]

    def rule_count(self) -> int:
        return sum(1 for node in self.nodes if node.rule)

    def to_payload(self) -> dict:
        """A JSON-able dict (decimals as text) to carry between the preview and the save."""
        return {
            "name": self.name,
            "issuer_code": self.issuer_code,
            "era": self.era,
            "issuer_id": getattr(self.issuer, "pk", None),
            "year_from": self.year_from,
            "year_to": self.year_to,
            "legal_basis": self.legal_basis,
            "total_points": _text_of(self.total_points),
            "step": _text_of(self.step),
            "rescale_to_100": self.rescale_to_100,
            "group_level": int(self.group_level),
            "note": self.note,
            "nodes": [
                [n.code, n.title, _text_of(n.max_points), n.guide, n.evidence_required, n.rule]
                for n in self.nodes
            ],
            "bands": [[b.label, _text_of(b.min_points), _text_of(b.max_points)] for b in self.bands],
        }

    @classmethod
    def from_payload(cls, payload: dict) -> FrameworkData:
        return cls(
            name=payload["name"],
            issuer_code=payload["issuer_code"],
            era=payload["era"],
            year_from=payload["year_from"],
            year_to=payload["year_to"],
            legal_basis=payload["legal_basis"],
            total_points=_decimal_or_none(payload["total_points"]),
            step=Decimal(payload["step"]),
            rescale_to_100=payload["rescale_to_100"],
            group_level=payload["group_level"],
            note=payload["note"],
            nodes=[
                Node(code, title, _decimal_or_none(points), guide, evidence, rule)
                for code, title, points, guide, evidence, rule in payload["nodes"]
            ],
            bands=[
                BandRow(label, _decimal_or_none(low), _decimal_or_none(high))
                for label, low, high in payload["bands"]
            ],
        )


def _text_of(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal_or_none(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


@dataclass
class ReadResult:
    data: FrameworkData | None
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.data is not None and not self.problems


def points_text(value: Decimal | None) -> str:
    """Points as people write them: 2,5; 10; 0,25."""
    if value is None:
        return ""
    normalized = value.normalize()
    decimals = max(0, -normalized.as_tuple().exponent)
    return format_number(value, decimals)


# Validation --------------------------------------------------------------------------------------


class _Problems:
    """Collects problems with their location in the file (when the data came from a file)."""

    def __init__(self, columns: dict[str, str] | None = None) -> None:
        self.items: list[ImportProblem] = []
        self.columns = columns or {}

    def tree(self, node: Node | None, column: str | None, message: str) -> None:
        row = node.row if node is not None else None
        letter = self.columns.get(column) if (column and row) else None
        self.items.append(ImportProblem(TREE_SHEET if row else "", row, letter, message))

    def info(self, row: int | None, message: str, column: str | None = "B") -> None:
        self.items.append(ImportProblem(INFO_SHEET if row else "", row, column if row else None, message))


def tree_problems(
    nodes: list[Node],
    *,
    total_points: Decimal | None,
    step: Decimal | None,
    columns: dict[str, str] | None = None,
    total_row: int | None = None,
) -> list[ImportProblem]:
    """Everything wrong with a tree: codes, parents, maxima and their sums, rules."""
    found = _Problems(columns)
    if not nodes:
        found.tree(None, None, _("Bộ chỉ số chưa có tiêu chí nào: cần ít nhất một lĩnh vực (mã 1)."))
        return found.items
    if len(nodes) > MAX_NODES:
        found.tree(
            None,
            None,
            _("Bộ chỉ số có %(count)s tiêu chí, vượt quá giới hạn %(limit)s.")
            % {"count": format_number(len(nodes)), "limit": format_number(MAX_NODES)},
        )
        return found.items
    by_code: dict[str, Node] = {}
    for node in nodes:
        if not CODE.match(node.code) or len(node.code) > 20:
            found.tree(
                node,
                "code",
                _("Mã “%(code)s” không hợp lệ. %(advice)s") % {"code": node.code, "advice": CODE_ADVICE},
            )
            continue
        if node.code in by_code:
            first = by_code[node.code]
            if first.row:
                message = _("Mã %(code)s bị trùng: đã có ở dòng %(row)s. Mỗi tiêu chí cần một mã riêng.") % {
                    "code": node.code,
                    "row": first.row,
                }
            else:
                message = _("Mã %(code)s bị trùng. Mỗi tiêu chí cần một mã riêng.") % {"code": node.code}
            found.tree(node, "code", message)
            continue
        by_code[node.code] = node
        if not node.title.strip():
            found.tree(node, "title", _("Tiêu chí %(code)s chưa có nội dung.") % {"code": node.code})
        if node.max_points is not None:
            if node.max_points <= 0 or node.max_points > MAX_POINTS_VALUE:
                found.tree(
                    node,
                    "max_points",
                    _("Điểm tối đa của tiêu chí %(code)s phải lớn hơn 0 (đang là %(points)s).")
                    % {"code": node.code, "points": points_text(node.max_points)},
                )
            elif step and not scoring.on_step(node.max_points, step):
                found.tree(
                    node,
                    "max_points",
                    _(
                        "Điểm tối đa %(points)s của tiêu chí %(code)s không phải bội số của bước điểm "
                        "%(step)s."
                    )
                    % {"points": points_text(node.max_points), "code": node.code, "step": points_text(step)},
                )
    children: dict[str | None, list[Node]] = {}
    for code, node in by_code.items():
        parent = node.parent_code
        if parent is not None and parent not in by_code:
            found.tree(
                node,
                "code",
                _(
                    "Tiêu chí %(code)s không có tiêu chí cha %(parent)s: hãy thêm dòng mã %(parent)s phía "
                    "trên."
                )
                % {"code": code, "parent": parent},
            )
            continue
        children.setdefault(parent, []).append(node)
    for code, node in by_code.items():
        kids = children.get(code, [])
        if node.rule:
            try:
                rules.parse(node.rule)
            except rules.RuleError as error:
                found.tree(
                    node,
                    "rule",
                    _("Cách tính tự động của tiêu chí %(code)s: %(error)s") % {"code": code, "error": error},
                )
            else:
                if kids:
                    found.tree(
                        node,
                        "rule",
                        _(
                            "Tiêu chí %(code)s có tiêu chí con nên không đặt được cách tính tự động: hãy "
                            "đặt cách tính ở tiêu chí con."
                        )
                        % {"code": code},
                    )
        if kids and node.max_points is not None and all(kid.max_points is not None for kid in kids):
            added = sum((kid.max_points for kid in kids), Decimal(0))
            if added != node.max_points:
                found.tree(
                    node,
                    "max_points",
                    _(
                        "Các tiêu chí con của %(code)s cộng lại %(sum)s điểm, khác điểm tối đa %(max)s của "
                        "%(code)s."
                    )
                    % {"code": code, "sum": points_text(added), "max": points_text(node.max_points)},
                )
    roots = children.get(None, [])
    if total_points is not None and roots and all(root.max_points is not None for root in roots):
        added = sum((root.max_points for root in roots), Decimal(0))
        if added != total_points:
            found.info(
                total_row,
                _("Các lĩnh vực cộng lại %(sum)s điểm, khác Tổng điểm %(total)s.")
                % {"sum": points_text(added), "total": points_text(total_points)},
            )
    return found.items


def band_problems(
    bands: list[BandRow], *, total_points: Decimal | None, rescale_to_100: bool
) -> list[ImportProblem]:
    """Bands must run from 0 to the total (or 100), each starting where the one below ends."""
    found = _Problems()
    if not bands:
        found.info(
            None,
            _("Chưa có mức xếp loại nào: thêm dòng “Xếp loại | Từ | Đến dưới” và mỗi mức một dòng."),
        )
        return found.items
    labels: dict[str, BandRow] = {}
    complete = []
    for band in bands:
        if not band.label.strip():
            found.info(band.row, _("Mức xếp loại chưa có tên."), "A")
        elif band.label in labels:
            found.info(band.row, _("Mức xếp loại “%(label)s” bị trùng.") % {"label": band.label}, "A")
        labels[band.label] = band
        if band.min_points is None or band.max_points is None:
            continue
        if band.min_points >= band.max_points:
            found.info(
                band.row,
                _("Mức “%(label)s”: điểm “Từ” (%(low)s) phải nhỏ hơn điểm “Đến dưới” (%(high)s).")
                % {
                    "label": band.label,
                    "low": points_text(band.min_points),
                    "high": points_text(band.max_points),
                },
            )
            continue
        complete.append(band)
    if len(complete) != len(bands) or found.items:
        return found.items
    ordered = sorted(bands, key=lambda b: b.min_points)
    if ordered[0].min_points != 0:
        found.info(
            ordered[0].row,
            _("Mức thấp nhất “%(label)s” phải bắt đầu từ 0 điểm (đang từ %(low)s).")
            % {"label": ordered[0].label, "low": points_text(ordered[0].min_points)},
        )
    for below, above in zip(ordered, ordered[1:], strict=False):
        values = {
            "below": below.label,
            "above": above.label,
            "high": points_text(below.max_points),
            "low": points_text(above.min_points),
        }
        if above.min_points > below.max_points:
            found.info(
                above.row,
                _(
                    "Giữa mức “%(below)s” (đến dưới %(high)s) và mức “%(above)s” (từ %(low)s) có khoảng "
                    "điểm không thuộc mức nào."
                )
                % values,
            )
        elif above.min_points < below.max_points:
            found.info(
                above.row,
                _("Mức “%(above)s” (từ %(low)s) chồng lên mức “%(below)s” (đến dưới %(high)s).") % values,
            )
    end = HUNDRED if rescale_to_100 else total_points
    if end is not None and ordered[-1].max_points != end:
        if rescale_to_100:
            message = _(
                "Mức cao nhất “%(label)s” phải kết thúc ở 100 điểm vì tổng điểm được quy đổi thang 100 "
                "(đang là %(high)s)."
            )
        else:
            message = _("Mức cao nhất “%(label)s” phải kết thúc ở Tổng điểm %(end)s (đang là %(high)s).")
        found.info(
            ordered[-1].row,
            message
            % {
                "label": ordered[-1].label,
                "end": points_text(end),
                "high": points_text(ordered[-1].max_points),
            },
            "C",
        )
    return found.items


def fact_problems(data: FrameworkData) -> list[ImportProblem]:
    """The facts of the framework: years in order, a positive total, a usable step."""
    found = _Problems()
    rows = data.fact_rows
    if data.year_from is not None and data.year_to is not None and data.year_from > data.year_to:
        found.info(
            rows.get("year_to"),
            _("Năm “Áp dụng đến” (%(to)s) đứng trước năm “Áp dụng từ” (%(from)s).")
            % {"to": data.year_to, "from": data.year_from},
        )
    if data.total_points is not None and not 0 < data.total_points <= MAX_POINTS_VALUE:
        found.info(rows.get("total_points"), _("Tổng điểm phải lớn hơn 0."))
    if not _step_ok(data.step):
        found.info(
            rows.get("step"),
            _("Bước điểm phải lớn hơn 0, không quá 10 và có nhiều nhất hai chữ số thập phân, ví dụ 0,25."),
        )
    elif data.total_points is not None and not scoring.on_step(data.total_points, data.step):
        found.info(
            rows.get("total_points"),
            _("Tổng điểm %(total)s không phải bội số của bước điểm %(step)s.")
            % {"total": points_text(data.total_points), "step": points_text(data.step)},
        )
    return found.items


def _step_ok(step: Decimal) -> bool:
    return 0 < step <= 10 and step == step.quantize(Decimal("0.01"))


def validate(data: FrameworkData, *, columns: dict[str, str] | None = None) -> list[ImportProblem]:
    """All the checks on a whole framework."""
    problems = fact_problems(data)
    step_ok = _step_ok(data.step)
    problems += tree_problems(
        data.nodes,
        total_points=data.total_points,
        step=data.step if step_ok else None,
        columns=columns,
        total_row=data.fact_rows.get("total_points"),
    )
    problems += band_problems(data.bands, total_points=data.total_points, rescale_to_100=data.rescale_to_100)
    return problems


# Reading -----------------------------------------------------------------------------------------

IssuerLookup = Callable[[str, str | None], object]


def read_xlsx(data: bytes, *, filename: str = "", find_issuer: IssuerLookup | None = None) -> ReadResult:
    """Read a framework from the template's bytes. Never raises for a bad file.

    ``find_issuer(code, era)`` returns the issuing unit or raises ``LookupError`` with a message
    (``communes.selectors.unit_by_code`` does); without it the issuer is not looked up.
    """
    data = bytes(data)
    try:
        if len(data) > MAX_BYTES:
            raise xlsx.Refused(
                xlsx.about_file(
                    filename,
                    _("Tệp “%(filename)s” nặng %(size)s MB, vượt quá giới hạn %(limit)s MB của bộ chỉ số."),
                    _("Tệp tải lên nặng %(size)s MB, vượt quá giới hạn %(limit)s MB của bộ chỉ số."),
                    size=xlsx.megabytes(len(data)),
                    limit=xlsx.megabytes(MAX_BYTES),
                )
            )
        xlsx.check_container(data, filename)
        book = xlsx.open_workbook(data, filename, data_only=True)
        try:
            tree_sheet, info_sheet = _sheets(book)
            tree_rows = list(xlsx.iter_rows(tree_sheet, filename))
            info_rows = list(xlsx.iter_rows(info_sheet, filename)) if info_sheet is not None else None
        finally:
            book.close()
        uncached = _formulas_without_values(data, filename, tree_sheet.title, tree_rows, info_rows)
    except xlsx.Refused as refused:
        return ReadResult(None, [refused.problem])
    if uncached:
        return ReadResult(None, uncached)

    result = FrameworkData()
    problems: list[ImportProblem] = []
    columns = _read_tree(tree_sheet.title, tree_rows, result, problems)
    if info_rows is None:
        problems.append(
            ImportProblem(
                "",
                None,
                None,
                _("Tệp thiếu trang tính “%(sheet)s” (tên bộ chỉ số, đơn vị ban hành, năm áp dụng, xếp loại).")
                % {"sheet": INFO_SHEET},
            )
        )
    else:
        _read_info(info_rows, result, problems)
    if problems:
        # The checks of the whole need the parts read well; report what is wrong in the parts first.
        return ReadResult(result, problems)
    problems += validate(result, columns=columns)
    if find_issuer is not None and result.issuer_code:
        try:
            result.issuer = find_issuer(result.issuer_code, result.era or None)
        except LookupError as error:
            problems.append(
                ImportProblem(
                    INFO_SHEET,
                    result.fact_rows.get("issuer"),
                    "B",
                    _("Đơn vị ban hành: %(error)s") % {"error": error},
                )
            )
    return ReadResult(result, problems)


def _sheets(book):
    info = None
    tree = None
    for worksheet in book.worksheets:
        if fold(worksheet.title) == fold(INFO_SHEET):
            info = info or worksheet
        elif tree is None:
            tree = worksheet
    if tree is None:
        raise xlsx.Refused(
            _(
                "Tệp không có trang tính tiêu chí: trang tính đầu tiên (khác “%(info)s”) phải là bảng "
                "tiêu chí."
            )
            % {"info": INFO_SHEET}
        )
    return tree, info


def _formulas_without_values(
    data: bytes, filename: str, tree_title: str, tree_rows: list, info_rows: list | None
) -> list[ImportProblem]:
    """Cells holding a formula Excel never computed (they read as empty with ``data_only``)."""
    if not any(_has_values(values) for _n, values in tree_rows):
        return []
    book = xlsx.open_workbook(data, filename, data_only=False)
    problems = []
    try:
        sheets = [(tree_title, tree_rows)]
        if info_rows is not None:
            sheets.append((INFO_SHEET, info_rows))
        for title, cached_rows in sheets:
            worksheet = next(
                ws for ws in book.worksheets if ws.title == title or fold(ws.title) == fold(title)
            )
            cached = dict(cached_rows)
            for number, raw in xlsx.iter_rows(worksheet, filename):
                for index, value in enumerate(raw):
                    if xlsx.is_formula(value):
                        values = cached.get(number, ())
                        if index >= len(values) or values[index] is None:
                            problems.append(
                                ImportProblem(
                                    worksheet.title,
                                    number,
                                    get_column_letter(index + 1),
                                    _(
                                        "Ô có công thức chưa được tính (tệp không do Excel lưu). Hãy mở tệp "
                                        "trong Excel, lưu lại rồi tải lên, hoặc thay công thức bằng giá trị."
                                    ),
                                )
                            )
    except READ_ERRORS:
        return problems
    finally:
        book.close()
    return problems


def _has_values(values: tuple) -> bool:
    return any(value is not None and str(value).strip() for value in values)


def _header_key(value: object) -> str:
    return fold(re.sub(r"\(.*?\)", " ", _cell_text(value)))


HEADERS = {fold(label): key for key, label in COLUMNS.items()}


def _read_tree(sheet: str, rows: list, result: FrameworkData, problems: list) -> dict[str, str]:
    header_at = None
    positions: dict[str, int] = {}
    for index, (_number, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = {HEADERS[_header_key(v)]: i for i, v in enumerate(values) if _header_key(v) in HEADERS}
        if "code" in found and "title" in found:
            header_at, positions = index, found
            break
    if header_at is None:
        problems.append(
            ImportProblem(
                sheet,
                None,
                None,
                _("Không tìm thấy dòng tiêu đề của bảng tiêu chí: cần các cột %(columns)s.")
                % {"columns": ", ".join(f"“{label}”" for label in COLUMNS.values())},
            )
        )
        return {}
    header_row = rows[header_at][0]
    missing = [label for key, label in COLUMNS.items() if key not in positions]
    for label in missing:
        problems.append(
            ImportProblem(
                sheet, header_row, None, _("Thiếu cột “%(column)s” ở dòng tiêu đề.") % {"column": label}
            )
        )
    if missing:
        return {}
    letters = {key: get_column_letter(index + 1) for key, index in positions.items()}
    for number, values in rows[header_at + 1 :]:
        if not _has_values(values):
            continue

        def cell(key, values=values):
            index = positions[key]
            return values[index] if index < len(values) else None

        code = _code_text(cell("code"))
        node = Node(
            code=code,
            title=_cell_text(cell("title")),
            max_points=None,
            guide=_cell_text(cell("guide")),
            row=number,
        )
        points = _read_decimal(cell("max_points"))
        if points is None:
            problems.append(
                ImportProblem(
                    sheet,
                    number,
                    letters["max_points"],
                    _("Điểm tối đa của tiêu chí %(code)s phải là một số, ví dụ 2,5 (đang là “%(value)s”).")
                    % {"code": code, "value": _cell_text(cell("max_points"))},
                )
            )
        node.max_points = points
        evidence = fold(_cell_text(cell("evidence")))
        if evidence in YES:
            node.evidence_required = True
        elif evidence not in NO:
            problems.append(
                ImportProblem(
                    sheet,
                    number,
                    letters["evidence"],
                    _("Cột “Tài liệu kiểm chứng” của tiêu chí %(code)s phải là “có” hoặc “không”.")
                    % {"code": code},
                )
            )
        rule_text = _cell_text(cell("rule"))
        try:
            parsed = rules.parse(rule_text)
        except rules.RuleError:
            node.rule = rule_text  # reported by the checks, with its location
        else:
            node.rule = parsed.text if parsed else ""
        result.nodes.append(node)
    return letters


FACT_KEYS = {fold(label): key for key, label in FACTS.items()}


def _read_info(rows: list, result: FrameworkData, problems: list) -> None:
    seen: dict[str, int] = {}
    in_bands = False
    for number, values in rows:
        if not _has_values(values):
            continue
        first = _cell_text(values[0]) if values else ""
        second = values[1] if len(values) > 1 else None
        third = values[2] if len(values) > 2 else None
        if not in_bands and fold(first) == fold(BAND_HEADER[0]):
            in_bands = True
            continue
        if in_bands:
            low, high = _read_decimal(second), _read_decimal(third)
            for value, points, column in ((second, low, "B"), (third, high, "C")):
                if points is None:
                    problems.append(
                        ImportProblem(
                            INFO_SHEET,
                            number,
                            column,
                            _("Điểm của mức xếp loại “%(label)s” phải là một số (đang là “%(value)s”).")
                            % {"label": first, "value": _cell_text(value)},
                        )
                    )
            result.bands.append(BandRow(first, low, high, number))
            continue
        key = FACT_KEYS.get(_header_key(first))
        if key is None:
            problems.append(
                ImportProblem(
                    INFO_SHEET,
                    number,
                    "A",
                    _("Không hiểu dòng “%(label)s”. Các dòng có thể có: %(labels)s.")
                    % {"label": first, "labels": ", ".join(FACTS.values())},
                )
            )
            continue
        seen[key] = number
        problem = _set_fact(result, key, second)
        if problem:
            problems.append(ImportProblem(INFO_SHEET, number, "B", problem))
    result.fact_rows = seen
    for key in REQUIRED_FACTS:
        if key not in seen or getattr(result, _ATTRS.get(key, key)) in (None, ""):
            problems.append(
                ImportProblem(
                    INFO_SHEET,
                    seen.get(key),
                    "B" if key in seen else None,
                    _("Thiếu “%(label)s” trong trang tính “%(sheet)s”.")
                    % {"label": FACTS[key], "sheet": INFO_SHEET},
                )
            )


_ATTRS = {"issuer": "issuer_code"}


def _set_fact(result: FrameworkData, key: str, value: object) -> str | None:
    """Store one fact; the message of what is wrong with it, or None."""
    text = _cell_text(value)
    label = FACTS[key]
    if key in ("name", "legal_basis", "note"):
        limit = {"name": 200, "legal_basis": 300}.get(key)
        if limit and len(text) > limit:
            return _("“%(label)s” dài quá %(limit)s ký tự.") % {"label": label, "limit": limit}
        setattr(result, key, text)
    elif key == "issuer":
        result.issuer_code = _code_text(value)
    elif key == "era":
        if text and text not in ERAS:
            return _("“Giai đoạn” phải là legacy (trước 01/7/2025) hoặc 2025 (đang là “%(value)s”).") % {
                "value": text
            }
        result.era = text
    elif key in ("year_from", "year_to"):
        year = _read_decimal(value)
        if year is None or year != year.to_integral_value() or not 2000 <= year <= 2100:
            return _("“%(label)s” phải là một năm, ví dụ 2023 (đang là “%(value)s”).") % {
                "label": label,
                "value": text,
            }
        setattr(result, key, int(year))
    elif key in ("total_points", "step"):
        number = _read_decimal(value)
        if number is None:
            return _("“%(label)s” phải là một số, ví dụ 100 hoặc 0,25 (đang là “%(value)s”).") % {
                "label": label,
                "value": text,
            }
        setattr(result, key, number)
    elif key == "rescale_to_100":
        folded = fold(text)
        if folded not in YES | NO:
            return _("“%(label)s” phải là “có” hoặc “không”.") % {"label": label}
        result.rescale_to_100 = folded in YES
    elif key == "group_level":
        group = GROUPS.get(fold(text))
        if group is None:
            return _("“%(label)s” phải là “huyện” hoặc “tỉnh” (đang là “%(value)s”).") % {
                "label": label,
                "value": text,
            }
        result.group_level = group
    return None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _code_text(value: object) -> str:
    """A code as written; Excel turns "1.2" typed in a cell into the number 1.2 (and "1" into 1)."""
    return _cell_text(value).replace(" ", "")


def _read_decimal(value: object) -> Decimal | None:
    """A number from a cell: a number, or text with a decimal comma ("2,5"); None when unreadable."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
    else:
        text = str(value).strip().replace(" ", "").replace(",", ".")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
    return number if number.is_finite() else None


# Writing -----------------------------------------------------------------------------------------


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
