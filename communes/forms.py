from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's login form with the portal's Vietnamese wording.

    A locked account is told it is locked. Django's form says so only for a user the backend
    returned, and ModelBackend never returns an inactive one (so that its sessions end too); so
    after a refused login the form looks for a locked account with that username and that
    password, and only then says "locked": whoever does not know the password learns nothing.
    The failure is still counted by django-axes (``authenticate`` signalled it), and during an
    axes lockout the password is not looked at at all.
    """

    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa và chữ thường."
        ),
        "inactive": _("Tài khoản này đã bị khóa. Hãy liên hệ quản trị viên của tỉnh."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "class": "form-control"})
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"autocomplete": "current-password", "class": "form-control"}
        )

    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            if error.code == "invalid_login" and self._locked_account_matches():
                raise ValidationError(self.error_messages["inactive"], code="inactive") from error
            raise

    def _locked_account_matches(self) -> bool:
        if self.request is not None and getattr(self.request, "axes_locked_out", False):
            return False
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return False
        model = get_user_model()
        user = model._default_manager.filter(**{model.USERNAME_FIELD: username}, is_active=False).first()
        return user is not None and user.check_password(password)
