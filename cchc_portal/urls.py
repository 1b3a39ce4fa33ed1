from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.views import passwords
from communes.forms import LoginForm
from core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Passwords: Django's own views with the portal's forms and rules (accounts/views/passwords.py).
    path("accounts/password/", passwords.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # "Quên mật khẩu": Django's own flow, throttled, the same answer for any address.
    path("accounts/password/reset/", passwords.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        passwords.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        passwords.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("tai-khoan/", include("accounts.urls")),
    path("thong-bao/", include("notifications.urls")),
    path("units/", include("communes.urls")),
    path("", include("dossiers.urls")),
    path("chi-so/", include("indices.urls")),
    path("bao-cao/", include("reports.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
