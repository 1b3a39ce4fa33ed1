from __future__ import annotations

from decimal import Decimal

from django.test import SimpleTestCase

from dossiers.figures import Figures
from indices import rules

D = Decimal


class ParseTest(SimpleTestCase):
    def test_it_reads_a_rule_with_its_threshold(self):
        rule = rules.parse("ty_le_truc_tuyen(nguong=80)")
        self.assertEqual(rule.name, "ty_le_truc_tuyen")
        self.assertEqual(rule.params, {"nguong": D(80)})
        self.assertEqual(rule.text, "ty_le_truc_tuyen(nguong=80)")

    def test_a_decimal_comma_is_read(self):
        self.assertEqual(rules.parse("ty_le_dung_han(nguong=97,5)").params["nguong"], D("97.5"))

    def test_empty_is_no_rule(self):
        self.assertIsNone(rules.parse("  "))

    def test_bad_rules_are_refused_with_a_message_that_says_why(self):
        cases = {
            "ty_le_bay(nguong=80)": "Không hiểu cách tính",
            "ty_le_truc_tuyen": "cần tham số nguong",
            "ty_le_truc_tuyen(muc=80)": "không có tham số “muc”",
            "ty_le_truc_tuyen(nguong=abc)": "phải là một số",
            "ty_le_truc_tuyen(nguong=120)": "không quá 100",
        }
        for text, message in cases.items():
            with self.subTest(text=text), self.assertRaisesMessage(rules.RuleError, message):
                rules.parse(text)


class EvaluateTest(SimpleTestCase):
    def test_full_points_at_or_above_the_threshold(self):
        figures = Figures(received_online=1184, received_in_person=108)
        outcome = rules.evaluate(
            rules.parse("ty_le_truc_tuyen(nguong=80)"), figures=figures, max_points=D(3), year=2023
        )
        self.assertEqual(outcome.value, D("91.64"))
        self.assertEqual(outcome.points, D(3))
        self.assertEqual(outcome.data["numerator"], 1184)
        self.assertEqual(outcome.data["denominator"], 1292)

    def test_proportional_below_the_threshold(self):
        figures = Figures(received_online=40, received_in_person=60)
        outcome = rules.evaluate(
            rules.parse("ty_le_truc_tuyen(nguong=80)"), figures=figures, max_points=D(3), year=2023
        )
        self.assertEqual(outcome.value, D("40.00"))
        self.assertEqual(outcome.points, D("1.50"))

    def test_no_base_gives_no_value_and_no_points(self):
        outcome = rules.evaluate(
            rules.parse("ty_le_dung_han(nguong=95)"), figures=Figures(), max_points=D(2), year=2023
        )
        self.assertIsNone(outcome.value)
        self.assertEqual(outcome.points, D(0))

    def test_every_late_dossier_needs_an_apology(self):
        rule = rules.parse("xin_loi_tre_han")
        full = rules.evaluate(
            rule, figures=Figures(resolved_late=1, apology_letters=1), max_points=D(1), year=2023
        )
        none = rules.evaluate(
            rule, figures=Figures(resolved_late=2, apology_letters=1), max_points=D(1), year=2023
        )
        nothing_late = rules.evaluate(rule, figures=Figures(), max_points=D(1), year=2023)
        self.assertEqual((full.points, none.points, nothing_late.points), (D(1), D(0), D(1)))
