"""Forms of the report composer: what to compose, the document's facts, a section's text.

They validate and normalise; the services store.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import periods
from core.formatting import format_number

from .forms import LongTextField
from .models import Meeting, Report, ReportKind
from .text import BODY_MAX_CHARS, SHORT_TEXT_MAX_CHARS, clean


class ComposeForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Loại báo cáo"))
    period = forms.CharField(
        label=gettext_lazy("Kỳ báo cáo"),
        required=False,
        max_length=12,
        help_text=gettext_lazy(
            "2024-H1 (6 tháng), 2023 (năm); với báo cáo giám sát, kỳ cuối như 2023-08 (đến hết tháng 8/2023)."
        ),
    )
    year_from = forms.IntegerField(
        label=gettext_lazy("Từ năm (báo cáo giám sát)"), required=False, min_value=2000, max_value=2100
    )
    meeting = forms.ModelChoiceField(
        label=gettext_lazy("Cuộc họp (thông báo kết luận)"), queryset=Meeting.objects.none(), required=False
    )

    def __init__(self, *args, kinds, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: f"{m.held_on:%d/%m/%Y} – {m.title}"
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            )
        if len(kinds) == 1:
            self.fields["meeting"].widget = forms.HiddenInput()
            self.fields["year_from"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind is None:
            return data
        if kind == ReportKind.CONCLUSION:
            if data.get("meeting") is None:
                self.add_error("meeting", _("Hãy chọn cuộc họp mà thông báo kết luận."))
            data["period"] = ""
            return data
        text = (data.get("period") or "").strip()
        if not text:
            self.add_error("period", _("Hãy nhập kỳ báo cáo, ví dụ 2024-H1 hoặc 2023."))
            return data
        try:
            period = periods.Period.parse(text)
        except periods.PeriodSyntaxError as error:
            self.add_error("period", str(error))
            return data
        data["period"] = period.code
        if kind == ReportKind.HALF_YEAR and period.kind != periods.Kind.HALF:
            self.add_error("period", _("Báo cáo sơ kết 6 tháng cần kỳ 6 tháng: 2024-H1 hoặc 2024-H2."))
        if kind == ReportKind.YEAR and period.kind != periods.Kind.YEAR:
            self.add_error("period", _("Báo cáo tổng kết năm cần kỳ là một năm, ví dụ 2023."))
        if kind == ReportKind.SUPERVISION:
            year_from = data.get("year_from")
            if year_from is None:
                self.add_error("year_from", _("Báo cáo giám sát cần năm bắt đầu, ví dụ 2021."))
            elif year_from > period.year:
                self.add_error(
                    "year_from",
                    _("Năm bắt đầu (%(first)s) không được sau năm của kỳ báo cáo (%(last)s).")
                    % {"first": year_from, "last": period.year},
                )
        return data


class FactsForm(forms.ModelForm):
    """The document's facts (Nghị định 30/2020): number, place and date, addressee, signer; and
    the draft's ``revision`` the page was opened at (optimistic locking)."""

    revision = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value"),
            gettext_lazy("Trang sửa thiếu thông tin lần lưu: hãy tải lại trang rồi sửa lại."),
        ),
    )
    recipients = LongTextField(
        label=gettext_lazy("Nơi nhận"),
        limit=SHORT_TEXT_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Mỗi dòng một nơi nhận."),
    )

    class Meta:
        model = Report
        fields = [
            "number",
            "place",
            "dated",
            "summary",
            "addressee",
            "signer_mode",
            "signer_title",
            "signer_name",
            "recipients",
        ]
        widgets = {
            "dated": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"].initial = self.instance.revision
        self.fields["number"].min_value = 1
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name == "signer_mode" else "form-control"
        self.fields["number"].help_text = _("Số gợi ý là số tiếp theo trong sổ văn bản của năm.")

    def clean_number(self):
        number = self.cleaned_data.get("number")
        if number is not None and number < 1:
            raise forms.ValidationError(_("Số văn bản là số nguyên dương, ví dụ 352."))
        return number

    def clean_recipients(self):
        lines = [line.strip() for line in (self.cleaned_data.get("recipients") or "").splitlines()]
        return "\n".join(line for line in lines if line)


class SectionForm(forms.Form):
    """A section's heading and body. The body is cleaned (``text.clean``) and then limited to
    ``BODY_MAX_CHARS``: the length stored, not the length of the markup the editor or a paste from
    Word sent (Django's 2,5 MB a request already bounds that). ``number`` is the section's place
    in the report, for the messages."""

    heading = forms.CharField(label=gettext_lazy("Tiêu đề"), required=False, max_length=300)
    body = forms.CharField(
        label=gettext_lazy("Nội dung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "data-editor-source": ""}),
    )

    def __init__(self, *args, number: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.number = number
        self.fields["heading"].widget.attrs["class"] = "form-control"
        self.fields["body"].widget.attrs["class"] = "form-control font-monospace"

    def clean_body(self):
        body = clean(self.cleaned_data.get("body") or "")
        if len(body) > BODY_MAX_CHARS:
            heading = (self.cleaned_data.get("heading") or self.initial.get("heading") or "").strip()
            params = {
                "number": self.number,
                "heading": heading,
                "length": format_number(len(body)),
                "limit": format_number(BODY_MAX_CHARS),
            }
            if heading:
                message = _(
                    "Nội dung phần %(number)s (“%(heading)s”) dài %(length)s ký tự sau khi làm sạch, quá "
                    "giới hạn %(limit)s ký tự. Hãy rút gọn hoặc chia sang phần khác."
                )
            else:
                message = _(
                    "Nội dung phần %(number)s dài %(length)s ký tự sau khi làm sạch, quá giới hạn "
                    "%(limit)s ký tự. Hãy rút gọn hoặc chia sang phần khác."
                )
            raise forms.ValidationError(message % params, code="max_length")
        return body
