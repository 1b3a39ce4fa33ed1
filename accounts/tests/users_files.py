"""Users files made the way people make them, and the places they name.

``users_xlsx`` writes a sheet with openpyxl as a Sở Nội vụ types it by hand: a title row or two, a
header spelled its own way, codes typed as numbers, trailing spaces, blank rows. ``GiaLaiTestCase``
adds to ``build_world`` a current-era Gia Lai with a few more communes (two of them sharing a short
name, one closed since), a current-era Quảng Trị with its own administrator, and Gia Lai's
administrator.
"""

from __future__ import annotations

import datetime
from io import BytesIO

from openpyxl import Workbook

from communes.models import Era, Kind, Level, Role
from core.testing import PortalTestCase, make_unit, make_user

HEADER = ("STT", "Mã xã", "Tên xã, phường", "Họ và tên", "Chức vụ", "Vai trò", "Email", "Điện thoại")
TITLE = ("DANH SÁCH CÁN BỘ, CÔNG CHỨC ĐĂNG KÝ TÀI KHOẢN CỔNG CCHC",)


def users_xlsx(
    rows,
    *,
    header=HEADER,
    title_rows=(TITLE, ("(Kèm theo Công văn số 123/SNV-CCHC)",), ()),
    sheets_before=(),
    sheet_title="Danh sách",
) -> bytes:
    """An .xlsx whose first sheet (after ``sheets_before``, each a list of rows) holds
    ``title_rows``, ``header`` and ``rows``."""
    book = Workbook()
    first = book.active
    for index, extra in enumerate(sheets_before):
        sheet = first if index == 0 else book.create_sheet()
        sheet.title = f"Ghi chú {index + 1}"
        for values in extra:
            sheet.append(list(values))
    sheet = book.create_sheet(sheet_title) if sheets_before else first
    sheet.title = sheet_title
    for values in [*title_rows, header, *rows]:
        sheet.append(list(values))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row(code, unit, name, position, role, email="", phone="", *, number=""):
    return (number, code, unit, name, position, role, email, phone)


class GiaLaiTestCase(PortalTestCase):
    """``build_world`` and more of the present: Gia Lai's communes and administrator, Quảng Trị."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.hoai_nhon_bac = make_unit(
            Era.CURRENT, Level.COMMUNE, Kind.PHUONG, "21610", "Phường Hoài Nhơn Bắc", cls.gia_lai
        )
        cls.an_lao = make_unit(Era.CURRENT, Level.COMMUNE, Kind.XA, "21655", "Xã An Lão", cls.gia_lai)
        # Two communes answering to "Hoài Nhơn": a name without its kind is ambiguous.
        cls.hoai_nhon_ward = make_unit(
            Era.CURRENT, Level.COMMUNE, Kind.PHUONG, "21607", "Phường Hoài Nhơn", cls.gia_lai
        )
        cls.hoai_nhon_commune = make_unit(
            Era.CURRENT, Level.COMMUNE, Kind.XA, "21634", "Xã Hoài Nhơn", cls.gia_lai
        )
        # Closed on 31/1/2026 (merged into An Lão, say): no account is made for it after that.
        cls.closed = make_unit(
            Era.CURRENT,
            Level.COMMUNE,
            Kind.XA,
            "21661",
            "Xã An Trung",
            cls.gia_lai,
            valid_from=datetime.date(2025, 7, 1),
            valid_to=datetime.date(2026, 1, 31),
        )
        cls.quang_tri = make_unit(Era.CURRENT, Level.PROVINCE, Kind.TINH, "44", "Tỉnh Quảng Trị")
        cls.gio_linh = make_unit(Era.CURRENT, Level.COMMUNE, Kind.XA, "19366", "Xã Gio Linh", cls.quang_tri)
        cls.gia_lai_admin = make_user("gialai.quantri", (cls.gia_lai, Role.ADMINISTRATOR), is_staff=True)
        cls.quang_tri_admin = make_user(
            "quangtri.quantri", (cls.quang_tri, Role.ADMINISTRATOR), is_staff=True
        )
        cls.superuser = make_user("quantri", is_staff=True, is_superuser=True)
