"""The province's accounts for its administrator (the list, locking and unlocking, invitations
sent again, one-time passwords), and accepting an invitation.

Every action is a POST from a page that asks first (the list links to it) and answers 404 for an
account out of the administrator's reach (``users_administered_by``), as for an id that does not
exist. An action already done by someone else since the page was opened (locking a locked
account) changes nothing and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communes.models import Membership, User
from notifications.services import absolute

from ..forms import AccountFilterForm, PortalSetPasswordForm
from ..selectors import State, account_for_administrator, account_state, require_administrator
from ..selectors import account_list as accounts_for
from ..services import (
    AccountRefused,
    InvitationInvalid,
    account_deactivate,
    account_reactivate,
    invitation_resend,
    invitation_user,
    one_time_password_issue,
)

PAGE_SIZE = 50
# Accepting an invitation logs the person in with the password it has just chosen.
LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass
class AccountRow:
    account: User
    state: State
    roles: list[Membership]
    is_self: bool

    @property
    def email_parts(self) -> tuple[str, str, str]:
        """The email split at its "@", where a narrow column may break it."""
        return self.account.email.partition("@")

    @property
    def may_resend(self) -> bool:
        return self.state.invited and bool(self.account.email)


def _list_query(params: QueryDict) -> str:
    """The list's filters and page from ``params``, re-encoded from what is valid: an action's
    page carries them so that the administrator comes back to the same list."""
    kept = AccountFilterForm(params).values()
    page = params.get("page", "")
    if page.isascii() and page.isdecimal() and len(page) < 6:
        kept["page"] = page
    return urlencode(kept)


def _list_url(params: QueryDict) -> str:
    query = _list_query(params)
    return reverse("accounts:list") + (f"?{query}" if query else "")


@login_required
@require_GET
def account_list(request):
    """The accounts the administrator manages (its province's; everyone for a superuser), with
    their units, roles, contact and state, filtered; the actions on each; a fixed number of
    queries whatever the number of accounts."""
    require_administrator(request.user)
    form = AccountFilterForm(request.GET or None)
    filters = form.values()
    page = Paginator(accounts_for(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        AccountRow(
            account=account,
            state=account_state(account),
            roles=list(account.memberships.all()),
            is_self=account.pk == request.user.pk,
        )
        for account in page.object_list
    ]
    return render(
        request,
        "accounts/account_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "filtered": bool(filters),
            # Nobody yet but the administrator itself: the page leads to the import.
            "only_self": not filters and all(row.is_self for row in rows),
            "query": urlencode(filters),
            "back_query": _list_query(request.GET),
        },
    )


def _refused(request, account: User, message: str, *, status: int = 409):
    return render(
        request,
        "accounts/account_refused.html",
        {"account": account, "message": message, "back": _list_url(request.GET)},
        status=status,
    )


def _not_self(request, account: User, message: str) -> None:
    if account.pk == request.user.pk:
        raise PermissionDenied(message)


def _confirm(request, account: User, action: str):
    return render(
        request,
        "accounts/account_confirm.html",
        {
            "account": account,
            "state": account_state(account),
            "roles": list(account.memberships.select_related("unit").order_by("unit__name", "role")),
            "action": action,
            "back": _list_url(request.GET),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_deactivate_view(request, pk: int):
    """ "Khóa": GET asks (what locking does, what stays), POST locks."""
    account = account_for_administrator(request.user, pk)
    _not_self(request, account, _("Bạn không thể tự khóa tài khoản của chính mình."))
    back = _list_url(request.GET)
    if not account.is_active:
        when = (
            date_format(timezone.localtime(account.deactivated_at), "H:i d/m/Y")
            if account.deactivated_at
            else ""
        )
        messages.info(
            request,
            _("Tài khoản %(name)s đã bị khóa từ trước%(when)s; không có gì thay đổi.")
            % {"name": account.display_name, "when": f" ({when})" if when else ""},
        )
        return redirect(back)
    if request.method == "GET":
        return _confirm(request, account, "deactivate")
    try:
        account_deactivate(user=account, by=request.user)
    except AccountRefused as error:
        return _refused(request, account, str(error), status=403)
    messages.success(
        request,
        _("Đã khóa tài khoản %(name)s. Tài khoản không đăng nhập được nữa; lịch sử của nó vẫn giữ nguyên.")
        % {"name": account.display_name},
    )
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def account_reactivate_view(request, pk: int):
    """ "Mở khóa": GET asks, POST unlocks."""
    account = account_for_administrator(request.user, pk)
    back = _list_url(request.GET)
    if account.is_active:
        messages.info(
            request,
            _("Tài khoản %(name)s đang hoạt động (đã được mở khóa); không có gì thay đổi.")
            % {"name": account.display_name},
        )
        return redirect(back)
    if request.method == "GET":
        return _confirm(request, account, "reactivate")
    account_reactivate(user=account, by=request.user)
    messages.success(
        request,
        _("Đã mở khóa tài khoản %(name)s: tài khoản đăng nhập lại được bằng mật khẩu cũ.")
        % {"name": account.display_name},
    )
    return redirect(back)


@login_required
@require_POST
def invitation_resend_view(request, pk: int):
    """ "Gửi lại lời mời": a new link mailed now (the list's button; nothing to ask first)."""
    account = account_for_administrator(request.user, pk)
    try:
        invitation_resend(user=account, by=request.user)
    except AccountRefused as error:
        return _refused(request, account, str(error))
    messages.success(
        request,
        _("Đã gửi lại lời mời đến %(email)s; liên kết mới dùng được trong %(days)s ngày.")
        % {"email": account.email, "days": settings.INVITATION_VALID_DAYS},
    )
    return redirect(_list_url(request.GET))


@login_required
@require_http_methods(["GET", "POST"])
@sensitive_variables("password")
def one_time_password_view(request, pk: int):
    """ "Cấp mật khẩu dùng một lần": GET asks, POST makes it and shows it once, on a page to
    print and hand over. It is not stored anywhere in clear (only its hash, as for any
    password), and the account must change it at its first login."""
    account = account_for_administrator(request.user, pk)
    _not_self(
        request, account, _("Bạn không tự cấp mật khẩu dùng một lần cho mình: hãy dùng “Đổi mật khẩu”.")
    )
    if not account.is_active:
        return _refused(
            request,
            account,
            _("Tài khoản %(name)s đang bị khóa: hãy mở khóa trước khi cấp mật khẩu.")
            % {"name": account.display_name},
        )
    if request.method == "GET":
        return _confirm(request, account, "one_time_password")
    with transaction.atomic():
        password = one_time_password_issue(user=account)
    return render(
        request,
        "accounts/one_time_password.html",
        {
            "account": account,
            "password": password,
            "roles": list(account.memberships.select_related("unit").order_by("unit__name", "role")),
            "login_url": absolute(reverse("login")),
            "issued_at": timezone.localtime(),
            "back": _list_url(request.GET),
        },
    )


def _invitation_invalid(request, reason: str):
    """The page of a link that does not open: 410 Gone for one that worked once (expired, used,
    its account locked since), 404 for one the portal never made (cut short by a mail client,
    altered): as for any address the portal does not know."""
    return render(
        request,
        "accounts/invitation_invalid.html",
        {"reason": reason, "valid_days": settings.INVITATION_VALID_DAYS},
        status=404 if reason == "invalid" else 410,
    )


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    """The invitation's link: who it is for, and the form to choose a password; on success the
    person is logged in and lands on its home. The link works once (``invitation_user``)."""
    try:
        account = invitation_user(token)
    except InvitationInvalid as error:
        return _invitation_invalid(request, error.reason)
    if account.has_usable_password():
        return _invitation_invalid(request, "used")
    roles = list(account.memberships.select_related("unit").order_by("unit__name", "role"))
    if request.method == "POST":
        form = PortalSetPasswordForm(account, request.POST)
        if form.is_valid():
            form.save()
            login(request, account, backend=LOGIN_BACKEND)
            messages.success(
                request,
                _("Đã đặt mật khẩu. Từ nay bạn đăng nhập bằng tên %(username)s và mật khẩu vừa chọn.")
                % {"username": account.username},
            )
            return redirect("home")
        status = 400
    else:
        form = PortalSetPasswordForm(account)
        status = 200
    return render(
        request,
        "accounts/invitation_accept.html",
        {"account": account, "roles": roles, "form": form},
        status=status,
    )
