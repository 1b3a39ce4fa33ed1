"""Reading the lines of a Biểu 06 table found by ``header.find_table``: every cell checked, the form's
inner sums and its total row compared, every problem placed at its row and column."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

from core.formatting import format_number
from core.xlsx import ImportProblem
from dossiers.figures import MAX_FIGURE, Figures, check

from .cells import Bad, cell_at, is_blank, plain_text, read_number
from .form import ERROR, FORM_FIELDS, NUMBER_COLUMNS, WARNING, ImportedRow, ImportResult
from .header import Table
from .names import Catalogue


def read_table(table: Table, catalogue: Catalogue, uncached: set[tuple[int, int]]) -> ImportResult:
    """Every lĩnh vực line of ``table`` read and checked; ``uncached`` holds the (row, column) of the
    cells whose formula Excel never computed (``header.formulas_without_values``)."""
    result = ImportResult([], list(table.problems))
    sums = dict.fromkeys(NUMBER_COLUMNS, 0)
    tainted: set[int] = set()  # form columns with an unreadable cell: their total cannot be checked
    seen: dict[int, int] = {}  # field id -> the row it was first found on
    read = 0
    for number, values in table.lines:
        cells = _read_cells(table, number, values, uncached)
        has_numbers = any(
            (isinstance(value, Bad) and value.kind != "text")
            or (isinstance(value, int) and not is_blank(cell_at(values, column)))
            for column, value in cells.items()
        )
        entry, name_problem = _identify(table, number, values, catalogue, uncached, seen, has_numbers)
        if name_problem is not None:
            result.problems.append(name_problem)
        if name_problem is None and entry is None:
            continue  # not a lĩnh vực row: a note, a signature, a section heading
        read += 1
        for column, value in cells.items():
            if isinstance(value, Bad):
                result.problems.append(_cell_problem(table.sheet, number, column, value))
        numbers = {column: value for column, value in cells.items() if isinstance(value, int)}
        for k in NUMBER_COLUMNS:
            if table.column(k) in numbers:
                sums[k] += numbers[table.column(k)]
            else:
                tainted.add(k)
        form = {k: numbers.get(table.column(k)) for k in NUMBER_COLUMNS}
        result.problems.extend(_identity_problems(table, number, form))
        if len(numbers) < len(cells):
            continue
        figures = Figures(
            **{figure: numbers[table.column(k)] for k, figure in FORM_FIELDS.items()},
            **{figure: numbers[column] for figure, column in table.extras.items()},
        )
        result.problems.extend(_check_problems(table, number, figures))
        if entry is not None and name_problem is None:
            result.rows.append(ImportedRow(table.sheet, number, entry[0], entry[1], figures))
    if not read:
        result.problems.append(
            ImportProblem(
                table.sheet,
                None,
                None,
                _(
                    "Trang tính “%(sheet)s” có tiêu đề Biểu số 06 nhưng không có dòng số liệu lĩnh vực nào "
                    "bên dưới. Hãy kiểm tra lại tệp."
                )
                % {"sheet": table.sheet},
            )
        )
    if table.total:
        result.problems.extend(_total_problems(table, sums, tainted, uncached))
    return result


def _read_cells(
    table: Table, number: int, values: tuple, uncached: set[tuple[int, int]]
) -> dict[int, int | Bad]:
    """Excel column -> the whole number in it, or why there is none, for every number cell of a row."""
    cells = {
        column: Bad("formula", "") if (number, column) in uncached else read_number(cell_at(values, column))
        for column in table.number_columns()
    }
    # The figures stored are bounded; the form's totals (columns 3, 7, 11) are only compared.
    for column in {table.column(k) for k in FORM_FIELDS} | set(table.extras.values()):
        value = cells.get(column)
        if isinstance(value, int) and value > MAX_FIGURE:
            cells[column] = Bad("too_large", format_number(value))
    return cells


def _identify(
    table: Table,
    number: int,
    values: tuple,
    catalogue: Catalogue,
    uncached: set[tuple[int, int]],
    seen: dict[int, int],
    has_numbers: bool,
) -> tuple[tuple[int, str] | None, ImportProblem | None]:
    """The catalogue entry of a row's lĩnh vực, and what is wrong with its name.

    (None, None) is a row to pass over: no lĩnh vực name, or a name not in the catalogue, and no
    figures either.
    """
    column = table.column(2)
    letter = get_column_letter(column)

    def problem(message: str, **values: object) -> ImportProblem:
        return ImportProblem(
            table.sheet, number, letter, message % {"row": number, "column": letter, **values}
        )

    if (number, column) in uncached:
        return None, _cell_problem(table.sheet, number, column, Bad("formula", ""))
    name = plain_text(cell_at(values, column))
    if not name:
        if not has_numbers:
            return None, None  # a stray note or signature line with no figures
        return None, problem(
            _(
                "Dòng %(row)s, cột %(column)s: có số liệu nhưng chưa ghi tên lĩnh vực. Hãy ghi tên lĩnh vực "
                "đúng như danh mục hoặc xoá dòng này."
            )
        )
    entry = catalogue.find(name)
    if entry is None and not has_numbers:
        return None, None  # a section heading ("I. Cấp xã"), a note or a signature: no figures to lose
    if entry is None:
        return None, problem(
            _(
                "Dòng %(row)s, cột %(column)s: lĩnh vực “%(name)s” không có trong danh mục lĩnh vực. Hãy sửa "
                "tên cho đúng với danh mục, hoặc đề nghị quản trị viên thêm tên này làm tên gọi khác của "
                "lĩnh vực."
            ),
            name=name,
        )
    if entry[0] in seen:
        return entry, problem(
            _(
                "Dòng %(row)s, cột %(column)s: lĩnh vực “%(name)s” đã có ở dòng %(first)s. Mỗi lĩnh vực chỉ "
                "được có một dòng; hãy gộp số liệu vào một dòng."
            ),
            name=entry[1],
            first=seen[entry[0]],
        )
    seen[entry[0]] = number
    return entry, None


# What is wrong with a cell, by ``Bad.kind``.
CELL_PROBLEMS = {
    "formula": gettext_lazy(
        "Ô %(column)s%(row)s chứa công thức chưa có giá trị tính sẵn: hãy mở tệp trong Excel, lưu lại rồi "
        "tải lên."
    ),
    "negative": gettext_lazy(
        "Dòng %(row)s, cột %(column)s: số âm (%(shown)s) không hợp lệ. Hãy nhập số nguyên từ 0 trở lên."
    ),
    "fraction": gettext_lazy(
        "Dòng %(row)s, cột %(column)s: “%(shown)s” không phải số nguyên. Số hồ sơ phải là số nguyên từ 0 "
        "trở lên; dấu chấm hoặc dấu phẩy chỉ dùng để phân cách hàng nghìn (1.292)."
    ),
    "too_large": gettext_lazy("Dòng %(row)s, cột %(column)s: %(shown)s vượt quá giới hạn %(max)s."),
    "text": gettext_lazy(
        "Dòng %(row)s, cột %(column)s: “%(shown)s” không phải là số. Hãy nhập số nguyên từ 0 trở lên (ô để "
        "trống được tính là 0)."
    ),
}


def _cell_problem(sheet: str, number: int, column: int, bad: Bad) -> ImportProblem:
    letter = get_column_letter(column)
    message = CELL_PROBLEMS[bad.kind] % {
        "row": number,
        "column": letter,
        "shown": bad.shown,
        "max": format_number(MAX_FIGURE),
    }
    return ImportProblem(sheet, number, letter, message)


# The form's inner sums: (total column, its parts, level, what is said when they differ).
IDENTITIES = (
    (
        3,
        (4, 5, 6),
        ERROR,
        gettext_lazy(
            "Dòng %(row)s: cột Tổng số (%(letter)s = %(total)s) khác Trực tuyến + Trực tiếp + Từ kỳ trước "
            "(%(letters)s = %(added)s)."
        ),
    ),
    (
        7,
        (8, 9, 10),
        ERROR,
        gettext_lazy(
            "Dòng %(row)s: cột Đã giải quyết – Tổng số (%(letter)s = %(total)s) khác Trước hạn + Đúng hạn + "
            "Quá hạn (%(letters)s = %(added)s)."
        ),
    ),
    (
        11,
        (12, 13),
        ERROR,
        gettext_lazy(
            "Dòng %(row)s: cột Đang giải quyết – Tổng số (%(letter)s = %(total)s) khác Trong hạn + Quá hạn "
            "(%(letters)s = %(added)s)."
        ),
    ),
    (
        3,
        (7, 11),
        WARNING,
        gettext_lazy(
            "Dòng %(row)s: cột Tổng số nhận giải quyết (%(letter)s = %(total)s) khác Đã giải quyết + Đang "
            "giải quyết (%(letters)s = %(added)s). Có phần mềm tính riêng hồ sơ rút hoặc trả lại; hãy kiểm "
            "tra lại."
        ),
    ),
)


def _identity_problems(table: Table, number: int, form: dict[int, int | None]) -> list[ImportProblem]:
    """The inner sums of the form (errors) and received = resolved + pending (a warning)."""
    problems: list[ImportProblem] = []
    for total, parts, level, message in IDENTITIES:
        if form[total] is None or any(form[k] is None for k in parts):
            continue  # an unreadable cell, already reported
        if level == WARNING and problems:
            continue  # the balance of totals already known to be wrong would only repeat the error
        added = sum(form[k] for k in parts)
        if form[total] != added:
            letters = " + ".join(table.letter(k) for k in parts)
            letter = table.letter(total)
            problems.append(
                ImportProblem(
                    table.sheet,
                    number,
                    letter,
                    message
                    % {
                        "row": number,
                        "letter": letter,
                        "total": format_number(form[total]),
                        "letters": letters,
                        "added": format_number(added),
                    },
                    level,
                )
            )
    return problems


def _check_problems(table: Table, number: int, figures: Figures) -> list[ImportProblem]:
    """The errors ``figures.check`` finds, placed at the cell of the figure concerned.

    Its received = resolved + pending warning is left out: ``_identity_problems`` gives it with the
    file's own columns.
    """
    columns = {figure: table.column(k) for k, figure in FORM_FIELDS.items()} | table.extras
    return [
        ImportProblem(
            table.sheet,
            number,
            get_column_letter(columns[problem.field]) if problem.field in columns else None,
            _("Dòng %(row)s: %(message)s") % {"row": number, "message": problem.message},
        )
        for problem in check(figures)
        if problem.level == ERROR
    ]


def _total_problems(
    table: Table, sums: dict[int, int], tainted: set[int], uncached: set[tuple[int, int]]
) -> list[ImportProblem]:
    number, values = table.total
    problems = []
    for k in NUMBER_COLUMNS:
        column = table.column(k)
        value = Bad("formula", "") if (number, column) in uncached else read_number(cell_at(values, column))
        if isinstance(value, Bad):
            problems.append(_cell_problem(table.sheet, number, column, value))
        elif k not in tainted and value != sums[k]:
            letter = table.letter(k)
            problems.append(
                ImportProblem(
                    table.sheet,
                    number,
                    letter,
                    _(
                        "Dòng %(row)s (dòng tổng cộng), cột %(column)s: trong tệp ghi %(value)s nhưng cộng "
                        "các dòng lĩnh vực ở trên được %(sum)s."
                    )
                    % {
                        "row": number,
                        "column": letter,
                        "value": format_number(value),
                        "sum": format_number(sums[k]),
                    },
                )
            )
    return problems
