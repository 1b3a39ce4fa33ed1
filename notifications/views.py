"""The bell's list, opening one notification, and the mail settings (written by the helper of
the notifications' pages; placeholders until then)."""

from __future__ import annotations

from django.http import Http404


def notification_list(request):
    raise Http404


def notification_open(request, pk):
    raise Http404


def notifications_read_all(request):
    raise Http404


def notification_settings(request):
    raise Http404
