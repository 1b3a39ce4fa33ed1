import re
from decimal import Decimal

from django.test import SimpleTestCase

from core.charts import Series, _round_up, bar_chart, line_chart


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


def y_ticks(svg: str) -> list[str]:
    """The labels of a line chart's y axis, bottom to top."""
    return re.findall(r'<text x="42" y="[\d.]+" text-anchor="end"[^>]*>([^<]*)</text>', svg)


def x_ticks(svg: str) -> list[str]:
    """The labels of a bar chart's axis, left to right."""
    return re.findall(
        r'<text x="[\d.]+" y="\d+" text-anchor="middle" font-size="11"[^>]*>([^<]*)</text>', svg
    )


class AxisTests(SimpleTestCase):
    """No axis of "0, 0, 1, 1, 1": ticks never repeat, whole data get whole ticks."""

    def test_a_chart_without_any_figure_says_so_instead_of_an_axis(self):
        svg = line_chart(
            labels=["T1", "T2", "T3"], series=[Series("Hồ sơ", [None, None, None], "#000")], title="Xã A"
        )
        self.assertEqual(y_ticks(svg), [])
        self.assertIn("Chưa có số liệu để vẽ biểu đồ.", svg)
        self.assertNotIn("<circle", svg)
        self.assertNotIn("style", svg)
        self.assertIn('aria-label="Xã A: Chưa có số liệu để vẽ biểu đồ."', svg)

    def test_all_zero_figures_get_an_axis_of_0_and_1(self):
        svg = line_chart(labels=["T1", "T2"], series=[Series("Hồ sơ", [0, 0], "#000")], title="x")
        self.assertEqual(y_ticks(svg), ["0", "1"])
        self.assertEqual(svg.count("<circle"), 2)

    def test_small_whole_figures_get_whole_ticks(self):
        for values, ticks in [
            ([0, 1], ["0", "1"]),
            ([2, 1], ["0", "1", "2"]),
            ([3], ["0", "1", "2", "3"]),
            ([5, 0], ["0", "2", "4", "6"]),
            ([7], ["0", "2", "4", "6", "8"]),
        ]:
            with self.subTest(values=values):
                svg = line_chart(labels=["T1"], series=[Series("Hồ sơ", values, "#000")], title="x")
                self.assertEqual(y_ticks(svg), ticks)

    def test_ticks_never_repeat_whatever_the_top(self):
        for top in (0, 0.01, 0.3, 0.5, 1, 1.5, 2, 3, 9, 10, 11, 99, 101, 1292, 999_999):
            for values in ([top], [top / 3, top]):
                with self.subTest(values=values):
                    svg = line_chart(labels=["a", "b"], series=[Series("s", values, "#000")], title="x")
                    ticks = y_ticks(svg)
                    self.assertEqual(len(ticks), len(set(ticks)), ticks)
                    self.assertGreaterEqual(len(ticks), 2)

    def test_a_bar_chart_of_zeros_or_of_nothing(self):
        svg = bar_chart(labels=["A", "B"], values=[0, 0], title="x")
        self.assertEqual(x_ticks(svg), ["0", "1"])
        svg = bar_chart(labels=["A", "B"], values=[None, None], title="x")
        self.assertIn("Chưa có số liệu để vẽ biểu đồ.", svg)
        self.assertEqual(x_ticks(svg), [])

    def test_a_bar_chart_to_a_given_maximum_ends_there(self):
        self.assertEqual(
            x_ticks(bar_chart(labels=["A"], values=[40], title="x", axis_max=100)),
            ["0", "25", "50", "75", "100"],
        )
        self.assertEqual(
            x_ticks(bar_chart(labels=["A"], values=[40], title="x", axis_max=Decimal("98.5"))),
            ["0", "25", "50", "75", "98,5"],
        )
        # Points: not whole, written with their decimals and never twice the same.
        self.assertEqual(
            x_ticks(bar_chart(labels=["A"], values=[0.3], title="x")), ["0", "0,08", "0,16", "0,24", "0,32"]
        )
