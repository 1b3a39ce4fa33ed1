"""Spreadsheets from and for untrusted hands: guards for reading an uploaded .xlsx, and text that can
never run as a formula in a file we write.

Reading. An importer calls, in this order and inside ``try: … except Refused as refused:``:

1. ``check_container(data, filename)``: refuses, before openpyxl unpacks anything, what is too big,
   password-protected or an old .xls, not a zip, a corrupt zip, a zip of another kind, or a zip
   bomb;
2. ``open_workbook(data, filename, data_only=…)``: opens it read-only, without external links, and
   refuses it when openpyxl cannot;
3. ``check_row_counts(book.worksheets)`` (optional) and ``iter_rows(worksheet, filename)``: the rows
   as values, with the row limit enforced as they stream by and a broken sheet refused.

Each refusal is a ``Refused`` whose ``problem`` (an ``ImportProblem`` about the whole file) says in
Vietnamese what is wrong and how to fix it; the importer returns it as its only problem. Anything
``READ_ERRORS`` lists may still escape openpyxl later (reading a cell's type, say): catch it too.

Writing. ``csv_text`` and ``put_text`` keep text starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return from being run as a formula by a spreadsheet (OWASP "CSV injection").
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from io import BytesIO
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml.etree import XMLSyntaxError
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from core.formatting import format_number

# The limits are read when a check runs, so that a test may patch them here.
MAX_BYTES = 10 * 1024 * 1024  # the default of ``check_container``
MAX_UNPACKED = 200 * 1024 * 1024  # the sum of the zip members' declared sizes
MAX_RATIO = 100  # a member's unpacked size over its packed size
# Small members cannot do harm whatever their ratio; real sheets pack about tenfold.
RATIO_MIN_SIZE = 1024 * 1024
MAX_ROWS = 50_000

OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls, and .xlsx saved with a password
ZIP_MAGIC = b"PK\x03\x04"

# What openpyxl and the zip and XML readers under it raise on a damaged file (openpyxl parses with
# lxml when it is installed, and python-docx installs it).
READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    KeyError,
    ValueError,
    IndexError,
    TypeError,
    AttributeError,
    ParseError,
    InvalidFileException,
    XMLSyntaxError,
)

FONT_NAME = "Times New Roman"  # the font of administrative documents (DOMAIN.md §4)

# Text a spreadsheet would read as the start of a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ImportProblem:
    """Something wrong (error) or worth a second look (warning) in an imported file.

    ``row`` is the Excel row number and ``column`` the Excel column letter ("D"); both are None for
    problems about the whole file, and ``sheet`` is "" then.
    """

    sheet: str
    row: int | None
    column: str | None
    message: str
    level: str = "error"


class Refused(Exception):
    """The file is refused as a whole; the message says why, ``problem`` carries it to the user."""

    def __init__(self, message: str, sheet: str = "") -> None:
        super().__init__(message)
        self.problem = ImportProblem(sheet, None, None, message)


def about_file(filename: str, named: str, unnamed: str, **values: object) -> str:
    """``named`` (which quotes the file's name as ``%(filename)s``) when the file has a name, else
    ``unnamed`` (which speaks of the uploaded file): two whole sentences, never a name glued in."""
    if filename:
        return named % {"filename": filename, **values}
    return unnamed % values


def megabytes(size: int) -> str:
    """A size in bytes as megabytes with one decimal, Vietnamese style: "10,5"."""
    return format_number(size / (1024 * 1024), 1)


# The advice ending the refusals that saving the file again in Excel cures.
RESAVE = gettext_lazy("Hãy mở tệp trong Excel, lưu lại dưới dạng “Excel Workbook (*.xlsx)” rồi tải lên lại.")


def check_container(data: bytes, filename: str, *, max_bytes: int | None = None) -> None:
    """Raise ``Refused`` unless ``data`` is a plain .xlsx of a sane size; unpacks nothing.

    Refused: more than ``max_bytes`` (``MAX_BYTES`` when None), an OLE file (password-protected
    .xlsx or old .xls), not a zip, a corrupt zip, a zip without a workbook, and a zip bomb (members
    declaring more than ``MAX_UNPACKED`` in all, or a member over ``RATIO_MIN_SIZE`` packed more
    than ``MAX_RATIO`` times). ``filename`` only names the file in the messages.
    """
    limit = MAX_BYTES if max_bytes is None else max_bytes
    resave = str(RESAVE)
    if len(data) > limit:
        raise Refused(
            about_file(
                filename,
                _(
                    "Tệp “%(filename)s” nặng %(size)s MB, vượt quá giới hạn %(limit)s MB. Hãy chỉ để lại "
                    "trang tính cần nhập, bỏ hình ảnh và trang tính thừa rồi tải lên lại."
                ),
                _(
                    "Tệp tải lên nặng %(size)s MB, vượt quá giới hạn %(limit)s MB. Hãy chỉ để lại trang "
                    "tính cần nhập, bỏ hình ảnh và trang tính thừa rồi tải lên lại."
                ),
                size=megabytes(len(data)),
                limit=megabytes(limit),
            )
        )
    if data.startswith(OLE_MAGIC):
        raise Refused(
            about_file(
                filename,
                _(
                    "Tệp “%(filename)s” được đặt mật khẩu (hoặc là tệp .xls kiểu cũ) nên không đọc được. Hãy "
                    "mở tệp trong Excel, bỏ mật khẩu (File > Info > Protect Workbook > Encrypt with "
                    "Password, xoá mật khẩu) và lưu lại dưới dạng .xlsx không có mật khẩu rồi tải lên."
                ),
                _(
                    "Tệp tải lên được đặt mật khẩu (hoặc là tệp .xls kiểu cũ) nên không đọc được. Hãy mở tệp "
                    "trong Excel, bỏ mật khẩu (File > Info > Protect Workbook > Encrypt with Password, xoá "
                    "mật khẩu) và lưu lại dưới dạng .xlsx không có mật khẩu rồi tải lên."
                ),
            )
        )
    if not data.startswith(ZIP_MAGIC):
        raise Refused(
            about_file(
                filename,
                _(
                    "Tệp “%(filename)s” không phải tệp Excel .xlsx (không nhận tệp .xls, .csv, PDF hay ảnh "
                    "chụp). %(resave)s"
                ),
                _(
                    "Tệp tải lên không phải tệp Excel .xlsx (không nhận tệp .xls, .csv, PDF hay ảnh chụp). "
                    "%(resave)s"
                ),
                resave=resave,
            )
        )
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise Refused(
            about_file(
                filename,
                _("Tệp “%(filename)s” bị hỏng hoặc tải lên chưa trọn vẹn nên không đọc được. %(resave)s"),
                _("Tệp tải lên bị hỏng hoặc tải lên chưa trọn vẹn nên không đọc được. %(resave)s"),
                resave=resave,
            )
        ) from exc
    names = {member.filename for member in members}
    if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        raise Refused(
            about_file(
                filename,
                _("Tệp “%(filename)s” không phải tệp Excel .xlsx (là tệp nén của loại khác). %(resave)s"),
                _("Tệp tải lên không phải tệp Excel .xlsx (là tệp nén của loại khác). %(resave)s"),
                resave=resave,
            )
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED:
        raise Refused(
            about_file(
                filename,
                _(
                    "Tệp “%(filename)s” có nội dung nén bất thường nên bị từ chối để bảo vệ hệ thống: khi "
                    "giải nén lên tới %(size)s MB, vượt quá giới hạn %(limit)s MB. %(resave)s"
                ),
                _(
                    "Tệp tải lên có nội dung nén bất thường nên bị từ chối để bảo vệ hệ thống: khi giải nén "
                    "lên tới %(size)s MB, vượt quá giới hạn %(limit)s MB. %(resave)s"
                ),
                size=megabytes(unpacked),
                limit=megabytes(MAX_UNPACKED),
                resave=resave,
            )
        )
    for member in members:
        if member.file_size > RATIO_MIN_SIZE and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            ratio = member.file_size // max(member.compress_size, 1)
            raise Refused(
                about_file(
                    filename,
                    _(
                        "Tệp “%(filename)s” có nội dung nén bất thường nên bị từ chối để bảo vệ hệ thống: "
                        "phần “%(part)s” nén tới %(ratio)s lần (tệp Excel thường chỉ khoảng 10 lần). "
                        "%(resave)s"
                    ),
                    _(
                        "Tệp tải lên có nội dung nén bất thường nên bị từ chối để bảo vệ hệ thống: phần "
                        "“%(part)s” nén tới %(ratio)s lần (tệp Excel thường chỉ khoảng 10 lần). %(resave)s"
                    ),
                    part=member.filename,
                    ratio=format_number(ratio),
                    resave=resave,
                )
            )


def open_workbook(data: bytes, filename: str, *, data_only: bool) -> Workbook:
    """The workbook in ``data``, read-only and without external links; ``Refused`` if it is corrupt.

    Call ``check_container`` first. With ``data_only`` a formula cell reads as the value Excel cached
    when it last saved the file (None if it never did); without, as the formula's text. The caller
    closes the workbook.
    """
    try:
        return load_workbook(BytesIO(data), read_only=True, data_only=data_only, keep_links=False)
    except READ_ERRORS as exc:
        raise Refused(
            about_file(
                filename,
                _(
                    "Tệp “%(filename)s” bị hỏng nên không đọc được. Hãy mở tệp trong Excel, lưu lại dưới "
                    "dạng .xlsx rồi tải lên lại."
                ),
                _(
                    "Tệp tải lên bị hỏng nên không đọc được. Hãy mở tệp trong Excel, lưu lại dưới dạng .xlsx "
                    "rồi tải lên lại."
                ),
            )
        ) from exc


def check_row_counts(worksheets: Iterable) -> None:
    """Raise ``Refused`` for the first sheet declaring more than ``MAX_ROWS`` rows in its dimension.

    A cheap early refusal; ``iter_rows`` enforces the limit anyway for sheets declaring none.
    """
    for worksheet in worksheets:
        if worksheet.max_row is not None and worksheet.max_row > MAX_ROWS:
            raise _too_many_rows(worksheet.title, worksheet.max_row)


def iter_rows(worksheet, filename: str, **bounds: int) -> Iterator[tuple[int, tuple]]:
    """(row number, values) for each row of a read-only sheet, blank rows included (their values may be
    an empty tuple, and any row's may stop short of the sheet's last column).

    ``bounds`` are ``iter_rows``'s ``min_row``, ``max_row``, ``min_col``, ``max_col``. The sheet's
    recorded dimension is ignored (some exporters write a wrong one and openpyxl would stop there),
    so the row count is enforced here as the rows stream by: ``Refused`` past ``MAX_ROWS``, and
    ``Refused`` (naming the sheet) when the sheet's XML is broken.
    """
    worksheet.reset_dimensions()
    start = bounds.get("min_row", 1)
    iterator = worksheet.iter_rows(values_only=True, **bounds)
    number = start - 1
    while True:
        try:
            values = next(iterator)
        except StopIteration:
            return
        except READ_ERRORS as exc:
            raise Refused(
                about_file(
                    filename,
                    _(
                        "Tệp “%(filename)s” bị hỏng ở trang tính “%(sheet)s” nên không đọc được. Hãy mở tệp "
                        "trong Excel, lưu lại dưới dạng .xlsx rồi tải lên lại."
                    ),
                    _(
                        "Tệp tải lên bị hỏng ở trang tính “%(sheet)s” nên không đọc được. Hãy mở tệp trong "
                        "Excel, lưu lại dưới dạng .xlsx rồi tải lên lại."
                    ),
                    sheet=worksheet.title,
                ),
                worksheet.title,
            ) from exc
        number += 1
        if number > MAX_ROWS:
            raise _too_many_rows(worksheet.title, None)
        yield number, tuple(values)


def _too_many_rows(sheet: str, count: int | None) -> Refused:
    values = {"sheet": sheet, "count": format_number(count or 0), "limit": format_number(MAX_ROWS)}
    if count:
        message = _(
            "Trang tính “%(sheet)s” có %(count)s dòng, vượt quá giới hạn %(limit)s dòng. Hãy xoá các dòng "
            "thừa (hoặc chép riêng bảng cần nhập sang một tệp mới) rồi tải lên lại."
        )
    else:
        message = _(
            "Trang tính “%(sheet)s” có quá nhiều dòng, vượt quá giới hạn %(limit)s dòng. Hãy xoá các dòng "
            "thừa (hoặc chép riêng bảng cần nhập sang một tệp mới) rồi tải lên lại."
        )
    return Refused(message % values, sheet)


def is_formula(value: object) -> bool:
    """Whether a cell value read without ``data_only`` is a formula (plain, array or data table)."""
    if isinstance(value, (ArrayFormula, DataTableFormula)):
        return True
    return isinstance(value, str) and value.startswith("=")


def cached_text_cells(
    data: bytes, filename: str, candidates: set[tuple[int, int]], *, sheet: str | None = None
) -> set[tuple[int, int]]:
    """Of ``candidates`` ((row, 1-based column) of formula cells that read as empty for their value),
    those whose cached result is the empty string (=IF(…;"";…)): Excel wrote the cell's type "str",
    so they are empty cells, not formulas Excel never computed. ``sheet`` None is the first sheet."""
    if not candidates:
        return set()
    book = open_workbook(data, filename, data_only=True)
    try:
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        worksheet.reset_dimensions()
        low, high = min(row for row, _column in candidates), max(row for row, _column in candidates)
        return {
            (cell.row, cell.column)
            for row in worksheet.iter_rows(min_row=low, max_row=high)
            for cell in row
            if getattr(cell, "data_type", None) == "str" and (cell.row, cell.column) in candidates
        }
    except READ_ERRORS:
        return set()
    finally:
        book.close()


# Writing -----------------------------------------------------------------------------------------


def csv_text(text: str) -> str:
    """``text`` for a CSV cell: prefixed with ``'`` when a spreadsheet would run it as a formula."""
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def put_text(cell: Cell, text: str) -> None:
    """Write ``text`` so that it can never become a formula, in this file or when someone edits the cell.

    Characters an .xlsx cannot hold (control characters) are dropped.
    """
    # Control characters make the file unreadable to Excel, and openpyxl refuses them.
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell.value = text
    if text.startswith(FORMULA_TRIGGERS):
        # openpyxl turns "=…" into a formula: force a string. quotePrefix is Excel's leading
        # apostrophe, so the text stays text when a user edits the cell and presses Enter.
        cell.data_type = "s"
        cell.quotePrefix = True
