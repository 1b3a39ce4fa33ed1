from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import fold

from .models import AdministrativeUnit, Era, Kind

ALL_ERAS = "all"
COMMUNE_KINDS = [(k.value, k.label) for k in (Kind.XA, Kind.PHUONG, Kind.THI_TRAN, Kind.DAC_KHU)]


class UnitFilter(django_filters.FilterSet):
    """Filters of the commune list. Every choice is drawn from what the user may read."""

    q = django_filters.CharFilter(
        label=_("Tìm theo tên"),
        method="filter_name",
        widget=forms.TextInput(attrs={"placeholder": _("Ví dụ: Hoài Châu hoặc hoai chau")}),
    )
    kind = django_filters.ChoiceFilter(label=_("Loại"), choices=COMMUNE_KINDS, empty_label=_("Tất cả"))
    era = django_filters.ChoiceFilter(
        label=_("Giai đoạn"),
        choices=[*Era.choices, (ALL_ERAS, _("Tất cả giai đoạn"))],
        empty_label=_("Theo phân công"),
        method="filter_era",
    )
    parent = django_filters.ModelChoiceFilter(
        label=_("Trực thuộc"), queryset=AdministrativeUnit.objects.none(), empty_label=_("Tất cả")
    )

    class Meta:
        model = AdministrativeUnit
        fields = ["q", "kind", "era", "parent"]

    def __init__(self, *args, default_eras: set[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Without a chosen era, the list shows the era of the user's own assignments: a
        # Sở Nội vụ after 2025 sees its communes, not the hundreds of predecessors first.
        self.default_eras = default_eras
        # The dropdown offers only the parents of the communes this user may read.
        parents = AdministrativeUnit.objects.filter(pk__in=self.queryset.values("parent_id")).order_by(
            "era", "name"
        )
        self.filters["parent"].queryset = parents
        for field in self.form.fields.values():
            field.widget.attrs["class"] = (
                "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("era") and self.default_eras:
            queryset = queryset.filter(era__in=self.default_eras)
        return super().filter_queryset(queryset)

    def filter_era(self, queryset, name, value):
        return queryset if value == ALL_ERAS else queryset.filter(era=value)

    def filter_name(self, queryset, name, value):
        return queryset.filter(search_key__contains=fold(value)) if value.strip() else queryset
