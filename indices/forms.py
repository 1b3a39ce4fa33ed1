"""Forms of the index pages: they read and normalise what was typed; services decide the rest."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import format_number

from .evidence import ACCEPT

# Above the points of any criterion or framework (a framework totals 100 or so).
POINTS_CEILING = Decimal(1_000_000)


def parse_points(text: str | Decimal | None) -> Decimal | None:
    """Points as typed: "1,75" and "1.75" are the same; empty is no score. Raises ValidationError."""
    if text is None or isinstance(text, Decimal):
        return text
    cleaned = str(text).strip().replace(" ", "")
    if not cleaned:
        return None
    if cleaned.count(",") + cleaned.count(".") > 1:
        raise ValidationError(_not_a_number(text), code="invalid")
    try:
        value = Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        raise ValidationError(_not_a_number(text), code="invalid") from None
    if not value.is_finite():
        raise ValidationError(_not_a_number(text), code="invalid")
    # Checked before any rounding or formatting: a number like 9E+99 cannot be written with two
    # decimals in Decimal's precision, and 1E-9999999 would round to 0 unseen.
    if abs(value) >= POINTS_CEILING:
        raise ValidationError(
            _("“%(text)s” lớn hơn điểm tối đa của mọi tiêu chí; hãy nhập một số, ví dụ 1,75.")
            % {"text": text},
            code="max_value",
        )
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(
            _("“%(text)s”: điểm chỉ có tối đa hai chữ số thập phân, ví dụ 1,75.") % {"text": text},
            code="invalid",
        )
    return value


def points_text(value: Decimal | None) -> str:
    """Points the Vietnamese way with no useless zeros: 3 → "3", 1.5 → "1,5", 1.75 → "1,75"."""
    if value is None:
        return ""
    text = format_number(value, 2)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def _not_a_number(text) -> str:
    return _("“%(text)s” không phải là số điểm. Hãy nhập một số, ví dụ 1,75.") % {"text": text}


class ScoreForm(forms.Form):
    """One leaf's self score and note. The prefix (``c<criterion pk>``) keeps ids unique on the page."""

    self_score = forms.CharField(label=gettext_lazy("Điểm tự chấm"), required=False, max_length=20)
    note = forms.CharField(
        label=gettext_lazy("Giải trình, ghi chú"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_self_score(self) -> Decimal | None:
        return parse_points(self.cleaned_data["self_score"])

    def clean_note(self) -> str:
        return self.cleaned_data["note"].strip()


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tải tệp kiểm chứng"),
        error_messages={
            "required": gettext_lazy("Hãy chọn một tệp để tải lên."),
            "empty": gettext_lazy("Tệp đã chọn rỗng, không có nội dung."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
