"""A framework as data: the template's sheets, columns and facts, and the dataclasses holding a framework."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy

from communes.models import Level
from core.formatting import format_number
from core.xlsx import ImportProblem

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
