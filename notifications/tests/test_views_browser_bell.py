"""The bell in Chromium: a report returned, the commune's officer sees the count, opens the list,
clicks through to the report and the count goes down; at 1280 px and on a 360 px phone.

The small map of ``core.testing.build_world``, committed for the live server's thread
(``transactional_db``). Screenshots go to ``test-artifacts/notifications-*.png``.
"""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps
from playwright.sync_api import Page, expect

from core.testing import build_world
from core.testing_browser import CSP_WORDS, DESKTOP, PHONE, log_in, open_page, scroll_width, watch_problems
from core.testing_browser import open_menu as shared_open_menu
from dossiers.figures import Figures
from dossiers.models import Period, ProcedureField
from dossiers.services import dossier_report_return, dossier_report_save, dossier_report_submit

pytestmark = pytest.mark.browser

seed_migration = importlib.import_module("dossiers.migrations.0002_seed_procedure_fields")
REASON = "Số hồ sơ lĩnh vực Hộ tịch chưa khớp với sổ theo dõi của Bộ phận Một cửa; đề nghị xã rà soát."


class Portal:
    def __init__(self, base_url: str, world):
        self.base_url, self.world = base_url, world

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


@pytest.fixture
def portal(live_server, transactional_db) -> Portal:
    """Hoài Châu's report of 3/2024 sent by its chairman and returned by the reviewer with a reason."""
    if ProcedureField.objects.count() == 0:
        # Flushed by an earlier transactional test: seed exactly what the migration seeds.
        seed_migration.add_fields(apps, None)
    world = build_world()
    ho_tich = ProcedureField.objects.get(name="Hộ tịch")
    report = dossier_report_save(
        unit=world.hoai_chau,
        period=Period.for_code("2024-03"),
        user=world.officer,
        lines={ho_tich.pk: Figures(received_online=12, resolved_on_time=12)},
        expected_version=0,
    )
    report = dossier_report_submit(report=report, user=world.chairman, expected_version=report.version)
    dossier_report_return(report=report, user=world.reviewer, reason=REASON)
    return Portal(live_server.url, world)


def bell(page: Page):
    """The bell in the navigation (on a phone, inside the folded menu)."""
    return page.locator("#main-nav a.nav-bell")


def phone_bell(page: Page):
    """The phone's bell beside the menu button, there only while something is unread."""
    return page.locator("a.nav-bell-phone")


def open_menu(page: Page) -> None:
    """On a phone the navigation is folded behind its toggler; the bell is inside."""
    shared_open_menu(page)
    expect(bell(page)).to_be_visible()


def follow_the_bell(page: Page, portal: Portal, viewport: str, artifacts_dir) -> None:
    entry = f"/units/{portal.world.hoai_chau.pk}/dossiers/2024-03/"
    open_menu(page)
    expect(bell(page)).to_have_accessible_name("Thông báo: 1 chưa đọc")
    expect(bell(page).locator(".nav-bell-count")).to_have_text("1")
    page.screenshot(path=artifacts_dir / f"notifications-bell-{viewport}.png")
    bell(page).click()
    expect(page).to_have_url(portal.url("/thong-bao/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thông báo")
    item = page.locator(".notification.unread")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Báo cáo tháng 3/2024 của Xã Hoài Châu bị trả lại")
    expect(item).to_contain_text(f"Lý do: {REASON}")
    expect(item.get_by_text("Chưa đọc", exact=True)).to_be_visible()
    assert scroll_width(page) <= page.viewport_size["width"], f"the list scrolls sideways at {viewport}"
    page.screenshot(path=artifacts_dir / f"notifications-list-{viewport}.png", full_page=True)
    page.get_by_role("link", name="Báo cáo tháng 3/2024 của Xã Hoài Châu bị trả lại").click()
    expect(page).to_have_url(portal.url(entry))
    expect(page.get_by_text(REASON).first).to_be_visible()
    open_menu(page)
    expect(bell(page)).to_have_accessible_name("Thông báo")
    expect(bell(page).locator(".nav-bell-count")).to_have_count(0)
    page.screenshot(path=artifacts_dir / f"notifications-report-{viewport}.png")
    page.go_back()
    page.reload()
    expect(page.locator(".notification.unread")).to_have_count(0)
    expect(page.locator(".notification")).to_have_count(1)


def test_after_a_return_the_officer_follows_the_bell_to_the_report(browser, portal, artifacts_dir):
    context, page = open_page(browser, DESKTOP)
    problems = watch_problems(page)
    try:
        log_in(page, portal, "officer")
        page.wait_for_load_state("load")
        # The reviewer, who returned it, is told nothing: only the commune's people are.
        follow_the_bell(page, portal, "1280", artifacts_dir)
        violations = [p for p in problems if any(word in p for word in CSP_WORDS)]
        assert violations == [], "\n".join(violations)
        assert problems == [], "\n".join(problems)
    finally:
        context.close()


def test_on_a_narrow_phone_the_bell_is_in_the_menu(browser, portal, artifacts_dir):
    context, page = open_page(browser, PHONE)
    problems = watch_problems(page)
    try:
        log_in(page, portal, "chairman")
        page.wait_for_load_state("load")
        expect(bell(page)).to_be_hidden()
        # The count is in sight without opening the menu.
        expect(phone_bell(page)).to_be_visible()
        expect(phone_bell(page)).to_have_accessible_name("Thông báo: 1 chưa đọc")
        open_menu(page)
        expect(bell(page)).to_contain_text("Thông báo")
        assert scroll_width(page) <= PHONE["width"], "the open menu scrolls sideways at 360 px"
        follow_the_bell(page, portal, "360", artifacts_dir)
        assert problems == [], "\n".join(problems)
    finally:
        context.close()


def test_the_reviewer_switches_a_kinds_mail_off(browser, portal, artifacts_dir):
    context, page = open_page(browser, DESKTOP)
    try:
        log_in(page, portal, "reviewer")
        page.wait_for_load_state("load")
        # The reviewer was told of the submission (before returning it).
        expect(bell(page)).to_have_accessible_name(re.compile(r"^Thông báo: 1 chưa đọc$"))
        page.goto(portal.url("/thong-bao/cai-dat/"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Cài đặt thông báo")
        expect(page.get_by_role("switch", name="Báo cáo bị trả lại")).to_be_checked()
        page.get_by_role("switch", name="Báo cáo bị trả lại").uncheck()
        page.get_by_role("button", name="Lưu cài đặt").click()
        expect(page.get_by_text("Đã lưu cài đặt thông báo.")).to_be_visible()
        expect(page.get_by_role("switch", name="Báo cáo bị trả lại")).not_to_be_checked()
        page.screenshot(path=artifacts_dir / "notifications-settings-1280.png", full_page=True)
    finally:
        context.close()
