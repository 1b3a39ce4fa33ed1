"""In Chromium: a refusal of the self-assessment stays in place, and deleting evidence asks first.

The refusals are checked with DEBUG on, as on a developer's machine, where django-htmx's debug
script used to write the 400 answer over the whole page (no menu, no styles); with DEBUG off the
same code path runs without that script. Screenshots go to ``test-artifacts/refusals-*.png``.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.testing import build_world
from core.testing_browser import DESKTOP, PHONE, log_in, open_page, scroll_width
from indices.models import Evidence, Score
from indices.services.assessment import evidence_upload
from indices.testing import make_framework, make_round
from indices.tests.test_browser_assessment import PDF, Portal, open_assessment, score_input

pytestmark = pytest.mark.browser


@pytest.fixture
def portal(live_server, transactional_db, settings, tmp_path) -> Portal:
    """The world of test_browser_assessment: the commune's 2023 self-assessment, a draft."""
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    framework = make_framework(world.binh_dinh)
    round_ = make_round(framework, world.hoai_nhon)
    assessment = round_.assessments.get(unit=world.hoai_chau)
    return Portal(live_server.url, world, assessment, {c.code: c for c in framework.criteria.all()})


def refused_in_place(page, portal, code: str) -> None:
    """The page is still the whole page: menu, heading, the other leaves."""
    expect(page.get_by_role("navigation", name="Điều hướng chính")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tự chấm điểm Chỉ số CCHC năm 2023")
    expect(page.locator("#assessment-summary")).to_be_visible()
    others = [c for c in ("2.1", "1.2.1") if c != code]
    for other in others:
        expect(score_input(page, portal, other)).to_be_visible()


@pytest.mark.parametrize("debug", [True, False], ids=["debug", "production"])
def test_a_refused_score_or_file_stays_beside_its_criterion(browser, portal, settings, artifacts_dir, debug):
    settings.DEBUG = debug
    settings.EVIDENCE_MAX_BYTES = 200
    context, page = open_page(browser, DESKTOP)
    try:
        log_in(page, portal, "officer")
        open_assessment(page, portal)
        if debug:
            assert page.locator('script[src*="django-htmx.js"]').count() == 1

        # Over the maximum, with a note typed: both kept, the message under the field.
        score_input(page, portal, "2.1").fill("6")
        note = page.locator(f"#id_c{portal.c['2.1'].pk}-note")
        note.fill("Đã kiểm tra 12 cơ quan")
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            score_input(page, portal, "2.1").dispatch_event("change")
        assert answer.value.status == 400
        expect(score_input(page, portal, "2.1")).to_have_accessible_description(
            "Điểm 6 vượt điểm tối đa 5 của tiêu chí 2.1."
        )
        expect(score_input(page, portal, "2.1")).to_have_value("6")
        expect(note).to_have_value("Đã kiểm tra 12 cơ quan")
        refused_in_place(page, portal, "2.1")

        # Points on a leaf that needs evidence, without a file nor a note.
        needs = score_input(page, portal, "1.1")
        needs.fill("2")
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            needs.press("Tab")
        assert answer.value.status == 400
        expect(page.locator(f"#score-form-{portal.c['1.1'].pk}").get_by_role("alert")).to_have_text(
            "Tiêu chí này cần tài liệu kiểm chứng: hãy tải tệp lên hoặc ghi giải trình."
        )
        refused_in_place(page, portal, "1.1")

        # A script named .pdf, then a real PDF too big: the reason in the evidence block.
        evidence = page.locator(f"#evidence-{portal.c['1.1'].pk}")
        for name, content, words in [
            ("ke-hoach.pdf", b"#!/bin/sh\nrm -rf ~\n", "không phải là tệp .pdf"),
            ("lon.pdf", PDF + b"0" * 400, "lớn hơn"),
        ]:
            evidence.locator('input[type="file"]').set_input_files(
                files=[{"name": name, "mimeType": "application/pdf", "buffer": content}]
            )
            with page.expect_response(lambda r: r.request.method == "POST") as answer:
                evidence.get_by_role("button", name="Tải lên", exact=True).click()
            assert answer.value.status == 400
            expect(evidence.get_by_role("alert")).to_contain_text(words)
            refused_in_place(page, portal, "1.1")
        # The points typed on the leaf are still there, waiting for the file.
        expect(needs).to_have_value("2")
        page.screenshot(path=artifacts_dir / f"refusals-assessment-{'debug' if debug else 'prod'}.png")
        assert not Evidence.objects.exists()
        assert Score.objects.get(assessment=portal.assessment, criterion=portal.c["2.1"]).self_score is None
    finally:
        context.close()


def test_without_javascript_a_refusal_answers_the_whole_page_at_the_criterion(browser, portal, artifacts_dir):
    context = browser.new_context(viewport=PHONE, locale="en-US", java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, portal, "officer")
        page.goto(portal.detail_url)
        form = page.locator(f"#score-form-{portal.c['2.1'].pk}")
        score_input(page, portal, "2.1").fill("6")
        with page.expect_navigation():
            form.get_by_role("button", name="Lưu", exact=True).click()
        expect(page.get_by_role("navigation", name="Điều hướng chính")).to_be_attached()
        expect(score_input(page, portal, "2.1")).to_have_value("6")
        expect(score_input(page, portal, "2.1")).to_be_focused()
        expect(form.locator(".invalid-feedback")).to_have_text("Điểm 6 vượt điểm tối đa 5 của tiêu chí 2.1.")
        expect(page.locator(f"#leaf-{portal.c['2.1'].pk}")).to_be_in_viewport()
        assert scroll_width(page) <= PHONE["width"]
        page.screenshot(path=artifacts_dir / "refusals-assessment-nojs-360.png")
    finally:
        context.close()


def attach(portal, name: str = "ke-hoach.pdf") -> Evidence:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return evidence_upload(
        assessment=portal.assessment,
        criterion=portal.c["1.1"],
        upload=SimpleUploadedFile(name, PDF, content_type="application/pdf"),
        user=portal.world.officer,
    )


def test_deleting_evidence_asks_in_a_dialog_first(browser, portal, artifacts_dir):
    attach(portal)
    context, page = open_page(browser, PHONE)
    try:
        log_in(page, portal, "officer")
        open_assessment(page, portal)
        evidence = page.locator(f"#evidence-{portal.c['1.1'].pk}")
        link = evidence.get_by_role("link", name="Xóa tệp ke-hoach.pdf", exact=True)
        dialog = page.get_by_role("dialog", name="Xóa tài liệu kiểm chứng?")

        # Cancel with the keyboard: nothing deleted, back on the link.
        link.focus()
        page.keyboard.press("Enter")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("Tệp “ke-hoach.pdf” của tiêu chí 1.1 sẽ bị xóa")
        expect(dialog.get_by_role("button", name="Không xóa", exact=True)).to_be_focused()
        assert scroll_width(page) <= PHONE["width"]
        page.screenshot(path=artifacts_dir / "refusals-evidence-delete-360.png")
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        expect(link).to_be_focused()
        link.click()
        dialog.get_by_role("button", name="Không xóa", exact=True).click()
        expect(dialog).to_be_hidden()
        assert Evidence.objects.count() == 1

        # Confirmed: the file goes, the page stays.
        link.click()
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            dialog.get_by_role("button", name="Xóa tệp", exact=True).click()
        assert answer.value.status == 200
        expect(evidence).to_contain_text("Chưa có tệp nào.")
        expect(evidence.get_by_role("status")).to_be_focused()
        expect(page.get_by_role("navigation", name="Điều hướng chính")).to_be_attached()
        assert not Evidence.objects.exists()
    finally:
        context.close()


def test_without_javascript_deleting_evidence_asks_on_a_page(browser, portal):
    attach(portal)
    context = browser.new_context(viewport=DESKTOP, locale="en-US", java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, portal, "officer")
        page.goto(portal.detail_url)
        page.get_by_role("link", name="Xóa tệp ke-hoach.pdf", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Xóa tài liệu kiểm chứng?")
        assert Evidence.objects.count() == 1
        page.get_by_role("link", name="Không xóa, quay lại", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Tự chấm điểm Chỉ số CCHC năm 2023")
        assert Evidence.objects.count() == 1
        page.get_by_role("link", name="Xóa tệp ke-hoach.pdf", exact=True).click()
        page.get_by_role("button", name="Xóa tệp", exact=True).click()
        expect(page.locator(".messages")).to_contain_text("Đã xóa tệp “ke-hoach.pdf” của tiêu chí 1.1.")
        assert not Evidence.objects.exists()
    finally:
        context.close()
