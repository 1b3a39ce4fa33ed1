from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

from django.test import SimpleTestCase
from django.urls import reverse

from communes.models import Era, Kind, Level
from core.charts import bar_chart
from core.testing import PortalTestCase, make_unit, make_user
from indices.models import AssessmentStatus
from indices.testing import make_framework, make_round

from .test_selectors_rankings import appraise, extra_communes, publish

D = Decimal

NOT_PUBLISHED = {
    "officer": 404,
    "chairman": 404,
    "neighbour": 404,
    "reviewer": 200,
    "province_reviewer": 404,
    "new_officer": 404,
    "administrator": 200,
    "superuser": 200,
    "outsider": 404,
    "anonymous": 302,
}
# Once published, whoever reads one of the round's communes reads the ranking: the province
# reviewer and the new officer of 2025 read Hoài Châu as a predecessor of Phường Tam Quan.
PUBLISHED = {
    **NOT_PUBLISHED,
    "officer": 200,
    "chairman": 200,
    "neighbour": 200,
    "province_reviewer": 200,
    "new_officer": 200,
}


class RankingPageTest(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.superuser = make_user("root", is_superuser=True, is_staff=True)
        cls.framework = make_framework(cls.binh_dinh)
        last_year = make_round(cls.framework, cls.hoai_nhon, year=2022)
        appraise(last_year.assessments.get(unit=cls.hoai_chau), "11")
        appraise(last_year.assessments.get(unit=cls.hoai_chau_bac), "12.25")
        publish(last_year)
        cls.round = make_round(cls.framework, cls.hoai_nhon)
        appraise(cls.round.assessments.get(unit=cls.hoai_chau), "13.5")
        appraise(cls.round.assessments.get(unit=cls.hoai_chau_bac), "12.25")
        cls.url = reverse("indices:ranking_page", args=[cls.round.pk])

    def test_before_publication_only_the_reviewer_administrators_and_superusers_see_it(self):
        self.assert_access_matrix(self.url, NOT_PUBLISHED)

    def test_after_publication_the_communes_of_the_round_see_it(self):
        publish(self.round)
        self.assert_access_matrix(self.url, PUBLISHED)

    def test_the_exports_follow_the_same_rules(self):
        for fmt in ("csv", "xlsx", "json"):
            with self.subTest(fmt=fmt):
                url = reverse("indices:ranking_export", args=[self.round.pk, fmt])
                self.assert_access_matrix(url, NOT_PUBLISHED)
        publish(self.round)
        self.assert_access_matrix(reverse("indices:ranking_export", args=[self.round.pk, "csv"]), PUBLISHED)

    def test_an_unknown_export_format_is_404(self):
        self.login(self.reviewer)
        url = reverse("indices:ranking_export", args=[self.round.pk, "pdf"])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_it_shows_rank_total_band_change_and_field_points_in_vietnamese_format(self):
        self.login(self.reviewer)
        response = self.client.get(self.url)
        self.assertContains(response, "1/2")
        self.assertContains(response, "13,50")
        self.assertContains(response, "▲ 1 bậc")
        self.assertContains(response, "+2,50 điểm")
        self.assertContains(response, "▼ 1 bậc")
        self.assertContains(response, "±0,00 điểm")
        self.assertContains(response, "Khá")
        self.assertContains(response, 'title="Mất 6,50 trên 10,00 điểm"')  # field 2 of Hoài Châu: 3,5 of 10
        self.assertContains(response, "<svg", count=1)
        self.assertContains(response, "Chưa công bố")

    def test_a_commune_sees_its_own_place_in_a_summary_line(self):
        publish(self.round)
        self.login(self.officer)
        response = self.client.get(self.url)
        self.assertContains(response, "Xã Hoài Châu xếp thứ 1/2 với 13,50 điểm, xếp loại Khá.")
        self.assertContains(response, 'class="table-primary"', count=1)

    def test_it_sorts_by_total_ascending_on_request(self):
        self.login(self.reviewer)
        content = self.client.get(self.url, {"sap-xep": "diem-tang"}).content.decode()
        self.assertLess(content.index("12,25"), content.index("13,50"))
        content = self.client.get(self.url).content.decode()
        self.assertLess(content.index("13,50"), content.index("12,25"))

    def test_the_csv_download_reads_back(self):
        self.login(self.reviewer)
        response = self.client.get(reverse("indices:ranking_export", args=[self.round.pk, "csv"]))
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment;", response["Content-Disposition"])
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(rows[1][:7], ["1", "21649", "Xã Hoài Châu", "13.50", "Khá", "2.50", "1"])

    def test_the_json_download_reads_back(self):
        self.login(self.administrator)
        response = self.client.get(reverse("indices:ranking_export", args=[self.round.pk, "json"]))
        document = json.loads(response.content)
        self.assertEqual(document["rows"][1]["total"], "12.25")
        self.assertEqual(document["rows"][1]["rank_change"], -1)

    def test_the_query_count_does_not_grow_with_communes(self):
        group = make_unit(Era.LEGACY, Level.DISTRICT, Kind.HUYEN, "999", "Huyện Thử", self.binh_dinh)
        make_user("big_reviewer", (group, "reviewer"))
        small = make_round(self.framework, group, year=2024, communes=extra_communes(group, 2))
        big = make_round(self.framework, group, year=2023, communes=extra_communes(group, 15, start=20))
        for round_ in (small, big):
            for number, assessment in enumerate(round_.assessments.all()):
                appraise(assessment, str(4 + number % 15))
        self.client.force_login(self.superuser)
        for round_ in (small, big):
            url = reverse("indices:ranking_page", args=[round_.pk])
            # session, user, round, bands, lĩnh vực, assessments with units, last year's totals,
            # the user's own communes (navigation and highlighting), the bell's count (a superuser
            # holds no role, so it cannot ride in the memberships' query)
            with self.assertNumQueries(9):
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200)


def results_links(response) -> list[str]:
    """The links to communes' results pages on ``response``, in page order."""
    return re.findall(r'href="(/chi-so/xa/\d+/ket-qua/)"', response.content.decode())


class RankingLinksTest(PortalTestCase):
    """A ranking links a commune's name to its results page only where the reader may open it
    (issue 10): a commune reads its own results, not its neighbours'."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework = make_framework(cls.binh_dinh)
        cls.round = make_round(cls.framework, cls.hoai_nhon)
        appraise(cls.round.assessments.get(unit=cls.hoai_chau), "13.5")
        appraise(cls.round.assessments.get(unit=cls.hoai_chau_bac), "12.25")
        publish(cls.round)
        cls.url = reverse("indices:ranking_page", args=[cls.round.pk])
        cls.own = reverse("indices:commune_results", args=[cls.hoai_chau.pk])
        cls.neighbours = reverse("indices:commune_results", args=[cls.hoai_chau_bac.pk])

    def assert_links_open(self, links: list[str]) -> None:
        for link in links:
            with self.subTest(link=link):
                self.assertEqual(self.client.get(link).status_code, 200)

    def test_a_commune_officer_sees_a_link_to_its_own_results_only(self):
        self.login(self.officer)
        response = self.client.get(self.url)
        self.assertEqual(results_links(response), [self.own])
        self.assertContains(response, '<th scope="row">Xã Hoài Châu Bắc</th>', html=False)
        self.assert_links_open(results_links(response))

    def test_a_2025_commune_sees_a_link_to_its_predecessors_results(self):
        self.login(self.new_officer)
        response = self.client.get(self.url)
        self.assertEqual(results_links(response), [self.own])
        self.assert_links_open(results_links(response))

    def test_the_reviewer_sees_a_link_to_every_commune(self):
        for persona in ("reviewer", "administrator"):
            with self.subTest(persona=persona):
                self.login(getattr(self, persona))
                links = results_links(self.client.get(self.url))
                self.assertEqual(sorted(links), sorted([self.own, self.neighbours]))
                self.assert_links_open(links)

    def test_sorted_by_name_the_links_stay_on_their_rows(self):
        self.login(self.neighbour)
        response = self.client.get(self.url, {"sap-xep": "ten"})
        self.assertEqual(results_links(response), [self.neighbours])
        self.assertContains(response, f'<a href="{self.neighbours}">Xã Hoài Châu Bắc</a>', html=False)

    def test_the_links_cost_no_query(self):
        group = make_unit(Era.LEGACY, Level.DISTRICT, Kind.HUYEN, "999", "Huyện Thử", self.binh_dinh)
        communes = extra_communes(group, 15, start=20)
        officer = make_user("officer_thu", (communes[0], "officer"))
        big = make_round(self.framework, group, year=2023, communes=communes)
        for number, assessment in enumerate(big.assessments.all()):
            appraise(assessment, str(4 + number % 15))
        publish(big)
        self.login(officer)
        # session, user, round (and its readability), whether the officer sees it unpublished
        # (review; administration), bands, lĩnh vực, assessments with their units and whether
        # the officer may open each one's results, last year's totals, the officer's communes
        with self.assertNumQueries(10):
            response = self.client.get(reverse("indices:ranking_page", args=[big.pk]))
        self.assertEqual(results_links(response), [reverse("indices:commune_results", args=[communes[0].pk])])


class CommuneResultsTest(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework = make_framework(cls.binh_dinh)
        cls.url = reverse("indices:commune_results", args=[cls.hoai_chau.pk])

    def test_whoever_reads_the_commune_reads_its_results(self):
        self.assert_access_matrix(
            self.url,
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

    def test_a_district_has_no_results_page(self):
        self.login(self.reviewer)
        response = self.client.get(reverse("indices:commune_results", args=[self.hoai_nhon.pk]))
        self.assertEqual(response.status_code, 404)

    def test_nothing_shows_before_the_appraisal_the_total_before_publication_the_rank_after(self):
        round_ = make_round(self.framework, self.hoai_nhon)
        mine = round_.assessments.get(unit=self.hoai_chau)
        appraise(mine, "17.25", status=AssessmentStatus.APPRAISING)
        appraise(round_.assessments.get(unit=self.hoai_chau_bac), "18")
        self.login(self.officer)
        self.assertNotContains(self.client.get(self.url), "17,25")
        appraise(mine, "17.25")
        response = self.client.get(self.url)
        self.assertContains(response, "17,25")
        self.assertNotContains(response, "2/2")
        publish(round_)
        self.assertContains(self.client.get(self.url), "2/2")

    def test_it_lists_the_weakest_criteria_and_draws_the_history(self):
        appraise(
            make_round(self.framework, self.hoai_nhon, year=2022).assessments.get(unit=self.hoai_chau), "11"
        )
        appraise(make_round(self.framework, self.hoai_nhon).assessments.get(unit=self.hoai_chau), "12.5")
        self.login(self.officer)
        response = self.client.get(self.url)
        self.assertContains(response, "Các tiêu chí mất nhiều điểm nhất năm 2023")
        self.assertContains(response, "Khảo sát sự hài lòng")
        self.assertContains(response, "<svg", count=1)

    def test_a_2025_commune_sees_its_predecessors_years(self):
        appraise(make_round(self.framework, self.hoai_nhon).assessments.get(unit=self.hoai_chau), "12.5")
        self.login(self.new_officer)
        response = self.client.get(reverse("indices:commune_results", args=[self.tam_quan.pk]))
        self.assertContains(response, "12,50")
        self.assertContains(response, "(Xã Hoài Châu)")

    def test_the_query_count_does_not_grow_with_years(self):
        self.login(self.officer)
        for year in (2022, 2023):
            appraise(
                make_round(self.framework, self.hoai_nhon, year=year).assessments.get(unit=self.hoai_chau),
                "12",
            )
            # session, user, unit, its predecessors, assessments, bands, published rounds' totals
            # (none here), scores of the appraised assessments, navigation
            with self.assertNumQueries(8):
                self.client.get(self.url)


class BarChartTest(SimpleTestCase):
    def test_it_draws_one_bar_per_value_scaled_to_the_axis_with_vietnamese_numbers(self):
        svg = bar_chart(labels=["Xã A", "Xã <B>"], values=[D("84.16"), None], axis_max=100, title="Tổng điểm")
        self.assertEqual(svg.count("<rect"), 1)
        self.assertIn("84,16", svg)
        self.assertIn("Xã &lt;B&gt;", svg)
        self.assertIn(">–</text>", svg)
        self.assertNotIn("style=", svg)
