"""Forms of the reviewer's appraisal. They validate and normalise; the services save."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import AdministrativeUnit, Level, Membership, Role, User

from .models import Framework


class PointsField(forms.Field):
    """A number of points typed the Vietnamese way ("1,5") or not ("1.5"); two decimals at most."""

    def __init__(self, *, allow_negative: bool = False, **kwargs) -> None:
        self.allow_negative = allow_negative
        super().__init__(**kwargs)

    def to_python(self, value) -> Decimal | None:  # type: ignore[override]
        text = str(value or "").strip().replace(" ", "")
        if not text:
            return None
        if len(text) > 12:
            raise forms.ValidationError(
                _("“%(value)s” không phải là số điểm; hãy nhập ví dụ 2,5.") % {"value": text}
            )
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise forms.ValidationError(
                _("“%(value)s” không phải là số điểm; hãy nhập ví dụ 2,5.") % {"value": text}
            ) from None
        if not number.is_finite() or number != number.quantize(Decimal("0.01")):
            raise forms.ValidationError(
                _("“%(value)s”: điểm chỉ có tối đa hai chữ số thập phân.") % {"value": text}
            )
        if number < 0 and not self.allow_negative:
            raise forms.ValidationError(_("Điểm không được âm."))
        return number


def reviewer_groups(user: User):
    """The units where ``user`` is a reviewer: a district (before 7/2025) or a province."""
    reviewed = Membership.objects.filter(user=user, role=Role.REVIEWER).values("unit_id")
    return AdministrativeUnit.objects.filter(pk__in=reviewed, level__in=[Level.DISTRICT, Level.PROVINCE])


class RoundCreateForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Năm đánh giá"), min_value=2000, max_value=2100)
    group = forms.ModelChoiceField(
        label=gettext_lazy("Nhóm xếp hạng"), queryset=AdministrativeUnit.objects.none(), empty_label=None
    )
    framework = forms.ModelChoiceField(
        label=gettext_lazy("Bộ chỉ số"), queryset=Framework.objects.none(), empty_label=None
    )
    self_deadline = forms.DateField(
        label=gettext_lazy("Hạn tự chấm"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        groups = reviewer_groups(user).select_related("parent")
        self.fields["group"].queryset = groups
        ancestors = Q(pk__in=groups.values("pk")) | Q(pk__in=groups.values("parent_id"))
        self.fields["framework"].queryset = Framework.objects.filter(
            issuer__in=AdministrativeUnit.objects.filter(ancestors)
        ).select_related("issuer")
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name in ("group", "framework") else "form-control"
        # No framework issued for the reviewer's groups: say what is missing and where it comes
        # from, instead of a bare "required" under an empty list.
        self.missing_framework = (
            self.no_framework_message(groups) if not self.fields["framework"].queryset.exists() else ""
        )
        if self.missing_framework:
            self.fields["framework"].required = False
            self.fields["framework"].disabled = True

    @staticmethod
    def no_framework_message(groups) -> str:
        names = ", ".join(group.name for group in groups) or _("nhóm xếp hạng của anh/chị")
        return _(
            "Chưa có bộ chỉ số nào áp dụng cho %(groups)s, nên chưa mở được đợt đánh giá. Bộ chỉ số do "
            "UBND tỉnh ban hành được quản trị viên của tỉnh nhập từ tệp Excel theo mẫu, ở trang “Bộ chỉ "
            "số CCHC”, mục “Nhập bộ chỉ số”; khi đã nhập, bộ chỉ số hiện trong ô “Bộ chỉ số” của trang này."
        ) % {"groups": names}

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] += " is-invalid"
                widget.attrs.update({"aria-invalid": "true", "aria-describedby": f"id_{name}-error"})

    def clean(self):
        data = super().clean()
        if self.missing_framework:
            raise forms.ValidationError(self.missing_framework)
        framework, group, year = data.get("framework"), data.get("group"), data.get("year")
        if framework and year and not framework.year_from <= year <= framework.year_to:
            self.add_error(
                "framework",
                _("Bộ chỉ số “%(name)s” áp dụng cho các năm %(years)s, không áp dụng cho năm %(year)s.")
                % {"name": framework.name, "years": framework.years_label, "year": year},
            )
        if framework and group and framework.issuer_id not in (group.pk, group.parent_id):
            self.add_error(
                "framework",
                _("Bộ chỉ số “%(name)s” do %(issuer)s ban hành, không áp dụng cho %(group)s.")
                % {"name": framework.name, "issuer": framework.issuer.name, "group": group.name},
            )
        return data


class LeafForm(forms.Form):
    appraised_score = PointsField(label=gettext_lazy("Điểm thẩm định"), required=False)
    comment = forms.CharField(
        label=gettext_lazy("Ý kiến thẩm định"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    override_reason = forms.CharField(
        label=gettext_lazy("Lý do sửa điểm tự động"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    explanation_requested = forms.BooleanField(label=gettext_lazy("Yêu cầu giải trình"), required=False)
    not_applicable = forms.BooleanField(label=gettext_lazy("Không áp dụng"), required=False)


class AdjustmentForm(forms.Form):
    points = PointsField(
        label=gettext_lazy("Điểm (dương là điểm thưởng, âm là điểm trừ)"), allow_negative=True
    )
    reason = forms.CharField(label=gettext_lazy("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Lý do mở lại"), widget=forms.Textarea(attrs={"rows": 2}))


class SurveyUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp Excel điểm khảo sát (.xlsx)"))


def survey_field_name(assessment_id: int, criterion_id: int) -> str:
    return f"survey-{assessment_id}-{criterion_id}"
