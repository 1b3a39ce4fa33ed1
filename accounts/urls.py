from django.urls import path

from .views import importing, people

app_name = "accounts"

urlpatterns = [
    # People: the province's accounts, invitations, one-time passwords, locking (views/people.py).
    path("", people.account_list, name="list"),
    path("moi/<str:token>/", people.invitation_accept, name="invitation"),
    # Import from one Excel (views/importing.py).
    path("nhap/", importing.account_import, name="import"),
    path("nhap/mau.xlsx", importing.import_template, name="import_template"),
]
