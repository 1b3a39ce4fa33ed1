from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .selectors import get_unit_for_user, unit_home, unit_list

PAGE_SIZE = 50


@login_required
def unit_list_view(request):
    """The communes the user may read: a reviewer's or an administrator's home."""
    unit_filter = unit_list(user=request.user, filters=request.GET)
    page = Paginator(unit_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "communes/unit_list.html",
        {"filter": unit_filter, "page": page, "query": query.urlencode()},
    )


@login_required
def unit_detail_view(request, pk: int):
    """A unit's home page: who works on it, its offices, its history across the 2025 merger."""
    unit = get_unit_for_user(request.user, pk)
    return render(request, "communes/unit_detail.html", {"home": unit_home(user=request.user, unit=unit)})
