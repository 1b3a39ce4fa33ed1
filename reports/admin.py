"""The records and reports in the Django admin: a superuser's tool to read and repair, not daily work
(the commune's pages are the way in for that). Plain ModelAdmins on Django's model permissions, which
no provincial administrator holds, so they answer 403 to it (communes/tests/test_admin_scoping.py)."""

from __future__ import annotations

from django.contrib import admin

from .models import ConclusionTask, DirectiveDocument, Meeting, Plan, PlanTask, Report, Section


class ConclusionTaskInline(admin.TabularInline):
    model = ConclusionTask
    extra = 0
    fields = ("position", "office", "assignee", "description", "due_on", "status", "completed_on")
    autocomplete_fields = ("office",)


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("held_on", "unit", "kind", "title", "chair")
    list_filter = ("kind",)
    search_fields = ("title", "chair", "unit__name")
    date_hierarchy = "held_on"
    autocomplete_fields = ("unit", "created_by")
    list_select_related = ("unit",)
    inlines = [ConclusionTaskInline]


class PlanTaskInline(admin.TabularInline):
    model = PlanTask
    extra = 0
    fields = ("position", "description", "office", "due_on", "done", "done_on")
    autocomplete_fields = ("office",)


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("year", "unit", "number_symbol", "issued_on", "title")
    list_filter = ("year",)
    search_fields = ("unit__name", "number_symbol", "title")
    autocomplete_fields = ("unit",)
    list_select_related = ("unit",)
    inlines = [PlanTaskInline]


@admin.register(DirectiveDocument)
class DirectiveDocumentAdmin(admin.ModelAdmin):
    list_display = ("number_symbol", "issued_on", "type_code", "unit", "summary")
    list_filter = ("type_code",)
    search_fields = ("number_symbol", "summary", "unit__name")
    date_hierarchy = "issued_on"
    autocomplete_fields = ("unit",)
    list_select_related = ("unit",)


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = ("position", "heading", "body", "table")


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("__str__", "unit", "kind", "period", "status", "version", "number", "dated")
    list_filter = ("kind", "status")
    search_fields = ("summary", "unit__name")
    autocomplete_fields = ("unit", "meeting", "previous", "issued_by", "created_by")
    list_select_related = ("unit",)
    readonly_fields = ("snapshot", "pdf", "issued_at", "issued_by", "created_at", "updated_at")
    inlines = [SectionInline]
