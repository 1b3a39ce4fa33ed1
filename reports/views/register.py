"""Pages of a commune's register of directive documents, and its import from Excel.

Access, who writes and who reads, and the answer to invalid input: as in ``records_common``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..forms import DocumentForm, RegisterFilterForm, with_submission_token
from ..imports import read_documents
from ..selectors.records import (
    document_years,
    get_commune_for_user,
    get_document_for_user,
    may_write,
    register,
)
from ..services.records import RecordConflict, document_delete, document_save, documents_import
from .records_common import CONFIRM_TEMPLATE, _initial, _posted, _render_form, _run_import
from .submitting import create_posted

# The register of directive documents -------------------------------------------------------------


def _register_crumb(unit) -> tuple[str, str]:
    return (_("Sổ văn bản chỉ đạo"), reverse("reports:document_list", args=[unit.pk]))


@login_required
def document_list_view(request, unit_pk: int):
    unit = get_commune_for_user(request.user, unit_pk)
    years = document_years(unit)
    filters = RegisterFilterForm(request.GET or None, years=years)
    year, type_code = None, ""
    if filters.is_bound and filters.is_valid():
        year = filters.cleaned_data["nam"]
        type_code = filters.cleaned_data["loai"]
    page = register(unit, year=year, type_code=type_code, years=years)
    return render(
        request,
        "reports/records/document_list.html",
        {
            "unit": unit,
            "register": page,
            "filters": filters,
            "filtered": bool(year or type_code),
            "may_write": may_write(request.user, unit),
            "tab": "documents",
        },
    )


@login_required
def document_create_view(request, unit_pk: int):
    unit = get_commune_for_user(request.user, unit_pk, write=True)
    form = with_submission_token(DocumentForm(_posted(request), unit=unit))
    response = create_posted(
        request,
        form,
        create=lambda: document_save(unit=unit, data=form.cleaned_data),
        url_of=lambda _document: reverse("reports:document_list", args=[unit.pk]),
        saved=_("Đã thêm văn bản %(name)s vào sổ."),
        again=_("Văn bản %(name)s đã được thêm vào sổ từ lần gửi trước; không thêm lần nữa."),
    )
    if response is not None:
        return response
    return _render_form(
        request,
        unit=unit,
        form=form,
        title=_("Thêm văn bản chỉ đạo"),
        crumbs=[_register_crumb(unit)],
        cancel_url=reverse("reports:document_list", args=[unit.pk]),
        submit=_("Lưu văn bản"),
        tab="documents",
    )


@login_required
def document_edit_view(request, pk: int):
    document = get_document_for_user(request.user, pk, write=True)
    unit = document.unit
    form = DocumentForm(
        _posted(request),
        unit=unit,
        document_pk=document.pk,
        initial=_initial(document, DocumentForm.FIELDS),
    )
    if request.method == "POST" and form.is_valid():
        try:
            document_save(unit=unit, data=form.cleaned_data, document=document)
        except RecordConflict as conflict:  # an entry saved meanwhile
            form.add_error(conflict.field or None, str(conflict))
        else:
            messages.success(request, _("Đã lưu văn bản %(symbol)s.") % {"symbol": document.number_symbol})
            return redirect("reports:document_list", unit_pk=unit.pk)
    return _render_form(
        request,
        unit=unit,
        form=form,
        title=_("Sửa văn bản %(symbol)s") % {"symbol": document.number_symbol},
        crumbs=[_register_crumb(unit)],
        cancel_url=reverse("reports:document_list", args=[unit.pk]),
        submit=_("Lưu văn bản"),
        tab="documents",
    )


@login_required
def document_delete_view(request, pk: int):
    document = get_document_for_user(request.user, pk, write=True)
    unit = document.unit
    back = reverse("reports:document_list", args=[unit.pk])
    if request.method == "POST":
        document_delete(document=document)
        messages.success(
            request, _("Đã xoá văn bản %(symbol)s khỏi sổ.") % {"symbol": document.number_symbol}
        )
        return redirect(back)
    return render(
        request,
        CONFIRM_TEMPLATE,
        {
            "unit": unit,
            "tab": "documents",
            "title": _("Xoá văn bản"),
            "crumbs": [_register_crumb(unit)],
            "question": _("Xoá văn bản %(symbol)s ngày %(day)s khỏi sổ?")
            % {"symbol": document.number_symbol, "day": document.issued_on.strftime("%d/%m/%Y")},
            "cancel_url": back,
        },
    )


# Shown beside the upload field: what each column of the list may hold.
DOCUMENT_COLUMNS_HELP = [
    ("Số, ký hiệu", gettext_lazy("bắt buộc; ví dụ 03/KH-UBND")),
    ("Ngày ban hành", gettext_lazy("bắt buộc; ô ngày hoặc chữ dạng 26/01/2021")),
    ("Loại", gettext_lazy("không bắt buộc; mã (KH, QĐ …) hoặc tên (Kế hoạch); để trống thì đọc từ ký hiệu")),
    ("Trích yếu", gettext_lazy("bắt buộc")),
]


@login_required
def document_import_view(request, unit_pk: int):
    unit = get_commune_for_user(request.user, unit_pk, write=True)
    back = reverse("reports:document_list", args=[unit.pk])

    def done(imported, filename: str) -> None:
        messages.success(
            request,
            _("Đã nhập %(count)s văn bản vào sổ từ tệp “%(filename)s”.")
            % {"count": len(imported.saved), "filename": filename},
        )

    response = _run_import(
        request,
        unit=unit,
        reader=read_documents,
        saver=lambda rows: documents_import(unit=unit, rows=rows),
        done=done,
        back=back,
        title=_("Nhập sổ văn bản chỉ đạo từ Excel"),
        crumbs=[_register_crumb(unit)],
        columns=DOCUMENT_COLUMNS_HELP,
        tab="documents",
    )
    return response or redirect(back)
