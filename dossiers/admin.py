from django.contrib import admin

from communes.admin import NationalDataAdmin

from .models import ProcedureField


@admin.register(ProcedureField)
class ProcedureFieldAdmin(NationalDataAdmin):
    list_display = ["name", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name", "aliases"]
