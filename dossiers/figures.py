"""The arithmetic of form Biểu số 06/VPCP/KSTT and the figures reported beside it (DOMAIN.md §1).

Pure Python: a report line, a commune's total and a reviewer's total are all ``Figures``.
Totals and rates are computed here and never typed.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from enum import StrEnum

from core.formatting import format_number
from core.formatting import format_number as n


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    group: str
    bieu_06: int | None = None  # the column number on the official form


GROUP_RECEIVED = "Số hồ sơ nhận giải quyết"
GROUP_RESOLVED = "Số hồ sơ đã giải quyết"
GROUP_PENDING = "Số hồ sơ đang giải quyết"
GROUP_OTHER = "Chỉ tiêu khác"

# The figures typed or imported, in the order of the entry grid.
COLUMNS: tuple[Column, ...] = (
    Column("received_online", "Trực tuyến", GROUP_RECEIVED, 4),
    Column("received_in_person", "Trực tiếp", GROUP_RECEIVED),
    Column("received_postal", "Dịch vụ bưu chính", GROUP_RECEIVED),
    Column("carried_over", "Từ kỳ trước", GROUP_RECEIVED, 6),
    Column("resolved_early", "Trước hạn", GROUP_RESOLVED, 8),
    Column("resolved_on_time", "Đúng hạn", GROUP_RESOLVED, 9),
    Column("resolved_late", "Quá hạn", GROUP_RESOLVED, 10),
    Column("pending_in_time", "Trong hạn", GROUP_PENDING, 12),
    Column("pending_overdue", "Quá hạn", GROUP_PENDING, 13),
    Column("online_payments", "Thanh toán trực tuyến", GROUP_OTHER),
    Column("dossiers_with_fees", "Hồ sơ có thu phí, lệ phí", GROUP_OTHER),
    Column("digitised_results", "Kết quả được số hóa", GROUP_OTHER),
    Column("apology_letters", "Thư xin lỗi (hồ sơ trễ hẹn)", GROUP_OTHER),
    Column("pakn_received", "PAKN tiếp nhận", GROUP_OTHER),
    Column("pakn_resolved", "PAKN đã giải quyết", GROUP_OTHER),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
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


SENTENCES = {
    "online_payments": "Số giao dịch thanh toán trực tuyến",
    "pakn_resolved": "Số PAKN đã giải quyết",
    "digitised_results": "Số kết quả được số hóa",
    "apology_letters": "Số thư xin lỗi",
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
        Problem(name, Level.ERROR, f"{LABELS[name]}: số âm ({value}) không hợp lệ, hãy nhập số từ 0 trở lên.")
        for name in COLUMN_NAMES
        if (value := getattr(figures, name)) < 0
    ]

    def over(name: str, limit: int, limit_label: str) -> None:
        value = getattr(figures, name)
        if value > limit:
            problems.append(
                Problem(
                    name, Level.ERROR, f"{SENTENCES[name]} ({n(value)}) lớn hơn {limit_label} ({n(limit)})."
                )
            )

    over("online_payments", figures.dossiers_with_fees, "số hồ sơ có thu phí, lệ phí")
    over("pakn_resolved", figures.pakn_received, "số PAKN tiếp nhận")
    over("digitised_results", figures.resolved_total, "số hồ sơ đã giải quyết")
    over("apology_letters", figures.late_total, "số hồ sơ trễ hẹn (giải quyết quá hạn và đang quá hạn)")

    settled = figures.resolved_total + figures.pending_total
    if figures.received_total != settled:
        problems.append(
            Problem(
                "received_total",
                Level.WARNING,
                f"Tổng số hồ sơ nhận giải quyết ({n(figures.received_total)}) khác số đã giải quyết cộng "
                f"đang giải quyết ({n(figures.resolved_total)} + {n(figures.pending_total)} = {n(settled)}).",
            )
        )
    return problems
