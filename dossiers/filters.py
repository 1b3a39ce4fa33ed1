from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.text import fold

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


# The inbox's status choices beyond a report's own: no report at all, the reports not sent
# (a draft, a returned one, or none), and every row including the approved ones. Without a
# choice the inbox shows every row that still needs something: all but the approved.
UNSENT = "unsent"
ALL = "all"
SENT = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
# Lateness, against the period's due date.
OVERDUE, NOT_DUE, SENT_LATE, SENT_ON_TIME = "qua-han", "chua-den-han", "gui-muon", "dung-han"
# Orderings: param → order_by; the name breaks ties.
INBOX_ORDERINGS = {
    "ten": ("search_key", "pk"),
    "-ten": ("-search_key", "-pk"),
    "trang-thai": ("status_rank", "search_key"),
    "-trang-thai": ("-status_rank", "search_key"),
    # Unsent rows count as the latest: days late are today's, more than any sent report's.
    "-tre-han": ("-unsent", "-sent_at", "search_key"),
    "ngay-gui": ("unsent", "sent_at", "search_key"),
}
INBOX_ORDER_DEFAULT = ("status_rank", "search_key")


def _unsent() -> Q:
    return Q(status__isnull=True) | Q(status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED])


class InboxFilter(django_filters.FilterSet):
    """Filters and ordering of the reviewer's inbox, on ``selectors.inbox_queryset`` (the communes
    of one month with their report annotated): everything runs in SQL. ``due`` and ``today`` say
    which rows are late; ``due_end`` is the first moment after the due date."""

    trang_thai = django_filters.ChoiceFilter(
        label=_("Trạng thái"),
        choices=[
            (ReportStatus.SUBMITTED.value, _("Chờ duyệt")),
            (UNSENT, _("Chưa gửi (đang nhập, trả lại, chưa nhập)")),
            (ReportStatus.RETURNED.value, _("Bị trả lại")),
            (ReportStatus.DRAFT.value, _("Đang nhập")),
            (MISSING, _("Chưa nhập")),
            (ReportStatus.APPROVED.value, _("Đã duyệt")),
            (ALL, _("Tất cả")),
        ],
        empty_label=_("Chưa duyệt"),
        method="filter_status",
    )
    han = django_filters.ChoiceFilter(
        label=_("Hạn gửi"),
        choices=[
            (OVERDUE, _("Quá hạn, chưa gửi")),
            (NOT_DUE, _("Chưa đến hạn, chưa gửi")),
            (SENT_LATE, _("Gửi muộn")),
            (SENT_ON_TIME, _("Gửi đúng hạn")),
        ],
        empty_label=_("Tất cả"),
        method="filter_lateness",
    )
    q = django_filters.CharFilter(
        label=_("Tìm theo tên"),
        method="filter_name",
        widget=forms.TextInput(attrs={"placeholder": _("Ví dụ: Tam Quan hoặc tam quan"), "type": "search"}),
    )
    sap_xep = django_filters.ChoiceFilter(
        label=_("Sắp xếp"),
        choices=[
            ("trang-thai", _("Chờ duyệt trước")),
            ("ten", _("Tên A → Z")),
            ("-ten", _("Tên Z → A")),
            ("-tre-han", _("Trễ hạn nhiều nhất")),
            ("ngay-gui", _("Gửi sớm nhất")),
            ("-trang-thai", _("Đã duyệt trước")),
        ],
        empty_label=None,
        method="filter_order",
    )

    def __init__(self, *args, due, today, due_end, **kwargs):
        super().__init__(*args, **kwargs)
        self.due, self.today, self.due_end = due, today, due_end
        for name, field in self.form.fields.items():
            field.widget.attrs["class"] = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["id"] = f"inbox-{name}"

    def filter_queryset(self, queryset):
        queryset = queryset.order_by(*INBOX_ORDER_DEFAULT)
        if not self.form.cleaned_data.get("trang_thai"):
            queryset = queryset.filter(status_rank__lt=STATUS_RANK[ReportStatus.APPROVED])
        return super().filter_queryset(queryset)

    def filter_status(self, queryset, name, value):
        if value == ALL:
            return queryset
        if value == MISSING:
            return queryset.filter(status__isnull=True)
        if value == UNSENT:
            return queryset.filter(_unsent())
        return queryset.filter(status=value)

    def filter_lateness(self, queryset, name, value):
        if value in (OVERDUE, NOT_DUE):
            past = self.today > self.due
            return queryset.filter(_unsent()) if past == (value == OVERDUE) else queryset.none()
        sent = queryset.filter(status__in=SENT)
        if value == SENT_LATE:
            return sent.filter(submitted_at__gte=self.due_end)
        return sent.filter(submitted_at__lt=self.due_end)

    def filter_name(self, queryset, name, value):
        return queryset.filter(search_key__contains=fold(value)) if value.strip() else queryset

    def filter_order(self, queryset, name, value):
        return queryset.order_by(*INBOX_ORDERINGS[value])


# The order of statuses in the inbox: what waits for the reviewer first, the approved last.
STATUS_RANK = {
    ReportStatus.SUBMITTED: 0,
    ReportStatus.RETURNED: 1,
    ReportStatus.DRAFT: 2,
    None: 3,
    ReportStatus.APPROVED: 4,
}
