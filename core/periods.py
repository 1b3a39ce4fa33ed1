"""Reporting periods and their dates (DOMAIN.md, "Reporting periods").

Syntax everywhere (DESIGN.md): ``2024-03`` (month), ``2024-Q1``, ``2024-H1``, ``2024-9M``,
``2024`` (year). A period's dates depend on the province's calendar:

- regulatory (Nghị định 09/2019/NĐ-CP): a month runs from the 15th of the month before to the
  14th; a quarter from the 15th of the month before it to the 14th of its last month; the 6 months
  from 15/12 of the year before to 14/6; the 9 months to 14/9; the year from 15/12 to 14/12;
- calendar: months, quarters and years as on the calendar (the national service index, QĐ 766).

Every longer period is made of months, so its figures can be summed from theirs.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _


class Kind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    NINE_MONTHS = "9m"
    YEAR = "year"


class Calendar(StrEnum):
    REGULATORY = "regulatory"
    CALENDAR = "calendar"


class PeriodSyntaxError(ValueError):
    """A period written in a way the portal does not read; the message says what would be right."""


SYNTAX = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])|H(?P<half>[12])|(?P<nine>9M)))?$"
)
MONTHS_OF = {
    Kind.MONTH: 1,
    Kind.QUARTER: 3,
    Kind.HALF: 6,
    Kind.NINE_MONTHS: 9,
    Kind.YEAR: 12,
}


@dataclass(frozen=True)
class Period:
    year: int
    kind: Kind
    number: int = 1

    def __post_init__(self) -> None:
        limits = {Kind.MONTH: 12, Kind.QUARTER: 4, Kind.HALF: 2, Kind.NINE_MONTHS: 1, Kind.YEAR: 1}
        if not 1 <= self.number <= limits[self.kind]:
            raise PeriodSyntaxError(
                _("Kỳ %(kind)s số %(number)s không tồn tại.") % {"kind": self.kind, "number": self.number}
            )
        if not 2000 <= self.year <= 2100:
            raise PeriodSyntaxError(_("Năm %(year)s nằm ngoài khoảng 2000–2100.") % {"year": self.year})

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read ``2024-03``, ``2024-Q1``, ``2024-H1``, ``2024-9M`` or ``2024``."""
        match = SYNTAX.match(text.strip().upper()) if isinstance(text, str) else None
        if match is None:
            raise PeriodSyntaxError(
                _(
                    "Kỳ báo cáo “%(text)s” không đúng mẫu: viết 2024-03 (tháng), 2024-Q1 (quý), "
                    "2024-H1 (6 tháng), 2024-9M (9 tháng) hoặc 2024 (năm)."
                )
                % {"text": text}
            )
        year = int(match["year"])
        if match["month"]:
            month = int(match["month"])
            if not 1 <= month <= 12:
                raise PeriodSyntaxError(
                    _("Tháng %(month)s không tồn tại: tháng viết từ 01 đến 12.") % {"month": match["month"]}
                )
            return cls(year, Kind.MONTH, month)
        if match["quarter"]:
            return cls(year, Kind.QUARTER, int(match["quarter"]))
        if match["half"]:
            return cls(year, Kind.HALF, int(match["half"]))
        if match["nine"]:
            return cls(year, Kind.NINE_MONTHS)
        return cls(year, Kind.YEAR)

    @property
    def code(self) -> str:
        suffix = {
            Kind.MONTH: f"-{self.number:02d}",
            Kind.QUARTER: f"-Q{self.number}",
            Kind.HALF: f"-H{self.number}",
            Kind.NINE_MONTHS: "-9M",
            Kind.YEAR: "",
        }[self.kind]
        return f"{self.year}{suffix}"

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        """How a report names it: "tháng 3/2024", "quý I/2024", "6 tháng đầu năm 2024"."""
        if self.kind == Kind.MONTH:
            return _("tháng %(month)s/%(year)s") % {"month": self.number, "year": self.year}
        if self.kind == Kind.QUARTER:
            return _("quý %(quarter)s/%(year)s") % {
                "quarter": ["I", "II", "III", "IV"][self.number - 1],
                "year": self.year,
            }
        if self.kind == Kind.HALF:
            if self.number == 1:
                return _("6 tháng đầu năm %(year)s") % {"year": self.year}
            return _("6 tháng cuối năm %(year)s") % {"year": self.year}
        if self.kind == Kind.NINE_MONTHS:
            return _("9 tháng năm %(year)s") % {"year": self.year}
        return _("năm %(year)s") % {"year": self.year}

    @property
    def first_month(self) -> int:
        if self.kind == Kind.MONTH:
            return self.number
        if self.kind in (Kind.QUARTER, Kind.HALF):
            return (self.number - 1) * MONTHS_OF[self.kind] + 1
        return 1

    def months(self) -> list[Period]:
        """The months this period is made of, in order."""
        first = self.first_month
        return [Period(self.year, Kind.MONTH, month) for month in range(first, first + MONTHS_OF[self.kind])]

    def dates(self, calendar_kind: Calendar = Calendar.REGULATORY) -> tuple[datetime.date, datetime.date]:
        """First and last day of the period under the province's calendar."""
        months = self.months()
        return _month_dates(months[0], calendar_kind)[0], _month_dates(months[-1], calendar_kind)[1]


def _month_dates(month: Period, calendar_kind: Calendar) -> tuple[datetime.date, datetime.date]:
    if calendar_kind == Calendar.CALENDAR:
        last_day = calendar.monthrange(month.year, month.number)[1]
        return datetime.date(month.year, month.number, 1), datetime.date(month.year, month.number, last_day)
    previous_year, previous_month = (
        (month.year - 1, 12) if month.number == 1 else (month.year, month.number - 1)
    )
    return datetime.date(previous_year, previous_month, 15), datetime.date(month.year, month.number, 14)
