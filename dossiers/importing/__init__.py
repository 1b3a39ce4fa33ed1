"""Read form Biểu số 06/VPCP/KSTT from an .xlsx file exported by one-stop software (DOMAIN.md §1).

Pure: the file's bytes and the lĩnh vực catalogue in, rows and problems out; no database access.
Formulas are never evaluated: a formula cell counts with the value Excel cached when it last saved
the file, and a formula without one is reported. Every problem in the file is listed, each with its
sheet, row and column, so that a commune can fix the file in one go.

The guards against files that must not be read at all (not an xlsx, encrypted, corrupt, a zip bomb,
too many rows) are ``core.xlsx``'s. The package, in reading order: ``form`` (the layout of the form
and the result), ``header`` (finding the table), ``rows`` (reading its lines), ``cells`` and
``names`` (one cell, one lĩnh vực name), ``identity`` (the unit and period the title block
names) and ``matching`` (those compared with the target's). ``review`` is the one module that
reads the database: it compares a parsed file with the commune and period it is imported for
(``review_import``), for the upload page and ``import_dossiers``.
"""

from __future__ import annotations

from collections.abc import Mapping

from core import xlsx
from core.xlsx import ImportProblem

from .form import ImportedRow, ImportResult
from .header import find_table, formulas_without_values
from .identity import read_identity
from .names import Catalogue
from .rows import read_table

__all__ = ["MAX_BYTES", "ImportProblem", "ImportResult", "ImportedRow", "parse_bieu06"]

MAX_BYTES = 10 * 1024 * 1024


def parse_bieu06(
    data: bytes, *, catalogue: Mapping[str, tuple[int, str]], filename: str = ""
) -> ImportResult:
    """Read the Biểu 06 table of an .xlsx file.

    ``catalogue`` maps a folded lĩnh vực name (``core.text.fold``) to ``(field_id, display_name)``;
    the caller builds it from ``ProcedureField.match_keys()``. ``filename`` only names the file in
    messages. A file that cannot be read safely (not .xlsx, too big, password-protected, corrupt, a
    zip bomb, too many rows, no Biểu 06 header) gives one error and no rows; otherwise every row is
    validated and every problem listed. Never raises for a bad file.
    """
    data = bytes(data)
    lookup = Catalogue(catalogue)
    try:
        xlsx.check_container(data, filename, max_bytes=MAX_BYTES)
        values_book = xlsx.open_workbook(data, filename, data_only=True)
        try:
            table = find_table(values_book.worksheets, lookup, filename)
        finally:
            values_book.close()
        uncached = formulas_without_values(data, table, filename)
    except xlsx.Refused as refused:
        return ImportResult([], [refused.problem])
    result = read_table(table, lookup, uncached)
    result.identity = read_identity(table.sheet, table.title)
    return result
