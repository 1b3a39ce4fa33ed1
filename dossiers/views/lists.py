"""The commune's list of reports, the reviewer's overview and inbox."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from communes.models import REFORM_DATE, AdministrativeUnit, Era
from communes.selectors import get_unit_for_user, units_reviewed_by
from core import periods
from core.charts import Marker, Series, line_chart
from notifications.reminders import late_communes_remind

from ..figures import Figures
from ..filters import OverviewFilter
from ..models import DossierReport, ReportingCalendar, ReportStatus
from ..selectors import (
    OVERVIEW_SUMS,
    Basis,
    calendar_for,
    commune_list,
    communes_for_period,
    communes_under,
    default_period,
    due_date,
    inbox_for,
    inbox_reminders,
    living_in,
    monthly_trend,
    overview_queryset,
    parse_period_or_404,
)
from ..services import ApprovalRefused, approval_refusals, dossier_reports_approve_all
from .common import _commune_for, period_picker, picked_period


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
    year = listing.shown_year
    return render(
        request,
        "dossiers/report_list.html",
        {
            "unit": unit,
            "listing": listing,
            "year": year,
            "chart": _trend_chart(unit, year),
            # A 2025 commune whose list shows years before 1/7/2025: those months are its history.
            "history_years": listing.lineage is not None and year - 1 <= REFORM_DATE.year,
        },
    )


def _year_param(request) -> int | None:
    value = request.GET.get("nam", "")
    if not (value.isascii() and value.isdecimal() and len(value) == 4):
        return None
    year = int(value)
    return year if 2000 <= year <= 2100 else None


def trend_data(unit, year: int) -> tuple[list[str], list[Series], list[Marker]]:
    """The trend chart's labels (the 12 months), series and markers: for a 2025 commune the
    months before 1/7/2025 are its predecessors' (``monthly_trend``), one line across the
    reform, marked on the chart of 2025."""
    trend = monthly_trend(unit=unit, year=year)
    months = range(1, 13)
    markers = []
    if unit.era == Era.CURRENT and year == REFORM_DATE.year:
        date = f"{REFORM_DATE.day:02d}/{REFORM_DATE.month}/{REFORM_DATE.year}"  # 01/7/2025
        # Between the last month of the old units and the first of the new one.
        markers.append(Marker(REFORM_DATE.month - 1.5, _("Sắp xếp đơn vị %(date)s") % {"date": date}))
    labels = [_("T%(month)s") % {"month": m} for m in months]
    series = [
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
    ]
    return labels, series, markers


def _trend_chart(unit, year: int):
    labels, series, markers = trend_data(unit, year)
    return line_chart(
        labels=labels,
        series=series,
        markers=markers,
        title=_("Hồ sơ TTHC theo tháng năm %(year)s – %(unit)s") % {"year": year, "unit": unit.name},
    )


# The overview's choice of reports counted: every report, the unapproved ones marked (the
# default: the reviewer checks what was sent before approving it), or approved only (what the
# reviewer reports upward: its summary, its Biểu 06, the index's rules).
BASIS_PARAM = "so_lieu"
BASIS_VALUES = {"da-duyet": Basis.APPROVED, "tat-ca": Basis.ALL}


def _basis(request) -> Basis:
    return BASIS_VALUES.get(request.GET.get(BASIS_PARAM, ""), Basis.ALL)


def _basis_param(basis: Basis) -> str:
    return next(value for value, known in BASIS_VALUES.items() if known == basis)


@login_required
def overview_latest_view(request, pk: int):
    """The overview of the period picked, else of the latest month already due (for a unit whose
    communes all ended, the latest month with a report)."""
    unit = get_unit_for_user(request.user, pk)
    if unit.is_commune:
        raise Http404(_("Trang tổng hợp dành cho đơn vị thẩm định (huyện hoặc tỉnh)."))
    period = picked_period(request) or default_period(
        communes_under(unit), calendar_for(unit), today=timezone.localdate()
    )
    url = reverse("dossiers:overview", args=[unit.pk, period.code])
    if BASIS_PARAM in request.GET:
        url += f"?{BASIS_PARAM}={_basis_param(_basis(request))}"
    return redirect(url)


@login_required
def overview_view(request, pk: int, period: str):
    """Every commune under a reviewer's unit for one period: figures, rates, status and flags."""
    unit = get_unit_for_user(request.user, pk)
    if unit.is_commune:
        raise Http404(_("Trang tổng hợp dành cho đơn vị thẩm định (huyện hoặc tỉnh)."))
    value = parse_period_or_404(period)
    return _overview(request, unit=unit, communes=communes_for_period(unit, value), period=value)


@login_required
def country_overview_view(request, period: str):
    """The same for every commune of the country (of the period's era); superusers only."""
    if not request.user.is_superuser:
        raise Http404(_("Không tìm thấy trang."))
    value = picked_period(request) or parse_period_or_404(period)
    if value.code != period:
        return redirect("dossiers:overview_country", period=value.code)
    era = Era.CURRENT if value.dates()[1] >= REFORM_DATE else Era.LEGACY
    communes = living_in(AdministrativeUnit.objects.communes().filter(era=era), value)
    return _overview(request, unit=None, communes=communes, period=value, era=era)


def _overview(request, *, unit, communes, period, era=None):
    """The overview of ``communes`` (those of the period: ``communes_for_period``). A 2025
    unit's communes carry their predecessors' figures for the months before 1/7/2025."""
    basis = _basis(request)
    era = unit.era if unit else era
    history = era == Era.CURRENT and period.dates(periods.Calendar.CALENDAR)[0] < REFORM_DATE
    # Wholly before the reform: every figure is the old units'; nothing was due from the commune.
    before = history and period.dates(periods.Calendar.CALENDAR)[1] < REFORM_DATE
    base = overview_queryset(
        communes=communes,
        period=period,
        basis=basis,
        with_approved=basis == Basis.ALL,
        history=history,
    )
    overview = OverviewFilter(request.GET or {}, queryset=base.order_by("parent_id", "name"))
    rows = list(overview.qs)
    setting = calendar_for(unit) if unit else ReportingCalendar()
    overdue = due_date(period, setting) < timezone.localdate()
    statuses = dict(ReportStatus.choices)
    longer = period.kind != periods.Kind.MONTH
    # Two links a row: reversed once as patterns, not thousands of times.
    entry = reverse("dossiers:entry", args=[0, period.code]).replace("/0/", "/{}/", 1)
    trend = reverse("dossiers:list", args=[0]).replace("/0/", "/{}/", 1) + f"?nam={period.year}"
    unapproved_rows = 0
    for row in rows:
        row.status_label = statuses.get(row.status, "")
        row.entry_url, row.trend_url = entry.format(row.pk), trend.format(row.pk)
        row.flags = []
        if longer and row.months_reported:
            row.months_label = _("%(approved)s/%(expected)s tháng đã duyệt") % {
                "approved": row.months_approved,
                "expected": row.months_expected,
            }
            unapproved = row.months_reported - row.months_approved
        else:
            row.months_label = ""
            unapproved = int(row.status is not None and row.status != ReportStatus.APPROVED)
        if unapproved:
            unapproved_rows += 1
            if basis == Basis.APPROVED:
                row.flags.append(
                    _("%(count)s báo cáo chưa duyệt, chưa tính") % {"count": unapproved}
                    if longer
                    else _("Báo cáo chưa duyệt, chưa tính")
                )
            else:
                row.flags.append(_("Gồm %(count)s báo cáo chưa duyệt") % {"count": unapproved})
        if longer and row.months_reported and row.report_id:
            row.flags.append(_("Có cả báo cáo tháng và báo cáo cả kỳ: xem số liệu được dùng"))
        if row.received_new and not row.received_online:
            row.flags.append(_("Không có hồ sơ trực tuyến"))
        if row.late > row.apology_letters:
            row.flags.append(
                _("%(count)s hồ sơ trễ hẹn chưa có thư xin lỗi") % {"count": row.late - row.apology_letters}
            )
        if history and row.split_history:
            row.flags.append(
                _("Có xã, phường cũ được chia cho nhiều đơn vị mới: số liệu của xã ấy không tính vào đây")
            )
        if before:
            row.status_label = (
                _("Số liệu của các xã, phường cũ")
                if row.history_reported
                else _("Các xã, phường cũ không có báo cáo")
            )
        elif overdue and row.status not in ("submitted", "approved"):
            row.flags.append(_("Chưa gửi báo cáo"))
    # Beside a total that counts unapproved reports, the approved one: what goes upward.
    total, approved_total = _totals(base, approved=basis == Basis.ALL)
    action = (
        reverse("dossiers:overview_latest", args=[unit.pk])
        if unit
        else reverse("dossiers:overview_country", args=[period.code])
    )
    return render(
        request,
        "dossiers/overview.html",
        {
            "unit": unit,
            "scope": unit.name if unit else _("toàn quốc"),
            "history": before,
            "across_reform": history and not before,
            "filtered": any(overview.form.cleaned_data.values()) if overview.form.is_valid() else True,
            "total_label": _("Toàn %(unit)s") % {"unit": unit.name} if unit else _("Cả nước"),
            "period": period,
            "filter": overview,
            "rows": rows,
            "total": total,
            "approved_total": approved_total if unapproved_rows else None,
            "basis": basis,
            "basis_param": BASIS_PARAM,
            "basis_value": _basis_param(basis),
            "other_basis_value": _basis_param(Basis.ALL if basis == Basis.APPROVED else Basis.APPROVED),
            "unapproved_rows": unapproved_rows,
            "picker": period_picker(period, today=timezone.localdate()),
            "picker_action": action,
            "picker_keep": [(BASIS_PARAM, _basis_param(basis))],
        },
    )


def _totals(queryset, *, approved: bool) -> tuple[Figures, Figures | None]:
    """The unit's total of ``overview_queryset`` rows, and the approved total when asked; one query."""
    names = [*OVERVIEW_SUMS, *(f"approved_{name}" for name in OVERVIEW_SUMS)] if approved else OVERVIEW_SUMS
    sums = dict.fromkeys(names, 0)
    for values in queryset.values(*names):
        for name in names:
            sums[name] += values[name]
    total = Figures(**{name: sums[name] for name in OVERVIEW_SUMS})
    if not approved:
        return total, None
    return total, Figures(**{name: sums[f"approved_{name}"] for name in OVERVIEW_SUMS})


# The inbox's own parameters, carried along by the period picker, the sort links and the
# approval form so that the reviewer comes back to the same table.
INBOX_PARAMS = ("trang_thai", "han", "q", "sap_xep")
# The sortable columns: the ordering a header link asks for first, and the one it toggles to.
INBOX_SORTS = {
    "name": ("ten", "-ten"),
    "status": ("trang-thai", "-trang-thai"),
    "late": ("-tre-han", "ngay-gui"),
}


def _inbox_query(request, *, period=None, **changes) -> str:
    """The inbox's query string: its filters from ``request.GET`` (with ``changes``), and the
    period as ``ky``."""
    query = QueryDict(mutable=True)
    for name in INBOX_PARAMS:
        value = changes.get(name, request.GET.get(name, ""))
        if value:
            query[name] = value
    if period is not None:
        query["ky"] = period.code
    return query.urlencode()


def _inbox_url(request, period=None) -> str:
    query = _inbox_query(request, period=period)
    return reverse("dossiers:inbox") + (f"?{query}" if query else "")


def _sort_links(request, period) -> dict[str, dict]:
    """Each sortable column's link (asking its first ordering, or the other when it is the one in
    use) and its aria-sort value."""
    current = request.GET.get("sap_xep", "") or "trang-thai"
    links = {}
    for column, (first, other) in INBOX_SORTS.items():
        wanted = other if current == first else first
        sort = "none"
        if current in (first, other):
            sort = "descending" if current.startswith("-") else "ascending"
            if column == "late":  # "most late first" reads as descending days late
                sort = "descending" if current == first else "ascending"
        links[column] = {
            "url": "?" + _inbox_query(request, period=period, sap_xep=wanted),
            "sort": sort,
        }
    return links


# A row's status as the reviewer reads it: its label and its badge's class.
INBOX_STATUS = {
    ReportStatus.SUBMITTED: (_lazy("Chờ duyệt"), "status-submitted"),
    ReportStatus.RETURNED: (_lazy("Bị trả lại"), "status-returned"),
    ReportStatus.DRAFT: (_lazy("Đang nhập"), "status-draft"),
    ReportStatus.APPROVED: (_lazy("Đã duyệt"), "status-approved"),
    None: (_lazy("Chưa nhập"), "status-none"),
}


def _label_rows(inbox) -> None:
    """What each row shows, worked out once here rather than by template tags for each of up to
    170 rows (the tags were most of the page's time): its link, status, lateness and the text the
    approval dialog lists."""
    period = inbox.period
    entry = reverse("dossiers:entry", args=[0, period.code]).replace("/0/", "/{}/", 1)
    for row in inbox.rows:
        row.entry_url = entry.format(row.pk)
        label, row.status_class = INBOX_STATUS[row.status]
        row.status_label = str(label)
        row.confirm_item = f"{row.name} – {period.label}"
        row.choose_label = _("Chọn %(unit)s, %(period)s") % {"unit": row.name, "period": period.label}
        if row.lateness == "overdue":
            row.lateness_label = ngettext("Quá hạn %(count)s ngày", "Quá hạn %(count)s ngày", row.days_late)
            row.lateness_class = "text-danger fw-semibold"
        elif row.lateness == "late":
            row.lateness_label = ngettext("Gửi muộn %(count)s ngày", "Gửi muộn %(count)s ngày", row.days_late)
            row.lateness_class = "text-warning-emphasis"
        else:
            row.lateness_label = _("Đúng hạn") if row.lateness == "on_time" else _("Chưa đến hạn")
            row.lateness_class = ""
        row.lateness_label %= {"count": row.days_late}


@login_required
def inbox_view(request, status: int = 200, error: str = "", details: list[str] | None = None):
    """The reviewer's inbox for one month (by default the latest month already due): one table of
    its communes with the month's report, waiting or late, filtered and sorted (``InboxFilter``),
    with the counts by status, the bulk approval, and the reports waiting in other months."""
    today = timezone.localdate()
    inbox = inbox_for(user=request.user, period=picked_period(request), today=today, params=request.GET)
    context = {"inbox": inbox, "error": error, "details": details or []}
    if inbox.period:
        _label_rows(inbox)
        picker = period_picker(inbox.period, today=today)
        picker["parts"] = [part for part in picker["parts"] if part[0].isdecimal()]  # months only
        query = _inbox_query(request, period=inbox.period)
        context |= {
            "picker": picker,
            "picker_action": reverse("dossiers:inbox"),
            "picker_keep": [(name, request.GET[name]) for name in INBOX_PARAMS if request.GET.get(name)],
            "sorts": _sort_links(request, inbox.period),
            "query": query,
            "remind_url": reverse("dossiers:inbox_remind") + f"?ky={inbox.period.code}",
            "approve_url": reverse("dossiers:inbox_approve") + f"?{query}",
            "filtered": any(request.GET.get(name) for name in ("trang_thai", "han", "q")),
        }
    return render(request, "dossiers/inbox.html", context, status=status)


@login_required
@require_POST
def inbox_approve_view(request):
    """Approve the reports ticked in the inbox: all of them, or none (``dossier_reports_approve_all``).

    Asked first (``ask``) without JavaScript: a page lists them. A report out of the reviewer's
    reach answers 404 and one no longer waiting 409, each with the inbox and a message naming the
    report; nothing is approved then. The inbox's filters ride in the query string, so the
    reviewer comes back to the same table."""
    back = _inbox_url(request, picked_period(request))
    # Ids as the database holds them: isdigit() also passes "²", which int() refuses, and a number
    # past 18 digits overflows the database's integer.
    ids = {
        int(value)
        for value in request.POST.getlist("report")
        if value.isascii() and value.isdecimal() and len(value) <= 18
    }
    if not ids:
        messages.error(request, _("Chưa chọn báo cáo nào để duyệt."))
        return redirect(back)
    reports = list(
        DossierReport.objects.filter(pk__in=ids, unit__in=units_reviewed_by(request.user))
        .select_related("period", "unit", "reviewed_by")
        .order_by("unit__name", "period__year", "period__kind", "period__number")
    )
    outside = sorted(ids - {report.pk for report in reports})
    if outside:
        return inbox_view(
            request,
            status=404,
            error=_(
                "Không báo cáo nào được duyệt: báo cáo số %(ids)s không thuộc phạm vi thẩm định của bạn "
                "hoặc không còn nữa."
            )
            % {"ids": ", ".join(map(str, outside))},
        )
    refusals = approval_refusals(reports=reports)
    if not refusals and request.POST.get("ask") and not request.POST.get("confirmed"):
        # The inbox without JavaScript: what would be approved, and a button that approves it
        # (with JavaScript a dialog on the inbox asks and sends "confirmed" itself).
        return render(
            request,
            "dossiers/inbox_confirm.html",
            {"reports": reports, "back": back, "approve_url": request.get_full_path()},
        )
    try:
        if refusals:
            raise ApprovalRefused(refusals)
        dossier_reports_approve_all(reports=reports, user=request.user)
    except ApprovalRefused as error:
        return inbox_view(
            request,
            status=409,
            error=_(
                "Không báo cáo nào được duyệt: có báo cáo không còn chờ duyệt (người khác đã xử lý sau khi "
                "bạn mở trang). Hãy xem lại bảng rồi chọn lần nữa."
            ),
            details=error.messages,
        )
    messages.success(request, _("Đã duyệt %(count)s báo cáo.") % {"count": len(reports)})
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def inbox_remind_view(request):
    """ "Nhắc các xã chậm gửi": the communes late with the month picked (by default the inbox's),
    each with its officers and chairmen, whether mail reaches them and whether they were reminded
    today; "Gửi nhắc nhở ngay" (POST) reminds them now (``late_communes_remind``), recomputing the
    list: nothing posted decides who is reminded. Only a reviewer's (403 for anyone else)."""
    today = timezone.localdate()
    period = picked_period(request)
    if request.method == "POST":
        done = late_communes_remind(user=request.user, period=period, today=today)
        if done.period is None:
            raise PermissionDenied(REMIND_REFUSED)
        back = reverse("dossiers:inbox_remind") + f"?ky={done.period.code}"
        _remind_message(request, done)
        return redirect(back)
    reminders = inbox_reminders(user=request.user, period=period, today=today)
    if reminders.period is None:
        raise PermissionDenied(REMIND_REFUSED)
    return render(
        request,
        "dossiers/inbox_remind.html",
        {
            "reminders": reminders,
            "inbox_url": _inbox_url(request, reminders.period),
            "remind_url": reverse("dossiers:inbox_remind") + f"?ky={reminders.period.code}",
        },
    )


REMIND_REFUSED = _lazy("Chỉ cơ quan thẩm định (Phòng, Sở Nội vụ) nhắc các xã, phường chậm gửi báo cáo.")


def _remind_message(request, done) -> None:
    """ "Đã nhắc k người ở m xã, phường; n xã, phường chưa liên lạc được qua email: …"."""
    values = {
        "people": done.people,
        "communes": done.communes,
        "count": len(done.unreachable),
        "names": "; ".join(f"{r.unit.name} ({r.unreachable_label})" for r in done.unreachable),
        "period": done.period.label,
    }
    if not done.is_due or not done.late:
        messages.info(request, _("Không xã, phường nào chậm gửi báo cáo %(period)s: không nhắc ai.") % values)
        return
    if done.people and done.unreachable:
        text = _(
            "Đã nhắc %(people)s người ở %(communes)s xã, phường; %(count)s xã, phường chưa liên lạc "
            "được qua email: %(names)s."
        )
    elif done.people:
        text = _("Đã nhắc %(people)s người ở %(communes)s xã, phường.")
    elif done.unreachable:
        text = _(
            "Không nhắc thêm ai: người của các xã, phường chậm gửi đã được nhắc hôm nay; %(count)s xã, "
            "phường chưa liên lạc được qua email: %(names)s."
        )
    else:
        text = _("Không nhắc thêm ai: người của các xã, phường chậm gửi đã được nhắc hôm nay.")
    (messages.warning if done.unreachable else messages.success)(request, text % values)
