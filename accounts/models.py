"""What the accounts app remembers: the invitations sent, and the "Quên mật khẩu" requests it
counts to throttle them.

The accounts themselves are ``communes.User``; nothing here holds a password or a link's token.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Invitation(models.Model):
    """An invitation mailed to an account (``accounts.services.account_invite``): when, and by whom.

    The link itself is signed and kept nowhere (``invitation_token``); this row is what the
    account list shows as "Chưa nhận lời mời, gửi ngày …".
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    sent_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lời mời")
        verbose_name_plural = _("lời mời")
        indexes = [models.Index(fields=["user", "-sent_at"], name="invitation_user_sent_idx")]

    def __str__(self) -> str:
        return f"{self.user} – {self.sent_at:%d/%m/%Y %H:%M}"


class PasswordResetRequest(models.Model):
    """One "Quên mật khẩu" form sent: from which client address, for which address typed.

    Counted in the database, not in one server's memory, so the limits hold with several app
    servers: PASSWORD_RESET_ADDRESS_LIMIT requests per client address and
    PASSWORD_RESET_EMAIL_LIMIT mails per typed address within PASSWORD_RESET_WINDOW. ``mailed``
    says whether this request was let through to the mail (whether or not an account has that
    address: the count must not depend on it). Rows older than the window are deleted as new
    ones come.
    """

    created_at = models.DateTimeField(_("lúc"), auto_now_add=True, db_index=True)
    # None: a request that did not come through the balancer (see client_address_settings);
    # such requests are counted together, as django-axes counts their failed logins.
    client_address = models.GenericIPAddressField(_("địa chỉ máy"), null=True, blank=True)
    email = models.CharField(_("email đã nhập"), max_length=254)
    mailed = models.BooleanField(_("được gửi thư"), default=False)

    class Meta:
        verbose_name = _("yêu cầu đặt lại mật khẩu")
        verbose_name_plural = _("yêu cầu đặt lại mật khẩu")
        indexes = [
            models.Index(fields=["client_address", "created_at"], name="reset_address_idx"),
            models.Index(fields=["email", "created_at"], name="reset_email_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.client_address} – {self.created_at:%d/%m/%Y %H:%M}"
