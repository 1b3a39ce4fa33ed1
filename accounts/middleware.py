"""An account handed a one-time password sets its own before anything else."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect


class PasswordChangeRequiredMiddleware:
    """Every page but the password form, logging out and the static files answers a user with
    ``must_change_password`` with a redirect to the password form, which says why.

    The portal's pages, its downloads and the admin site alike, whatever the method: a POST is
    not acted on (nothing is saved; the browser follows the redirect with a GET). An htmx
    request is told to load the form as a whole page (``HX-Redirect``), rather than being handed
    the form to swap into a part of the page it came from. A person who is not logged in, or
    whose flag is off, passes untouched.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            target = reverse("password_change")
            allowed = {target, reverse("password_change_done"), reverse("logout")}
            if request.path not in allowed and not request.path.startswith(
                "/" + settings.STATIC_URL.lstrip("/")
            ):
                # Read from the header: django-htmx's middleware runs after this one.
                if request.headers.get("HX-Request") == "true":
                    return HttpResponseClientRedirect(target)
                return HttpResponseRedirect(target)
        return self.get_response(request)
