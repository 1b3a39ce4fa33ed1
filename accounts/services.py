"""Accounts going live: invitations, one-time passwords, locking and unlocking.

A new account has no password. With an email it gets an invitation: a signed link, valid for
INVITATION_VALID_DAYS, that opens a form to choose its password and stops working once one is
set. Without an email the administrator hands over a one-time password, which must be changed
at the first login (``User.must_change_password``).

"Quên mật khẩu" is Django's own flow (accounts/views/passwords.py); what is the portal's is
here: it also reaches an invited account that has no password yet, it is counted per client
address and per address typed (``PasswordResetRequest``), and the mail leaves from a task.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from communes.models import User

from .models import Invitation, PasswordResetRequest

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
    """Why an invitation link does not open: ``reason`` is "expired" (older than
    INVITATION_VALID_DAYS), "used" (a password was set or the account logged in since, by this
    link, another one, a reset or a one-time password), "locked" (the account was locked since)
    or "invalid" (not a link the portal made: cut short, altered, or its account deleted)."""

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
    user = User.objects.filter(pk=pk).first()
    if user is None:
        raise InvitationInvalid("invalid")
    if not user.is_active:
        raise InvitationInvalid("locked")
    if not constant_time_compare(state, _state(user)):
        raise InvitationInvalid("used")
    return user


class AccountRefused(Exception):
    """An action on an account that is refused as asked; the message says why, in Vietnamese."""


def account_invite(*, user: User, sent_by: User | None = None) -> Invitation:
    """Mail ``user`` an invitation, from a background task once the transaction commits, and
    record when (the account list shows it until the invitation is accepted).

    Each invitation is a fresh link; the earlier ones keep working until one of them is used
    (then they all stop) or they expire."""
    return accounts_invite(users=[user], sent_by=sent_by)[0]


def accounts_invite(*, users: list[User], sent_by: User | None = None) -> list[Invitation]:
    """``account_invite`` for many accounts at once (a province's import): the Invitation rows in
    one insert, one task per account enqueued after the commit (so a rolled-back import mails
    nobody)."""
    if any(not user.email for user in users):
        raise ValueError("an invitation needs an email address")
    from .tasks import send_invitation

    invitations = Invitation.objects.bulk_create([Invitation(user=user, sent_by=sent_by) for user in users])
    for user in users:
        transaction.on_commit(lambda pk=user.pk: send_invitation.enqueue(user_id=pk))
    return invitations


def invitation_resend(*, user: User, by: User | None = None) -> Invitation:
    """The account list's "Gửi lại lời mời": only to an active account with an email that has
    no password yet (AccountRefused otherwise, saying which)."""
    if not user.is_active:
        raise AccountRefused(
            _("Tài khoản %(name)s đang bị khóa: hãy mở khóa trước.") % {"name": user.display_name}
        )
    if not user.email:
        raise AccountRefused(
            _("Tài khoản %(name)s chưa có email: hãy cấp mật khẩu dùng một lần.")
            % {"name": user.display_name}
        )
    if user.has_usable_password():
        raise AccountRefused(
            _("%(name)s đã có mật khẩu (đã nhận lời mời hoặc được cấp mật khẩu), nên không gửi lời mời nữa.")
            % {"name": user.display_name}
        )
    return account_invite(user=user, sent_by=by)


def one_time_password_issue(*, user: User, save: bool = True) -> str:
    """A new random password for ``user`` to be handed over on paper; it must change it at the
    first login. Returns the password in clear: it is shown once and never stored.

    Hashed with the cheaper one-time hasher (``accounts.hashers``) when the settings list it: the
    import of a province hands out hundreds at once, and Django replaces the hash with its default
    one at the first login. ``save=False`` leaves saving to the caller (the import inserts its
    users in bulk)."""
    from django.contrib.auth.hashers import get_hashers_by_algorithm, make_password

    from .hashers import OneTimePasswordHasher

    password = "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(ONE_TIME_LENGTH))
    cheap = OneTimePasswordHasher.algorithm in get_hashers_by_algorithm()
    user.password = make_password(password, hasher=OneTimePasswordHasher.algorithm if cheap else "default")
    user.must_change_password = True
    if save:
        user.save(update_fields=["password", "must_change_password"])
    return password


def account_deactivate(*, user: User, by: User | None = None) -> User:
    """Lock ``user`` out: it keeps its history, its roles and its name on what it signed.

    A locked account cannot log in, its open sessions stop at their next request (Django's
    ModelBackend finds no inactive user), and it is left out of notifications and reminders.
    ``by``, the administrator doing it, may not lock itself (AccountRefused): nobody would be left
    to unlock it. Locking a locked account changes nothing (its date stays)."""
    if by is not None and by.pk == user.pk:
        raise AccountRefused(_("Bạn không thể tự khóa tài khoản của chính mình."))
    if user.is_active:
        user.is_active = False
        user.deactivated_at = timezone.now()
        user.save(update_fields=["is_active", "deactivated_at"])
    return user


def account_reactivate(*, user: User, by: User | None = None) -> User:
    """Unlock ``user``: it logs in again with its password, as before it was locked."""
    if not user.is_active:
        user.is_active = True
        user.deactivated_at = None
        user.save(update_fields=["is_active", "deactivated_at"])
    return user


def client_address(request) -> str | None:
    """The client's address as django-axes reads it for failed logins (AXES_IPWARE_*,
    ``client_address_settings``): the same reading behind the load balancer, the same None for a
    request that did not come through it."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request)


def password_reset_retry_at(address: str | None, *, now: datetime.datetime | None = None):
    """None when ``address`` may send the "Quên mật khẩu" form now; else when it may again
    (PASSWORD_RESET_ADDRESS_LIMIT forms within PASSWORD_RESET_WINDOW)."""
    now = now or timezone.now()
    since = now - settings.PASSWORD_RESET_WINDOW
    times = list(
        PasswordResetRequest.objects.filter(client_address=address, created_at__gte=since)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[: settings.PASSWORD_RESET_ADDRESS_LIMIT]
    )
    if len(times) < settings.PASSWORD_RESET_ADDRESS_LIMIT:
        return None
    # The oldest of the last LIMIT requests leaves the window first.
    return times[-1] + settings.PASSWORD_RESET_WINDOW


def password_reset_users(email: str):
    """The active accounts a reset mail goes to for ``email`` typed in any case. Unlike Django's
    PasswordResetForm, an account without a usable password is one of them: an invited account
    whose invitation expired asks for its first password here."""
    return User.objects.filter(email__iexact=email.strip(), is_active=True).exclude(email="")


@transaction.atomic
def password_reset_request(*, address: str | None, email: str) -> bool:
    """Record a "Quên mật khẩu" form for ``email`` from ``address`` and, unless that address was
    mailed PASSWORD_RESET_EMAIL_LIMIT times within the window, queue the mail after the commit.

    The same work whether or not an account has that address (the task looks the accounts up),
    so neither the answer nor its time tells. Returns whether the mail was let through."""
    now = timezone.now()
    typed = email.strip().lower()
    window_start = now - settings.PASSWORD_RESET_WINDOW
    PasswordResetRequest.objects.filter(created_at__lt=window_start).delete()
    mailed_before = PasswordResetRequest.objects.filter(
        email=typed, mailed=True, created_at__gte=window_start
    ).count()
    mailed = mailed_before < settings.PASSWORD_RESET_EMAIL_LIMIT
    PasswordResetRequest.objects.create(client_address=address, email=typed[:254], mailed=mailed)
    if mailed:
        from .tasks import send_password_reset

        transaction.on_commit(lambda: send_password_reset.enqueue(email=typed))
    return mailed


def password_reset_done(*, user: User) -> None:
    """After a reset: the one-time password's obligation goes (the new password is the
    person's own), and so do django-axes' lockouts of the username, so it logs in at once."""
    from axes.utils import reset

    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    reset(username=user.get_username())
