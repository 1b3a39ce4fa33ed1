"""The users file template: the sheet an administrator fills and uploads (accounts/importing/).

Pure: the province and its communes in, the .xlsx's bytes out. The first sheet is pre-filled with
the province's Sở Nội vụ row and two rows a commune (its officer and its chairman) with their code,
name and role, the person's columns blank: rows left blank are passed over on import, so a
province fills in what it has and uploads the whole sheet. The second sheet, "Hướng dẫn", says
how each column is written, with the role words the import reads and an example.
"""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from communes.models import AdministrativeUnit, Role
from core.xlsx import FONT_NAME, put_text

from .importing import ROLE_WORDS

SHEET = "Tài khoản"
GUIDE_SHEET = "Hướng dẫn"
HEADER_ROW = 4
# The header texts, as the import reads them (accounts.importing.reading.COLUMN_RULES), with
# each column's width.
COLUMNS = (
    ("STT", 6),
    ("Mã xã", 9),
    ("Tên xã, phường", 26),
    ("Họ và tên", 26),
    ("Chức vụ", 28),
    ("Vai trò", 16),
    ("Email", 30),
    ("Điện thoại", 15),
    ("Tên đăng nhập (để trống: tự tạo)", 22),
)
TEXT_COLUMNS = (2, 8, 9)  # the code, the phone and the username stay text: Excel drops leading zeros
ROLE_COLUMN = 6
FILLED_ROLES = ((Role.OFFICER, "Công chức"), (Role.CHAIRMAN, "Chủ tịch"))
REVIEWER_WORD = "Thẩm định"
LIST_WORDS = ("Công chức", "Chủ tịch", "Phó Chủ tịch", "Thẩm định")

HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _font(*, bold: bool = False, size: int = 12, italic: bool = False) -> Font:
    return Font(name=FONT_NAME, bold=bold, size=size, italic=italic)


def users_template_xlsx(
    *, province: AdministrativeUnit | None, communes: Iterable[AdministrativeUnit]
) -> bytes:
    """The template for ``province`` (None: a blank one, for a superuser who has not picked a
    province), pre-filled with ``communes`` in their order."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    last = get_column_letter(len(COLUMNS))
    title = _("DANH SÁCH TÀI KHOẢN TRÊN CỔNG CCHC")
    if province is not None:
        title = f"{title} – {province.name.upper()}"
    put_text(sheet.cell(1, 1), title)
    sheet.cell(1, 1).font = _font(bold=True, size=14)
    sheet.merge_cells(f"A1:{last}1")
    put_text(
        sheet.cell(2, 1),
        _(
            "Mỗi dòng một tài khoản; dòng chưa ghi họ tên, email hay điện thoại được bỏ qua. Có email: "
            "người dùng nhận lời mời qua email để tự đặt mật khẩu; không có email: cổng cấp mật khẩu dùng "
            "một lần để in và bàn giao. Xem trang “Hướng dẫn”."
        ),
    )
    sheet.cell(2, 1).font = _font(italic=True, size=11)
    sheet.cell(2, 1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(f"A2:{last}2")
    sheet.row_dimensions[2].height = 45
    for column, (text, width) in enumerate(COLUMNS, 1):
        cell = sheet.cell(HEADER_ROW, column)
        put_text(cell, text)
        cell.font = _font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.row_dimensions[HEADER_ROW].height = 32

    rows: list[tuple[AdministrativeUnit, str]] = []
    if province is not None:
        rows.append((province, REVIEWER_WORD))
    rows.extend((commune, word) for commune in communes for _role, word in FILLED_ROLES)
    for number, (unit, word) in enumerate(rows, 1):
        line = HEADER_ROW + number
        sheet.cell(line, 1, number)
        put_text(sheet.cell(line, 2), unit.code)
        put_text(sheet.cell(line, 3), unit.name)
        put_text(sheet.cell(line, ROLE_COLUMN), word)
    end = HEADER_ROW + max(len(rows), 1) + 20  # a few blank rows to add people by hand
    for line in range(HEADER_ROW + 1, end + 1):
        for column in range(1, len(COLUMNS) + 1):
            cell = sheet.cell(line, column)
            cell.border = BOX
            cell.font = _font(size=11)
            if column in TEXT_COLUMNS:
                cell.number_format = "@"
    choices = DataValidation(
        type="list",
        formula1='"' + ",".join(LIST_WORDS) + '"',
        allow_blank=True,
        errorStyle="warning",
        showErrorMessage=True,
        errorTitle=_("Vai trò"),
        error=_("Nên chọn một vai trò trong danh sách (xem trang “Hướng dẫn”)."),
    )
    sheet.add_data_validation(choices)
    letter = get_column_letter(ROLE_COLUMN)
    choices.add(f"{letter}{HEADER_ROW + 1}:{letter}{end}")
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 4).coordinate
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    _guide(book.create_sheet(GUIDE_SHEET), province)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _guide(sheet, province: AdministrativeUnit | None) -> None:
    code = province.code if province is not None else "52"
    name = province.name if province is not None else "Tỉnh Gia Lai"
    head, text = True, False  # whether a line is bold
    lines: list[tuple[bool, tuple[str, ...]]] = [
        (head, (_("HƯỚNG DẪN ĐIỀN DANH SÁCH TÀI KHOẢN"),)),
        (text, ()),
        (head, (_("Cột"), _("Cách ghi"))),
        (
            text,
            (
                _("Mã xã"),
                _(
                    "Mã đơn vị hành chính chính thức (5 chữ số, ví dụ 21637); có thể để trống nếu ghi tên "
                    "xã. Cán bộ Sở Nội vụ ghi mã tỉnh (%(code)s) hoặc để trống."
                )
                % {"code": code},
            ),
        ),
        (
            text,
            (
                _("Tên xã, phường"),
                _(
                    "Tên xã, phường, đặc khu, có hoặc không có chữ “Xã”, “Phường” (“Tam Quan” hay “Phường "
                    "Tam Quan”), có dấu hay không dấu. Nếu hai xã trùng tên, hãy ghi mã xã."
                ),
            ),
        ),
        (text, (_("Họ và tên"), _("Bắt buộc. Dòng không có họ tên, email, điện thoại thì được bỏ qua."))),
        (text, (_("Chức vụ"), _("Ví dụ: Chủ tịch UBND phường, Công chức Văn phòng HĐND và UBND."))),
        (text, (_("Vai trò"), _("Một trong các vai trò ở bảng dưới."))),
        (
            text,
            (
                _("Email"),
                _(
                    "Có email: người dùng nhận thư mời để tự đặt mật khẩu (liên kết dùng được %(days)s "
                    "ngày). Để trống: cổng cấp mật khẩu dùng một lần, in ra để bàn giao; người dùng phải "
                    "đổi mật khẩu khi đăng nhập lần đầu. Mỗi người một email; email đã có tài khoản trên "
                    "cổng không dùng lại được."
                )
                % {"days": settings.INVITATION_VALID_DAYS},
            ),
        ),
        (text, (_("Điện thoại"), _("Một số, ví dụ 0912 345 678."))),
        (
            text,
            (
                _("Tên đăng nhập"),
                _(
                    "Để trống thì cổng tự tạo theo tên xã và vai trò: tamquan.canbo, tamquan.chutich, "
                    "tamquan.phochutich; người thứ hai cùng xã, cùng vai trò là tamquan.canbo2; cán bộ Sở "
                    "Nội vụ là gialai.sonoivu. Nếu tên đó đã có trên cổng, hãy ghi một tên khác."
                ),
            ),
        ),
        (text, ()),
        (head, (_("Vai trò trên cổng"), _("Ghi trong cột “Vai trò”"), _("Giao cho"))),
    ]
    gives = {
        Role.OFFICER: _("một xã, phường: nhập và gửi số liệu"),
        Role.CHAIRMAN: _("một xã, phường: ký, gửi báo cáo"),
        Role.REVIEWER: _("tỉnh (Sở Nội vụ): thẩm định, duyệt"),
    }
    for role, words in ROLE_WORDS.items():
        lines.append((text, (str(Role(role).label), ", ".join(f"“{word}”" for word in words), gives[role])))
    example = [
        ("1", "21637", "Phường Tam Quan", "Đặng Thị Kim", "Công chức Văn phòng HĐND và UBND", "Công chức"),
        ("2", "21637", "Phường Tam Quan", "Nguyễn Hữu Phước", "Chủ tịch UBND phường", "Chủ tịch"),
        ("3", "", "Tam Quan", "Trần Văn An", "Phó Chủ tịch UBND phường", "Phó Chủ tịch"),
        ("4", code, name, "Trương Văn Lực", "Chuyên viên Sở Nội vụ", "Thẩm định"),
    ]
    contacts = [
        ("dangthikim@gialai.gov.vn", "0912 345 678", ""),
        ("", "", ""),
        ("", "0256 3861 234", "tamquan.an"),
        ("truongvanluc@gialai.gov.vn", "", ""),
    ]
    lines += [
        (text, (_("Quản trị viên không tạo được từ tệp: hãy giao trong trang quản trị."),)),
        (text, ()),
        (head, (_("Ví dụ"),)),
        (head, tuple(header for header, _width in COLUMNS)),
        *((text, first + rest) for first, rest in zip(example, contacts, strict=True)),
    ]
    for number, (bold, values) in enumerate(lines, 1):
        for column, value in enumerate(values, 1):
            cell = sheet.cell(number, column)
            put_text(cell, str(value))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.font = _font(size=11, bold=bold)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 70
    for column in range(3, len(COLUMNS) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 22
