"""Helpers shared by the pages of a commune's records (``meetings``, ``plans``, ``register``): the
form, confirmation and Excel-import pages, and reading what was posted.

Every view reaches its object through an access helper of ``selectors.records``: 404 for what the
user may not see, 403 for what it may see but not change. Officers and chairmen of the commune
write; its reviewers, administrators and successors read. Invalid input answers 400 with the form
and its Vietnamese messages, nothing saved. A create form posted twice creates once
(``submitting``).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..forms import SUBMISSION_TOKEN, ImportForm, with_submission_token
from ..imports import MAX_IMPORT_BYTES
from ..services.records import RecordConflict
from ..services.submissions import create_once
from .submitting import posted_again

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


def _run_import(request, *, unit, reader, saver, done, back: str, **page):
    """The import page (GET) or the import of the posted file: read and checked in full, then
    ``saver(rows)`` (a service, once per form: the same form posted twice imports once), then
    ``done(imported, filename)`` puts the messages. None after an import (the caller redirects
    to ``back``), else the page with the problems."""
    form = with_submission_token(
        ImportForm(_posted(request), request.FILES if request.method == "POST" else None)
    )
    page["cancel_url"] = back
    if request.method != "POST":
        return _import_page(request, unit=unit, result=None, form=form, **page)
    again = _("Tệp “%(name)s” đã được nhập từ lần gửi trước; không nhập lại.")
    response = posted_again(request, form, again=again)
    if response is not None:
        return response
    if not form.is_valid():
        return _import_page(request, unit=unit, result=None, form=form, status=400, **page)
    uploaded = _uploaded(form)
    if uploaded is None:
        form.add_error("file", _("Tệp nặng quá 10 MB. Hãy chỉ để lại trang tính cần nhập rồi tải lên lại."))
        return _import_page(request, unit=unit, result=None, form=form, status=400, **page)
    data, filename = uploaded
    result = reader(data, filename, unit=unit)
    if not result.ok:
        fresh = with_submission_token(ImportForm())
        return _import_page(request, unit=unit, result=result, form=fresh, status=400, **page)
    try:
        submitted = create_once(
            user=request.user,
            token=form.cleaned_data[SUBMISSION_TOKEN],
            create=lambda: saver(result.rows),
            url_of=lambda _imported: back,
            label_of=lambda _imported: filename,
        )
    except RecordConflict as conflict:  # a record saved meanwhile
        form.add_error("file", str(conflict))
        return _import_page(request, unit=unit, result=None, form=form, status=400, **page)
    if submitted.again:
        messages.info(request, again % {"name": filename})
    else:
        done(submitted.created, filename)
    return None
