"""Reading a framework from the Excel template's bytes; never raises for a bad file.

The guards against bad files (not an xlsx, encrypted, corrupt, a zip bomb, too many rows) are
``core.xlsx``'s; this module adds its own size limit (``MAX_BYTES``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from core import xlsx
from core.text import fold
from core.xlsx import READ_ERRORS, ImportProblem

from .. import rules
from .data import (
    BAND_HEADER,
    COLUMNS,
    ERAS,
    FACTS,
    GROUPS,
    HEADER_SEARCH_ROWS,
    INFO_SHEET,
    MAX_BYTES,
    NO,
    REQUIRED_FACTS,
    YES,
    BandRow,
    FrameworkData,
    Node,
    ReadResult,
)
from .validation import validate

IssuerLookup = Callable[[str, str | None], object]


def read_xlsx(data: bytes, *, filename: str = "", find_issuer: IssuerLookup | None = None) -> ReadResult:
    """Read a framework from the template's bytes. Never raises for a bad file.

    ``find_issuer(code, era)`` returns the issuing unit or raises ``LookupError`` with a message
    (``communes.selectors.unit_by_code`` does); without it the issuer is not looked up.
    """
    data = bytes(data)
    try:
        if len(data) > MAX_BYTES:
            raise xlsx.Refused(
                xlsx.about_file(
                    filename,
                    _("Tệp “%(filename)s” nặng %(size)s MB, vượt quá giới hạn %(limit)s MB của bộ chỉ số."),
                    _("Tệp tải lên nặng %(size)s MB, vượt quá giới hạn %(limit)s MB của bộ chỉ số."),
                    size=xlsx.megabytes(len(data)),
                    limit=xlsx.megabytes(MAX_BYTES),
                )
            )
        xlsx.check_container(data, filename)
        book = xlsx.open_workbook(data, filename, data_only=True)
        try:
            tree_sheet, info_sheet = _sheets(book)
            tree_rows = list(xlsx.iter_rows(tree_sheet, filename))
            info_rows = list(xlsx.iter_rows(info_sheet, filename)) if info_sheet is not None else None
        finally:
            book.close()
        uncached = _formulas_without_values(data, filename, tree_sheet.title, tree_rows, info_rows)
    except xlsx.Refused as refused:
        return ReadResult(None, [refused.problem])
    if uncached:
        return ReadResult(None, uncached)

    result = FrameworkData()
    problems: list[ImportProblem] = []
    columns = _read_tree(tree_sheet.title, tree_rows, result, problems)
    if info_rows is None:
        problems.append(
            ImportProblem(
                "",
                None,
                None,
                _("Tệp thiếu trang tính “%(sheet)s” (tên bộ chỉ số, đơn vị ban hành, năm áp dụng, xếp loại).")
                % {"sheet": INFO_SHEET},
            )
        )
    else:
        _read_info(info_rows, result, problems)
    if problems:
        # The checks of the whole need the parts read well; report what is wrong in the parts first.
        return ReadResult(result, problems)
    problems += validate(result, columns=columns)
    if find_issuer is not None and result.issuer_code:
        try:
            result.issuer = find_issuer(result.issuer_code, result.era or None)
        except LookupError as error:
            problems.append(
                ImportProblem(
                    INFO_SHEET,
                    result.fact_rows.get("issuer"),
                    "B",
                    _("Đơn vị ban hành: %(error)s") % {"error": error},
                )
            )
    return ReadResult(result, problems)


def _sheets(book):
    info = None
    tree = None
    for worksheet in book.worksheets:
        if fold(worksheet.title) == fold(INFO_SHEET):
            info = info or worksheet
        elif tree is None:
            tree = worksheet
    if tree is None:
        raise xlsx.Refused(
            _(
                "Tệp không có trang tính tiêu chí: trang tính đầu tiên (khác “%(info)s”) phải là bảng "
                "tiêu chí."
            )
            % {"info": INFO_SHEET}
        )
    return tree, info


def _formulas_without_values(
    data: bytes, filename: str, tree_title: str, tree_rows: list, info_rows: list | None
) -> list[ImportProblem]:
    """Cells holding a formula Excel never computed (they read as empty with ``data_only``)."""
    if not any(_has_values(values) for _n, values in tree_rows):
        return []
    book = xlsx.open_workbook(data, filename, data_only=False)
    problems = []
    try:
        sheets = [(tree_title, tree_rows)]
        if info_rows is not None:
            sheets.append((INFO_SHEET, info_rows))
        for title, cached_rows in sheets:
            worksheet = next(
                ws for ws in book.worksheets if ws.title == title or fold(ws.title) == fold(title)
            )
            cached = dict(cached_rows)
            for number, raw in xlsx.iter_rows(worksheet, filename):
                for index, value in enumerate(raw):
                    if xlsx.is_formula(value):
                        values = cached.get(number, ())
                        if index >= len(values) or values[index] is None:
                            problems.append(
                                ImportProblem(
                                    worksheet.title,
                                    number,
                                    get_column_letter(index + 1),
                                    _(
                                        "Ô có công thức chưa được tính (tệp không do Excel lưu). Hãy mở tệp "
                                        "trong Excel, lưu lại rồi tải lên, hoặc thay công thức bằng giá trị."
                                    ),
                                )
                            )
    except READ_ERRORS:
        return problems
    finally:
        book.close()
    return problems


def _has_values(values: tuple) -> bool:
    return any(value is not None and str(value).strip() for value in values)


def _header_key(value: object) -> str:
    return fold(re.sub(r"\(.*?\)", " ", _cell_text(value)))


HEADERS = {fold(label): key for key, label in COLUMNS.items()}


def _read_tree(sheet: str, rows: list, result: FrameworkData, problems: list) -> dict[str, str]:
    header_at = None
    positions: dict[str, int] = {}
    for index, (_number, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = {HEADERS[_header_key(v)]: i for i, v in enumerate(values) if _header_key(v) in HEADERS}
        if "code" in found and "title" in found:
            header_at, positions = index, found
            break
    if header_at is None:
        problems.append(
            ImportProblem(
                sheet,
                None,
                None,
                _("Không tìm thấy dòng tiêu đề của bảng tiêu chí: cần các cột %(columns)s.")
                % {"columns": ", ".join(f"“{label}”" for label in COLUMNS.values())},
            )
        )
        return {}
    header_row = rows[header_at][0]
    missing = [label for key, label in COLUMNS.items() if key not in positions]
    for label in missing:
        problems.append(
            ImportProblem(
                sheet, header_row, None, _("Thiếu cột “%(column)s” ở dòng tiêu đề.") % {"column": label}
            )
        )
    if missing:
        return {}
    letters = {key: get_column_letter(index + 1) for key, index in positions.items()}
    for number, values in rows[header_at + 1 :]:
        if not _has_values(values):
            continue

        def cell(key, values=values):
            index = positions[key]
            return values[index] if index < len(values) else None

        code = _code_text(cell("code"))
        node = Node(
            code=code,
            title=_cell_text(cell("title")),
            max_points=None,
            guide=_cell_text(cell("guide")),
            row=number,
        )
        points = _read_decimal(cell("max_points"))
        if points is None:
            problems.append(
                ImportProblem(
                    sheet,
                    number,
                    letters["max_points"],
                    _("Điểm tối đa của tiêu chí %(code)s phải là một số, ví dụ 2,5 (đang là “%(value)s”).")
                    % {"code": code, "value": _cell_text(cell("max_points"))},
                )
            )
        node.max_points = points
        evidence = fold(_cell_text(cell("evidence")))
        if evidence in YES:
            node.evidence_required = True
        elif evidence not in NO:
            problems.append(
                ImportProblem(
                    sheet,
                    number,
                    letters["evidence"],
                    _("Cột “Tài liệu kiểm chứng” của tiêu chí %(code)s phải là “có” hoặc “không”.")
                    % {"code": code},
                )
            )
        rule_text = _cell_text(cell("rule"))
        try:
            parsed = rules.parse(rule_text)
        except rules.RuleError:
            node.rule = rule_text  # reported by the checks, with its location
        else:
            node.rule = parsed.text if parsed else ""
        result.nodes.append(node)
    return letters


FACT_KEYS = {fold(label): key for key, label in FACTS.items()}


def _read_info(rows: list, result: FrameworkData, problems: list) -> None:
    seen: dict[str, int] = {}
    in_bands = False
    for number, values in rows:
        if not _has_values(values):
            continue
        first = _cell_text(values[0]) if values else ""
        second = values[1] if len(values) > 1 else None
        third = values[2] if len(values) > 2 else None
        if not in_bands and fold(first) == fold(BAND_HEADER[0]):
            in_bands = True
            continue
        if in_bands:
            low, high = _read_decimal(second), _read_decimal(third)
            for value, points, column in ((second, low, "B"), (third, high, "C")):
                if points is None:
                    problems.append(
                        ImportProblem(
                            INFO_SHEET,
                            number,
                            column,
                            _("Điểm của mức xếp loại “%(label)s” phải là một số (đang là “%(value)s”).")
                            % {"label": first, "value": _cell_text(value)},
                        )
                    )
            result.bands.append(BandRow(first, low, high, number))
            continue
        key = FACT_KEYS.get(_header_key(first))
        if key is None:
            problems.append(
                ImportProblem(
                    INFO_SHEET,
                    number,
                    "A",
                    _("Không hiểu dòng “%(label)s”. Các dòng có thể có: %(labels)s.")
                    % {"label": first, "labels": ", ".join(FACTS.values())},
                )
            )
            continue
        seen[key] = number
        problem = _set_fact(result, key, second)
        if problem:
            problems.append(ImportProblem(INFO_SHEET, number, "B", problem))
    result.fact_rows = seen
    for key in REQUIRED_FACTS:
        if key not in seen or getattr(result, _ATTRS.get(key, key)) in (None, ""):
            problems.append(
                ImportProblem(
                    INFO_SHEET,
                    seen.get(key),
                    "B" if key in seen else None,
                    _("Thiếu “%(label)s” trong trang tính “%(sheet)s”.")
                    % {"label": FACTS[key], "sheet": INFO_SHEET},
                )
            )


_ATTRS = {"issuer": "issuer_code"}


def _set_fact(result: FrameworkData, key: str, value: object) -> str | None:
    """Store one fact; the message of what is wrong with it, or None."""
    text = _cell_text(value)
    label = FACTS[key]
    if key in ("name", "legal_basis", "note"):
        limit = {"name": 200, "legal_basis": 300}.get(key)
        if limit and len(text) > limit:
            return _("“%(label)s” dài quá %(limit)s ký tự.") % {"label": label, "limit": limit}
        setattr(result, key, text)
    elif key == "issuer":
        result.issuer_code = _code_text(value)
    elif key == "era":
        if text and text not in ERAS:
            return _("“Giai đoạn” phải là legacy (trước 01/7/2025) hoặc 2025 (đang là “%(value)s”).") % {
                "value": text
            }
        result.era = text
    elif key in ("year_from", "year_to"):
        year = _read_decimal(value)
        if year is None or year != year.to_integral_value() or not 2000 <= year <= 2100:
            return _("“%(label)s” phải là một năm, ví dụ 2023 (đang là “%(value)s”).") % {
                "label": label,
                "value": text,
            }
        setattr(result, key, int(year))
    elif key in ("total_points", "step"):
        number = _read_decimal(value)
        if number is None:
            return _("“%(label)s” phải là một số, ví dụ 100 hoặc 0,25 (đang là “%(value)s”).") % {
                "label": label,
                "value": text,
            }
        setattr(result, key, number)
    elif key == "rescale_to_100":
        folded = fold(text)
        if folded not in YES | NO:
            return _("“%(label)s” phải là “có” hoặc “không”.") % {"label": label}
        result.rescale_to_100 = folded in YES
    elif key == "group_level":
        group = GROUPS.get(fold(text))
        if group is None:
            return _("“%(label)s” phải là “huyện” hoặc “tỉnh” (đang là “%(value)s”).") % {
                "label": label,
                "value": text,
            }
        result.group_level = group
    return None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _code_text(value: object) -> str:
    """A code as written; Excel turns "1.2" typed in a cell into the number 1.2 (and "1" into 1)."""
    return _cell_text(value).replace(" ", "")


def _read_decimal(value: object) -> Decimal | None:
    """A number from a cell: a number, or text with a decimal comma ("2,5"); None when unreadable."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
    else:
        text = str(value).strip().replace(" ", "").replace(",", ".")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
    return number if number.is_finite() else None
