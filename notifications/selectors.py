"""Reads of notifications: the bell's count, a person's list, its mail settings, and who hears of
many communes at once.

Everything is the reader's own: a notification is only ever read through its recipient, so
another person's id answers 404 like one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import User

from .models import EmailOptOut, Kind, Notification

PAGE_SIZE = 50
# The bell shows "99+" beyond this.
BELL_MAX = 99


def unread_count_expression(user: User) -> Coalesce:
    """The number of ``user``'s unread notifications as an expression, to ride along another query
    of the same request (``communes.selectors.places_of`` reads it with the navigation's
    memberships, so the bell costs the page no query of its own). Uses the (recipient, read_at)
    index."""
    unread = (
        Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True)
        .order_by()
        .values("recipient_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), Value(0))


def unread_count(user: User) -> int:
    """The bell's number: read with the navigation's memberships when the person has any (no query
    of its own), otherwise by one count (a superuser without a role, an account not yet placed)."""
    from communes.selectors import places_of

    if not user.is_authenticated:
        return 0
    known = places_of(user).unread_notifications
    if known is not None:
        return known
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def bell_text(count: int) -> str:
    """What the badge shows: the number, "99+" beyond 99, nothing at 0."""
    if count <= 0:
        return ""
    return f"{BELL_MAX}+" if count > BELL_MAX else str(count)


def notifications_of(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    """``user``'s own notifications, newest first."""
    notifications = Notification.objects.filter(recipient_id=user.pk).select_related("unit")
    if unread_only:
        notifications = notifications.unread()
    return notifications.order_by("-created_at", "-pk")


def notification_page(user: User, number, *, unread_only: bool = False) -> Page:
    """A page of ``PAGE_SIZE`` of ``user``'s notifications: two queries (the count and the page)
    whatever their number."""
    return Paginator(notifications_of(user, unread_only=unread_only), PAGE_SIZE).get_page(number)


def get_notification_for_user(user: User, pk: int) -> Notification:
    """``user``'s notification ``pk``; 404 for another person's, as for one that does not exist."""
    notification = Notification.objects.filter(pk=pk, recipient_id=user.pk).first()
    if notification is None:
        raise Http404(_("Không tìm thấy thông báo."))
    return notification


@dataclass(frozen=True)
class KindSetting:
    """One line of the mail settings: a kind, whether its mail is on, who is told of it."""

    kind: str
    label: str
    audience: str
    email_on: bool


# Who hears of each kind, so a person knows which lines concern it.
AUDIENCES = {
    Kind.REPORT_SUBMITTED: gettext_lazy("cơ quan thẩm định"),
    Kind.REPORT_RETURNED: gettext_lazy("công chức và chủ tịch xã"),
    Kind.REPORT_APPROVED: gettext_lazy("công chức và chủ tịch xã"),
    Kind.MONTH_DUE: gettext_lazy("công chức và chủ tịch xã"),
    Kind.MONTH_OVERDUE: gettext_lazy("công chức và chủ tịch xã"),
    Kind.EXPLANATION_REQUESTED: gettext_lazy("công chức và chủ tịch xã"),
    Kind.EXPLANATION_GIVEN: gettext_lazy("cơ quan thẩm định"),
    Kind.ROUND_OPENED: gettext_lazy("công chức và chủ tịch xã"),
    Kind.ROUND_DEADLINE: gettext_lazy("công chức và chủ tịch xã"),
    Kind.RANKING_PUBLISHED: gettext_lazy("công chức và chủ tịch xã"),
}


def kind_settings(user: User) -> list[KindSetting]:
    """Every kind, in the order of ``Kind``, with whether ``user`` gets its mail (one query)."""
    off = set(EmailOptOut.objects.filter(user_id=user.pk).values_list("kind", flat=True))
    return [
        KindSetting(kind.value, str(kind.label), str(AUDIENCES.get(kind, "")), kind.value not in off)
        for kind in Kind
    ]
