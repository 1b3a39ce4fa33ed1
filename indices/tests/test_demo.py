from decimal import Decimal

from django.core.management import call_command
from django.test import TestCase

from communes.models import AdministrativeUnit, Era
from indices import scoring
from indices.models import Assessment, AssessmentStatus, Round, Score


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
