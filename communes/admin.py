"""The admin site, for administrators.

A superuser sees everything. A provincial administrator (role "administrator" on a
province) sees and manages only the units of its province and the people who hold
roles there.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import AdministrativeUnit, Membership, Office, Role, UnitSuccession, User
from .selectors import units_administered_by


def _is_administrator(user) -> bool:
    return user.is_superuser or Membership.objects.filter(user=user, role=Role.ADMINISTRATOR).exists()


class AdministratorOnly:
    """Admin pages open to superusers and provincial administrators only."""

    def has_module_permission(self, request):
        return _is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return _is_administrator(request.user)

    def has_add_permission(self, request, *args):
        return _is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return _is_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return _is_administrator(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Any unit dropdown or raw id offers (and accepts) only the administrator's units.
        if db_field.related_model is AdministrativeUnit:
            kwargs["queryset"] = units_administered_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ProvinceScopedAdmin(AdministratorOnly, admin.ModelAdmin):
    """Limits the list and the object pages to the administrator's province."""

    unit_path = "unit"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.unit_path}__in": units_administered_by(request.user)})


class OfficeInline(admin.TabularInline):
    model = Office
    extra = 0


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(ProvinceScopedAdmin):
    unit_path = "pk"
    list_display = ["code", "name", "kind", "level", "era", "parent", "valid_from", "valid_to"]
    list_filter = ["era", "level", "kind"]
    search_fields = ["code", "name", "search_key"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]
    inlines = [OfficeInline]
    readonly_fields = ["era", "level", "code"]

    def get_readonly_fields(self, request, obj=None):
        # Official units come from load_units; only a superuser creates or renames them.
        if request.user.is_superuser:
            return [] if obj is None else ["era", "level", "code"]
        return ["era", "level", "code", "kind", "name", "short_name", "parent", "valid_from", "valid_to"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Membership)
class MembershipAdmin(ProvinceScopedAdmin):
    list_display = ["user", "role", "unit", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "unit__name"]
    list_select_related = ["user", "unit"]
    raw_id_fields = ["unit"]


@admin.register(Office)
class OfficeAdmin(ProvinceScopedAdmin):
    list_display = ["name", "unit", "position"]
    search_fields = ["name", "unit__name"]
    list_select_related = ["unit"]
    raw_id_fields = ["unit"]


class NationalDataAdmin(AdministratorOnly, admin.ModelAdmin):
    """Data shared by every province (the merger's links, the lĩnh vực catalogue): any
    administrator reads it, only a superuser changes it."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(NationalDataAdmin):
    list_display = ["predecessor", "successor", "is_primary"]
    search_fields = ["predecessor__name", "successor__name"]
    list_select_related = ["predecessor", "successor"]
    raw_id_fields = ["predecessor", "successor"]


class MembershipInline(AdministratorOnly, admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["unit"]


@admin.register(User)
class UserAdmin(AdministratorOnly, DjangoUserAdmin):
    list_display = ["username", "full_name", "job_title", "email", "is_active"]
    search_fields = ["username", "full_name", "email"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "job_title", "email")}),
        (_("Quyền"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        # People with a role in the province, and new accounts that have no role yet.
        return queryset.filter(
            Q(memberships__unit__in=units_administered_by(request.user)) | Q(memberships__isnull=True),
            is_superuser=False,
        ).distinct()

    def get_readonly_fields(self, request, obj=None):
        return [] if request.user.is_superuser else ["is_staff", "is_superuser", "last_login", "date_joined"]

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


admin.site.site_header = _("Quản trị Cổng CCHC")
admin.site.site_title = _("Quản trị Cổng CCHC")
admin.site.index_title = _("Danh mục và người dùng")
