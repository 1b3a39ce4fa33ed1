"""The records' create forms posted twice: a double click, a reload of the answer, the back
button. Each form carries a one-time token; the same form posted again creates nothing more and
leads to what the first post created, saying so. A duplicate typed in a fresh form is refused
with the form's message, never a 500. (Racing posts at the same moment: ``test_races``.)"""

from __future__ import annotations

import datetime
import re
from unittest import mock

from django.urls import reverse

from reports.models import ConclusionTask, DirectiveDocument, Meeting, Plan, PlanTask
from reports.services.records import RecordConflict, document_save

from .test_records_fixtures import RecordsTestCase
from .test_records_plan import xlsx

TOKEN = re.compile(r'name="submission_token" value="([0-9a-f]{32})"')

MEETING = {
    "kind": "so-ket-6-thang",
    "title": "Hội nghị sơ kết CCHC 6 tháng đầu năm 2024",
    "held_on": "2024-07-11",
    "chair": "Chủ tịch UBND xã Lê Quốc Dũng",
}
DOCUMENT = {
    "number_symbol": "14/KH-UBND",
    "issued_on": "19/02/2021",
    "type_code": "",
    "summary": "Kế hoạch kiểm tra công tác cải cách hành chính năm 2021",
}
PLAN_ROWS = [
    ["STT", "Nhiệm vụ", "Bộ phận", "Thời hạn", "Hoàn thành"],
    [1, "Ban hành Kế hoạch CCHC năm 2024", "Văn phòng - Thống kê", "31/01/2024", "có"],
    [2, "Tuyên truyền CCHC", "Tài chính - Kế toán", "30/06/2024", "không"],
    [3, "Tự chấm điểm chỉ số", None, None, None],
]


def token_in(response) -> str:
    """The one-time token of the create form on the page."""
    found = TOKEN.search(response.content.decode())
    assert found, "the page has no submission_token field"
    return found.group(1)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


class DoubleSubmitTests(RecordsTestCase):
    def submit_twice(self, form_page: str, url: str, data: dict, model, **filters):
        """GET the page with the form, POST it twice with its token; one object, and the second
        POST leads where the first did, saying it was saved already. Returns the second answer."""
        self.login(self.officer)
        token = token_in(self.client.get(form_page))
        first = self.client.post(url, {**data, "submission_token": token})
        self.assertEqual(first.status_code, 302)
        second = self.client.post(url, {**data, "submission_token": token}, follow=True)
        self.assertEqual(second.redirect_chain[0][0], first["Location"])
        self.assertEqual(model.objects.filter(**filters).count(), 1)
        return second

    def test_a_meeting_posted_twice_is_saved_once(self):
        url = reverse("reports:meeting_create", args=[self.hoai_chau.pk])
        second = self.submit_twice(url, url, MEETING, Meeting)
        self.assertIn(
            "Cuộc họp “Hội nghị sơ kết CCHC 6 tháng đầu năm 2024” đã được lưu từ lần gửi trước; "
            "không tạo thêm cuộc họp mới.",
            messages_of(second),
        )

    def test_a_task_posted_twice_is_assigned_once(self):
        meeting = self.make_meeting()
        data = {"office": self.vp.pk, "description": "Rà soát các tiêu chí chưa đạt", "status": "todo"}
        second = self.submit_twice(
            reverse("reports:meeting_detail", args=[meeting.pk]),
            reverse("reports:task_create", args=[meeting.pk]),
            data,
            ConclusionTask,
        )
        self.assertEqual(
            messages_of(second)[-1],
            "Nhiệm vụ “Rà soát các tiêu chí chưa đạt” đã được giao từ lần gửi trước; "
            "không giao thêm lần nữa.",
        )

    def test_a_plan_posted_twice_is_created_once_without_an_error(self):
        url = reverse("reports:plan_create", args=[self.hoai_chau.pk])
        second = self.submit_twice(url, url, {"year": 2024, "number_symbol": "05/KH-UBND"}, Plan)
        self.assertEqual(second.status_code, 200)
        self.assertIn("Kế hoạch CCHC năm 2024 đã được tạo từ lần gửi trước.", messages_of(second))

    def test_a_plan_task_posted_twice_is_added_once(self):
        self.make_plan()
        second = self.submit_twice(
            reverse("reports:plan_detail", args=[self.hoai_chau.pk, 2024]),
            reverse("reports:plan_task_create", args=[self.hoai_chau.pk, 2024]),
            {"description": "Ban hành kế hoạch tuyên truyền", "office": self.vp.pk},
            PlanTask,
        )
        self.assertIn("đã được thêm vào kế hoạch từ lần gửi trước", messages_of(second)[-1])

    def test_a_register_entry_posted_twice_is_added_once_without_the_duplicate_error(self):
        url = reverse("reports:document_create", args=[self.hoai_chau.pk])
        second = self.submit_twice(url, url, DOCUMENT, DirectiveDocument)
        self.assertIn(
            "Văn bản 14/KH-UBND đã được thêm vào sổ từ lần gửi trước; không thêm lần nữa.",
            messages_of(second),
        )

    def test_an_import_posted_twice_is_imported_once(self):
        self.make_plan()
        url = reverse("reports:plan_import", args=[self.hoai_chau.pk, 2024])
        self.login(self.officer)
        token = token_in(self.client.get(url))
        self.client.post(url, {"file": xlsx(PLAN_ROWS), "submission_token": token})
        second = self.client.post(url, {"file": xlsx(PLAN_ROWS), "submission_token": token}, follow=True)
        self.assertEqual(PlanTask.objects.count(), 3)
        self.assertIn(
            "Tệp “ke-hoach.xlsx” đã được nhập từ lần gửi trước; không nhập lại.", messages_of(second)
        )

    def test_a_form_shown_again_with_errors_keeps_its_token(self):
        url = reverse("reports:meeting_create", args=[self.hoai_chau.pk])
        self.login(self.officer)
        token = token_in(self.client.get(url))
        refused = self.client.post(url, {**MEETING, "title": "", "submission_token": token})
        self.assertEqual(refused.status_code, 400)
        self.assertEqual(token_in(refused), token)  # the refusal stored nothing, not even the token
        self.client.post(url, {**MEETING, "submission_token": token})
        self.client.post(url, {**MEETING, "submission_token": token})
        self.assertEqual(Meeting.objects.count(), 1)

    def test_each_load_of_the_form_has_a_new_token(self):
        url = reverse("reports:meeting_create", args=[self.hoai_chau.pk])
        self.login(self.officer)
        self.assertNotEqual(token_in(self.client.get(url)), token_in(self.client.get(url)))

    def test_a_token_is_its_users_only_and_a_malformed_one_is_ignored(self):
        url = reverse("reports:meeting_create", args=[self.hoai_chau.pk])
        self.login(self.officer)
        token = token_in(self.client.get(url))
        self.client.post(url, {**MEETING, "submission_token": token})
        self.login(self.chairman)
        response = self.client.post(url, {**MEETING, "submission_token": token})
        self.assertEqual(Meeting.objects.count(), 2)
        self.assertRedirects(response, reverse("reports:meeting_detail", args=[Meeting.objects.first().pk]))
        for bad in ("x" * 32, "'; drop table", ""):
            self.client.post(url, {**MEETING, "submission_token": bad})
        self.assertEqual(Meeting.objects.count(), 5)


class RegisterDuplicateTests(RecordsTestCase):
    """The register's unique entry (unit, number and symbol, date) and its rule (one number and
    symbol a year) hold even when the form's own check did not see the other entry (it was being
    saved at that moment): a message beside the field, what was typed kept, never a 500."""

    url = property(lambda self: reverse("reports:document_create", args=[self.hoai_chau.pk]))

    def test_a_second_post_of_the_same_entry_in_a_fresh_form_is_the_forms_message(self):
        self.login(self.officer)
        self.assertEqual(self.client.post(self.url, DOCUMENT).status_code, 302)
        response = self.client.post(self.url, DOCUMENT)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.context["form"].errors["number_symbol"],
            ["Văn bản 14/KH-UBND năm 2021 đã có trong sổ (ngày 19/02/2021)."],
        )
        self.assertEqual(DirectiveDocument.objects.count(), 1)

    def test_an_entry_the_form_did_not_see_is_refused_by_the_save_with_the_same_message(self):
        self.make_document(symbol="14/KH-UBND", day=datetime.date(2021, 2, 19))
        self.login(self.officer)
        # The form's check blind, as when the other entry was not committed yet.
        with mock.patch("reports.forms.duplicate_key", side_effect=lambda symbol, day: object()):
            response = self.client.post(self.url, DOCUMENT)
        self.assertEqual(response.status_code, 400)
        self.assertIn(
            "Văn bản 14/KH-UBND năm 2021 đã có trong sổ", response.context["form"].errors["number_symbol"][0]
        )
        self.assertContains(response, DOCUMENT["summary"], status_code=400)  # what was typed, kept
        self.assertEqual(DirectiveDocument.objects.count(), 1)

    def test_the_unique_constraint_itself_becomes_the_message(self):
        self.make_document(symbol="14/KH-UBND", day=datetime.date(2021, 2, 19))
        data = {
            "number_symbol": "14/KH-UBND",
            "issued_on": datetime.date(2021, 2, 19),
            "type_code": "KH",
            "summary": "Lần hai",
        }
        # Both checks blind: only the database's constraint is left, and it is caught.
        blind = mock.patch("reports.services.records.duplicate_key", side_effect=lambda symbol, day: object())
        with blind, self.assertRaises(RecordConflict) as caught:
            document_save(unit=self.hoai_chau, data=data)
        self.assertEqual(caught.exception.field, "number_symbol")
        self.assertIn("14/KH-UBND", str(caught.exception))
        self.assertIn("19/02/2021", str(caught.exception))
        self.assertEqual(DirectiveDocument.objects.count(), 1)

    def test_editing_an_entry_into_another_ones_number_is_refused_by_the_save(self):
        self.make_document(symbol="14/KH-UBND", day=datetime.date(2021, 2, 19))
        other = self.make_document(symbol="15/KH-UBND", day=datetime.date(2021, 2, 19))
        self.login(self.officer)
        with mock.patch("reports.forms.duplicate_key", side_effect=lambda symbol, day: object()):
            response = self.client.post(reverse("reports:document_edit", args=[other.pk]), DOCUMENT)
        self.assertEqual(response.status_code, 400)
        other.refresh_from_db()
        self.assertEqual(other.number_symbol, "15/KH-UBND")


class PlanImportAgainTests(RecordsTestCase):
    """Importing a plan file whose tasks are already in the plan adds only those that are not."""

    def setUp(self):
        self.plan = self.make_plan()
        self.url = reverse("reports:plan_import", args=[self.hoai_chau.pk, 2024])
        self.login(self.officer)

    def test_the_same_file_imported_again_adds_nothing_and_says_so(self):
        self.client.post(self.url, {"file": xlsx(PLAN_ROWS)})
        response = self.client.post(self.url, {"file": xlsx(PLAN_ROWS)}, follow=True)
        self.assertEqual(self.plan.tasks.count(), 3)
        self.assertIn(
            "Mọi nhiệm vụ trong tệp “ke-hoach.xlsx” đã có trong kế hoạch năm 2024 (cùng nội dung, bộ phận "
            "và thời hạn); không nhập thêm nhiệm vụ nào.",
            messages_of(response),
        )

    def test_a_longer_file_adds_only_its_new_tasks_and_names_the_rows_left_out(self):
        self.client.post(self.url, {"file": xlsx(PLAN_ROWS[:3])})
        PlanTask.objects.filter(description="Tuyên truyền CCHC").update(done=True)  # progress since
        longer = [*PLAN_ROWS, [4, "Tuyên truyền CCHC", "Tài chính - Kế toán", "31/12/2024", None]]
        response = self.client.post(self.url, {"file": xlsx(longer)}, follow=True)
        descriptions = list(self.plan.tasks.order_by("position").values_list("description", "due_on"))
        self.assertEqual(
            descriptions,
            [
                ("Ban hành Kế hoạch CCHC năm 2024", datetime.date(2024, 1, 31)),
                ("Tuyên truyền CCHC", datetime.date(2024, 6, 30)),
                ("Tự chấm điểm chỉ số", None),
                ("Tuyên truyền CCHC", datetime.date(2024, 12, 31)),  # another deadline: another task
            ],
        )
        self.assertTrue(self.plan.tasks.get(due_on=datetime.date(2024, 6, 30)).done)  # kept as it was
        self.assertEqual(
            messages_of(response)[-2:],  # after the first import's
            [
                "Đã nhập 2 nhiệm vụ từ tệp “ke-hoach.xlsx”.",
                "2 nhiệm vụ đã có trong kế hoạch (cùng nội dung, bộ phận và thời hạn) nên không nhập lại: "
                "dòng 2, 3.",
            ],
        )

    def test_spacing_and_case_do_not_make_a_task_new(self):
        self.client.post(self.url, {"file": xlsx(PLAN_ROWS)})
        again = [
            PLAN_ROWS[0],
            [1, "  ban hành kế hoạch  CCHC năm 2024 ", "Văn phòng - Thống kê", "31/01/2024"],
        ]
        self.client.post(self.url, {"file": xlsx(again)})
        self.assertEqual(self.plan.tasks.count(), 3)
