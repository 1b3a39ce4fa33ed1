"""Automatic leaves: points computed from the portal's own dossier figures.

A criterion's ``rule`` is written ``name`` or ``name(param=value, …)``, in the framework's Excel
column "Cách tính tự động" and in the editor: ``ty_le_truc_tuyen(nguong=80)``. Each rule turns a
commune's figures for the assessed year into a value (a percentage) and points:
- ``ty_le_truc_tuyen(nguong=N)``: dossiers received online, % of those received; full points at
  or above N %, proportional below;
- ``ty_le_dung_han(nguong=N)``: dossiers resolved early or on time, % of those resolved;
- ``thanh_toan_truc_tuyen(nguong=N)``: online payments, % of dossiers with fees;
- ``xin_loi_tre_han``: apology letters, % of late dossiers; full points when every late dossier
  has one (or none was late), none otherwise;
- ``khao_sat``: survey points (ĐTXHH), typed or uploaded by the reviewer, never self-scored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import periods

SURVEY = "khao_sat"

# name → (label, the Figures attributes of numerator and denominator, parameters it takes)
RULES = {
    "ty_le_truc_tuyen": (
        gettext_lazy("Tỷ lệ hồ sơ tiếp nhận trực tuyến"),
        ("received_online", "received_new"),
        ("nguong",),
    ),
    "ty_le_dung_han": (
        gettext_lazy("Tỷ lệ hồ sơ giải quyết trước và đúng hạn"),
        ("resolved_in_time", "resolved_total"),
        ("nguong",),
    ),
    "thanh_toan_truc_tuyen": (
        gettext_lazy("Tỷ lệ thanh toán trực tuyến phí, lệ phí"),
        ("online_payments", "dossiers_with_fees"),
        ("nguong",),
    ),
    "xin_loi_tre_han": (
        gettext_lazy("Hồ sơ trễ hạn có thư xin lỗi"),
        ("apology_letters", "late_total"),
        (),
    ),
    SURVEY: (gettext_lazy("Điểm điều tra xã hội học (ĐTXHH)"), None, ()),
}

_SYNTAX = re.compile(r"^\s*([a-z_]+)\s*(?:\((.*)\))?\s*$")
_PARAM_SPLIT = re.compile(r",\s*(?=[a-z_]+\s*=)")


class RuleError(ValueError):
    """A rule that cannot be read; the message says what is wrong and what would be right."""


@dataclass(frozen=True)
class Rule:
    name: str
    params: dict[str, Decimal] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return str(RULES[self.name][0])

    @property
    def is_survey(self) -> bool:
        return self.name == SURVEY

    @property
    def text(self) -> str:
        """The rule written back the way it is read."""
        if not self.params:
            return self.name
        inner = ", ".join(f"{key}={value.normalize():f}" for key, value in self.params.items())
        return f"{self.name}({inner})"


def parse(text: str) -> Rule | None:
    """The rule written ``text`` ("" gives None). Raises RuleError."""
    if not text or not text.strip():
        return None
    match = _SYNTAX.match(text)
    if not match or match.group(1) not in RULES:
        names = ", ".join(RULES)
        raise RuleError(
            _("Không hiểu cách tính “%(text)s”. Các cách tính có: %(names)s.")
            % {"text": text, "names": names}
        )
    name, inner = match.group(1), match.group(2)
    expected = RULES[name][2]
    params: dict[str, Decimal] = {}
    # Parameters are separated by commas; a decimal comma ("97,5") is not followed by "name=".
    for part in filter(None, (p.strip() for p in _PARAM_SPLIT.split(inner or ""))):
        key, _sep, value = part.partition("=")
        key = key.strip()
        if key not in expected:
            raise RuleError(_("Cách tính %(name)s không có tham số “%(key)s”.") % {"name": name, "key": key})
        try:
            number = Decimal(value.strip().replace(",", "."))
        except InvalidOperation:
            raise RuleError(
                _("Tham số %(key)s của %(name)s phải là một số, ví dụ %(key)s=80.")
                % {"key": key, "name": name}
            ) from None
        if not 0 < number <= 100:
            raise RuleError(
                _("Ngưỡng %(key)s của %(name)s phải lớn hơn 0 và không quá 100.") % {"key": key, "name": name}
            )
        params[key] = number
    missing = [key for key in expected if key not in params]
    if missing:
        raise RuleError(
            _("Cách tính %(name)s cần tham số %(keys)s, ví dụ %(name)s(nguong=80).")
            % {"name": name, "keys": ", ".join(missing)}
        )
    return Rule(name, params)


@dataclass(frozen=True)
class Outcome:
    """What a rule gave for one commune and year: the value, the points, and the data behind."""

    value: Decimal | None
    points: Decimal
    data: dict


def _two_places(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def evaluate(rule: Rule, *, figures, max_points: Decimal, year: int) -> Outcome:
    """Points for ``rule`` from a commune's yearly ``figures`` (a dossiers ``Figures``)."""
    _label, attributes, _params = RULES[rule.name]
    numerator_name, denominator_name = attributes
    numerator = _figure(figures, numerator_name)
    denominator = _figure(figures, denominator_name)
    data = {
        "period": periods.Period(year, periods.Kind.YEAR).label,
        "numerator": numerator,
        "denominator": denominator,
    }
    if rule.name == "xin_loi_tre_han":
        value = _two_places(Decimal(numerator) * 100 / denominator) if denominator else None
        points = max_points if numerator >= denominator else Decimal(0)
        return Outcome(value, points, data)
    threshold = rule.params["nguong"]
    data["threshold"] = str(threshold)
    if not denominator:
        # Nothing to take a rate of: no points can be earned from an empty base.
        return Outcome(None, Decimal(0), data)
    value = _two_places(Decimal(numerator) * 100 / denominator)
    points = max_points if value >= threshold else _two_places(max_points * value / threshold)
    return Outcome(value, min(points, max_points), data)


def _figure(figures, name: str) -> int:
    if name == "resolved_in_time":
        return figures.resolved_early + figures.resolved_on_time
    return int(getattr(figures, name))
