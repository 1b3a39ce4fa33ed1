"""The arithmetic of form Biểu số 06/VPCP/KSTT and the figures reported beside it (DOMAIN.md §1).

Pure Python (Django only translates the messages): a report line, a commune's total and a
reviewer's total are all ``Figures``.
Totals and rates are computed here and never typed.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from core.formatting import format_number
from core.formatting import format_number as n


@dataclass(frozen=True)
class Column:
    name: str
    label: str | Promise
    group: str | Promise
    bieu_06: int | None = None  # the column number on the official form


# Marked for translation but left plain str: dossiers/exports.py writes them into spreadsheet cells,
# which take no lazy strings. ``Column.group`` carries their translation.
GROUP_RECEIVED = gettext_noop("Số hồ sơ nhận giải quyết")
GROUP_RESOLVED = gettext_noop("Số hồ sơ đã giải quyết")
GROUP_PENDING = gettext_noop("Số hồ sơ đang giải quyết")
GROUP_OTHER = gettext_noop("Chỉ tiêu khác")
_RECEIVED, _RESOLVED = gettext_lazy(GROUP_RECEIVED), gettext_lazy(GROUP_RESOLVED)
_PENDING, _OTHER = gettext_lazy(GROUP_PENDING), gettext_lazy(GROUP_OTHER)

# The figures typed or imported, in the order of the entry grid.
COLUMNS: tuple[Column, ...] = (
    Column("received_online", gettext_lazy("Trực tuyến"), _RECEIVED, 4),
    Column("received_in_person", gettext_lazy("Trực tiếp"), _RECEIVED),
    Column("received_postal", gettext_lazy("Dịch vụ bưu chính"), _RECEIVED),
    Column("carried_over", gettext_lazy("Từ kỳ trước"), _RECEIVED, 6),
    Column("resolved_early", gettext_lazy("Trước hạn"), _RESOLVED, 8),
    Column("resolved_on_time", gettext_lazy("Đúng hạn"), _RESOLVED, 9),
    Column("resolved_late", gettext_lazy("Quá hạn"), _RESOLVED, 10),
    Column("pending_in_time", gettext_lazy("Trong hạn"), _PENDING, 12),
    Column("pending_overdue", gettext_lazy("Quá hạn"), _PENDING, 13),
    Column("online_payments", gettext_lazy("Thanh toán trực tuyến"), _OTHER),
    Column("dossiers_with_fees", gettext_lazy("Hồ sơ có thu phí, lệ phí"), _OTHER),
    Column("digitised_results", gettext_lazy("Kết quả được số hóa"), _OTHER),
    Column("apology_letters", gettext_lazy("Thư xin lỗi (hồ sơ trễ hẹn)"), _OTHER),
    Column("pakn_received", gettext_lazy("PAKN tiếp nhận"), _OTHER),
    Column("pakn_resolved", gettext_lazy("PAKN đã giải quyết"), _OTHER),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)

# The largest figure one cell may hold: one commune, one lĩnh vực, one period (at most a year). The
# busiest commune-level one-stop office handles some tens of thousands of dossiers a year, so this
# leaves ten times that and more; it is 2.147 times below PostgreSQL's integer (2.147.483.647), so a
# row's total of 15 figures or a year of 12 months summed in the database cannot overflow either
# (PostgreSQL sums integers as bigint anyway). Checked by the grid, the importer and the services.
MAX_FIGURE = 1_000_000
LABELS = {column.name: column.label for column in COLUMNS}


def _rate(numerator: int, denominator: int) -> Decimal | None:
    """A percentage, or None when there is no base to take it of (not 0%)."""
    if not denominator:
        return None
    return Decimal(numerator) * 100 / Decimal(denominator)


def _rate_text(value: Decimal | None) -> str:
    return "" if value is None else f"{format_number(value, 2)}%"


@dataclass(frozen=True)
class Figures:
    received_online: int = 0
    received_in_person: int = 0
    received_postal: int = 0
    carried_over: int = 0
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    pending_in_time: int = 0
    pending_overdue: int = 0
    online_payments: int = 0
    dossiers_with_fees: int = 0
    digitised_results: int = 0
    apology_letters: int = 0
    pakn_received: int = 0
    pakn_resolved: int = 0

    @classmethod
    def of(cls, source) -> Figures:
        """The figures of any object (a report line, a form's cleaned data) with the column names."""
        get = source.get if isinstance(source, dict) else lambda name, default: getattr(source, name, default)
        return cls(**{name: get(name, 0) or 0 for name in COLUMN_NAMES})

    def __add__(self, other: Figures) -> Figures:
        return Figures(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    def replace(self, **values: int) -> Figures:
        return Figures(**{**{f.name: getattr(self, f.name) for f in fields(self)}, **values})

    # Biểu 06 totals
    @property
    def received_new(self) -> int:
        """Dossiers received in the period, by any channel (col 4 + col 5)."""
        return self.received_online + self.received_in_person + self.received_postal

    @property
    def received_in_person_or_postal(self) -> int:
        return self.received_in_person + self.received_postal  # col 5

    @property
    def received_total(self) -> int:
        return self.received_new + self.carried_over  # col 3

    @property
    def resolved_total(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late  # col 7

    @property
    def pending_total(self) -> int:
        return self.pending_in_time + self.pending_overdue  # col 11

    @property
    def late_total(self) -> int:
        """Dossiers past their deadline: resolved late, or still pending overdue."""
        return self.resolved_late + self.pending_overdue

    # Rates (DOMAIN.md "Rates")
    @property
    def online_rate(self) -> Decimal | None:
        return _rate(self.received_online, self.received_new)

    @property
    def on_time_rate(self) -> Decimal | None:
        return _rate(self.resolved_early + self.resolved_on_time, self.resolved_total)

    @property
    def late_rate(self) -> Decimal | None:
        return _rate(self.resolved_late, self.resolved_total)

    @property
    def payment_rate(self) -> Decimal | None:
        return _rate(self.online_payments, self.dossiers_with_fees)

    @property
    def digitised_rate(self) -> Decimal | None:
        return _rate(self.digitised_results, self.resolved_total)

    @property
    def online_rate_text(self) -> str:
        return _rate_text(self.online_rate)

    @property
    def on_time_rate_text(self) -> str:
        return _rate_text(self.on_time_rate)

    @property
    def late_rate_text(self) -> str:
        return _rate_text(self.late_rate)

    @property
    def payment_rate_text(self) -> str:
        return _rate_text(self.payment_rate)


# A figure larger than the one it is part of, one whole sentence per figure.
OVER_LIMIT = {
    "online_payments": gettext_lazy(
        "Số giao dịch thanh toán trực tuyến (%(value)s) lớn hơn số hồ sơ có thu phí, lệ phí (%(limit)s)."
    ),
    "pakn_resolved": gettext_lazy("Số PAKN đã giải quyết (%(value)s) lớn hơn số PAKN tiếp nhận (%(limit)s)."),
    "digitised_results": gettext_lazy(
        "Số kết quả được số hóa (%(value)s) lớn hơn số hồ sơ đã giải quyết (%(limit)s)."
    ),
    "apology_letters": gettext_lazy(
        "Số thư xin lỗi (%(value)s) lớn hơn số hồ sơ trễ hẹn (giải quyết quá hạn và đang quá hạn) "
        "(%(limit)s)."
    ),
}


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    field: str
    level: Level
    message: str


def check(figures: Figures) -> list[Problem]:
    """What cannot hold in ``figures`` (errors) and what is unusual but possible (warnings).

    Received = resolved + pending is only a warning: some one-stop software counts withdrawn
    dossiers elsewhere (DOMAIN.md §1).
    """
    problems = [
        Problem(
            name,
            Level.ERROR,
            _("%(label)s: số âm (%(value)s) không hợp lệ, hãy nhập số từ 0 trở lên.")
            % {"label": LABELS[name], "value": value},
        )
        for name in COLUMN_NAMES
        if (value := getattr(figures, name)) < 0
    ]
    problems += [
        Problem(
            name,
            Level.ERROR,
            _("%(label)s: %(value)s vượt quá giới hạn %(max)s.")
            % {"label": LABELS[name], "value": n(large), "max": n(MAX_FIGURE)},
        )
        for name in COLUMN_NAMES
        if (large := getattr(figures, name)) > MAX_FIGURE
    ]

    def over(name: str, limit: int) -> None:
        value = getattr(figures, name)
        if value > limit:
            problems.append(
                Problem(name, Level.ERROR, OVER_LIMIT[name] % {"value": n(value), "limit": n(limit)})
            )

    over("online_payments", figures.dossiers_with_fees)
    over("pakn_resolved", figures.pakn_received)
    over("digitised_results", figures.resolved_total)
    over("apology_letters", figures.late_total)

    settled = figures.resolved_total + figures.pending_total
    if figures.received_total != settled:
        problems.append(
            Problem(
                "received_total",
                Level.WARNING,
                _(
                    "Tổng số hồ sơ nhận giải quyết (%(received)s) khác số đã giải quyết cộng "
                    "đang giải quyết (%(resolved)s + %(pending)s = %(settled)s)."
                )
                % {
                    "received": n(figures.received_total),
                    "resolved": n(figures.resolved_total),
                    "pending": n(figures.pending_total),
                    "settled": n(settled),
                },
            )
        )
    return problems
