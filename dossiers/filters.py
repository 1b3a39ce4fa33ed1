from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .models import ReportStatus

MISSING = "missing"


class OverviewFilter(django_filters.FilterSet):
    """Filters and sorting of the reviewer's overview, on the annotated queryset of
    ``selectors.overview_queryset``: everything runs in SQL."""

    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"),
        choices=[*ReportStatus.choices, (MISSING, _("Chưa nhập"))],
        empty_label=_("Tất cả"),
        method="filter_status",
    )
    online_below = django_filters.NumberFilter(
        label=_("Tỷ lệ trực tuyến dưới (%)"),
        field_name="online_rate",
        lookup_expr="lt",
        min_value=0,
        max_value=100,
    )
    on_time_below = django_filters.NumberFilter(
        label=_("Tỷ lệ đúng hạn dưới (%)"),
        field_name="on_time_rate",
        lookup_expr="lt",
        min_value=0,
        max_value=100,
    )
    flag = django_filters.ChoiceFilter(
        label=_("Cần chú ý"),
        choices=[
            ("zero_online", _("Không có hồ sơ trực tuyến")),
            ("late_without_apology", _("Trễ hẹn chưa xin lỗi")),
            ("not_submitted", _("Chưa gửi báo cáo")),
        ],
        empty_label=_("Tất cả"),
        method="filter_flag",
    )
    order = django_filters.OrderingFilter(
        label=_("Sắp xếp"),
        fields=(
            ("name", "ten"),
            ("received_new", "tiep_nhan"),
            ("resolved", "giai_quyet"),
            ("online_rate", "truc_tuyen"),
            ("on_time_rate", "dung_han"),
            ("late", "tre_han"),
            ("payment_rate", "thanh_toan"),
        ),
        field_labels={
            "name": _("Tên"),
            "received_new": _("Tiếp nhận"),
            "resolved": _("Đã giải quyết"),
            "online_rate": _("Tỷ lệ trực tuyến"),
            "on_time_rate": _("Tỷ lệ đúng hạn"),
            "late": _("Trễ hẹn"),
            "payment_rate": _("Tỷ lệ thanh toán"),
        },
        empty_label=_("Theo tên"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs["class"] = (
                "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )

    def filter_status(self, queryset, name, value):
        return queryset.filter(status__isnull=True) if value == MISSING else queryset.filter(status=value)

    def filter_flag(self, queryset, name, value):
        if value == "zero_online":
            return queryset.filter(received_new__gt=0, received_online=0)
        if value == "late_without_apology":
            return queryset.filter(late__gt=F("apology_letters"))
        return queryset.filter(
            Q(status__isnull=True) | Q(status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED])
        )
