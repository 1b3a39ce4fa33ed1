from __future__ import annotations

from communes.selectors import places_of


def navigation(request) -> dict:
    """The navigation of base.html: the user's communes and whether it supervises or administers.

    Lazy, so pages that show no navigation (login) spend no query on it.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"places": lambda: places_of(user)}
