"""Biểu 06 in Chromium: an officer types and saves, the chairman submits, the reviewer returns
one report with a reason and approves another from the inbox, and the grid works on a phone.

The same small map as ``core.testing.PortalTestCase`` (``build_world``), committed for the
live server's thread (``transactional_db``). The lĩnh vực catalogue comes from a data
migration, which the flush after each transactional test empties: the fixture seeds it again
with the migration's own function when it is gone.

Screenshots go to ``test-artifacts/dossier-*.png`` for a person to look at.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.apps import apps
from playwright.sync_api import Page, Request, expect

from communes.models import AdministrativeUnit
from core.testing import build_world
from core.testing_browser import (
    CSP_WORDS,
    DESKTOP,
    PHONE,
    log_in,
    log_out,
    open_page,
    scroll_width,
    watch_problems,
)
from dossiers.figures import Figures
from dossiers.forms import cell_name
from dossiers.models import DossierReport, Period, ProcedureField, ReportStatus
from dossiers.services import dossier_report_save, dossier_report_submit

pytestmark = pytest.mark.browser

INBOX_PATH = "/review/"
PERIOD = "2024-03"
SAVED_MESSAGE = re.compile(r"Đã lưu nháp lúc \d{2}:\d{2}\.")
SUBMITTED_MESSAGE = "Đã gửi báo cáo tháng 3/2024 đến cơ quan thẩm định."
RETURN_REASON = "Số liệu chứng thực chưa khớp sổ."

seed_migration = importlib.import_module("dossiers.migrations.0002_seed_procedure_fields")


@dataclass(frozen=True)
class Portal:
    base_url: str
    world: SimpleNamespace
    ho_tich: ProcedureField
    chung_thuc: ProcedureField

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def entry_path(self, unit: AdministrativeUnit) -> str:
        return f"/units/{unit.pk}/dossiers/{PERIOD}/"


@pytest.fixture
def portal(live_server, transactional_db) -> Portal:
    """The units and personas of ``PortalTestCase`` and the 12 lĩnh vực, committed."""
    if ProcedureField.objects.count() == 0:
        # Flushed by an earlier transactional test: seed exactly what the migration seeds.
        seed_migration.add_fields(apps, None)
    fields = list(ProcedureField.objects.order_by("position")[:2])
    assert [f.name for f in fields] == ["Hộ tịch", "Chứng thực"]
    return Portal(base_url=live_server.url, world=build_world(), ho_tich=fields[0], chung_thuc=fields[1])


def submitted_report(unit, user, lines: dict[int, Figures]) -> DossierReport:
    report = dossier_report_save(
        unit=unit, period=Period.for_code(PERIOD), user=user, lines=lines, expected_version=0
    )
    return dossier_report_submit(report=report, user=user, expected_version=report.version)


def status_of(unit) -> str:
    return DossierReport.objects.get(unit=unit, period__year=2024, period__number=3).status


def open_grid(page: Page, portal: Portal, unit: AdministrativeUnit) -> None:
    page.goto(portal.url(portal.entry_path(unit)))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tình hình giải quyết hồ sơ TTHC tháng 3/2024")
    # The live totals script is deferred: it has run once the page has loaded.
    page.wait_for_load_state("load")


def cell(page: Page, field: ProcedureField, column: str):
    """The input of ``field`` and ``column`` (``received_online`` …), found by its form name."""
    return page.locator(f'input[name="{cell_name(field.pk, column)}"]')


def row_of(page: Page, field: ProcedureField):
    return page.locator("tr[data-row]").filter(has=page.get_by_role("rowheader", name=field.name, exact=True))


def messages_box(page: Page):
    return page.locator(".messages")


def test_officer_types_sees_live_totals_and_saves_then_chairman_submits(browser, portal, artifacts_dir):
    """Also: no console error and no Content Security Policy violation on the way."""
    hoai_chau, ho_tich, chung_thuc = portal.world.hoai_chau, portal.ho_tich, portal.chung_thuc
    context, page = open_page(browser, DESKTOP)
    problems = watch_problems(page)
    try:
        log_in(page, portal, "officer")
        open_grid(page, portal, hoai_chau)
        expect(page.locator("main .badge")).to_have_text("Chưa nhập")

        online = cell(page, ho_tich, "received_online")
        in_person = cell(page, ho_tich, "received_in_person")
        on_time = cell(page, ho_tich, "resolved_on_time")
        online.focus()
        page.keyboard.type("1.184")
        # Tab goes to the next input of the row ...
        page.keyboard.press("Tab")
        expect(in_person).to_be_focused()
        page.keyboard.type("108")
        expect(in_person).to_have_value("108")
        # ... and past the computed "Tổng số" of the resolved group, an <output>, not a stop:
        # Dịch vụ bưu chính, Từ kỳ trước, Trước hạn, Đúng hạn.
        for _ in range(4):
            page.keyboard.press("Tab")
        expect(on_time).to_be_focused()
        page.keyboard.type("1.292")
        expect(on_time).to_have_value("1.292")

        row = row_of(page, ho_tich)
        expect(row.locator('output[data-total="received"]')).to_have_text("1.292")
        expect(row.locator('output[data-total="resolved"]')).to_have_text("1.292")
        expect(row.locator('output[data-total="pending"]')).to_have_text("0")
        expect(page.locator('output[data-sum="received_online"]')).to_have_text("1.184")
        expect(page.locator('output[data-sum-total="received"]')).to_have_text("1.292")
        expect(page.locator('output[data-rate="online"]')).to_have_text("91,64%")
        expect(page.locator('output[data-rate="on_time"]')).to_have_text("100,00%")

        wrong = cell(page, chung_thuc, "received_online")
        wrong.fill("abc")
        expect(wrong).to_have_class(re.compile(r"\bis-invalid\b"))
        # The wrong cell counts as nothing: the totals stay as they were.
        expect(page.locator('output[data-sum="received_online"]')).to_have_text("1.184")
        wrong.fill("")
        expect(wrong).not_to_have_class(re.compile(r"\bis-invalid\b"))

        page.get_by_role("button", name="Lưu nháp", exact=True).click()
        expect(messages_box(page)).to_have_text(SAVED_MESSAGE)
        expect(page.locator("main .badge")).to_have_text("Đang nhập")
        # The officer saves but does not send: that is the chairman's.
        expect(page.locator("summary", has_text="Gửi báo cáo")).to_have_count(0)
        page.wait_for_load_state("load")
        page.screenshot(path=artifacts_dir / "dossier-entry-officer.png", full_page=True)
        assert status_of(hoai_chau) == ReportStatus.DRAFT

        page.reload()
        page.wait_for_load_state("load")
        expect(messages_box(page)).to_have_count(0)
        expect(online).to_have_value("1.184")
        expect(in_person).to_have_value("108")
        expect(on_time).to_have_value("1.292")
        expect(page.locator('output[data-rate="online"]')).to_have_text("91,64%")

        log_out(page, portal, display_name="Officer")
        log_in(page, portal, "chairman")
        open_grid(page, portal, hoai_chau)
        expect(online).to_have_value("1.184")
        # Sending asks first (dossiers/tests/test_browser_refusals.py tests the dialog itself).
        page.locator("summary", has_text="Gửi báo cáo").click()
        page.get_by_role("dialog").get_by_role("button", name="Gửi báo cáo tháng 3/2024", exact=True).click()
        expect(messages_box(page)).to_have_text(SUBMITTED_MESSAGE)
        expect(page.locator("main .badge")).to_have_text("Đã gửi")
        for locked in (online, in_person, cell(page, chung_thuc, "received_online")):
            expect(locked).to_be_disabled()
        expect(page.get_by_role("button", name="Lưu nháp", exact=True)).to_have_count(0)
        assert status_of(hoai_chau) == ReportStatus.SUBMITTED

        violations = [p for p in problems if any(word in p for word in CSP_WORDS)]
        assert violations == [], "\n".join(violations)
        assert problems == [], "\n".join(problems)
    finally:
        context.close()


def test_reviewer_returns_one_report_with_a_reason_and_approves_another(browser, portal, artifacts_dir):
    world, ho_tich, chung_thuc = portal.world, portal.ho_tich, portal.chung_thuc
    submitted_report(
        world.hoai_chau,
        world.chairman,
        {
            ho_tich.pk: Figures(received_online=90, received_in_person=10, resolved_on_time=100),
            chung_thuc.pk: Figures(received_in_person=40, resolved_early=38, pending_in_time=2),
        },
    )
    # The service does not check roles; the UI lets only a chairman submit.
    submitted_report(
        world.hoai_chau_bac,
        world.neighbour,
        {ho_tich.pk: Figures(received_in_person=20, resolved_on_time=18, resolved_late=2, apology_letters=2)},
    )
    review_posts: list[str] = []

    def on_request(request: Request) -> None:
        if request.method == "POST" and request.url.endswith("/review/"):
            review_posts.append(request.post_data or "")

    context, page = open_page(browser, DESKTOP)
    page.on("request", on_request)
    try:
        log_in(page, portal, "reviewer")
        open_grid(page, portal, world.hoai_chau)
        expect(page.locator("main .badge")).to_have_text("Đã gửi")
        panel = page.get_by_role("region", name="Thẩm định")
        expect(panel.get_by_role("button", name="Duyệt báo cáo", exact=True)).to_be_visible()

        # An empty reason: the browser's own validation stops the form before it is sent.
        reason = panel.get_by_label("Lý do trả lại (bắt buộc)", exact=True)
        page.evaluate("window.stillHere = true")
        panel.get_by_role("button", name="Trả lại cho xã", exact=True).click()
        expect(reason).to_be_focused()
        assert reason.evaluate("el => el.validity.valueMissing") is True
        assert page.evaluate("window.stillHere") is True
        expect(page).to_have_url(portal.url(portal.entry_path(world.hoai_chau)))
        expect(messages_box(page)).to_have_count(0)
        assert status_of(world.hoai_chau) == ReportStatus.SUBMITTED

        reason.fill(RETURN_REASON)
        panel.get_by_role("button", name="Trả lại cho xã", exact=True).click()
        expect(messages_box(page)).to_have_text("Đã trả lại báo cáo tháng 3/2024 cho Xã Hoài Châu.")
        expect(page.locator("main .badge")).to_have_text("Bị trả lại")
        assert status_of(world.hoai_chau) == ReportStatus.RETURNED
        # Only the second click reached the server.
        assert len(review_posts) == 1, review_posts
        assert "action=return" in review_posts[0]

        # The inbox opens on the latest month due; the report of 3/2024 waits in another period.
        page.goto(portal.url(INBOX_PATH))
        expect(page.get_by_role("heading", level=1)).to_have_text("Hộp thư thẩm định")
        elsewhere = page.get_by_role("region", name="1 báo cáo chờ duyệt ở kỳ khác")
        elsewhere.get_by_role("link", name="Tháng 3/2024: 1 báo cáo", exact=True).click()
        expect(page.get_by_role("heading", name="Báo cáo tháng 3/2024", exact=True)).to_be_visible()
        waiting = page.get_by_role("table", name="Báo cáo tháng 3/2024 của các xã, phường")
        expect(waiting.get_by_role("link", name="Xã Hoài Châu Bắc", exact=True)).to_be_visible()
        # Filtered on "chờ duyệt": the returned report is not listed.
        expect(waiting.get_by_role("link", name="Xã Hoài Châu", exact=True)).to_have_count(0)
        expect(waiting.get_by_text("Neighbour", exact=True)).to_be_visible()
        page.screenshot(path=artifacts_dir / "dossier-inbox-reviewer.png", full_page=True)

        page.get_by_role("checkbox", name="Chọn Xã Hoài Châu Bắc, tháng 3/2024", exact=True).check()
        page.get_by_role("button", name="Duyệt các báo cáo đã chọn", exact=True).click()
        page.get_by_role("dialog").get_by_role("button", name="Duyệt các báo cáo này", exact=True).click()
        expect(messages_box(page)).to_have_text("Đã duyệt 1 báo cáo.")
        expect(page.get_by_role("region", name="1 báo cáo chờ duyệt ở kỳ khác")).to_have_count(0)

        log_out(page, portal, display_name="Reviewer")
        log_in(page, portal, "officer")
        open_grid(page, portal, world.hoai_chau)
        returned = page.get_by_role("alert").filter(has_text="Báo cáo bị trả lại:")
        expect(returned).to_have_text(f"Báo cáo bị trả lại: {RETURN_REASON}")
        # Returned: the commune may correct it again.
        expect(cell(page, chung_thuc, "received_in_person")).to_be_enabled()
        expect(cell(page, chung_thuc, "received_in_person")).to_have_value("40")

        assert status_of(world.hoai_chau) == ReportStatus.RETURNED
        assert status_of(world.hoai_chau_bac) == ReportStatus.APPROVED
        report = DossierReport.objects.get(unit=world.hoai_chau)
        assert report.return_reason == RETURN_REASON
        assert report.reviewed_by == world.reviewer
    finally:
        context.close()


def test_officer_enters_and_saves_on_a_narrow_phone(browser, portal, artifacts_dir):
    context, page = open_page(browser, PHONE)
    try:
        log_in(page, portal, "officer")
        open_grid(page, portal, portal.world.hoai_chau)
        assert scroll_width(page) <= PHONE["width"], "the entry page scrolls sideways at 360 px"
        # The grid scrolls inside its own container instead.
        scroller = page.locator(".entry-scroll")
        assert scroller.evaluate("el => el.scrollWidth > el.clientWidth"), "the grid does not scroll"

        first = cell(page, portal.ho_tich, "received_online")
        first.fill("12")
        cell(page, portal.ho_tich, "resolved_on_time").fill("12")
        expect(row_of(page, portal.ho_tich).locator('output[data-total="received"]')).to_have_text("12")
        save = page.get_by_role("button", name="Lưu nháp", exact=True)
        save.click()
        expect(messages_box(page)).to_have_text(SAVED_MESSAGE)
        expect(first).to_have_value("12")
        page.wait_for_load_state("load")
        assert scroll_width(page) <= PHONE["width"], "the saved entry page scrolls sideways at 360 px"
        page.screenshot(path=artifacts_dir / "dossier-entry-360.png", full_page=True)
        assert status_of(portal.world.hoai_chau) == ReportStatus.DRAFT
    finally:
        context.close()


def test_server_refuses_a_non_numeric_figure_beside_its_cell(browser, portal):
    context, page = open_page(browser, DESKTOP)
    try:
        log_in(page, portal, "officer")
        open_grid(page, portal, portal.world.hoai_chau)
        wrong = cell(page, portal.ho_tich, "received_in_person")
        wrong.fill("abc")
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.get_by_role("button", name="Lưu nháp", exact=True).click()
        assert posted.value.status == 400
        expect(wrong).to_have_class(re.compile(r"\bis-invalid\b"))
        expect(wrong).to_have_attribute("aria-invalid", "true")
        expect(wrong).to_have_accessible_description(re.compile(r"^“abc” không phải số nguyên"))
        expect(page.get_by_role("alert")).to_contain_text("Số liệu chưa được lưu")
        assert not DossierReport.objects.filter(unit=portal.world.hoai_chau).exists()
    finally:
        context.close()


def test_each_figure_input_is_named_after_its_field_and_column(browser, portal):
    context, page = open_page(browser, DESKTOP)
    try:
        log_in(page, portal, "officer")
        open_grid(page, portal, portal.world.hoai_chau)
        for column, label in (("received_online", "Trực tuyến"), ("resolved_on_time", "Đúng hạn")):
            name = f"Hộ tịch – {label}"
            expect(cell(page, portal.ho_tich, column)).to_have_accessible_name(name, timeout=1000)
            expect(page.get_by_label(name, exact=True)).to_have_count(1, timeout=1000)
    finally:
        context.close()


def test_footer_sums_stay_under_their_columns_on_a_narrow_phone(browser, portal):
    context, page = open_page(browser, PHONE)
    try:
        log_in(page, portal, "officer")
        open_grid(page, portal, portal.world.hoai_chau)
        for column in ("received_online", "received_in_person"):
            body = page.locator(f'tbody td[data-column="{column}"]').first.bounding_box()
            foot = page.locator(f'tfoot td:has(output[data-sum="{column}"])').bounding_box()
            assert body is not None and foot is not None
            assert foot["x"] == pytest.approx(body["x"], abs=1), f"the footer sum of {column} is misplaced"
    finally:
        context.close()
