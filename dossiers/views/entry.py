"""Biểu 06 of one commune and period: the entry grid, the review, the export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communes.selectors import get_unit_for_user, units_reviewed_by

from ..figures import COLUMNS, Figures, Level, check
from ..forms import EntryForm, cell_name
from ..models import Period
from ..selectors import (
    Basis,
    bieu06_file,
    entry_page,
    month_reports_in,
    parse_period_or_404,
    unusual_values,
)
from ..services import (
    FiguresInvalid,
    NeedsConfirmation,
    StaleReport,
    WorkflowError,
    dossier_report_approve,
    dossier_report_reopen,
    dossier_report_return,
    dossier_report_save,
    dossier_report_submit,
)
from .common import _commune_for
from .periods import period_summary_response

# The computed "Tổng số" of each Biểu 06 group stands before the group's first column.
TOTAL_BEFORE = {"received_online": "received", "resolved_early": "resolved", "pending_in_time": "pending"}


def _grid(form: EntryForm, page, unusual: dict, saved_elsewhere: dict) -> list[dict]:
    """The rows of the grid: each lĩnh vực with its cells (inputs and computed totals),
    warnings and the reviewer's comment."""
    rows = []
    first_error = True  # the first refused cell of the grid takes the focus, even without JavaScript
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
                if first_error and page.may_write:
                    bound.field.widget.attrs["autofocus"] = True
                    first_error = False
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
    summary = period_summary_response(request, unit, value)  # a longer period with months in it
    if summary is not None:
        return summary
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
        "footer": _footer(sum(shown.values(), Figures())),
        "may_review": may_review,
        "needs_confirmation": page.may_submit and any(form.warnings.values()),
        "beside_months": month_reports_in(unit, value),
    }
    return render(request, "dossiers/report_entry.html", context, status=status)


def _footer(total: Figures) -> list[dict]:
    """The grid's "Tổng cộng" row as the server counts it (the page's script keeps it live)."""
    cells = []
    for column in COLUMNS:
        if column.name in TOTAL_BEFORE:
            group = TOTAL_BEFORE[column.name]
            cells.append({"total": group, "value": getattr(total, f"{group}_total")})
        cells.append({"column": column.name, "value": getattr(total, column.name)})
    return cells


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
    """Biểu 06 as xlsx or CSV, for a commune or for every commune under a reviewer's unit
    (approved reports only unless ``so_lieu=tat-ca``: what the reviewer reports upward)."""
    unit = get_unit_for_user(request.user, pk)
    basis = {"tat-ca": Basis.ALL, "da-duyet": Basis.APPROVED}.get(request.GET.get("so_lieu", ""))
    name, data, content_type = bieu06_file(
        unit=unit, period=parse_period_or_404(period), fmt=fmt, basis=basis
    )
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
