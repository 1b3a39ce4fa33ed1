from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("da-doc/", views.notifications_read_all, name="read_all"),
    path("cai-dat/", views.notification_settings, name="settings"),
]
