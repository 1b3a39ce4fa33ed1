"""Pages of the report composer: a unit's reports, composing a new one, editing a draft, the
preview and the Word copy, issuing, the issued PDF, and corrections.

Every view reaches its report through ``get_report_for_user`` (404 for what the user may not see,
drafts included; 403 for what it sees but may not change). An issued report is read-only: edits
answer 409. Refusals of the services come back with their Vietnamese message and status.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..compose import ComposeError, report_compose
from ..forms import SUBMISSION_TOKEN, with_submission_token
from ..forms_reports import ComposeForm, FactsForm, SectionForm
from ..models import Meeting, ReportStatus
from ..selectors.reports import (
    download_name,
    get_report_for_user,
    get_report_unit_for_user,
    kinds_for,
    report_list,
    report_page,
    writes_reports_of,
)
from ..services.issuing import (
    ReportError,
    ReportLocked,
    ReportStale,
    may_issue,
    report_correct,
    report_delete,
    report_issue,
    report_refresh,
    report_save,
)
from ..services.submissions import create_once

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _refused(request, report, message: str, status: int):
    """The report's page with the refusal on top, answered with ``status``."""
    page = report_page(user=request.user, report=report)
    return render(request, "reports/composer/detail.html", {"page": page, "error": message}, status=status)


def _locked(request, report):
    return _refused(
        request, report, _("Báo cáo đã ban hành, không sửa được nữa. Hãy lập bản đính chính."), 409
    )


@login_required
def report_list_view(request, unit_pk: int):
    unit = get_report_unit_for_user(request.user, unit_pk)
    may_write = writes_reports_of(request.user, unit)
    context = {"unit": unit, "reports": report_list(unit=unit, with_drafts=may_write), "may_write": may_write}
    return render(request, "reports/composer/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report_create_view(request, unit_pk: int):
    unit = get_report_unit_for_user(request.user, unit_pk, write=True)
    meetings = Meeting.objects.filter(unit=unit).order_by("-held_on", "-pk")
    form = with_submission_token(ComposeForm(request.POST or None, kinds=kinds_for(unit), meetings=meetings))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submitted = create_once(
                user=request.user,
                token=data[SUBMISSION_TOKEN],
                create=lambda: report_compose(
                    unit=unit,
                    kind=data["kind"],
                    period=data["period"],
                    user=request.user,
                    year_from=data.get("year_from"),
                    meeting=data.get("meeting"),
                ),
                url_of=lambda report: reverse("reports:report_edit", args=[report.pk]),
            )
        except ComposeError as error:
            form.add_error(None, str(error))
        else:
            if submitted.again:
                messages.info(
                    request,
                    _("Dự thảo “%(name)s” đã được soạn từ lần bấm trước; không soạn thêm bản mới.")
                    % {"name": submitted.label},
                )
            else:
                messages.success(request, _("Đã soạn dự thảo báo cáo. Hãy xem lại và sửa nội dung."))
            return redirect(submitted.url)
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/composer/create.html", {"unit": unit, "form": form}, status=status)


@login_required
def report_detail_view(request, pk: int):
    report = get_report_for_user(request.user, pk)
    return render(
        request, "reports/composer/detail.html", {"page": report_page(user=request.user, report=report)}
    )


def _edit_forms(report, sections, data):
    facts = FactsForm(data, instance=report)
    forms = [
        (
            section,
            SectionForm(
                data,
                prefix=f"s{section.pk}",
                number=number,
                initial={"heading": section.heading, "body": section.body},
            ),
        )
        for number, section in enumerate(sections, start=1)
    ]
    return facts, forms


@login_required
@require_http_methods(["GET", "POST"])
def report_edit_view(request, pk: int):
    report = get_report_for_user(request.user, pk, write=True)
    if report.is_issued:
        return _locked(request, report)
    sections = list(report.sections.all())
    data = request.POST if request.method == "POST" else None
    facts, forms = _edit_forms(report, sections, data)
    status = 200
    if data is not None:
        status = 400
        if all([facts.is_valid(), *[form.is_valid() for _section, form in forms]]):
            try:
                report_save(
                    report=report,
                    facts={name: facts.cleaned_data[name] for name in facts.Meta.fields},
                    sections={section.pk: form.cleaned_data for section, form in forms},
                    revision=facts.cleaned_data["revision"],
                    user=request.user,
                )
            except ReportStale as error:
                # The user's text stays on screen, now at the colleague's revision: saving again
                # after comparing overwrites deliberately.
                status = 409
                data = data.copy()
                data["revision"] = str(error.revision)
                facts, forms = _edit_forms(report, sections, data)
                facts.is_valid()
                facts.add_error(None, str(error))
            except ReportLocked:
                return _locked(request, report)
            else:
                messages.success(request, _("Đã lưu dự thảo."))
                return redirect("reports:report_edit", report.pk)
    tables = (report.snapshot or {}).get("tables", {})
    context = {
        "report": report,
        "facts": facts,
        "forms": [
            (section, form, tables.get(section.table, {}).get("caption", "")) for section, form in forms
        ],
        "sections_with_errors": ", ".join(
            str(number) for number, (_section, form) in enumerate(forms, start=1) if form.errors
        ),
        "may_issue": may_issue(request.user, report),
    }
    return render(request, "reports/composer/edit.html", context, status=status)


@login_required
@require_POST
def report_refresh_view(request, pk: int):
    report = get_report_for_user(request.user, pk, write=True)
    try:
        report_refresh(report=report)
    except ReportLocked:
        return _locked(request, report)
    messages.success(request, _("Đã cập nhật số liệu từ dữ liệu mới nhất."))
    return redirect("reports:report_edit", report.pk)


def _document_response(data: bytes, content_type: str, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def report_preview_view(request, pk: int):
    """The PDF shown in the browser: a draft rendered now, an issued report as stored."""
    report = get_report_for_user(request.user, pk)
    if report.is_issued and report.pdf:
        with report.pdf.open("rb") as handle:
            data = handle.read()
    else:
        from ..documents import report_pdf

        data = report_pdf(report)
    return _document_response(data, PDF, download_name(report, "pdf"), attachment=False)


@login_required
def report_docx_view(request, pk: int):
    from ..documents import report_docx

    report = get_report_for_user(request.user, pk)
    return _document_response(report_docx(report), DOCX, download_name(report, "docx"), attachment=True)


@login_required
def report_download_view(request, pk: int):
    """The issued PDF, from storage as it was issued."""
    report = get_report_for_user(request.user, pk)
    if not report.is_issued or not report.pdf:
        raise Http404(_("Báo cáo chưa ban hành nên chưa có bản PDF lưu trữ."))
    response = FileResponse(
        report.pdf.open("rb"), as_attachment=True, filename=download_name(report, "pdf"), content_type=PDF
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def report_issue_view(request, pk: int):
    report = get_report_for_user(request.user, pk)
    if report.status != ReportStatus.DRAFT:
        return _locked(request, report)
    if not may_issue(request.user, report):
        raise PermissionDenied(
            _("Chỉ Chủ tịch UBND (hoặc cơ quan thẩm định với báo cáo tổng hợp) mới ban hành.")
        )
    try:
        report = report_issue(report=report, user=request.user)
    except ReportError as error:
        return _refused(request, report, str(error), error.status)
    messages.success(request, _("Đã ban hành báo cáo số %(symbol)s.") % {"symbol": report.number_symbol})
    return redirect("reports:report_detail", report.pk)


@login_required
@require_POST
def report_correct_view(request, pk: int):
    report = get_report_for_user(request.user, pk, write=True)
    try:
        correction = report_correct(report=report, user=request.user)
    except ReportError as error:
        return _refused(request, report, str(error), error.status)
    messages.success(
        request, _("Đã lập bản đính chính (phiên bản %(version)s).") % {"version": correction.version}
    )
    return redirect("reports:report_edit", correction.pk)


@login_required
@require_http_methods(["GET", "POST"])
def report_delete_view(request, pk: int):
    """GET: the confirmation; POST: delete the draft. An issued report is never deleted (409)."""
    report = get_report_for_user(request.user, pk, write=True)
    context = {"report": report}
    if report.is_issued:
        context["refusal"] = _("Báo cáo đã ban hành nên không xoá được; nếu cần sửa, hãy lập bản đính chính.")
        return render(request, "reports/composer/confirm_delete.html", context, status=409)
    if request.method == "GET":
        return render(request, "reports/composer/confirm_delete.html", context)
    try:
        report_delete(report=report)
    except ReportLocked:
        context["refusal"] = _("Báo cáo vừa được ban hành nên không xoá được nữa.")
        return render(request, "reports/composer/confirm_delete.html", context, status=409)
    messages.success(request, _("Đã xoá dự thảo “%(summary)s”.") % {"summary": report.summary})
    return redirect("reports:report_list", report.unit_id)
