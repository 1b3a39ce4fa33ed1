"""Reads of the one-time tokens of create forms (``services.submissions``)."""

from __future__ import annotations

from communes.models import User

from ..models import FormSubmission
from ..services.submissions import Submitted


def earlier_submission(*, user: User, token: str) -> Submitted | None:
    """What the form with ``token`` created when ``user`` posted it before; None for a first post
    (or no token). A post racing the first one is not seen here: ``create_once`` catches it."""
    if not token or not user.is_authenticated:
        return None
    earlier = FormSubmission.objects.filter(user=user, token=token).exclude(url="").first()
    return Submitted(earlier.url, earlier.label) if earlier else None
