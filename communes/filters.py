from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import fold

from .models import AdministrativeUnit, Era, Kind

COMMUNE_KINDS = [(k.value, k.label) for k in (Kind.XA, Kind.PHUONG, Kind.THI_TRAN, Kind.DAC_KHU)]


class UnitFilter(django_filters.FilterSet):
    """Filters of the commune list. Every choice is drawn from what the user may read."""

    q = django_filters.CharFilter(
        label=_("Tìm theo tên"),
        method="filter_name",
        widget=forms.TextInput(attrs={"placeholder": _("Ví dụ: Hoài Châu hoặc hoai chau")}),
    )
    kind = django_filters.ChoiceFilter(label=_("Loại"), choices=COMMUNE_KINDS, empty_label=_("Tất cả"))
    era = django_filters.ChoiceFilter(label=_("Giai đoạn"), choices=Era.choices, empty_label=_("Tất cả"))
    parent = django_filters.ModelChoiceFilter(
        label=_("Trực thuộc"), queryset=AdministrativeUnit.objects.none(), empty_label=_("Tất cả")
    )

    class Meta:
        model = AdministrativeUnit
        fields = ["q", "kind", "era", "parent"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The dropdown offers only the parents of the communes this user may read.
        parents = AdministrativeUnit.objects.filter(pk__in=self.queryset.values("parent_id")).order_by(
            "era", "name"
        )
        self.filters["parent"].queryset = parents
        for field in self.form.fields.values():
            field.widget.attrs["class"] = (
                "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )

    def filter_name(self, queryset, name, value):
        return queryset.filter(search_key__contains=fold(value)) if value.strip() else queryset
