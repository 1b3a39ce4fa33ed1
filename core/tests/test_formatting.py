from decimal import Decimal

from django.template import Context, Template
from django.test import SimpleTestCase
from django.utils import translation

from core.formatting import format_number, format_percent
from core.text import fold


class VietnameseNumberTests(SimpleTestCase):
    def test_it_groups_thousands_with_a_dot(self):
        self.assertEqual(format_number(1292), "1.292")
        self.assertEqual(format_number(10035), "10.035")
        self.assertEqual(format_number(1234567), "1.234.567")

    def test_it_writes_decimals_with_a_comma(self):
        self.assertEqual(format_number(84.16, 2), "84,16")
        self.assertEqual(format_number(Decimal("85.65"), 2), "85,65")

    def test_it_rounds_half_up_as_people_do(self):
        self.assertEqual(format_number(Decimal("0.125"), 2), "0,13")
        self.assertEqual(format_number(2.5), "3")

    def test_the_seeds_rates_come_out_as_published(self):
        # Seed 000: 1.184 of 1.292 dossiers online.
        self.assertEqual(format_percent(1184, 1292), "91,64%")
        # Seed 004: 17 of 19 officials hold IT certificates.
        self.assertEqual(format_percent(17, 19), "89,47%")
        # Seed 002: 17 of 25 plan tasks.
        self.assertEqual(format_percent(17, 25, 0), "68%")

    def test_a_rate_without_denominator_is_empty_not_zero(self):
        self.assertEqual(format_percent(0, 0), "")

    def test_none_is_empty(self):
        self.assertEqual(format_number(None), "")

    def test_the_template_filter_formats_in_vietnamese(self):
        with translation.override("vi"):
            html = Template("{% load portal %}{{ a|vn_number }} {{ b|vn_number:2 }} {{ year }}").render(
                Context({"a": 1292, "b": 84.16, "year": 2023})
            )
        # Plain values (years) stay ungrouped; only formatted figures get the dot.
        self.assertEqual(html, "1.292 84,16 2023")


class FoldTests(SimpleTestCase):
    def test_it_strips_diacritics_and_case(self):
        self.assertEqual(fold("Xã Hoài Châu"), "xa hoai chau")
        self.assertEqual(fold("Huyện Đức Thọ"), "huyen duc tho")
        self.assertEqual(fold("  Thị   trấn  "), "thi tran")
