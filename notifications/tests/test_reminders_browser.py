"""The reviewer's "Nhắc các xã chậm gửi" in Chromium: the late communes with who is reminded and
who cannot be reached by mail, then "Gửi nhắc nhở ngay" and the message saying what was done.

Screenshots (``test-artifacts/remind-*.png``): the page before and after, at 1280 and 360 px.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from communes.models import Era, Kind, Level, Role, User
from core.testing import build_world, make_unit, make_user
from core.testing_browser import DESKTOP, PHONE, log_in, open_page, scroll_width, watch_problems
from dossiers.models import DossierReport, Period, ReportStatus
from notifications.models import Kind as NotificationKind
from notifications.models import Notification

pytestmark = pytest.mark.browser


@pytest.fixture
def world(live_server, transactional_db):
    """Hoài Châu sent 3/2024; Hoài Châu Bắc did not (its officer has an address, its chairman
    none); Xã Tam Thử did not either and has no account."""
    world = build_world()
    DossierReport.objects.create(
        unit=world.hoai_chau, period=Period.for_code("2024-03"), status=ReportStatus.APPROVED
    )
    world.lonely = make_unit(Era.LEGACY, Level.COMMUNE, Kind.XA, "21700", "Xã Tam Thử", world.hoai_nhon)
    User.objects.filter(pk=world.neighbour.pk).update(
        email="neighbour@example.vn", full_name="Trần Thị Cán Bộ"
    )
    chairman = make_user("bac.chutich", (world.hoai_chau_bac, Role.CHAIRMAN))
    User.objects.filter(pk=chairman.pk).update(full_name="Lê Văn Chủ Tịch")
    world.base = live_server.url
    return world


class Portal:
    """What ``log_in`` needs: the live server's address of a path."""

    def __init__(self, base: str):
        self.base = base

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "360"])
def test_the_reviewer_sees_who_is_reminded_and_sends_the_reminder(browser, world, artifacts_dir, viewport):
    context, page = open_page(browser, viewport)
    problems = watch_problems(page)
    try:
        portal = Portal(world.base)
        log_in(page, portal, "reviewer")
        page.goto(portal.url("/review/remind/?ky=2024-03"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Nhắc các xã chậm gửi")
        bac = page.locator(f'tr[data-unit="{world.hoai_chau_bac.pk}"]')
        expect(bac).to_contain_text("Trần Thị Cán Bộ")
        expect(bac).to_contain_text("Lê Văn Chủ Tịch (chưa có email)")
        expect(page.locator(f'tr[data-unit="{world.lonely.pk}"]')).to_contain_text(
            "không liên lạc được qua email (chưa có tài khoản)"
        )
        expect(page.locator(f'tr[data-unit="{world.hoai_chau.pk}"]')).to_have_count(0)
        assert scroll_width(page) <= viewport["width"], "the remind page scrolls sideways"
        name = viewport["width"]
        page.screenshot(path=artifacts_dir / f"remind-before-{name}.png", full_page=True)

        page.get_by_role("button", name="Gửi nhắc nhở ngay").click()
        expect(page.locator(".messages")).to_contain_text(
            "Đã nhắc 2 người ở 1 xã, phường; 1 xã, phường chưa liên lạc được qua email: "
            "Xã Tam Thử (chưa có tài khoản)."
        )
        expect(bac).to_contain_text("đã nhắc lúc")
        expect(page.get_by_role("button", name="Gửi nhắc nhở ngay")).to_have_count(0)
        page.screenshot(path=artifacts_dir / f"remind-after-{name}.png", full_page=True)
        assert sorted(
            Notification.objects.filter(kind=NotificationKind.MONTH_OVERDUE).values_list(
                "recipient__username", flat=True
            )
        ) == ["bac.chutich", "neighbour"]
        assert problems == []
    finally:
        context.close()
