from django.test import SimpleTestCase

from core.charts import Series, _round_up, line_chart


class LineChartTests(SimpleTestCase):
    def test_it_draws_a_line_per_series_with_escaped_text_and_no_style(self):
        svg = line_chart(
            labels=["T1", "T2", "T3"],
            series=[
                Series("Tiếp nhận <b>", [10, 20, None], "#a4161a"),
                Series("Trực tuyến", [5, 8, 9], "#0b5394"),
            ],
            title="Xã Hoài Châu & năm 2024",
        )
        self.assertTrue(svg.startswith("<svg"))
        self.assertEqual(svg.count("<polyline"), 2)
        self.assertEqual(svg.count("<circle"), 5)  # the missing month has no point
        self.assertIn("Tiếp nhận &lt;b&gt;", svg)
        self.assertIn("Xã Hoài Châu &amp; năm 2024", svg)
        self.assertNotIn("style", svg)

    def test_axis_values_are_written_the_vietnamese_way(self):
        svg = line_chart(labels=["T1", "T2"], series=[Series("Hồ sơ", [1292, 1000], "#000")], title="x")
        self.assertIn(">1.200<", svg)  # ticks of 400 up to 1.600

    def test_the_axis_top_is_round(self):
        # Four steps of a round size: 116 → 0, 30, 60, 90, 120.
        self.assertEqual([_round_up(v) for v in (0, 7, 116, 1292, 100)], [1, 8, 120, 1600, 100])
