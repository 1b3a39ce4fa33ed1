"""The mails of the accounts: the invitation (the password reset mail is Django's, with the
portal's templates in templates/registration/)."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from communes.models import User
from notifications.services import absolute

from .services import invitation_token, invitation_valid_until


def invitation_message(user_id: int) -> EmailMessage | None:
    """The invitation of account ``user_id``; None when it is gone, locked, has no email or has
    already chosen a password."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or user.has_usable_password():
        return None
    roles = [
        f"{membership.get_role_display()} – {membership.unit.name}"
        for membership in user.memberships.select_related("unit").order_by("unit__name")
    ]
    until = timezone.localtime(invitation_valid_until(timezone.now()))
    link = absolute(reverse("accounts:invitation", args=[invitation_token(user)]))
    lines = [
        _("Kính gửi %(name)s,") % {"name": user.display_name},
        _("Một tài khoản trên Cổng CCHC đã được tạo cho bạn.")
        + "\n"
        + _("Tên đăng nhập: %(username)s") % {"username": user.username}
        + ("\n" + _("Vai trò: %(roles)s") % {"roles": "; ".join(roles)} if roles else ""),
        _("Mở liên kết sau để tự đặt mật khẩu (liên kết dùng được một lần, đến %(until)s):")
        % {"until": date_format(until, "H:i d/m/Y")}
        + "\n"
        + link,
        _("Nếu liên kết đã hết hạn, hãy dùng “Quên mật khẩu” ở trang đăng nhập: %(url)s")
        % {"url": absolute(reverse("password_reset"))},
        "--\n" + _("Thư này do Cổng CCHC gửi tự động, xin đừng trả lời."),
    ]
    return EmailMessage(
        subject=f"[{_('Cổng CCHC')}] " + _("Tài khoản của bạn trên Cổng CCHC"),
        body="\n\n".join(lines),
        to=[user.email],
    )
