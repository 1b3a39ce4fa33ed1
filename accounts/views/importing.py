"""Accounts from one Excel: the upload with its preview, the confirmation, and the template.

The pattern of the Biểu 06 import (dossiers/views/imports.py): the upload is read and checked in
full, and shown; what was read (the rows' texts, not the file) travels to the confirmation as a
signed payload in the form, valid an hour, bound to the person and the province; the confirmation
checks it all again inside the transaction. Status codes: a file with errors 400 (no confirm
button), a payload expired or altered 400, a payload of another person or province 403, a file that
no longer imports at the confirmation (a username taken meanwhile) 409; nothing saved in each case.

Who: an administrator of a current-era province imports into it; a superuser picks the province.
Anyone else: 403; a province the user does not administer: 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from communes.models import AdministrativeUnit, Era, Level, Role, User

from ..exports import users_template_xlsx
from ..importing import MAX_BYTES, ImportRefused, UsersFile, read_users_file, users_import, users_review
from ..importing.checking import scope_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_SALT = "accounts.import"
IMPORT_MAX_AGE = 60 * 60  # a preview is confirmed within the hour


def provinces_for_import(user: User):
    """The current-era provinces ``user`` creates accounts in: every one for a superuser, those it
    administers otherwise."""
    provinces = AdministrativeUnit.objects.filter(era=Era.CURRENT, level=Level.PROVINCE).order_by("name")
    if user.is_superuser:
        return provinces
    return provinces.filter(memberships__user=user, memberships__role=Role.ADMINISTRATOR).distinct()


def _province(request) -> tuple[AdministrativeUnit | None, list[AdministrativeUnit]]:
    """The province asked for (``province``, posted or in the query) or the user's only one, and
    the provinces to pick from. 403 for a user who administers no current province, 404 for a
    province it does not administer."""
    provinces = list(provinces_for_import(request.user))
    if not provinces:
        raise PermissionDenied(
            _("Chỉ quản trị viên của một tỉnh (từ 01/7/2025) mới tạo được tài khoản từ tệp Excel.")
        )
    asked = request.POST.get("province") or request.GET.get("province")
    if asked:
        chosen = next((p for p in provinces if str(p.pk) == asked), None)
        if chosen is None:
            raise Http404(_("Không tìm thấy tỉnh này trong phạm vi quản trị của bạn."))
        return chosen, provinces
    if len(provinces) == 1:
        return provinces[0], provinces
    return None, provinces


@login_required
@require_http_methods(["GET", "POST"])
def account_import(request):
    """Upload a users file: a preview of the accounts it creates, or every problem; then all of
    them or none, and the hand-over sheet of the one-time passwords."""
    province, provinces = _province(request)
    context = {
        "province": province,
        "provinces": provinces,
        "review": None,
        "payload": "",
        "max_mb": MAX_BYTES // (1024 * 1024),
    }
    template = "accounts/import.html"
    if request.method != "POST":
        return render(request, template, context)
    if province is None:
        context["error"] = _("Hãy chọn tỉnh trước khi tải tệp lên.")
        return render(request, template, context, status=400)
    today = timezone.localdate()

    if "payload" in request.POST:
        try:
            payload = signing.loads(request.POST["payload"], salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
        except signing.BadSignature:
            context["error"] = _("Bản xem trước đã hết hạn hoặc không hợp lệ; hãy tải tệp lên lần nữa.")
            return render(request, template, context, status=400)
        if payload.get("user") != request.user.pk or payload.get("province") != province.pk:
            raise PermissionDenied(_("Bản xem trước thuộc người dùng hoặc tỉnh khác; không có gì được lưu."))
        users = UsersFile.from_payload(payload["file"])
        try:
            outcome = users_import(users=users, province=province, created_by=request.user, today=today)
        except ImportRefused as refused:
            context.update(
                review=refused.review,
                error=_(
                    "Chưa tạo tài khoản nào: từ lúc xem trước đến giờ, dữ liệu trên cổng đã thay đổi "
                    "và tệp không còn hợp lệ. Hãy sửa tệp theo các lỗi dưới đây rồi tải lên lại."
                ),
            )
            return render(request, template, context, status=409)
        # The one-time passwords are in this response only: never stored, never redirected to.
        return render(request, "accounts/import_result.html", {"province": province, "outcome": outcome})

    upload = request.FILES.get("file")
    if upload is None:
        context["error"] = _("Hãy chọn tệp Excel (.xlsx) danh sách tài khoản để tải lên.")
        return render(request, template, context, status=400)
    if upload.size > MAX_BYTES:
        context["error"] = _("Tệp “%(name)s” lớn hơn %(size)s MB, không nhập.") % {
            "name": upload.name,
            "size": context["max_mb"],
        }
        return render(request, template, context, status=400)
    users = read_users_file(upload.read(), filename=upload.name)
    review = users_review(users, province=province, today=today)
    context["review"] = review
    if not review.ok:
        return render(request, template, context, status=400)
    context["payload"] = signing.dumps(
        {"user": request.user.pk, "province": province.pk, "file": users.to_payload()},
        salt=IMPORT_SALT,
        compress=True,
    )
    return render(request, template, context)


@login_required
@require_GET
def import_template(request):
    """The template pre-filled with the province's communes (a blank one while a superuser has
    not picked a province)."""
    province, _provinces = _province(request)
    communes = []
    if province is not None:
        scope = scope_of(province, today=timezone.localdate())
        communes = [unit for unit in scope.communes if scope.alive(unit)]
    data = users_template_xlsx(province=province, communes=communes)
    name = f"mau-tai-khoan-{province.code}.xlsx" if province is not None else "mau-tai-khoan.xlsx"
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
