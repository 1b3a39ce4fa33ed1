"""Failed-login throttling: django-axes, plus a ceiling of failures per client address.

django-axes locks a username from one client address after ``AXES_FAILURE_LIMIT`` failures
(``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]``): one officer's typos do not lock out
the colleagues who share the commune office's address, and an attacker elsewhere cannot lock out
the real user. That alone lets anyone spray one password over many usernames, four tries each.

So a client address is also locked out once ``AXES_IP_FAILURE_LIMIT`` logins failed from it within
``AXES_IP_FAILURE_WINDOW``, whatever the usernames. Not another axes lockout parameter: axes
compares every parameter combination to one failure limit (5 would lock a whole office out), and
``AXES_RESET_ON_SUCCESS`` deletes the attempts of every combination, so the attacker's own
successful login would reset the address's count. The ceiling is counted instead from
``AccessFailureLog``: one row per failed login with its time, never reset by a success, so
failures older than the window simply stop counting. Refused attempts during a lockout are failed
logins too, so an address that keeps trying stays locked out.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessFailureLog
from axes.signals import user_locked_out
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone


def address_failures(request) -> int:
    """Failed logins from the request's client address within the window."""
    since = (getattr(request, "axes_attempt_time", None) or timezone.now()) - settings.AXES_IP_FAILURE_WINDOW
    return AccessFailureLog.objects.filter(
        ip_address=getattr(request, "axes_ip_address", None), attempt_time__gte=since
    ).count()


def address_locked(request) -> bool:
    return address_failures(request) >= settings.AXES_IP_FAILURE_LIMIT


class PortalAxesHandler(AxesDatabaseHandler):
    """axes' database handler, with the per-address ceiling on top of its own lockout."""

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        # The failure that reaches the ceiling already answers the locked-out page, as axes
        # does for the failure that reaches its own limit.
        if request is not None and not request.axes_locked_out and address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )


def _minutes(delta) -> int:
    return round(delta.total_seconds() / 60) if delta else 0


def lockout_response(request, original_response=None, credentials=None):
    """The locked-out page (AXES_LOCKOUT_TEMPLATE), told which lockout it is and for how long.

    ``address_locked``: the whole client address is over the ceiling, rather than one username
    from it; ``cooloff_minutes``, ``address_failure_limit`` and ``address_window_minutes`` come
    from the settings.
    """
    context = {
        "username": get_client_username(request, credentials) or "",
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": _minutes(get_cool_off(request)),
        "address_locked": address_locked(request),
        "address_failure_limit": settings.AXES_IP_FAILURE_LIMIT,
        "address_window_minutes": _minutes(settings.AXES_IP_FAILURE_WINDOW),
    }
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)
