"""The records and reports in the Django admin, for provincial IT: read and repair, not daily work
(the commune's pages are the way in for that). A provincial administrator sees only its province's
records (``communes.admin.ProvinceScopedAdmin``), and every unit, office, meeting or report it may
choose is one of them. Who wrote a record is never typed in, and an issued report is read only: its
number, date and figures were frozen by issuing, and a correction is a new version."""

from __future__ import annotations

import datetime

from django.contrib import admin
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from communes.admin import AdministratorOnly, ProvinceScopedAdmin

from .models import ConclusionTask, DirectiveDocument, Meeting, Plan, PlanTask, Report, Section


class WrittenByAdmin(ProvinceScopedAdmin):
    """Who wrote a record and when, shown read only under Vietnamese labels (the model fields have
    no verbose names)."""

    def shown(self, value):
        """A read-only value as the admin shows it: the admin prints a callable's None as the word
        «None» (a record typed in the admin or imported has no author; an add page has no time yet),
        and a datetime in UTC."""
        if value is None:
            return self.get_empty_value_display()
        if isinstance(value, datetime.datetime):
            return formats.localize(timezone.localtime(value))
        return str(value)

    @admin.display(description=_("người tạo"))
    def created_by_name(self, obj):
        return self.shown(obj.created_by)

    @admin.display(description=_("tạo lúc"))
    def created_at_time(self, obj):
        return self.shown(obj.created_at)


class ConclusionTaskInline(AdministratorOnly, admin.TabularInline):
    model = ConclusionTask
    extra = 0
    fields = ("position", "office", "assignee", "description", "due_on", "status", "completed_on")
    autocomplete_fields = ("office",)


@admin.register(Meeting)
class MeetingAdmin(WrittenByAdmin):
    list_display = ("held_on", "unit", "kind", "title", "chair")
    list_filter = ("kind",)
    search_fields = ("title", "chair", "unit__name")
    date_hierarchy = "held_on"
    autocomplete_fields = ("unit",)
    exclude = ("created_by",)
    readonly_fields = ("created_by_name",)
    list_select_related = ("unit",)
    inlines = [ConclusionTaskInline]


class PlanTaskInline(AdministratorOnly, admin.TabularInline):
    model = PlanTask
    extra = 0
    fields = ("position", "description", "office", "due_on", "done", "done_on")
    autocomplete_fields = ("office",)


@admin.register(Plan)
class PlanAdmin(ProvinceScopedAdmin):
    list_display = ("year", "unit", "number_symbol", "issued_on", "title")
    list_filter = ("year",)
    search_fields = ("unit__name", "number_symbol", "title")
    autocomplete_fields = ("unit",)
    list_select_related = ("unit",)
    inlines = [PlanTaskInline]


@admin.register(DirectiveDocument)
class DirectiveDocumentAdmin(ProvinceScopedAdmin):
    list_display = ("number_symbol", "issued_on", "type_code", "unit", "summary")
    list_filter = ("type_code",)
    search_fields = ("number_symbol", "summary", "unit__name")
    date_hierarchy = "issued_on"
    autocomplete_fields = ("unit",)
    list_select_related = ("unit",)


class SectionInline(AdministratorOnly, admin.StackedInline):
    model = Section
    extra = 0
    fields = ("position", "heading", "body", "table")


@admin.register(Report)
class ReportAdmin(WrittenByAdmin):
    list_display = ("__str__", "unit", "kind", "period", "status", "version", "number", "dated")
    list_filter = ("kind", "status")
    search_fields = ("summary", "unit__name")
    autocomplete_fields = ("unit", "meeting", "previous")
    list_select_related = ("unit",)
    exclude = ("created_by", "updated_by", "issued_by", "pdf")
    readonly_fields = (
        "snapshot",
        "pdf_link",
        "issued_at",
        "issued_by_name",
        "created_at_time",
        "created_by_name",
        "updated_at_time",
        "updated_by_name",
    )
    inlines = [SectionInline]

    @admin.display(description=_("bản PDF"))
    def pdf_link(self, obj):
        # Through the portal's download, which checks who asks: MEDIA_URL serves nothing.
        if not (obj.is_issued and obj.pdf):
            return "–"
        url = reverse("reports:report_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Tải bản PDF đã ban hành"))

    @admin.display(description=_("người ban hành"))
    def issued_by_name(self, obj):
        return self.shown(obj.issued_by)

    @admin.display(description=_("sửa lần cuối lúc"))
    def updated_at_time(self, obj):
        return self.shown(obj.updated_at)

    @admin.display(description=_("người sửa lần cuối"))
    def updated_by_name(self, obj):
        return self.shown(obj.updated_by)

    def has_change_permission(self, request, obj=None):
        return not (obj is not None and obj.is_issued) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and obj.is_issued) and super().has_delete_permission(request, obj)
