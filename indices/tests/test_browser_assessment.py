"""The self-assessment in Chromium: the officer types scores and sees the totals move, uploads
a PDF as evidence, reloads and finds it all saved; the chairman submits and the page becomes
read-only; and the page works on a 360 px phone.

Screenshots go to ``test-artifacts/assessment-*.png`` for a person to look at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect

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
from indices.models import Assessment, AssessmentStatus, Evidence, Score
from indices.testing import make_framework, make_round

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@dataclass(frozen=True)
class Portal:
    base_url: str
    world: SimpleNamespace
    assessment: Assessment
    c: dict

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    @property
    def detail_url(self) -> str:
        return self.url(f"/chi-so/danh-gia/{self.assessment.pk}/")


@pytest.fixture
def portal(live_server, transactional_db, settings, tmp_path) -> Portal:
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    framework = make_framework(world.binh_dinh)
    round_ = make_round(framework, world.hoai_nhon)
    assessment = round_.assessments.get(unit=world.hoai_chau)
    return Portal(live_server.url, world, assessment, {c.code: c for c in framework.criteria.all()})


def open_assessment(page: Page, portal: Portal) -> None:
    page.goto(portal.detail_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tự chấm điểm Chỉ số CCHC năm 2023")
    # The running totals script is deferred: it has run once the page has loaded.
    page.wait_for_load_state("load")


def score_input(page: Page, portal: Portal, code: str):
    return page.locator(f"#id_c{portal.c[code].pk}-self_score")


def points(page: Page, portal: Portal, code: str):
    return page.locator(f"#points-{portal.c[code].pk}")


def type_and_save(page: Page, portal: Portal, code: str, value: str) -> None:
    field = score_input(page, portal, code)
    field.fill(value)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        field.press("Tab")
    assert answer.value.status == 200, answer.value.status
    expect(page.locator(f"#score-form-{portal.c[code].pk}").get_by_role("status")).to_have_text("Đã lưu.")


def test_officer_scores_with_evidence_and_chairman_submits(browser, portal, artifacts_dir):
    """Also: no console error and no Content Security Policy violation on the way."""
    context, page = open_page(browser, DESKTOP)
    problems = watch_problems(page)
    try:
        log_in(page, portal, "officer")
        open_assessment(page, portal)
        overall = page.locator("#total-overall")
        expect(overall).to_have_text("0")

        # The totals follow the typing before anything is saved ...
        score_input(page, portal, "2.1").fill("4,5")
        expect(points(page, portal, "2")).to_have_text("4,5")
        expect(overall).to_have_text("4,5")
        # ... capped at the leaf's max, as the server counts.
        score_input(page, portal, "2.1").fill("9")
        expect(points(page, portal, "2")).to_have_text("5")
        type_and_save(page, portal, "2.1", "4,5")
        expect(overall).to_have_text("4,5")

        # Evidence first, then the points of the leaf that needs it.
        evidence = page.locator(f"#evidence-{portal.c['1.1'].pk}")
        evidence.locator('input[type="file"]').set_input_files(
            files=[{"name": "Kế hoạch CCHC 2023.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        evidence.get_by_role("button", name="Tải lên", exact=True).click()
        expect(evidence.get_by_role("link", name="Kế_hoạch_CCHC_2023.pdf", exact=True)).to_be_visible()
        type_and_save(page, portal, "1.1", "3,75")
        expect(points(page, portal, "1")).to_have_text("3,75")
        expect(overall).to_have_text("8,25")
        page.screenshot(path=artifacts_dir / "assessment-officer.png", full_page=True)

        page.reload()
        page.wait_for_load_state("load")
        expect(score_input(page, portal, "2.1")).to_have_value("4,5")
        expect(score_input(page, portal, "1.1")).to_have_value("3,75")
        expect(overall).to_have_text("8,25")
        expect(evidence.get_by_role("link", name="Kế_hoạch_CCHC_2023.pdf", exact=True)).to_be_visible()
        score = Score.objects.get(assessment=portal.assessment, criterion=portal.c["1.1"])
        assert score.self_score == Decimal("3.75")
        assert Evidence.objects.get(score=score).original_name == "Kế_hoạch_CCHC_2023.pdf"

        log_out(page, portal, display_name="Officer")
        log_in(page, portal, "chairman")
        open_assessment(page, portal)
        page.get_by_role("link", name="Kiểm tra và gửi kết quả tự chấm", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Gửi kết quả tự chấm Chỉ số CCHC năm 2023")
        expect(page.get_by_role("link", name="1.2.1. Công khai TTHC", exact=True)).to_be_visible()
        page.screenshot(path=artifacts_dir / "assessment-confirm.png", full_page=True)
        page.get_by_role("button", name="Gửi kết quả tự chấm", exact=True).click()
        expect(page.locator(".messages")).to_have_text(
            "Đã gửi kết quả tự chấm năm 2023 đến cơ quan thẩm định."
        )
        expect(page.locator(".assessment-status")).to_have_text("Đã gửi")
        expect(page.locator("[data-score]")).to_have_count(0)
        expect(page.locator('input[type="file"]')).to_have_count(0)
        expect(page.get_by_role("button", name="Xóa tệp Kế_hoạch_CCHC_2023.pdf")).to_have_count(0)
        expect(overall).to_have_text("8,25")
        page.screenshot(path=artifacts_dir / "assessment-submitted.png", full_page=True)
        portal.assessment.refresh_from_db()
        assert portal.assessment.status == AssessmentStatus.SUBMITTED

        violations = [p for p in problems if any(word in p for word in CSP_WORDS)]
        assert violations == [], "\n".join(violations)
        assert problems == [], "\n".join(problems)
    finally:
        context.close()


def test_a_refused_score_shows_its_error_in_place_on_a_phone(browser, portal, artifacts_dir):
    context, page = open_page(browser, PHONE)
    try:
        log_in(page, portal, "officer")
        open_assessment(page, portal)
        assert scroll_width(page) <= PHONE["width"], "the assessment page scrolls sideways at 360 px"
        field = score_input(page, portal, "2.1")
        field.fill("1,8")
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            field.press("Tab")
        assert answer.value.status == 400
        expect(score_input(page, portal, "2.1")).to_have_class(re.compile(r"\bis-invalid\b"))
        expect(score_input(page, portal, "2.1")).to_have_accessible_description(
            "Điểm 1,8 không đúng bước chấm: điểm phải là bội số của 0,25."
        )
        assert Score.objects.get(assessment=portal.assessment, criterion=portal.c["2.1"]).self_score is None

        # Points on the evidence leaf without a file: the reason, beside the leaf.
        needs = score_input(page, portal, "1.1")
        needs.fill("2")
        needs.press("Tab")
        expect(page.locator(f"#score-form-{portal.c['1.1'].pk}").get_by_role("alert")).to_have_text(
            "Tiêu chí này cần tài liệu kiểm chứng: hãy tải tệp lên hoặc ghi giải trình."
        )
        page.wait_for_load_state("load")
        assert scroll_width(page) <= PHONE["width"], "the page with errors scrolls sideways at 360 px"
        page.screenshot(path=artifacts_dir / "assessment-360.png", full_page=True)
    finally:
        context.close()
