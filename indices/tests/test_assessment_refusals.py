"""Work is never lost on a refusal of the self-assessment: a refused score or evidence file answers
with its message beside the criterion, the rest of the page intact and what was typed kept.

With htmx the answer is the leaf's part of the page, marked ``X-Refusal: in-place`` so that
static/js/assessment.js swaps it where it was asked (htmx swaps no 4xx by default, and
django-htmx's debug script would write a 400 over the whole document). Without JavaScript it is
the whole page, status 400, the message inside the leaf, the browser sent to the leaf.
Deleting a file asks first: a dialog on the page, or without JavaScript a page that asks.
"""

from __future__ import annotations

from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from indices.models import AssessmentStatus, Evidence
from indices.tests.test_views_assessment import HTMX, AssessmentViewTestCase, pdf


class _Element(HTMLParser):
    """The inner HTML text of the element with a given id (enough for these pages)."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "col", "area", "base", "wbr"}

    def __init__(self, element_id: str):
        super().__init__(convert_charrefs=True)
        self.element_id, self.depth, self.text, self.found = element_id, 0, [], False

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            if self.depth:
                self.text.append(self.get_starttag_text())
            return
        if self.depth:
            self.depth += 1
            self.text.append(self.get_starttag_text())
        elif dict(attrs).get("id") == self.element_id:
            self.depth, self.found = 1, True

    def handle_endtag(self, tag):
        if tag in self.VOID or not self.depth:
            return
        self.depth -= 1
        if self.depth:
            self.text.append(f"</{tag}>")

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


def inside(html: str, element_id: str) -> str:
    parser = _Element(element_id)
    parser.feed(html)
    assert parser.found, f"no element #{element_id} in the page"
    return "".join(parser.text)


class ScoreRefusalTests(AssessmentViewTestCase):
    def refused(self, code: str, value: str, note: str = "", **extra):
        self.login(self.officer)
        return self.client.post(self.save_url(code), self.score_data(code, value, note), **extra)

    def test_with_htmx_a_refused_score_is_marked_to_be_swapped_in_place(self):
        for code, value, words in [
            ("2.1", "6", "vượt điểm tối đa 5"),
            ("2.1", "1000000", "lớn hơn điểm tối đa của mọi tiêu chí"),
            ("1.1", "3", "Tiêu chí này cần tài liệu kiểm chứng"),
        ]:
            with self.subTest(value=value):
                response = self.refused(code, value, **HTMX)
                self.assertContains(response, words, status_code=400)
                self.assertEqual(response["X-Refusal"], "in-place")
                html = response.content.decode()
                self.assertNotIn("<html", html)
                self.assertIn(f'id="score-form-{self.c[code].pk}"', html)
                self.assertIn(f'value="{value}"', html)

    def test_a_saved_score_is_no_refusal(self):
        response = self.refused("2.1", "2", **HTMX)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("X-Refusal", response)

    def test_without_javascript_the_whole_page_answers_with_the_message_inside_the_leaf(self):
        for code, value, words in [
            ("2.1", "6", "Điểm 6 vượt điểm tối đa 5"),
            ("1.1", "3", "Tiêu chí này cần tài liệu kiểm chứng: hãy tải tệp lên hoặc ghi giải trình."),
        ]:
            with self.subTest(value=value):
                response = self.refused(code, value, note="")
                self.assertEqual(response.status_code, 400)
                html = response.content.decode()
                # The page with its menu, not a fragment.
                self.assertIn("<html", html)
                self.assertIn('aria-label="Điều hướng chính"', html)
                leaf = inside(html, f"leaf-{self.c[code].pk}")
                self.assertIn(words, leaf)
                # What was typed is kept, and the field is the one focused.
                self.assertRegex(leaf, rf'<input(?=[^>]*\bautofocus\b)(?=[^>]*value="{value}")')
                # The other leaves are on the page as they were.
                self.assertIn(f'id="score-form-{self.c["1.2.1"].pk}"', html)
                self.assertNotIn(words, inside(html, f"leaf-{self.c['1.2.1'].pk}"))

    def test_without_javascript_the_refused_field_alone_is_focused(self):
        # The browser scrolls to the focused field: the user lands on the refused criterion.
        response = self.refused("2.1", "6")
        html = response.content.decode()
        self.assertEqual(html.count("autofocus"), 1)
        self.assertIn("autofocus", inside(html, f"score-form-{self.c['2.1'].pk}"))
        # Nothing is focused on a page that refused nothing.
        self.assertNotIn("autofocus", self.client.get(self.detail_url()).content.decode())

    def test_what_was_typed_in_the_note_is_kept_too(self):
        response = self.refused("2.1", "6", note="Đã kiểm tra 12/12 cơ quan")
        leaf = inside(response.content.decode(), f"leaf-{self.c['2.1'].pk}")
        self.assertIn("Đã kiểm tra 12/12 cơ quan</textarea>", leaf)


class EvidenceRefusalTests(AssessmentViewTestCase):
    CASES = [
        ("fake", SimpleUploadedFile("ke-hoach.pdf", b"#!/bin/sh\nrm -rf ~\n"), "không phải là tệp .pdf"),
        ("empty", SimpleUploadedFile("rong.pdf", b""), "rỗng"),
    ]

    def test_with_htmx_a_refused_file_is_marked_to_be_swapped_in_place(self):
        self.login(self.officer)
        for label, upload, words in self.CASES:
            with self.subTest(label):
                upload.seek(0)
                response = self.client.post(self.upload_url("1.1"), {"file": upload}, **HTMX)
                self.assertContains(response, words, status_code=400)
                self.assertEqual(response["X-Refusal"], "in-place")
                self.assertNotIn("<html", response.content.decode())
        self.assertFalse(Evidence.objects.exists())

    @override_settings(EVIDENCE_MAX_BYTES=32)
    def test_a_file_too_big_is_refused_in_place_with_htmx_and_beside_the_leaf_without(self):
        self.login(self.officer)
        response = self.client.post(self.upload_url("1.1"), {"file": pdf()}, **HTMX)
        self.assertContains(response, "lớn hơn", status_code=400)
        self.assertEqual(response["X-Refusal"], "in-place")
        response = self.client.post(self.upload_url("1.1"), {"file": pdf()})
        self.assertEqual(response.status_code, 400)
        html = response.content.decode()
        evidence = inside(html, f"evidence-{self.c['1.1'].pk}")
        self.assertIn("lớn hơn", evidence)
        self.assertRegex(evidence, r'<input type="file"(?=[^>]*aria-invalid="true")(?=[^>]*\bautofocus\b)')
        self.assertIn('aria-label="Điều hướng chính"', html)
        self.assertFalse(Evidence.objects.exists())

    def test_without_javascript_a_fake_pdf_answers_the_page_with_the_reason_beside_the_leaf(self):
        self.login(self.officer)
        upload = SimpleUploadedFile("ke-hoach.pdf", b"#!/bin/sh\nrm -rf ~\n")
        response = self.client.post(self.upload_url("1.1"), {"file": upload})
        self.assertEqual(response.status_code, 400)
        html = response.content.decode()
        self.assertIn("không phải là tệp .pdf", inside(html, f"leaf-{self.c['1.1'].pk}"))
        self.assertNotIn("không phải là tệp .pdf", inside(html, f"leaf-{self.c['2.1'].pk}"))

    def test_a_file_that_was_accepted_is_no_refusal(self):
        self.login(self.officer)
        response = self.client.post(self.upload_url("1.1"), {"file": pdf()}, **HTMX)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("X-Refusal", response)


class EvidenceDeleteConfirmationTests(AssessmentViewTestCase):
    def url(self, evidence) -> str:
        return reverse("indices:evidence_delete", args=[evidence.pk])

    def test_the_page_has_a_dialog_that_asks_before_the_delete(self):
        evidence = self.attach(name="Kế hoạch.pdf")
        self.login(self.officer)
        html = self.client.get(self.detail_url()).content.decode()
        dialog = inside(html, f"delete-evidence-{evidence.pk}")
        self.assertIn("Tệp “Kế_hoạch.pdf” của tiêu chí 1.1 sẽ bị xóa", dialog)
        self.assertIn(f'hx-post="{self.url(evidence)}"', dialog)
        self.assertIn("Không xóa", dialog)
        # The link that opens it is a plain link without JavaScript: to the page that asks.
        opener = rf'<a [^>]*href="{self.url(evidence)}"\s+data-confirm-dialog="delete-evidence-{evidence.pk}"'
        self.assertRegex(html, opener)
        self.assertIn("js/confirm.js", html)

    def test_without_javascript_a_page_asks_and_deletes_nothing(self):
        evidence = self.attach(name="Kế hoạch.pdf")
        self.login(self.officer)
        response = self.client.get(self.url(evidence))
        self.assertContains(response, "Xóa tài liệu kiểm chứng?")
        self.assertContains(response, "Tệp “Kế_hoạch.pdf” của tiêu chí 1.1 sẽ bị xóa")
        self.assertContains(response, f'action="{self.url(evidence)}"')
        self.assertContains(response, f'href="{self.detail_url()}#leaf-{self.c["1.1"].pk}"')
        self.assertTrue(Evidence.objects.filter(pk=evidence.pk).exists())
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(self.url(evidence))
        self.assertFalse(Evidence.objects.filter(pk=evidence.pk).exists())

    def test_the_question_is_only_for_who_may_delete_and_not_once_submitted(self):
        evidence = self.attach()
        self.assert_access_matrix(
            self.url(evidence), {"neighbour": 404, "reviewer": 403, "outsider": 404, "anonymous": 302}
        )
        self.set_status(AssessmentStatus.SUBMITTED)
        self.login(self.officer)
        response = self.client.get(self.url(evidence))
        self.assertContains(response, "đã gửi, không sửa được", status_code=409)
        self.assertNotContains(response, "Xóa tệp</button>", status_code=409)
        self.assertTrue(Evidence.objects.filter(pk=evidence.pk).exists())
