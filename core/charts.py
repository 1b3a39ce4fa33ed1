"""Charts drawn on the server as SVG, so the page and the PDF show the same picture.

Only presentation attributes (fill, stroke …), never ``style``: the Content-Security-Policy
forbids inline styles, and WeasyPrint reads the attributes as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .formatting import format_number


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # None: no figure for that label
    colour: str


def line_chart(
    *, labels: Sequence[str], series: Sequence[Series], title: str, width: int = 640, height: int = 260
) -> SafeString:
    """A line chart with a y axis from 0 to a round maximum, one point per label, and a legend."""
    left, right, top, bottom = 48, 12, 28, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s.values if v is not None]
    top_value = _round_up(max(values, default=0))
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
    for i in range(5):
        value = top_value * i / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            'stroke="#dee2e6"/>'
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="11" fill="#495057">'
            f"{escape(format_number(value))}</text>"
        )
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="11" '
            f'fill="#495057">{escape(label)}</text>'
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


def _round_up(value: float) -> float:
    """A top for the axis that is four round steps: 7 → 8, 116 → 120, 1292 → 1600, 0 → 1."""
    if value <= 0:
        return 1
    step = value / 4
    magnitude = 10 ** (len(str(int(step))) - 1) if step >= 1 else 1
    for factor in (0.25, 0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step <= factor * magnitude:
            return 4 * factor * magnitude
    return 40 * magnitude


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
    top_value = float(axis_max) if axis_max else _round_up(max(present, default=0))

    def x(v: float) -> float:
        return label_width + min(max(v, 0) / top_value, 1) * plot_w

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    axis_y = height - bottom
    for i in range(5):
        value = top_value * i / 4
        parts.append(
            f'<line x1="{x(value):.1f}" x2="{x(value):.1f}" y1="{top}" y2="{axis_y}" stroke="#dee2e6"/>'
            f'<text x="{x(value):.1f}" y="{axis_y + 16}" text-anchor="middle" font-size="11" fill="#495057">'
            f"{escape(format_number(value))}</text>"
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
