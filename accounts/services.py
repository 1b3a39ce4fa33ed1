"""Accounts going live: invitations, one-time passwords, locking and unlocking.

A new account has no password. With an email it gets an invitation: a signed link, valid for
INVITATION_VALID_DAYS, that opens a form to choose its password and stops working once one is
set. Without an email the administrator hands over a one-time password, which must be changed
at the first login (``User.must_change_password``).
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from communes.models import User

INVITATION_SALT = "accounts.invitation"
# No 0/O, 1/l/I: a password read off paper is typed without doubt.
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789"
ONE_TIME_LENGTH = 10


def _state(user: User) -> str:
    """Changes as soon as the account sets a password or logs in: a used link stops working."""
    value = f"{user.pk}|{user.password}|{user.last_login}|{user.is_active}"
    return salted_hmac(INVITATION_SALT, value).hexdigest()[:24]


def invitation_token(user: User) -> str:
    return signing.dumps([user.pk, _state(user)], salt=INVITATION_SALT)


def invitation_valid_until(sent_at: datetime.datetime) -> datetime.datetime:
    return sent_at + datetime.timedelta(days=settings.INVITATION_VALID_DAYS)


class InvitationInvalid(Exception):
    """Why an invitation link does not open: ``reason`` is "expired", "used" or "invalid"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def invitation_user(token: str) -> User:
    """The account an invitation link is for, or InvitationInvalid."""
    try:
        pk, state = signing.loads(
            token, salt=INVITATION_SALT, max_age=datetime.timedelta(days=settings.INVITATION_VALID_DAYS)
        )
    except signing.SignatureExpired as error:
        raise InvitationInvalid("expired") from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise InvitationInvalid("invalid") from error
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None:
        raise InvitationInvalid("invalid")
    if not constant_time_compare(state, _state(user)):
        raise InvitationInvalid("used")
    return user


def account_invite(*, user: User) -> None:
    """Mail ``user`` an invitation, from a background task once the transaction commits."""
    if not user.email:
        raise ValueError("an invitation needs an email address")
    from .tasks import send_invitation

    transaction.on_commit(lambda: send_invitation.enqueue(user_id=user.pk))


def one_time_password_issue(*, user: User) -> str:
    """A new random password for ``user`` to be handed over on paper; it must change it at the
    first login. Returns the password in clear: it is shown once and never stored."""
    password = "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(ONE_TIME_LENGTH))
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    return password


def account_deactivate(*, user: User) -> User:
    """Lock ``user`` out: it keeps its history, its roles and its name on what it signed."""
    if user.is_active:
        user.is_active = False
        user.deactivated_at = timezone.now()
        user.save(update_fields=["is_active", "deactivated_at"])
    return user


def account_reactivate(*, user: User) -> User:
    if not user.is_active:
        user.is_active = True
        user.deactivated_at = None
        user.save(update_fields=["is_active", "deactivated_at"])
    return user
