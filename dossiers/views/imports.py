"""Biểu 06 from an Excel file: the preview and the confirmation."""

from __future__ import annotations

from dataclasses import astuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..figures import Figures
from ..importing import MAX_BYTES
from ..importing.review import beside_months, review_import
from ..models import Period
from ..selectors import entry_page, parse_period_or_404
from ..services import (
    dossier_report_import,
)
from .common import _commune_for

IMPORT_SALT = "dossiers.import"
IMPORT_MAX_AGE = 60 * 60  # a preview is confirmed within the hour


@login_required
def report_import_view(request, pk: int, period: str):
    """Upload a Biểu 06 file: a preview with every problem first (the file's own unit and period
    compared with this page's, the cells that change), then all of it or nothing. A longer period
    with month reports inside it is saved only with the box "Tôi hiểu…" ticked."""
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
    context = {"page": page, "review": None, "result": None, "payload": "", "beside": None}
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
        beside = beside_months(unit=unit, period=value, lines=lines)
        if beside is not None and not request.POST.get("beside_months"):
            # Checked now, not at the preview: a month may have been entered since.
            context.update(
                payload=request.POST["payload"],
                beside=beside,
                error=_(
                    "Chưa lưu gì: %(period)s đã có báo cáo tháng. Hãy đánh dấu ô “Tôi hiểu…” nếu vẫn muốn "
                    "nhập báo cáo cả kỳ bên cạnh các tháng."
                )
                % {"period": value.label},
            )
            return render(request, "dossiers/report_import.html", context, status=400)
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
    review = review_import(upload.read(), unit=unit, period=value, filename=upload.name)
    result = review.result
    context.update(review=review, result=result, beside=review.beside)
    if not review.ok:
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
