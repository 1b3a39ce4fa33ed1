"""Text helpers for Vietnamese."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its diacritics, for search: "Đức Thọ" → "duc tho".

    Users often type without diacritics, and SQLite only folds ASCII case.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
