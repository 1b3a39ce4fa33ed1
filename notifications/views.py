"""The bell's list, opening one notification, marking all read, and the mail settings.

Each page is the person's own: another person's notification answers 404.
"""

from __future__ import annotations

import dataclasses
import logging

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .models import Kind
from .selectors import get_notification_for_user, kind_settings, notification_page
from .services import email_settings_save, mark_all_read, mark_read

logger = logging.getLogger(__name__)

UNREAD = "chua-doc"  # the list's filter: ?chua-doc=1


@login_required
@require_http_methods(["GET", "HEAD"])
def notification_list(request):
    """The person's notifications, newest first, 50 a page, the unread ones marked."""
    unread_only = request.GET.get(UNREAD) == "1"
    page = notification_page(request.user, request.GET.get("page"), unread_only=unread_only)
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread_only": unread_only, "query": f"{UNREAD}=1" if unread_only else ""},
    )


def is_portal_path(url: str) -> bool:
    """Whether ``url`` is a path of this site ("/units/12/…"): never another host, a scheme, a
    protocol-relative "//host" or "/\\host" that browsers read as one."""
    return (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None, require_https=False)
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def notification_open(request, pk: int):
    """Mark the notification read and go to its page (a link of the list, so a GET)."""
    notification = get_notification_for_user(request.user, pk)
    mark_read(notification)
    if not is_portal_path(notification.url):
        logger.warning("Notification %s has a link outside the portal: %r", notification.pk, notification.url)
        messages.error(
            request,
            _("Thông báo “%(title)s” có đường dẫn không thuộc Cổng CCHC nên không mở được.")
            % {"title": notification.title},
        )
        return redirect("notifications:list")
    return redirect(notification.url)


@login_required
@require_POST
def notifications_read_all(request):
    count = mark_all_read(request.user)
    if count:
        messages.success(request, _("Đã đánh dấu %(count)s thông báo là đã đọc.") % {"count": count})
    else:
        messages.info(request, _("Không còn thông báo nào chưa đọc."))
    return redirect("notifications:list")


class EmailSettingsForm(forms.Form):
    """The kinds whose mail the person wants: a ticked box each (all on until switched off)."""

    email = forms.MultipleChoiceField(choices=Kind.choices, required=False)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notification_settings(request):
    """One box per kind, "Gửi email"; the in-portal list always stays."""
    status = 200
    settings_rows = kind_settings(request.user)
    if request.method == "POST":
        form = EmailSettingsForm(request.POST)
        if form.is_valid():
            email_settings_save(user=request.user, email_kinds=set(form.cleaned_data["email"]))
            messages.success(request, _("Đã lưu cài đặt thông báo."))
            return redirect("notifications:settings")
        status = 400
        # What was ticked stays ticked on the refusal.
        ticked = set(request.POST.getlist("email"))
        settings_rows = [dataclasses.replace(row, email_on=row.kind in ticked) for row in settings_rows]
    else:
        form = EmailSettingsForm()
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "rows": settings_rows, "list_url": reverse("notifications:list")},
        status=status,
    )
