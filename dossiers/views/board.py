"""The completeness board of a reviewer's unit, and the nation's by province."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.selectors import get_unit_for_user

from ..board import (
    CellState,
    board_rows_matching,
    board_years,
    country_board,
    country_eras,
    country_years,
    state_labels,
    unit_board,
)


class BoardFilterForm(forms.Form):
    """Which communes the board shows: by name, and by the state of a month (or of any month)."""

    ten = forms.CharField(label=gettext_lazy("Tên xã, phường"), required=False, max_length=100)
    trang_thai = forms.ChoiceField(
        label=gettext_lazy("Có tháng"),
        required=False,
        choices=[
            ("", gettext_lazy("Mọi trạng thái")),
            ("chua-gui", gettext_lazy("Chưa gửi, đã quá hạn")),
            ("thieu", gettext_lazy("Chưa có báo cáo, đã quá hạn")),
            ("cho-duyet", gettext_lazy("Đã gửi, chờ duyệt")),
            ("tra-lai", gettext_lazy("Bị trả lại")),
            ("dang-nhap", gettext_lazy("Đang nhập")),
            ("gui-tre", gettext_lazy("Gửi trễ hạn")),
            ("da-duyet", gettext_lazy("Đã duyệt")),
        ],
    )
    thang = forms.TypedChoiceField(
        label=gettext_lazy("Tháng"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", gettext_lazy("Bất kỳ tháng nào")), *((m, m) for m in range(1, 13))],
        error_messages={
            "invalid_choice": gettext_lazy("Tháng viết từ 1 đến 12; “%(value)s” không phải một tháng.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thang"].choices = [
            ("", _("Bất kỳ tháng nào")),
            *((m, _("Tháng %(month)s") % {"month": m}) for m in range(1, 13)),
        ]
        for name, field in self.fields.items():
            field.widget.attrs["class"] = (
                "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )
            field.widget.attrs["id"] = f"board-{name}"


def _reviewer_unit(user, pk: int):
    unit = get_unit_for_user(user, pk)
    if unit.is_commune:
        raise Http404(_("Bảng tình hình gửi báo cáo dành cho đơn vị thẩm định (huyện hoặc tỉnh)."))
    return unit


def _asked_year(request, years: list[int], latest: int) -> int:
    """The year asked as ``nam`` when there is a board for it (a link from a page of that year),
    else ``latest``."""
    value = request.GET.get("nam", "")
    if value.isascii() and value.isdecimal() and int(value) in years:
        return int(value)
    return latest


def _with_query(request, url: str) -> str:
    """``url`` with the filter of the request carried along (not ``nam``, which chose the year)."""
    query = request.GET.copy()
    query.pop("nam", None)
    return f"{url}?{query.urlencode()}" if query else url


@login_required
def board_latest_view(request, pk: int):
    """The board of the year asked (``nam``) if the unit has one, else of this year (the year of
    the latest month already due), or for a unit that ended, of the last year with a report."""
    unit = _reviewer_unit(request.user, pk)
    years, latest = board_years(unit, today=timezone.localdate())
    year = _asked_year(request, years, latest)
    return redirect(_with_query(request, reverse("dossiers:board", args=[unit.pk, year])))


@login_required
def board_view(request, pk: int, year: int):
    """Every commune of a reviewer's unit × the months of ``year``: each report's state, linked to
    it, the counts and the reporting rates of each month; filtered by name and state."""
    unit = _reviewer_unit(request.user, pk)
    board = unit_board(user=request.user, unit=unit, year=year, today=timezone.localdate())
    form = BoardFilterForm(request.GET or None)
    rows = board.rows
    if form.is_valid():
        rows = board_rows_matching(
            board.rows,
            name=form.cleaned_data["ten"],
            state=form.cleaned_data["trang_thai"],
            month=form.cleaned_data["thang"],
        )
    late, outside = _("trễ"), _("ngoài kỳ hoạt động")
    return render(
        request,
        "dossiers/board.html",
        {
            "unit": unit,
            "board": board,
            "rows": rows,
            "row_cells": [(row, _cells_html(row, late=late, outside=outside)) for row in rows],
            "form": form,
            "filtered": form.is_bound and len(rows) != len(board.rows),
            "legend": _legend(),
            "year_urls": [(y, reverse("dossiers:board", args=[unit.pk, y])) for y in sorted(board.years)],
        },
    )


def _cells_html(row, *, late: str, outside: str) -> SafeString:
    """A row's cells as HTML. Written here rather than as template tags: a 170-commune board has
    2.000 cells, and the template engine took half a second over them. Every text is escaped."""
    parts = []
    for cell in row.shown:
        attrs = (" data-late" if cell.late else "") + (
            f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
        )
        flags = (f' <span class="bc-flag">{escape(late)}</span>' if cell.late else "") + (
            f' <span class="bc-flag">{escape(outside)}</span>' if cell.outside else ""
        )
        inner = (
            f'<span class="bc-icon" aria-hidden="true">{escape(cell.icon)}</span>'
            f'<span class="bc-label">{escape(cell.label)}</span>{flags}'
        )
        if cell.url:
            inner = f'<a href="{escape(cell.url)}" title="{escape(cell.title)}">{inner}</a>'
        else:
            inner = f'<span title="{escape(cell.title)}">{inner}</span>'
        state = f'class="bc bc-{cell.state}" data-month="{cell.month}" data-state="{cell.state}"'
        parts.append(f"<td {state}{attrs}>{inner}</td>")
    return mark_safe("".join(parts))  # noqa: S308 (built from escaped parts above)


def _legend() -> list[tuple[str, str, str, str]]:
    """(state, icon, short label, long label) of the states the legend explains."""
    labels = state_labels()
    shown = [
        CellState.APPROVED,
        CellState.SUBMITTED,
        CellState.RETURNED,
        CellState.DRAFT,
        CellState.MISSING,
        CellState.NOT_DUE,
        CellState.COVERED,
        CellState.BEFORE,
    ]
    return [(state.value, *labels[state]) for state in shown]


@login_required
def country_board_latest_view(request):
    if not request.user.is_superuser:
        raise Http404(_("Không tìm thấy trang."))
    today = timezone.localdate()
    year = _asked_year(request, country_years(today=today), today.year)
    return redirect("dossiers:board_country", year=year)


@login_required
def country_board_view(request, year: int):
    """The nation's board, superusers only: one row per province (per era in 2025: the 34
    provinces from July, the 63 before), each month's counts and rates."""
    if not request.user.is_superuser:
        raise Http404(_("Không tìm thấy trang."))
    today = timezone.localdate()
    years = country_years(today=today)
    if year not in years:
        raise Http404(
            _("Không có bảng tình hình gửi báo cáo toàn quốc năm %(year)s (có các năm %(years)s).")
            % {"year": year, "years": ", ".join(map(str, sorted(years)))}
        )
    boards = [country_board(year=year, era=era, today=today) for era in country_eras(year)]
    return render(
        request,
        "dossiers/board.html",
        {
            "unit": None,
            "country": boards,
            "year": year,
            "legend": _legend(),
            "year_urls": [(y, reverse("dossiers:board_country", args=[y])) for y in sorted(years)],
        },
    )
