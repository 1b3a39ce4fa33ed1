"""Each persona logs in through the real form in Chromium, lands on its home and logs out.

The same small map as ``core.testing.PortalTestCase`` (``build_world``). The live server
runs in another thread, so the data is committed
(``transactional_db``) rather than wrapped in a test transaction.

Screenshots go to ``test-artifacts/home-<role>.png`` for a person to look at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from communes.models import AdministrativeUnit
from core.testing import build_world
from core.testing_browser import (
    CSP_WORDS,
    DESKTOP,
    LOGIN_PATH,
    PHONE,
    log_in,
    log_out,
    open_page,
    scroll_width,
    watch_problems,
)

pytestmark = pytest.mark.browser

WRONG_PASSWORD_MESSAGE = "Tên đăng nhập hoặc mật khẩu không đúng"


@dataclass(frozen=True)
class Portal:
    base_url: str
    hoai_chau: AdministrativeUnit
    tam_quan: AdministrativeUnit
    hoai_nhon: AdministrativeUnit
    binh_dinh: AdministrativeUnit

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


@pytest.fixture
def portal(live_server, transactional_db) -> Portal:
    """The units and personas of ``PortalTestCase``, committed for the live server's thread."""
    world = build_world()
    return Portal(
        base_url=live_server.url,
        hoai_chau=world.hoai_chau,
        tam_quan=world.tam_quan,
        hoai_nhon=world.hoai_nhon,
        binh_dinh=world.binh_dinh,
    )


def expect_home(page: Page, portal: Portal, path: str, heading: str) -> None:
    expect(page).to_have_url(portal.url(path))
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    page.wait_for_load_state("load")


# role (the screenshot's name), username, where its home is, the home's h1.
HOMES = [
    ("officer", "officer", "hoai_chau", "Xã Hoài Châu"),
    ("chairman", "chairman", "hoai_chau", "Xã Hoài Châu"),
    ("reviewer", "reviewer", "hoai_nhon", "Thị xã Hoài Nhơn"),
    ("administrator", "administrator", "binh_dinh", "Tỉnh Bình Định"),
    ("new_officer", "new_officer", "tam_quan", "Phường Tam Quan"),
]


@pytest.mark.parametrize(("role", "username", "unit", "heading"), HOMES, ids=[h[0] for h in HOMES])
def test_each_role_logs_in_to_its_home_and_logs_out(
    browser, portal, artifacts_dir, role, username, unit, heading
):
    context, page = open_page(browser, DESKTOP)
    try:
        log_in(page, portal, username)
        expect_home(page, portal, f"/units/{getattr(portal, unit).pk}/", heading)
        if role in ("reviewer", "administrator"):
            # Its unit's page: the work card, the overview of its communes one click away.
            expect(page.get_by_role("heading", level=2, name=re.compile("^Công việc"))).to_be_visible()
            expect(page.get_by_role("link", name=re.compile("^Tổng hợp hồ sơ TTHC"))).to_be_visible()
        page.screenshot(path=artifacts_dir / f"home-{role}.png", full_page=True)
        log_out(page, portal, display_name=username.title())
    finally:
        context.close()


def test_officer_logs_in_and_out_on_a_narrow_phone(browser, portal, artifacts_dir):
    context, page = open_page(browser, PHONE)
    try:
        log_in(page, portal, "officer")
        expect_home(page, portal, f"/units/{portal.hoai_chau.pk}/", "Xã Hoài Châu")
        assert scroll_width(page) <= PHONE["width"], "the officer's home scrolls sideways at 360 px"
        page.screenshot(path=artifacts_dir / "home-officer-360.png", full_page=True)

        user_menu = page.get_by_role("button", name="Officer", exact=True)
        expect(user_menu).to_be_hidden()
        toggler = page.get_by_role("button", name="Mở menu", exact=True)
        toggler.click()
        expect(toggler).to_have_attribute("aria-expanded", "true")
        expect(user_menu).to_be_visible()
        assert scroll_width(page) <= PHONE["width"], "the open menu scrolls sideways at 360 px"
        log_out(page, portal, display_name="Officer")
        assert scroll_width(page) <= PHONE["width"], "the login page scrolls sideways at 360 px"
    finally:
        context.close()


def test_wrong_password_stays_on_the_login_page_with_the_message(browser, portal):
    context, page = open_page(browser, DESKTOP)
    try:
        log_in(page, portal, "officer", password="sai-mat-khau", succeed=False)
        expect(page).to_have_url(portal.url(LOGIN_PATH))
        expect(page.get_by_role("alert")).to_contain_text(WRONG_PASSWORD_MESSAGE)
        expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
        expect(page.get_by_label("Tên đăng nhập", exact=True)).to_have_value("officer")
        # Not logged in: the home still sends to the login page.
        page.goto(portal.url("/"))
        expect(page).to_have_url(re.compile(re.escape(portal.url(LOGIN_PATH)) + r"\?next="))
    finally:
        context.close()


def test_login_and_home_pages_do_not_violate_the_content_security_policy(browser, portal):
    context, page = open_page(browser, DESKTOP)
    problems = watch_problems(page)
    try:
        response = page.goto(portal.url(LOGIN_PATH))
        assert response is not None
        assert "script-src 'self'" in (response.headers.get("content-security-policy") or "")
        page.wait_for_load_state("load")
        log_in(page, portal, "officer")
        expect_home(page, portal, f"/units/{portal.hoai_chau.pk}/", "Xã Hoài Châu")
        # Bootstrap's script ran under the policy: the dropdown opens.
        page.get_by_role("button", name="Officer", exact=True).click()
        expect(page.get_by_role("button", name="Đăng xuất", exact=True)).to_be_visible()

        violations = [p for p in problems if any(word in p for word in CSP_WORDS)]
        assert violations == [], "\n".join(violations)
        assert problems == [], "\n".join(problems)

        # The listener does see a violation: an inline style is refused on this page.
        with page.expect_console_message(lambda m: m.type == "error" and "Content Security Policy" in m.text):
            page.evaluate("document.head.appendChild(document.createElement('style')).textContent = 'p{}'")
    finally:
        context.close()
