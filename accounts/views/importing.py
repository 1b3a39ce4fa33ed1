"""Accounts from one Excel (placeholders until the helper of the import writes them)."""

from __future__ import annotations

from django.http import Http404


def account_import(request):
    raise Http404


def import_template(request):
    raise Http404
