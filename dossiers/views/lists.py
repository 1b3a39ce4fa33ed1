"""The commune's list of reports, the reviewer's overview and inbox."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communes.models import REFORM_DATE, AdministrativeUnit, Era
from communes.selectors import get_unit_for_user, units_reviewed_by
from core.charts import Series, line_chart

from ..figures import Figures
from ..filters import OverviewFilter
from ..models import DossierReport, ReportingCalendar, ReportStatus
from ..selectors import (
    OVERVIEW_SUMS,
    calendar_for,
    commune_list,
    communes_under,
    due_date,
    inbox_for,
    latest_due_month,
    monthly_trend,
    overview_queryset,
    parse_period_or_404,
)
from ..services import (
    WorkflowError,
    dossier_reports_approve,
)
from .common import _commune_for


@login_required
def report_list_view(request, pk: int):
    """The commune's reports of a year and the one before: every month of its life with its
    status, figures and due date, and the longer periods with their figures by the same rule."""
    unit = _commune_for(request.user, pk)
    wanted = request.GET.get("ky", "").strip()
    if wanted:
        return redirect("dossiers:entry", pk=unit.pk, period=parse_period_or_404(wanted).code)
    today = timezone.localdate()
    listing = commune_list(unit, today=today, year=_year_param(request))
    year = listing.months[0]["period"].year if listing.months else listing.years[0]
    return render(
        request,
        "dossiers/report_list.html",
        {"unit": unit, "listing": listing, "year": year, "chart": _trend_chart(unit, year)},
    )


def _year_param(request) -> int | None:
    value = request.GET.get("nam", "")
    if not (value.isascii() and value.isdecimal() and len(value) == 4):
        return None
    year = int(value)
    return year if 2000 <= year <= 2100 else None


def _trend_chart(unit, year: int):
    trend = monthly_trend(unit=unit, year=year)
    months = range(1, 13)
    return line_chart(
        labels=[_("T%(month)s") % {"month": m} for m in months],
        series=[
            Series(
                _("Tiếp nhận mới"), [trend[m].received_new if m in trend else None for m in months], "#a4161a"
            ),
            Series(
                _("Trực tuyến"), [trend[m].received_online if m in trend else None for m in months], "#0b5394"
            ),
            Series(
                _("Đã giải quyết"),
                [trend[m].resolved_total if m in trend else None for m in months],
                "#1e7b34",
            ),
        ],
        title=_("Hồ sơ TTHC theo tháng năm %(year)s – %(unit)s") % {"year": year, "unit": unit.name},
    )


@login_required
def overview_latest_view(request, pk: int):
    """The overview of the latest month already due."""
    unit = get_unit_for_user(request.user, pk)
    period = latest_due_month(calendar_for(unit), today=timezone.localdate())
    return redirect("dossiers:overview", pk=unit.pk, period=period.code)


@login_required
def overview_view(request, pk: int, period: str):
    """Every commune under a reviewer's unit for one period: figures, rates, status and flags."""
    unit = get_unit_for_user(request.user, pk)
    if unit.is_commune:
        raise Http404(_("Trang tổng hợp dành cho đơn vị thẩm định (huyện hoặc tỉnh)."))
    return _overview(request, unit=unit, communes=communes_under(unit), period=parse_period_or_404(period))


@login_required
def country_overview_view(request, period: str):
    """The same for every commune of the country (of the period's era); superusers only."""
    if not request.user.is_superuser:
        raise Http404(_("Không tìm thấy trang."))
    value = parse_period_or_404(period)
    era = Era.CURRENT if value.dates()[1] >= REFORM_DATE else Era.LEGACY
    communes = AdministrativeUnit.objects.communes().filter(era=era)
    return _overview(request, unit=None, communes=communes, period=value)


def _overview(request, *, unit, communes, period):
    base = overview_queryset(communes=communes, period=period)
    overview = OverviewFilter(request.GET or {}, queryset=base.order_by("parent_id", "name"))
    rows = list(overview.qs)
    setting = calendar_for(unit) if unit else ReportingCalendar()
    overdue = due_date(period, setting) < timezone.localdate()
    statuses = dict(ReportStatus.choices)
    # Two links a row: reversed once as patterns, not thousands of times.
    entry = reverse("dossiers:entry", args=[0, period.code]).replace("/0/", "/{}/", 1)
    trend = reverse("dossiers:list", args=[0]).replace("/0/", "/{}/", 1) + f"?nam={period.year}"
    for row in rows:
        row.status_label = statuses.get(row.status, "")
        row.entry_url, row.trend_url = entry.format(row.pk), trend.format(row.pk)
        row.flags = []
        if row.received_new and not row.received_online:
            row.flags.append(_("Không có hồ sơ trực tuyến"))
        if row.late > row.apology_letters:
            row.flags.append(
                _("%(count)s hồ sơ trễ hẹn chưa có thư xin lỗi") % {"count": row.late - row.apology_letters}
            )
        if overdue and row.status not in ("submitted", "approved"):
            row.flags.append(_("Chưa gửi báo cáo"))
    sums = dict.fromkeys(OVERVIEW_SUMS, 0)
    for values in base.values(*OVERVIEW_SUMS):
        for name in OVERVIEW_SUMS:
            sums[name] += values[name]
    return render(
        request,
        "dossiers/overview.html",
        {
            "unit": unit,
            "scope": unit.name if unit else _("toàn quốc"),
            "total_label": _("Toàn %(unit)s") % {"unit": unit.name} if unit else _("Cả nước"),
            "period": period,
            "filter": overview,
            "rows": rows,
            "total": Figures(**sums),
        },
    )


@login_required
def inbox_view(request, status: int = 200, error: str = ""):
    """The reviewer's inbox: reports waiting for it, and communes late with their report."""
    wanted = request.GET.get("ky", "").strip()
    period = parse_period_or_404(wanted) if wanted else None
    inbox = inbox_for(user=request.user, overdue_period=period, today=timezone.localdate())
    return render(request, "dossiers/inbox.html", {"inbox": inbox, "error": error}, status=status)


@login_required
@require_POST
def inbox_approve_view(request):
    """Approve the reports ticked in the inbox: all of them, or none."""
    # Ids as the database holds them: isdigit() also passes "²", which int() refuses, and a number
    # past 18 digits overflows the database's integer.
    ids = {
        int(value)
        for value in request.POST.getlist("report")
        if value.isascii() and value.isdecimal() and len(value) <= 18
    }
    if not ids:
        messages.error(request, _("Chưa chọn báo cáo nào để duyệt."))
        return redirect("dossiers:inbox")
    reports = list(
        DossierReport.objects.filter(pk__in=ids, unit__in=units_reviewed_by(request.user)).select_related(
            "period"
        )
    )
    if len(reports) != len(ids):
        raise Http404(_("Có báo cáo không thuộc phạm vi thẩm định của bạn; không báo cáo nào được duyệt."))
    try:
        dossier_reports_approve(reports=reports, user=request.user)
    except WorkflowError as error:
        return inbox_view(
            request,
            status=409,
            error=_("Không báo cáo nào được duyệt: %(reason)s") % {"reason": error.messages[0]},
        )
    messages.success(request, _("Đã duyệt %(count)s báo cáo.") % {"count": len(reports)})
    return redirect("dossiers:inbox")
