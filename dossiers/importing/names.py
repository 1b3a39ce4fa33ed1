"""Lĩnh vực names as communes write them, looked up in the catalogue."""

from __future__ import annotations

import re
from collections.abc import Mapping

from core.text import fold

BULLET = re.compile(r"^[\s\-–—*•+.]+")
NUMBERING = re.compile(r"^(?:(?:\d+(?:\.\d+)*|[ivxlcdm]+|[a-z])\s*[.):\-–]+|\d+(?:\.\d+)*(?=\s))\s*")
PREFIX = re.compile(r"^linh vuc\b\s*[:\-–]?\s*")
TRAILING = re.compile(r"[\s.,;:\-–—*]+$")


def normalise(name: str) -> str:
    """A folded lĩnh vực name without list numbering, a "Lĩnh vực" prefix or trailing punctuation:
    "1. Lĩnh vực Hộ tịch." → "ho tich"."""
    key = BULLET.sub("", fold(name))
    key = NUMBERING.sub("", key)
    key = PREFIX.sub("", key)
    key = NUMBERING.sub("", key)
    return " ".join(TRAILING.sub("", key).split())


class Catalogue:
    """Looks an imported name up as typed (folded), then normalised on both sides.

    Two catalogue entries that normalise alike are only found by their exact folded names.
    """

    def __init__(self, catalogue: Mapping[str, tuple[int, str]]) -> None:
        self.exact = catalogue
        self.loose: dict[str, tuple[int, str]] = {}
        clashes = set()
        for key, entry in catalogue.items():
            loose = normalise(key)
            if loose in self.loose and self.loose[loose][0] != entry[0]:
                clashes.add(loose)
            self.loose.setdefault(loose, entry)
        for loose in clashes:
            del self.loose[loose]

    def find(self, name: str) -> tuple[int, str] | None:
        folded = fold(name)
        loose = normalise(name)
        return self.exact.get(folded) or self.exact.get(loose) or self.loose.get(loose)
