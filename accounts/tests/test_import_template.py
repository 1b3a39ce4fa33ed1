"""The users template: read back with openpyxl, filled in as a province would, imported; and a file
saved by LibreOffice."""

from __future__ import annotations

import datetime
import shutil
import subprocess
import tempfile
import unittest
from io import BytesIO
from pathlib import Path

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from accounts.exports import GUIDE_SHEET, HEADER_ROW, SHEET
from accounts.importing import read_users_file, users_review
from communes.models import Membership, Role, User

from .users_files import GiaLaiTestCase, row, users_xlsx

NOW = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC)
IMPORT = reverse("accounts:import")
TEMPLATE = reverse("accounts:import_template")


@time_machine.travel(NOW, tick=False)
class TemplateTests(GiaLaiTestCase):
    def download(self, user=None, query=""):
        self.login(user or self.gia_lai_admin)
        response = self.client.get(TEMPLATE + query)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        return response

    def test_the_template_has_the_styled_header_and_every_commune_twice(self):
        response = self.download()
        self.assertIn('filename="mau-tai-khoan-52.xlsx"', response["Content-Disposition"])
        book = load_workbook(BytesIO(response.content))
        self.assertEqual(book.sheetnames, [SHEET, GUIDE_SHEET])
        sheet = book[SHEET]
        self.assertIn("TỈNH GIA LAI", sheet["A1"].value)
        header = [cell.value for cell in sheet[HEADER_ROW]]
        self.assertEqual(
            header,
            [
                "STT",
                "Mã xã",
                "Tên xã, phường",
                "Họ và tên",
                "Chức vụ",
                "Vai trò",
                "Email",
                "Điện thoại",
                "Tên đăng nhập (để trống: tự tạo)",
            ],
        )
        for cell in sheet[HEADER_ROW]:
            self.assertTrue(cell.font.bold)
            self.assertEqual(cell.fill.fgColor.rgb, "00DDE6F0")
        self.assertEqual(sheet.freeze_panes, f"D{HEADER_ROW + 1}")
        filled = [
            tuple(cell.value for cell in line[1:9])
            for line in sheet.iter_rows(min_row=HEADER_ROW + 1)
            if line[1].value
        ]
        # The Sở Nội vụ row, then every commune alive today in code order, officer then chairman;
        # Xã An Trung, closed since January, is left out. The person's columns are blank.
        communes = [
            ("21607", "Phường Hoài Nhơn"),
            ("21610", "Phường Hoài Nhơn Bắc"),
            ("21634", "Xã Hoài Nhơn"),
            ("21637", "Phường Tam Quan"),
            ("21655", "Xã An Lão"),
        ]
        expected = [("52", "Tỉnh Gia Lai", None, None, "Thẩm định", None, None, None)]
        for code, name in communes:
            for word in ("Công chức", "Chủ tịch"):
                expected.append((code, name, None, None, word, None, None, None))
        self.assertEqual(filled, expected)
        self.assertEqual(sheet.cell(HEADER_ROW + 2, 2).number_format, "@")  # codes stay text
        self.assertEqual(sheet.cell(HEADER_ROW + 2, 8).number_format, "@")  # and phones too
        choices = sheet.data_validations.dataValidation[0]
        self.assertEqual(choices.formula1, '"Công chức,Chủ tịch,Phó Chủ tịch,Thẩm định"')

    def test_the_guide_lists_the_role_words_and_an_example(self):
        book = load_workbook(BytesIO(self.download().content))
        text = "\n".join(
            str(cell.value) for line in book[GUIDE_SHEET].iter_rows() for cell in line if cell.value
        )
        for fragment in (
            "HƯỚNG DẪN",
            "“Công chức phụ trách CCHC”",
            "“Phó Chủ tịch”",
            "“Thẩm định”",
            "tamquan.canbo2",
            "Quản trị viên không tạo được từ tệp",
            "Đặng Thị Kim",
            "mật khẩu dùng một lần",
        ):
            self.assertIn(fragment, text)

    def test_another_provinces_template_has_its_own_communes(self):
        book = load_workbook(BytesIO(self.download(self.quang_tri_admin).content))
        codes = [line[1].value for line in book[SHEET].iter_rows(min_row=HEADER_ROW + 1) if line[1].value]
        self.assertEqual(codes, ["44", "19366", "19366"])

    def test_a_superuser_without_a_province_gets_a_blank_template(self):
        book = load_workbook(BytesIO(self.download(self.superuser).content))
        self.assertEqual(
            [line[1].value for line in book[SHEET].iter_rows(min_row=HEADER_ROW + 1) if line[1].value], []
        )
        book = load_workbook(BytesIO(self.download(self.superuser, f"?province={self.gia_lai.pk}").content))
        self.assertEqual(book[SHEET].cell(HEADER_ROW + 1, 3).value, "Tỉnh Gia Lai")

    def test_the_template_filled_in_a_few_rows_imports_only_those(self):
        book = load_workbook(BytesIO(self.download().content))
        sheet = book[SHEET]
        lines = {(line[1].value, line[5].value): line for line in sheet.iter_rows(min_row=HEADER_ROW + 1)}
        kim = lines[("21637", "Công chức")]
        kim[3].value, kim[4].value, kim[6].value = "Đặng Thị Kim ", "Công chức Văn phòng", "kim@gialai.gov.vn"
        phuoc = lines[("21637", "Chủ tịch")]
        phuoc[3].value, phuoc[7].value = "Nguyễn Hữu Phước", "0912345678"
        luc = lines[("52", "Thẩm định")]
        luc[3].value, luc[8].value = "Trương Văn Lực", "gialai.luc"
        buffer = BytesIO()
        book.save(buffer)
        upload = SimpleUploadedFile("mau-tai-khoan-52.xlsx", buffer.getvalue())
        response = self.client.post(IMPORT, {"file": upload, "province": self.gia_lai.pk})
        self.assertEqual(response.status_code, 200)
        accounts = response.context["review"].accounts
        self.assertEqual([a.username for a in accounts], ["gialai.luc", "tamquan.canbo", "tamquan.chutich"])
        response = self.client.post(
            IMPORT, {"payload": response.context["payload"], "province": self.gia_lai.pk}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            set(
                Membership.objects.filter(user__created_by=self.gia_lai_admin).values_list(
                    "user__username", "role"
                )
            ),
            {
                ("gialai.luc", Role.REVIEWER),
                ("tamquan.canbo", Role.OFFICER),
                ("tamquan.chutich", Role.CHAIRMAN),
            },
        )
        self.assertEqual(User.objects.get(username="tamquan.chutich").phone, "0912345678")


class LibreOfficeTests(GiaLaiTestCase):
    """A users file as LibreOffice Calc saves it (its own XML: inline strings, shared formulas,
    numbers typed as numbers). Needs ``soffice``; skipped without it."""

    def test_a_file_saved_by_libreoffice_imports(self):
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice is None:
            raise unittest.SkipTest("soffice not found (apt-get install libreoffice-calc-nogui)")
        source = users_xlsx(
            [
                row(
                    21637,
                    "Phường Tam Quan ",
                    "Đặng Thị Kim",
                    "Công chức",
                    "Công chức",
                    "kim@gialai.gov.vn",
                    912345678,
                ),
                (),
                row("", "Hoài Nhơn Bắc", "Võ Đình Khải", "", "Chủ tịch"),
            ],
            header=("STT", "MÃ XÃ", "Xã/Phường", "HỌ TÊN", "Chức danh", "Vai trò", "E-mail", "SĐT"),
        )
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "nguon.xlsx"
            path.write_bytes(source)
            # Through LibreOffice's own format and back, so that the .xlsx is all its writing.
            for target, filter_name in (("ods", "calc8"), ("xlsx", "Calc MS Excel 2007 XML")):
                out = Path(folder) / target
                out.mkdir()
                subprocess.run(  # noqa: S603
                    [
                        soffice,
                        f"-env:UserInstallation=file://{folder}/profile",
                        "--headless",
                        "--convert-to",
                        f"{target}:{filter_name}",
                        "--outdir",
                        str(out),
                        str(path),
                    ],
                    check=True,
                    capture_output=True,
                    timeout=120,
                )
                path = out / f"nguon.{target}"
            data = path.read_bytes()
        self.assertNotEqual(data, source)
        checked = users_review(
            read_users_file(data, filename="nguon.xlsx"), province=self.gia_lai, today=NOW.date()
        )
        self.assertEqual(checked.errors, [])
        self.assertEqual(
            [(a.username, a.email, a.phone) for a in checked.accounts],
            [("tamquan.canbo", "kim@gialai.gov.vn", "0912345678"), ("hoainhonbac.chutich", "", "")],
        )
