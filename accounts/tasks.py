"""Background tasks of the accounts (django-tasks; run by ``manage.py db_worker``)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django_tasks import default_task_backend, task

from notifications.services import RETRIED
from notifications.tasks import retry_delay

from .emails import invitation_message, password_reset_messages


@task()
def send_invitation(user_id: int, attempt: int = 1) -> bool:
    """Mail the account its invitation; when the mail server fails, try again later (up to
    NOTIFICATION_EMAIL_ATTEMPTS times), the link made afresh each time."""
    message = invitation_message(user_id)
    if message is None:
        return False
    try:
        message.send()
    except RETRIED:
        if attempt < settings.NOTIFICATION_EMAIL_ATTEMPTS and default_task_backend.supports_defer:
            send_invitation.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(
                user_id=user_id, attempt=attempt + 1
            )
            return False
        raise
    return True


@task()
def send_password_reset(email: str, attempt: int = 1) -> int:
    """Mail the reset link to each active account with the address ``email`` (none when no
    account has it: the request was answered the same either way). When the mail server fails,
    try again later, with fresh links, as the invitation does. Returns the number of mails."""
    messages = password_reset_messages(email)
    try:
        for message in messages:
            message.send()
    except RETRIED:
        if attempt < settings.NOTIFICATION_EMAIL_ATTEMPTS and default_task_backend.supports_defer:
            send_password_reset.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(
                email=email, attempt=attempt + 1
            )
            return 0
        raise
    return len(messages)
