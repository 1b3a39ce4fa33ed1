from __future__ import annotations

from django.urls import reverse

from reports.compose import report_compose
from reports.models import Report, ReportStatus
from reports.services.issuing import report_issue

from .test_issuing import IssuingTestCase

# Who sees what: the commune's officer and chairman write; its reviewer, the administrator above
# and its 2025 successor read issued reports only; neighbours and outsiders see nothing.
READ_ISSUED = {
    "anonymous": 302,
    "officer": 200,
    "chairman": 200,
    "reviewer": 200,
    "administrator": 200,
    "new_officer": 200,
    "neighbour": 404,
    "province_reviewer": 200,
    "outsider": 404,
}
READ_DRAFT = {
    **READ_ISSUED,
    "reviewer": 404,
    "administrator": 404,
    "new_officer": 404,
    "province_reviewer": 404,
}


class ReportViewTests(IssuingTestCase):
    def url(self, name, report=None):
        return reverse(f"reports:{name}", args=[(report or self.report).pk])

    def test_the_list_matrix_and_drafts_only_for_writers(self):
        url = reverse("reports:report_list", args=[self.hoai_chau.pk])
        self.assert_access_matrix(url, {**READ_ISSUED, "province_reviewer": 200})
        self.login(self.reviewer)
        self.assertNotContains(self.client.get(url), self.report.summary)
        self.login(self.officer)
        self.assertContains(self.client.get(url), self.report.summary)

    def test_the_list_costs_the_same_queries_for_many_reports(self):
        for _i in range(3):
            report_compose(unit=self.hoai_chau, kind="tong-ket-nam", period="2023", user=self.officer)
        url = reverse("reports:report_list", args=[self.hoai_chau.pk])
        self.login(self.officer)
        # session, user, the unit (readable check), the writer check, the reports, places (nav)
        with self.assertNumQueries(6):
            self.client.get(url)
        for _i in range(5):
            report_compose(unit=self.hoai_chau, kind="tong-ket-nam", period="2023", user=self.officer)
        with self.assertNumQueries(6):
            response = self.client.get(url)
        self.assertEqual(len(response.context["reports"]), 9)

    def test_the_compose_form_matrix_and_a_valid_post_creates_a_draft(self):
        url = reverse("reports:report_create", args=[self.hoai_chau.pk])
        self.assert_access_matrix(
            url,
            {
                "anonymous": 302,
                "officer": 200,
                "chairman": 200,
                "reviewer": 403,
                "neighbour": 404,
                "outsider": 404,
            },
        )
        self.login(self.officer)
        response = self.client.post(url, {"kind": "so-ket-6-thang", "period": "2024-h1"})
        report = Report.objects.latest("pk")
        self.assertRedirects(response, self.url("report_edit", report))
        self.assertEqual(report.period, "2024-H1")

    def test_bad_compose_input_answers_400_in_vietnamese_and_saves_nothing(self):
        url = reverse("reports:report_create", args=[self.hoai_chau.pk])
        self.login(self.officer)
        before = Report.objects.count()
        for data, words in [
            ({"kind": "so-ket-6-thang", "period": "2024"}, "kỳ 6 tháng"),
            ({"kind": "giam-sat", "period": "2023-08"}, "năm bắt đầu"),
            ({"kind": "ket-luan"}, "chọn cuộc họp"),
            ({"kind": "tong-ket-nam", "period": "hai nghìn"}, "không đúng mẫu"),
        ]:
            with self.subTest(data=data):
                response = self.client.post(url, data)
                self.assertContains(response, words, status_code=400)
        self.assertEqual(Report.objects.count(), before)

    def test_the_reviewer_composes_its_summary_report(self):
        url = reverse("reports:report_create", args=[self.hoai_nhon.pk])
        self.assert_access_matrix(url, {"reviewer": 200, "officer": 404, "administrator": 403})
        self.login(self.reviewer)
        response = self.client.post(url, {"kind": "tong-hop", "period": "2023"})
        report = Report.objects.latest("pk")
        self.assertRedirects(response, self.url("report_edit", report))
        self.assert_access_matrix(
            self.url("report_edit", report), {"reviewer": 200, "officer": 404, "chairman": 404}
        )

    def test_detail_preview_and_word_matrix_of_a_draft(self):
        for name in ("report_detail", "report_preview", "report_docx"):
            with self.subTest(name=name):
                self.assert_access_matrix(self.url(name), READ_DRAFT)

    def test_detail_preview_word_and_download_matrix_of_an_issued_report(self):
        report_issue(report=self.report, user=self.chairman)
        for name in ("report_detail", "report_preview", "report_docx", "report_download"):
            with self.subTest(name=name):
                self.assert_access_matrix(self.url(name), READ_ISSUED)

    def test_the_edit_matrix_and_saving_cleans_the_html(self):
        self.assert_access_matrix(
            self.url("report_edit"),
            {
                "anonymous": 302,
                "officer": 200,
                "chairman": 200,
                "reviewer": 404,
                "neighbour": 404,
                "outsider": 404,
            },
        )
        self.login(self.officer)
        response = self.client.get(self.url("report_edit"))
        self.assertContains(response, "js/report_editor.js")
        data = {
            "revision": "1",
            "number": "352",
            "place": "Hoài Châu",
            "dated": "2024-07-11",
            "summary": "Sơ kết",
            "addressee": "Phòng Nội vụ thị xã Hoài Nhơn",
            "signer_mode": "TM",
            "signer_title": "CHỦ TỊCH",
            "signer_name": "Trần Quốc Toàn",
            "recipients": "- Lưu: VT, CCHC.",
        }
        for section in self.report.sections.all():
            data[f"s{section.pk}-heading"] = section.heading
            data[f"s{section.pk}-body"] = section.body
        first = self.report.sections.first()
        data[f"s{first.pk}-body"] = (
            '<p style="color:red">Xin <b>chào</b></p><script>alert(1)</script><img src=x onerror=alert(2)>'
        )
        response = self.client.post(self.url("report_edit"), data)
        self.assertRedirects(response, self.url("report_edit"))
        first.refresh_from_db()
        self.assertEqual(first.body, "<p>Xin <b>chào</b></p>")
        page = self.client.get(self.url("report_detail")).content.decode()
        self.assertNotIn("alert(", page)
        self.assertNotIn("onerror", page)

    def test_bad_facts_answer_400_and_nothing_is_saved(self):
        self.login(self.officer)
        response = self.client.post(
            self.url("report_edit"), {"number": "-3", "place": "", "dated": "31/31/2024"}
        )
        self.assertEqual(response.status_code, 400)
        self.report.refresh_from_db()
        self.assertEqual(self.report.place, "Hoài Châu")

    def test_refresh_matrix_and_it_recomputes_the_draft(self):
        self.assert_access_matrix(
            self.url("report_refresh"),
            {"anonymous": 302, "reviewer": 404, "neighbour": 404, "officer": 302},
            method="post",
        )

    def test_issue_matrix_only_the_chairman(self):
        self.assert_access_matrix(
            self.url("report_issue"),
            {"anonymous": 302, "reviewer": 404, "neighbour": 404, "officer": 403, "chairman": 302},
            method="post",
        )
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.ISSUED)

    def test_a_used_number_answers_400_with_a_message(self):
        report_issue(report=self.report, user=self.chairman)
        other = report_compose(
            unit=self.hoai_chau, kind="so-ket-6-thang", period="2024-H1", user=self.officer
        )
        Report.objects.filter(pk=other.pk).update(number=self.report.number)
        self.login(self.chairman)
        response = self.client.post(self.url("report_issue", other))
        self.assertContains(response, "đã dùng trong năm", status_code=400)

    def test_edits_of_an_issued_report_answer_409(self):
        report_issue(report=self.report, user=self.chairman)
        self.login(self.officer)
        self.assertEqual(self.client.get(self.url("report_edit")).status_code, 409)
        self.assertEqual(self.client.post(self.url("report_edit"), {}).status_code, 409)
        self.assertEqual(self.client.post(self.url("report_refresh")).status_code, 409)
        self.login(self.chairman)
        self.assertEqual(self.client.post(self.url("report_issue")).status_code, 409)
        self.login(self.reviewer)
        self.assertEqual(self.client.post(self.url("report_edit"), {}).status_code, 403)

    def test_the_issued_pdf_downloads_as_stored_even_after_the_figures_change(self):
        report_issue(report=self.report, user=self.chairman)
        self.login(self.reviewer)
        response = self.client.get(self.url("report_download"))
        first = b"".join(response.streaming_content)
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertIn(f"{self.report.number}-BC-UBND.pdf", response["Content-Disposition"])
        line = self.hoai_chau.dossier_reports.get(period__kind="year").lines.get(field=self.ho_tich)
        line.received_online = 5000
        line.save()
        again = b"".join(self.client.get(self.url("report_download")).streaming_content)
        self.assertEqual(first, again)

    def test_a_draft_has_no_stored_pdf_to_download(self):
        self.login(self.officer)
        self.assertEqual(self.client.get(self.url("report_download")).status_code, 404)

    def test_correct_matrix_and_the_history_of_versions(self):
        report_issue(report=self.report, user=self.chairman)
        self.assert_access_matrix(
            self.url("report_correct"),
            {"anonymous": 302, "reviewer": 403, "neighbour": 404, "officer": 302},
            method="post",
        )
        correction = Report.objects.get(previous=self.report)
        self.login(self.officer)
        self.assertEqual(self.client.post(self.url("report_correct")).status_code, 409)
        page = self.client.get(self.url("report_detail", correction))
        self.assertContains(page, "Các phiên bản")
        self.assertContains(page, self.url("report_detail"))
        self.assertEqual([v.pk for v in page.context["page"].versions], [self.report.pk, correction.pk])

    def test_every_kind_shows_its_tables_on_the_detail_and_edit_pages(self):
        import datetime

        from reports.models import Meeting

        meeting = Meeting.objects.create(
            unit=self.hoai_chau,
            kind="giao-ban",
            title="Cuộc họp giao ban",
            held_on=datetime.date(2024, 3, 1),
            chair="Chủ tịch",
        )
        composed = [
            (
                report_compose(
                    unit=self.hoai_chau, kind="so-ket-6-thang", period="2024-H1", user=self.officer
                ),
                self.officer,
            ),
            (
                report_compose(
                    unit=self.hoai_chau, kind="giam-sat", period="2024-06", year_from=2023, user=self.officer
                ),
                self.officer,
            ),
            (
                report_compose(
                    unit=self.hoai_chau, kind="ket-luan", period=None, meeting=meeting, user=self.officer
                ),
                self.officer,
            ),
            (
                report_compose(unit=self.hoai_nhon, kind="tong-hop", period="2023", user=self.reviewer),
                self.reviewer,
            ),
        ]
        for report, writer in composed:
            with self.subTest(kind=report.kind):
                self.login(writer)
                page = self.client.get(self.url("report_detail", report))
                for table in report.snapshot["tables"].values():
                    if any(
                        s.table
                        for s in report.sections.all()
                        if report.snapshot["tables"].get(s.table) is table
                    ):
                        self.assertContains(page, table["caption"])
                self.assertEqual(self.client.get(self.url("report_edit", report)).status_code, 200)


class ComposeTwiceTests(IssuingTestCase):
    def test_the_compose_form_posted_twice_makes_one_draft(self):
        from .test_records_double_submit import messages_of, token_in

        url = reverse("reports:report_create", args=[self.hoai_chau.pk])
        self.login(self.officer)
        token = token_in(self.client.get(url))
        before = Report.objects.count()
        data = {"kind": "so-ket-6-thang", "period": "2024-H1", "submission_token": token}
        first = self.client.post(url, data)
        draft = Report.objects.latest("pk")
        self.assertRedirects(first, reverse("reports:report_edit", args=[draft.pk]))
        second = self.client.post(url, data, follow=True)
        self.assertEqual(second.redirect_chain[0][0], reverse("reports:report_edit", args=[draft.pk]))
        self.assertEqual(Report.objects.count(), before + 1)
        self.assertIn(
            f"Dự thảo “{draft.title} {draft.summary}” đã được soạn từ lần bấm trước; "
            "không soạn thêm bản mới.",
            messages_of(second),
        )


class VersionLinksTests(IssuingTestCase):
    """An issued report's page lists its versions; a correction still in draft exists only for
    those who write the unit's reports (to anyone else its page is 404), so only they see it."""

    def setUp(self):
        super().setUp()
        self.issued = report_issue(report=self.report, user=self.chairman)
        from reports.services.issuing import report_correct

        self.correction = report_correct(report=self.issued, user=self.officer)
        self.issued_url = reverse("reports:report_detail", args=[self.issued.pk])
        self.correction_url = reverse("reports:report_detail", args=[self.correction.pk])

    def test_a_reader_sees_no_link_to_a_correction_it_may_not_open(self):
        for reader in ("reviewer", "new_officer", "administrator", "province_reviewer"):
            with self.subTest(reader=reader):
                self.login(getattr(self, reader))
                self.assertEqual(self.client.get(self.correction_url).status_code, 404)
                page = self.client.get(self.issued_url)
                self.assertNotContains(page, self.correction_url)
                self.assertEqual([v.pk for v in page.context["page"].versions], [self.issued.pk])

    def test_the_author_sees_and_opens_the_correction(self):
        for writer in ("officer", "chairman"):
            with self.subTest(writer=writer):
                self.login(getattr(self, writer))
                page = self.client.get(self.issued_url)
                self.assertContains(page, self.correction_url)
                self.assertEqual(self.client.get(self.correction_url).status_code, 200)

    def test_once_issued_the_correction_is_linked_for_readers_too(self):
        Report.objects.filter(pk=self.correction.pk).update(signer_name="Trần Quốc Toàn")
        self.correction.refresh_from_db()
        report_issue(report=self.correction, user=self.chairman)
        self.login(self.reviewer)
        page = self.client.get(self.issued_url)
        self.assertContains(page, self.correction_url)
        self.assertEqual(self.client.get(self.correction_url).status_code, 200)
