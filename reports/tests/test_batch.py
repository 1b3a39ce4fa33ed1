from __future__ import annotations

import io
import re
import shutil
import tempfile
import uuid
import zipfile
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import expect

from communes.models import Role
from core.testing import build_world, make_user, pdf_text
from core.testing_browser import CSP_WORDS, DESKTOP, log_in, open_page, watch_problems
from reports.compose import ComposeError, report_compose
from reports.models import Report
from reports.services.batch import (
    BatchError,
    BatchNotFound,
    batch_finish,
    batch_load,
    batch_print,
    file_name,
)
from reports.services.issuing import report_issue

from .test_compose import ComposerData

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
FAKE_PDF = b"%PDF-1.7 a stand-in"

SUMMARY = "543-thi-xa-hoai-nhon-tong-hop-2023.pdf"
HOAI_CHAU = "21649-xa-hoai-chau-tong-ket-nam-2023.pdf"
HOAI_CHAU_BAC = "21646-xa-hoai-chau-bac-tong-ket-nam-2023.pdf"


class BatchTestCase(ComposerData):
    """Batches in a throw-away MEDIA_ROOT, tasks run inline (the immediate backend)."""

    def setUp(self):
        self.media = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.media, ignore_errors=True)
        for overridden in (override_settings(MEDIA_ROOT=self.media), override_settings(TASKS=IMMEDIATE)):
            overridden.enable()
            self.addCleanup(overridden.disable)

    def zip_members(self, batch) -> dict[str, bytes]:
        with zipfile.ZipFile(batch.zip_path) as archive:
            return {name: archive.read(name) for name in archive.namelist()}


class BatchPrintTests(BatchTestCase):
    def test_it_prints_the_summary_and_every_communes_annual_report_into_one_zip(self):
        reports_before = Report.objects.count()
        batch = batch_print(reviewer_unit=self.hoai_nhon, year=2023, user=self.reviewer)
        batch = batch_load(batch.id)
        self.assertEqual((batch.done, batch.total), (3, 3))
        self.assertTrue(batch.finished and batch.zip_ready)
        self.assertEqual(batch.errors, [])
        members = self.zip_members(batch)
        self.assertEqual(sorted(members), sorted([SUMMARY, HOAI_CHAU_BAC, HOAI_CHAU]))
        self.assertTrue(all(data.startswith(b"%PDF") for data in members.values()))
        # Hoài Châu's figures of 2023, written the Vietnamese way (seed 000).
        text = pdf_text(members[HOAI_CHAU])
        self.assertIn("1.292", text)
        self.assertIn("91,64", text)
        # Printing composes drafts and rolls them back: no drafts, no numbers taken.
        self.assertEqual(Report.objects.count(), reports_before)

    def test_a_commune_that_issued_its_annual_report_gets_the_issued_pdf(self):
        issued = report_issue(
            report=report_compose(unit=self.hoai_chau, kind="tong-ket-nam", period="2023", user=self.officer),
            user=self.chairman,
        )
        with issued.pdf.open("rb") as handle:
            stored = handle.read()
        with mock.patch("reports.services.batch._draft_pdf", return_value=FAKE_PDF):
            batch = batch_load(batch_print(reviewer_unit=self.hoai_nhon, year=2023, user=self.reviewer).id)
        members = self.zip_members(batch)
        self.assertEqual(members[HOAI_CHAU], stored)
        self.assertEqual(members[HOAI_CHAU_BAC], FAKE_PDF)
        sources = {item.file: item.source for item in batch.items}
        self.assertEqual(sources[HOAI_CHAU], "issued")
        self.assertEqual(sources[HOAI_CHAU_BAC], "draft")

    def test_one_communes_failure_is_listed_and_does_not_stop_the_others(self):
        def compose(*, unit, **kwargs):
            if unit == self.hoai_chau_bac:
                raise ComposeError("Chưa có số liệu năm 2023.")
            return mock.DEFAULT

        with (
            mock.patch("reports.compose.report_compose", side_effect=compose),
            mock.patch("reports.documents.report_pdf", return_value=FAKE_PDF),
        ):
            batch = batch_load(batch_print(reviewer_unit=self.hoai_nhon, year=2023, user=self.reviewer).id)
        self.assertEqual((batch.done, batch.total), (3, 3))
        self.assertTrue(batch.zip_ready)
        self.assertEqual([item.file for item in batch.errors], [HOAI_CHAU_BAC])
        self.assertEqual(batch.errors[0].message, "Chưa có số liệu năm 2023.")
        members = self.zip_members(batch)
        self.assertEqual(sorted(members), sorted([SUMMARY, HOAI_CHAU, "LOI-KHONG-IN-DUOC.txt"]))
        self.assertIn(
            "21646 Xã Hoài Châu Bắc: Chưa có số liệu năm 2023.", members["LOI-KHONG-IN-DUOC.txt"].decode()
        )

    def test_file_names_are_the_code_and_the_name_folded_to_ascii(self):
        self.assertEqual(file_name(self.hoai_chau_bac, "tong-ket-nam", 2023), HOAI_CHAU_BAC)
        self.assertEqual(file_name(self.hoai_nhon, "tong-hop", 2023), SUMMARY)

    def test_a_commune_a_future_year_and_a_unit_without_communes_are_refused(self):
        next_year = timezone.localdate().year + 1
        for unit, year, message in (
            (self.hoai_chau, 2023, "không cho xã"),
            (self.hoai_nhon, next_year, "Năm in phải từ 2000"),
        ):
            with self.subTest(unit=unit.name, year=year), self.assertRaisesMessage(BatchError, message):
                batch_print(reviewer_unit=unit, year=year, user=self.reviewer)
        empty = type(self.hoai_nhon).objects.create(
            era=self.hoai_nhon.era,
            level=self.hoai_nhon.level,
            kind=self.hoai_nhon.kind,
            code="999",
            name="Huyện Trống",
            short_name="Trống",
            parent=self.binh_dinh,
        )
        with self.assertRaisesMessage(BatchError, "chưa có xã, phường"):
            batch_print(reviewer_unit=empty, year=2023, user=self.reviewer)
        self.assertFalse(
            (Path(self.media) / "batches").exists() and any((Path(self.media) / "batches").iterdir())
        )

    def test_only_the_first_finisher_writes_the_zip(self):
        with mock.patch("reports.services.batch._draft_pdf", return_value=FAKE_PDF):
            batch = batch_print(reviewer_unit=self.hoai_nhon, year=2023, user=self.reviewer)
        # The last task wrote it already; a second worker finding everything done does nothing.
        self.assertFalse(batch_finish(batch_id=batch.id))
        self.assertTrue(batch_load(batch.id).zip_ready)

    def test_an_unknown_or_malformed_id_is_not_found(self):
        for batch_id in (str(uuid.uuid4()), "../../etc", ""):
            with self.subTest(batch_id=batch_id), self.assertRaises(BatchNotFound):
                batch_load(batch_id)


class DatabaseBackendTests(BatchTestCase):
    def setUp(self):
        super().setUp()
        overridden = override_settings(TASKS=DATABASE)
        overridden.enable()
        self.addCleanup(overridden.disable)

    def test_the_batch_waits_in_the_queue_until_a_worker_prints_it(self):
        batch = batch_print(reviewer_unit=self.hoai_nhon, year=2023, user=self.reviewer)
        self.assertEqual(DBTaskResult.objects.filter(status="READY").count(), 3)
        waiting = batch_load(batch.id)
        self.assertEqual((waiting.done, waiting.total, waiting.finished), (0, 3, False))
        # The worker takes its tasks in an exclusive SQLite transaction, which cannot start inside
        # the test's transaction; a plain (nested) atomic block stands in for it here. Between tasks
        # it closes old database connections, which would end the test's own (on PostgreSQL).
        worker = "django_tasks_db.management.commands.db_worker"
        with (
            mock.patch("reports.services.batch._draft_pdf", return_value=FAKE_PDF),
            mock.patch(f"{worker}.exclusive_transaction", transaction.atomic),
            mock.patch(f"{worker}.close_old_connections"),
        ):
            call_command("db_worker", batch=True, startup_delay=False, reload=False, stdout=io.StringIO())
        self.assertEqual(DBTaskResult.objects.filter(status="SUCCESSFUL").count(), 3)
        done = batch_load(batch.id)
        self.assertEqual((done.done, done.total), (3, 3))
        self.assertTrue(done.zip_ready)


class BatchViewTests(BatchTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other_reviewer = make_user("other_reviewer", (cls.hoai_nhon, Role.REVIEWER))

    def setUp(self):
        super().setUp()
        patched = mock.patch("reports.services.batch._draft_pdf", return_value=FAKE_PDF)
        patched.start()
        self.addCleanup(patched.stop)
        self.start_url = reverse("reports:batch_start", args=[self.hoai_nhon.pk])

    def test_the_start_page_matrix(self):
        self.assert_access_matrix(
            self.start_url,
            {
                "anonymous": 302,
                "officer": 404,
                "chairman": 404,
                "neighbour": 404,
                "reviewer": 200,
                "province_reviewer": 404,
                "administrator": 403,
                "new_officer": 404,
                "outsider": 404,
            },
        )

    def test_a_commune_cannot_print_a_batch_of_its_own(self):
        self.login(self.officer)
        response = self.client.get(reverse("reports:batch_start", args=[self.hoai_chau.pk]))
        self.assertEqual(response.status_code, 403)

    def test_choosing_a_year_shows_how_many_reports_it_prints(self):
        self.login(self.reviewer)
        response = self.client.get(self.start_url, {"nam": 2023})
        self.assertContains(response, "Sẽ in 3 báo cáo năm 2023")
        self.assertContains(response, "In 3 báo cáo")
        self.assertContains(response, 'name="so_bao_cao" value="3"')

    def test_confirming_starts_the_batch_then_the_progress_and_the_zip(self):
        self.login(self.reviewer)
        response = self.client.post(self.start_url, {"nam": 2023, "so_bao_cao": 3})
        self.assertEqual(response.status_code, 302)
        page = self.client.get(response["Location"])
        self.assertContains(page, "3/3 báo cáo")
        self.assertNotContains(page, 'hx-trigger="every 2s"')  # finished: no more polling
        download = reverse("reports:batch_download", args=[page.context["batch"].id])
        self.assertContains(page, download)
        answer = self.client.get(download)
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(answer["Content-Type"], "application/zip")
        self.assertIn("attachment", answer["Content-Disposition"])
        self.assertIn("543-thi-xa-hoai-nhon-bao-cao-2023.zip", answer["Content-Disposition"])
        with zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content))) as archive:
            self.assertEqual(sorted(archive.namelist()), sorted([SUMMARY, HOAI_CHAU, HOAI_CHAU_BAC]))

    def test_a_count_that_changed_since_the_confirmation_is_refused_with_409(self):
        self.login(self.reviewer)
        response = self.client.post(self.start_url, {"nam": 2023, "so_bao_cao": 2})
        self.assertContains(response, "Số báo cáo đã thay đổi (nay là 3)", status_code=409)
        self.assertFalse((Path(self.media) / "batches").exists())

    def test_a_year_outside_the_list_is_refused_with_400(self):
        self.login(self.reviewer)
        for year in ("1999", "abc", str(timezone.localdate().year + 1)):
            with self.subTest(year=year):
                response = self.client.post(self.start_url, {"nam": year, "so_bao_cao": 3})
                self.assertContains(response, "hãy chọn một năm trong danh sách", status_code=400)
        self.assertFalse((Path(self.media) / "batches").exists())

    def test_the_batch_pages_are_seen_by_its_starter_and_the_units_reviewers_only(self):
        batch = batch_print(reviewer_unit=self.hoai_nhon, year=2023, user=self.reviewer)
        matrix = {
            "anonymous": 302,
            "officer": 404,
            "chairman": 404,
            "neighbour": 404,
            "reviewer": 200,
            "province_reviewer": 404,
            "administrator": 404,
            "new_officer": 404,
            "outsider": 404,
        }
        self.assert_access_matrix(reverse("reports:batch_detail", args=[batch.id]), matrix)
        self.assert_access_matrix(reverse("reports:batch_download", args=[batch.id]), matrix)
        self.client.force_login(self.other_reviewer)
        self.assertEqual(self.client.get(reverse("reports:batch_detail", args=[batch.id])).status_code, 200)

    def test_an_unknown_batch_is_404(self):
        self.login(self.reviewer)
        response = self.client.get(reverse("reports:batch_detail", args=[uuid.uuid4()]))
        self.assertEqual(response.status_code, 404)

    @override_settings(TASKS=DUMMY)
    def test_while_printing_htmx_gets_the_progress_block_that_polls_every_2_seconds(self):
        batch = batch_print(reviewer_unit=self.hoai_nhon, year=2023, user=self.reviewer)
        self.login(self.reviewer)
        url = reverse("reports:batch_detail", args=[batch.id])
        block = self.client.get(url, headers={"HX-Request": "true"})
        self.assertContains(block, "0/3 báo cáo")
        self.assertContains(block, f'hx-get="{url}" hx-trigger="every 2s" hx-swap="outerHTML"')
        self.assertNotContains(block, "<html")
        # Not ready yet: the zip answers 409 with the reason.
        response = self.client.get(reverse("reports:batch_download", args=[batch.id]))
        self.assertContains(response, "Tệp nén chưa xong", status_code=409)

    def test_the_progress_page_costs_the_same_queries_whatever_the_number_of_reports(self):
        batch = batch_print(reviewer_unit=self.hoai_nhon, year=2023, user=self.reviewer)
        self.login(self.other_reviewer)
        url = reverse("reports:batch_detail", args=[batch.id])
        # session, user, the batch's unit, the reviewer check, places (navigation)
        with self.assertNumQueries(5):
            self.client.get(url)
        for code, name in (("21650", "Xã Hoài Sơn"), ("21651", "Xã Hoài Phú")):
            type(self.hoai_chau).objects.create(
                era=self.hoai_chau.era,
                level=self.hoai_chau.level,
                kind=self.hoai_chau.kind,
                code=code,
                name=name,
                short_name=name[3:],
                parent=self.hoai_nhon,
            )
        bigger = batch_print(reviewer_unit=self.hoai_nhon, year=2023, user=self.reviewer)
        with self.assertNumQueries(5):
            response = self.client.get(reverse("reports:batch_detail", args=[bigger.id]))
        self.assertContains(response, "5/5 báo cáo")


# --- in Chromium: the progress page polls (htmx, no script of ours) until the zip is ready ------


@pytest.fixture
def batch_portal(live_server, transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = DATABASE  # the tasks wait in the queue until the test runs the worker
    world = build_world()
    return SimpleNamespace(base_url=live_server.url, world=world, url=lambda path: f"{live_server.url}{path}")


@pytest.mark.browser
def test_a_reviewer_prints_a_batch_watches_it_progress_and_downloads_the_zip(
    browser, batch_portal, artifacts_dir
):
    """Also: no console error and no Content Security Policy violation on the way."""
    context, page = open_page(browser, DESKTOP)
    problems = watch_problems(page)
    patched = mock.patch("reports.services.batch._draft_pdf", return_value=FAKE_PDF)
    patched.start()
    try:
        log_in(page, batch_portal, "reviewer")
        page.goto(batch_portal.url(reverse("reports:batch_start", args=[batch_portal.world.hoai_nhon.pk])))
        page.get_by_label("Năm báo cáo").select_option("2023")
        page.get_by_role("button", name="Xem số báo cáo").click()
        expect(page.get_by_role("heading", level=2)).to_contain_text("Sẽ in 3 báo cáo năm 2023")
        page.get_by_role("button", name="In 3 báo cáo").click()
        progress = page.locator("#batch-progress")
        expect(progress).to_contain_text("0/3 báo cáo")
        expect(progress).to_contain_text("Đang chờ máy in nền nhận việc")
        page.screenshot(path=artifacts_dir / "batch-waiting.png")
        # A worker takes the three tasks; the page, polling every 2 s, follows without a reload.
        with mock.patch(
            "django_tasks_db.management.commands.db_worker.exclusive_transaction", transaction.atomic
        ):
            call_command("db_worker", batch=True, startup_delay=False, reload=False, stdout=io.StringIO())
        expect(progress).to_contain_text("3/3 báo cáo", timeout=6000)
        link = page.get_by_role("link", name=re.compile("Tải tệp nén"))
        expect(link).to_be_visible()
        page.screenshot(path=artifacts_dir / "batch-done.png")
        with page.expect_download() as download:
            link.click()
        assert download.value.suggested_filename == "543-thi-xa-hoai-nhon-bao-cao-2023.zip"
        with zipfile.ZipFile(download.value.path()) as archive:
            assert sorted(archive.namelist()) == sorted([SUMMARY, HOAI_CHAU, HOAI_CHAU_BAC])
        assert not [p for p in problems if any(word in p for word in CSP_WORDS)], problems
        assert problems == []
    finally:
        patched.stop()
        context.close()
