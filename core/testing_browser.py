"""Helpers of the browser tests (Playwright on Debian's Chromium; see conftest.py)."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Error, Page, expect

from .testing import PASSWORD

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
LOGIN_PATH = "/accounts/login/"


def open_page(browser: Browser, viewport: dict[str, int]) -> tuple[BrowserContext, Page]:
    # An English browser, as many office PCs have: the portal must still speak Vietnamese.
    context = browser.new_context(viewport=viewport, locale="en-US")
    return context, context.new_page()


def log_in(page: Page, portal, username: str, password: str = PASSWORD, *, succeed: bool = True) -> None:
    """Log in through the real form; ``portal`` has ``url(path)``. With ``succeed``, wait until
    the login page is left."""
    page.goto(portal.url(LOGIN_PATH))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    page.get_by_label("Tên đăng nhập", exact=True).fill(username)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    if succeed:
        expect(page).not_to_have_url(re.compile(re.escape(LOGIN_PATH)))


def log_out(page: Page, portal, display_name: str) -> None:
    """Log out through the navigation's user menu and land on the login page."""
    # Bootstrap's script is deferred: the dropdown works only once the page has loaded.
    page.wait_for_load_state("load")
    page.get_by_role("button", name=display_name, exact=True).click()
    logout = page.get_by_role("button", name="Đăng xuất", exact=True)
    expect(logout).to_be_visible()
    logout.click()
    expect(page).to_have_url(portal.url(LOGIN_PATH))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    expect(page.get_by_label("Tên đăng nhập", exact=True)).to_be_visible()


def open_menu(page: Page) -> None:
    """Unfold the navigation where it is folded behind its toggler (below 992 px)."""
    toggler = page.get_by_role("button", name="Mở menu", exact=True)
    # Bootstrap's script is deferred: the toggler works once the page has loaded.
    page.wait_for_load_state("load")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        # Bootstrap's collapse has finished sliding open when the menu carries "show".
        expect(page.locator("#main-nav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))


def scroll_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


CSP_WORDS = ("Content Security Policy", "Refused to")


def watch_problems(page: Page) -> list[str]:
    """A list that fills with the page's console errors and uncaught exceptions (a Content
    Security Policy violation is a console error), to assert empty at the end of a test."""
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console: {message.text}")

    def on_page_error(error: Error) -> None:
        problems.append(f"pageerror: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return problems
