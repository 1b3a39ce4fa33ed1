from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from communes.models import Era, Kind, Level
from core.testing import PortalTestCase, make_unit
from indices.models import Assessment, AssessmentStatus, Criterion
from indices.selectors.rankings import commune_index_summary, ranking
from indices.services.rounds import assessment_recompute
from indices.testing import make_framework, make_round

D = Decimal

# The leaves of indices.testing's framework, in the order ``appraise`` fills them.
LEAVES = ("1.1", "1.2.1", "1.2.2", "2.1", "2.2")


def appraise(assessment: Assessment, total: str, *, status: str = AssessmentStatus.APPRAISED) -> Assessment:
    """Give ``assessment`` appraised leaf scores adding up to ``total`` (filling the leaves in
    order, each to its max), the status, and recompute its stored totals."""
    left = D(total)
    criteria = {c.code: c for c in Criterion.objects.filter(framework=assessment.round.framework_id)}
    for score in assessment.scores.select_related("criterion"):
        given = min(left, score.criterion.max_points) if score.criterion.code in LEAVES else D(0)
        score.appraised_score = given
        left -= given
        score.save(update_fields=["appraised_score"])
    assert left == 0, f"{total} is more than the framework's {sum(c.max_points for c in criteria.values())}"
    assessment.status = status
    assessment.save(update_fields=["status"])
    assessment_recompute(assessment=assessment)
    assessment.refresh_from_db()
    return assessment


def extra_communes(parent, count: int, *, start: int = 0) -> list:
    return [
        make_unit(Era.LEGACY, Level.COMMUNE, Kind.XA, f"9{start + i:04d}", f"Xã Thử {start + i:02d}", parent)
        for i in range(count)
    ]


def publish(round_) -> None:
    round_.published_at = timezone.now()
    round_.save(update_fields=["published_at"])


class RankingTest(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework = make_framework(cls.binh_dinh)
        cls.more = extra_communes(cls.hoai_nhon, 2)

    def assessment(self, round_, unit) -> Assessment:
        return round_.assessments.get(unit=unit)

    def test_equal_totals_share_a_rank_and_the_next_rank_skips(self):
        round_ = make_round(self.framework, self.hoai_nhon)
        appraise(self.assessment(round_, self.hoai_chau), "17")
        appraise(self.assessment(round_, self.hoai_chau_bac), "15.5")
        appraise(self.assessment(round_, self.more[0]), "15.5")
        appraise(self.assessment(round_, self.more[1]), "9")
        rows = ranking(round_).rows
        self.assertEqual(
            [(r.unit.name, r.rank, r.total) for r in rows],
            [
                ("Xã Hoài Châu", 1, D("17.00")),
                ("Xã Hoài Châu Bắc", 2, D("15.50")),
                ("Xã Thử 00", 2, D("15.50")),
                ("Xã Thử 01", 4, D("9.00")),
            ],
        )
        self.assertEqual(ranking(round_).group_size, 4)

    def test_each_total_gets_the_band_it_falls_in_lower_bounds_inclusive(self):
        round_ = make_round(self.framework, self.hoai_nhon)
        appraise(self.assessment(round_, self.hoai_chau), "16")
        appraise(self.assessment(round_, self.hoai_chau_bac), "15.75")
        appraise(self.assessment(round_, self.more[0]), "10")
        appraise(self.assessment(round_, self.more[1]), "9.75")
        bands = [r.band.label for r in ranking(round_).rows]
        self.assertEqual(bands, ["Tốt", "Khá", "Khá", "Trung bình"])

    def test_communes_not_yet_appraised_come_last_without_a_rank(self):
        round_ = make_round(self.framework, self.hoai_nhon)
        appraise(self.assessment(round_, self.hoai_chau_bac), "12")
        appraise(self.assessment(round_, self.hoai_chau), "18", status=AssessmentStatus.APPRAISING)
        rows = ranking(round_).rows
        self.assertEqual(rows[0].unit, self.hoai_chau_bac)
        self.assertEqual(rows[0].rank, 1)
        self.assertEqual([r.rank for r in rows[1:]], [None, None, None])
        self.assertEqual([r.total for r in rows[1:]], [None, None, None])
        self.assertEqual(ranking(round_).group_size, 1)

    def test_field_points_and_points_lost_come_from_the_stored_field_points(self):
        round_ = make_round(self.framework, self.hoai_nhon)
        appraise(self.assessment(round_, self.hoai_chau), "12.5")  # 1: 4 + 3 + 3 = 10; 2: 2,5
        row = ranking(round_).rows[0]
        self.assertEqual(
            [(f.code, f.points, f.lost) for f in row.fields],
            [("1", D("10.00"), D("0.00")), ("2", D("2.50"), D("7.50"))],
        )

    def test_the_change_is_against_last_years_round_of_the_same_group_with_any_framework(self):
        older = make_framework(self.binh_dinh, name="Bộ chỉ số cũ", years=(2022, 2022))
        last_year = make_round(older, self.hoai_nhon, year=2022)
        appraise(self.assessment(last_year, self.hoai_chau), "11")  # 3rd
        appraise(self.assessment(last_year, self.hoai_chau_bac), "18")  # 1st
        appraise(self.assessment(last_year, self.more[0]), "14")  # 2nd
        this_year = make_round(self.framework, self.hoai_nhon)
        appraise(self.assessment(this_year, self.hoai_chau), "19.25")  # 1st
        appraise(self.assessment(this_year, self.hoai_chau_bac), "15")  # 2nd
        appraise(self.assessment(this_year, self.more[1]), "10")  # none last year
        rows = {r.unit: r for r in ranking(this_year).rows}
        self.assertEqual(
            (rows[self.hoai_chau].points_change, rows[self.hoai_chau].rank_change), (D("8.25"), 2)
        )
        self.assertEqual(
            (rows[self.hoai_chau_bac].points_change, rows[self.hoai_chau_bac].rank_change), (D("-3.00"), -1)
        )
        self.assertIsNone(rows[self.more[1]].points_change)
        self.assertIsNone(rows[self.more[1]].rank_change)

    def test_a_public_ranking_compares_only_with_a_published_round(self):
        last_year = make_round(self.framework, self.hoai_nhon, year=2022)
        appraise(self.assessment(last_year, self.hoai_chau), "11")
        this_year = make_round(self.framework, self.hoai_nhon)
        appraise(self.assessment(this_year, self.hoai_chau), "12")
        self.assertIsNone(ranking(this_year, public=True).rows[0].rank_change)
        self.assertEqual(ranking(this_year).rows[0].rank_change, 0)
        publish(last_year)
        self.assertEqual(ranking(this_year, public=True).rows[0].points_change, D("1.00"))

    def test_the_query_count_does_not_grow_with_communes(self):
        small = make_round(self.framework, self.hoai_nhon, communes=[self.hoai_chau, self.hoai_chau_bac])
        for assessment in small.assessments.all():
            appraise(assessment, "12")
        big_group = make_unit(Era.LEGACY, Level.DISTRICT, Kind.HUYEN, "999", "Huyện Thử", self.binh_dinh)
        big = make_round(self.framework, big_group, communes=extra_communes(big_group, 12, start=50))
        for number, assessment in enumerate(big.assessments.all()):
            appraise(assessment, str(5 + number))
        for round_ in (small, big):
            round_ = type(round_).objects.select_related("framework", "group").get(pk=round_.pk)
            # bands, lĩnh vực, the round's assessments with their units, last year's totals
            with self.assertNumQueries(4):
                result = ranking(round_)
            self.assertTrue(all(row.rank for row in result.rows))


class CommuneIndexSummaryTest(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework = make_framework(cls.binh_dinh)
        cls.round = make_round(cls.framework, cls.hoai_nhon)

    def test_nothing_is_shown_before_the_appraisal(self):
        summary = commune_index_summary(self.hoai_chau, 2023)
        self.assertIsNotNone(summary)
        self.assertEqual((summary.total, summary.band, summary.rank, summary.weakest), (None, "", None, []))

    def test_the_appraised_total_and_band_show_before_publication_without_a_rank(self):
        appraise(self.round.assessments.get(unit=self.hoai_chau), "16.5")
        appraise(self.round.assessments.get(unit=self.hoai_chau_bac), "17")
        summary = commune_index_summary(self.hoai_chau, 2023)
        self.assertEqual(
            (summary.total, summary.band, summary.rank, summary.group_size), (D("16.50"), "Tốt", None, None)
        )

    def test_the_rank_shows_once_published(self):
        appraise(self.round.assessments.get(unit=self.hoai_chau), "16.5")
        appraise(self.round.assessments.get(unit=self.hoai_chau_bac), "17")
        publish(self.round)
        summary = commune_index_summary(self.hoai_chau, 2023)
        self.assertEqual((summary.rank, summary.group_size), (2, 2))

    def test_the_weakest_criteria_are_the_leaves_that_lost_most_points(self):
        appraise(self.round.assessments.get(unit=self.hoai_chau), "12.5")  # 2.1 gets 2,5 of 5, 2.2 none
        weakest = commune_index_summary(self.hoai_chau, 2023).weakest
        self.assertEqual([(w.code, w.lost) for w in weakest], [("2.2", D("5.00")), ("2.1", D("2.50"))])

    def test_a_year_without_an_assessment_has_no_summary(self):
        self.assertIsNone(commune_index_summary(self.hoai_chau, 2019))
