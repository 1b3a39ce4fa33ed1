"""The admin site, for administrators.

A superuser sees everything. A provincial administrator (role "administrator" on a
province) sees, picks and changes only the units of its province and the accounts of
``users_administered_by``: those with roles only there, and those it created that have no role
yet; never a superuser nor anyone who also works for another province. Every list, form choice,
autocomplete, inline, password page and action goes through those two querysets, and any other
choice (an office, a meeting, a report) through the queryset of its model's own admin.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.services import account_deactivate, account_invite, account_reactivate
from core.text import fold

from .models import AdministrativeUnit, Membership, Office, Role, UnitSuccession, User
from .selectors import units_administered_by, users_administered_by
from .services import administrator_admits


def _is_administrator(request) -> bool:
    """Whether the user of ``request`` is a superuser or a provincial administrator: one query
    per request, however many permission checks a page makes (the index asks every model)."""
    cached = getattr(request, "_cchc_is_administrator", None)
    if cached is None:
        user = request.user
        if not user.is_authenticated or not user.is_active:
            cached = False
        else:
            cached = (
                user.is_superuser or Membership.objects.filter(user=user, role=Role.ADMINISTRATOR).exists()
            )
        request._cchc_is_administrator = cached
    return cached


class AdministratorOnly:
    """Admin pages open to superusers and provincial administrators only."""

    def has_module_permission(self, request):
        return _is_administrator(request)

    def has_view_permission(self, request, obj=None):
        return _is_administrator(request)

    def has_add_permission(self, request, *args):
        return _is_administrator(request)

    def has_change_permission(self, request, obj=None):
        return _is_administrator(request)

    def has_delete_permission(self, request, obj=None):
        return _is_administrator(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Any unit, account, office, meeting or report field offers (and accepts) only what the
        # administrator may open itself: the queryset of that model's own admin, which the
        # autocomplete asks as well. A model without an admin offers nothing but to a superuser.
        if "queryset" not in kwargs and not request.user.is_superuser:
            related_admin = self.admin_site._registry.get(db_field.related_model)
            kwargs["queryset"] = (
                related_admin.get_queryset(request)
                if related_admin is not None
                else db_field.related_model._default_manager.none()
            )
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
    autocomplete_fields = ["parent"]
    inlines = [OfficeInline]
    readonly_fields = ["era", "level", "code"]

    def get_search_results(self, request, queryset, search_term):
        # People type "phuong tam quan" or "PHƯỜNG TAM QUAN"; SQLite folds only ASCII case, so each
        # word is also looked up, folded, in the folded name.
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        words = fold(search_term).split()
        if words:
            folded = Q()
            for word in words:
                folded &= Q(search_key__contains=word)
            results |= queryset.filter(folded)
        return results, may_have_duplicates

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
    autocomplete_fields = ["user", "unit"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        administrator_admits(user=obj.user)


@admin.register(Office)
class OfficeAdmin(ProvinceScopedAdmin):
    list_display = ["name", "unit", "position"]
    search_fields = ["name", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]


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
    autocomplete_fields = ["predecessor", "successor"]


class MembershipInline(AdministratorOnly, admin.TabularInline):
    """A person's roles on its page: for a provincial administrator only those in its province."""

    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(unit__in=units_administered_by(request.user))


class PasswordChangeForm(AdminPasswordChangeForm):
    # Django glues this warning to the help text as a plain English string, out of gettext's reach.
    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        _("Nếu tắt, mật khẩu hiện tại của người dùng này sẽ mất."),
    )


@admin.register(User)
class UserAdmin(AdministratorOnly, DjangoUserAdmin):
    """People. Locking and unlocking (``is_active``) go through the accounts' services, as on the
    portal's account list, so that the date of locking is kept; nobody unticks its own. A new
    account made here with an email and without a password is mailed its invitation."""

    change_password_form = PasswordChangeForm
    list_display = [
        "username",
        "full_name",
        "job_title",
        "email",
        "phone",
        "is_active",
        "must_change_password",
    ]
    list_filter = ["is_active", "must_change_password", "is_staff", "is_superuser"]
    search_fields = ["username", "full_name", "email", "phone"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "job_title", "email", "phone")}),
        (_("Quyền"), {"fields": ("is_active", "must_change_password", "is_staff", "is_superuser")}),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined", "deactivated_at")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "description": _(
                    "Có email và không đặt mật khẩu: tài khoản nhận thư mời để tự đặt mật khẩu. "
                    "Không có email: hãy cấp mật khẩu dùng một lần từ trang Tài khoản của cổng."
                ),
                "fields": ("username", "full_name", "email", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_queryset(self, request):
        # The change and password pages, the autocomplete and every action look accounts up here.
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=users_administered_by(request.user).values("pk"))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        active = form.base_fields.get("is_active")
        if obj is not None and obj.pk == request.user.pk and active is not None:
            # Nobody would be left to unlock it.
            active.disabled = True
            active.help_text = _("Bạn không thể tự khóa tài khoản của chính mình.")
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        toggled = change and "is_active" in form.changed_data
        if toggled:
            # Saved as it was; the service then locks or unlocks it and records when.
            obj.is_active = not obj.is_active
        super().save_model(request, obj, form, change)
        if toggled:
            if obj.is_active:
                account_deactivate(user=obj, by=request.user)
            else:
                account_reactivate(user=obj, by=request.user)
        if not change and obj.email and not obj.has_usable_password():
            account_invite(user=obj, sent_by=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        administrator_admits(user=form.instance)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request.user.is_superuser:
            return fieldsets
        # Nobody in its reach is a superuser; whether one may enter the admin site is said in words
        # (Django's read-only yes/no icon is labelled "True"/"False" in English).
        shown = []
        for name, options in fieldsets:
            fields = [
                "staff_status" if field == "is_staff" else field
                for field in options["fields"]
                if field != "is_superuser"
            ]
            shown.append((name, {**options, "fields": fields}))
        return shown

    @admin.display(description=_("vào được trang quản trị"))
    def staff_status(self, obj) -> str:
        return _("Có") if obj.is_staff else _("Không")

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ["deactivated_at"]
        return ["staff_status", "is_staff", "is_superuser", "last_login", "date_joined", "deactivated_at"]

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


admin.site.site_header = _("Quản trị Cổng CCHC")
admin.site.site_title = _("Quản trị Cổng CCHC")
admin.site.index_title = _("Danh mục và người dùng")
