"""Gia Lai's administrator imports accounts in Chromium: the upload, the preview, the confirmation,
and the hand-over sheet printed on A4 without the portal's navigation.

Screenshots go to ``test-artifacts/import-accounts-preview.png`` and ``-result.png``, the printed
sheet to ``test-artifacts/import-accounts-handover.pdf``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from communes.models import Era, Kind, Level, Role
from core.testing import build_world, make_unit, make_user, pdf_run, pdf_text
from core.testing_browser import DESKTOP, log_in, open_page, watch_problems

from .users_files import row, users_xlsx

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Portal:
    base_url: str

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


@pytest.fixture
def portal(live_server, transactional_db) -> Portal:
    world = build_world()
    make_unit(Era.CURRENT, Level.COMMUNE, Kind.PHUONG, "21610", "Phường Hoài Nhơn Bắc", world.gia_lai)
    make_user("gialai.quantri", (world.gia_lai, Role.ADMINISTRATOR), is_staff=True)
    return Portal(live_server.url)


def test_an_administrator_imports_a_file_and_prints_the_hand_over_sheet(
    browser, portal, tmp_path, artifacts_dir
):
    path = tmp_path / "tai-khoan-gia-lai.xlsx"
    path.write_bytes(
        users_xlsx(
            [
                row(
                    21637,
                    "Phường Tam Quan",
                    "Đặng Thị Kim",
                    "Công chức Văn phòng",
                    "Công chức",
                    "kim@gialai.gov.vn",
                ),
                row(21637, "Phường Tam Quan", "Nguyễn Hữu Phước", "Chủ tịch UBND phường", "Chủ tịch"),
                row(21610, "Phường Hoài Nhơn Bắc", "Võ Đình Khải", "Chủ tịch UBND phường", "Chủ tịch"),
            ]
        )
    )
    context, page = open_page(browser, DESKTOP)
    problems = watch_problems(page)
    try:
        log_in(page, portal, "gialai.quantri")
        page.goto(portal.url("/tai-khoan/nhap/"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Nhập tài khoản từ Excel – Tỉnh Gia Lai")
        page.get_by_label(re.compile("Tệp danh sách tài khoản")).set_input_files(str(path))
        page.get_by_role("button", name="Tải lên và kiểm tra").click()
        expect(page.locator("#import-preview")).to_contain_text("3 tài khoản sẽ được tạo")
        expect(page.locator("#import-accounts tbody tr")).to_have_count(3)
        page.screenshot(path=artifacts_dir / "import-accounts-preview.png", full_page=True)

        page.get_by_role("button", name="Xác nhận tạo 3 tài khoản").click()
        expect(page.locator("#import-done")).to_contain_text("Đã tạo 3 tài khoản.")
        passwords = page.locator("#handover .one-time-password").all_inner_texts()
        assert len(passwords) == 2
        expect(page.get_by_role("button", name="In phiếu bàn giao")).to_be_visible()
        page.screenshot(path=artifacts_dir / "import-accounts-result.png", full_page=True)

        pdf = page.pdf(format="A4", print_background=True)
        (artifacts_dir / "import-accounts-handover.pdf").write_bytes(pdf)
        assert problems == []
    finally:
        context.close()
    text = pdf_text(pdf)
    for password in passwords:
        assert password in text
    assert "hoainhonbac.chutich" in text and "tamquan.chutich" in text
    # Printed: the sheet alone, without the navigation, the footer or the page's own notices.
    for screen_only in (
        "Đổi mật khẩu",
        "Cổng theo dõi cải cách hành chính",
        "Đến danh sách tài khoản",
        "kim@gialai.gov.vn",
    ):
        assert screen_only not in text
    assert re.search(r"Page size: +[\d.]+ x [\d.]+ pts \(A4\)", pdf_run("pdfinfo", pdf))


def test_a_file_with_errors_lists_them_and_keeps_the_upload_form(browser, portal, tmp_path, artifacts_dir):
    path = tmp_path / "loi.xlsx"
    path.write_bytes(
        users_xlsx(
            [
                row(21637, "Phường Tam Quan", "Đặng Thị Kim", "", "Công chức", "kim@gialai"),
                row(21999, "", "Nguyễn An", "", "Chủ tịch"),
                row(21637, "Tam Quan", "Đặng Thị Kim", "", "Cán bộ"),
            ]
        )
    )
    context, page = open_page(browser, DESKTOP)
    problems = watch_problems(page)
    try:
        log_in(page, portal, "gialai.quantri")
        page.goto(portal.url("/tai-khoan/nhap/"))
        page.get_by_label(re.compile("Tệp danh sách tài khoản")).set_input_files(str(path))
        page.get_by_role("button", name="Tải lên và kiểm tra").click()
        errors = page.locator("#import-problems")
        expect(errors).to_contain_text("Tệp có 2 lỗi; không có tài khoản nào được tạo.")
        expect(errors.locator("li")).to_have_count(2)
        expect(errors).to_contain_text("Dòng 5, cột G (Email): “kim@gialai” không phải địa chỉ email hợp lệ")
        expect(errors).to_contain_text(
            "Dòng 6, cột B (Mã xã): không có xã, phường nào mã 21999 trong tỉnh Gia Lai"
        )
        expect(page.get_by_role("button", name=re.compile("Xác nhận"))).to_have_count(0)
        expect(page.get_by_role("button", name="Tải lên và kiểm tra")).to_be_visible()
        page.screenshot(path=artifacts_dir / "import-accounts-errors.png", full_page=True)
        assert [p for p in problems if "status of 400" not in p] == []  # the refusal answers 400
    finally:
        context.close()
