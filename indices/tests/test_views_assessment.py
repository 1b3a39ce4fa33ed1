"""The self-assessment pages: the commune's list, the scoring tree, saving a leaf, evidence
files, and the chairman's submission; who may do what, and what a bad input answers."""

from __future__ import annotations

import shutil
import tempfile
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from core.testing import PortalTestCase
from indices.models import AssessmentStatus, Criterion, Evidence, Score
from indices.services.assessment import evidence_upload
from indices.services.rounds import assessment_recompute
from indices.testing import make_framework, make_round

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
MEDIA = tempfile.mkdtemp(prefix="evidence-views-")
HTMX = {"HTTP_HX_REQUEST": "true"}


def pdf(name: str = "ke-hoach.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@override_settings(MEDIA_ROOT=MEDIA)
class AssessmentViewTestCase(PortalTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.addClassCleanup(shutil.rmtree, MEDIA, ignore_errors=True)

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework = make_framework(cls.binh_dinh)
        cls.round = make_round(cls.framework, cls.hoai_nhon)
        cls.assessment = cls.round.assessments.get(unit=cls.hoai_chau)
        cls.c = {c.code: c for c in cls.framework.criteria.all()}

    def detail_url(self) -> str:
        return reverse("indices:assessment_detail", args=[self.assessment.pk])

    def save_url(self, code: str) -> str:
        return reverse("indices:assessment_score_save", args=[self.assessment.pk, self.c[code].pk])

    def upload_url(self, code: str) -> str:
        return reverse("indices:assessment_evidence_upload", args=[self.assessment.pk, self.c[code].pk])

    def submit_url(self) -> str:
        return reverse("indices:assessment_submit", args=[self.assessment.pk])

    def score(self, code: str) -> Score:
        return Score.objects.get(assessment=self.assessment, criterion=self.c[code])

    def score_data(self, code: str, value: str, note: str = "") -> dict:
        pk = self.c[code].pk
        return {f"c{pk}-self_score": value, f"c{pk}-note": note}

    def set_status(self, status: str) -> None:
        self.assessment.status = status
        self.assessment.save(update_fields=["status"])

    def attach(self, code: str = "1.1", name: str = "ke-hoach.pdf") -> Evidence:
        return evidence_upload(
            assessment=self.assessment, criterion=self.c[code], upload=pdf(name), user=self.officer
        )


class ListTests(AssessmentViewTestCase):
    def url(self, unit) -> str:
        return reverse("indices:assessment_list", args=[unit.pk])

    def test_who_may_see_a_communes_list(self):
        self.assert_access_matrix(
            self.url(self.hoai_chau),
            {
                "officer": 200,
                "chairman": 200,
                "neighbour": 404,
                "reviewer": 200,
                "province_reviewer": 200,
                "new_officer": 200,
                "administrator": 200,
                "outsider": 404,
                "anonymous": 302,
            },
        )

    def test_it_lists_the_assessments_with_their_self_total(self):
        Score.objects.filter(assessment=self.assessment, criterion=self.c["2.1"]).update(self_score=4)
        assessment_recompute(assessment=self.assessment)
        self.login(self.officer)
        response = self.client.get(self.url(self.hoai_chau))
        self.assertContains(response, "Bộ chỉ số thử")
        self.assertContains(response, "4,00")
        self.assertContains(response, "Đang tự chấm")
        self.assertContains(response, self.detail_url())

    def test_the_appraised_total_shows_only_once_appraised(self):
        Score.objects.filter(assessment=self.assessment, criterion=self.c["2.1"]).update(
            self_score=4, appraised_score=Decimal("3.5")
        )
        self.set_status(AssessmentStatus.APPRAISING)
        assessment_recompute(assessment=self.assessment)
        self.login(self.officer)
        self.assertNotContains(self.client.get(self.url(self.hoai_chau)), "3,50")
        self.set_status(AssessmentStatus.APPRAISED)
        self.assertContains(self.client.get(self.url(self.hoai_chau)), "3,50")

    def test_a_commune_without_assessments_says_so(self):
        self.login(self.administrator)
        response = self.client.get(self.url(self.phuoc_hung))
        self.assertContains(response, "Chưa có đợt đánh giá nào")

    def test_the_list_costs_the_same_queries_whatever_the_number_of_rounds(self):
        self.login(self.officer)
        # session, user, the unit, the assessments with round, framework and group, the navigation
        with self.assertNumQueries(5):
            self.client.get(self.url(self.hoai_chau))
        make_round(make_framework(self.binh_dinh, name="Bộ 2024"), self.hoai_nhon, year=2024)
        with self.assertNumQueries(5):
            response = self.client.get(self.url(self.hoai_chau))
        self.assertContains(response, "Bộ 2024")


class DetailTests(AssessmentViewTestCase):
    def test_who_may_see_an_assessment(self):
        self.assert_access_matrix(
            self.detail_url(),
            {
                "officer": 200,
                "chairman": 200,
                "neighbour": 404,
                "reviewer": 200,
                "province_reviewer": 200,
                "new_officer": 200,
                "administrator": 200,
                "outsider": 404,
                "anonymous": 302,
            },
        )

    def test_the_officer_gets_an_input_for_each_self_scored_leaf(self):
        self.login(self.officer)
        response = self.client.get(self.detail_url())
        for code in ("1.1", "1.2.1", "2.1"):
            self.assertContains(response, f'name="c{self.c[code].pk}-self_score"')
        for code in ("1.2.2", "2.2"):
            self.assertNotContains(response, f'name="c{self.c[code].pk}-self_score"')
        self.assertContains(response, "Do cơ quan thẩm định nhập")
        self.assertContains(response, "Cần tài liệu kiểm chứng")
        self.assertContains(response, self.upload_url("1.1"))
        # The officer scores; only the chairman submits.
        self.assertNotContains(response, self.submit_url())

    def test_the_chairman_sees_the_way_to_submit(self):
        self.login(self.chairman)
        self.assertContains(self.client.get(self.detail_url()), self.submit_url())

    def test_reviewers_administrators_and_successors_read_without_inputs(self):
        self.attach()
        for persona in ("reviewer", "administrator", "new_officer"):
            with self.subTest(persona=persona):
                self.login(getattr(self, persona))
                response = self.client.get(self.detail_url())
                self.assertNotContains(response, "-self_score")
                self.assertNotContains(response, 'type="file"')
                self.assertNotContains(response, "/xoa/")
                self.assertContains(response, "ke-hoach.pdf")

    def test_a_submitted_assessment_is_read_only_for_the_commune_too(self):
        Score.objects.filter(assessment=self.assessment, criterion=self.c["2.1"]).update(self_score=4)
        self.set_status(AssessmentStatus.SUBMITTED)
        self.login(self.officer)
        response = self.client.get(self.detail_url())
        self.assertNotContains(response, "-self_score")
        self.assertNotContains(response, 'type="file"')
        self.assertContains(response, "Điểm tự chấm:")

    def test_the_automatic_leaf_shows_its_value_and_the_data_behind(self):
        Score.objects.filter(assessment=self.assessment, criterion=self.c["1.2.2"]).update(
            auto_value=Decimal("91.64"),
            auto_score=Decimal(3),
            auto_data={"period": "năm 2023", "numerator": 1184, "denominator": 1292, "threshold": "80"},
        )
        self.login(self.officer)
        response = self.client.get(self.detail_url())
        self.assertContains(response, "91,64% (1.184/1.292 hồ sơ, năm 2023), ngưỡng 80%: 3 điểm")

    def test_once_appraised_the_appraised_score_and_comment_show_beside_the_self_score(self):
        Score.objects.filter(assessment=self.assessment, criterion=self.c["2.1"]).update(
            self_score=4, appraised_score=Decimal("3.5"), reviewer_comment="Thiếu biên bản kiểm tra."
        )
        self.set_status(AssessmentStatus.APPRAISED)
        self.login(self.officer)
        response = self.client.get(self.detail_url())
        self.assertContains(response, "Điểm thẩm định:")
        self.assertContains(response, "3,5")
        self.assertContains(response, "Thiếu biên bản kiểm tra.")

    def test_the_page_costs_the_same_queries_however_many_leaves_and_files(self):
        self.login(self.officer)
        # session, user, the assessment (access), the user's roles in the commune, the criteria,
        # the scores, their evidence files, the navigation
        with self.assertNumQueries(8):
            self.client.get(self.detail_url())
        field = self.c["2"]
        for number in range(3, 9):
            Criterion.objects.create(
                framework=self.framework,
                parent=field,
                code=f"2.{number}",
                title=f"Tiêu chí {number}",
                max_points=Decimal(1),
                evidence_required=True,
            )
        make_round(self.framework, self.hoai_nhon, year=2024)
        bigger = self.round.framework.rounds.get(year=2024).assessments.get(unit=self.hoai_chau)
        for code in ("2.3", "2.4", "2.5"):
            criterion = Criterion.objects.get(framework=self.framework, code=code)
            for name in ("a.pdf", "b.pdf"):
                evidence_upload(assessment=bigger, criterion=criterion, upload=pdf(name), user=self.officer)
        url = reverse("indices:assessment_detail", args=[bigger.pk])
        with self.assertNumQueries(8):
            response = self.client.get(url)
        self.assertContains(response, "Tiêu chí 8")
        self.assertContains(response, ">b.pdf</a>", count=3)


class ScoreSaveViewTests(AssessmentViewTestCase):
    def test_who_may_save_a_score(self):
        self.assert_access_matrix(
            self.save_url("2.1"),
            {
                "officer": 302,
                "chairman": 302,
                "neighbour": 404,
                "reviewer": 403,
                "province_reviewer": 403,
                "new_officer": 403,
                "administrator": 403,
                "outsider": 404,
                "anonymous": 302,
            },
            method="post",
            data=self.score_data("2.1", "2"),
        )

    def test_a_get_is_not_allowed(self):
        self.login(self.officer)
        self.assertEqual(self.client.get(self.save_url("2.1")).status_code, 405)

    def test_without_javascript_a_save_redirects_to_the_leaf(self):
        self.login(self.officer)
        response = self.client.post(self.save_url("2.1"), self.score_data("2.1", "1,75"))
        self.assertRedirects(
            response, self.detail_url() + f"#leaf-{self.c['2.1'].pk}", fetch_redirect_response=False
        )
        self.assertEqual(self.score("2.1").self_score, Decimal("1.75"))

    def test_with_htmx_a_save_answers_the_leaf_form_and_the_totals_out_of_band(self):
        self.login(self.officer)
        response = self.client.post(self.save_url("2.1"), self.score_data("2.1", "4.5"), **HTMX)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn(f'id="score-form-{self.c["2.1"].pk}"', html)
        self.assertIn("Đã lưu.", html)
        self.assertRegex(html, r'<section id="assessment-summary"[^>]*hx-swap-oob="true"')
        self.assertIn('<output id="total-overall" data-total>4,5</output>', html)
        self.assertRegex(html, rf'id="points-{self.c["2"].pk}"[^>]*hx-swap-oob="true">4,5<')
        self.assertNotIn("<html", html)

    def test_a_bad_score_answers_400_with_the_error_beside_the_leaf_and_saves_nothing(self):
        self.login(self.officer)
        cases = [
            ("abc", "không phải là số điểm"),
            ("-1", "không được âm"),
            ("6", "vượt điểm tối đa 5"),
            ("1,1", "bội số của 0,25"),
        ]
        for value, words in cases:
            with self.subTest(value=value):
                response = self.client.post(self.save_url("2.1"), self.score_data("2.1", value), **HTMX)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, words, status_code=400)
                self.assertContains(response, "is-invalid", status_code=400)
                self.assertIsNone(self.score("2.1").self_score)
                # Without JavaScript: the whole page, the error beside the leaf.
                response = self.client.post(self.save_url("2.1"), self.score_data("2.1", value))
                self.assertContains(response, words, status_code=400)
                self.assertContains(response, "<html", status_code=400)
                self.assertIsNone(self.score("2.1").self_score)

    def test_an_evidence_leaf_with_points_and_neither_file_nor_note_is_refused(self):
        self.login(self.officer)
        response = self.client.post(self.save_url("1.1"), self.score_data("1.1", "3"), **HTMX)
        self.assertContains(
            response,
            "Tiêu chí này cần tài liệu kiểm chứng: hãy tải tệp lên hoặc ghi giải trình.",
            status_code=400,
        )
        self.assertIsNone(self.score("1.1").self_score)

    def test_automatic_and_survey_leaves_are_refused(self):
        self.login(self.officer)
        for code in ("1.2.2", "2.2"):
            with self.subTest(code=code):
                response = self.client.post(self.save_url(code), self.score_data(code, "1"), **HTMX)
                self.assertEqual(response.status_code, 400)
                self.assertIsNone(self.score(code).self_score)

    def test_a_criterion_of_another_framework_answers_404(self):
        other = make_framework(self.binh_dinh, name="Bộ khác").criteria.get(code="2.1")
        self.login(self.officer)
        url = reverse("indices:assessment_score_save", args=[self.assessment.pk, other.pk])
        response = self.client.post(url, {f"c{other.pk}-self_score": "1"})
        self.assertEqual(response.status_code, 404)

    def test_a_parent_criterion_answers_404(self):
        self.login(self.officer)
        response = self.client.post(self.save_url("1.2"), self.score_data("1.2", "1"))
        self.assertEqual(response.status_code, 404)

    def test_after_submission_a_save_answers_409(self):
        self.set_status(AssessmentStatus.SUBMITTED)
        self.login(self.officer)
        response = self.client.post(self.save_url("2.1"), self.score_data("2.1", "2"), **HTMX)
        self.assertContains(response, "đã gửi, không sửa được", status_code=409)
        response = self.client.post(self.save_url("2.1"), self.score_data("2.1", "2"))
        self.assertContains(response, "đã gửi, không sửa được", status_code=409)
        self.assertIsNone(self.score("2.1").self_score)


class EvidenceViewTests(AssessmentViewTestCase):
    def test_who_may_not_upload(self):
        self.assert_access_matrix(
            self.upload_url("1.1"),
            {
                "neighbour": 404,
                "reviewer": 403,
                "province_reviewer": 403,
                "new_officer": 403,
                "administrator": 403,
                "outsider": 404,
                "anonymous": 302,
            },
            method="post",
            data={},
        )
        self.assertFalse(Evidence.objects.exists())

    def test_the_officer_and_the_chairman_upload(self):
        for persona in ("officer", "chairman"):
            with self.subTest(persona=persona):
                self.login(getattr(self, persona))
                response = self.client.post(self.upload_url("1.1"), {"file": pdf(f"{persona}.pdf")})
                self.assertRedirects(
                    response, self.detail_url() + f"#leaf-{self.c['1.1'].pk}", fetch_redirect_response=False
                )
        self.assertEqual(Evidence.objects.filter(score=self.score("1.1")).count(), 2)

    def test_with_htmx_an_upload_answers_the_evidence_list(self):
        self.login(self.officer)
        response = self.client.post(self.upload_url("1.1"), {"file": pdf("Kế hoạch.pdf")}, **HTMX)
        self.assertContains(response, f'id="evidence-{self.c["1.1"].pk}"')
        self.assertContains(response, "Kế_hoạch.pdf")
        self.assertNotContains(response, "<html")

    def test_a_bad_file_answers_400_with_the_reason_and_saves_nothing(self):
        self.login(self.officer)
        cases = [
            (SimpleUploadedFile("ke-hoach.pdf", b"#!/bin/sh\nrm -rf ~\n"), "không phải là tệp .pdf"),
            (SimpleUploadedFile("so-lieu.xlsx", PDF), "không phải là tệp .xlsx"),
            (SimpleUploadedFile("bao-cao.pdf.exe", PDF), "không thuộc loại được nhận"),
            (SimpleUploadedFile("rong.pdf", b""), "rỗng"),
        ]
        for upload, words in cases:
            with self.subTest(name=upload.name):
                upload.seek(0)
                response = self.client.post(self.upload_url("1.1"), {"file": upload}, **HTMX)
                self.assertContains(response, words, status_code=400)
        response = self.client.post(self.upload_url("1.1"), {}, **HTMX)
        self.assertContains(response, "Hãy chọn một tệp", status_code=400)
        self.assertFalse(Evidence.objects.exists())

    @override_settings(EVIDENCE_MAX_BYTES=5 * 1024 * 1024)
    def test_the_upload_hint_says_the_configured_limit(self):
        self.login(self.officer)
        self.assertContains(self.client.get(self.detail_url()), "tối đa 5 MB mỗi tệp, 10 tệp mỗi tiêu chí")

    @override_settings(EVIDENCE_MAX_BYTES=32)
    def test_a_file_over_the_size_limit_answers_400(self):
        self.login(self.officer)
        response = self.client.post(self.upload_url("1.1"), {"file": pdf()})
        self.assertContains(response, "lớn hơn", status_code=400)
        self.assertFalse(Evidence.objects.exists())

    def test_after_submission_an_upload_answers_409(self):
        self.set_status(AssessmentStatus.SUBMITTED)
        self.login(self.officer)
        response = self.client.post(self.upload_url("1.1"), {"file": pdf()})
        self.assertContains(response, "đã gửi, không sửa được", status_code=409)
        self.assertFalse(Evidence.objects.exists())

    def test_who_may_download(self):
        evidence = self.attach(name="../../Kế hoạch CCHC.pdf")
        self.assert_access_matrix(
            reverse("indices:evidence_download", args=[evidence.pk]),
            {
                "officer": 200,
                "chairman": 200,
                "neighbour": 404,
                "reviewer": 200,
                "new_officer": 200,
                "administrator": 200,
                "outsider": 404,
                "anonymous": 302,
            },
        )

    def test_a_download_is_an_attachment_with_the_stored_type_and_no_sniffing(self):
        evidence = self.attach(name="../../Kế hoạch CCHC.pdf")
        self.login(self.reviewer)
        response = self.client.get(reverse("indices:evidence_download", args=[evidence.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        disposition = response["Content-Disposition"]
        self.assertTrue(disposition.startswith("attachment;"), disposition)
        self.assertIn("filename*=utf-8''K%E1%BA%BF_ho%E1%BA%A1ch_CCHC.pdf", disposition)
        self.assertNotIn("..", disposition)
        self.assertEqual(b"".join(response.streaming_content), PDF)

    def test_who_may_delete(self):
        evidence = self.attach()
        url = reverse("indices:evidence_delete", args=[evidence.pk])
        self.assert_access_matrix(
            url,
            {
                "neighbour": 404,
                "reviewer": 403,
                "new_officer": 403,
                "administrator": 403,
                "outsider": 404,
                "anonymous": 302,
            },
            method="post",
        )
        self.assertTrue(Evidence.objects.filter(pk=evidence.pk).exists())
        self.login(self.officer)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url)
        self.assertRedirects(
            response, self.detail_url() + f"#leaf-{self.c['1.1'].pk}", fetch_redirect_response=False
        )
        self.assertFalse(Evidence.objects.filter(pk=evidence.pk).exists())

    def test_with_htmx_a_delete_answers_the_evidence_list(self):
        evidence = self.attach()
        self.login(self.chairman)
        response = self.client.post(reverse("indices:evidence_delete", args=[evidence.pk]), **HTMX)
        self.assertContains(response, "Chưa có tệp nào.")

    def test_after_submission_a_delete_answers_409(self):
        evidence = self.attach()
        self.set_status(AssessmentStatus.SUBMITTED)
        self.login(self.officer)
        response = self.client.post(reverse("indices:evidence_delete", args=[evidence.pk]))
        self.assertContains(response, "đã gửi, không sửa được", status_code=409)
        self.assertTrue(Evidence.objects.filter(pk=evidence.pk).exists())


class SubmitViewTests(AssessmentViewTestCase):
    def test_who_may_open_the_submission(self):
        self.assert_access_matrix(
            self.submit_url(),
            {
                "chairman": 200,
                "officer": 403,
                "neighbour": 404,
                "reviewer": 403,
                "new_officer": 403,
                "administrator": 403,
                "outsider": 404,
                "anonymous": 302,
            },
        )

    def test_an_officer_is_told_that_the_chairman_submits(self):
        self.login(self.officer)
        response = self.client.post(self.submit_url())
        self.assertContains(response, "Chỉ Chủ tịch hoặc Phó Chủ tịch UBND xã được gửi", status_code=403)
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.status, AssessmentStatus.DRAFT)

    def test_the_confirmation_lists_unscored_leaves_and_leaves_lacking_evidence(self):
        Score.objects.filter(assessment=self.assessment, criterion=self.c["1.1"]).update(
            self_score=3, note="Đang trình ký."
        )
        self.login(self.chairman)
        response = self.client.get(self.submit_url())
        self.assertContains(response, "2 tiêu chí chưa chấm")
        self.assertContains(response, "1.2.1. Công khai TTHC")
        self.assertContains(response, "2.1. Kiểm tra CCHC")
        self.assertContains(response, "chỉ có giải trình, chưa có tệp")
        self.assertContains(response, "1.1. Kế hoạch CCHC")

    def test_submission_is_refused_with_400_while_evidence_and_note_both_lack(self):
        Score.objects.filter(assessment=self.assessment, criterion=self.c["1.1"]).update(self_score=3)
        self.login(self.chairman)
        response = self.client.post(self.submit_url())
        self.assertContains(response, "Chưa gửi được", status_code=400)
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.status, AssessmentStatus.DRAFT)

    def test_the_chairman_submits_and_a_second_submission_answers_409(self):
        self.login(self.chairman)
        response = self.client.post(self.submit_url())
        self.assertRedirects(response, self.detail_url(), fetch_redirect_response=False)
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.status, AssessmentStatus.SUBMITTED)
        self.assertEqual(self.assessment.submitted_by, self.chairman)
        response = self.client.post(self.submit_url())
        self.assertContains(response, "đã gửi, không sửa được", status_code=409)
