from django.contrib import admin

from communes.admin import NationalDataAdmin, ProvinceScopedAdmin

from .models import ProcedureField, ReportingCalendar


@admin.register(ProcedureField)
class ProcedureFieldAdmin(NationalDataAdmin):
    list_display = ["name", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name", "aliases"]


@admin.register(ReportingCalendar)
class ReportingCalendarAdmin(ProvinceScopedAdmin):
    """ "Lịch báo cáo của tỉnh": how a province counts its periods; each administrator its own."""

    unit_path = "province"
    list_display = ["province", "calendar", "submit_within_days"]
    list_select_related = ["province"]
    autocomplete_fields = ["province"]
