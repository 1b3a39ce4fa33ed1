"""The task tracker and the document register in Chromium, on a desktop and a 360 px phone: the
officer changes a task's status from the tracker and filters the register; neither page scrolls
sideways on the phone, and nothing breaks the Content Security Policy.

Screenshots go to ``test-artifacts/records-*.png`` for a person to look at.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communes.models import Office
from core.testing import build_world
from core.testing_browser import DESKTOP, PHONE, log_in, open_page, scroll_width, watch_problems
from reports.demo import TUNG_CHAU_DOCUMENTS, _date
from reports.models import ConclusionTask, DirectiveDocument, Meeting, MeetingKind, TaskStatus

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Portal:
    base_url: str
    world: SimpleNamespace

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


@pytest.fixture
def portal(live_server, transactional_db) -> Portal:
    world = build_world()
    unit = world.hoai_chau
    offices = [
        Office.objects.create(unit=unit, name=name, position=i)
        for i, name in enumerate(["Văn phòng - Thống kê", "Tài chính - Kế toán", "Văn hóa - Xã hội"], start=1)
    ]
    meeting = Meeting.objects.create(
        unit=unit,
        kind=MeetingKind.INDEX,
        held_on=datetime.date(2024, 3, 15),
        title="Cuộc họp đánh giá kết quả thẩm định Bộ chỉ số CCHC cấp xã năm 2023",
        chair="Chủ tịch UBND xã Trần Quốc Toàn",
    )
    today = timezone.localdate()
    for index, (office, status, days) in enumerate(
        [
            (0, TaskStatus.TODO, -20),
            (0, TaskStatus.DOING, 30),
            (1, TaskStatus.DONE, -60),
            (2, TaskStatus.TODO, 5),
            (2, TaskStatus.DOING, -2),
        ]
    ):
        ConclusionTask.objects.create(
            meeting=meeting,
            position=index,
            office=offices[office],
            status=status,
            due_on=today + datetime.timedelta(days=days),
            description=f"Nhiệm vụ {index + 1}: tham mưu UBND xã triển khai thực hiện đảm bảo tỷ lệ các "
            "tiêu chí, tiêu chí thành phần chưa đạt trong Bộ chỉ số CCHC năm 2023.",
            completed_on=today - datetime.timedelta(days=61) if status == TaskStatus.DONE else None,
        )
    for symbol, day, type_code, summary in TUNG_CHAU_DOCUMENTS:
        DirectiveDocument.objects.create(
            unit=unit, number_symbol=symbol, issued_on=_date(day), type_code=type_code, summary=summary
        )
    return Portal(live_server.url, world)


def test_the_tracker_on_desktop_and_phone(browser, portal, artifacts_dir):
    unit = portal.world.hoai_chau
    for name, viewport in (("desktop", DESKTOP), ("360", PHONE)):
        context, page = open_page(browser, viewport)
        problems = watch_problems(page)
        log_in(page, portal, "officer")
        page.goto(portal.url(f"/bao-cao/xa/{unit.pk}/nhiem-vu/"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Theo dõi nhiệm vụ sau kết luận")
        expect(page.get_by_text("Quá hạn: 2")).to_be_visible()
        assert page.locator("tr.table-danger").count() == 2
        if viewport is PHONE:
            assert scroll_width(page) <= PHONE["width"], "the tracker scrolls sideways at 360 px"
        page.screenshot(path=artifacts_dir / f"records-tracker-{name}.png", full_page=True)
        context.close()
        assert problems == []

    # The quick status change: the first overdue task is done, the count drops to 1.
    context, page = open_page(browser, DESKTOP)
    problems = watch_problems(page)
    log_in(page, portal, "officer")
    page.goto(portal.url(f"/bao-cao/xa/{unit.pk}/nhiem-vu/"))
    first = page.locator("tr.table-danger").first
    first.get_by_label("Trạng thái").select_option("done")
    first.get_by_role("button", name="Đổi").click()
    expect(page.get_by_text("Quá hạn: 1")).to_be_visible()
    context.close()
    assert problems == []


def test_the_register_on_desktop_and_phone(browser, portal, artifacts_dir):
    unit = portal.world.hoai_chau
    for name, viewport in (("desktop", DESKTOP), ("360", PHONE)):
        context, page = open_page(browser, viewport)
        problems = watch_problems(page)
        log_in(page, portal, "reviewer")
        page.goto(portal.url(f"/bao-cao/xa/{unit.pk}/van-ban/"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Sổ văn bản chỉ đạo, điều hành CCHC")
        counts = page.locator("table.register-counts")
        expect(counts.locator("tbody tr")).to_have_count(3)
        expect(counts.locator("tfoot")).to_contain_text("53")
        if viewport is PHONE:
            assert scroll_width(page) <= PHONE["width"], "the register scrolls sideways at 360 px"
        page.screenshot(path=artifacts_dir / f"records-register-{name}.png", full_page=False)
        page.get_by_label("Năm").select_option("2021")
        page.get_by_label("Loại").select_option("QĐ")
        page.get_by_role("button", name="Lọc").click()
        expect(page.get_by_text("4 văn bản")).to_be_visible()
        page.screenshot(path=artifacts_dir / f"records-register-filtered-{name}.png", full_page=True)
        context.close()
        assert problems == []
