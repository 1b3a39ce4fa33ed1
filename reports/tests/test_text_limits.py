"""How long a text may be: a report section's body (100.000 characters of cleaned HTML), a
meeting's content and conclusions (50.000 characters each), and the shorter texts of the records.
Longer is refused with a message naming the field and both lengths, the text kept on screen and
nothing saved; the limits hold in the admin site too (the models carry them) and in the imports."""

from __future__ import annotations

from django.forms import modelform_factory
from django.urls import reverse

from reports.models import ConclusionTask, DirectiveDocument, Meeting, PlanTask, Section
from reports.text import BODY_MAX_CHARS, MEETING_TEXT_MAX_CHARS, clean

from .test_issuing import IssuingTestCase
from .test_records_fixtures import RecordsTestCase
from .test_records_plan import xlsx
from .test_views_drafts import edit_data

MEETING = {
    "kind": "so-ket-6-thang",
    "title": "Hội nghị sơ kết CCHC 6 tháng đầu năm 2024",
    "held_on": "2024-07-11",
    "chair": "Chủ tịch UBND xã Lê Quốc Dũng",
}
PARAGRAPH = "<p>Ủy ban nhân dân xã tiếp tục đẩy mạnh cải cách hành chính. </p>"
TWO_MB = 2_000_000  # bytes, under Django's 2,5 MB a request may carry


def vn(number: int) -> str:
    """1234567 → "1.234.567", as the messages write it."""
    return f"{number:,}".replace(",", ".")


class SectionBodyLimitTests(IssuingTestCase):
    def url(self):
        return reverse("reports:report_edit", args=[self.report.pk])

    def first(self) -> Section:
        return self.report.sections.get(position=1)

    def test_the_limits_are_those_of_long_real_documents(self):
        # About 30 printed pages in one section, 15 for a meeting's minutes (≈ 3.300 characters
        # a page of 13-point Times): far above the seeds' longest, far below what slows a PDF.
        self.assertEqual((BODY_MAX_CHARS, MEETING_TEXT_MAX_CHARS), (100_000, 50_000))

    def test_a_two_megabyte_body_is_refused_naming_the_section_and_kept_on_screen(self):
        body = PARAGRAPH * (TWO_MB // len(PARAGRAPH.encode()))
        before = self.first().body
        self.login(self.officer)
        response = self.client.post(self.url(), edit_data(self.report, 1, s1=body))
        self.assertEqual(response.status_code, 400)
        form = {section.pk: f for section, f, _caption in response.context["forms"]}[self.first().pk]
        self.assertEqual(
            form.errors["body"],
            [
                f"Nội dung phần 1 dài {vn(len(clean(body)))} ký tự sau khi làm sạch, quá giới hạn "
                "100.000 ký tự. Hãy rút gọn hoặc chia sang phần khác."
            ],
        )
        self.assertEqual(form["body"].value(), body)  # what was typed, on screen
        self.assertContains(
            response, "Chưa lưu được: hãy sửa phần 1 (thông báo ở ngay phần đó).", status_code=400
        )
        self.assertEqual(self.first().body, before)
        self.report.refresh_from_db()
        self.assertEqual(self.report.revision, 1)

    def test_a_body_at_the_limit_is_saved_and_one_character_more_is_not(self):
        filler = "a" * (BODY_MAX_CHARS - len("<p></p>"))
        self.login(self.officer)
        response = self.client.post(self.url(), edit_data(self.report, 1, s1=f"<p>{filler}a</p>"))
        self.assertEqual(response.status_code, 400)
        response = self.client.post(self.url(), edit_data(self.report, 1, s1=f"<p>{filler}</p>"))
        self.assertRedirects(response, self.url())
        self.assertEqual(len(self.first().body), BODY_MAX_CHARS)

    def test_the_limit_counts_the_cleaned_html_so_a_paste_from_word_fits(self):
        # Word's styles, classes and spans, stripped by the cleaning: what is stored is counted.
        pasted = '<p class="MsoNormal" style="margin:0cm;font-family:Times New Roman;font-size:13pt">'
        pasted = (pasted + "<span lang=VI style='mso-ansi-language:VI'>Đoạn văn.</span></p>") * 2000
        self.assertGreater(len(pasted), BODY_MAX_CHARS)
        self.assertLess(len(clean(pasted)), BODY_MAX_CHARS)
        self.login(self.officer)
        response = self.client.post(self.url(), edit_data(self.report, 1, s1=pasted))
        self.assertRedirects(response, self.url())
        self.assertEqual(self.first().body, clean(pasted))

    def test_a_section_with_a_heading_is_named_by_it_too(self):
        section = self.report.sections.exclude(heading="").order_by("position").first()
        self.login(self.officer)
        data = edit_data(self.report, 1, **{f"s{section.position}": "<p>a</p>" * BODY_MAX_CHARS})
        response = self.client.post(self.url(), data)
        form = {s.pk: f for s, f, _caption in response.context["forms"]}[section.pk]
        self.assertIn(f"Nội dung phần {section.position} (“{section.heading}”) dài", form.errors["body"][0])

    def test_the_models_carry_the_limits_for_the_admin_site(self):
        for model, name, limit in [
            (Section, "body", BODY_MAX_CHARS),
            (Meeting, "content", MEETING_TEXT_MAX_CHARS),
            (Meeting, "conclusions", MEETING_TEXT_MAX_CHARS),
            (DirectiveDocument, "summary", 2000),
        ]:
            with self.subTest(field=name):
                form = modelform_factory(model, fields=[name])({name: "a" * (limit + 1)})
                self.assertIn(name, form.errors)


class RecordsTextLimitTests(RecordsTestCase):
    def setUp(self):
        self.login(self.officer)

    def test_a_two_megabyte_meeting_content_is_refused_naming_the_field(self):
        content = "Nội dung cuộc họp. " * (TWO_MB // len("Nội dung cuộc họp. ".encode()))
        url = reverse("reports:meeting_create", args=[self.hoai_chau.pk])
        response = self.client.post(url, {**MEETING, "content": content})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.context["form"].errors["content"],
            [f"“Nội dung” dài {vn(len(content.strip()))} ký tự, quá giới hạn 50.000 ký tự. Hãy rút gọn."],
        )
        self.assertEqual(response.context["form"]["content"].value(), content)  # kept on screen
        self.assertFalse(Meeting.objects.exists())

    def test_conclusions_at_the_limit_are_saved_and_one_more_character_is_not(self):
        url = reverse("reports:meeting_create", args=[self.hoai_chau.pk])
        too_long = {**MEETING, "conclusions": "k" * (MEETING_TEXT_MAX_CHARS + 1)}
        response = self.client.post(url, too_long)
        self.assertIn("“Kết luận” dài 50.001 ký tự", response.context["form"].errors["conclusions"][0])
        self.client.post(url, {**MEETING, "conclusions": "k" * MEETING_TEXT_MAX_CHARS})
        self.assertEqual(len(Meeting.objects.get().conclusions), MEETING_TEXT_MAX_CHARS)

    def test_the_shorter_texts_of_the_records_have_their_limits(self):
        meeting = self.make_meeting()
        self.make_plan()
        cases = [
            ("meeting_create", [self.hoai_chau.pk], {**MEETING, "attendees": "x" * 5001}, "attendees"),
            (
                "task_create",
                [meeting.pk],
                {"office": self.vp.pk, "description": "x" * 5001, "status": "todo"},
                "description",
            ),
            ("plan_task_create", [self.hoai_chau.pk, 2024], {"description": "x" * 5001}, "description"),
            (
                "document_create",
                [self.hoai_chau.pk],
                {"number_symbol": "03/KH-UBND", "issued_on": "26/01/2021", "summary": "x" * 2001},
                "summary",
            ),
        ]
        for name, args, data, field in cases:
            with self.subTest(name=name):
                response = self.client.post(reverse(f"reports:{name}", args=args), data)
                self.assertEqual(response.status_code, 400)
                self.assertIn("quá giới hạn", response.context["form"].errors[field][0])
        self.assertFalse(ConclusionTask.objects.exists())
        self.assertFalse(PlanTask.objects.exists())
        self.assertFalse(DirectiveDocument.objects.exists())
        self.assertEqual(Meeting.objects.count(), 1)

    def test_an_imported_text_over_its_limit_is_a_problem_of_its_row(self):
        self.make_plan()
        url = reverse("reports:plan_import", args=[self.hoai_chau.pk, 2024])
        rows = [["STT", "Nhiệm vụ"], [1, "Việc ngắn"], [2, "x" * 5001]]
        response = self.client.post(url, {"file": xlsx(rows)})
        self.assertEqual(response.status_code, 400)
        problems = [(p.row, p.column) for p in response.context["result"].problems]
        self.assertEqual(problems, [(3, "B")])
        self.assertContains(response, "quá giới hạn 5.000 ký tự", status_code=400)
        url = reverse("reports:document_import", args=[self.hoai_chau.pk])
        rows = [["Số, ký hiệu", "Ngày ban hành", "Trích yếu"], ["03/KH-UBND", "26/01/2021", "x" * 2001]]
        response = self.client.post(url, {"file": xlsx(rows)})
        self.assertEqual([(p.row, p.column) for p in response.context["result"].problems], [(2, "C")])
        self.assertFalse(PlanTask.objects.exists())
