"""The bell of base.html's navigation."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from .selectors import bell_text, unread_count


class Bell:
    """The unread count of the person and what its badge shows, read once when the page first
    asks (the navigation), so pages that show none spend nothing on it."""

    def __init__(self, user):
        self.count = unread_count(user)
        self.badge = bell_text(self.count)


def bell(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"bell": SimpleLazyObject(lambda: Bell(user))}
