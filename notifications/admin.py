"""The notifications in the admin site, read only: for provincial IT answering "did the commune get
the mail?" (its status, attempts and time). A provincial administrator sees those about its
province's units (``communes.admin.ProvinceScopedAdmin``); a notification about no unit, and the
mail settings, only a superuser. Nothing is written here: notifications are made by the portal's
events and read by their recipients."""

from __future__ import annotations

from django.contrib import admin

from communes.admin import ProvinceScopedAdmin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(ProvinceScopedAdmin):
    list_display = [
        "created_at",
        "recipient",
        "kind",
        "unit",
        "title",
        "read_at",
        "email_status",
        "email_attempts",
    ]
    list_filter = ["kind", "email_status", ("read_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["title", "recipient__username", "recipient__full_name", "unit__name"]
    list_select_related = ["recipient", "unit"]
    date_hierarchy = "created_at"
    fields = [
        "recipient",
        "kind",
        "unit",
        "title",
        "body",
        "url",
        "created_at",
        "read_at",
        "day",
        "email_status",
        "email_attempts",
        "emailed_at",
    ]
    readonly_fields = fields
    show_full_result_count = False

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
