"""Writing notifications and mailing them.

``notify`` writes one row per recipient and, once the surrounding transaction commits, queues
the task that mails them (``notifications.tasks.send_emails``). Whether a row is to be mailed is
decided when it is written: no address, or the kind switched off, and it is only in the portal.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit, User

from .models import EmailOptOut, EmailStatus, Kind, Notification

# Rows updated per query when mailing many at once (the daily run mails thousands).
CHUNK = 500


@dataclass(frozen=True)
class Message:
    """One notification before it is written: to whom, about what, and where it leads."""

    recipient: User
    kind: str
    title: str
    url: str
    body: str = ""
    unit: AdministrativeUnit | None = None
    day: datetime.date | None = None


def opted_out(users: Iterable[User]) -> set[tuple[int, str]]:
    """(user id, kind) of the mails ``users`` switched off; one query."""
    ids = [user.pk for user in users]
    if not ids:
        return set()
    return set(EmailOptOut.objects.filter(user_id__in=ids).values_list("user_id", "kind"))


def _email_status(message: Message, off: set[tuple[int, str]]) -> str:
    if not message.recipient.email:
        return EmailStatus.NO_ADDRESS
    if (message.recipient.pk, message.kind) in off:
        return EmailStatus.OFF
    return EmailStatus.PENDING


# Set while seed_demo replays years of history through the services: nobody is told of it then
# (the demo writes the notifications of its present itself, notifications/demo.py).
_muted: contextvars.ContextVar[bool] = contextvars.ContextVar("notifications_muted", default=False)


@contextlib.contextmanager
def muted():
    """Within this block, ``notifications_write`` writes and mails nothing."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def notifications_write(messages: list[Message], *, mail: bool = True) -> list[Notification]:
    """Write ``messages`` (inactive recipients left out) and, after the commit, queue the mail of
    those to be mailed. A fixed number of queries: the opt-outs, the inserts, the task."""
    if _muted.get():
        return []
    messages = [m for m in messages if m.recipient.is_active]
    if not messages:
        return []
    off = opted_out({m.recipient.pk: m.recipient for m in messages}.values())
    rows = Notification.objects.bulk_create(
        [
            Notification(
                recipient=m.recipient,
                kind=m.kind,
                unit=m.unit,
                title=m.title[:250],
                body=m.body,
                url=m.url,
                day=m.day,
                email_status=_email_status(m, off),
            )
            for m in messages
        ],
        batch_size=CHUNK,
    )
    if mail:
        # SQLite (3.35+) and PostgreSQL both return the new rows' keys from bulk_create.
        emails_queue(ids=[row.pk for row in rows if row.email_status == EmailStatus.PENDING])
    return rows


def notify(
    recipients: Iterable[User],
    *,
    kind: Kind | str,
    title: str,
    url: str,
    body: str = "",
    unit: AdministrativeUnit | None = None,
) -> list[Notification]:
    """The same notification to each of ``recipients`` (each person once)."""
    unique = {user.pk: user for user in recipients}
    return notifications_write([Message(user, str(kind), title, url, body, unit) for user in unique.values()])


def emails_queue(*, ids: list[int] | None = None, day: datetime.date | None = None) -> None:
    """Mail the pending notifications ``ids`` (or the pending daily ones of ``day``) from a
    background task, once the current transaction commits."""
    if not ids and day is None:
        return
    from .tasks import send_emails

    arguments = {"ids": list(ids or []), "day": day.isoformat() if day else None}
    transaction.on_commit(lambda: send_emails.enqueue(**arguments))


def absolute(path: str) -> str:
    return settings.PORTAL_URL.rstrip("/") + path


def _signature() -> str:
    from django.urls import reverse

    return _(
        "Thư này do Cổng CCHC gửi tự động, xin đừng trả lời.\nTắt email từng loại thông báo tại: %(url)s"
    ) % {"url": absolute(reverse("notifications:settings"))}


def _greeting(user: User) -> str:
    return _("Kính gửi %(name)s,") % {"name": user.display_name}


def compose_one(notification: Notification) -> EmailMessage:
    """The mail of one notification: its title as the subject, its text and its link."""
    parts = [_greeting(notification.recipient), notification.body or notification.title]
    parts.append(_("Xem trên Cổng CCHC: %(url)s") % {"url": absolute(notification.url)})
    parts.append("--\n" + _signature())
    return EmailMessage(
        subject=f"[{_('Cổng CCHC')}] {notification.title}",
        body="\n\n".join(parts),
        to=[notification.recipient.email],
    )


def compose_daily(user: User, day: datetime.date, notifications: list[Notification]) -> EmailMessage:
    """The day's one mail to ``user``: everything it has due, one line and link each."""
    lines = [
        _greeting(user),
        _("Ngày %(day)s, bạn có các việc sau trên Cổng CCHC:") % {"day": day.strftime("%d/%m/%Y")},
    ]
    lines.append("\n".join(f"- {n.title}\n  {absolute(n.url)}" for n in notifications))
    lines.append("--\n" + _signature())
    count = len(notifications)
    return EmailMessage(
        subject=f"[{_('Cổng CCHC')}] "
        + (_("Nhắc việc ngày %(day)s: %(count)s việc") % {"day": day.strftime("%d/%m/%Y"), "count": count}),
        body="\n\n".join(lines),
        to=[user.email],
    )


# Mail errors worth another try later: the server down, refused, or timing out.
RETRIED = (smtplib.SMTPException, OSError)


def _reachable(rows: list[Notification]) -> list[Notification]:
    """The rows whose recipient can still be mailed. Since the row was written, the address may
    have been removed (then it is marked so) or the account locked (not mailed to a locked
    account: marked as not sent)."""
    no_address = [row.pk for row in rows if row.recipient.is_active and not row.recipient.email]
    locked = [row.pk for row in rows if not row.recipient.is_active]
    if no_address:
        Notification.objects.filter(pk__in=no_address).update(email_status=EmailStatus.NO_ADDRESS)
    if locked:
        Notification.objects.filter(pk__in=locked).update(email_status=EmailStatus.FAILED)
    return [row for row in rows if row.recipient.is_active and row.recipient.email]


def emails_send(*, ids: list[int], day: datetime.date | None) -> tuple[int, list[int]]:
    """Mail the pending notifications ``ids`` one by one, and the pending daily notifications of
    ``day`` grouped into one mail per person, over one connection. Returns how many mails went,
    and the ids still pending after a mail error (the caller retries them).

    A server error (down, refusing, timing out) stops the run: what was sent is SENT, the rest
    waits. An address the server refuses waits alone while the others go on. Every row tried,
    sent or not, counts an attempt."""
    rows = list(
        Notification.objects.filter(email_status=EmailStatus.PENDING)
        .filter(pk__in=ids)
        .select_related("recipient")
        .order_by("pk")
    )
    if day is not None:
        rows += list(
            Notification.objects.filter(email_status=EmailStatus.PENDING, day=day)
            .exclude(pk__in=[row.pk for row in rows])
            .select_related("recipient")
            .order_by("recipient_id", "pk")
        )
    rows = _reachable(rows)
    groups: list[tuple[EmailMessage, list[int]]] = []
    daily: dict[int, list[Notification]] = {}
    for row in rows:
        if row.day is not None:
            daily.setdefault(row.recipient_id, []).append(row)
        else:
            groups.append((compose_one(row), [row.pk]))
    for same_person in daily.values():
        groups.append(
            (
                compose_daily(same_person[0].recipient, max(row.day for row in same_person), same_person),
                [row.pk for row in same_person],
            )
        )
    done = 0  # mails sent
    sent: list[int] = []
    left: list[int] = []
    if groups:
        connection = get_connection()
        tried = 0  # groups tried; after a server error the others wait for the next attempt
        try:
            connection.open()
            for message, row_ids in groups:
                message.connection = connection
                try:
                    message.send()
                except smtplib.SMTPRecipientsRefused:
                    # This address refused, the server still up: the others go now, it is tried again.
                    left += row_ids
                else:
                    sent += row_ids
                    done += 1
                tried += 1
        except RETRIED:
            pass
        finally:
            with contextlib.suppress(RETRIED):
                connection.close()
        # The group that met the error, and every one after it.
        left += [pk for _message, row_ids in groups[tried:] for pk in row_ids]
    now = timezone.now()
    for start in range(0, len(sent), CHUNK):
        Notification.objects.filter(pk__in=sent[start : start + CHUNK]).update(
            email_status=EmailStatus.SENT, emailed_at=now, email_attempts=F("email_attempts") + 1
        )
    for start in range(0, len(left), CHUNK):
        Notification.objects.filter(pk__in=left[start : start + CHUNK]).update(
            email_attempts=F("email_attempts") + 1
        )
    return done, left


def emails_give_up(ids: list[int]) -> None:
    """After the last attempt: the rows stay in the portal, marked as not mailed."""
    for start in range(0, len(ids), CHUNK):
        Notification.objects.filter(
            pk__in=ids[start : start + CHUNK], email_status=EmailStatus.PENDING
        ).update(email_status=EmailStatus.FAILED)


@transaction.atomic
def email_settings_save(*, user: User, email_kinds: set[str]) -> None:
    """``user`` gets the mail of ``email_kinds`` and of no other kind: the others become
    ``EmailOptOut`` rows. The notifications themselves stay in the portal whatever is chosen."""
    off = {kind.value for kind in Kind} - set(email_kinds)
    EmailOptOut.objects.filter(user=user).exclude(kind__in=off).delete()
    EmailOptOut.objects.bulk_create(
        [EmailOptOut(user=user, kind=kind) for kind in sorted(off)], ignore_conflicts=True
    )


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def mark_all_read(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
