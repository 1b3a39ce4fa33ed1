"""An invitation opened in Chromium, at an office PC's width and a phone's: the person sees who
the account is for, chooses a password (a refusal first), lands on its home; the link then says
it was used.

Screenshots go to ``test-artifacts/invitation-*.png`` for a person to look at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from accounts.services import invitation_token
from communes.models import AdministrativeUnit, Role
from core.testing import build_world
from core.testing_browser import DESKTOP, PHONE, log_in, log_out, open_page, scroll_width, watch_problems

from .people_world import make_invited

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Cay-Lua-Xanh-2026!"


@dataclass(frozen=True)
class Portal:
    base_url: str
    hoai_chau_bac: AdministrativeUnit
    invitation_path: str

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


@pytest.fixture
def portal(live_server, transactional_db) -> Portal:
    world = build_world()
    invited = make_invited(
        "hoaichaubac.chutich",
        world.hoai_chau_bac,
        Role.CHAIRMAN,
        email="chutich.hcb@example.com",
        full_name="Nguyễn Thị Mới",
    )
    invited.job_title = "Chủ tịch UBND xã"
    invited.save()
    return Portal(
        base_url=live_server.url,
        hoai_chau_bac=world.hoai_chau_bac,
        invitation_path=f"/tai-khoan/moi/{invitation_token(invited)}/",
    )


def fill_passwords(page: Page, first: str, second: str) -> None:
    page.get_by_label("Mật khẩu mới", exact=True).fill(first)
    page.get_by_label("Nhập lại mật khẩu mới", exact=True).fill(second)
    page.get_by_role("button", name="Đặt mật khẩu và đăng nhập", exact=True).click()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "360"])
def test_an_invitation_is_accepted_and_the_person_lands_on_its_home(browser, portal, artifacts_dir, viewport):
    width = viewport["width"]
    context, page = open_page(browser, viewport)
    problems = watch_problems(page)
    try:
        page.goto(portal.url(portal.invitation_path))
        expect(page.get_by_role("heading", level=1)).to_have_text("Chào mừng bạn đến Cổng CCHC")
        expect(page.locator('[data-field="username"]')).to_have_text("hoaichaubac.chutich")
        expect(page.locator('[data-field="name"]')).to_contain_text("Nguyễn Thị Mới")
        expect(page.locator('[data-field="roles"]')).to_have_text(
            "Xã Hoài Châu Bắc – Chủ tịch / Phó Chủ tịch UBND"
        )
        page.wait_for_load_state("load")
        assert scroll_width(page) <= width, f"the invitation scrolls sideways at {width} px"
        page.screenshot(path=artifacts_dir / f"invitation-{width}.png", full_page=True)

        # A refusal first: beside the field, in Vietnamese, the account still shown.
        fill_passwords(page, NEW_PASSWORD, "khac-han-2026!")
        expect(page.locator(".invalid-feedback")).to_have_text("Hai trường mật khẩu không giống nhau.")
        expect(page.locator('[data-field="username"]')).to_have_text("hoaichaubac.chutich")
        assert scroll_width(page) <= width
        page.screenshot(path=artifacts_dir / f"invitation-refused-{width}.png", full_page=True)

        fill_passwords(page, NEW_PASSWORD, NEW_PASSWORD)
        expect(page).to_have_url(portal.url(f"/units/{portal.hoai_chau_bac.pk}/"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Xã Hoài Châu Bắc")
        expect(page.get_by_role("status")).to_contain_text("Đã đặt mật khẩu.")
        page.wait_for_load_state("load")
        assert scroll_width(page) <= width
        page.screenshot(path=artifacts_dir / f"invitation-home-{width}.png", full_page=True)

        if width < 992:
            page.get_by_role("button", name="Mở menu", exact=True).click()
        log_out(page, portal, display_name="Nguyễn Thị Mới")
        log_in(page, portal, "hoaichaubac.chutich", NEW_PASSWORD)
        expect(page).to_have_url(portal.url(f"/units/{portal.hoai_chau_bac.pk}/"))

        # The link worked once.
        if width < 992:
            page.get_by_role("button", name="Mở menu", exact=True).click()
        log_out(page, portal, display_name="Nguyễn Thị Mới")
        response = page.goto(portal.url(portal.invitation_path))
        assert response is not None and response.status == 410
        expect(page.get_by_role("heading", level=1)).to_have_text("Lời mời đã được dùng")
        expect(page.get_by_role("link", name=re.compile("^Quên mật khẩu"))).to_be_visible()
        assert scroll_width(page) <= width
        page.screenshot(path=artifacts_dir / f"invitation-used-{width}.png", full_page=True)
        # The refusal (400) and the used link (410) are answered with their status, which Chromium
        # logs; anything else (a script error, a CSP violation) is a problem.
        expected = ("status of 400 (Bad Request)", "status of 410 (Gone)")
        unexpected = [p for p in problems if not p.endswith(expected)]
        assert unexpected == [], "\n".join(unexpected)
    finally:
        context.close()
