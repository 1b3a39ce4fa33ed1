from __future__ import annotations

from django.urls import reverse

from core.testing import PortalTestCase
from indices.models import Score
from indices.testing import make_framework, make_round

from .test_selectors_rankings import appraise, extra_communes, publish

EVERYONE = ("officer", "neighbour", "reviewer", "province_reviewer", "administrator", "outsider", "anonymous")


class PublicPagesTest(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        framework = make_framework(cls.binh_dinh, name="Bộ chỉ số Bình Định")
        cls.published = make_round(framework, cls.hoai_nhon)
        appraise(cls.published.assessments.get(unit=cls.hoai_chau), "16.25")
        appraise(cls.published.assessments.get(unit=cls.hoai_chau_bac), "12.75")
        Score.objects.filter(assessment__round=cls.published).update(
            reviewer_comment="Nhận xét nội bộ của người thẩm định", self_score=3
        )
        publish(cls.published)
        # Another group's round, appraised but not published: none of it may ever show.
        cls.secret_communes = extra_communes(cls.tuy_phuoc, 2, start=70)
        cls.unpublished = make_round(framework, cls.tuy_phuoc, communes=cls.secret_communes)
        appraise(cls.unpublished.assessments.get(unit=cls.secret_communes[0]), "17.75")
        appraise(cls.unpublished.assessments.get(unit=cls.secret_communes[1]), "8.5")

    def test_anyone_reads_the_list_of_published_rounds(self):
        url = reverse("indices:public_rounds")
        self.assert_access_matrix(url, dict.fromkeys(EVERYONE, 200))
        response = self.client.get(url)
        self.assertContains(response, "Thị xã Hoài Nhơn")
        self.assertNotContains(response, "Huyện Tuy Phước")

    def test_anyone_reads_a_published_ranking(self):
        self.assert_access_matrix(
            reverse("indices:public_ranking", args=[self.published.pk]), dict.fromkeys(EVERYONE, 200)
        )

    def test_an_unpublished_round_is_404_for_everyone_even_its_reviewer(self):
        url = reverse("indices:public_ranking", args=[self.unpublished.pk])
        self.assert_access_matrix(url, dict.fromkeys(EVERYONE, 404))

    def test_the_public_ranking_shows_rank_commune_total_and_band_and_nothing_else(self):
        response = self.client.get(reverse("indices:public_ranking", args=[self.published.pk]))
        self.assertContains(response, "1/2")
        self.assertContains(response, "Xã Hoài Châu")
        self.assertContains(response, "16,25")
        self.assertContains(response, "Tốt")
        self.assertNotContains(response, "Nhận xét nội bộ")
        self.assertNotContains(response, "Kế hoạch CCHC")  # no criterion, no score detail
        self.assertNotContains(response, "/chi-so/xa/")  # no link into the portal's pages

    def test_unpublished_names_and_totals_never_appear_in_any_public_page(self):
        pages = [
            reverse("indices:public_rounds"),
            reverse("indices:public_ranking", args=[self.published.pk]),
            reverse("indices:public_ranking", args=[self.unpublished.pk]),
        ]
        for url in pages:
            content = self.client.get(url).content
            for secret in ("Xã Thử 70", "Xã Thử 71", "17,75", "17.75", "8,50", "8.5"):
                with self.subTest(url=url, secret=secret):
                    self.assertNotIn(secret.encode(), content)

    def test_the_public_pages_use_a_fixed_number_of_queries(self):
        big = make_round(
            self.published.framework, self.hoai_nhon, year=2022, communes=extra_communes(self.hoai_nhon, 14)
        )
        for number, assessment in enumerate(big.assessments.all()):
            appraise(assessment, str(3 + number))
        publish(big)
        for round_ in (self.published, big):
            url = reverse("indices:public_ranking", args=[round_.pk])
            # the round, bands, lĩnh vực, assessments with units, last year's published totals
            with self.assertNumQueries(5):
                self.assertContains(self.client.get(url), "1/")
        # the published rounds with framework and group
        with self.assertNumQueries(1):
            self.client.get(reverse("indices:public_rounds"))
