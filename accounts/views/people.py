"""The province's accounts for its administrator, and accepting an invitation (placeholders
until the helper of these pages writes them)."""

from __future__ import annotations

from django.http import Http404


def account_list(request):
    raise Http404


def invitation_accept(request, token):
    raise Http404
