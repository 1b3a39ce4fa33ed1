"""Two people on one draft, and deleting a draft: a stale save is refused (409) with the text
kept on screen; a draft is deleted after a confirmation, an issued report never."""

from __future__ import annotations

from django.urls import reverse

from reports.models import Report, Section
from reports.services.issuing import ReportLocked, ReportStale, report_delete, report_issue, report_save

from .test_issuing import IssuingTestCase


def edit_data(report: Report, revision, **bodies) -> dict:
    """What the edit page posts: the facts as stored, every section, ``bodies`` by position."""
    data = {
        "revision": revision,
        "number": report.number,
        "place": report.place,
        "dated": report.dated.isoformat(),
        "summary": report.summary,
        "addressee": report.addressee,
        "signer_mode": report.signer_mode,
        "signer_title": report.signer_title,
        "signer_name": report.signer_name,
        "recipients": report.recipients,
    }
    for section in report.sections.all():
        data[f"s{section.pk}-heading"] = section.heading
        data[f"s{section.pk}-body"] = bodies.get(f"s{section.position}", section.body)
    return data


class StaleDraftTests(IssuingTestCase):
    def url(self, name="report_edit"):
        return reverse(f"reports:{name}", args=[self.report.pk])

    def first_body(self) -> str:
        return Section.objects.get(report=self.report, position=1).body

    def test_the_page_carries_the_revision_and_each_save_moves_it(self):
        self.login(self.officer)
        response = self.client.get(self.url())
        self.assertEqual(response.context["facts"]["revision"].value(), 1)
        response = self.client.post(self.url(), edit_data(self.report, 1, s1="<p>Lần một</p>"))
        self.assertRedirects(response, self.url())
        self.report.refresh_from_db()
        self.assertEqual((self.report.revision, self.report.updated_by), (2, self.officer))
        self.assertEqual(self.first_body(), "<p>Lần một</p>")

    def test_a_save_over_a_colleagues_newer_one_is_refused_and_the_text_stays_on_screen(self):
        self.login(self.officer)
        self.client.get(self.url())  # the officer opens the page at revision 1 …
        report_save(  # … the chairman saves in the meantime
            report=self.report,
            facts={},
            sections={self.report.sections.get(position=1).pk: {"body": "<p>Bản của Chủ tịch</p>"}},
            revision=1,
            user=self.chairman,
        )
        response = self.client.post(self.url(), edit_data(self.report, 1, s1="<p>Bản của tôi</p>"))
        self.assertContains(response, self.chairman.display_name, status_code=409)
        self.assertContains(response, "Bản của tôi", status_code=409)  # kept on screen
        self.assertEqual(self.first_body(), "<p>Bản của Chủ tịch</p>")  # nothing overwritten
        self.assertEqual(response.context["facts"]["revision"].value(), "2")
        # Having compared, the officer saves again from that page: now it is stored.
        response = self.client.post(self.url(), edit_data(self.report, 2, s1="<p>Bản của tôi</p>"))
        self.assertRedirects(response, self.url())
        self.assertEqual(self.first_body(), "<p>Bản của tôi</p>")

    def test_a_form_without_its_revision_is_refused_with_a_message(self):
        self.login(self.officer)
        for revision in ("", "abc"):
            with self.subTest(revision=revision):
                response = self.client.post(self.url(), edit_data(self.report, revision, s1="<p>X</p>"))
                self.assertContains(response, "tải lại trang", status_code=400)
        self.assertNotEqual(self.first_body(), "<p>X</p>")

    def test_the_service_refuses_a_stale_revision(self):
        report_save(
            report=self.report, facts={"place": "Hoài Châu"}, sections={}, revision=1, user=self.officer
        )
        with self.assertRaises(ReportStale) as caught:
            report_save(
                report=self.report, facts={"place": "Nơi khác"}, sections={}, revision=1, user=self.chairman
            )
        self.assertEqual(caught.exception.status, 409)
        self.assertIn(self.officer.display_name, str(caught.exception))
        self.report.refresh_from_db()
        self.assertEqual(self.report.place, "Hoài Châu")


class DeleteDraftTests(IssuingTestCase):
    def url(self, report=None):
        return reverse("reports:report_delete", args=[(report or self.report).pk])

    def test_the_confirmation_matrix(self):
        self.assert_access_matrix(
            self.url(),
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
        page = self.client.get(self.url())
        self.assertContains(page, self.report.summary)
        self.assertContains(page, reverse("reports:report_edit", args=[self.report.pk]))  # the way back
        self.assertTrue(Report.objects.filter(pk=self.report.pk).exists())  # asking deletes nothing

    def test_posting_deletes_the_draft_and_its_sections_only(self):
        other = Report.objects.exclude(pk=self.report.pk).count()
        for who, status in (("reviewer", 404), ("neighbour", 404)):
            with self.subTest(who=who):
                self.login(getattr(self, who))
                self.assertEqual(self.client.post(self.url()).status_code, status)
        self.login(self.officer)
        response = self.client.post(self.url(), follow=True)
        self.assertRedirects(response, reverse("reports:report_list", args=[self.hoai_chau.pk]))
        self.assertContains(response, "Đã xoá dự thảo")
        self.assertFalse(Report.objects.filter(pk=self.report.pk).exists())
        self.assertFalse(Section.objects.filter(report_id=self.report.pk).exists())
        self.assertEqual(Report.objects.count(), other)

    def test_an_issued_report_is_never_deleted(self):
        report_issue(report=self.report, user=self.chairman)
        self.login(self.chairman)
        self.assertContains(self.client.get(self.url()), "đã ban hành", status_code=409)
        self.assertContains(self.client.post(self.url()), "đã ban hành", status_code=409)
        self.assertTrue(Report.objects.filter(pk=self.report.pk).exists())
        with self.assertRaises(ReportLocked):
            report_delete(report=self.report)

    def test_the_edit_page_links_to_the_deletion(self):
        self.login(self.officer)
        self.assertContains(
            self.client.get(reverse("reports:report_edit", args=[self.report.pk])), self.url()
        )
