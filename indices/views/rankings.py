"""Rankings: a round's ranking and its files, a commune's own results, the public pages."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from communes.selectors import get_unit_for_user, places_of
from core.charts import Series, bar_chart, line_chart
from core.formatting import format_number

from ..selectors.rankings import (
    EXPORT_TYPES,
    HistoryChange,
    Ranking,
    RankingRow,
    commune_summaries,
    get_published_round,
    get_ranking_round_for_user,
    published_rounds,
    ranking,
    ranking_file,
    summary_changes,
    units_with_history,
)

# More bars than this make a chart nobody reads: a big group's chart shows its first places.
CHART_LIMIT = 50
SORTS = ("hang", "diem-tang", "ten")


@login_required
def ranking_view(request, pk: int):
    """The ranking of a round: rank, total, band, change against last year, points per lĩnh vực."""
    round_, privileged = get_ranking_round_for_user(request.user, pk)
    result = ranking(round_, public=not privileged, reader=request.user)
    sort = request.GET.get("sap-xep", "hang")
    sort = sort if sort in SORTS else "hang"
    own = {unit.pk for unit in places_of(request.user).communes}
    rows = _sorted(result.rows, sort)
    results_url = reverse("indices:commune_results", args=[0]).replace("/0/", "/{}/", 1)
    fmt = _Formatter(result)
    return render(
        request,
        "indices/rankings/ranking.html",
        {
            "round": round_,
            "ranking": result,
            "rows": [_display(row, result, own=own, results_url=results_url, fmt=fmt) for row in rows],
            "mine": [_display(row, result, fmt=fmt) for row in result.ranked if row.unit.pk in own],
            "unranked_count": len(result.rows) - result.group_size,
            "sort": sort,
            "chart": _chart(result),
            "chart_limited": result.group_size > CHART_LIMIT,
            "chart_limit": CHART_LIMIT,
            "privileged": privileged,
            "history": _history_summary(result),
        },
    )


@login_required
def ranking_export_view(request, pk: int, fmt: str):
    """The ranking as CSV, xlsx or JSON, with the same access as the page."""
    if fmt not in EXPORT_TYPES:
        raise Http404(_("Chỉ tải được tệp CSV, XLSX hoặc JSON."))
    round_, privileged = get_ranking_round_for_user(request.user, pk)
    name, data, content_type = ranking_file(ranking(round_, public=not privileged), fmt)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def commune_results_view(request, unit_pk: int):
    """A commune's own results over the years: total, band, rank, weakest criteria, history."""
    unit = get_unit_for_user(request.user, unit_pk)
    if not unit.is_commune:
        raise Http404(_("Chỉ xã, phường mới có kết quả Chỉ số CCHC."))
    summaries = commune_summaries(units_with_history(unit))
    chart = None
    shown = [s for s in summaries if s.total is not None]
    if len(shown) > 1:
        chart = line_chart(
            labels=[str(s.year) for s in shown],
            series=[Series(_("Tổng điểm"), [float(s.total) for s in shown], "#0b5394")],
            title=_("Điểm Chỉ số CCHC qua các năm – %(unit)s") % {"unit": unit.name},
        )
    changes = summary_changes(unit, summaries)
    for summary in summaries:
        summary.change = changes.get(summary.assessment.pk, "")
    return render(
        request,
        "indices/rankings/commune_results.html",
        {"unit": unit, "summaries": list(reversed(summaries)), "chart": chart},
    )


def public_round_list_view(request):
    """Published rounds, for anyone: no login."""
    rounds = published_rounds().order_by("-year", "group__name", "framework__name")
    return render(request, "indices/public/round_list.html", {"rounds": rounds})


def public_ranking_view(request, pk: int):
    """A published ranking for anyone: rank, commune, total and band, nothing else."""
    round_ = get_published_round(pk)
    result = ranking(round_, public=True)
    fmt = _Formatter(result)
    return render(
        request,
        "indices/public/ranking.html",
        {
            "round": round_,
            "ranking": result,
            "rows": [_display(row, result, fmt=fmt) for row in result.ranked],
        },
    )


def _sorted(rows: list[RankingRow], sort: str) -> list[RankingRow]:
    if sort == "ten":
        return sorted(rows, key=lambda r: r.unit.name)
    if sort == "diem-tang":
        ranked = [r for r in rows if r.total is not None]
        return sorted(ranked, key=lambda r: (r.total, r.unit.name)) + [r for r in rows if r.total is None]
    return rows


def _display(row: RankingRow, result: Ranking, *, own=frozenset(), results_url: str = "", fmt=None) -> dict:
    """A row with its texts formatted once here: a province-sized ranking has 3.321 rows."""
    fmt = fmt or _Formatter(result)
    return {
        "row": row,
        "name": row.unit.name,
        "is_own": row.unit.pk in own,
        # Only a page the reader may open: a commune reads its own results, not its neighbours'.
        "results_url": results_url.format(row.unit.pk) if results_url and row.openable else "",
        "rank": "" if row.rank is None else fmt.rank % {"rank": row.rank, "size": result.group_size},
        "total": fmt.points(row.total) if row.total is not None else "",
        "band": row.band.label if row.band else "",
        "rank_change": _rank_change(row.rank_change),
        "points_change": _points_change(row.points_change, fmt),
        # Against the predecessors (a commune new since the reform): the change, or "not compared"
        # with the reason in the note.
        "history_change": (
            _points_change(row.history.points, fmt) if row.history and row.history.compared else ""
        ),
        "history_note": row.history.note if row.history else "",
        "status": "" if row.rank is not None else row.assessment.get_status_display(),
        "field_cells": fmt.field_cells(row),
    }


class _Formatter:
    """Number texts for thousands of cells, the translated sentences looked up once per page."""

    def __init__(self, result: Ranking):
        self.rank = _("%(rank)s/%(size)s")
        self.lost = escape(_("Mất %(lost)s trên %(max)s điểm"))
        self.maxima = [self.points(field.max_points) for field in result.fields]

    @staticmethod
    def points(value: Decimal) -> str:
        return format_number(value, 2)

    def field_cells(self, row: RankingRow) -> SafeString:
        """The row's lĩnh vực cells, the points lost in the title. Only digits, separators and the
        escaped sentence above go in, so the HTML is safe."""
        cells = []
        for cell, maximum in zip(row.fields, self.maxima, strict=True):
            if cell.points is None:
                cells.append('<td class="text-end">–</td>')
            else:
                title = self.lost % {"lost": self.points(cell.lost), "max": maximum}
                cells.append(f'<td class="text-end" title="{title}">{self.points(cell.points)}</td>')
        return mark_safe("".join(cells))  # noqa: S308 (see the docstring)


def _history_summary(result: Ranking) -> dict | None:
    """How many communes were compared with their predecessors, and why the others were not."""
    changes = [row.history for row in result.ranked if row.history]
    if not changes:
        return None
    counts = Counter(change.reason for change in changes)
    return {
        "year": result.round.year - 1,
        "compared": counts[HistoryChange.COMPARED],
        "not_scored": counts[HistoryChange.NOT_SCORED],
        "split": counts[HistoryChange.SPLIT],
        "other_scale": counts[HistoryChange.OTHER_SCALE],
    }


def _rank_change(places: int | None) -> str:
    if places is None:
        return ""
    if places > 0:
        return _("▲ %(places)s bậc") % {"places": places}
    if places < 0:
        return _("▼ %(places)s bậc") % {"places": -places}
    return _("giữ nguyên hạng")


def _points_change(points: Decimal | None, fmt: _Formatter) -> str:
    if points is None:
        return ""
    sign = "+" if points > 0 else ("−" if points < 0 else "±")
    return _("%(sign)s%(points)s điểm") % {"sign": sign, "points": fmt.points(abs(points))}


def _chart(result: Ranking):
    ranked = result.ranked[:CHART_LIMIT]
    if not ranked:
        return None
    framework = result.round.framework
    return bar_chart(
        labels=[row.unit.name for row in ranked],
        values=[row.total for row in ranked],
        axis_max=100 if framework.rescale_to_100 else framework.total_points,
        title=_("Tổng điểm Chỉ số CCHC năm %(year)s – %(group)s")
        % {"year": result.round.year, "group": result.round.group.name},
    )
