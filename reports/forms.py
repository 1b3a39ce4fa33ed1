"""Forms of the records (meetings, tasks, the yearly plan, the document register) and of the
filters of their lists. They validate and normalise; the services in ``services/records.py`` save.

The filters are plain forms rather than django-filter FilterSets: each filters one scoped
queryset by one or two values inside a selector, and an invalid value is ignored with a message.
"""

from __future__ import annotations

import datetime
import re
import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from communes.models import AdministrativeUnit, Office
from core.formatting import format_number

from .imports import document_type_from_symbol, duplicate_key, normalise_symbol
from .models import DirectiveDocument, DocumentType, MeetingKind, TaskStatus
from .text import MEETING_TEXT_MAX_CHARS, SHORT_TEXT_MAX_CHARS, SUMMARY_MAX_CHARS

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)


class DateField(forms.DateField):
    """A date typed or picked: ISO from the date picker, or dd/mm/yyyy as people write it."""

    widget = forms.DateInput

    default_error_messages = {
        "invalid": _("Ngày không hợp lệ: hãy nhập theo dạng ngày/tháng/năm, ví dụ 15/03/2024."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_FORMATS)
        kwargs.setdefault(
            "widget", forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
        )
        super().__init__(**kwargs)

    def clean(self, value):
        day = super().clean(value)
        if day is not None and not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(
                _("Ngày %(day)s nằm ngoài khoảng hợp lệ (từ năm 2000 đến năm 2100)."),
                params={"day": day.strftime("%d/%m/%Y")},
            )
        return day


SUBMISSION_TOKEN = "submission_token"
TOKEN_FORMAT = re.compile(r"[0-9a-f]{32}")


class SubmissionTokenField(forms.CharField):
    """The hidden one-time token of a create form (``services.submissions.create_once``): a new
    one each time the form is shown, the posted one when it is shown again with errors. Anything
    but 32 hexadecimal digits is no token."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, initial=secrets.token_hex(16), **kwargs)

    def to_python(self, value) -> str:
        value = super().to_python(value)
        return value if TOKEN_FORMAT.fullmatch(value) else ""


def with_submission_token(form: forms.BaseForm) -> forms.BaseForm:
    """``form`` (a create form) with its one-time token field added."""
    form.fields[SUBMISSION_TOKEN] = SubmissionTokenField()
    return form


def length_error(label, length: int, limit: int) -> forms.ValidationError:
    return forms.ValidationError(
        _("“%(field)s” dài %(length)s ký tự, quá giới hạn %(limit)s ký tự. Hãy rút gọn."),
        code="max_length",
        params={"field": label, "length": format_number(length), "limit": format_number(limit)},
    )


class LongTextField(forms.CharField):
    """A paragraph or a page of text with a length limit whose message names the field and both
    lengths. No ``maxlength`` on the textarea: a browser would cut a pasted text silently."""

    def __init__(self, *, limit: int, **kwargs):
        super().__init__(**kwargs)
        self.limit = limit

    def validate(self, value) -> None:
        super().validate(value)
        if len(value) > self.limit:
            raise length_error(self.label, len(value), self.limit)


def _text(label, *, required=True, max_length=None, rows=None, help_text=""):
    if rows:
        widget = forms.Textarea(attrs={"class": "form-control", "rows": rows})
        return LongTextField(
            label=label,
            required=required,
            limit=max_length or SHORT_TEXT_MAX_CHARS,
            widget=widget,
            help_text=help_text,
            strip=True,
        )
    widget = forms.TextInput(attrs={"class": "form-control"})
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=widget, help_text=help_text, strip=True
    )


def _select(**kwargs):
    return forms.Select(attrs={"class": "form-select", **kwargs})


class OfficeChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _("Bộ phận đã chọn không thuộc đơn vị này. Hãy chọn một bộ phận trong danh sách."),
    }

    def label_from_instance(self, obj: Office) -> str:
        return obj.name


def _office_field(unit: AdministrativeUnit, *, required: bool = False) -> OfficeChoiceField:
    return OfficeChoiceField(
        queryset=Office.objects.filter(unit=unit).order_by("position", "name"),
        required=required,
        label=_("Bộ phận"),
        empty_label=_("— Không chọn —"),
        widget=_select(),
    )


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại cuộc họp"), choices=MeetingKind.choices, widget=_select())
    title = _text(_("Tên cuộc họp"), max_length=300)
    held_on = DateField(label=_("Ngày họp"))
    place = _text(_("Địa điểm"), required=False, max_length=200)
    chair = _text(_("Người chủ trì"), max_length=150, help_text=_("Ví dụ: Chủ tịch UBND xã Đỗ An Chung"))
    attendees = _text(_("Thành phần tham dự"), required=False, rows=2)
    content = _text(_("Nội dung"), required=False, rows=5, max_length=MEETING_TEXT_MAX_CHARS)
    conclusions = _text(_("Kết luận"), required=False, rows=8, max_length=MEETING_TEXT_MAX_CHARS)

    FIELDS = ("kind", "title", "held_on", "place", "chair", "attendees", "content", "conclusions")


class ConclusionTaskForm(forms.Form):
    """A task of a meeting: for one of the commune's offices, or a named person (or both)."""

    office = None  # set per unit in __init__
    assignee = _text(
        _("Người thực hiện"),
        required=False,
        max_length=150,
        help_text=_("Khi giao cho một người cụ thể thay vì một bộ phận."),
    )
    description = _text(_("Nhiệm vụ"), rows=3)
    due_on = DateField(label=_("Hạn hoàn thành"), required=False)
    status = forms.ChoiceField(
        label=_("Trạng thái"), choices=TaskStatus.choices, initial=TaskStatus.TODO, widget=_select()
    )
    completed_on = DateField(
        label=_("Ngày hoàn thành"), required=False, help_text=_("Để trống: lấy ngày hôm nay.")
    )
    completion_note = _text(_("Kết quả thực hiện"), required=False, rows=2)

    FIELDS = ("office", "assignee", "description", "due_on", "status", "completed_on", "completion_note")

    def __init__(self, *args, unit: AdministrativeUnit, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields = {"office": _office_field(unit), **self.fields}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("office") and not cleaned.get("assignee") and "office" not in self.errors:
            self.add_error(
                "office",
                _("Hãy chọn bộ phận được giao hoặc ghi tên người thực hiện (ít nhất một trong hai)."),
            )
        if cleaned.get("status") == TaskStatus.DONE:
            if cleaned.get("completed_on") is None and "completed_on" not in self.errors:
                cleaned["completed_on"] = self.today
            if cleaned.get("completed_on") and cleaned["completed_on"] > self.today:
                self.add_error("completed_on", _("Ngày hoàn thành không thể sau ngày hôm nay."))
        elif cleaned.get("completed_on"):
            self.add_error(
                "completed_on",
                _("Chỉ ghi ngày hoàn thành khi nhiệm vụ đã hoàn thành; hãy chọn trạng thái “Đã hoàn thành”."),
            )
        return cleaned


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=TaskStatus.choices,
        error_messages={"invalid_choice": _("Trạng thái không hợp lệ.")},
    )


class PlanForm(forms.Form):
    year = forms.IntegerField(
        label=_("Năm"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
        error_messages={
            "invalid": _("Năm phải là một số, ví dụ 2024."),
            "min_value": _("Năm phải từ 2000 trở đi."),
            "max_value": _("Năm phải trước 2100."),
        },
    )
    number_symbol = _text(_("Số, ký hiệu"), required=False, max_length=40, help_text=_("Ví dụ: 24/KH-UBND"))
    issued_on = DateField(label=_("Ngày ban hành"), required=False)
    title = _text(_("Trích yếu"), required=False, max_length=300)

    FIELDS = ("year", "number_symbol", "issued_on", "title")

    def __init__(self, *args, year_fixed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if year_fixed:
            del self.fields["year"]

    def clean_number_symbol(self) -> str:
        return normalise_symbol(self.cleaned_data["number_symbol"])


class PlanTaskForm(forms.Form):
    office = None
    description = _text(_("Nhiệm vụ"), rows=2)
    due_on = DateField(label=_("Thời hạn"), required=False)
    done = forms.BooleanField(
        label=_("Đã hoàn thành"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    done_on = DateField(label=_("Ngày hoàn thành"), required=False)
    note = _text(_("Ghi chú"), required=False, rows=2)

    FIELDS = ("description", "office", "due_on", "done", "done_on", "note")

    def __init__(self, *args, unit: AdministrativeUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"] = _office_field(unit)
        self.order_fields(self.FIELDS)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("done_on") and not cleaned.get("done"):
            self.add_error("done_on", _("Chỉ ghi ngày hoàn thành khi đánh dấu “Đã hoàn thành”."))
        return cleaned


class DocumentForm(forms.Form):
    number_symbol = _text(_("Số, ký hiệu"), max_length=40, help_text=_("Ví dụ: 03/KH-UBND"))
    issued_on = DateField(label=_("Ngày ban hành"))
    type_code = forms.ChoiceField(
        label=_("Loại văn bản"),
        required=False,
        choices=[("", _("— Theo ký hiệu —")), *DocumentType.choices],
        widget=_select(),
        help_text=_("Để trống: đọc từ ký hiệu (03/KH-UBND là kế hoạch)."),
        error_messages={"invalid_choice": _("Loại văn bản không hợp lệ.")},
    )
    summary = _text(_("Trích yếu"), rows=3, max_length=SUMMARY_MAX_CHARS)

    FIELDS = ("number_symbol", "issued_on", "type_code", "summary")

    def __init__(self, *args, unit: AdministrativeUnit, document_pk: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.document_pk = document_pk

    def clean_number_symbol(self) -> str:
        return normalise_symbol(self.cleaned_data["number_symbol"])

    def clean(self):
        cleaned = super().clean()
        symbol = cleaned.get("number_symbol")
        day = cleaned.get("issued_on")
        if symbol and day:
            others = DirectiveDocument.objects.filter(unit=self.unit, issued_on__year=day.year)
            if self.document_pk:
                others = others.exclude(pk=self.document_pk)
            key = duplicate_key(symbol, day)
            for other_symbol, other_day in others.values_list("number_symbol", "issued_on"):
                if duplicate_key(other_symbol, other_day) == key:
                    self.add_error(
                        "number_symbol",
                        _("Văn bản %(symbol)s năm %(year)s đã có trong sổ (ngày %(day)s).")
                        % {"symbol": symbol, "year": day.year, "day": other_day.strftime("%d/%m/%Y")},
                    )
                    break
        if symbol and not cleaned.get("type_code") and "type_code" not in self.errors:
            code = document_type_from_symbol(symbol)
            if code is None:
                self.add_error(
                    "type_code",
                    _("Không đọc được loại văn bản từ ký hiệu “%(symbol)s”: hãy chọn loại văn bản.")
                    % {"symbol": symbol},
                )
            else:
                cleaned["type_code"] = code
        return cleaned


# Filters -----------------------------------------------------------------------------------------


class TrackerFilterForm(forms.Form):
    office = None
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả")), *TaskStatus.choices],
        widget=_select(),
    )
    qua_han = forms.BooleanField(
        label=_("Chỉ nhiệm vụ quá hạn"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, unit: AdministrativeUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"] = _office_field(unit)
        self.fields["office"].empty_label = _("Tất cả bộ phận")
        self.order_fields(["office", "status", "qua_han"])


class RegisterFilterForm(forms.Form):
    nam = forms.TypedChoiceField(
        label=_("Năm"), required=False, coerce=int, empty_value=None, widget=_select()
    )
    loai = forms.ChoiceField(
        label=_("Loại"), required=False, choices=[("", _("Tất cả")), *DocumentType.choices], widget=_select()
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nam"].choices = [("", _("Tất cả")), *((y, str(y)) for y in years)]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
        error_messages={"required": _("Hãy chọn tệp Excel để tải lên.")},
    )
