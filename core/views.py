"""Pages that belong to no app: the home redirect and the error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from communes.selectors import places_of


@login_required
def home(request):
    """Send each user to its home: its commune; the unit it reviews or administers, whose page
    carries the links of its work (inbox, overview, board, rounds, summary report, batch
    printing); the list of communes for a superuser or a person of several units; or a choice."""
    places = places_of(request.user)
    if places.supervises:
        units = places.supervised_units
        if len(units) == 1 and not places.communes and not places.is_superuser:
            return redirect("communes:unit_detail", pk=units[0].pk)
        return redirect("communes:unit_list")
    if len(places.communes) == 1:
        return redirect("communes:unit_detail", pk=places.communes[0].pk)
    return render(request, "core/home.html", {"places": places})


def csrf_failure(request, reason: str = ""):
    message = _(
        "Biểu mẫu đã hết hạn hoặc thiếu mã bảo mật, nên không có gì được lưu. Hãy tải lại trang rồi gửi lại."
    )
    return render(request, "403.html", {"message": message}, status=403)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
