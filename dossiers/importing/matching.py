"""A Biểu 06 file's identity (``identity.FileIdentity``) compared with the commune and period it is
imported for: an error naming both where the file names another, a warning where it names none, a
note where it names the same one another way (the other calendar, another level word).

Pure: the caller builds the ``Target`` from the database (``dossiers.importing.review``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core import periods
from core.xlsx import ImportProblem

from .form import ERROR, WARNING
from .identity import COMMUNE, DISTRICT, PROVINCE, FileIdentity, Place, Span, UnitLine, name_key


@dataclass(frozen=True)
class Target:
    """The commune and period a file is imported for, as the comparison needs them.

    ``name`` is the unit's name ("Xã Hoài Châu"); ``district`` and ``provinces`` the names it
    belongs to (a 2025 commune has no district; ``provinces`` also holds its province's
    predecessors); ``related`` the names of its predecessors and successors, which a file may name
    with the same words but another level word ("Thị trấn Tam Quan" for "Phường Tam Quan").
    """

    name: str
    current_era: bool
    district: str | None
    provinces: tuple[str, ...]
    related: tuple[str, ...]
    period: periods.Period
    calendar: periods.Calendar


@dataclass
class Checked:
    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def check_identity(identity: FileIdentity, target: Target) -> Checked:
    """Errors where the file names another unit or period than ``target``, warnings where it names
    none, and notes where it names the same one another way (the other calendar, another level
    word)."""
    checked = Checked()
    _check_units(identity, target, checked)
    _check_periods(identity, target, checked)
    return checked


def _problem(place: Place, message: str, level: str = ERROR) -> ImportProblem:
    return ImportProblem(place.sheet, place.row, place.column, message, level)


def _check_units(identity: FileIdentity, target: Target, checked: Checked) -> None:
    word, name = name_key(target.name)
    communes = [u for u in identity.units if u.level == COMMUNE]
    unnamed = [u for u in identity.units if u.level is None]
    for unit in communes + unnamed:
        if unit.name != name:
            message = _("Tệp ghi đơn vị “%(file)s”, nhưng đang nhập cho %(unit)s.") % {
                "file": unit.text,
                "unit": target.name,
            }
            # A name without a level word ("Đơn vị báo cáo: Bộ phận một cửa") may not be a unit at all.
            checked.problems.append(_problem(unit.place, message, ERROR if unit.word else WARNING))
        elif unit.word and unit.word != word:
            same_words = [r for r in target.related if name_key(r) == (unit.word, name)]
            if same_words:
                checked.problems.append(
                    _problem(
                        unit.place,
                        _(
                            "Tệp ghi đơn vị “%(file)s”, nhưng đang nhập cho %(unit)s: “%(other)s” là đơn vị "
                            "khác (trước hoặc sau sắp xếp đơn vị hành chính), dù cùng tên."
                        )
                        % {"file": unit.text, "unit": target.name, "other": same_words[0]},
                    )
                )
            else:
                checked.notes.append(
                    _("Tệp ghi đơn vị “%(file)s”; coi là %(unit)s (cùng tên, khác chữ xã/phường/thị trấn).")
                    % {"file": unit.text, "unit": target.name}
                )
    for unit in identity.units:
        if unit.level in (DISTRICT, PROVINCE, "city"):
            _check_above(unit, target, checked)
    if not communes and not unnamed:
        above = identity.units[0].text if identity.units else None
        if above:
            message = _(
                "Tệp chỉ ghi “%(file)s”, không ghi tên xã, phường ở phần đầu: không kiểm tra được tệp có "
                "đúng là của %(unit)s không. Hãy xem lại trước khi xác nhận."
            ) % {"file": above, "unit": target.name}
            checked.problems.append(_problem(identity.units[0].place, message, WARNING))
        else:
            checked.problems.append(
                ImportProblem(
                    identity.sheet,
                    None,
                    None,
                    _(
                        "Phần đầu tệp không ghi đơn vị báo cáo (dòng “UBND XÃ …” hoặc “Đơn vị báo cáo: …”): "
                        "không kiểm tra được tệp có đúng là của %(unit)s không. Hãy xem lại trước khi xác "
                        "nhận."
                    )
                    % {"unit": target.name},
                    WARNING,
                )
            )


def _check_above(unit: UnitLine, target: Target, checked: Checked) -> None:
    """A district or province line: the target's own, else an error naming both."""
    if unit.level == DISTRICT and target.current_era:
        checked.problems.append(
            _problem(
                unit.place,
                _(
                    "Tệp ghi đơn vị “%(file)s” (cấp huyện, không còn từ ngày 1/7/2025), nhưng đang nhập cho "
                    "%(unit)s, đơn vị sau sắp xếp: tệp này là của đơn vị cũ."
                )
                % {"file": unit.text, "unit": target.name},
            )
        )
        return
    candidates = []
    if unit.level in (DISTRICT, "city") and target.district:
        candidates.append(target.district)
    if unit.level in (PROVINCE, "city"):
        candidates.extend(target.provinces)
    if not candidates or any(name_key(c)[1] == unit.name for c in candidates):
        return
    checked.problems.append(
        _problem(
            unit.place,
            _("Tệp ghi đơn vị “%(file)s”, nhưng %(unit)s thuộc %(above)s.")
            % {"file": unit.text, "unit": target.name, "above": candidates[0]},
        )
    )


def _check_periods(identity: FileIdentity, target: Target, checked: Checked) -> None:
    period = target.period
    months = period.months()
    wanted = Span(period.year, months[0].number, months[-1].number)
    own = period.dates(target.calendar)
    other_calendar = (
        periods.Calendar.CALENDAR
        if target.calendar == periods.Calendar.REGULATORY
        else periods.Calendar.REGULATORY
    )
    other = period.dates(other_calendar)
    for line in identity.periods:
        if line.span is not None:
            span = line.span
            same = (span.first, span.last) == (wanted.first, wanted.last) and span.year in (None, wanted.year)
            if not same:
                checked.problems.append(
                    _problem(
                        line.place,
                        _("Tệp ghi kỳ “%(file)s”, nhưng đang nhập cho %(period)s.")
                        % {"file": line.text, "period": period.label},
                    )
                )
            elif span.year is None:
                checked.problems.append(
                    _problem(
                        line.place,
                        _("Tệp ghi kỳ “%(file)s” mà không ghi năm: không kiểm tra được năm %(year)s.")
                        % {"file": line.text, "year": period.year},
                        WARNING,
                    )
                )
            continue
        if line.dates == own:
            continue
        if line.dates == other:
            checked.notes.append(
                _(
                    "Tệp ghi “%(file)s”, tức %(period)s tính theo %(calendar)s; tỉnh tính %(period)s từ ngày "
                    "%(first)s đến ngày %(last)s. Coi là cùng kỳ."
                )
                % {
                    "file": line.text,
                    "period": period.label,
                    "calendar": _calendar_name(other_calendar),
                    "first": f"{own[0]:%d/%m/%Y}",
                    "last": f"{own[1]:%d/%m/%Y}",
                }
            )
            continue
        named = period_of_dates(line.dates)
        values = {
            "file": line.text,
            "period": period.label,
            "first": f"{own[0]:%d/%m/%Y}",
            "last": f"{own[1]:%d/%m/%Y}",
        }
        if named is not None:
            message = _(
                "Tệp ghi kỳ “%(file)s” (%(named)s), nhưng đang nhập cho %(period)s (từ ngày %(first)s đến "
                "ngày %(last)s)."
            ) % {**values, "named": named.label}
        else:
            message = (
                _(
                    "Tệp ghi kỳ “%(file)s”, nhưng đang nhập cho %(period)s (từ ngày %(first)s đến ngày "
                    "%(last)s)."
                )
                % values
            )
        checked.problems.append(_problem(line.place, message))
    if not identity.periods:
        checked.problems.append(
            ImportProblem(
                identity.sheet,
                None,
                None,
                _(
                    "Phần đầu tệp không ghi kỳ báo cáo (“Kỳ báo cáo: …”, “Tháng … năm …” hoặc “Từ ngày … "
                    "đến ngày …”): không kiểm tra được tệp có đúng là của %(period)s không. Hãy xem lại "
                    "trước khi xác nhận."
                )
                % {"period": period.label},
                WARNING,
            )
        )


def _calendar_name(calendar: periods.Calendar) -> str:
    if calendar == periods.Calendar.CALENDAR:
        return _("tháng dương lịch")
    return _("kỳ từ ngày 15 tháng trước đến ngày 14 (Nghị định 09/2019)")


def period_of_dates(dates: tuple[datetime.date, datetime.date]) -> periods.Period | None:
    """The period whose dates these are under either calendar, shortest first; None if none."""
    year = dates[1].year
    if not 2000 <= year <= 2100:
        return None
    candidates = [
        *(periods.Period(year, periods.Kind.MONTH, m) for m in range(1, 13)),
        *(periods.Period(year, periods.Kind.QUARTER, q) for q in range(1, 5)),
        *(periods.Period(year, periods.Kind.HALF, h) for h in (1, 2)),
        periods.Period(year, periods.Kind.NINE_MONTHS),
        periods.Period(year, periods.Kind.YEAR),
    ]
    for candidate in candidates:
        for calendar in periods.Calendar:
            if candidate.dates(calendar) == dates:
                return candidate
    return None
