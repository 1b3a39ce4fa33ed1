"""A one-time password in Chromium: the administrator finds the account in the list, issues the
password on a sheet to print; the person logs in with it, is sent to choose its own, then lands on
its home. At an office PC's width and a phone's.

Screenshots go to ``test-artifacts/accounts-*.png`` and ``first-login-*.png``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from communes.models import AdministrativeUnit, Role
from core.testing import build_world
from core.testing_browser import (
    DESKTOP,
    PHONE,
    log_in,
    log_out,
    open_menu,
    open_page,
    scroll_width,
    watch_problems,
)

from .people_world import make_invited

pytestmark = pytest.mark.browser

OWN_PASSWORD = "Nui-Ba-Den-2026!"


@dataclass(frozen=True)
class Portal:
    base_url: str
    hoai_chau_bac: AdministrativeUnit
    neighbour_pk: int

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


@pytest.fixture
def portal(live_server, transactional_db) -> Portal:
    world = build_world()
    world.neighbour.full_name, world.neighbour.job_title = "Võ Văn Láng", "Công chức Văn phòng – Thống kê"
    world.neighbour.phone = "0912 345 678"
    world.neighbour.save()
    make_invited(
        "hoaichaubac.chutich",
        world.hoai_chau_bac,
        Role.CHAIRMAN,
        email="chutich.hcb@example.com",
        full_name="Nguyễn Thị Mới",
    )
    return Portal(
        base_url=live_server.url, hoai_chau_bac=world.hoai_chau_bac, neighbour_pk=world.neighbour.pk
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "360"])
def test_a_one_time_password_is_handed_over_then_changed_at_first_login(
    browser, portal, artifacts_dir, viewport
):
    width = viewport["width"]
    context, page = open_page(browser, viewport)
    problems = watch_problems(page)
    try:
        log_in(page, portal, "administrator")
        open_menu(page)
        page.get_by_role("link", name="Tài khoản", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Tài khoản")
        row = page.locator(f'tr[data-account="{portal.neighbour_pk}"]')
        expect(row).to_contain_text("Võ Văn Láng")
        expect(row).to_contain_text("Đang hoạt động")
        page.wait_for_load_state("load")
        assert scroll_width(page) <= width, f"the account list scrolls sideways at {width} px"
        page.screenshot(path=artifacts_dir / f"accounts-list-{width}.png", full_page=True)

        row.get_by_role("link", name="Cấp mật khẩu dùng một lần").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Cấp mật khẩu dùng một lần cho Võ Văn Láng?"
        )
        page.get_by_role("button", name="Cấp mật khẩu và hiện để in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Thông tin đăng nhập Cổng CCHC")
        password = page.locator('[data-field="password"]').inner_text()
        assert re.fullmatch(r"[a-km-zA-HJ-NP-Z2-9]{10}", password), password
        assert scroll_width(page) <= width
        page.screenshot(path=artifacts_dir / f"accounts-one-time-password-{width}.png", full_page=True)
        # As printed: the sheet alone.
        page.emulate_media(media="print")
        expect(page.locator(".portal-header")).to_be_hidden()
        expect(page.get_by_role("button", name="In trang này")).to_be_hidden()
        page.screenshot(path=artifacts_dir / f"accounts-one-time-password-print-{width}.png", full_page=True)
        page.emulate_media(media="screen")

        open_menu(page)
        log_out(page, portal, display_name="Administrator")
        log_in(page, portal, "neighbour", password)
        expect(page).to_have_url(portal.url("/accounts/password/"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Đặt mật khẩu của bạn")
        expect(page.locator('[data-notice="must-change-password"]')).to_contain_text("mật khẩu dùng một lần")
        # Any other page leads back here.
        page.goto(portal.url(f"/units/{portal.hoai_chau_bac.pk}/"))
        expect(page).to_have_url(portal.url("/accounts/password/"))
        page.wait_for_load_state("load")
        assert scroll_width(page) <= width
        page.screenshot(path=artifacts_dir / f"first-login-change-{width}.png", full_page=True)

        page.get_by_label("Mật khẩu hiện tại", exact=True).fill(password)
        page.get_by_label("Mật khẩu mới", exact=True).fill(OWN_PASSWORD)
        page.get_by_label("Nhập lại mật khẩu mới", exact=True).fill(OWN_PASSWORD)
        page.get_by_role("button", name="Lưu mật khẩu mới", exact=True).click()
        expect(page).to_have_url(portal.url(f"/units/{portal.hoai_chau_bac.pk}/"))
        expect(page.get_by_role("status")).to_contain_text("Đã lưu mật khẩu mới của bạn.")
        page.wait_for_load_state("load")
        page.screenshot(path=artifacts_dir / f"first-login-home-{width}.png")
        assert problems == [], "\n".join(problems)
    finally:
        context.close()
