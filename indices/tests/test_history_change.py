"""The change in the index against last year across the 2025 reform: a 2025 commune's first
year (its 2025 round) against its predecessors' 2024 results, where that means something, and the
reason where it does not (a split predecessor, a predecessor not scored, another scale)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import time_machine
from django.test import SimpleTestCase
from django.urls import reverse

from communes.models import Era, Kind, Level, UnitSuccession
from core.testing import PortalTestCase, make_unit
from indices.selectors.rankings import HistoryChange, history_change, predecessor_changes, ranking
from indices.testing import make_framework, make_round

from .test_selectors_rankings import appraise, publish

D = Decimal
DAYS = (
    datetime.datetime(2024, 11, 20, 9, tzinfo=datetime.UTC),
    datetime.datetime(2025, 7, 15, 9, tzinfo=datetime.UTC),
    datetime.datetime(2026, 12, 3, 9, tzinfo=datetime.UTC),
)


class HistoryChangeArithmeticTest(SimpleTestCase):
    def test_the_baseline_is_the_predecessors_mean_to_two_places(self):
        change = history_change(
            total=D("11"),
            scale=D(20),
            year=2025,
            predecessors=[("Xã A", 1, (D("12.25"), D(20))), ("Xã B", 1, (D("10"), D(20)))],
        )
        self.assertEqual(change.reason, HistoryChange.COMPARED)
        self.assertEqual(change.baseline, D("11.13"))  # 11,125 rounded half up
        self.assertEqual(change.points, D("-0.13"))
        self.assertIn("trung bình cộng điểm năm 2024 của 2 xã cũ", change.note)
        self.assertIn("Xã A 12,25; Xã B 10,00", change.note)

    def test_a_split_predecessor_wins_over_every_other_reason(self):
        change = history_change(
            total=D("11"), scale=D(20), year=2025, predecessors=[("Xã A", 2, None), ("Xã B", 1, None)]
        )
        self.assertIsNone(change.points)
        self.assertEqual(change.reason, HistoryChange.SPLIT)
        self.assertIn("Xã A được chia cho nhiều xã, phường mới", change.note)


class PredecessorChangeTest(PortalTestCase):
    """Gia Lai 2025 (the test framework, 20 points) against Hoài Nhơn and Tuy Phước 2024:

    - Phường Tam Quan ← Xã Hoài Châu (13,5), whole;
    - Phường Hoài Nhơn Bắc ← Xã Hoài Châu Bắc (12,25) and Xã Hoài Sơn (10), both whole;
    - Xã Tuy Phước Bắc and Xã Tuy Phước Đông ← Xã Phước Hưng (15), split between them;
    - Phường Bồng Sơn ← Xã Hoài Đức, never scored.
    """

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.hoai_son = make_unit(Era.LEGACY, Level.COMMUNE, Kind.XA, "21643", "Xã Hoài Sơn", cls.hoai_nhon)
        cls.hoai_duc = make_unit(Era.LEGACY, Level.COMMUNE, Kind.XA, "21685", "Xã Hoài Đức", cls.tuy_phuoc)

        def new(code, name, *predecessors):
            unit = make_unit(Era.CURRENT, Level.COMMUNE, Kind.PHUONG, code, name, cls.gia_lai)
            for predecessor in predecessors:
                UnitSuccession.objects.create(predecessor=predecessor, successor=unit)
            return unit

        cls.hoai_nhon_bac = new("21655", "Phường Hoài Nhơn Bắc", cls.hoai_chau_bac, cls.hoai_son)
        cls.tuy_phuoc_bac = new("21700", "Xã Tuy Phước Bắc", cls.phuoc_hung)
        cls.tuy_phuoc_dong = new("21701", "Xã Tuy Phước Đông", cls.phuoc_hung)
        cls.bong_son = new("21640", "Phường Bồng Sơn", cls.hoai_duc)

        old = make_framework(cls.binh_dinh, years=(2022, 2024))
        cls.old_round = make_round(old, cls.hoai_nhon, year=2024)
        for unit, total in ((cls.hoai_chau, "13.5"), (cls.hoai_chau_bac, "12.25"), (cls.hoai_son, "10")):
            appraise(cls.old_round.assessments.get(unit=unit), total)
        publish(cls.old_round)
        tuy_phuoc = make_round(old, cls.tuy_phuoc, year=2024)
        appraise(tuy_phuoc.assessments.get(unit=cls.phuoc_hung), "15")
        publish(tuy_phuoc)

        cls.framework = make_framework(
            cls.gia_lai, name="Bộ chỉ số Gia Lai", years=(2025, 2026), group_level=Level.PROVINCE
        )
        cls.round = make_round(cls.framework, cls.gia_lai, year=2025)
        cls.totals = {
            cls.tam_quan: "16",
            cls.hoai_nhon_bac: "11",
            cls.tuy_phuoc_bac: "14",
            cls.tuy_phuoc_dong: "12",
            cls.bong_son: "9",
        }
        for unit, total in cls.totals.items():
            appraise(cls.round.assessments.get(unit=unit), total)
        publish(cls.round)

    def rows(self, **kwargs):
        return {row.unit.pk: row for row in ranking(self.round, **kwargs).rows}

    def test_a_commune_from_one_whole_predecessor_is_compared_with_it(self):
        row = self.rows()[self.tam_quan.pk]
        self.assertEqual(row.history.points, D("2.5"))
        self.assertEqual(row.history.baseline, D("13.5"))
        self.assertIn("Xã Hoài Châu 13,50", row.history.note)
        # Not the same commune last year: no rank change, and the plain change stays empty.
        self.assertIsNone(row.points_change)
        self.assertIsNone(row.rank_change)

    def test_a_commune_from_several_whole_predecessors_is_compared_with_their_mean(self):
        history = self.rows()[self.hoai_nhon_bac.pk].history
        self.assertEqual(history.reason, HistoryChange.COMPARED)
        self.assertEqual((history.baseline, history.points), (D("11.13"), D("-0.13")))

    def test_a_split_predecessor_is_never_attributed_to_one_successor(self):
        rows = self.rows()
        for unit in (self.tuy_phuoc_bac, self.tuy_phuoc_dong):
            history = rows[unit.pk].history
            self.assertIsNone(history.points)
            self.assertEqual(history.reason, HistoryChange.SPLIT)
            self.assertIn("Xã Phước Hưng được chia cho nhiều xã, phường mới", history.note)
            self.assertIsNone(history.baseline)

    def test_a_predecessor_not_scored_says_so(self):
        history = self.rows()[self.bong_son.pk].history
        self.assertEqual(history.reason, HistoryChange.NOT_SCORED)
        self.assertIn("Xã Hoài Đức chưa có kết quả Chỉ số CCHC năm 2024", history.note)

    def test_the_public_reads_only_published_results_of_the_predecessors(self):
        self.old_round.published_at = None
        self.old_round.save(update_fields=["published_at"])
        self.assertEqual(self.rows(public=True)[self.tam_quan.pk].history.reason, HistoryChange.NOT_SCORED)
        self.assertEqual(self.rows(public=False)[self.tam_quan.pk].history.reason, HistoryChange.COMPARED)

    def test_a_framework_on_another_scale_is_not_compared(self):
        changes = predecessor_changes(
            framework=type("F", (), {"rescale_to_100": True, "total_points": D(20)})(),
            year=2025,
            totals={self.tam_quan.pk: D("80")},
            public=False,
        )
        self.assertEqual(changes[self.tam_quan.pk].reason, HistoryChange.OTHER_SCALE)
        self.assertIn("thang 20 điểm, khác thang 100 điểm", changes[self.tam_quan.pk].note)

    def test_a_legacy_round_is_not_compared_with_predecessors(self):
        rows = {row.unit.pk: row for row in ranking(self.old_round).rows}
        self.assertTrue(all(row.history is None for row in rows.values()))

    def test_the_ranking_page_labels_it_on_any_day_with_flat_queries(self):
        self.login(self.province_reviewer)
        url = reverse("indices:ranking_page", args=[self.round.pk])
        for day in DAYS:
            with self.subTest(day=day.date()), time_machine.travel(day, tick=False):
                response = self.client.get(url)
                self.assertContains(response, "+2,50 điểm")
                self.assertContains(response, "so với các xã cũ")
                self.assertContains(response, "không so sánh")
                self.assertContains(response, "2 xã so sánh được")
                self.assertContains(response, "có xã cũ bị chia cho nhiều xã mới")
        # session, user, round, whether the reviewer reviews it, bands, lĩnh vực, assessments with
        # units, last year's totals in the group, the successions, the predecessors' totals, the
        # reviewer's own communes
        with self.assertNumQueries(11):
            self.client.get(url)
        more = [
            make_unit(Era.CURRENT, Level.COMMUNE, Kind.XA, f"3{i:04d}", f"Xã Mới {i:02d}", self.gia_lai)
            for i in range(20)
        ]
        for unit in more:
            UnitSuccession.objects.create(predecessor=self.hoai_son, successor=unit)
        make_round(self.framework, self.gia_lai, year=2025, communes=more)
        for assessment in self.round.assessments.filter(unit__in=more):
            appraise(assessment, "10")
        with self.assertNumQueries(11):
            response = self.client.get(url)
        self.assertContains(response, "Xã Mới 19")

    def test_the_communes_results_page_says_how_it_compares(self):
        self.login(self.new_officer)
        response = self.client.get(reverse("indices:commune_results", args=[self.tam_quan.pk]))
        self.assertContains(response, "+2,50 điểm so với các xã cũ")
        self.assertContains(response, "So với điểm năm 2024 của xã cũ (Xã Hoài Châu 13,50)")
