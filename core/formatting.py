"""Numbers written the Vietnamese way: decimal comma, dot for thousands (84,16; 1.292).

The separators come from the active locale (Django's "vi" plus cchc_portal/formats/vi,
which adds the grouping Django's own file leaves out).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.utils.formats import get_format
from django.utils.translation import get_language


@lru_cache(maxsize=8)
def _separators(language: str | None) -> tuple[str, str]:
    """The decimal and thousands separators of ``language``, looked up once: a country-wide table
    formats tens of thousands of numbers, and ``get_format`` is slow next to the formatting."""
    return get_format("DECIMAL_SEPARATOR", lang=language), get_format("THOUSAND_SEPARATOR", lang=language)


def format_number(value: int | float | Decimal | None, decimals: int = 0) -> str:
    """``1292`` → "1.292"; ``84.16`` with 2 decimals → "84,16". Rounds half up, as people do.

    The separators are the active locale's; the grouping is by thousands, as NUMBER_GROUPING says
    for Vietnamese. Python's own formatting does the work: a country-wide table calls this tens of
    thousands of times.
    """
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-decimals)
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"  # "1,292.50"
    decimal, thousands = _separators(get_language())
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)


def format_percent(
    numerator: int | float | Decimal, denominator: int | float | Decimal, decimals: int = 2
) -> str:
    """``1184 / 1292`` → "91,64%"; an empty denominator gives "" (no rate, not 0%)."""
    if not denominator:
        return ""
    return f"{format_number(Decimal(numerator) * 100 / Decimal(denominator), decimals)}%"
