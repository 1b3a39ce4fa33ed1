"""Charts drawn on the server as SVG, so the page and the PDF show the same picture.

Only presentation attributes (fill, stroke …), never ``style``: the Content-Security-Policy
forbids inline styles, and WeasyPrint reads the attributes as well.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .formatting import format_number


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # None: no figure for that label
    colour: str


@dataclass(frozen=True)
class Marker:
    """A dated event drawn across a chart: a dashed line at ``position`` (a label's index; 5.5
    is between the sixth and the seventh label) with ``text`` beside it."""

    position: float
    text: str


def line_chart(
    *,
    labels: Sequence[str],
    series: Sequence[Series],
    title: str,
    width: int = 640,
    height: int = 260,
    markers: Sequence[Marker] = (),
) -> SafeString:
    """A line chart with a y axis from 0 to a round maximum, one point per label, a legend, and
    ``markers`` (dated events such as the 2025 reform) as dashed vertical lines with their text."""
    left, right, top, bottom = 48, 12, 28, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s.values if v is not None]
    if not values:
        return _empty(title, width, height)
    ticks = axis_ticks(max(values), integer=_all_whole(values))
    top_value = float(ticks[-1])
    step = plot_w / max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return left + i * step

    def y(v: float) -> float:
        return top + plot_h - (v / top_value) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in ticks:
        value = float(tick)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            'stroke="#dee2e6"/>'
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="11" fill="#495057">'
            f"{escape(tick_text(tick))}</text>"
        )
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="11" '
            f'fill="#495057">{escape(label)}</text>'
        )
    for marker in markers:
        mx = x(marker.position)
        anchor = "end" if mx > left + plot_w * 0.6 else "start"
        tx = mx - 4 if anchor == "end" else mx + 4
        parts.append(
            f'<g class="chart-marker" data-position="{marker.position}">'
            f'<line x1="{mx:.1f}" x2="{mx:.1f}" y1="{top - 4}" y2="{top + plot_h}" stroke="#6c757d" '
            'stroke-width="1.5" stroke-dasharray="5 3"/>'
            f'<text x="{tx:.1f}" y="{top + 10}" text-anchor="{anchor}" font-size="11" fill="#495057">'
            f"{escape(marker.text)}</text></g>"
        )
    for s in series:
        points = [(x(i), y(v)) for i, v in enumerate(s.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{s.colour}" stroke-width="2"/>')
        for px, py in points:
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{s.colour}"/>')
    for i, s in enumerate(series):
        lx = left + i * 170
        parts.append(
            f'<rect x="{lx}" y="6" width="12" height="12" fill="{s.colour}"/>'
            f'<text x="{lx + 16}" y="16" font-size="12" fill="#212529">{escape(s.name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


# Round steps of an axis, times a power of ten: 1, 1,5, 2, 2,5, 3, 4, 5, 6, 8 (and 10).
STEP_FACTORS = tuple(Decimal(f) for f in ("1", "1.5", "2", "2.5", "3", "4", "5", "6", "8", "10"))
TICK_DECIMALS = 4


def _all_whole(values) -> bool:
    return all(float(v).is_integer() for v in values)


def _nice_step(raw: Decimal, *, integer: bool) -> Decimal:
    """The smallest round step at least ``raw``; a whole number for whole data."""
    if raw <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** math.floor(math.log10(raw))
    for factor in STEP_FACTORS:
        step = factor * magnitude
        if integer and step != step.to_integral_value():
            continue
        if step >= raw:
            return step.normalize()
    return Decimal(1)  # whole data below 1: only 0


def axis_ticks(top: float | Decimal, *, integer: bool = False, steps: int = 4) -> list[Decimal]:
    """The ticks of an axis from 0 that reaches ``top``, in at most ``steps`` round steps: never
    two alike, whole numbers for whole data. Nothing above 0 (no figures, or all 0): 0 and 1.

    116 → 0, 30, 60, 90, 120; 2 whole → 0, 1, 2; 0,3 → 0, 0,1, 0,2, 0,3; 0 → 0, 1."""
    value = Decimal(str(top))
    if not value.is_finite() or value <= 0:
        return [Decimal(0), Decimal(1)]
    step = _nice_step(value / steps, integer=integer)
    count = math.ceil(value / step)
    return [(step * i).normalize() for i in range(count + 1)]


def tick_text(value: Decimal) -> str:
    """A tick the Vietnamese way with the decimals it has: 1200 → "1.200", 0,25 → "0,25"."""
    exponent = value.normalize().as_tuple().exponent
    decimals = min(max(-exponent, 0), TICK_DECIMALS) if isinstance(exponent, int) else 0
    return format_number(value, decimals)


def _round_up(value: float) -> float:
    """A top for the axis that is at most four round steps: 7 → 8, 116 → 120, 1292 → 1600, 0 → 1."""
    return float(axis_ticks(value)[-1])


def _empty(title: str, width: int, height: int) -> SafeString:
    """No figure at all: a frame that says so, no axis of made-up numbers."""
    text = _("Chưa có số liệu để vẽ biểu đồ.")
    return mark_safe(  # noqa: S308 (every text is escaped)
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}: {escape(text)}" class="chart chart-empty">'
        f"<title>{escape(title)}</title>"
        f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" fill="#f8f9fa" stroke="#dee2e6"/>'
        f'<text x="{width / 2:.1f}" y="{height / 2 + 4:.1f}" text-anchor="middle" font-size="13" '
        f'fill="#495057">{escape(text)}</text></svg>'
    )


def bar_chart(
    *,
    labels: Sequence[str],
    values: Sequence[float | None],
    title: str,
    axis_max: float | None = None,
    decimals: int = 2,
    colour: str = "#0b5394",
    width: int = 640,
    bar_height: int = 16,
    label_width: int = 170,
) -> SafeString:
    """A horizontal bar chart, one bar per label (top to bottom, in the order given), its value
    written at the end of the bar. The axis runs from 0 to ``axis_max`` (e.g. a framework's
    total points), else to a round maximum. A None value draws no bar and writes "–"."""
    gap, top, bottom, right = 4, 8, 24, 56
    plot_w = width - label_width - right
    height = top + len(labels) * (bar_height + gap) + bottom
    present = [float(v) for v in values if v is not None]
    if not present and not axis_max:
        return _empty(title, width, max(height, 80))
    if axis_max:
        # The axis ends at the given maximum; the round ticks below it, and the maximum itself.
        top_value = float(axis_max)
        ticks = [t for t in axis_ticks(axis_max) if float(t) <= top_value]
        if float(ticks[-1]) != top_value:
            ticks.append(Decimal(str(axis_max)))
    else:
        ticks = axis_ticks(max(present), integer=_all_whole(present))
        top_value = float(ticks[-1])

    def x(v: float) -> float:
        return label_width + min(max(v, 0) / top_value, 1) * plot_w

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    axis_y = height - bottom
    for tick in ticks:
        value = float(tick)
        parts.append(
            f'<line x1="{x(value):.1f}" x2="{x(value):.1f}" y1="{top}" y2="{axis_y}" stroke="#dee2e6"/>'
            f'<text x="{x(value):.1f}" y="{axis_y + 16}" text-anchor="middle" font-size="11" fill="#495057">'
            f"{escape(tick_text(tick))}</text>"
        )
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + i * (bar_height + gap)
        middle = y + bar_height / 2 + 4
        parts.append(
            f'<text x="{label_width - 6}" y="{middle:.1f}" text-anchor="end" font-size="11" fill="#212529">'
            f"{escape(label)}</text>"
        )
        if value is None:
            parts.append(
                f'<text x="{label_width + 4}" y="{middle:.1f}" font-size="11" fill="#495057">–</text>'
            )
            continue
        end = x(float(value))
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{end - label_width:.1f}" height="{bar_height}" '
            f'fill="{colour}"/>'
            f'<text x="{end + 4:.1f}" y="{middle:.1f}" font-size="11" fill="#212529">'
            f"{escape(format_number(value, decimals))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
