"""The task tracker of a commune: every task by status, the overdue ones flagged and counted,
filters, the quick status change, and a query count that does not grow with tasks."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from reports.models import ConclusionTask, TaskStatus
from reports.selectors.records import open_tasks

from .test_records_fixtures import READ_MATRIX, RecordsTestCase, write_matrix


class TrackerTests(RecordsTestCase):
    def setUp(self):
        self.meeting = self.make_meeting()
        today = timezone.localdate()
        self.late = self.make_task(
            self.meeting, description="Việc quá hạn", due_on=today - datetime.timedelta(days=3)
        )
        self.soon = self.make_task(
            self.meeting,
            description="Việc còn hạn",
            office=self.tc,
            status=TaskStatus.DOING,
            due_on=today + datetime.timedelta(days=10),
        )
        self.done = self.make_task(
            self.meeting,
            description="Việc xong dù hạn đã qua",
            status=TaskStatus.DONE,
            due_on=today - datetime.timedelta(days=30),
            completed_on=today - datetime.timedelta(days=31),
        )

    def url(self, unit=None, **query):
        url = reverse("reports:task_tracker", args=[(unit or self.hoai_chau).pk])
        return url

    def test_permission_matrix(self):
        self.assert_access_matrix(self.url(), READ_MATRIX)

    def test_overdue_tasks_are_flagged_counted_and_first(self):
        self.login(self.officer)
        response = self.client.get(self.url())
        tracker = response.context["tracker"]
        self.assertEqual(tracker.overdue_count, 1)
        self.assertEqual(tracker.overdue_ids, {self.late.pk})
        self.assertEqual(tracker.tasks[0], self.late)
        self.assertEqual(tracker.by_status, {"todo": 1, "doing": 1, "done": 1})
        self.assertContains(response, "Quá hạn: 1")
        self.assertContains(response, 'class="table-danger"', count=1)

    def test_filter_by_office_status_and_overdue(self):
        self.login(self.reviewer)

        def tasks(query):
            return [t.pk for t in self.client.get(self.url(), query).context["tracker"].tasks]

        self.assertEqual(tasks({"office": self.tc.pk}), [self.soon.pk])
        self.assertEqual(tasks({"status": "done"}), [self.done.pk])
        self.assertEqual(tasks({"qua_han": "on"}), [self.late.pk])

    def test_a_filter_naming_another_communes_office_is_ignored_with_a_message(self):
        self.login(self.officer)
        response = self.client.get(self.url(), {"office": self.other_office.pk})
        self.assertEqual(len(response.context["tracker"].tasks), 3)
        self.assertContains(response, "Bộ lọc không hợp lệ")

    def test_open_tasks_are_the_not_done_ones_soonest_first(self):
        self.assertEqual(list(open_tasks(self.hoai_chau)), [self.late, self.soon])

    def test_the_quick_status_change_matrix(self):
        url = reverse("reports:task_status", args=[self.late.pk])
        refused = {k: v for k, v in write_matrix(302).items() if k not in ("officer", "chairman")}
        self.assert_access_matrix(url, refused, method="post", data={"status": "done"})
        self.late.refresh_from_db()
        self.assertEqual(self.late.status, TaskStatus.TODO)
        self.assert_access_matrix(url, {"chairman": 302}, method="post", data={"status": "done"})
        self.late.refresh_from_db()
        self.assertEqual(self.late.status, TaskStatus.DONE)
        self.assertEqual(self.late.completed_on, timezone.localdate())

    def test_the_quick_change_is_post_only_and_checks_the_status(self):
        self.login(self.officer)
        url = reverse("reports:task_status", args=[self.late.pk])
        self.assertEqual(self.client.get(url).status_code, 405)
        self.assertEqual(self.client.post(url, {"status": "finished"}).status_code, 400)
        self.late.refresh_from_db()
        self.assertEqual(self.late.status, TaskStatus.TODO)

    def test_the_quick_change_returns_to_the_page_but_never_off_site(self):
        self.login(self.officer)
        url = reverse("reports:task_status", args=[self.soon.pk])
        back = self.url() + "?status=doing"
        self.assertRedirects(self.client.post(url, {"status": "todo", "next": back}), back)
        response = self.client.post(url, {"status": "done", "next": "https://example.com/"})
        self.assertRedirects(response, self.url())

    def test_reopening_a_done_task_clears_its_date(self):
        self.login(self.officer)
        self.client.post(reverse("reports:task_status", args=[self.done.pk]), {"status": "doing"})
        self.done.refresh_from_db()
        self.assertIsNone(self.done.completed_on)

    def test_query_count_does_not_grow_with_tasks(self):
        self.login(self.officer)
        # session, user, readable unit, offices (filter), counts by status, tasks with meeting and
        # office, may-write, places (navigation)
        with self.assertNumQueries(8):
            self.client.get(self.url())
        for index in range(30):
            other = self.make_meeting(held_on=datetime.date(2024, 1, 1 + index % 28))
            ConclusionTask.objects.create(meeting=other, office=self.vp, description=f"Việc {index}")
        with self.assertNumQueries(8):
            response = self.client.get(self.url())
        self.assertEqual(len(response.context["tracker"].tasks), 33)
