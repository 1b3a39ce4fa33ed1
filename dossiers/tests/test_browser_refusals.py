"""Biểu 06 in Chromium: after a refused save the first bad cell has the focus and the banner's
links lead to each cell, its message readable at 360 and 1366 px; sending and approving several
reports ask first, in a dialog that Esc or "Chưa …" closes without acting.

Screenshots go to ``test-artifacts/refusals-*.png`` for a person to look at.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.testing_browser import DESKTOP, PHONE, log_in, open_page, watch_problems
from dossiers.figures import Figures
from dossiers.models import DossierReport, ReportStatus
from dossiers.tests.test_browser_dossiers import (
    INBOX_PATH,
    SUBMITTED_MESSAGE,
    cell,
    messages_box,
    open_grid,
    portal,  # noqa: F401 (the fixture)
    status_of,
    submitted_report,
)

pytestmark = pytest.mark.browser

WIDE = {"width": 1366, "height": 800}


def readable(page, locator) -> None:
    """The message is inside the grid's visible part, not cut, at least ten characters wide."""
    box = locator.bounding_box()
    scroller = page.locator(".entry-scroll").bounding_box()
    assert box is not None and scroller is not None
    assert box["width"] >= 140, box
    assert (
        box["x"] >= scroller["x"] - 1 and box["x"] + box["width"] <= scroller["x"] + scroller["width"] + 1
    ), (
        box,
        scroller,
    )
    assert locator.evaluate("el => el.scrollWidth <= el.clientWidth + 1")


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["360", "1366"])
def test_after_a_refused_save_the_first_bad_cell_has_the_focus(
    browser,
    portal,  # noqa: F811
    artifacts_dir,
    viewport,
    request,
):
    hoai_chau, ho_tich, chung_thuc = portal.world.hoai_chau, portal.ho_tich, portal.chung_thuc
    context, page = open_page(browser, viewport)
    problems = watch_problems(page)
    try:
        log_in(page, portal, "officer")
        open_grid(page, portal, hoai_chau)
        cell(page, ho_tich, "received_online").fill("12")
        cell(page, chung_thuc, "pending_overdue").fill("-3")
        cell(page, ho_tich, "carried_over").fill("abc")
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.get_by_role("button", name="Lưu nháp", exact=True).click()
        assert answer.value.status == 400
        page.wait_for_load_state("load")

        first = cell(page, ho_tich, "carried_over")
        expect(first).to_be_focused()
        expect(first).to_have_value("abc")
        expect(first).to_have_accessible_description(
            "“abc” không phải số nguyên: hãy nhập chữ số, ví dụ 1.292."
        )
        expect(cell(page, ho_tich, "received_online")).to_have_value("12")
        expect(first).to_be_in_viewport()
        readable(page, page.locator(f"#{first.get_attribute('id')}-error"))

        banner = page.get_by_role("alert").filter(has_text="Số liệu chưa được lưu")
        expect(banner).to_contain_text("Số liệu chưa được lưu: 2 ô cần sửa, đánh dấu đỏ trong bảng.")
        expect(banner.get_by_role("listitem")).to_have_text(
            [
                "Hộ tịch – Từ kỳ trước: “abc” không phải số nguyên: hãy nhập chữ số, ví dụ 1.292.",
                "Chứng thực – Quá hạn (Số hồ sơ đang giải quyết): “-3” là số âm: hãy nhập số từ 0 trở lên.",
            ]
        )
        page.screenshot(path=artifacts_dir / f"refusals-grid-{request.node.callspec.id}.png")

        # The link of the second error goes to its cell, far right in the wide table.
        banner.get_by_role("link", name="Chứng thực – Quá hạn (Số hồ sơ đang giải quyết)", exact=True).click()
        second = cell(page, chung_thuc, "pending_overdue")
        expect(second).to_be_focused()
        expect(second).to_be_in_viewport()
        readable(page, page.locator(f"#{second.get_attribute('id')}-error"))
        page.screenshot(path=artifacts_dir / f"refusals-grid-second-{request.node.callspec.id}.png")
        assert not DossierReport.objects.exists()
        assert [p for p in problems if "status of 400" not in p] == []
    finally:
        context.close()


def test_sending_asks_first_and_cancel_keeps_the_page(browser, portal, artifacts_dir):  # noqa: F811
    hoai_chau, ho_tich = portal.world.hoai_chau, portal.ho_tich
    context, page = open_page(browser, PHONE)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    try:
        log_in(page, portal, "chairman")
        posts.clear()
        open_grid(page, portal, hoai_chau)
        cell(page, ho_tich, "received_online").fill("7")
        cell(page, ho_tich, "resolved_on_time").fill("7")
        dialog = page.get_by_role("dialog", name="Gửi báo cáo tháng 3/2024?")

        send = page.locator("summary", has_text="Gửi báo cáo")
        send.focus()
        page.keyboard.press("Enter")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text(
            "Báo cáo tháng 3/2024 của Xã Hoài Châu sẽ được gửi đến cơ quan thẩm định."
        )
        expect(dialog.get_by_role("button", name="Chưa gửi", exact=True)).to_be_focused()
        page.screenshot(path=artifacts_dir / "refusals-send-dialog-360.png")

        # Esc, then "Chưa gửi": nothing sent, the typed figures still there, back on the button.
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        expect(send).to_be_focused()
        send.click()
        dialog.get_by_role("button", name="Chưa gửi", exact=True).click()
        expect(dialog).to_be_hidden()
        expect(cell(page, ho_tich, "received_online")).to_have_value("7")
        expect(page.locator("details.confirm-step")).not_to_have_attribute("open", "")
        assert posts == []
        assert not DossierReport.objects.exists()

        send.click()
        dialog.get_by_role("button", name="Gửi báo cáo tháng 3/2024", exact=True).click()
        expect(messages_box(page)).to_have_text(SUBMITTED_MESSAGE)
        assert status_of(hoai_chau) == ReportStatus.SUBMITTED
        assert DossierReport.objects.get().lines.get(field=ho_tich).received_online == 7
    finally:
        context.close()


def test_without_javascript_sending_unfolds_the_question(browser, portal):  # noqa: F811
    hoai_chau, ho_tich = portal.world.hoai_chau, portal.ho_tich
    context = browser.new_context(viewport=DESKTOP, locale="en-US", java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, portal, "chairman")
        page.goto(portal.url(portal.entry_path(hoai_chau)))
        cell(page, ho_tich, "received_online").fill("7")
        cell(page, ho_tich, "resolved_on_time").fill("7")
        confirm = page.get_by_role("button", name="Xác nhận gửi báo cáo tháng 3/2024", exact=True)
        expect(confirm).to_be_hidden()
        page.locator("summary", has_text="Gửi báo cáo").click()
        expect(
            page.get_by_text("Gửi báo cáo tháng 3/2024 của Xã Hoài Châu đến cơ quan thẩm định?")
        ).to_be_visible()
        assert not DossierReport.objects.exists()
        confirm.click()
        expect(messages_box(page)).to_have_text(SUBMITTED_MESSAGE)
        assert status_of(hoai_chau) == ReportStatus.SUBMITTED
    finally:
        context.close()


def approvable(world_of) -> None:
    world, ho_tich = world_of.world, world_of.ho_tich
    submitted_report(
        world.hoai_chau, world.chairman, {ho_tich.pk: Figures(received_online=3, resolved_on_time=3)}
    )
    submitted_report(
        world.hoai_chau_bac, world.chairman, {ho_tich.pk: Figures(received_online=2, resolved_on_time=2)}
    )


def test_the_batch_approval_lists_the_ticked_reports_before_approving(browser, portal, artifacts_dir):  # noqa: F811
    approvable(portal)
    world = portal.world
    context, page = open_page(browser, PHONE)
    try:
        log_in(page, portal, "reviewer")
        page.goto(portal.url(INBOX_PATH + "?ky=2024-03"))
        page.wait_for_load_state("load")
        page.get_by_role("checkbox", name="Chọn Xã Hoài Châu, tháng 3/2024", exact=True).check()
        page.get_by_role("checkbox", name="Chọn Xã Hoài Châu Bắc, tháng 3/2024", exact=True).check()
        approve = page.get_by_role("button", name="Duyệt các báo cáo đã chọn", exact=True)
        approve.click()
        dialog = page.get_by_role("dialog", name="Duyệt 2 báo cáo?")
        expect(dialog).to_be_visible()
        expect(dialog.get_by_role("listitem")).to_have_text(
            ["Xã Hoài Châu – tháng 3/2024", "Xã Hoài Châu Bắc – tháng 3/2024"]
        )
        page.screenshot(path=artifacts_dir / "refusals-approve-dialog-360.png")
        dialog.get_by_role("button", name="Chưa duyệt", exact=True).click()
        expect(dialog).to_be_hidden()
        expect(approve).to_be_focused()
        assert status_of(world.hoai_chau) == ReportStatus.SUBMITTED

        # One unticked: the list follows.
        page.get_by_role("checkbox", name="Chọn Xã Hoài Châu Bắc, tháng 3/2024", exact=True).uncheck()
        approve.press("Enter")
        dialog = page.get_by_role("dialog", name="Duyệt 1 báo cáo?")
        expect(dialog.get_by_role("listitem")).to_have_text(["Xã Hoài Châu – tháng 3/2024"])
        dialog.get_by_role("button", name="Duyệt các báo cáo này", exact=True).click()
        expect(messages_box(page)).to_have_text("Đã duyệt 1 báo cáo.")
        assert status_of(world.hoai_chau) == ReportStatus.APPROVED
        assert status_of(world.hoai_chau_bac) == ReportStatus.SUBMITTED
    finally:
        context.close()


def test_without_javascript_the_batch_approval_asks_on_a_page(browser, portal):  # noqa: F811
    approvable(portal)
    world = portal.world
    context = browser.new_context(viewport=DESKTOP, locale="en-US", java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, portal, "reviewer")
        page.goto(portal.url(INBOX_PATH + "?ky=2024-03"))
        page.get_by_role("checkbox", name="Chọn Xã Hoài Châu Bắc, tháng 3/2024", exact=True).check()
        page.get_by_role("button", name="Duyệt các báo cáo đã chọn", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Duyệt 1 báo cáo?")
        expect(page.locator("main > ul > li")).to_have_text(["Xã Hoài Châu Bắc – tháng 3/2024"])
        assert status_of(world.hoai_chau_bac) == ReportStatus.SUBMITTED
        page.get_by_role("button", name="Duyệt các báo cáo này", exact=True).click()
        expect(messages_box(page)).to_have_text("Đã duyệt 1 báo cáo.")
        assert status_of(world.hoai_chau_bac) == ReportStatus.APPROVED
        assert status_of(world.hoai_chau) == ReportStatus.SUBMITTED
    finally:
        context.close()
