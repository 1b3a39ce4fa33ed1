"""The admin of the index: frameworks (with their bands and criteria) and rounds.

Open to superusers and provincial administrators, each administrator seeing only the frameworks
issued by a unit of its province (``communes.admin.ProvinceScopedAdmin``). Saving a framework runs
the checks of ``indices.frameworks`` on the whole tree; a framework in use is read only and gets a
new version through the action "Tạo phiên bản mới".
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.admin import AdministratorOnly, ProvinceScopedAdmin

from . import frameworks
from .models import Band, Criterion, Framework, Round
from .services.frameworks import framework_new_version


def _kept_forms(formset) -> list:
    """The inline forms that will be saved: filled in and not marked for deletion."""
    return [
        form
        for form in formset.forms
        if getattr(form, "cleaned_data", None)
        and not (formset.can_delete and formset._should_delete_form(form))
    ]


def _raise(problems) -> None:
    if problems:
        raise ValidationError([problem.message for problem in problems])


class CriterionFormSet(BaseInlineFormSet):
    """Checks the whole tree as the template import does: codes, parents, sums, total, step, rules."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        framework = self.instance
        nodes = [
            frameworks.Node(
                code=(form.cleaned_data.get("code") or "").strip(),
                title=form.cleaned_data.get("title") or "",
                max_points=form.cleaned_data.get("max_points"),
                guide=form.cleaned_data.get("guide") or "",
                evidence_required=bool(form.cleaned_data.get("evidence_required")),
                rule=(form.cleaned_data.get("rule") or "").strip(),
            )
            for form in _kept_forms(self)
        ]
        step = framework.step if framework.step and framework.step > 0 else None
        _raise(frameworks.tree_problems(nodes, total_points=framework.total_points, step=step))


class BandFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        bands = [
            frameworks.BandRow(
                form.cleaned_data.get("label") or "",
                form.cleaned_data.get("min_points"),
                form.cleaned_data.get("max_points"),
            )
            for form in _kept_forms(self)
        ]
        framework = self.instance
        _raise(
            frameworks.band_problems(
                bands, total_points=framework.total_points, rescale_to_100=framework.rescale_to_100
            )
        )


class FrameworkPartInline(AdministratorOnly, admin.TabularInline):
    """Bands and criteria follow their framework: read only once it is in use."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return not (obj is not None and obj.is_in_use()) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not (obj is not None and obj.is_in_use()) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and obj.is_in_use()) and super().has_delete_permission(request, obj)


class BandInline(FrameworkPartInline):
    model = Band
    formset = BandFormSet


class CriterionInline(FrameworkPartInline):
    model = Criterion
    formset = CriterionFormSet
    fields = ["code", "title", "max_points", "evidence_required", "rule", "guide"]
    ordering = ["sort_key"]


@admin.register(Framework)
class FrameworkAdmin(ProvinceScopedAdmin):
    unit_path = "issuer"
    list_display = ["name", "issuer", "years_label", "version", "total_points", "legal_basis"]
    list_select_related = ["issuer"]
    search_fields = ["name", "legal_basis"]
    list_filter = ["year_from"]
    autocomplete_fields = ["issuer"]
    readonly_fields = ["version", "previous"]
    inlines = [BandInline, CriterionInline]
    actions = ["make_new_version"]

    @admin.display(description=gettext_lazy("năm áp dụng"))
    def years_label(self, obj: Framework) -> str:
        return obj.years_label

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_in_use():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_in_use():
            return False
        return super().has_delete_permission(request, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The parent follows from the code (1.2.3 lies under 1.2), whatever rows were added,
        # renumbered or removed; the formset checked that every parent is there.
        criteria = list(form.instance.criteria.all())
        by_code = {criterion.code: criterion for criterion in criteria}
        changed = []
        for criterion in criteria:
            parent = by_code.get(criterion.code.rpartition(".")[0])
            parent_id = parent.pk if parent else None
            if criterion.parent_id != parent_id:
                criterion.parent_id = parent_id
                changed.append(criterion)
        Criterion.objects.bulk_update(changed, ["parent"])

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.is_in_use():
            messages.info(
                request,
                _(
                    "Bộ chỉ số này đã được dùng để chấm điểm nên không sửa được. Hãy chọn nó trong danh "
                    "sách và dùng thao tác “Tạo phiên bản mới” để sửa trên một bản sao."
                ),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.action(description=gettext_lazy("Tạo phiên bản mới"))
    def make_new_version(self, request, queryset):
        for framework in queryset:
            copy = framework_new_version(framework=framework)
            self.message_user(
                request,
                _("Đã tạo phiên bản %(version)s của “%(name)s”.")
                % {"version": copy.version, "name": framework.name},
                messages.SUCCESS,
            )


@admin.register(Round)
class RoundAdmin(ProvinceScopedAdmin):
    """Rounds are opened and published on the reviewer's pages; here only the deadline moves."""

    unit_path = "group"
    list_display = ["framework", "year", "group", "self_deadline", "is_published"]
    list_select_related = ["framework", "group"]
    list_filter = ["year"]
    fields = ["framework", "year", "group", "self_deadline", "published_at", "published_by"]
    readonly_fields = ["framework", "year", "group", "published_at", "published_by"]

    @admin.display(description=gettext_lazy("đã công bố"), boolean=True)
    def is_published(self, obj: Round) -> bool:
        return obj.is_published

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
