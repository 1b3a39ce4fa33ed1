"""Survey points (ĐTXHH) of a whole round as one Excel file: the template the reviewer fills in,
and reading it back with every problem by row and column.

The sheet: row 1 the headers ``Mã đơn vị``, ``Tên đơn vị``, then one column per survey leaf
headed "2.2. Khảo sát sự hài lòng (tối đa 5)"; one row per commune of the round. The leaf is
recognised by the code before the first ". " of its header, so a retyped title does not matter.
An empty cell clears nothing and sets nothing: it is left out of the values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core import xlsx
from core.formatting import format_number
from core.xlsx import READ_ERRORS, ImportProblem

from . import scoring
from .models import Assessment, Criterion, Round, Score
from .services.appraisal import survey_leaves

CODE_HEADER = "Mã đơn vị"
NAME_HEADER = "Tên đơn vị"
SHEET = "Khảo sát"
LEAF_CODE = re.compile(r"^\s*(\d+(?:\.\d+)*)\.?\s")
# Wide enough to quantize any points within range to hundredths; a huge value is refused before.
EXACT = Context(prec=40)


@dataclass(frozen=True)
class SurveyPlan:
    """What a survey file of ``round_`` holds: its survey leaves and its assessments by unit code."""

    leaves: list[Criterion]
    assessments: dict[str, Assessment]


def survey_plan(round_: Round) -> SurveyPlan:
    leaves = survey_leaves(round_.framework.criteria.all())
    assessments = {
        _code_key(a.unit.code): a
        for a in Assessment.objects.filter(round=round_).select_related("unit").order_by("unit__name")
    }
    return SurveyPlan(leaves, assessments)


def leaf_header(leaf: Criterion) -> str:
    return _("%(code)s. %(title)s (tối đa %(max)s)") % {
        "code": leaf.code,
        "title": leaf.title,
        "max": format_number(leaf.max_points, 2),
    }


def survey_template_xlsx(round_: Round) -> bytes:
    """The template of ``round_``: every commune with the survey points already entered."""
    plan = survey_plan(round_)
    current = {
        (s.assessment_id, s.criterion_id): s.appraised_score
        for s in Score.objects.filter(assessment__round=round_, criterion__in=plan.leaves)
    }
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([CODE_HEADER, NAME_HEADER, *(leaf_header(leaf) for leaf in plan.leaves)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for code, assessment in plan.assessments.items():
        points = [current.get((assessment.pk, leaf.pk)) for leaf in plan.leaves]
        sheet.append([code, assessment.unit.name, *(float(p) if p is not None else None for p in points)])
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 30
    for index in range(len(plan.leaves)):
        sheet.column_dimensions[get_column_letter(index + 3)].width = 28
    sheet.freeze_panes = "C2"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def parse_survey(
    round_: Round, data: bytes, *, filename: str = ""
) -> tuple[dict[tuple[int, int], Decimal], list[ImportProblem]]:
    """The survey points of ``data`` by (assessment pk, criterion pk), and every problem found.
    Save the values only when there is no problem."""
    plan = survey_plan(round_)
    try:
        xlsx.check_container(data, filename)
        book = xlsx.open_workbook(data, filename, data_only=True)
        try:
            return _read(book.worksheets[0], plan, filename, round_.framework.step, data)
        finally:
            book.close()
    except xlsx.Refused as refused:
        return {}, [refused.problem]
    except READ_ERRORS:
        return {}, [ImportProblem("", None, None, _("Tệp tải lên bị hỏng nên không đọc được."))]


def _uncached(
    data: bytes, filename: str, rows: list[tuple[int, tuple]], columns: set[int]
) -> set[tuple[int, int]]:
    """(row number, 0-based column) of the cells of ``columns`` holding a formula Excel never computed:
    empty when read for their value, a formula when read for their text. A formula whose cached
    result is the empty string (=IF(…;"";…)) reads as empty too; it is told apart by the cell type
    Excel wrote ("str") and counts as an empty cell. As ``dossiers.importing.header`` does."""
    values = dict(rows)
    book = xlsx.open_workbook(data, filename, data_only=False)
    try:
        candidates = {
            (number, index)
            for number, raw in xlsx.iter_rows(book.worksheets[0], filename)
            if number in values
            for index in columns
            if index < len(raw)
            and xlsx.is_formula(raw[index])
            and (values[number][index] if index < len(values[number]) else None) is None
        }
    finally:
        book.close()
    # cached_text_cells counts columns from 1, as Excel does; here they count from 0.
    text = xlsx.cached_text_cells(data, filename, {(row, index + 1) for row, index in candidates})
    return candidates - {(row, column - 1) for row, column in text}


def _shown(points: Decimal, value) -> str:
    """Points for a message: the Vietnamese way when they fit, else as typed (cut short)."""
    if abs(points) < 10**12 and points == points.quantize(Decimal("0.01"), context=EXACT):
        return format_number(points, 2)
    text = str(value).strip()
    return f"“{text[:20]}…”" if len(text) > 20 else f"“{text}”"


def _read(worksheet, plan: SurveyPlan, filename: str, step: Decimal, data: bytes):
    sheet = worksheet.title
    rows = iter(xlsx.iter_rows(worksheet, filename))
    problems: list[ImportProblem] = []
    values: dict[tuple[int, int], Decimal] = {}
    header = next(rows, (1, ()))[1]
    texts = [str(value).strip() if value is not None else "" for value in header]
    by_code = {leaf.code: leaf for leaf in plan.leaves}
    columns: dict[int, Criterion] = {}
    code_column = name_column = None
    for index, text in enumerate(texts):
        if text.casefold() == CODE_HEADER.casefold():
            code_column = index
        elif text.casefold() == NAME_HEADER.casefold():
            name_column = index
        else:
            match = LEAF_CODE.match(text + " ")
            if match and match.group(1) in by_code:
                columns[index] = by_code[match.group(1)]
    if code_column is None:
        problems.append(
            ImportProblem(
                sheet, 1, None, _("Thiếu cột “%(name)s” ở dòng tiêu đề (dòng 1).") % {"name": CODE_HEADER}
            )
        )
    for leaf in plan.leaves:
        if leaf not in columns.values():
            problems.append(
                ImportProblem(
                    sheet,
                    1,
                    None,
                    _("Thiếu cột điểm của tiêu chí “%(header)s” ở dòng tiêu đề (dòng 1).")
                    % {"header": leaf_header(leaf)},
                )
            )
    if problems:
        return {}, problems
    del name_column  # the name is for the person filling in; the code identifies the unit
    seen: dict[str, int] = {}
    lines = list(rows)
    uncached = _uncached(data, filename, lines, {code_column, *columns})
    for number, row in lines:
        formulas = {index for row_number, index in uncached if row_number == number}
        if not formulas and all(value is None or str(value).strip() == "" for value in row):
            continue
        raw_code = row[code_column] if code_column < len(row) else None
        code = _code_text(raw_code)
        letter = get_column_letter(code_column + 1)
        if code_column in formulas:
            problems.append(_formula_problem(sheet, number, code_column))
            continue
        if not code:
            problems.append(
                ImportProblem(sheet, number, letter, _("Dòng %(row)s thiếu mã đơn vị.") % {"row": number})
            )
            continue
        assessment = plan.assessments.get(_code_key(code))
        if assessment is None:
            problems.append(
                ImportProblem(
                    sheet,
                    number,
                    letter,
                    _("Mã đơn vị %(code)s ở dòng %(row)s không thuộc đợt đánh giá này.")
                    % {"code": code, "row": number},
                )
            )
            continue
        if _code_key(code) in seen:
            problems.append(
                ImportProblem(
                    sheet,
                    number,
                    letter,
                    _("Mã đơn vị %(code)s ở dòng %(row)s đã có ở dòng %(first)s.")
                    % {"code": code, "row": number, "first": seen[_code_key(code)]},
                )
            )
            continue
        seen[_code_key(code)] = number
        for index, leaf in columns.items():
            value = row[index] if index < len(row) else None
            cell = f"{get_column_letter(index + 1)}{number}"
            if index in formulas:
                problems.append(_formula_problem(sheet, number, index, assessment, leaf))
                continue
            if value is None or str(value).strip() == "":
                continue
            points = _number(value)
            if points is None:
                problems.append(
                    ImportProblem(
                        sheet,
                        number,
                        get_column_letter(index + 1),
                        _("Ô %(cell)s (%(unit)s, tiêu chí %(code)s): “%(value)s” không phải là số.")
                        % {"cell": cell, "unit": assessment.unit.name, "code": leaf.code, "value": value},
                    )
                )
            elif not Decimal(0) <= points <= leaf.max_points:
                problems.append(
                    ImportProblem(
                        sheet,
                        number,
                        get_column_letter(index + 1),
                        _(
                            "Ô %(cell)s (%(unit)s, tiêu chí %(code)s): %(points)s điểm nằm ngoài khoảng "
                            "0 đến %(max)s."
                        )
                        % {
                            "cell": cell,
                            "unit": assessment.unit.name,
                            "code": leaf.code,
                            "points": _shown(points, value),
                            "max": format_number(leaf.max_points, 2),
                        },
                    )
                )
            elif points != points.quantize(Decimal("0.01"), context=EXACT):
                problems.append(
                    ImportProblem(
                        sheet,
                        number,
                        get_column_letter(index + 1),
                        _(
                            "Ô %(cell)s (%(unit)s, tiêu chí %(code)s): %(points)s điểm có quá hai chữ số "
                            "thập phân."
                        )
                        % {
                            "cell": cell,
                            "unit": assessment.unit.name,
                            "code": leaf.code,
                            "points": _shown(points, value),
                        },
                    )
                )
            elif not scoring.on_step(points, step):
                problems.append(
                    ImportProblem(
                        sheet,
                        number,
                        get_column_letter(index + 1),
                        _(
                            "Ô %(cell)s (%(unit)s, tiêu chí %(code)s): %(points)s điểm phải là bội số "
                            "của %(step)s."
                        )
                        % {
                            "cell": cell,
                            "unit": assessment.unit.name,
                            "code": leaf.code,
                            "points": format_number(points, 2),
                            "step": format_number(step, 2),
                        },
                    )
                )
            else:
                values[(assessment.pk, leaf.pk)] = points
    return ({} if problems else values), problems


def _formula_problem(sheet: str, number: int, index: int, assessment=None, leaf=None) -> ImportProblem:
    """A formula cell without the value Excel computes, as the Biểu 06 import says it; a points cell is
    named with its commune and criterion."""
    letter = get_column_letter(index + 1)
    if leaf is None:
        message = _(
            "Ô %(column)s%(row)s chứa công thức chưa có giá trị tính sẵn: hãy mở tệp trong Excel, lưu lại "
            "rồi tải lên."
        ) % {"column": letter, "row": number}
    else:
        message = _(
            "Ô %(cell)s (%(unit)s, tiêu chí %(code)s) chứa công thức chưa có giá trị tính sẵn: hãy mở tệp "
            "trong Excel, lưu lại rồi tải lên."
        ) % {"cell": f"{letter}{number}", "unit": assessment.unit.name, "code": leaf.code}
    return ImportProblem(sheet, number, letter, message)


def _code_key(code: str) -> str:
    """Unit codes compared without leading zeros: Excel drops them when a code is typed as a number."""
    return code.lstrip("0") or "0"


def _code_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _number(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        if isinstance(value, (int, float)):
            number = Decimal(str(value))
        else:
            number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
