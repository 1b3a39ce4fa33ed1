"""The other apps' admin pages for a provincial administrator: the records and reports of its own
province only, with every unit, office, meeting, report and account field limited to it."""

from __future__ import annotations

import datetime

from django.urls import reverse

from communes.models import Office
from reports.models import ConclusionTask, DirectiveDocument, Meeting, Plan, Report, ReportStatus

from .test_admin_scoping import ProvinceScopingBase


def meeting_at(unit, title: str) -> Meeting:
    return Meeting.objects.create(
        unit=unit, kind="khac", title=title, held_on=datetime.date(2026, 3, 15), chair="Chủ tịch UBND"
    )


def report_of(unit, summary: str, **extra) -> Report:
    return Report.objects.create(
        unit=unit,
        kind="tong-ket-nam",
        period="2025",
        type_code="BC",
        place=unit.name,
        title="BÁO CÁO",
        summary=summary,
        **extra,
    )


class RecordsAdminTests(ProvinceScopingBase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.own_office = Office.objects.create(unit=cls.tam_quan, name="Văn phòng Tam Quan")
        cls.other_office = Office.objects.create(unit=cls.gio_son, name="Văn phòng Gio Sơn")
        cls.own_meeting = meeting_at(cls.tam_quan, "Họp CCHC Tam Quan")
        cls.other_meeting = meeting_at(cls.gio_son, "Họp CCHC Gio Sơn")
        cls.own_report = report_of(cls.tam_quan, "Kết quả CCHC Tam Quan")
        cls.other_report = report_of(cls.gio_son, "Kết quả CCHC Gio Sơn")
        Plan.objects.create(unit=cls.tam_quan, year=2026, title="Kế hoạch Tam Quan")
        Plan.objects.create(unit=cls.gio_son, year=2026, title="Kế hoạch Gio Sơn")
        for unit in (cls.tam_quan, cls.gio_son):
            DirectiveDocument.objects.create(
                unit=unit,
                number_symbol="01/KH-UBND",
                issued_on=datetime.date(2026, 1, 5),
                type_code="KH",
                summary=f"Chỉ đạo {unit.short_name}",
            )

    def setUp(self):
        self.login(self.gialai_admin)

    def test_each_list_shows_only_its_provinces_records(self):
        for model in ("meeting", "plan", "directivedocument", "report"):
            with self.subTest(model=model):
                response = self.client.get(reverse(f"admin:reports_{model}_changelist"))
                self.assertContains(response, "Tam Quan")
                self.assertNotContains(response, "Gio Sơn")

    def test_another_provinces_record_does_not_open(self):
        for model, record in (("meeting", self.other_meeting), ("report", self.other_report)):
            with self.subTest(model=model):
                response = self.client.get(reverse(f"admin:reports_{model}_change", args=[record.pk]))
                self.assertRedirects(response, reverse("admin:index"))

    def test_a_record_is_filed_only_under_one_of_its_units(self):
        add = reverse("admin:reports_meeting_add")
        data = {
            "kind": "khac",
            "title": "Họp mới",
            "held_on": "2026-03-20",
            "chair": "Chủ tịch",
            "tasks-TOTAL_FORMS": "0",
            "tasks-INITIAL_FORMS": "0",
        }
        response = self.client.post(add, {**data, "unit": self.gio_son.pk})
        self.assertIn("unit", response.context["adminform"].form.errors)
        self.assertFalse(Meeting.objects.filter(title="Họp mới").exists())
        self.assertEqual(self.client.post(add, {**data, "unit": self.tam_quan.pk}).status_code, 302)
        self.assertEqual(Meeting.objects.get(title="Họp mới").unit, self.tam_quan)

    def test_a_task_goes_only_to_an_office_of_its_province(self):
        response = self.client.get(reverse("admin:reports_meeting_change", args=[self.own_meeting.pk]))
        empty = response.context["inline_admin_formsets"][0].formset.empty_form
        self.assertEqual(list(empty.fields["office"].queryset), [self.own_office])
        offices = self.client.get(
            reverse("admin:autocomplete"),
            {"app_label": "reports", "model_name": "conclusiontask", "field_name": "office"},
        ).json()["results"]
        self.assertEqual([row["text"] for row in offices], ["Văn phòng Tam Quan"])
        self.client.post(
            reverse("admin:reports_meeting_change", args=[self.own_meeting.pk]),
            {
                "unit": self.tam_quan.pk,
                "kind": "khac",
                "title": self.own_meeting.title,
                "held_on": "2026-03-15",
                "chair": "Chủ tịch UBND",
                "tasks-TOTAL_FORMS": "1",
                "tasks-INITIAL_FORMS": "0",
                "tasks-0-position": "1",
                "tasks-0-office": self.other_office.pk,
                "tasks-0-description": "Việc của xã khác",
                "tasks-0-status": "todo",
            },
        )
        self.assertFalse(ConclusionTask.objects.filter(office=self.other_office).exists())

    def test_a_report_refers_only_to_its_provinces_meetings_and_reports(self):
        response = self.client.get(reverse("admin:reports_report_change", args=[self.own_report.pk]))
        form = response.context["adminform"].form
        self.assertEqual(list(form.fields["meeting"].queryset), [self.own_meeting])
        self.assertEqual(list(form.fields["previous"].queryset), [self.own_report])
        self.assertEqual(list(form.fields["unit"].queryset), [self.gia_lai, self.tam_quan])

    def test_who_wrote_a_record_is_not_typed_in(self):
        response = self.client.get(reverse("admin:reports_report_change", args=[self.own_report.pk]))
        self.assertFalse(
            {"created_by", "updated_by", "issued_by"} & response.context["adminform"].form.fields.keys()
        )
        response = self.client.get(reverse("admin:reports_meeting_change", args=[self.own_meeting.pk]))
        self.assertNotIn("created_by", response.context["adminform"].form.fields)

    def test_a_record_without_an_author_shows_a_dash_not_none(self):
        for url in (
            reverse("admin:reports_meeting_add"),
            reverse("admin:reports_meeting_change", args=[self.own_meeting.pk]),
            reverse("admin:reports_report_change", args=[self.own_report.pk]),
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotRegex(response.content.decode(), r">\s*None\s*<")

    def test_an_issued_report_is_read_only(self):
        # Issuing froze its number, date and figures; a correction is a new version.
        issued = report_of(
            self.tam_quan,
            "Đã ban hành",
            status=ReportStatus.ISSUED,
            number=7,
            dated=datetime.date(2026, 1, 10),
        )
        for user in (self.gialai_admin, self.superuser):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(reverse("admin:reports_report_change", args=[issued.pk]))
                self.assertEqual(response.status_code, 200)
                self.assertFalse(response.context["has_change_permission"])
                delete = reverse("admin:reports_report_delete", args=[issued.pk])
                self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
        self.assertTrue(Report.objects.filter(pk=issued.pk).exists())

    def test_a_staff_account_without_the_administrator_role_is_refused(self):
        clerk = type(self.gialai_admin).objects.create_user("nhanvien", is_staff=True)
        self.login(clerk)
        self.assertEqual(self.client.get(reverse("admin:reports_report_changelist")).status_code, 403)

    def test_an_issued_reports_pdf_is_linked_through_the_portals_download(self):
        # Uploads are never served from MEDIA_URL; the download view checks who asks.
        issued = report_of(
            self.tam_quan, "Có PDF", status=ReportStatus.ISSUED, number=8, dated=datetime.date(2026, 1, 12)
        )
        Report.objects.filter(pk=issued.pk).update(pdf=f"reports/{self.tam_quan.pk}/abc.pdf")
        response = self.client.get(reverse("admin:reports_report_change", args=[issued.pk]))
        self.assertContains(response, f'href="{reverse("reports:report_download", args=[issued.pk])}"')
        self.assertNotContains(response, "/media-not-served/")
