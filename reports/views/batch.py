"""Printing many reports at once: a reviewer starts a batch for a year (after confirming how many
reports it prints), watches its progress (htmx polls every 2 s, no script of our own) and
downloads the zip. A batch whose worker died (nothing moved for ``BATCH_STALL_SECONDS``) says
so on its progress page, with a button that prints the missing reports again.

Access: the start page needs the unit readable (404) and a reviewer's membership of it (403). A
batch is seen by the user who started it and by the unit's reviewers; for anyone else it does not
exist (404).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from communes.models import AdministrativeUnit, Level
from communes.selectors import get_unit_for_user

from ..selectors.reports import writes_reports_of
from ..services.batch import (
    Batch,
    BatchError,
    BatchNotFound,
    batch_load,
    batch_plan,
    batch_print,
    batch_resume,
)

YEARS_BACK = 5


def _year_choices() -> list[tuple[int, int]]:
    this_year = timezone.localdate().year
    return [(year, year) for year in range(this_year, this_year - YEARS_BACK, -1)]


class BatchForm(forms.Form):
    """The year to print and, on the confirming POST, the number of reports the user agreed to."""

    nam = forms.TypedChoiceField(label=gettext_lazy("Năm báo cáo"), coerce=int, choices=_year_choices)
    so_bao_cao = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nam"].widget.attrs["class"] = "form-select"
        self.fields["nam"].error_messages["invalid_choice"] = _(
            "Năm “%(value)s” không in được: hãy chọn một năm trong danh sách."
        )


def _reviewer_unit(user, unit_pk: int) -> AdministrativeUnit:
    unit = get_unit_for_user(user, unit_pk)
    if unit.level == Level.COMMUNE or not writes_reports_of(user, unit):
        raise PermissionDenied(_("Chỉ cơ quan thẩm định của đơn vị này mới in hàng loạt báo cáo."))
    return unit


def _batch_for_user(user, batch_id) -> Batch:
    """The batch ``batch_id``: 404 unless ``user`` started it or reviews its unit."""
    try:
        batch = batch_load(str(batch_id))
    except BatchNotFound as error:
        raise Http404(_("Không tìm thấy đợt in này.")) from error
    if batch.user_pk == user.pk:
        return batch
    unit = AdministrativeUnit.objects.filter(pk=batch.unit_pk).first()
    if unit is None or not writes_reports_of(user, unit):
        raise Http404(_("Không tìm thấy đợt in này."))
    return batch


@login_required
@require_http_methods(["GET", "POST"])
def batch_start_view(request, unit_pk: int):
    """GET: choose the year; GET ?nam=: how many reports that prints, and the button to confirm;
    POST (year and the confirmed count): start the batch and go to its progress page."""
    unit = _reviewer_unit(request.user, unit_pk)
    data = request.POST if request.method == "POST" else (request.GET if "nam" in request.GET else None)
    form = BatchForm(data, initial={"nam": timezone.localdate().year - 1})
    context = {"unit": unit, "form": form, "communes": None, "count": 0}
    if data is None:
        return render(request, "reports/batch/start.html", context)
    if not form.is_valid():
        return render(request, "reports/batch/start.html", context, status=400)
    year = form.cleaned_data["nam"]
    communes = batch_plan(reviewer_unit=unit)
    count = len(communes) + 1  # the summary report, then one per commune
    context.update(communes=communes, count=count, year=year)
    if request.method == "GET":
        return render(request, "reports/batch/start.html", context)
    if form.cleaned_data["so_bao_cao"] != count:
        form.add_error(
            None,
            _("Số báo cáo đã thay đổi (nay là %(count)s). Hãy xem lại danh sách rồi xác nhận lại.")
            % {"count": count},
        )
        return render(request, "reports/batch/start.html", context, status=409)
    try:
        batch = batch_print(reviewer_unit=unit, year=year, user=request.user)
    except BatchError as error:
        form.add_error(None, str(error))
        return render(request, "reports/batch/start.html", context, status=400)
    return redirect("reports:batch_detail", batch.id)


@login_required
def batch_detail_view(request, batch_id):
    """The batch's progress; htmx asks again for the progress block alone every 2 s until done."""
    batch = _batch_for_user(request.user, batch_id)
    template = "reports/batch/_progress.html" if request.htmx else "reports/batch/detail.html"
    response = render(request, template, {"batch": batch})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def batch_download_view(request, batch_id):
    batch = _batch_for_user(request.user, batch_id)
    if not batch.zip_ready:
        return render(request, "reports/batch/detail.html", {"batch": batch, "not_ready": True}, status=409)
    response = FileResponse(
        batch.zip_path.open("rb"), as_attachment=True, filename=batch.zip_name, content_type="application/zip"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def batch_resume_view(request, batch_id):
    """Print again the reports of a stalled batch that have no result, then back to its progress.
    409 with the reason when the batch is finished or still moving."""
    batch = _batch_for_user(request.user, batch_id)
    try:
        batch_resume(batch_id=batch.id, user=request.user)
    except BatchError as error:
        context = {"batch": batch_load(batch.id), "refused": str(error)}
        return render(request, "reports/batch/detail.html", context, status=409)
    return redirect("reports:batch_detail", batch.id)
