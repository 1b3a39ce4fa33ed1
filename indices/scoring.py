"""The arithmetic of the index: node points capped at their max, totals, rescaling, ranks.

Pure functions over criteria and numbers, no queries: the views, the ranking and the tests all
compute the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def two_places(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def tree_points(criteria: Sequence, leaf_values: dict[int, Decimal | None]) -> dict[int, Decimal]:
    """Points of every node: a leaf's value (missing is 0) and a parent's sum of its children,
    each capped between 0 and the node's max. ``criteria`` are the framework's nodes (any order,
    with ``pk``, ``parent_id``, ``max_points``)."""
    children: dict[int | None, list] = {}
    for criterion in criteria:
        children.setdefault(criterion.parent_id, []).append(criterion)
    points: dict[int, Decimal] = {}

    def visit(node) -> Decimal:
        kids = children.get(node.pk)
        raw = sum((visit(kid) for kid in kids), ZERO) if kids else (leaf_values.get(node.pk) or ZERO)
        points[node.pk] = min(max(raw, ZERO), node.max_points)
        return points[node.pk]

    for root in children.get(None, []):
        visit(root)
    return points


def leaves_of(criteria: Iterable) -> list:
    """The nodes without children, in the order given."""
    criteria = list(criteria)
    parents = {criterion.parent_id for criterion in criteria}
    return [criterion for criterion in criteria if criterion.pk not in parents]


@dataclass(frozen=True)
class Total:
    """A total and how it was reached."""

    tree: Decimal  # sum of the fields, each node capped
    scale_max: Decimal  # the max of what was assessed (the declared total less inapplicable leaves)
    rescaled: Decimal  # the tree total on a 100 scale when the framework says so, else the tree total
    adjustments: Decimal  # bonus less penalty
    final: Decimal  # rescaled + adjustments, never below 0, two decimals


def total(
    *,
    framework,
    criteria: Sequence,
    points: dict[int, Decimal],
    inapplicable_max: Decimal = ZERO,
    adjustments: Iterable[Decimal] = (),
) -> Total:
    """The final score of an assessment: the fields' points summed (each already capped),
    rescaled to 100 when ``framework.rescale_to_100`` (against the max of the leaves that were
    assessed), then bonus and penalty points added."""
    tree = sum((points.get(c.pk, ZERO) for c in criteria if c.parent_id is None), ZERO)
    scale_max = framework.total_points - inapplicable_max
    rescaled = tree
    if framework.rescale_to_100 and scale_max > 0:
        rescaled = tree * HUNDRED / scale_max
    adjust = sum(adjustments, ZERO)
    final = two_places(max(rescaled + adjust, ZERO))
    return Total(
        tree=two_places(tree),
        scale_max=scale_max,
        rescaled=two_places(rescaled),
        adjustments=adjust,
        final=final,
    )


def competition_ranks(totals: Sequence[Decimal | None]) -> list[int | None]:
    """Ranks of ``totals`` the way results are announced: equal totals share a rank and the next
    rank skips (1, 2, 2, 4). None (not yet appraised) gets no rank. Order of the input is kept."""
    ordered = sorted((value for value in totals if value is not None), reverse=True)
    first_place: dict[Decimal, int] = {}
    for index, value in enumerate(ordered, start=1):
        first_place.setdefault(value, index)
    return [None if value is None else first_place[value] for value in totals]


def on_step(value: Decimal, step: Decimal) -> bool:
    """Whether ``value`` is a whole number of ``step``s (0,25 → 1,75 yes, 1,8 no)."""
    if not step:
        return True
    return (value / step) == (value / step).to_integral_value()
