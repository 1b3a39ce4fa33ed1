"""The appraisal of one assessment: its page, each leaf's score, adjustments, the request for an
explanation and the commune's answer, finalising and reopening."""

from __future__ import annotations

import datetime

from django.urls import reverse

from indices.models import Adjustment, Assessment, AssessmentStatus, Evidence, Score
from indices.services.appraisal import assessment_appraisal_start, assessment_finalise
from indices.services.rounds import round_publish
from indices.testing import make_framework, make_round

from .test_views_appraisal_fixtures import AppraisalViewCase, D

# An assessment's appraisal: the helper says 404 for unseen, 403 for seen but not reviewed.
APPRAISE = {
    "officer": 403,
    "chairman": 403,
    "neighbour": 404,
    "province_reviewer": 403,
    "new_officer": 403,
    "administrator": 403,
    "outsider": 404,
    "anonymous": 302,
}


class AppraiseTests(AppraisalViewCase):
    def test_who_may_appraise(self):
        self.assert_access_matrix(self.url("assessment_appraise"), {**APPRAISE, "reviewer": 200})

    def test_opening_a_submitted_assessment_starts_the_appraisal(self):
        self.login(self.reviewer)
        response = self.client.get(self.url("assessment_appraise"))
        self.assertContains(response, "Đang thẩm định")
        self.assertContains(response, 'value="4,00"')  # prefilled with the self score
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.status, AssessmentStatus.APPRAISING)

    def test_a_draft_before_the_deadline_is_409(self):
        late = make_framework(self.binh_dinh, name="Bộ sau")
        round_ = make_round(late, self.hoai_nhon, deadline=datetime.date(2099, 1, 1))
        draft = Assessment.objects.get(round=round_, unit=self.hoai_chau)
        self.login(self.reviewer)
        response = self.client.get(reverse("indices:assessment_appraise", args=[draft.pk]))
        self.assertContains(response, "chưa hết hạn tự chấm (01/01/2099)", status_code=409)
        draft.refresh_from_db()
        self.assertEqual(draft.status, AssessmentStatus.DRAFT)

    def test_a_draft_after_the_deadline_is_appraised_with_a_note(self):
        draft = Assessment.objects.get(round=self.round, unit=self.hoai_chau_bac)
        self.login(self.reviewer)
        response = self.client.get(reverse("indices:assessment_appraise", args=[draft.pk]))
        self.assertContains(response, "chưa gửi kết quả tự chấm; đã quá hạn tự chấm")

    def test_evidence_file_names_are_shown(self):
        Evidence.objects.create(
            score=self.score("1.1"),
            file="evidence/2023/a.pdf",
            original_name="ke-hoach.pdf",
            content_type="application/pdf",
            size=10,
        )
        self.login(self.reviewer)
        self.assertContains(self.client.get(self.url("assessment_appraise")), "ke-hoach.pdf")

    def test_the_query_count_does_not_grow_with_files_and_adjustments(self):
        self.start()
        self.login(self.reviewer)
        url = self.url("assessment_appraise")
        # session, user, assessment, is it reviewed, criteria, scores, their evidence,
        # adjustments, navigation
        with self.assertNumQueries(9):
            self.client.get(url)
        for code in ("1.1", "2.1"):
            for n in range(3):
                Evidence.objects.create(
                    score=self.score(code),
                    file=f"evidence/2023/{n}.pdf",
                    original_name=f"{n}.pdf",
                    content_type="application/pdf",
                    size=1,
                )
        for n in range(3):
            Adjustment.objects.create(assessment=self.assessment, points=D(1), reason=f"Thưởng {n}")
        with self.assertNumQueries(9):
            self.client.get(url)


class LeafViewTests(AppraisalViewCase):
    def test_who_may_save_a_leaf(self):
        self.start()
        url = self.url("assessment_appraise_leaf", self.assessment.pk, self.leaf["1.1"].pk)
        self.assert_access_matrix(
            url, {**APPRAISE, "reviewer": 302}, method="post", data={"appraised_score": "3"}
        )

    def test_lowering_a_leaf_saves_and_shows_the_new_total(self):
        self.start()
        self.login(self.reviewer)
        response = self.leaf_post(
            "1.1", appraised_score="2,5", comment="Ban hành muộn", explanation_requested="on"
        )
        self.assertRedirects(
            response,
            self.url("assessment_appraise") + f"#leaf-{self.leaf['1.1'].pk}",
            fetch_redirect_response=False,
        )
        score = self.score("1.1")
        self.assertEqual((score.appraised_score, score.explanation_requested), (D("2.5"), True))
        self.assertContains(self.client.get(self.url("assessment_appraise")), "10,50")

    def test_a_score_over_the_max_is_400_and_nothing_saved(self):
        self.start()
        self.login(self.reviewer)
        response = self.leaf_post("1.1", appraised_score="5", comment="Quá điểm")
        self.assertContains(
            response, "Tiêu chí 1.1: điểm 5,00 nằm ngoài khoảng từ 0 đến 4,00.", status_code=400
        )
        self.assertContains(response, 'value="5"', status_code=400)
        score = self.score("1.1")
        self.assertEqual((score.appraised_score, score.reviewer_comment), (None, ""))

    def test_text_that_is_not_a_number_is_400(self):
        self.start()
        self.login(self.reviewer)
        response = self.leaf_post("1.1", appraised_score="bốn")
        self.assertContains(response, "Tiêu chí 1.1: “bốn” không phải là số điểm", status_code=400)

    def test_an_automatic_leaf_changed_without_a_reason_is_400(self):
        self.start()
        self.login(self.reviewer)
        response = self.leaf_post("1.2.2", appraised_score="2")
        self.assertContains(response, "hãy ghi lý do sửa điểm tự động", status_code=400)
        self.assertIsNone(self.score("1.2.2").appraised_score)

    def test_a_leaf_of_another_framework_is_404(self):
        self.start()
        other = make_framework(self.binh_dinh, name="Bộ khác").criteria.get(code="1.1")
        self.login(self.reviewer)
        response = self.client.post(
            self.url("assessment_appraise_leaf", self.assessment.pk, other.pk), {"appraised_score": "1"}
        )
        self.assertEqual(response.status_code, 404)

    def test_saving_a_leaf_of_an_appraised_assessment_is_409(self):
        self.start()
        self.appraise_all(self.assessment)
        assessment_finalise(assessment=self.assessment, user=self.reviewer)
        self.login(self.reviewer)
        response = self.leaf_post("1.1", appraised_score="1")
        self.assertContains(response, "đã thẩm định xong", status_code=409)
        self.assertEqual(self.score("1.1").appraised_score, D(4))


class AdjustmentViewTests(AppraisalViewCase):
    def test_who_may_add_and_delete(self):
        self.start()
        self.assert_access_matrix(
            self.url("adjustment_add"),
            {**APPRAISE, "reviewer": 302},
            method="post",
            data={"points": "1", "reason": "Sáng kiến"},
        )
        adjustment = Adjustment.objects.get(reason="Sáng kiến")
        self.assert_access_matrix(
            self.url("adjustment_delete", adjustment.pk), {**APPRAISE, "reviewer": 302}, method="post"
        )
        self.assertFalse(Adjustment.objects.exists())

    def test_a_penalty_is_added_and_counted(self):
        self.start()
        self.login(self.reviewer)
        self.client.post(self.url("adjustment_add"), {"points": "-1,5", "reason": "Báo cáo trễ hạn"})
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.appraised_total, D("10.50"))

    def test_a_missing_reason_or_too_many_points_is_400_and_nothing_saved(self):
        self.start()
        self.login(self.reviewer)
        response = self.client.post(self.url("adjustment_add"), {"points": "1", "reason": ""})
        self.assertEqual(response.status_code, 400)
        response = self.client.post(self.url("adjustment_add"), {"points": "3", "reason": "Nhiều"})
        self.assertContains(response, "không quá 2,00 điểm", status_code=400)
        self.assertFalse(Adjustment.objects.exists())


class ExplanationViewTests(AppraisalViewCase):
    def flag(self):
        self.start()
        Score.objects.filter(assessment=self.assessment, criterion=self.leaf["1.1"]).update(
            appraised_score=D(2), reviewer_comment="Kế hoạch ban hành muộn", explanation_requested=True
        )

    def test_who_may_request_an_explanation(self):
        self.flag()
        self.assert_access_matrix(
            self.url("assessment_request_explanation"), {**APPRAISE, "reviewer": 302}, method="post"
        )
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.status, AssessmentStatus.EXPLAINING)

    def test_requesting_without_a_flagged_leaf_is_400(self):
        self.start()
        self.login(self.reviewer)
        response = self.client.post(self.url("assessment_request_explanation"))
        self.assertContains(response, "Chưa có tiêu chí nào được đánh dấu", status_code=400)
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.status, AssessmentStatus.APPRAISING)

    def explaining(self):
        self.flag()
        self.assessment.status = AssessmentStatus.EXPLAINING
        self.assessment.save()

    def test_who_sees_the_explanation_page(self):
        self.explaining()
        self.assert_access_matrix(
            self.url("assessment_explain"),
            {
                "officer": 200,
                "chairman": 200,
                "neighbour": 404,
                "reviewer": 403,
                "administrator": 403,
                "new_officer": 403,
                "outsider": 404,
                "anonymous": 302,
            },
        )

    def test_the_officer_answers_and_the_reviewer_sees_it(self):
        self.explaining()
        self.login(self.officer)
        response = self.client.get(self.url("assessment_explain"))
        self.assertContains(response, "Kế hoạch ban hành muộn")
        response = self.client.post(
            self.url("assessment_explain"), {f"answer-{self.leaf['1.1'].pk}": "Đã ban hành 10/1"}
        )
        self.assertEqual(response.status_code, 302)
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.status, AssessmentStatus.APPRAISING)
        self.login(self.reviewer)
        self.assertContains(self.client.get(self.url("assessment_appraise")), "Đã ban hành 10/1")

    def test_an_empty_answer_is_400_naming_the_leaf_and_nothing_saved(self):
        self.explaining()
        self.login(self.chairman)
        response = self.client.post(self.url("assessment_explain"), {f"answer-{self.leaf['1.1'].pk}": "  "})
        self.assertContains(response, "cho tiêu chí 1.1", status_code=400)
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.status, AssessmentStatus.EXPLAINING)
        self.assertEqual(self.score("1.1").explanation, "")

    def test_the_page_outside_the_explanation_round_is_409(self):
        self.start()
        self.login(self.officer)
        self.assertEqual(self.client.get(self.url("assessment_explain")).status_code, 409)


class FinaliseViewTests(AppraisalViewCase):
    def test_who_may_finalise(self):
        self.start()
        self.appraise_all(self.assessment)
        self.assert_access_matrix(
            self.url("assessment_finalise"), {**APPRAISE, "reviewer": 302}, method="post"
        )
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.status, AssessmentStatus.APPRAISED)

    def test_who_may_accept_the_self_scores(self):
        self.start()
        self.assert_access_matrix(
            self.url("assessment_accept_self_scores"), {**APPRAISE, "reviewer": 302}, method="post"
        )
        self.assertEqual(self.score("2.1").appraised_score, self.score("2.1").self_score)

    def test_finalising_with_leaves_missing_is_400_listing_them(self):
        self.start()
        self.login(self.reviewer)
        response = self.client.post(self.url("assessment_finalise"))
        self.assertContains(
            response, "các tiêu chí 1.1, 1.2.1, 2.1, 2.2 chưa có điểm thẩm định", status_code=400
        )
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.status, AssessmentStatus.APPRAISING)

    def test_reopening_needs_a_reason(self):
        self.start()
        self.appraise_all(self.assessment)
        assessment_finalise(assessment=self.assessment, user=self.reviewer)
        self.assert_access_matrix(
            self.url("assessment_reopen"), {**APPRAISE, "reviewer": 400}, method="post", data={"reason": ""}
        )
        self.login(self.reviewer)
        response = self.client.post(self.url("assessment_reopen"), {"reason": "Xã bổ sung tài liệu"})
        self.assertEqual(response.status_code, 302)
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.status, AssessmentStatus.APPRAISING)

    def test_reopening_in_a_published_round_is_409(self):
        for assessment in Assessment.objects.filter(round=self.round):
            assessment_appraisal_start(assessment=assessment)
            self.appraise_all(assessment)
            assessment_finalise(assessment=assessment, user=self.reviewer)
        round_publish(round_=self.round, user=self.reviewer)
        self.login(self.reviewer)
        response = self.client.post(self.url("assessment_reopen"), {"reason": "Sai sót"})
        self.assertContains(response, "thu hồi công bố trước", status_code=409)
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.status, AssessmentStatus.APPRAISED)
