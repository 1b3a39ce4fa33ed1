"""Racing submits of the records' create forms: several POSTs at the same moment never answer
500 and never create a record twice (see ``racing`` for how SQLite and PostgreSQL differ)."""

from __future__ import annotations

import secrets

from django.urls import reverse

from communes.models import Office
from reports.forms import DocumentForm, ImportForm, MeetingForm, PlanForm
from reports.models import DirectiveDocument, Meeting, Plan, PlanTask

from .racing import RaceTestCase, at_once
from .test_records_plan import xlsx

DOCUMENT = {
    "number_symbol": "14/KH-UBND",
    "issued_on": "19/02/2021",
    "type_code": "",
    "summary": "Kế hoạch kiểm tra công tác cải cách hành chính năm 2021",
}
MEETING = {
    "kind": "so-ket-6-thang",
    "title": "Hội nghị sơ kết CCHC 6 tháng đầu năm 2024",
    "held_on": "2024-07-11",
    "chair": "Chủ tịch UBND xã Trần Quốc Toàn",
}


def post(url: str, data: dict):
    return lambda client: client.post(url, data)


class RacingCreateTests(RaceTestCase):
    def statuses(self, responses) -> list[int]:
        for response in responses:
            self.assertNotIsInstance(response, Exception)
        return sorted(response.status_code for response in responses)

    def test_four_simultaneous_posts_of_one_register_entry_make_one_row_and_no_500(self):
        url = reverse("reports:document_create", args=[self.hoai_chau.pk])
        # Four forms (four tabs, or four people): each its own token.
        requests = [post(url, {**DOCUMENT, "submission_token": secrets.token_hex(16)}) for _i in range(4)]
        responses = at_once(requests, user=self.officer, checked_together=[DocumentForm])
        self.assertEqual(self.statuses(responses), [302, 400, 400, 400])
        self.assertEqual(DirectiveDocument.objects.count(), 1)
        for response in responses:
            if response.status_code == 400:
                self.assertIn(
                    "Văn bản 14/KH-UBND năm 2021 đã có trong sổ",
                    response.context["form"].errors["number_symbol"][0],
                )
                self.assertContains(response, "Kế hoạch kiểm tra công tác", status_code=400)  # kept

    def test_the_same_number_on_another_day_of_the_year_racing_is_refused_too(self):
        url = reverse("reports:document_create", args=[self.hoai_chau.pk])
        requests = [post(url, DOCUMENT), post(url, {**DOCUMENT, "issued_on": "20/02/2021"})]
        responses = at_once(requests, user=self.officer, checked_together=[DocumentForm])
        self.assertEqual(self.statuses(responses), [302, 400])
        self.assertEqual(DirectiveDocument.objects.count(), 1)

    def test_a_double_click_on_a_meeting_form_makes_one_meeting(self):
        url = reverse("reports:meeting_create", args=[self.hoai_chau.pk])
        data = {**MEETING, "submission_token": secrets.token_hex(16)}
        responses = at_once(
            [post(url, data), post(url, data)], user=self.officer, checked_together=[MeetingForm]
        )
        self.assertEqual(self.statuses(responses), [302, 302])
        meeting = Meeting.objects.get()
        target = reverse("reports:meeting_detail", args=[meeting.pk])
        self.assertEqual([r["Location"] for r in responses], [target, target])

    def test_a_double_click_on_a_register_form_makes_one_entry(self):
        url = reverse("reports:document_create", args=[self.hoai_chau.pk])
        data = {**DOCUMENT, "submission_token": secrets.token_hex(16)}
        requests = [post(url, data), post(url, data), post(url, data)]
        responses = at_once(requests, user=self.chairman, checked_together=[DocumentForm])
        self.assertEqual(self.statuses(responses), [302, 302, 302])
        self.assertEqual(DirectiveDocument.objects.count(), 1)

    def test_two_plans_for_one_year_at_once_make_one_and_the_other_is_told(self):
        url = reverse("reports:plan_create", args=[self.hoai_chau.pk])
        first = {"year": 2025, "number_symbol": "05/KH-UBND", "title": "Bản của cán bộ"}
        second = {"year": 2025, "number_symbol": "07/KH-UBND", "title": "Bản của chủ tịch"}
        responses = at_once(
            [post(url, first), post(url, second)], user=self.officer, checked_together=[PlanForm]
        )
        self.assertEqual(self.statuses(responses), [302, 400])
        refused = next(r for r in responses if r.status_code == 400)
        self.assertIn("đã có kế hoạch năm 2025", refused.context["form"].errors["year"][0])
        plan = Plan.objects.get()
        saved = next(r for r in responses if r.status_code == 302)
        self.assertEqual(saved["Location"], reverse("reports:plan_detail", args=[self.hoai_chau.pk, 2025]))
        # The one saved is whole: not one person's number with the other's title.
        self.assertIn((plan.number_symbol, plan.title), {tuple(d.values())[1:] for d in (first, second)})

    def test_one_plan_file_uploaded_twice_at_once_adds_its_tasks_once(self):
        Office.objects.create(unit=self.hoai_chau, name="Văn phòng - Thống kê", position=1)
        plan = Plan.objects.create(unit=self.hoai_chau, year=2024)
        url = reverse("reports:plan_import", args=[self.hoai_chau.pk, 2024])
        rows = [
            ["STT", "Nhiệm vụ", "Bộ phận", "Thời hạn", "Hoàn thành"],
            [1, "Ban hành Kế hoạch CCHC năm 2024", "Văn phòng - Thống kê", "31/01/2024", "có"],
            [2, "Tuyên truyền CCHC", None, "30/06/2024", None],
            [3, "Tự chấm điểm chỉ số", None, None, None],
        ]

        def upload(client):
            return client.post(url, {"file": xlsx(rows), "submission_token": secrets.token_hex(16)})

        responses = at_once([upload, upload], user=self.officer, checked_together=[ImportForm])
        self.assertEqual(self.statuses(responses), [302, 302])
        self.assertEqual(PlanTask.objects.filter(plan=plan).count(), 3)
