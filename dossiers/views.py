from __future__ import annotations

from dataclasses import astuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communes.models import REFORM_DATE, AdministrativeUnit, Era
from communes.selectors import get_unit_for_user, units_reviewed_by
from core.charts import Series, line_chart

from .figures import COLUMNS, Figures, Level, check
from .filters import OverviewFilter
from .forms import EntryForm, cell_name
from .importing import MAX_BYTES, parse_bieu06
from .models import DossierReport, Period, ReportingCalendar, ReportStatus
from .selectors import (
    OVERVIEW_SUMS,
    bieu06_file,
    calendar_for,
    communes_under,
    due_date,
    entry_page,
    import_catalogue,
    inbox_for,
    latest_due_month,
    longer_reports_for,
    monthly_trend,
    overview_queryset,
    parse_period_or_404,
    report_periods_for,
    unusual_values,
)
from .services import (
    FiguresInvalid,
    NeedsConfirmation,
    StaleReport,
    WorkflowError,
    dossier_report_approve,
    dossier_report_import,
    dossier_report_reopen,
    dossier_report_return,
    dossier_report_save,
    dossier_report_submit,
    dossier_reports_approve,
)


def _commune_for(user, pk: int):
    unit = get_unit_for_user(user, pk)
    if not unit.is_commune:
        raise Http404(_("Chỉ xã, phường mới có báo cáo hồ sơ TTHC."))
    return unit


@login_required
def report_list_view(request, pk: int):
    """The commune's reports: every month with its status and due date, and the longer periods."""
    unit = _commune_for(request.user, pk)
    wanted = request.GET.get("ky", "").strip()
    if wanted:
        return redirect("dossiers:entry", pk=unit.pk, period=parse_period_or_404(wanted).code)
    today = timezone.localdate()
    months = report_periods_for(unit, today=today)
    year = _year_param(request, default=next((m["period"].year for m in months if m["report"]), today.year))
    return render(
        request,
        "dossiers/report_list.html",
        {
            "unit": unit,
            "months": months,
            "others": longer_reports_for(unit),
            "year": year,
            "chart": _trend_chart(unit, year),
        },
    )


def _year_param(request, *, default: int) -> int:
    try:
        year = int(request.GET.get("nam", default))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


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


# The computed "Tổng số" of each Biểu 06 group stands before the group's first column.
TOTAL_BEFORE = {"received_online": "received", "resolved_early": "resolved", "pending_in_time": "pending"}


def _grid(form: EntryForm, page, unusual: dict, saved_elsewhere: dict) -> list[dict]:
    """The rows of the grid: each lĩnh vực with its cells (inputs and computed totals),
    warnings and the reviewer's comment."""
    rows = []
    for number, field in enumerate(page.fields, start=1):
        figures = page.lines.get(field.pk, Figures())
        cells = []
        for column in COLUMNS:
            if column.name in TOTAL_BEFORE:
                total = TOTAL_BEFORE[column.name]
                cells.append({"total": total, "value": getattr(figures, f"{total}_total")})
            name = cell_name(field.pk, column.name)
            bound = form[name]
            if bound.errors:
                bound.field.widget.attrs.update(
                    {
                        "class": "form-control figure is-invalid",
                        "aria-invalid": "true",
                        "aria-describedby": f"{bound.auto_id}-error",
                    }
                )
            if not page.may_write:
                bound.field.widget.attrs["disabled"] = True
            cells.append(
                {
                    "column": column,
                    "field": bound,
                    "usual": unusual.get((field.pk, column.name)),
                    "saved": saved_elsewhere.get((field.pk, column.name)),
                }
            )
        rows.append(
            {
                "number": number,
                "field": field,
                "cells": cells,
                "warnings": form.warnings.get(field.pk, []),
                "comment": page.comments.get(field.pk, ""),
            }
        )
    return rows


@login_required
def report_entry_view(request, pk: int, period: str):
    """Biểu 06 for one commune and period: entered by its officers, sent by its chairman,
    read by its reviewer."""
    unit = _commune_for(request.user, pk)
    value = parse_period_or_404(period)
    page = entry_page(user=request.user, unit=unit, period=value)
    status = 200
    saved_elsewhere: dict = {}
    if request.method == "POST":
        if not page.may_write:
            if page.report is not None and page.report.is_locked:
                raise PermissionDenied(
                    _("Báo cáo đang ở trạng thái “%(status)s”, không sửa được.")
                    % {"status": page.report.get_status_display()}
                )
            raise PermissionDenied(_("Bạn không có quyền nhập số liệu cho đơn vị này."))
        submitting = "submit" in request.POST
        if submitting and not page.may_submit:
            raise PermissionDenied(_("Chỉ Chủ tịch hoặc Phó Chủ tịch UBND xã gửi báo cáo."))
        form = EntryForm(request.POST, fields=page.fields)
        if form.is_valid():
            try:
                report = dossier_report_save(
                    unit=unit,
                    period=Period.for_code(value.code),
                    user=request.user,
                    lines=form.lines(),
                    expected_version=form.cleaned_data["version"],
                )
                if submitting:
                    dossier_report_submit(
                        report=report,
                        user=request.user,
                        expected_version=report.version,
                        confirm_warnings=form.cleaned_data["confirm_warnings"],
                    )
                    messages.success(
                        request,
                        _("Đã gửi báo cáo %(period)s đến cơ quan thẩm định.") % {"period": value.label},
                    )
                else:
                    messages.success(
                        request, _("Đã lưu nháp lúc %(time)s.") % {"time": f"{timezone.localtime():%H:%M}"}
                    )
                return redirect(request.path)
            except NeedsConfirmation:
                messages.warning(
                    request,
                    _(
                        "Đã lưu số liệu nhưng chưa gửi: tổng số hồ sơ nhận chưa bằng số đã và đang giải "
                        "quyết. Hãy kiểm tra, đánh dấu ô xác nhận rồi bấm Gửi báo cáo."
                    ),
                )
                return redirect(request.path)
            except StaleReport as error:
                status = 409
                form, saved_elsewhere = _keep_on_screen(request, page, unit, value, error)
            except (WorkflowError, FiguresInvalid) as error:
                status = 409
                form.add_error(None, error.messages[0])
        else:
            status = 400
    else:
        form = EntryForm(
            initial=EntryForm.initial_for(page.fields, page.lines, page.version), fields=page.fields
        )
        form.warnings = {
            field_id: [p for p in check(figures) if p.level == Level.WARNING]
            for field_id, figures in page.lines.items()
            if any(p.level == Level.WARNING for p in check(figures))
        }
    shown = form.lines() if form.is_bound and not form.errors else page.lines
    unusual = unusual_values(unit=unit, period=value, lines=shown)
    may_review = page.report is not None and units_reviewed_by(request.user).filter(pk=unit.pk).exists()
    context = {
        "page": page,
        "form": form,
        "rows": _grid(form, page, unusual, saved_elsewhere),
        "columns": COLUMNS,
        "total": page.total,
        "may_review": may_review,
        "needs_confirmation": page.may_submit and any(form.warnings.values()),
    }
    return render(request, "dossiers/report_entry.html", context, status=status)


def _keep_on_screen(request, page, unit, value, error: StaleReport):
    """After a refused save: the user's values stay on screen, with the current version, and
    each cell shows what the colleague saved where it differs."""
    current = entry_page(user=request.user, unit=unit, period=value)
    data = request.POST.copy()
    data["version"] = str(current.version)
    kept = EntryForm(data, fields=page.fields)
    kept.is_valid()
    kept.add_error(None, error.messages[0])
    saved = {}
    mine = kept.lines()
    for field_id, figures in current.lines.items():
        for column in COLUMNS:
            theirs = getattr(figures, column.name)
            if theirs != getattr(mine.get(field_id, Figures()), column.name):
                saved[(field_id, column.name)] = theirs
    return kept, saved


@login_required
def report_export_view(request, pk: int, period: str, fmt: str):
    """Biểu 06 as xlsx or CSV, for a commune or for every commune under a reviewer's unit."""
    unit = get_unit_for_user(request.user, pk)
    name, data, content_type = bieu06_file(unit=unit, period=parse_period_or_404(period), fmt=fmt)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _report_for_review(request, pk: int, period: str):
    unit = _commune_for(request.user, pk)
    if not units_reviewed_by(request.user).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("Chỉ cơ quan thẩm định của đơn vị này mới xử lý báo cáo."))
    page = entry_page(user=request.user, unit=unit, period=parse_period_or_404(period))
    if page.report is None:
        raise Http404(_("Đơn vị chưa có báo cáo cho kỳ này."))
    return page


@login_required
@require_POST
def report_review_view(request, pk: int, period: str):
    """The reviewer approves, returns (with a reason) or reopens (with a reason) a report."""
    page = _report_for_review(request, pk, period)
    action = request.POST.get("action")
    reason = request.POST.get("reason", "")
    try:
        if action == "approve":
            dossier_report_approve(report=page.report, user=request.user)
            messages.success(
                request,
                _("Đã duyệt báo cáo %(period)s của %(unit)s.")
                % {"period": page.period.label, "unit": page.unit.name},
            )
        elif action == "return":
            comments = {
                field.pk: request.POST.get(f"comment-{field.pk}", "")
                for field in page.fields
                if request.POST.get(f"comment-{field.pk}", "").strip()
            }
            dossier_report_return(
                report=page.report, user=request.user, reason=reason, line_comments=comments
            )
            messages.success(
                request,
                _("Đã trả lại báo cáo %(period)s cho %(unit)s.")
                % {"period": page.period.label, "unit": page.unit.name},
            )
        elif action == "reopen":
            dossier_report_reopen(report=page.report, user=request.user, reason=reason)
            messages.success(
                request, _("Đã mở lại báo cáo %(period)s để xã điều chỉnh.") % {"period": page.period.label}
            )
        else:
            return render(request, "400.html", status=400)
    except WorkflowError as error:
        messages.error(request, error.messages[0])
        response = redirect("dossiers:entry", pk=page.unit.pk, period=page.period.code)
        response.status_code = 303
        return response
    return redirect("dossiers:entry", pk=page.unit.pk, period=page.period.code)


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


IMPORT_SALT = "dossiers.import"
IMPORT_MAX_AGE = 60 * 60  # a preview is confirmed within the hour


@login_required
def report_import_view(request, pk: int, period: str):
    """Upload a Biểu 06 file: a preview with every problem first, then all of it or nothing."""
    unit = _commune_for(request.user, pk)
    value = parse_period_or_404(period)
    page = entry_page(user=request.user, unit=unit, period=value)
    if not page.may_write:
        raise PermissionDenied(
            _(
                "Bạn không nhập được số liệu cho báo cáo này (không có quyền, hoặc báo cáo đã gửi hoặc đã "
                "duyệt)."
            )
        )
    context = {"page": page, "result": None, "payload": ""}
    if request.method != "POST":
        return render(request, "dossiers/report_import.html", context)

    if "payload" in request.POST:
        try:
            payload = signing.loads(request.POST["payload"], salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
        except signing.BadSignature:
            context["error"] = _("Bản xem trước đã hết hạn hoặc không hợp lệ; hãy tải tệp lên lần nữa.")
            return render(request, "dossiers/report_import.html", context, status=400)
        if payload["unit"] != unit.pk or payload["period"] != value.code:
            raise PermissionDenied(_("Bản xem trước thuộc đơn vị hoặc kỳ khác; không có gì được lưu."))
        lines = {int(field_id): Figures(*numbers) for field_id, numbers in payload["lines"].items()}
        try:
            dossier_report_import(
                unit=unit,
                period=Period.for_code(value.code),
                user=request.user,
                lines=lines,
                expected_version=payload["version"],
            )
        except ValidationError as error:
            # Stale, locked, figures out of bounds, or a lĩnh vực closed since the preview.
            context["error"] = error.messages[0]
            return render(request, "dossiers/report_import.html", context, status=409)
        messages.success(request, _("Đã nhập %(count)s lĩnh vực từ tệp Excel.") % {"count": len(lines)})
        return redirect("dossiers:entry", pk=unit.pk, period=value.code)

    upload = request.FILES.get("file")
    if upload is None:
        context["error"] = _("Hãy chọn tệp Excel (.xlsx) để tải lên.")
        return render(request, "dossiers/report_import.html", context, status=400)
    if upload.size > MAX_BYTES:
        context["error"] = _("Tệp “%(name)s” lớn hơn 10 MB, không nhập.") % {"name": upload.name}
        return render(request, "dossiers/report_import.html", context, status=400)
    result = parse_bieu06(upload.read(), catalogue=import_catalogue(), filename=upload.name)
    context["result"] = result
    if not result.ok:
        return render(request, "dossiers/report_import.html", context, status=400)
    context["payload"] = signing.dumps(
        {
            "unit": unit.pk,
            "period": value.code,
            "version": page.version,
            "lines": {row.field_id: list(astuple(row.figures)) for row in result.rows},
        },
        salt=IMPORT_SALT,
    )
    return render(request, "dossiers/report_import.html", context)
