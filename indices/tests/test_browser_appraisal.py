"""The appraisal in Chromium: the reviewer types the survey points, lowers one leaf with a
comment and asks for an explanation; the officer answers; the reviewer finalises and sees the
expected total. Screenshots (desktop and 360 px) go to ``test-artifacts/appraisal-*.png``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect

from core.testing import build_world
from core.testing_browser import DESKTOP, PHONE, log_in, log_out, open_page, scroll_width, watch_problems
from indices.models import Assessment, AssessmentStatus, Criterion, Round, Score
from indices.services.rounds import assessment_recompute
from indices.testing import make_framework, make_round

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Portal:
    base_url: str
    world: SimpleNamespace
    round: Round
    assessment: Assessment
    leaf: dict[str, Criterion]

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


@pytest.fixture
def portal(live_server, transactional_db) -> Portal:
    """Hoài Châu has submitted 4 + 3 + 5 points (the automatic leaf gives 0, no dossiers)."""
    world = build_world()
    framework = make_framework(world.binh_dinh)
    round_ = make_round(framework, world.hoai_nhon)
    assessment = Assessment.objects.get(round=round_, unit=world.hoai_chau)
    for code, points in (("1.1", "4"), ("1.2.1", "3"), ("2.1", "5")):
        Score.objects.filter(assessment=assessment, criterion__code=code).update(self_score=Decimal(points))
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.save()
    assessment_recompute(assessment=assessment)
    leaf = {c.code: c for c in Criterion.objects.filter(framework=framework)}
    return Portal(live_server.url, world, round_, assessment, leaf)


def save_leaf(page: Page, portal: Portal, code: str, **values: str) -> None:
    article = page.locator(f"#leaf-{portal.leaf[code].pk}")
    if "score" in values:
        article.get_by_label("Điểm thẩm định").fill(values["score"])
    if "comment" in values:
        article.get_by_label("Ý kiến thẩm định").fill(values["comment"])
    if values.get("explain"):
        article.get_by_label("Yêu cầu giải trình").check()
    article.get_by_role("button", name=f"Lưu tiêu chí {code}").click()
    expect(page.locator(".messages")).to_contain_text(f"Đã lưu điểm thẩm định tiêu chí {code}.")


def test_reviewer_appraises_officer_explains_reviewer_finalises(browser, portal, artifacts_dir):
    context, page = open_page(browser, DESKTOP)
    problems = watch_problems(page)
    round_path = f"/chi-so/dot/{portal.round.pk}/"
    appraise_path = f"/chi-so/danh-gia/{portal.assessment.pk}/tham-dinh/"
    try:
        log_in(page, portal, "reviewer")
        page.goto(portal.url("/chi-so/dot/"))
        page.get_by_role("link", name="2023").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Chỉ số CCHC năm 2023 – Thị xã Hoài Nhơn")
        page.get_by_label("Điểm khảo sát 2.2 của Xã Hoài Châu", exact=True).fill("4")
        page.get_by_role("button", name="Lưu điểm khảo sát").click()
        expect(page.locator(".messages")).to_contain_text("Đã lưu 1 điểm khảo sát.")

        page.get_by_role("link", name="Thẩm định Xã Hoài Châu", exact=True).click()
        expect(page.locator("[data-status]")).to_have_text("Đang thẩm định")
        save_leaf(page, portal, "1.1", score="2,5", comment="Kế hoạch ban hành muộn", explain="yes")
        save_leaf(page, portal, "1.2.1")
        save_leaf(page, portal, "2.1")
        expect(page.locator('[data-total="appraised"]')).to_have_text("14,50")
        page.get_by_role("button", name="Gửi yêu cầu giải trình (1 tiêu chí)").click()
        expect(page.locator("[data-status]")).to_have_text("Chờ xã giải trình")
        page.screenshot(path=artifacts_dir / "appraisal-reviewer-desktop.png", full_page=True)
        log_out(page, portal, "Reviewer")

        log_in(page, portal, "officer")
        page.goto(portal.url(f"/chi-so/danh-gia/{portal.assessment.pk}/giai-trinh/"))
        expect(page.get_by_text("Kế hoạch ban hành muộn")).to_be_visible()
        page.get_by_label("Nội dung giải trình tiêu chí 1.1").fill(
            "Kế hoạch ban hành ngày 10/01, kèm quyết định."
        )
        page.screenshot(path=artifacts_dir / "appraisal-explain-desktop.png", full_page=True)
        page.get_by_role("button", name="Gửi giải trình").click()
        expect(page.locator(".messages")).to_contain_text("Đã gửi giải trình đến cơ quan thẩm định.")
        log_out(page, portal, "Officer")

        log_in(page, portal, "reviewer")
        page.goto(portal.url(appraise_path))
        expect(page.locator(f"#leaf-{portal.leaf['1.1'].pk}")).to_contain_text(
            "Kế hoạch ban hành ngày 10/01, kèm quyết định."
        )
        page.get_by_role("button", name="Hoàn tất thẩm định").click()
        expect(page.locator("[data-status]")).to_have_text("Đã thẩm định")
        expect(page.locator('[data-total="appraised"]')).to_have_text("14,50")
        page.goto(portal.url(round_path))
        expect(page.get_by_role("row", name="Xã Hoài Châu Đã thẩm định", exact=False)).to_contain_text(
            "14,50"
        )
        page.screenshot(path=artifacts_dir / "appraisal-round-desktop.png", full_page=True)
        assert problems == []
    finally:
        context.close()

    assessment = Assessment.objects.get(pk=portal.assessment.pk)
    assert (assessment.status, assessment.appraised_total) == (AssessmentStatus.APPRAISED, Decimal("14.50"))

    context, phone = open_page(browser, PHONE)
    try:
        log_in(phone, portal, "reviewer")
        for name, path in (("appraise", appraise_path), ("round", round_path)):
            phone.goto(portal.url(path))
            phone.wait_for_load_state("load")
            phone.screenshot(path=artifacts_dir / f"appraisal-{name}-phone.png", full_page=True)
            assert scroll_width(phone) <= PHONE["width"], name
    finally:
        context.close()
