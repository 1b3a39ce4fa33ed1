"""Frameworks as data: the Excel template (DESIGN.md "Interfaces") read and written, and the checks.

Pure functions, no queries: a file's bytes in, a ``FrameworkData`` and the list of problems out;
a ``FrameworkData`` in, the bytes of the template out. The admin runs the same checks
(``tree_problems``, ``band_problems``, ``fact_problems``) on what an administrator edits, so a
framework saved by either road obeys the same rules (listed in ``validation``).

The parts: ``data`` (the template's constants and the dataclasses), ``validation`` (the checks),
``reading`` (the template read, with its guards) and ``writing`` (the template written).
"""

from .data import INFO_SHEET, MAX_BYTES, TREE_SHEET, BandRow, FrameworkData, Node, ReadResult, points_text
from .reading import IssuerLookup, read_xlsx
from .validation import band_problems, fact_problems, tree_problems, validate
from .writing import data_of, framework_xlsx, with_issuer, write_xlsx

__all__ = [
    "INFO_SHEET",
    "MAX_BYTES",
    "TREE_SHEET",
    "BandRow",
    "FrameworkData",
    "IssuerLookup",
    "Node",
    "ReadResult",
    "band_problems",
    "data_of",
    "fact_problems",
    "framework_xlsx",
    "points_text",
    "read_xlsx",
    "tree_problems",
    "validate",
    "with_issuer",
    "write_xlsx",
]
