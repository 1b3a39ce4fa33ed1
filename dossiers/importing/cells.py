"""Cells of a Biểu 06 sheet: whole numbers as communes type them, and text."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from core.text import fold


@dataclass(frozen=True)
class Bad:
    """Why a cell is not a whole number from 0 up."""

    kind: str  # "text", "fraction", "negative", "formula", "too_large"
    shown: str


# A whole number of more digits than this is above any figure: it is not converted (Python refuses
# int() of more than 4.300 digits) and is reported as too large.
MAX_DIGITS = 15


THOUSANDS = re.compile(r"[1-9]\d{0,2}([., ])\d{3}(?:\1\d{3})*")
DECIMAL = re.compile(r"\d+[.,]\d+")


def read_number(value: object) -> int | Bad:
    """The whole number in a cell: blank is 0, "1.292" and "1,292" are 1292 (a separator followed by
    exactly three digits groups thousands), anything else is a ``Bad``."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return Bad("text", "TRUE" if value else "FALSE")
    if isinstance(value, int):
        return Bad("negative", str(value)) if value < 0 else value
    if isinstance(value, float):
        shown = f"{value:.15g}".replace(".", ",")
        if not math.isfinite(value):
            return Bad("text", shown)
        if abs(value - round(value)) > 1e-9:  # tolerate binary noise from a cached formula result
            return Bad("fraction", shown)
        whole = round(value)
        return Bad("negative", str(whole)) if whole < 0 else whole
    if not isinstance(value, str):
        return Bad("text", str(value))
    text = " ".join(value.split())
    if not text:
        return 0
    negative = text[0] in "-−"
    body = text[1:].strip() if negative else text
    if (body.isdigit() and body.isascii()) or THOUSANDS.fullmatch(body):
        digits = re.sub(r"\D", "", body)
        if len(digits.lstrip("0")) > MAX_DIGITS:
            return Bad("negative", text[:20] + "…") if negative else Bad("too_large", text[:20] + "…")
        whole = int(digits)
        return Bad("negative", text) if negative and whole else whole
    if DECIMAL.fullmatch(body):
        return Bad("fraction", text)
    return Bad("text", text)


def looks_numeric(value: object) -> bool:
    """A filled cell holding a whole number from 0 up."""
    return not is_blank(value) and isinstance(read_number(value), int)


def cell_at(values: tuple, column: int) -> object:
    """The value in Excel column ``column`` (1-based) of a row, None past its end."""
    return values[column - 1] if 1 <= column <= len(values) else None


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def plain_text(value: object) -> str:
    """A cell as one line of text, runs of whitespace made single spaces."""
    return "" if value is None else " ".join(str(value).split())


def folded(value: object) -> str:
    """A text cell folded (``core.text.fold``) for matching; ``""`` for anything else."""
    return fold(value) if isinstance(value, str) else ""
