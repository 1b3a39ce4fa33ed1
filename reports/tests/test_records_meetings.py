"""Meetings and the tasks they assign: who may see and change them, what is refused, and the list's
query count."""

from __future__ import annotations

import datetime

from django.urls import reverse

from reports.models import ConclusionTask, Meeting, Report, TaskStatus

from .test_records_fixtures import READ_MATRIX, RecordsTestCase, write_matrix

MEETING = {
    "kind": "so-ket-6-thang",
    "title": "Hội nghị sơ kết CCHC 6 tháng đầu năm 2024",
    "held_on": "2024-07-11",
    "place": "Hội trường VHTT xã",
    "chair": "Chủ tịch UBND xã Lê Quốc Dũng",
    "attendees": "",
    "content": "",
    "conclusions": "Đẩy mạnh tuyên truyền CCHC.",
}


class MeetingListTests(RecordsTestCase):
    def url(self, unit=None):
        return reverse("reports:meeting_list", args=[(unit or self.hoai_chau).pk])

    def test_permission_matrix(self):
        self.assert_access_matrix(self.url(), READ_MATRIX)

    def test_a_district_is_404(self):
        self.login(self.reviewer)
        self.assertEqual(self.client.get(self.url(self.hoai_nhon)).status_code, 404)

    def test_newest_first_with_kind_chair_and_open_tasks(self):
        old = self.make_meeting(held_on=datetime.date(2023, 7, 10), title="Sơ kết 2023")
        new = self.make_meeting(held_on=datetime.date(2024, 3, 15))
        self.make_task(new)
        self.make_task(new, status=TaskStatus.DONE)
        self.make_task(old, status=TaskStatus.DONE)
        self.login(self.officer)
        response = self.client.get(self.url())
        self.assertEqual([m.pk for m in response.context["meetings"]], [new.pk, old.pk])
        self.assertEqual(response.context["meetings"][0].open_count, 1)
        self.assertContains(response, "Đánh giá Chỉ số CCHC")
        self.assertContains(response, "Chủ tịch UBND xã Trần Quốc Toàn")
        self.assertContains(response, "1/2")
        self.assertContains(response, "Xong hết")

    def test_readers_see_no_add_button(self):
        self.login(self.reviewer)
        self.assertNotContains(
            self.client.get(self.url()), reverse("reports:meeting_create", args=[self.hoai_chau.pk])
        )

    def test_query_count_does_not_grow_with_meetings(self):
        self.login(self.officer)
        meeting = self.make_meeting()
        self.make_task(meeting)
        # session, user, readable unit, places (navigation), meetings with their counts, may-write
        with self.assertNumQueries(6):
            self.client.get(self.url())
        for day in range(1, 20):
            self.make_task(self.make_meeting(held_on=datetime.date(2024, 1, day)))
        with self.assertNumQueries(6):
            self.client.get(self.url())


class MeetingWriteTests(RecordsTestCase):
    def test_create_matrix(self):
        url = reverse("reports:meeting_create", args=[self.hoai_chau.pk])
        self.assert_access_matrix(url, write_matrix(200))
        self.assert_access_matrix(url, write_matrix(302), method="post", data=MEETING)
        self.assertEqual(Meeting.objects.count(), 2)

    def test_an_officer_creates_a_meeting(self):
        self.login(self.officer)
        response = self.client.post(reverse("reports:meeting_create", args=[self.hoai_chau.pk]), MEETING)
        meeting = Meeting.objects.get()
        self.assertRedirects(response, reverse("reports:meeting_detail", args=[meeting.pk]))
        self.assertEqual(meeting.unit, self.hoai_chau)
        self.assertEqual(meeting.held_on, datetime.date(2024, 7, 11))
        self.assertEqual(meeting.created_by, self.officer)

    def test_a_date_typed_the_vietnamese_way_is_read(self):
        self.login(self.officer)
        self.client.post(
            reverse("reports:meeting_create", args=[self.hoai_chau.pk]), {**MEETING, "held_on": "11/07/2024"}
        )
        self.assertEqual(Meeting.objects.get().held_on, datetime.date(2024, 7, 11))

    def test_a_bad_date_is_refused_in_vietnamese_and_nothing_is_saved(self):
        self.login(self.officer)
        for bad in ("31/02/2024", "hôm qua", "1899-01-01"):
            with self.subTest(bad=bad):
                response = self.client.post(
                    reverse("reports:meeting_create", args=[self.hoai_chau.pk]), {**MEETING, "held_on": bad}
                )
                self.assertEqual(response.status_code, 400)
                self.assertTrue(response.context["form"].errors["held_on"])
        self.assertContains(response, "Ngày", status_code=400)
        self.assertFalse(Meeting.objects.exists())

    def test_missing_title_and_chair_are_named(self):
        self.login(self.officer)
        response = self.client.post(
            reverse("reports:meeting_create", args=[self.hoai_chau.pk]),
            {**MEETING, "title": "", "chair": " "},
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.context["form"].errors), {"title", "chair"})

    def test_detail_matrix(self):
        self.assert_access_matrix(
            reverse("reports:meeting_detail", args=[self.make_meeting().pk]), READ_MATRIX
        )

    def test_edit_matrix(self):
        meeting = self.make_meeting()
        url = reverse("reports:meeting_edit", args=[meeting.pk])
        self.assert_access_matrix(url, write_matrix(200))
        self.assert_access_matrix(url, write_matrix(302), method="post", data=MEETING)
        meeting.refresh_from_db()
        self.assertEqual(meeting.title, MEETING["title"])

    def test_delete_asks_first_then_deletes_with_the_tasks(self):
        meeting = self.make_meeting()
        self.make_task(meeting)
        url = reverse("reports:meeting_delete", args=[meeting.pk])
        self.assert_access_matrix(url, write_matrix(200))
        self.assertTrue(Meeting.objects.exists())
        # The readers and strangers try first and change nothing; then the chairman deletes.
        refused = {k: v for k, v in write_matrix(302).items() if k not in ("officer", "chairman")}
        self.assert_access_matrix(url, refused, method="post")
        self.assertTrue(Meeting.objects.exists())
        self.assert_access_matrix(url, {"chairman": 302}, method="post")
        self.assertFalse(Meeting.objects.exists())
        self.assertFalse(ConclusionTask.objects.exists())

    def test_a_meeting_a_report_was_composed_from_is_kept_with_409(self):
        meeting = self.make_meeting()
        Report.objects.create(unit=self.hoai_chau, kind="ket-luan", meeting=meeting, type_code="TB",
                              place="Hoài Châu", title="THÔNG BÁO", summary="Kết luận")  # fmt: skip
        self.login(self.officer)
        response = self.client.post(reverse("reports:meeting_delete", args=[meeting.pk]))
        self.assertContains(response, "đã có báo cáo soạn từ cuộc họp", status_code=409)
        self.assertTrue(Meeting.objects.exists())

    def test_delete_confirmation_says_what_goes(self):
        meeting = self.make_meeting()
        self.make_task(meeting)
        self.login(self.chairman)
        response = self.client.get(reverse("reports:meeting_delete", args=[meeting.pk]))
        self.assertContains(response, "15/03/2024")
        self.assertContains(response, "1 nhiệm vụ")


TASK = {
    "office": "",
    "assignee": "",
    "description": "Rà soát các tiêu chí chưa đạt",
    "due_on": "30/06/2024",
    "status": "todo",
    "completed_on": "",
    "completion_note": "",
}


class TaskTests(RecordsTestCase):
    def setUp(self):
        self.meeting = self.make_meeting()

    def create_url(self, meeting=None):
        return reverse("reports:task_create", args=[(meeting or self.meeting).pk])

    def test_create_matrix(self):
        data = {**TASK, "office": self.vp.pk}
        self.assert_access_matrix(self.create_url(), write_matrix(302), method="post", data=data)
        self.assertEqual(ConclusionTask.objects.filter(meeting=self.meeting).count(), 2)
        task = ConclusionTask.objects.first()
        self.assertEqual(task.unit, self.hoai_chau)
        self.assertEqual(task.due_on, datetime.date(2024, 6, 30))

    def test_a_task_for_a_named_person(self):
        self.login(self.officer)
        self.client.post(self.create_url(), {**TASK, "assignee": "Ông Nguyễn Văn A"})
        task = ConclusionTask.objects.get()
        self.assertIsNone(task.office)
        self.assertEqual(task.assignee, "Ông Nguyễn Văn A")

    def test_an_office_of_another_commune_is_refused_with_400_and_nothing_saved(self):
        self.login(self.officer)
        response = self.client.post(self.create_url(), {**TASK, "office": self.other_office.pk})
        self.assertEqual(response.status_code, 400)
        self.assertIn("không thuộc đơn vị này", response.context["form"].errors["office"][0])
        self.assertFalse(ConclusionTask.objects.exists())

    def test_a_task_needs_an_office_or_a_person(self):
        self.login(self.officer)
        response = self.client.post(self.create_url(), TASK)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(ConclusionTask.objects.exists())

    def test_a_bad_due_date_is_refused(self):
        self.login(self.officer)
        response = self.client.post(self.create_url(), {**TASK, "office": self.vp.pk, "due_on": "32/13/2024"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("ngày/tháng/năm", response.context["form"].errors["due_on"][0])
        self.assertFalse(ConclusionTask.objects.exists())

    def test_done_without_a_date_is_done_today_and_a_future_date_is_refused(self):
        self.login(self.officer)
        self.client.post(
            self.create_url(), {**TASK, "office": self.vp.pk, "status": "done", "completion_note": "Xong"}
        )
        task = ConclusionTask.objects.get()
        self.assertIsNotNone(task.completed_on)
        self.assertEqual(task.completion_note, "Xong")
        response = self.client.post(
            self.create_url(), {**TASK, "office": self.vp.pk, "status": "done", "completed_on": "01/01/2099"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(ConclusionTask.objects.count(), 1)

    def test_a_completion_date_on_a_task_not_done_is_refused(self):
        self.login(self.officer)
        response = self.client.post(
            self.create_url(), {**TASK, "office": self.vp.pk, "completed_on": "01/03/2024"}
        )
        self.assertEqual(response.status_code, 400)

    def test_edit_and_delete_matrix(self):
        task = self.make_task(self.meeting)
        edit = reverse("reports:task_edit", args=[task.pk])
        self.assert_access_matrix(edit, write_matrix(200))
        self.assert_access_matrix(
            edit, write_matrix(302), method="post", data={**TASK, "office": self.tc.pk, "status": "doing"}
        )
        task.refresh_from_db()
        self.assertEqual((task.office, task.status), (self.tc, TaskStatus.DOING))
        delete = reverse("reports:task_delete", args=[task.pk])
        self.assert_access_matrix(delete, write_matrix(200))
        self.login(self.officer)
        self.client.post(delete)
        self.assertFalse(ConclusionTask.objects.exists())

    def test_editing_cannot_move_a_task_to_another_communes_office(self):
        task = self.make_task(self.meeting)
        self.login(self.officer)
        response = self.client.post(
            reverse("reports:task_edit", args=[task.pk]), {**TASK, "office": self.other_office.pk}
        )
        self.assertEqual(response.status_code, 400)
        task.refresh_from_db()
        self.assertEqual(task.office, self.vp)

    def test_the_detail_shows_conclusions_and_tasks_and_flags_overdue(self):
        self.meeting.conclusions = "Kết luận của Chủ tịch"
        self.meeting.save()
        self.make_task(self.meeting, due_on=datetime.date(2020, 1, 1), description="Việc đã quá hạn")
        self.login(self.reviewer)
        response = self.client.get(reverse("reports:meeting_detail", args=[self.meeting.pk]))
        self.assertContains(response, "Kết luận của Chủ tịch")
        self.assertContains(response, "Việc đã quá hạn")
        self.assertContains(response, "Quá hạn")
        self.assertIsNone(response.context["task_form"])
