"""Helpers shared by the pages of a commune's records (``meetings``, ``plans``, ``register``): the
form, confirmation and Excel-import pages, and reading what was posted.

Every view reaches its object through an access helper of ``selectors.records``: 404 for what the
user may not see, 403 for what it may see but not change. Officers and chairmen of the commune
write; its reviewers, administrators and successors read. Invalid input answers 400 with the form
and its Vietnamese messages, nothing saved.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..forms import ImportForm
from ..imports import MAX_IMPORT_BYTES

FORM_TEMPLATE = "reports/records/form.html"
CONFIRM_TEMPLATE = "reports/records/confirm_delete.html"
IMPORT_TEMPLATE = "reports/records/import.html"


def _today():
    return timezone.localdate()


def _render_form(request, *, unit, form, title: str, crumbs: list, cancel_url: str, submit: str, tab: str):
    status = 400 if request.method == "POST" else 200
    context = {
        "unit": unit,
        "form": form,
        "title": title,
        "crumbs": crumbs,
        "cancel_url": cancel_url,
        "submit": submit,
        "tab": tab,
    }
    return render(request, FORM_TEMPLATE, context, status=status)


def _posted(request):
    """The POST data to bind a form to (even when empty, so that its errors show), or None."""
    return request.POST if request.method == "POST" else None


def _initial(instance, names) -> dict:
    return {name: getattr(instance, name) for name in names}


def _import_page(request, *, unit, result, form, title, crumbs, cancel_url, columns, tab, status=200):
    return render(
        request,
        IMPORT_TEMPLATE,
        {
            "unit": unit,
            "form": form,
            "result": result,
            "title": title,
            "crumbs": crumbs,
            "cancel_url": cancel_url,
            "columns": columns,
            "tab": tab,
        },
        status=status,
    )


def _uploaded(form: ImportForm) -> tuple[bytes, str] | None:
    upload = form.cleaned_data["file"]
    if upload.size > MAX_IMPORT_BYTES:
        return None
    return upload.read(), upload.name


def _run_import(request, *, unit, reader, saver, done_message: str, **page):
    form = ImportForm(_posted(request), request.FILES if request.method == "POST" else None)
    if request.method != "POST":
        return _import_page(request, unit=unit, result=None, form=form, **page)
    if not form.is_valid():
        return _import_page(request, unit=unit, result=None, form=form, status=400, **page)
    uploaded = _uploaded(form)
    if uploaded is None:
        form.add_error("file", _("Tệp nặng quá 10 MB. Hãy chỉ để lại trang tính cần nhập rồi tải lên lại."))
        return _import_page(request, unit=unit, result=None, form=form, status=400, **page)
    data, filename = uploaded
    result = reader(data, filename, unit=unit)
    if not result.ok:
        return _import_page(request, unit=unit, result=result, form=ImportForm(), status=400, **page)
    saved = saver(result.rows)
    messages.success(request, done_message % {"count": len(saved), "filename": filename})
    return None
