"""The checks of a framework, the same for an import and for what an administrator edits:

- codes are digits and dots (1, 1.2, 1.2.3), unique, and every node's parent exists;
- every max is positive and a whole number of steps; a node's children add up to its max, and
  the fields (the roots) add up to the total;
- a rule (``indices.rules``) is readable and sits on a leaf;
- bands start at 0, touch each other without gap or overlap, and end at the total (at 100 when
  the total is rescaled to 100).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from core.formatting import format_number
from core.xlsx import ImportProblem

from .. import rules, scoring
from .data import (
    CODE,
    CODE_ADVICE,
    HUNDRED,
    INFO_SHEET,
    MAX_NODES,
    MAX_POINTS_VALUE,
    TREE_SHEET,
    BandRow,
    FrameworkData,
    Node,
    points_text,
)


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
