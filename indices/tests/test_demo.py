from collections import defaultdict
from decimal import Decimal

from django.core.management import call_command
from django.db.models import F
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from communes.models import AdministrativeUnit, Era, Level, User
from core import periods
from core.formatting import format_number
from dossiers.selectors import Basis, communes_under, figures_for
from indices import rules, scoring
from indices.models import Adjustment, Assessment, AssessmentStatus, Round, Score
from indices.selectors.rankings import ranking
from indices.services.rounds import assessment_refresh_auto, assessment_totals


def unit(code):
    return AdministrativeUnit.objects.get(era=Era.LEGACY, code=code)


def rank_of(assessment):
    assessments = list(assessment.round.assessments.all())
    ranks = scoring.competition_ranks([a.appraised_total for a in assessments])
    return dict(zip([a.pk for a in assessments], ranks, strict=True))[assessment.pk], len(assessments)


class IndexDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", verbosity=0)

    def test_hoai_chau_2023_reproduces_seed_000(self):
        assessment = Assessment.objects.get(unit=unit("21649"), round__year=2023)
        self.assertEqual(assessment.appraised_total, Decimal("84.16"))
        self.assertEqual(rank_of(assessment), (13, 17))
        self.assertTrue(assessment.round.is_published)

    def test_gio_son_2023_reproduces_seed_003(self):
        assessment = Assessment.objects.get(unit=unit("19537"), round__year=2023)
        self.assertEqual(assessment.appraised_total, Decimal("85.65"))
        framework = assessment.round.framework
        self.assertEqual(framework.band_for(assessment.appraised_total).label, "Tốt")
        self.assertEqual(framework.criteria.filter(parent=None).count(), 8)

    def test_the_two_frameworks_have_eight_and_seven_fields(self):
        hoai_nhon = Round.objects.get(group=unit("543"), year=2023).framework
        self.assertEqual(hoai_nhon.criteria.filter(parent=None).count(), 7)

    def test_each_total_is_reached_leaf_by_leaf(self):
        assessment = Assessment.objects.get(unit=unit("21649"), round__year=2023)
        leaves = sum((s.final_score for s in assessment.scores.all()), Decimal(0))
        self.assertEqual(leaves, Decimal("84.16"))
        self.assertFalse(assessment.scores.filter(appraised_score__lt=0).exists())

    def test_every_scored_leaf_that_needs_evidence_has_a_file_or_an_explanation(self):
        lacking = Score.objects.filter(
            criterion__evidence_required=True, self_score__gt=0, evidence__isnull=True, note=""
        )
        self.assertFalse(lacking.exists())

    def test_a_round_is_under_way_for_gio_linh_2024(self):
        statuses = set(
            Assessment.objects.filter(round__year=2024, round__group=unit("466")).values_list(
                "status", flat=True
            )
        )
        self.assertLessEqual(
            {AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED, AssessmentStatus.EXPLAINING}, statuses
        )

    def test_running_it_again_changes_nothing(self):
        before = (
            Assessment.objects.count(),
            Score.objects.count(),
            list(Assessment.objects.values_list("appraised_total", flat=True).order_by("pk")),
        )
        call_command("seed_demo", verbosity=0)
        after = (
            Assessment.objects.count(),
            Score.objects.count(),
            list(Assessment.objects.values_list("appraised_total", flat=True).order_by("pk")),
        )
        self.assertEqual(before, after)


def current(code):
    return AdministrativeUnit.objects.get(era=Era.CURRENT, code=code)


class GiaLaiIndexDemoTests(TestCase):
    """The present: Gia Lai's illustrative framework, its published 2025 round, its open 2026 round."""

    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", verbosity=0)
        cls.gia_lai = AdministrativeUnit.objects.get(era=Era.CURRENT, level=Level.PROVINCE, code="52")
        cls.round_2025 = Round.objects.select_related("framework", "group").get(group=cls.gia_lai, year=2025)
        cls.round_2026 = Round.objects.select_related("framework", "group").get(group=cls.gia_lai, year=2026)
        cls.framework = cls.round_2025.framework

    def test_the_framework_is_marked_illustrative_and_shaped_like_the_2025_decisions(self):
        self.assertIn("minh họa", self.framework.name)
        self.assertIn("minh họa", self.framework.legal_basis)
        self.assertTrue(self.framework.note.startswith("MINH HỌA"))
        self.assertEqual(self.framework.criteria.filter(parent=None).count(), 8)
        self.assertTrue(self.framework.rescale_to_100)
        self.assertEqual(self.round_2026.framework, self.framework)

    def test_the_2025_round_ranks_every_commune_and_was_published_in_2026_before_today(self):
        communes = communes_under(self.gia_lai).count()
        self.assertEqual(communes, 135)
        assessments = self.round_2025.assessments.all()
        self.assertEqual(assessments.filter(status=AssessmentStatus.APPRAISED).count(), communes)
        published = self.round_2025.published_at
        self.assertEqual(timezone.localtime(published).year, 2026)
        self.assertLess(published, timezone.now())
        self.assertFalse(assessments.filter(appraised_at__gt=published).exists())
        self.assertFalse(assessments.filter(submitted_at__gt=F("appraised_at")).exists())
        result = ranking(self.round_2025, public=True)
        self.assertEqual(result.group_size, 135)
        tam_quan = next(row for row in result.rows if row.unit.code == "21637")
        self.assertTrue(10 <= tam_quan.rank <= 120, tam_quan.rank)

    def test_every_stored_total_is_what_the_portal_computes(self):
        criteria = list(self.framework.criteria.all())
        scores = defaultdict(list)
        for score in Score.objects.filter(assessment__round__in=[self.round_2025, self.round_2026]):
            scores[score.assessment_id].append(score)
        adjustments = defaultdict(list)
        for assessment_id, points in Adjustment.objects.filter(assessment__round=self.round_2025).values_list(
            "assessment_id", "points"
        ):
            adjustments[assessment_id].append(points)
        assessments = Assessment.objects.filter(round__in=[self.round_2025, self.round_2026]).select_related(
            "round__framework"
        )
        for assessment in assessments:
            stored = (assessment.self_total, assessment.appraised_total, assessment.field_points)
            assessment_totals(
                assessment=assessment,
                criteria=criteria,
                scores=scores[assessment.pk],
                adjustments=adjustments[assessment.pk],
            )
            self.assertEqual(
                stored, (assessment.self_total, assessment.appraised_total, assessment.field_points)
            )
        # And the slow road of the pages (one assessment read and recomputed) agrees.
        tam_quan = self.round_2025.assessments.get(unit__code="21637")
        before = tam_quan.appraised_total
        assessment_refresh_auto(assessment=tam_quan)
        tam_quan.refresh_from_db()
        self.assertEqual(tam_quan.appraised_total, before)

    def test_communes_not_surveyed_are_rescaled_to_100_and_some_have_bonus_or_penalty(self):
        not_surveyed = self.round_2025.assessments.filter(
            scores__applicable=False, scores__criterion__rule="khao_sat"
        ).distinct()
        self.assertEqual(not_surveyed.count(), 4)
        assessment = not_surveyed.first()
        tree = sum((Decimal(v) for v in assessment.field_points.values()), Decimal(0))
        bonus = sum(assessment.adjustments.values_list("points", flat=True), Decimal(0))
        self.assertEqual(assessment.appraised_total, scoring.two_places(tree * 100 / 70 + bonus))
        self.assertTrue(Adjustment.objects.filter(assessment__round=self.round_2025, points__lt=0).exists())
        self.assertTrue(Adjustment.objects.filter(assessment__round=self.round_2025, points__gt=0).exists())

    def test_the_2026_round_is_open_with_every_step_to_try(self):
        self.assertGreater(self.round_2026.self_deadline, timezone.localdate())
        self.assertFalse(self.round_2026.is_published)
        by_code = {a.unit.code: a for a in self.round_2026.assessments.select_related("unit")}
        self.assertEqual(len(by_code), 135)
        tam_quan = by_code["21637"]
        self.assertEqual(tam_quan.status, AssessmentStatus.DRAFT)
        scored = tam_quan.scores.filter(self_score__isnull=False, criterion__rule="").count()
        self.assertTrue(0 < scored < tam_quan.scores.filter(criterion__rule="").count())
        self.assertEqual(by_code["21655"].status, AssessmentStatus.EXPLAINING)
        self.assertTrue(by_code["21655"].scores.filter(explanation_requested=True).exists())
        self.assertEqual({by_code[code].status for code in ("23617", "21553")}, {AssessmentStatus.SUBMITTED})

    def test_the_2026_automatic_leaves_come_from_the_communes_dossier_figures(self):
        year = periods.Period(2026, periods.Kind.YEAR)
        for code in ("21637", "23617"):
            assessment = self.round_2026.assessments.select_related("unit").get(unit__code=code)
            figures = figures_for(unit=assessment.unit, period=year, basis=Basis.APPROVED).total
            for score in assessment.scores.exclude(criterion__rule="").exclude(criterion__rule="khao_sat"):
                outcome = rules.evaluate(
                    rules.parse(score.criterion.rule),
                    figures=figures,
                    max_points=score.criterion.max_points,
                    year=2026,
                )
                self.assertEqual((score.auto_value, score.auto_score), (outcome.value, outcome.points))

    def test_the_public_pages_show_the_2025_ranking_with_flat_queries(self):
        client = Client()
        response = client.get(reverse("indices:public_rounds"))
        self.assertContains(response, reverse("indices:public_ranking", args=[self.round_2025.pk]))
        self.assertNotContains(response, reverse("indices:public_ranking", args=[self.round_2026.pk]))
        small = Round.objects.get(group__code="543", year=2023)
        # the round, bands, lĩnh vực, assessments with units, last year's published totals
        with self.assertNumQueries(5):
            client.get(reverse("indices:public_ranking", args=[small.pk]))
        # the same, and the successions and the predecessors' totals (compared with 2024)
        with self.assertNumQueries(7):
            response = client.get(reverse("indices:public_ranking", args=[self.round_2025.pk]))
        self.assertContains(response, "Phường Tam Quan")
        self.assertContains(response, "135/135")

    def test_the_pages_of_the_reviewer_and_of_tam_quan_show_the_2025_result(self):
        client = Client()
        client.force_login(User.objects.get(username="gialai.sonoivu"))
        # session, user, round, whether the user reviews it, bands, lĩnh vực, assessments with
        # units, last year's totals, the successions, the predecessors' totals, own communes
        with self.assertNumQueries(11):
            response = client.get(reverse("indices:ranking_page", args=[self.round_2025.pk]))
        self.assertContains(response, "không so sánh")
        self.assertContains(response, "có xã cũ chưa có kết quả năm 2024")
        client.force_login(User.objects.get(username="tamquan.canbo"))
        tam_quan = current("21637")
        response = client.get(reverse("indices:commune_results", args=[tam_quan.pk]))
        total = self.round_2025.assessments.get(unit=tam_quan).appraised_total
        self.assertContains(response, format_number(total, 2))
        self.assertContains(response, "chưa có kết quả Chỉ số CCHC năm 2024")
