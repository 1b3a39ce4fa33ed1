"""Reading a users file: finding its header by the texts people type, and its rows as plain text.

Pure: bytes in, a ``UsersFile`` out, no database. Files are typed by hand in Excel or LibreOffice,
so the header is looked for in the first rows of each sheet (a title row or two above it), its
columns in any order, recognised by their folded text ("Họ và tên", "HỌ TÊN", "Ho ten "); a
second header row below a merged group ("Thông tin liên hệ" over "Email" and "Điện thoại") is
read too, and a row numbering the columns ((1), (2) …) is passed over. Codes typed as numbers
come back as digits (Excel drops their leading zeros; ``checking`` pads them), phone numbers
typed as numbers get their leading 0 back.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl.utils import column_index_from_string, get_column_letter

from core import xlsx
from core.text import fold
from core.xlsx import ImportProblem

MAX_BYTES = 10 * 1024 * 1024
HEADER_SEARCH_ROWS = 30
# A province has at most a few hundred accounts to create; a bigger file is a mistake (a sheet of
# every citizen?) and would make one slow request. It is refused with the advice to split it.
MAX_ACCOUNTS = 1000

CODE, UNIT, FULL_NAME, POSITION, ROLE, EMAIL, PHONE, USERNAME = (
    "code",
    "unit",
    "full_name",
    "position",
    "role",
    "email",
    "phone",
    "username",
)
# The columns that say there is a person on a row: a row with none of them is passed over, so a
# template pre-filled with every commune and its roles imports only the rows filled in.
PERSON_KEYS = (FULL_NAME, POSITION, EMAIL, PHONE, USERNAME)

# Header texts, folded (``core.text.fold``) with punctuation made spaces, tried in this order; a
# phrase matches whole words. "Tên đăng nhập" is tried before "Họ và tên", "Mã xã" before "Xã".
COLUMN_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (USERNAME, ("ten dang nhap", "tai khoan dang nhap", "tai khoan", "username", "user name", "login")),
    (EMAIL, ("email", "e mail", "thu dien tu", "hop thu", "mail")),
    (PHONE, ("dien thoai", "so dt", "sdt", "dt", "di dong", "phone", "mobile")),
    (ROLE, ("vai tro", "quyen", "nhom quyen", "role")),
    (POSITION, ("chuc vu", "chuc danh", "position")),
    (FULL_NAME, ("ho va ten", "ho ten", "ten can bo", "ten cong chuc", "ten nguoi dung", "full name")),
    (CODE, ("ma", "code")),
    (UNIT, ("xa", "phuong", "dac khu", "don vi", "dvhc", "co quan", "commune", "unit")),
)
# The names the messages give a column the file lacks.
COLUMN_NAMES = {
    CODE: "Mã xã",
    UNIT: "Tên xã, phường",
    FULL_NAME: "Họ và tên",
    POSITION: "Chức vụ",
    ROLE: "Vai trò",
    EMAIL: "Email",
    PHONE: "Điện thoại",
    USERNAME: "Tên đăng nhập",
}

PUNCTUATION = re.compile(r"[^a-z0-9]+")
COLUMN_NUMBER = re.compile(r"\(?\s*\d{1,2}\s*\)?")


@dataclass(frozen=True)
class Column:
    """A column of the file: its letter and its own header text, as the messages name it."""

    key: str
    letter: str
    header: str

    @property
    def label(self) -> str:
        return f"{self.letter} ({self.header})"


@dataclass(frozen=True)
class SheetRow:
    """A row with a person: its Excel row number and its cells as one-line text, by column key."""

    row: int
    cells: dict[str, str]

    def get(self, key: str) -> str:
        return self.cells.get(key, "")


@dataclass
class UsersFile:
    """What a users file holds: the sheet and header found, its rows with a person, and what is
    wrong with the file as a whole (a refused file has no columns). Kept between the preview and the
    confirmation as ``to_payload()``: the confirmation checks these texts again, so nothing else of
    the preview needs to be trusted."""

    sheet: str = ""
    header_row: int = 0
    columns: dict[str, Column] = field(default_factory=dict)
    rows: list[SheetRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return bool(self.columns)

    def column(self, key: str) -> Column | None:
        return self.columns.get(key)

    def to_payload(self) -> dict:
        return {
            "sheet": self.sheet,
            "header_row": self.header_row,
            "columns": [[c.key, c.letter, c.header] for c in self.columns.values()],
            "rows": [[r.row, r.cells] for r in self.rows],
            "problems": [[p.row, p.column, p.message, p.level] for p in self.problems],
        }

    @classmethod
    def from_payload(cls, payload: dict) -> UsersFile:
        return cls(
            sheet=payload["sheet"],
            header_row=payload["header_row"],
            columns={key: Column(key, letter, header) for key, letter, header in payload["columns"]},
            rows=[SheetRow(int(number), dict(cells)) for number, cells in payload["rows"]],
            problems=[
                ImportProblem(payload["sheet"], row, column, message, level)
                for row, column, message, level in payload["problems"]
            ],
        )


def header_key(text: str) -> str | None:
    """The column a header text names, or None: "Họ và tên" → full_name, "Mã xã" → code."""
    words = f" {PUNCTUATION.sub(' ', fold(text)).strip()} "
    if not words.strip():
        return None
    for key, phrases in COLUMN_RULES:
        if any(f" {phrase} " in words for phrase in phrases):
            return key
    return None


def cell_text(value: object) -> str:
    """A cell as one line of text: a whole number without ".0", a date as dd/mm/yyyy."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


def phone_text(value: object) -> str:
    """A phone cell as text; a number typed as a number gets back the 0 that Excel dropped
    (912345678 → 0912345678, a landline 2563822123 → 02563822123)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            return cell_text(value)
        digits = str(int(value))
        return "0" + digits if len(digits) in (9, 10) else digits
    return cell_text(value)


def read_users_file(data: bytes, *, filename: str = "") -> UsersFile:
    """Read the first sheet that has the users header. Never raises for a bad file: a file that
    cannot be read (not .xlsx, too big, password-protected, corrupt, no header, no row with a
    person) comes back with one problem about the whole file and no columns or rows."""
    data = bytes(data)
    try:
        xlsx.check_container(data, filename, max_bytes=MAX_BYTES)
        book = xlsx.open_workbook(data, filename, data_only=True)
        try:
            found = _read_sheets(book.worksheets, filename)
        finally:
            book.close()
    except xlsx.Refused as refused:
        return UsersFile(problems=[refused.problem])
    return found


def _read_sheets(worksheets: list, filename: str) -> UsersFile:
    xlsx.check_row_counts(worksheets)
    for worksheet in worksheets:
        rows = xlsx.iter_rows(worksheet, filename)
        head = [row for _index, row in zip(range(HEADER_SEARCH_ROWS), rows, strict=False)]
        for index, (number, values) in enumerate(head):
            columns, duplicates = _header_columns(values)
            if not _is_header(columns):
                continue
            users = UsersFile(sheet=worksheet.title, header_row=number)
            rest = head[index + 1 :]
            if rest and _is_second_header(rest[0][1], columns):
                more, _more_duplicates = _header_columns(rest[0][1])
                columns.update({key: column for key, column in more.items() if key not in columns})
                rest = rest[1:]
            users.columns = dict(sorted(columns.items(), key=lambda item: _column_index(item[1])))
            users.problems = [
                ImportProblem(
                    worksheet.title,
                    number,
                    extra.letter,
                    _("Cột %(extra)s và cột %(kept)s đều là “%(name)s”; chỉ đọc cột %(kept)s.")
                    % {
                        "extra": extra.label,
                        "kept": columns[extra.key].label,
                        "name": COLUMN_NAMES[extra.key],
                    },
                    "warning",
                )
                for extra in duplicates
            ]
            if EMAIL not in columns:
                users.problems.append(
                    ImportProblem(
                        worksheet.title,
                        number,
                        None,
                        _(
                            "Tệp không có cột “Email”: mọi tài khoản sẽ nhận mật khẩu dùng một lần để "
                            "in và bàn giao, không có lời mời qua email."
                        ),
                        "warning",
                    )
                )
            _read_rows(users, [*rest, *rows])
            return users
    raise xlsx.Refused(
        xlsx.about_file(
            filename,
            _(
                "Không tìm thấy dòng tiêu đề của danh sách tài khoản trong tệp “%(filename)s”: cần một dòng "
                "có các cột “Mã xã” hoặc “Tên xã, phường”, “Họ và tên” và “Vai trò” (thêm “Chức vụ”, "
                "“Email”, “Điện thoại” nếu có) trong %(rows)s dòng đầu của trang tính. Hãy dùng tệp mẫu "
                "tải về từ trang nhập tài khoản."
            ),
            _(
                "Không tìm thấy dòng tiêu đề của danh sách tài khoản trong tệp tải lên: cần một dòng có "
                "các cột “Mã xã” hoặc “Tên xã, phường”, “Họ và tên” và “Vai trò” (thêm “Chức vụ”, "
                "“Email”, “Điện thoại” nếu có) trong %(rows)s dòng đầu của trang tính. Hãy dùng tệp mẫu "
                "tải về từ trang nhập tài khoản."
            ),
            rows=HEADER_SEARCH_ROWS,
        )
    )


def _header_columns(values: tuple) -> tuple[dict[str, Column], list[Column]]:
    """The columns a row's texts name (the first of each kind), and the later ones naming a kind
    again."""
    columns: dict[str, Column] = {}
    duplicates: list[Column] = []
    for index, value in enumerate(values, 1):
        if not isinstance(value, str):
            continue
        key = header_key(value)
        if key is None:
            continue
        column = Column(key, get_column_letter(index), " ".join(value.split()))
        if key in columns:
            duplicates.append(column)
        else:
            columns[key] = column
    return columns, duplicates


def _is_header(columns: dict[str, Column]) -> bool:
    return FULL_NAME in columns and ROLE in columns and (CODE in columns or UNIT in columns)


def _is_second_header(values: tuple, columns: dict[str, Column]) -> bool:
    """A row of header texts naming only columns the header lacks, with no person's name in it."""
    more, _duplicates = _header_columns(values)
    name = _value(values, columns[FULL_NAME])
    return bool(more) and not set(more) & set(columns) and (name is None or str(name).strip() == "")


def _column_index(column: Column) -> int:
    return column_index_from_string(column.letter)


def _value(values: tuple, column: Column) -> object:
    index = _column_index(column)
    return values[index - 1] if index <= len(values) else None


def _read_rows(users: UsersFile, rows: list[tuple[int, tuple]]) -> None:
    first = True
    for number, values in rows:
        cells = {}
        for key, column in users.columns.items():
            value = _value(values, column)
            text = phone_text(value) if key == PHONE else cell_text(value)
            if text:
                cells[key] = text
        if first and cells and all(COLUMN_NUMBER.fullmatch(text) for text in cells.values()):
            first = False
            continue  # the row numbering the columns: (1), (2) …
        first = False
        if not any(cells.get(key) for key in PERSON_KEYS):
            continue
        if len(users.rows) == MAX_ACCOUNTS:
            raise xlsx.Refused(
                _(
                    "Trang tính “%(sheet)s” có hơn %(limit)s dòng tài khoản. Hãy chia danh sách thành "
                    "nhiều tệp, mỗi tệp tối đa %(limit)s tài khoản, rồi nhập lần lượt."
                )
                % {"sheet": users.sheet, "limit": MAX_ACCOUNTS},
                users.sheet,
            )
        users.rows.append(SheetRow(number, cells))
    if not users.rows:
        raise xlsx.Refused(
            _(
                "Trang tính “%(sheet)s” có dòng tiêu đề (dòng %(row)s) nhưng không có dòng nào ghi họ tên, "
                "email hay điện thoại của một người bên dưới: không có tài khoản nào để tạo."
            )
            % {"sheet": users.sheet, "row": users.header_row},
            users.sheet,
        )
