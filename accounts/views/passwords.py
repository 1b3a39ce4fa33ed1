"""Django's own password views with the portal's forms and rules: the change (which clears a
one-time password's obligation and then goes home), and "Quên mật khẩu" (throttled, the same
answer for any address, a mail also for an invited account without a password yet, a clear
page for a link that no longer works)."""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import base36_to_int
from django.utils.translation import gettext as _

from ..emails import duration_text
from ..forms import PortalPasswordChangeForm, PortalPasswordResetForm, PortalSetPasswordForm
from ..services import client_address, password_reset_done, password_reset_request, password_reset_retry_at


class PasswordChangeView(auth_views.PasswordChangeView):
    """The menu's "Đổi mật khẩu", and the form every page sends an account with
    ``must_change_password`` to (``accounts.middleware``): there the page says why, and once the
    new password is saved the person goes on to its home, still logged in."""

    form_class = PortalPasswordChangeForm

    def form_valid(self, form):
        forced = self.request.user.must_change_password
        response = super().form_valid(form)
        if forced:
            messages.success(self.request, _("Đã lưu mật khẩu mới của bạn. Mời bạn bắt đầu làm việc."))
            return redirect("home")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """ "Quên mật khẩu": the address of the account. Every valid form leads to the same "sent"
    page, whether an account has the address or not, whether a mail goes or not
    (``password_reset_request`` decides, counting per address typed); only too many forms from
    one client address are told so (429), since that says nothing about any account."""

    form_class = PortalPasswordResetForm
    template_name = "registration/password_reset_form.html"

    def post(self, request, *args, **kwargs):
        self.client_address = client_address(request)
        retry_at = password_reset_retry_at(self.client_address)
        if retry_at is not None:
            seconds = max(60, math.ceil((retry_at - timezone.now()).total_seconds()))
            response = render(
                request,
                "registration/password_reset_throttled.html",
                {
                    "limit": settings.PASSWORD_RESET_ADDRESS_LIMIT,
                    "window": duration_text(int(settings.PASSWORD_RESET_WINDOW.total_seconds())),
                    "wait": duration_text(math.ceil(seconds / 60) * 60),
                },
                status=429,
            )
            response["Retry-After"] = str(seconds)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        password_reset_request(address=self.client_address, email=form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "validity": duration_text(settings.PASSWORD_RESET_TIMEOUT)
        }


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The reset link: Django's check of the link, the portal's form (which clears
    ``must_change_password``). A locked account's link does not open. A link that does not
    work says why: expired (410), already used or outdated by a later change (410), not a link
    the portal made (404)."""

    form_class = PortalSetPasswordForm

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def link_problem(self) -> str:
        if self.user is None:
            return "invalid"
        token = self.kwargs.get("token", "")
        if token == self.reset_url_token:
            token = self.request.session.get(INTERNAL_RESET_SESSION_TOKEN)
            if not token:
                # Only a working link leads to this address; its token left the session when it
                # was used.
                return "used"
        try:
            timestamp = base36_to_int(token.split("-", 1)[0])
        except ValueError:
            return "invalid"
        generator = self.token_generator
        # The token's timestamp counts seconds as Django's generator does (from 2001-01-01).
        age = generator._num_seconds(generator._now()) - timestamp
        return "expired" if age > settings.PASSWORD_RESET_TIMEOUT else "used"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["validity"] = duration_text(settings.PASSWORD_RESET_TIMEOUT)
        if not self.validlink:
            context["problem"] = self.link_problem()
        return context

    def render_to_response(self, context, **response_kwargs):
        if not context.get("validlink"):
            response_kwargs.setdefault("status", 404 if context.get("problem") == "invalid" else 410)
        return super().render_to_response(context, **response_kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        password_reset_done(user=form.user)
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response
