"""Deployment checks of the settings the portal adds to Django's (``manage.py check --deploy``)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def portal_url_check(app_configs, **kwargs) -> list[Warning]:
    """The links in mails (invitations, password resets, notifications) are made from PORTAL_URL,
    since a background task has no request: in production it must be the public HTTPS address."""
    url = urlsplit(settings.PORTAL_URL)
    host = url.hostname or ""
    problems = []
    if url.scheme != "https" or host in {"127.0.0.1", "localhost", "::1"}:
        problems.append(
            Warning(
                f"PORTAL_URL is {settings.PORTAL_URL!r}: links in mails would not open for their readers.",
                hint="Set PORTAL_URL to the portal's public address, e.g. https://cchc.example.gov.vn.",
                id="cchc.W001",
            )
        )
    if "django.core.mail.backends.console" in settings.EMAIL_BACKEND or "locmem" in settings.EMAIL_BACKEND:
        problems.append(
            Warning(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND!r}: no mail would leave the server.",
                hint="Unset EMAIL_BACKEND (SMTP) and set EMAIL_HOST, EMAIL_PORT and the credentials.",
                id="cchc.W002",
            )
        )
    return problems
