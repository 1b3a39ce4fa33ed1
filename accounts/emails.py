"""The mails of the accounts: the invitation, and the password reset (Django's flow, its text in
templates/registration/password_reset_subject.txt and password_reset_email.txt).

Both are plain text: a link in a mail client at a commune office, nothing to render. Both are
made inside the task that sends them, so the link (a token) is never stored in the task queue.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.formats import date_format
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communes.models import User
from notifications.services import absolute

from .services import invitation_token, invitation_valid_until, password_reset_users


def duration_text(seconds: int) -> str:
    """A validity as people say it: "7 ngày", "24 giờ", "90 phút"."""
    if seconds >= 2 * 86400 and seconds % 86400 == 0:
        days = seconds // 86400
        return ngettext("%(count)d ngày", "%(count)d ngày", days) % {"count": days}
    if seconds >= 3600 and seconds % 3600 == 0:
        hours = seconds // 3600
        return ngettext("%(count)d giờ", "%(count)d giờ", hours) % {"count": hours}
    minutes = max(1, round(seconds / 60))
    return ngettext("%(count)d phút", "%(count)d phút", minutes) % {"count": minutes}


def _roles(user: User) -> list[str]:
    return [
        f"{membership.get_role_display()} – {membership.unit.name}"
        for membership in user.memberships.select_related("unit").order_by("unit__name", "role")
    ]


def invitation_message(user_id: int) -> EmailMessage | None:
    """The invitation of account ``user_id``; None when it is gone, locked, has no email or has
    already chosen a password."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or user.has_usable_password():
        return None
    roles = _roles(user)
    until = timezone.localtime(invitation_valid_until(timezone.now()))
    link = absolute(reverse("accounts:invitation", args=[invitation_token(user)]))
    validity = duration_text(settings.INVITATION_VALID_DAYS * 86400)
    lines = [
        _("Kính gửi %(name)s,") % {"name": user.display_name},
        _("Một tài khoản trên Cổng CCHC đã được tạo cho bạn.")
        + "\n"
        + _("Tên đăng nhập: %(username)s") % {"username": user.username}
        + ("\n" + _("Vai trò: %(roles)s") % {"roles": "; ".join(roles)} if roles else ""),
        _(
            "Mở liên kết sau để tự đặt mật khẩu. Liên kết dùng được một lần, trong %(validity)s "
            "(đến %(until)s):"
        )
        % {"validity": validity, "until": date_format(until, "H:i d/m/Y")}
        + "\n"
        + link,
        _(
            "Nếu liên kết đã hết hạn, hãy mở “Quên mật khẩu” ở trang đăng nhập và nhập địa chỉ email "
            "này để nhận liên kết mới: %(url)s"
        )
        % {"url": absolute(reverse("password_reset"))}
        + "\n"
        + _("Hoặc liên hệ quản trị viên Cổng CCHC của tỉnh."),
        "--\n" + _("Thư này do Cổng CCHC gửi tự động, xin đừng trả lời."),
    ]
    return EmailMessage(
        subject=f"[{_('Cổng CCHC')}] " + _("Tài khoản của bạn trên Cổng CCHC"),
        body="\n\n".join(lines),
        to=[user.email],
    )


def password_reset_message(user: User) -> EmailMessage:
    """The reset mail of ``user``: Django's token link, valid for PASSWORD_RESET_TIMEOUT and
    once (it stops working as soon as the password changes or the account logs in)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    context = {
        "user": user,
        "username": user.get_username(),
        "name": user.display_name,
        "link": absolute(reverse("password_reset_confirm", args=[uid, token])),
        "validity": duration_text(settings.PASSWORD_RESET_TIMEOUT),
        "reset_url": absolute(reverse("password_reset")),
        "login_url": absolute(reverse("login")),
    }
    subject = render_to_string("registration/password_reset_subject.txt", context)
    # One line: a header with a newline in it is refused by the mail library.
    subject = " ".join(subject.split())
    body = render_to_string("registration/password_reset_email.txt", context)
    return EmailMessage(subject=subject, body=body, to=[user.email])


def password_reset_messages(email: str) -> list[EmailMessage]:
    """The reset mails for the address typed: one per active account with it, none when no
    account has it."""
    return [password_reset_message(user) for user in password_reset_users(email).order_by("pk")]
