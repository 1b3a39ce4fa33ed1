"""The yearly plan: its facts, its tasks typed one by one or imported from Excel (all or nothing),
progress as "17/25 nhiệm vụ (68%)", and ticking a task done."""

from __future__ import annotations

import datetime
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from reports.models import Plan, PlanTask

from .test_records_fixtures import READ_MATRIX, RecordsTestCase, write_matrix


def xlsx(rows) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.title = "Kế hoạch"
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("ke-hoach.xlsx", buffer.getvalue())


class PlanPageTests(RecordsTestCase):
    def test_list_and_detail_matrix(self):
        self.make_plan(tasks=3, done=1)
        self.assert_access_matrix(reverse("reports:plan_list", args=[self.hoai_chau.pk]), READ_MATRIX)
        self.assert_access_matrix(reverse("reports:plan_detail", args=[self.hoai_chau.pk, 2024]), READ_MATRIX)

    def test_a_year_without_plan_is_404(self):
        self.login(self.officer)
        self.assertEqual(
            self.client.get(reverse("reports:plan_detail", args=[self.hoai_chau.pk, 2020])).status_code, 404
        )

    def test_progress_reads_as_seed_002(self):
        self.make_plan(tasks=25, done=17)
        self.login(self.chairman)
        response = self.client.get(reverse("reports:plan_detail", args=[self.hoai_chau.pk, 2024]))
        self.assertContains(response, "17/25 nhiệm vụ (68%)")
        self.assertContains(response, '<progress value="17" max="25"')
        listing = self.client.get(reverse("reports:plan_list", args=[self.hoai_chau.pk]))
        self.assertContains(listing, "17/25 nhiệm vụ (68%)")

    def test_create_matrix_and_one_plan_a_year(self):
        url = reverse("reports:plan_create", args=[self.hoai_chau.pk])
        data = {
            "year": 2024,
            "number_symbol": "05 / KH - UBND",
            "issued_on": "15/01/2024",
            "title": "Kế hoạch CCHC",
        }
        self.assert_access_matrix(url, write_matrix(200))
        refused = {k: v for k, v in write_matrix(302).items() if k not in ("officer", "chairman")}
        self.assert_access_matrix(url, refused, method="post", data=data)
        self.assertFalse(Plan.objects.exists())
        self.assert_access_matrix(url, {"officer": 302}, method="post", data=data)
        plan = Plan.objects.get()
        self.assertEqual((plan.number_symbol, plan.issued_on), ("05/KH-UBND", datetime.date(2024, 1, 15)))
        self.login(self.chairman)
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 400)
        self.assertIn("đã có kế hoạch năm 2024", response.context["form"].errors["year"][0])

    def test_edit_matrix(self):
        self.make_plan()
        url = reverse("reports:plan_edit", args=[self.hoai_chau.pk, 2024])
        self.assert_access_matrix(url, write_matrix(200))
        self.assert_access_matrix(
            url,
            write_matrix(302),
            method="post",
            data={"number_symbol": "24/KH-UBND", "issued_on": "", "title": "X"},
        )
        self.assertEqual(Plan.objects.get().number_symbol, "24/KH-UBND")

    def test_a_bad_year_or_date_is_refused(self):
        self.login(self.officer)
        url = reverse("reports:plan_create", args=[self.hoai_chau.pk])
        response = self.client.post(url, {"year": "hai nghìn", "issued_on": "40/01/2024"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.context["form"].errors), {"year", "issued_on"})
        self.assertFalse(Plan.objects.exists())

    def test_query_count_of_the_plan_page_does_not_grow_with_tasks(self):
        plan = self.make_plan(tasks=2, done=1)
        self.login(self.officer)
        url = reverse("reports:plan_detail", args=[self.hoai_chau.pk, 2024])
        # session, user, readable unit, plan, tasks with offices, may-write, places, offices (form)
        with self.assertNumQueries(8):
            self.client.get(url)
        PlanTask.objects.bulk_create(
            PlanTask(plan=plan, description=f"V{i}", office=self.tc) for i in range(30)
        )
        with self.assertNumQueries(8):
            self.client.get(url)


class PlanTaskTests(RecordsTestCase):
    def setUp(self):
        self.plan = self.make_plan()

    def test_add_matrix_and_office_of_another_commune_refused(self):
        url = reverse("reports:plan_task_create", args=[self.hoai_chau.pk, 2024])
        data = {"description": "Ban hành kế hoạch tuyên truyền", "office": self.vp.pk, "due_on": "31/01/2024"}
        self.assert_access_matrix(url, write_matrix(302), method="post", data=data)
        self.assertEqual(self.plan.tasks.count(), 2)
        self.login(self.officer)
        response = self.client.post(url, {**data, "office": self.other_office.pk})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.plan.tasks.count(), 2)

    def test_tick_done_and_back(self):
        task = PlanTask.objects.create(plan=self.plan, description="Việc")
        url = reverse("reports:plan_task_done", args=[task.pk])
        refused = {k: v for k, v in write_matrix(302).items() if k not in ("officer", "chairman")}
        self.assert_access_matrix(url, refused, method="post", data={"done": "1"})
        task.refresh_from_db()
        self.assertFalse(task.done)
        self.login(self.officer)
        self.assertEqual(self.client.get(url).status_code, 405)
        self.assertEqual(self.client.post(url, {"done": "yes"}).status_code, 400)
        self.client.post(url, {"done": "1"})
        task.refresh_from_db()
        self.assertTrue(task.done)
        self.assertIsNotNone(task.done_on)
        self.client.post(url, {"done": "0"})
        task.refresh_from_db()
        self.assertEqual((task.done, task.done_on), (False, None))

    def test_edit_and_delete_matrix(self):
        task = PlanTask.objects.create(plan=self.plan, description="Việc")
        edit = reverse("reports:plan_task_edit", args=[task.pk])
        self.assert_access_matrix(edit, write_matrix(200))
        self.assert_access_matrix(
            edit, write_matrix(302), method="post", data={"description": "Việc mới", "done": "on"}
        )
        task.refresh_from_db()
        self.assertEqual((task.description, task.done), ("Việc mới", True))
        self.assertIsNotNone(task.done_on)
        delete = reverse("reports:plan_task_delete", args=[task.pk])
        self.assert_access_matrix(delete, write_matrix(200))
        self.login(self.chairman)
        self.client.post(delete)
        self.assertFalse(PlanTask.objects.exists())


class PlanImportViewTests(RecordsTestCase):
    def setUp(self):
        self.plan = self.make_plan()
        self.url = reverse("reports:plan_import", args=[self.hoai_chau.pk, 2024])

    def good(self):
        return xlsx(
            [
                ["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2024"],
                [],
                ["STT", "Nhiệm vụ", "Bộ phận", "Thời hạn", "Hoàn thành"],
                ["I", "Công tác chỉ đạo, điều hành"],
                [
                    1,
                    "Ban hành Kế hoạch CCHC năm 2024",
                    "van phong thong ke",
                    datetime.datetime(2024, 1, 31),
                    "có",
                ],
                [2, "Tuyên truyền CCHC", "Tài chính – Kế toán", "30/06/2024", "không"],
                [3, "Tự chấm điểm chỉ số", None, None, None],
            ]
        )

    def test_matrix(self):
        self.assert_access_matrix(self.url, write_matrix(200))
        refused = {k: v for k, v in write_matrix(302).items() if k not in ("officer", "chairman")}
        for persona, status in refused.items():
            self.assert_access_matrix(self.url, {persona: status}, method="post", data={"file": self.good()})
        self.assertFalse(PlanTask.objects.exists())

    def test_a_good_list_is_imported_in_order(self):
        self.login(self.officer)
        response = self.client.post(self.url, {"file": self.good()})
        self.assertRedirects(response, reverse("reports:plan_detail", args=[self.hoai_chau.pk, 2024]))
        tasks = list(self.plan.tasks.order_by("position"))
        self.assertEqual(
            [t.description for t in tasks],
            ["Ban hành Kế hoạch CCHC năm 2024", "Tuyên truyền CCHC", "Tự chấm điểm chỉ số"],
        )
        self.assertEqual([t.office for t in tasks], [self.vp, self.tc, None])
        self.assertEqual([t.done for t in tasks], [True, False, False])
        self.assertEqual(tasks[1].due_on, datetime.date(2024, 6, 30))

    def test_a_list_with_problems_saves_nothing_and_names_row_and_column(self):
        self.login(self.officer)
        bad = xlsx(
            [
                ["STT", "Nhiệm vụ", "Bộ phận", "Thời hạn", "Hoàn thành"],
                [1, "Việc một", "Phòng Không Có", None, None],
                [2, "Việc hai", None, "31/02/2024", "có lẽ"],
                [3, None, "Tài chính - Kế toán", None, None],
            ]
        )
        response = self.client.post(self.url, {"file": bad})
        self.assertEqual(response.status_code, 400)
        problems = {(p.row, p.column) for p in response.context["result"].problems}
        self.assertEqual(problems, {(2, "C"), (3, "D"), (3, "E"), (4, "B")})
        self.assertContains(response, "dòng 3, cột D", status_code=400)
        self.assertContains(response, "không có gì được lưu", status_code=400)
        self.assertFalse(PlanTask.objects.exists())

    def test_a_file_that_is_not_excel_is_refused(self):
        self.login(self.officer)
        response = self.client.post(self.url, {"file": SimpleUploadedFile("a.xlsx", b"not a workbook")})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "không phải tệp Excel", status_code=400)
        self.assertFalse(PlanTask.objects.exists())

    def test_no_file_is_a_form_error(self):
        self.login(self.officer)
        response = self.client.post(self.url, {})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Hãy chọn tệp Excel", status_code=400)
