"""The round views of the appraisal: the list, opening a round, its page, publishing, and the survey
points typed or uploaded for every commune."""

from __future__ import annotations

import datetime
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from communes.models import Era, Kind, Level
from core.testing import make_unit
from indices.models import Adjustment, Assessment, Round, Score
from indices.services.appraisal import assessment_appraisal_start, assessment_finalise
from indices.services.rounds import round_open
from indices.survey import survey_template_xlsx
from indices.testing import make_framework, make_round

from .test_views_appraisal_fixtures import AppraisalViewCase, D

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Who reaches a round's pages: its reviewer; administrators above it read; everyone else 404.
ROUND_READ = {
    "reviewer": 200,
    "administrator": 200,
    "province_reviewer": 404,
    "officer": 404,
    "chairman": 404,
    "neighbour": 404,
    "new_officer": 404,
    "outsider": 404,
    "anonymous": 302,
}
# Changing a round: the reviewer only; an administrator sees it but may not (403).
ROUND_WRITE = {**ROUND_READ, "administrator": 403}


class RoundListTests(AppraisalViewCase):
    def test_who_sees_the_round_list(self):
        self.assert_access_matrix(
            reverse("indices:round_list"),
            {"reviewer": 200, "administrator": 200, "officer": 200, "outsider": 200, "anonymous": 302},
        )

    def test_the_reviewer_sees_its_round_with_counts_and_the_open_button(self):
        self.login(self.reviewer)
        response = self.client.get(reverse("indices:round_list"))
        self.assertContains(response, "Thị xã Hoài Nhơn")
        self.assertContains(response, "Đã gửi: 1")
        self.assertContains(response, "Đang tự chấm: 1")
        self.assertContains(response, "Chưa công bố")
        self.assertContains(response, reverse("indices:round_create"))

    def test_an_officer_sees_no_round_of_its_group_and_no_button(self):
        self.login(self.officer)
        response = self.client.get(reverse("indices:round_list"))
        self.assertNotContains(response, reverse("indices:round_detail", args=[self.round.pk]))
        self.assertNotContains(response, reverse("indices:round_create"))

    def test_the_list_costs_the_same_for_many_rounds(self):
        self.login(self.reviewer)
        # session, user, the rounds with their counts, reviewer groups (button), navigation
        with self.assertNumQueries(5):
            self.client.get(reverse("indices:round_list"))
        make_round(self.framework, self.hoai_nhon, year=2022)
        make_round(self.framework, self.hoai_nhon, year=2024)
        with self.assertNumQueries(5):
            self.client.get(reverse("indices:round_list"))


class RoundCreateTests(AppraisalViewCase):
    def data(self, **extra):
        values = {
            "year": "2024",
            "group": self.hoai_nhon.pk,
            "framework": self.framework.pk,
            "self_deadline": "2025-01-15",
        }
        values.update(extra)
        return values

    def test_who_may_open_a_round(self):
        self.assert_access_matrix(
            reverse("indices:round_create"),
            {
                "reviewer": 200,
                "province_reviewer": 200,
                "officer": 403,
                "administrator": 403,
                "outsider": 403,
                "anonymous": 302,
            },
        )

    def test_the_reviewer_opens_a_round_for_its_communes(self):
        self.login(self.reviewer)
        response = self.client.post(reverse("indices:round_create"), self.data())
        created = Round.objects.get(year=2024)
        self.assertRedirects(response, reverse("indices:round_detail", args=[created.pk]))
        self.assertEqual(created.assessments.count(), 2)
        self.assertEqual(created.self_deadline, datetime.date(2025, 1, 15))

    def test_a_round_that_exists_redirects_to_it_with_a_message(self):
        self.login(self.reviewer)
        response = self.client.post(reverse("indices:round_create"), self.data(year="2023"), follow=True)
        self.assertRedirects(response, reverse("indices:round_detail", args=[self.round.pk]))
        self.assertContains(response, "đã có; đây là đợt đó")
        self.assertEqual(Round.objects.count(), 1)

    def test_a_year_outside_the_framework_is_400_and_nothing_opened(self):
        self.login(self.reviewer)
        response = self.client.post(reverse("indices:round_create"), self.data(year="2026"))
        self.assertContains(response, "không áp dụng cho năm 2026", status_code=400)
        self.assertEqual(Round.objects.count(), 1)

    def test_a_group_the_reviewer_does_not_review_is_400(self):
        self.login(self.reviewer)
        response = self.client.post(reverse("indices:round_create"), self.data(group=self.tuy_phuoc.pk))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Round.objects.count(), 1)

    def test_a_framework_of_another_province_is_not_offered(self):
        other = make_framework(self.gia_lai, name="Bộ chỉ số Gia Lai")
        self.login(self.reviewer)
        response = self.client.get(reverse("indices:round_create"))
        self.assertNotContains(response, "Bộ chỉ số Gia Lai")
        response = self.client.post(reverse("indices:round_create"), self.data(framework=other.pk))
        self.assertEqual(response.status_code, 400)


class RoundDetailTests(AppraisalViewCase):
    def test_who_sees_the_round_page(self):
        self.assert_access_matrix(reverse("indices:round_detail", args=[self.round.pk]), ROUND_READ)

    def test_it_shows_each_commune_and_the_communes_late_with_their_self_scoring(self):
        self.login(self.reviewer)
        response = self.client.get(reverse("indices:round_detail", args=[self.round.pk]))
        self.assertContains(response, "Xã Hoài Châu Bắc")
        self.assertContains(response, "1 xã quá hạn tự chấm")
        self.assertContains(response, "12,00")  # Hoài Châu's self total
        self.assertContains(response, reverse("indices:assessment_appraise", args=[self.assessment.pk]))
        self.assertContains(response, reverse("indices:round_publish", args=[self.round.pk]))

    def test_a_draft_before_the_deadline_has_no_appraisal_link_which_would_answer_409(self):
        self.round.self_deadline = datetime.date.today() + datetime.timedelta(days=30)
        self.round.save(update_fields=["self_deadline"])
        draft = Assessment.objects.get(round=self.round, unit=self.hoai_chau_bac)
        self.login(self.reviewer)
        response = self.client.get(reverse("indices:round_detail", args=[self.round.pk]))
        self.assertContains(response, reverse("indices:assessment_appraise", args=[self.assessment.pk]))
        self.assertNotContains(response, reverse("indices:assessment_appraise", args=[draft.pk]))
        self.assertContains(response, "Chờ xã gửi")
        self.assertEqual(
            self.client.get(reverse("indices:assessment_appraise", args=[draft.pk])).status_code, 409
        )

    def test_the_administrator_reads_without_buttons(self):
        self.login(self.administrator)
        response = self.client.get(reverse("indices:round_detail", args=[self.round.pk]))
        self.assertNotContains(response, reverse("indices:round_publish", args=[self.round.pk]))
        self.assertNotContains(response, "Lưu điểm khảo sát")
        self.assertNotContains(response, 'name="survey-')

    def test_an_appraised_commune_has_no_survey_input(self):
        assessment_appraisal_start(assessment=self.assessment)
        self.appraise_all(self.assessment)
        assessment_finalise(assessment=self.assessment, user=self.reviewer)
        self.login(self.reviewer)
        response = self.client.get(reverse("indices:round_detail", args=[self.round.pk]))
        self.assertNotContains(response, f'name="survey-{self.assessment.pk}-')
        self.assertContains(response, 'name="survey-')

    def test_the_query_count_does_not_grow_with_communes(self):
        self.login(self.reviewer)
        url = reverse("indices:round_detail", args=[self.round.pk])
        # session, user, the round, is it reviewed, criteria (survey leaves), assessments with
        # their adjustment sums, survey scores, navigation
        with self.assertNumQueries(8):
            self.client.get(url)
        communes = [
            make_unit(Era.LEGACY, Level.COMMUNE, Kind.XA, f"2170{n}", f"Xã Thử {n}", self.hoai_nhon)
            for n in range(5)
        ]
        round_open(
            framework=self.framework, year=2023, group=self.hoai_nhon, self_deadline=self.round.self_deadline
        )
        for assessment in Assessment.objects.filter(unit__in=communes):
            Adjustment.objects.create(assessment=assessment, points=D(1), reason="Thưởng")
        with self.assertNumQueries(8):
            response = self.client.get(url)
        self.assertContains(response, "Xã Thử 4")


class PublishTests(AppraisalViewCase):
    def finish_all(self):
        for assessment in Assessment.objects.filter(round=self.round):
            assessment_appraisal_start(assessment=assessment)
            self.appraise_all(assessment)
            assessment_finalise(assessment=assessment, user=self.reviewer)

    def test_who_may_publish(self):
        self.assert_access_matrix(reverse("indices:round_publish", args=[self.round.pk]), ROUND_WRITE)
        self.assert_access_matrix(reverse("indices:round_unpublish", args=[self.round.pk]), ROUND_WRITE)

    def test_publishing_asks_first_then_publishes(self):
        self.finish_all()
        self.login(self.reviewer)
        url = reverse("indices:round_publish", args=[self.round.pk])
        self.assertContains(self.client.get(url), "Xác nhận công bố")
        self.round.refresh_from_db()
        self.assertFalse(self.round.is_published)
        self.assertRedirects(self.client.post(url), reverse("indices:round_detail", args=[self.round.pk]))
        self.round.refresh_from_db()
        self.assertTrue(self.round.is_published)
        self.client.post(reverse("indices:round_unpublish", args=[self.round.pk]))
        self.round.refresh_from_db()
        self.assertFalse(self.round.is_published)

    def test_publishing_with_communes_not_appraised_is_409(self):
        self.login(self.reviewer)
        response = self.client.post(reverse("indices:round_publish", args=[self.round.pk]))
        self.assertContains(response, "còn 2 xã chưa thẩm định xong", status_code=409)
        self.round.refresh_from_db()
        self.assertFalse(self.round.is_published)


class SurveyViewTests(AppraisalViewCase):
    def field(self, assessment: Assessment) -> str:
        return f"survey-{assessment.pk}-{self.leaf['2.2'].pk}"

    def test_who_may_enter_survey_points(self):
        url = reverse("indices:round_survey", args=[self.round.pk])
        self.assert_access_matrix(url, {**ROUND_WRITE, "reviewer": 302}, method="post")
        self.assert_access_matrix(
            reverse("indices:round_survey_upload", args=[self.round.pk]),
            {**ROUND_WRITE, "reviewer": 400},
            method="post",
        )
        self.assert_access_matrix(reverse("indices:round_survey_template", args=[self.round.pk]), ROUND_WRITE)

    def test_typed_survey_points_are_saved_and_counted(self):
        self.start()
        self.login(self.reviewer)
        response = self.client.post(
            reverse("indices:round_survey", args=[self.round.pk]), {self.field(self.assessment): "4,5"}
        )
        self.assertRedirects(response, reverse("indices:round_detail", args=[self.round.pk]))
        self.assertEqual(self.score("2.2").appraised_score, D("4.5"))
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.appraised_total, D("16.50"))

    def test_one_bad_typed_value_saves_nothing_and_keeps_what_was_typed(self):
        other = Assessment.objects.get(round=self.round, unit=self.hoai_chau_bac)
        self.login(self.reviewer)
        response = self.client.post(
            reverse("indices:round_survey", args=[self.round.pk]),
            {self.field(self.assessment): "4", self.field(other): "7"},
        )
        self.assertContains(
            response, "Xã Hoài Châu Bắc: Tiêu chí 2.2: điểm 7,00 nằm ngoài khoảng", status_code=400
        )
        self.assertContains(response, 'value="7"', status_code=400)
        self.assertFalse(
            Score.objects.filter(criterion=self.leaf["2.2"], appraised_score__isnull=False).exists()
        )

    def test_a_value_that_is_not_a_number_is_400(self):
        self.login(self.reviewer)
        response = self.client.post(
            reverse("indices:round_survey", args=[self.round.pk]), {self.field(self.assessment): "abc"}
        )
        self.assertContains(response, "Xã Hoài Châu, tiêu chí 2.2", status_code=400)

    def test_the_template_downloads_as_xlsx(self):
        self.login(self.reviewer)
        response = self.client.get(reverse("indices:round_survey_template", args=[self.round.pk]))
        self.assertEqual(response["Content-Type"], XLSX)
        sheet = load_workbook(BytesIO(response.content)).active
        self.assertEqual(sheet["A2"].value, "21649")

    def upload(self, data: bytes, name: str = "khao-sat.xlsx"):
        return self.client.post(
            reverse("indices:round_survey_upload", args=[self.round.pk]),
            {"file": SimpleUploadedFile(name, data, content_type=XLSX)},
        )

    def test_an_uploaded_file_sets_the_points_of_every_commune(self):
        book = load_workbook(BytesIO(survey_template_xlsx(self.round)))
        book.active["C2"], book.active["C3"] = 3, 2.5
        out = BytesIO()
        book.save(out)
        self.login(self.reviewer)
        response = self.upload(out.getvalue())
        self.assertRedirects(response, reverse("indices:round_detail", args=[self.round.pk]))
        self.assertEqual(
            sorted(
                Score.objects.filter(criterion=self.leaf["2.2"]).values_list("appraised_score", flat=True)
            ),
            [D("2.5"), D(3)],
        )

    def test_a_bad_file_is_400_with_the_problems_and_nothing_saved(self):
        book = load_workbook(BytesIO(survey_template_xlsx(self.round)))
        book.active["C2"], book.active["C3"] = 3, 9
        out = BytesIO()
        book.save(out)
        self.login(self.reviewer)
        response = self.upload(out.getvalue())
        self.assertContains(response, "Ô C3 (Xã Hoài Châu Bắc, tiêu chí 2.2)", status_code=400)
        self.assertFalse(
            Score.objects.filter(criterion=self.leaf["2.2"], appraised_score__isnull=False).exists()
        )

    def test_a_file_that_is_not_xlsx_is_400(self):
        self.login(self.reviewer)
        response = self.upload(b"%PDF-1.4", name="khao-sat.pdf")
        self.assertContains(response, "không phải tệp Excel .xlsx", status_code=400)

    def test_no_file_is_400(self):
        self.login(self.reviewer)
        response = self.client.post(reverse("indices:round_survey_upload", args=[self.round.pk]))
        self.assertContains(response, "Hãy chọn tệp Excel", status_code=400)
