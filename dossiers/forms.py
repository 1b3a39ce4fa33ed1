"""The entry grid of Biểu 06 as a form: one text input per lĩnh vực and column."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.formatting import format_number

from .figures import COLUMN_NAMES, COLUMNS, LABELS, MAX_FIGURE, Figures, Level, Problem, check
from .models import ProcedureField

# "1292", "1.292", "1 292", "12.345.678"; blank is 0.
NUMBER = re.compile(r"^(\d+|\d{1,3}([.\s]\d{3})+)$")


# More digits than this is above any bound: not converted (Python refuses int() of 4.300 digits).
MAX_DIGITS = 15


class FigureTooLarge(ValueError):
    """A whole number far above ``MAX_FIGURE``; ``shown`` is how it is written back in the message."""

    def __init__(self, shown: str):
        self.shown = shown
        super().__init__(shown)


def parse_figure(text: str) -> int:
    """Read a figure as people type it; raise ValueError with a Vietnamese message otherwise, and
    ``FigureTooLarge`` for a number of too many digits to convert. The form bounds the value and
    names the cell."""
    text = (text or "").strip()
    if not text:
        return 0
    if text.startswith("-") and NUMBER.match(text[1:]):
        raise ValueError(gettext("“%(text)s” là số âm: hãy nhập số từ 0 trở lên.") % {"text": text})
    if not NUMBER.match(text):
        raise ValueError(
            gettext("“%(text)s” không phải số nguyên: hãy nhập chữ số, ví dụ 1.292.") % {"text": text}
        )
    digits = re.sub(r"[.\s]", "", text)
    if len(digits.lstrip("0")) > MAX_DIGITS:
        raise FigureTooLarge(f"{text[:20]}…")
    return int(digits)


GROUPS = {column.name: column.group for column in COLUMNS}
# A label that two columns share ("Quá hạn": resolved late, pending overdue) names its group too.
_SHARED_LABELS = {
    str(label) for label in LABELS.values() if list(map(str, LABELS.values())).count(str(label)) > 1
}


def cell_where(field: ProcedureField, column: str) -> str:
    """Where a cell is, for a person: "Hộ tịch – Trực tuyến", "Đất đai – Quá hạn (Số hồ sơ đang giải
    quyết)" for a label that two columns share."""
    label = str(LABELS[column])
    if label in _SHARED_LABELS:
        label = gettext("%(column)s (%(group)s)") % {"column": label, "group": GROUPS[column]}
    return gettext("%(field)s – %(column)s") % {"field": field.name, "column": label}


def cell_name(field_id: int, column: str) -> str:
    return f"c-{field_id}-{column}"


class EntryForm(forms.Form):
    """Validates the whole grid: every cell a figure, every row consistent.

    Errors are attached to the cell that caused them; warnings (an unbalanced row) are kept
    in ``warnings`` and need a confirmation only when the report is submitted.
    """

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    confirm_warnings = forms.BooleanField(
        required=False, label=_("Tôi đã kiểm tra: số liệu đúng dù tổng nhận chưa bằng đã và đang giải quyết.")
    )

    def __init__(self, *args, fields: list[ProcedureField], **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure_fields = fields
        self.warnings: dict[int, list[Problem]] = {}
        for field in fields:
            for column in COLUMN_NAMES:
                label = gettext("%(field)s – %(column)s") % {"field": field.name, "column": LABELS[column]}
                self.fields[cell_name(field.pk, column)] = forms.CharField(
                    required=False,
                    label=label,
                    widget=forms.TextInput(
                        # The grid shows no <label> per cell: this is the cell's name for screen readers.
                        attrs={
                            "aria-label": label,
                            "inputmode": "numeric",
                            "autocomplete": "off",
                            "class": "form-control figure",
                        }
                    ),
                )

    def clean(self):
        cleaned = super().clean()
        self._lines: dict[int, Figures] = {}
        for field in self.procedure_fields:
            values, readable = {}, True
            for column in COLUMN_NAMES:
                name = cell_name(field.pk, column)
                try:
                    value = parse_figure(self.data.get(self.add_prefix(name), ""))
                    if value > MAX_FIGURE:
                        raise FigureTooLarge(format_number(value))
                    values[column] = value
                except FigureTooLarge as error:
                    self.add_error(name, self._too_large(field, column, error.shown))
                    readable = False
                except ValueError as error:
                    self.add_error(name, str(error))
                    readable = False
            if not readable:
                continue
            figures = Figures(**values)
            self._lines[field.pk] = figures
            for problem in check(figures):
                if problem.level == Level.ERROR:
                    self.add_error(cell_name(field.pk, problem.field), problem.message)
                else:
                    self.warnings.setdefault(field.pk, []).append(problem)
        return cleaned

    @staticmethod
    def _too_large(field: ProcedureField, column: str, shown: str) -> str:
        message = gettext(
            "Ô “%(group)s – %(column)s” của lĩnh vực %(field)s: %(value)s vượt quá giới hạn %(max)s."
        )
        return message % {
            "group": GROUPS[column],
            "column": LABELS[column],
            "field": field.name,
            "value": shown,
            "max": format_number(MAX_FIGURE),
        }

    def cell_errors(self) -> list[dict]:
        """The refused cells in the order of the grid (row by row, left to right): where each is,
        its message and the id of its input, for the list above the grid."""
        found = []
        for field in self.procedure_fields:
            for column in COLUMN_NAMES:
                name = cell_name(field.pk, column)
                for message in self.errors.get(name, []):
                    found.append(
                        {"id": self[name].auto_id, "where": cell_where(field, column), "message": message}
                    )
        return found

    def lines(self) -> dict[int, Figures]:
        """The figures per lĩnh vực id; only after ``is_valid()``."""
        return self._lines

    @staticmethod
    def initial_for(fields: list[ProcedureField], lines: dict[int, Figures], version: int) -> dict:
        initial = {"version": version}
        for field in fields:
            figures = lines.get(field.pk, Figures())
            for column in COLUMN_NAMES:
                value = getattr(figures, column)
                initial[cell_name(field.pk, column)] = f"{value:,}".replace(",", ".") if value else ""
        return initial
