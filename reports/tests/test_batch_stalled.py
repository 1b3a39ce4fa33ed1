"""A batch whose worker died: how the progress page notices it, and printing the missing reports
again; and clearing old batch folders (``manage.py clear_batches``)."""

from __future__ import annotations

import datetime
import io
import os
import re
import time
import uuid
import zipfile
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, transaction
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import expect

from communes.models import Role
from core.testing import make_user
from core.testing_browser import DESKTOP, log_in, open_page, watch_problems
from reports.management.commands.clear_batches import Command as ClearBatches
from reports.services.batch import (
    SUMMARY_KEY,
    BatchError,
    batch_folder_delete,
    batch_item_print,
    batch_load,
    batch_print,
    batch_resume,
)

from . import test_batch
from .test_batch import DUMMY, FAKE_PDF, HOAI_CHAU, HOAI_CHAU_BAC, SUMMARY, BatchTestCase

batch_portal = test_batch.batch_portal  # the live server fixture of the batch's browser test
MINUTES_AGO_7 = 7 * 60  # past the default stall time of 5 minutes


def age(folder: Path, seconds: float) -> float:
    """Make everything in ``folder`` look ``seconds`` old, as if nothing had moved since then.
    Returns that moment (a Unix time)."""
    moment = time.time() - seconds
    for path in [folder, *folder.rglob("*")]:
        os.utime(path, (moment, moment), follow_symlinks=False)
    return moment


def clock(moment: float) -> str:
    """``moment`` as the page writes it: hours and minutes in the portal's time zone."""
    return timezone.localtime(datetime.datetime.fromtimestamp(moment, tz=datetime.UTC)).strftime("%H:%M")


class StalledBatchTestCase(BatchTestCase):
    """A batch of 3 reports (the summary, Hoài Châu Bắc, Hoài Châu) in the queue, no worker running:
    tasks go to the dummy backend, which keeps them and runs none."""

    def setUp(self):
        super().setUp()
        patched = mock.patch("reports.services.batch._draft_pdf", return_value=FAKE_PDF)
        patched.start()
        self.addCleanup(patched.stop)

    def queue(self):
        """A batch waiting for a worker that never comes."""
        with override_settings(TASKS=DUMMY):
            batch = batch_print(reviewer_unit=self.hoai_nhon, year=2023, user=self.reviewer)
            default_task_backend.clear()
        return batch

    def folder(self, batch) -> Path:
        return Path(self.media) / "batches" / batch.id

    def half_printed(self):
        """The summary printed, Hoài Châu Bắc begun by a worker that was then killed, Hoài Châu never
        taken; nothing moved for 7 minutes."""
        batch = self.queue()
        with override_settings(TASKS=DUMMY):
            batch_item_print(batch_id=batch.id, key=SUMMARY_KEY)
        (self.folder(batch) / "items" / f"{self.hoai_chau_bac.pk}.started").touch()
        age(self.folder(batch), MINUTES_AGO_7)
        return batch


class StalledDetectionTests(StalledBatchTestCase):
    def test_a_waiting_batch_that_moved_a_minute_ago_is_not_stalled(self):
        batch = self.queue()
        age(self.folder(batch), 60)
        self.assertFalse(batch_load(batch.id).stalled)

    def test_an_unfinished_batch_that_did_not_move_for_5_minutes_is_stalled(self):
        batch = self.queue()
        moment = age(self.folder(batch), MINUTES_AGO_7)
        loaded = batch_load(batch.id)
        self.assertTrue(loaded.stalled)
        # Nothing printed yet: the last move is when the manifest was written.
        self.assertAlmostEqual(loaded.last_moved.timestamp(), moment, delta=1)

    def test_the_last_move_is_the_latest_item_file(self):
        batch = self.half_printed()
        started = self.folder(batch) / "items" / f"{self.hoai_chau_bac.pk}.started"
        recent = time.time() - 30
        os.utime(started, (recent, recent))
        loaded = batch_load(batch.id)
        self.assertAlmostEqual(loaded.last_moved.timestamp(), recent, delta=1)
        self.assertFalse(loaded.stalled)

    def test_the_stall_time_is_the_setting_batch_stall_seconds(self):
        batch = self.queue()
        age(self.folder(batch), MINUTES_AGO_7)
        with override_settings(BATCH_STALL_SECONDS=15 * 60):
            self.assertFalse(batch_load(batch.id).stalled)
        with override_settings(BATCH_STALL_SECONDS=60):
            self.assertTrue(batch_load(batch.id).stalled)
        self.assertEqual(settings.BATCH_STALL_SECONDS, 300)

    def test_a_finished_batch_is_never_stalled(self):
        batch = batch_print(reviewer_unit=self.hoai_nhon, year=2023, user=self.reviewer)
        age(self.folder(batch), 10 * 24 * 3600)
        loaded = batch_load(batch.id)
        self.assertTrue(loaded.finished)
        self.assertFalse(loaded.stalled)


class StalledPageTests(StalledBatchTestCase):
    def test_a_stalled_batch_says_since_when_and_offers_to_print_the_rest(self):
        batch = self.queue()
        moment = age(self.folder(batch), MINUTES_AGO_7)
        self.login(self.reviewer)
        url = reverse("reports:batch_detail", args=[batch.id])
        block = self.client.get(url, headers={"HX-Request": "true"})
        self.assertContains(block, f"Không thấy tiến triển từ {clock(moment)}")
        self.assertContains(block, "Có thể chương trình in nền (make worker) đã dừng.")
        self.assertContains(block, f'action="{reverse("reports:batch_resume", args=[batch.id])}"')
        self.assertContains(block, "In tiếp các báo cáo còn thiếu")
        self.assertContains(block, "csrfmiddlewaretoken")
        # Still polling: once resumed, the page follows the progress without a reload.
        self.assertContains(block, f'hx-get="{url}" hx-trigger="every 2s"')

    def test_a_stall_that_began_on_another_day_names_the_day(self):
        batch = self.queue()
        moment = age(self.folder(batch), 3 * 24 * 3600)
        day = timezone.localtime(datetime.datetime.fromtimestamp(moment, tz=datetime.UTC)).strftime(
            "%d/%m/%Y"
        )
        html = render_to_string("reports/batch/_progress.html", {"batch": batch_load(batch.id)})
        self.assertIn(f"Không thấy tiến triển từ {clock(moment)} ngày {day}.", html)

    def test_a_batch_that_moves_shows_no_warning_and_no_button(self):
        batch = self.queue()
        age(self.folder(batch), 60)
        html = render_to_string("reports/batch/_progress.html", {"batch": batch_load(batch.id)})
        self.assertIn("Đang chờ máy in nền nhận việc", html)
        self.assertNotIn("Không thấy tiến triển", html)
        self.assertNotIn("In tiếp các báo cáo còn thiếu", html)


class ResumeTests(StalledBatchTestCase):
    def test_resuming_enqueues_only_the_reports_without_a_result(self):
        batch = self.half_printed()
        items = self.folder(batch) / "items"
        with override_settings(TASKS=DUMMY):
            keys = batch_resume(batch_id=batch.id)
            queued = [result.args for result in default_task_backend.results]
        missing = [str(self.hoai_chau_bac.pk), str(self.hoai_chau.pk)]
        self.assertEqual(keys, missing)
        self.assertEqual(queued, [[batch.id, key] for key in missing])
        # The killed worker's marker is gone: the page no longer says it is being printed.
        self.assertFalse((items / f"{self.hoai_chau_bac.pk}.started").exists())
        self.assertTrue((items / f"{SUMMARY_KEY}.json").exists())
        # Resuming is a move: the page waits again instead of warning at once.
        self.assertFalse(batch_load(batch.id).stalled)

    def test_resuming_prints_the_missing_reports_and_the_zip_holds_them_all(self):
        batch = self.half_printed()
        summary = self.folder(batch) / "items" / f"{SUMMARY_KEY}.pdf"
        printed_at = summary.stat().st_mtime
        with mock.patch("reports.tasks.batch_item_print", wraps=batch_item_print) as printing:
            batch_resume(batch_id=batch.id)  # the immediate backend prints them here and now
        self.assertEqual(
            [call.kwargs["key"] for call in printing.call_args_list],
            [str(self.hoai_chau_bac.pk), str(self.hoai_chau.pk)],
        )
        self.assertEqual(summary.stat().st_mtime, printed_at)  # not printed again
        done = batch_load(batch.id)
        self.assertEqual((done.done, done.total, done.zip_ready), (3, 3, True))
        self.assertEqual(sorted(self.zip_members(done)), sorted([SUMMARY, HOAI_CHAU, HOAI_CHAU_BAC]))

    def test_a_resume_that_fails_halfway_leaves_the_batch_stalled_to_be_resumed_again(self):
        batch = self.half_printed()
        task = mock.Mock()
        task.enqueue.side_effect = [None, DatabaseError("the queue's database went away")]
        with mock.patch("reports.tasks.print_batch_item", task), self.assertRaises(DatabaseError):
            batch_resume(batch_id=batch.id)
        self.assertFalse((self.folder(batch) / "resumed.json").exists())
        self.assertTrue(batch_load(batch.id).stalled)
        batch_resume(batch_id=batch.id)  # the one queued the first time is printed once, or skipped
        self.assertTrue(batch_load(batch.id).zip_ready)

    def test_a_zip_whose_writer_died_is_written_on_resume(self):
        batch = batch_print(reviewer_unit=self.hoai_nhon, year=2023, user=self.reviewer)
        folder = self.folder(batch)
        # Every report printed; the worker writing the zip was killed while holding the lock.
        (folder / batch.zip_name).unlink()
        self.assertTrue((folder / "zip.lock").exists())
        age(folder, MINUTES_AGO_7)
        self.assertTrue(batch_load(batch.id).stalled)
        self.assertEqual(batch_resume(batch_id=batch.id), [])
        done = batch_load(batch.id)
        self.assertTrue(done.zip_ready)
        self.assertEqual(sorted(self.zip_members(done)), sorted([SUMMARY, HOAI_CHAU, HOAI_CHAU_BAC]))

    def test_printing_a_report_twice_is_harmless(self):
        batch = batch_print(reviewer_unit=self.hoai_nhon, year=2023, user=self.reviewer)
        folder = self.folder(batch)
        zip_before = (folder / batch.zip_name).read_bytes()
        age(folder, 60)
        zip_time = (folder / batch.zip_name).stat().st_mtime
        # A task queued twice (a resume while a worker was only slow) finds its report done.
        with mock.patch("reports.services.batch._draft_pdf") as draft:
            self.assertTrue(batch_item_print(batch_id=batch.id, key=str(self.hoai_chau.pk)))
        draft.assert_not_called()
        self.assertEqual((folder / batch.zip_name).stat().st_mtime, zip_time)
        self.assertEqual((folder / batch.zip_name).read_bytes(), zip_before)

    def test_a_batch_that_still_moves_or_is_finished_is_not_resumed(self):
        moving = self.queue()
        with override_settings(TASKS=DUMMY):
            with self.assertRaisesMessage(BatchError, "vẫn đang tiến triển"):
                batch_resume(batch_id=moving.id)
            self.assertEqual(default_task_backend.results, [])
        finished = batch_print(reviewer_unit=self.hoai_nhon, year=2023, user=self.reviewer)
        age(self.folder(finished), MINUTES_AGO_7)
        with self.assertRaisesMessage(BatchError, "đã in xong"):
            batch_resume(batch_id=finished.id)


class ResumeViewTests(StalledBatchTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other_reviewer = make_user("other_reviewer", (cls.hoai_nhon, Role.REVIEWER))

    def test_who_may_resume_a_batch(self):
        batch = self.queue()
        url = reverse("reports:batch_resume", args=[batch.id])
        progress = reverse("reports:batch_detail", args=[batch.id])
        matrix = {
            "anonymous": 302,
            "reviewer": 302,  # who started it
            "other_reviewer": 302,  # another reviewer of the unit
            "officer": 404,
            "chairman": 404,
            "neighbour": 404,  # a commune officer of another unit
            "new_officer": 404,
            "province_reviewer": 404,
            "administrator": 404,
            "outsider": 404,
        }
        for persona, expected in matrix.items():
            with self.subTest(persona=persona), override_settings(TASKS=DUMMY):
                age(self.folder(batch), MINUTES_AGO_7)  # stalled again for each
                self.client.logout()
                if persona != "anonymous":
                    self.login(getattr(self, persona))
                response = self.client.post(url)
                self.assertEqual(response.status_code, expected, persona)
                if persona == "anonymous":
                    self.assertTrue(response["Location"].startswith(reverse("login")), response["Location"])
                elif expected == 302:
                    self.assertEqual(response["Location"], progress)
                    self.assertEqual(len(default_task_backend.results), 3)
                else:
                    self.assertEqual(default_task_backend.results, [])
                default_task_backend.clear()

    def test_get_is_not_allowed(self):
        batch = self.queue()
        age(self.folder(batch), MINUTES_AGO_7)
        self.login(self.reviewer)
        response = self.client.get(reverse("reports:batch_resume", args=[batch.id]))
        self.assertEqual(response.status_code, 405)

    def test_resuming_from_the_page_prints_the_rest_and_shows_the_zip(self):
        batch = self.half_printed()
        self.login(self.other_reviewer)
        response = self.client.post(reverse("reports:batch_resume", args=[batch.id]), follow=True)
        self.assertContains(response, "3/3 báo cáo")
        self.assertContains(response, reverse("reports:batch_download", args=[batch.id]))
        self.assertNotContains(response, 'hx-trigger="every 2s"')  # finished: no more polling

    def test_a_finished_batch_answers_409(self):
        batch = batch_print(reviewer_unit=self.hoai_nhon, year=2023, user=self.reviewer)
        age(self.folder(batch), MINUTES_AGO_7)
        self.login(self.reviewer)
        response = self.client.post(reverse("reports:batch_resume", args=[batch.id]))
        self.assertContains(response, "Đợt in này đã in xong", status_code=409)

    def test_a_batch_that_still_moves_answers_409(self):
        batch = self.queue()
        self.login(self.reviewer)
        with override_settings(TASKS=DUMMY):
            response = self.client.post(reverse("reports:batch_resume", args=[batch.id]))
            self.assertEqual(default_task_backend.results, [])
        self.assertContains(response, "vẫn đang tiến triển", status_code=409)

    def test_an_unknown_batch_is_404(self):
        self.login(self.reviewer)
        response = self.client.post(reverse("reports:batch_resume", args=[uuid.uuid4()]))
        self.assertEqual(response.status_code, 404)


# --- manage.py clear_batches --------------------------------------------------------------------

DAY = 24 * 3600


class ClearBatchesTests(StalledBatchTestCase):
    def setUp(self):
        super().setUp()
        self.root = Path(self.media) / "batches"

    def clear(self, *args) -> str:
        out = io.StringIO()
        call_command("clear_batches", *args, stdout=out, stderr=io.StringIO())
        return out.getvalue()

    def aged_batch(self, days: float) -> Path:
        batch = batch_print(reviewer_unit=self.hoai_nhon, year=2023, user=self.reviewer)
        age(self.folder(batch), days * DAY)
        return self.folder(batch)

    def test_it_deletes_batches_older_than_7_days_and_keeps_the_newer(self):
        old, new = self.aged_batch(8), self.aged_batch(6)
        (old / "items" / f"{self.hoai_chau.pk}.pdf").write_bytes(b"%PDF" + bytes(3 * 1024 * 1024))
        age(old, 8 * DAY)
        out = self.clear()
        self.assertFalse(old.exists())
        self.assertTrue(new.exists())
        self.assertIn("Đã xoá 1 đợt in cũ hơn 7 ngày, giải phóng 3,0\xa0MB.", out)  # a non-breaking space

    def test_days_come_from_the_option_or_the_setting_batch_keep_days(self):
        old, new = self.aged_batch(3), self.aged_batch(1)
        self.clear("--days", "4")
        self.assertTrue(old.exists())
        with override_settings(BATCH_KEEP_DAYS=2):
            out = self.clear()
        self.assertFalse(old.exists())
        self.assertTrue(new.exists())
        self.assertIn("cũ hơn 2 ngày", out)
        self.assertEqual(settings.BATCH_KEEP_DAYS, 7)

    def test_a_dry_run_lists_what_it_would_delete_and_deletes_nothing(self):
        old, new = self.aged_batch(8), self.aged_batch(1)
        out = self.clear("--dry-run")
        self.assertTrue(old.exists() and new.exists())
        self.assertIn(old.name, out)
        self.assertNotIn(new.name, out)
        self.assertIn("Sẽ xoá 1 đợt in cũ hơn 7 ngày", out)
        self.assertIn("--dry-run", out)

    def test_it_never_touches_what_is_not_a_batch_folder(self):
        old = self.aged_batch(8)
        notes = self.root / "ghi-chu"
        notes.mkdir()
        (notes / "a.txt").write_text("giữ lại")
        loose = self.root / str(uuid.uuid4())  # a file named like a batch, not a folder
        loose.write_text("giữ lại")
        outside = Path(self.media) / "evidence"
        outside.mkdir()
        (outside / "b.pdf").write_bytes(FAKE_PDF)
        link = self.root / str(uuid.uuid4())  # a link named like a batch, to a folder outside
        link.symlink_to(outside, target_is_directory=True)
        age(notes, 30 * DAY)
        age(outside, 30 * DAY)
        for path in (loose, link):
            os.utime(path, (time.time() - 30 * DAY,) * 2, follow_symlinks=False)
        out = self.clear()
        self.assertFalse(old.exists())
        self.assertTrue((notes / "a.txt").exists())
        self.assertTrue(loose.exists())
        self.assertTrue(link.is_symlink())
        self.assertTrue((outside / "b.pdf").exists())
        self.assertIn("Đã xoá 1 đợt in", out)

    def test_no_batches_folder_at_all_is_not_an_error(self):
        out = self.clear()
        self.assertIn("Đã xoá 0 đợt in cũ hơn 7 ngày", out)

    def test_negative_days_are_refused_with_exit_status_1(self):
        old = self.aged_batch(8)
        with self.assertRaisesMessage(CommandError, "--days phải từ 0 trở lên"):
            self.clear("--days", "-1")
        # As from a shell: the message on stderr and exit status 1. (run_from_argv closes the
        # database connections at the end, which the test's transaction must survive.)
        stderr = io.StringIO()
        with (
            self.assertRaises(SystemExit) as exit,
            mock.patch("sys.stderr", stderr),
            mock.patch("django.core.management.base.connections"),
        ):
            ClearBatches().run_from_argv(["manage.py", "clear_batches", "--days", "-1"])
        self.assertEqual(exit.exception.code, 1)
        self.assertIn("--days phải từ 0 trở lên", stderr.getvalue())
        self.assertTrue(old.exists())

    def test_a_folder_the_storage_refuses_is_named_and_the_exit_status_says_so(self):
        refused, old = self.aged_batch(9), self.aged_batch(8)
        real_delete = batch_folder_delete

        def delete(*, old):
            if old.folder == refused:
                raise PermissionError(13, "Permission denied")
            real_delete(old=old)

        stderr = io.StringIO()
        with (
            mock.patch("reports.management.commands.clear_batches.batch_folder_delete", side_effect=delete),
            self.assertRaisesMessage(CommandError, "Không xoá được 1 đợt in"),
        ):
            call_command("clear_batches", stdout=io.StringIO(), stderr=stderr)
        self.assertIn(f"Không xoá được {refused}", stderr.getvalue())
        self.assertTrue(refused.exists())
        self.assertFalse(old.exists())


# --- in Chromium: a stalled batch, resumed from its page, then printed by a worker --------------


@pytest.mark.browser
def test_a_reviewer_resumes_a_stalled_batch_and_the_page_follows_it_to_the_zip(
    browser, batch_portal, artifacts_dir
):
    """The queue (database backend) holds the batch's tasks; nothing moved for 7 minutes. After the
    resume the queue holds each report twice: the worker prints each once and skips the copy."""
    world = batch_portal.world
    batch = batch_print(reviewer_unit=world.hoai_nhon, year=2023, user=world.reviewer)
    moment = age(Path(settings.MEDIA_ROOT) / "batches" / batch.id, MINUTES_AGO_7)
    context, page = open_page(browser, DESKTOP)
    problems = watch_problems(page)
    patched = mock.patch("reports.services.batch._draft_pdf", return_value=FAKE_PDF)
    patched.start()
    try:
        log_in(page, batch_portal, "reviewer")
        page.goto(batch_portal.url(reverse("reports:batch_detail", args=[batch.id])))
        progress = page.locator("#batch-progress")
        expect(progress).to_contain_text(f"Không thấy tiến triển từ {clock(moment)}")
        expect(progress).to_contain_text("Có thể chương trình in nền (make worker) đã dừng.")
        page.screenshot(path=artifacts_dir / "batch-stalled.png")
        page.get_by_role("button", name="In tiếp các báo cáo còn thiếu").click()
        expect(page).to_have_url(batch_portal.url(reverse("reports:batch_detail", args=[batch.id])))
        expect(progress).to_contain_text("Đang chờ máy in nền nhận việc")
        assert DBTaskResult.objects.filter(status="READY").count() == 6
        with mock.patch(
            "django_tasks_db.management.commands.db_worker.exclusive_transaction", transaction.atomic
        ):
            call_command("db_worker", batch=True, startup_delay=False, reload=False, stdout=io.StringIO())
        expect(progress).to_contain_text("3/3 báo cáo", timeout=6000)
        expect(page.get_by_role("link", name=re.compile("Tải tệp nén"))).to_be_visible()
        page.screenshot(path=artifacts_dir / "batch-resumed-done.png")
        with zipfile.ZipFile(batch_load(batch.id).zip_path) as archive:
            assert sorted(archive.namelist()) == sorted([SUMMARY, HOAI_CHAU, HOAI_CHAU_BAC])
        assert problems == []
    finally:
        patched.stop()
        context.close()
