from django.urls import path

from .views import importing, people

app_name = "accounts"

urlpatterns = [
    # People: the province's accounts, invitations, one-time passwords, locking (views/people.py).
    path("", people.account_list, name="list"),
    path("<int:pk>/khoa/", people.account_deactivate_view, name="deactivate"),
    path("<int:pk>/mo-khoa/", people.account_reactivate_view, name="reactivate"),
    path("<int:pk>/gui-lai-loi-moi/", people.invitation_resend_view, name="invitation_resend"),
    path("<int:pk>/mat-khau-mot-lan/", people.one_time_password_view, name="one_time_password"),
    path("moi/<str:token>/", people.invitation_accept, name="invitation"),
    # Import from one Excel (views/importing.py).
    path("nhap/", importing.account_import, name="import"),
    path("nhap/mau.xlsx", importing.import_template, name="import_template"),
]
