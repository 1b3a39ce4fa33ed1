"""The report composer in Chromium: the officer composes a 6-month report, makes a word bold in
the small editor and saves; the chairman issues it and downloads the PDF, whose text is read
back. Screenshots of the edit page (desktop and 360 px) go to ``test-artifacts/report-edit-*.png``,
the issued report's page to ``report-detail-issued.png``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from core.testing import build_world, pdf_text
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
from dossiers.models import Period, ProcedureField
from dossiers.services import dossier_report_save
from reports.models import Report, ReportStatus

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Portal:
    base_url: str
    world: SimpleNamespace

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


@pytest.fixture
def portal(live_server, transactional_db, settings, tmp_path) -> Portal:
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    world.chairman.full_name = "Trần Quốc Toàn"
    world.chairman.job_title = "Chủ tịch UBND xã"
    world.chairman.save()
    # get_or_create: an earlier live-server test may have flushed the seeded catalogue.
    ho_tich, _created = ProcedureField.objects.get_or_create(name="Hộ tịch")
    dossier_report_save(
        unit=world.hoai_chau,
        period=Period.for_code("2024-H1"),
        user=world.officer,
        lines={ho_tich.pk: Figures(received_online=1184, received_in_person=108, resolved_on_time=1292)},
        expected_version=0,
    )
    return Portal(live_server.url, world)


def test_officer_composes_and_bolds_chairman_issues_and_downloads(browser, portal, artifacts_dir):
    world = portal.world
    context, page = open_page(browser, DESKTOP)
    problems = watch_problems(page)
    try:
        log_in(page, portal, "officer")
        page.goto(portal.url(f"/bao-cao/don-vi/{world.hoai_chau.pk}/"))
        page.get_by_role("link", name="Soạn báo cáo mới").click()
        page.get_by_label("Loại báo cáo").select_option("so-ket-6-thang")
        page.get_by_label("Kỳ báo cáo").fill("2024-H1")
        page.get_by_role("button", name="Soạn dự thảo").click()
        expect(page).to_have_url(re.compile(r"/bao-cao/\d+/sua/$"))
        page.wait_for_load_state("load")
        report = Report.objects.get()

        editor = page.get_by_role("textbox", name="Nội dung phần 1")
        expect(editor).to_be_visible()
        expect(page.locator("textarea[data-editor-source]").first).to_be_hidden()
        editor.click()
        page.keyboard.press("Control+End")
        page.keyboard.type(" Trọngtâm")
        for _i in range(len("Trọngtâm")):
            page.keyboard.press("Shift+ArrowLeft")
        page.get_by_role("button", name="Chữ đậm").first.click()
        expect(editor.locator("b, strong")).to_have_text("Trọngtâm")
        page.screenshot(path=str(artifacts_dir / "report-edit-desktop.png"), full_page=True)
        page.get_by_role("button", name="Lưu dự thảo").click()
        expect(page.get_by_text("Đã lưu dự thảo.")).to_be_visible()
        body = report.sections.order_by("position").first().body
        assert re.search(r"<(b|strong)>Trọngtâm</\1>", body), body

        page.set_viewport_size(PHONE)
        page.reload()
        page.wait_for_load_state("load")
        page.screenshot(path=str(artifacts_dir / "report-edit-phone.png"), full_page=True)
        assert scroll_width(page) <= PHONE["width"] + 1, scroll_width(page)
        page.set_viewport_size(DESKTOP)
        log_out(page, portal, world.officer.display_name)

        log_in(page, portal, "chairman")
        page.goto(portal.url(f"/bao-cao/{report.pk}/"))
        page.get_by_role("button", name="Ban hành").click()
        expect(page.get_by_text(f"Đã ban hành báo cáo số {report.number:02d}/BC-UBND.")).to_be_visible()
        report.refresh_from_db()
        assert report.status == ReportStatus.ISSUED
        page.screenshot(path=str(artifacts_dir / "report-detail-issued.png"), full_page=True)
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Tải bản PDF đã ban hành").click()
        download = download_info.value
        assert download.suggested_filename == f"{report.number:02d}-BC-UBND.pdf"
        text = pdf_text(Path(download.path()).read_bytes())
        assert "1.292" in text and "Trọngtâm" in text, text[:500]
        assert not [p for p in problems if any(word in p for word in CSP_WORDS)], problems
        assert not problems, problems
    finally:
        context.close()
