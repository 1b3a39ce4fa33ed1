"""The forms of the accounts: choosing a password (invitation, reset, forced change), asking
for a reset, and the account list's filters. Django's own forms, with the portal's wording."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from communes.models import Role

from .services import password_reset_users

NEW_PASSWORD_LABELS = {"new_password1": _("Mật khẩu mới"), "new_password2": _("Nhập lại mật khẩu mới")}


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


class PortalSetPasswordForm(auth_forms.SetPasswordForm):
    """Choose a password without the old one (the invitation, a reset link): Django's form and
    the password validators; the person's own password, so ``must_change_password`` goes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in NEW_PASSWORD_LABELS.items():
            self.fields[name].label = label
        # The browser offers to save it under the account's username.
        self.fields["new_password1"].widget.attrs["autocomplete"] = "new-password"
        self.fields["new_password2"].widget.attrs["autocomplete"] = "new-password"
        _style(self)

    def save(self, commit=True):
        self.user.must_change_password = False
        return super().save(commit=commit)


class PortalPasswordChangeForm(auth_forms.PasswordChangeForm):
    """Change one's password knowing the current one (the menu's "Đổi mật khẩu", and the forced
    change after a one-time password): the flag goes once the new one is saved."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Mật khẩu hiện tại")
        for name, label in NEW_PASSWORD_LABELS.items():
            self.fields[name].label = label
        _style(self)

    def clean(self):
        cleaned_data = super().clean()
        password = cleaned_data.get("new_password2")
        # A one-time password kept as one's own would stay written on the hand-over paper.
        if password and "new_password2" not in self.errors and self.user.check_password(password):
            self.add_error("new_password2", _("Mật khẩu mới phải khác mật khẩu hiện tại."))
        return cleaned_data

    def save(self, commit=True):
        self.user.must_change_password = False
        return super().save(commit=commit)


class PortalPasswordResetForm(auth_forms.PasswordResetForm):
    """The address to send the reset link to. Who gets a mail, and when, is decided by
    ``accounts.services.password_reset_request`` (throttled, from a task), not by this form's
    ``save``; ``get_users`` is the portal's all the same (invited accounts included)."""

    def get_users(self, email):
        return password_reset_users(email)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["email"]
        field.label = _("Địa chỉ email của tài khoản")
        field.error_messages = {
            **field.error_messages,
            "required": _("Hãy nhập địa chỉ email của tài khoản."),
            "invalid": _("Địa chỉ email này không đúng dạng, ví dụ đúng: ten@gmail.com."),
            "max_length": _("Địa chỉ email dài quá 254 ký tự."),
        }
        field.widget.attrs["placeholder"] = "ten@gmail.com"
        _style(self)


class AccountState:
    """The states the account list filters by (``accounts.selectors.account_state``)."""

    INVITED = "cho-nhan-loi-moi"
    MUST_CHANGE = "phai-doi-mat-khau"
    ACTIVE = "dang-hoat-dong"
    LOCKED = "da-khoa"
    CHOICES = [
        (INVITED, _("Chưa nhận lời mời")),
        (MUST_CHANGE, _("Phải đổi mật khẩu")),
        (ACTIVE, _("Đang hoạt động")),
        (LOCKED, _("Đã khóa")),
    ]


class AccountFilterForm(forms.Form):
    """The account list's filters, read from the query string; a wrong value is dropped (the
    list shows everything for it) rather than refused."""

    q = forms.CharField(
        label=_("Tìm theo tên, tên đăng nhập hoặc xã"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Ví dụ: Hoài Châu hoặc hoai chau"), "type": "search"}),
    )
    vai_tro = forms.ChoiceField(
        label=_("Vai trò"), required=False, choices=[("", _("Tất cả vai trò")), *Role.choices]
    )
    trang_thai = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Tất cả trạng thái")), *AccountState.CHOICES]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def values(self) -> dict[str, str]:
        """The valid filters (an invalid one is left out)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}
