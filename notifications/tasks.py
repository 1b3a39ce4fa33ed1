"""Background tasks of the notifications (django-tasks; run by ``manage.py db_worker``)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks import default_task_backend, task

from .services import emails_give_up, emails_send


def retry_delay(attempt: int) -> datetime.timedelta:
    """How long to wait before attempt ``attempt + 1``: 1, 2, 4, 8 … minutes, at most an hour."""
    return datetime.timedelta(minutes=min(2 ** (attempt - 1), 60))


@task()
def send_emails(ids: list[int], day: str | None = None, attempt: int = 1) -> int:
    """Mail the pending notifications ``ids`` and the daily ones of ``day`` (ISO date). When the
    mail server fails, the task queues itself again, later, for what is left, up to
    NOTIFICATION_EMAIL_ATTEMPTS times; a backend that cannot defer (the immediate one) leaves it
    to the next ``send_reminders``, which mails every notification still pending."""
    mails, left = emails_send(ids=ids, day=datetime.date.fromisoformat(day) if day else None)
    if left:
        if attempt >= settings.NOTIFICATION_EMAIL_ATTEMPTS:
            emails_give_up(left)
        elif default_task_backend.supports_defer:
            send_emails.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(
                ids=left, day=None, attempt=attempt + 1
            )
    return mails
