"""Points typed by a commune (its self score) within range, however large or small the number typed
(issue 10, item 3): refused with a message, never a crash formatting it, never rounded to 0."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError

from indices.forms import parse_points
from indices.tests.test_services_assessment import SelfAssessmentServiceTestCase


class SelfScoreRangeTests(SelfAssessmentServiceTestCase):
    def test_a_huge_or_tiny_self_score_is_refused_with_a_message(self):
        for typed in ("9E+99", "1e40", "99999999999999999999", "1e-9999999", "0,001"):
            with self.subTest(typed=typed):
                with self.assertRaises(ValidationError) as caught:
                    self.save("2.1", typed)
                self.assertIn(f"“{typed}”", " ".join(caught.exception.messages))
                self.assertIsNone(self.score("2.1").self_score)

    def test_points_within_reach_still_read(self):
        self.assertEqual(parse_points("1,75"), Decimal("1.75"))
        self.assertEqual(parse_points("100"), Decimal(100))
        self.assertEqual(parse_points("2.50"), Decimal("2.50"))
