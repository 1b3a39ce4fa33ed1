from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from django.test import SimpleTestCase

from indices import scoring

D = Decimal


def node(pk, parent, max_points):
    return SimpleNamespace(pk=pk, parent_id=parent, max_points=D(max_points))


TREE = [node(1, None, "10"), node(2, 1, "4"), node(3, 1, "6"), node(4, None, "10"), node(5, 4, "10")]


class TreePointsTest(SimpleTestCase):
    def test_a_parent_is_the_sum_of_its_children(self):
        points = scoring.tree_points(TREE, {2: D("3.5"), 3: D("5"), 5: D("7.25")})
        self.assertEqual(points[1], D("8.5"))
        self.assertEqual(points[4], D("7.25"))

    def test_each_node_is_capped_at_its_max_and_at_zero(self):
        points = scoring.tree_points(TREE, {2: D("9"), 3: D("6"), 5: D("-2")})
        self.assertEqual(points[2], D("4"))
        self.assertEqual(points[1], D("10"))
        self.assertEqual(points[5], D("0"))

    def test_a_missing_leaf_counts_zero(self):
        self.assertEqual(scoring.tree_points(TREE, {2: D("1")})[1], D("1"))

    def test_leaves_are_the_nodes_without_children(self):
        self.assertEqual([c.pk for c in scoring.leaves_of(TREE)], [2, 3, 5])


class TotalTest(SimpleTestCase):
    def framework(self, rescale=False, total="20"):
        return SimpleNamespace(total_points=D(total), rescale_to_100=rescale)

    def test_the_total_adds_bonus_and_penalty(self):
        points = scoring.tree_points(TREE, {2: D("4"), 3: D("6"), 5: D("5")})
        total = scoring.total(
            framework=self.framework(), criteria=TREE, points=points, adjustments=[D("1"), D("-0.5")]
        )
        self.assertEqual(total.tree, D("15"))
        self.assertEqual(total.final, D("15.50"))

    def test_rescaling_to_100_leaves_out_what_was_not_assessed(self):
        points = scoring.tree_points(TREE, {2: D("4"), 3: D("6"), 5: D("5")})
        total = scoring.total(
            framework=self.framework(rescale=True), criteria=TREE, points=points, inapplicable_max=D("4")
        )
        # 15 points out of the 16 that were assessed
        self.assertEqual(total.final, D("93.75"))

    def test_the_total_is_never_below_zero(self):
        total = scoring.total(framework=self.framework(), criteria=TREE, points={}, adjustments=[D("-3")])
        self.assertEqual(total.final, D("0.00"))


class RanksTest(SimpleTestCase):
    def test_equal_totals_share_a_rank_and_the_next_rank_skips(self):
        ranks = scoring.competition_ranks([D("90"), D("85.5"), D("85.5"), D("70"), None])
        self.assertEqual(ranks, [1, 2, 2, 4, None])

    def test_input_order_is_kept(self):
        self.assertEqual(scoring.competition_ranks([D("1"), D("3"), D("2")]), [3, 1, 2])

    def test_on_step(self):
        self.assertTrue(scoring.on_step(D("1.75"), D("0.25")))
        self.assertFalse(scoring.on_step(D("1.8"), D("0.25")))
