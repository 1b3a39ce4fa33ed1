import datetime

from django.test import SimpleTestCase

from core.periods import Calendar, Kind, Period, PeriodSyntaxError

D = datetime.date


class ParseTests(SimpleTestCase):
    def test_it_reads_every_kind_of_the_design_syntax(self):
        self.assertEqual(Period.parse("2024-03"), Period(2024, Kind.MONTH, 3))
        self.assertEqual(Period.parse("2024-Q1"), Period(2024, Kind.QUARTER, 1))
        self.assertEqual(Period.parse("2024-H1"), Period(2024, Kind.HALF, 1))
        self.assertEqual(Period.parse("2024-9M"), Period(2024, Kind.NINE_MONTHS))
        self.assertEqual(Period.parse("2024"), Period(2024, Kind.YEAR))
        self.assertEqual(Period.parse(" 2024-q2 "), Period(2024, Kind.QUARTER, 2))

    def test_it_writes_what_it_reads(self):
        for code in ("2024-03", "2024-12", "2024-Q4", "2024-H2", "2024-9M", "2024"):
            self.assertEqual(Period.parse(code).code, code)

    def test_bad_periods_are_refused_with_the_right_form_named(self):
        for text in ("2024-3", "2024-13", "2024-00", "2024-Q5", "24-03", "2024/03", "tháng 3", "", "2024-H3"):
            with self.subTest(text=text), self.assertRaises(PeriodSyntaxError) as caught:
                Period.parse(text)
            self.assertTrue("2024-03" in str(caught.exception) or "tháng" in str(caught.exception).lower())

    def test_labels_read_as_in_reports(self):
        self.assertEqual(Period.parse("2024-03").label, "tháng 3/2024")
        self.assertEqual(Period.parse("2024-Q3").label, "quý III/2024")
        self.assertEqual(Period.parse("2024-H1").label, "6 tháng đầu năm 2024")
        self.assertEqual(Period.parse("2023-9M").label, "9 tháng năm 2023")
        self.assertEqual(Period.parse("2023").label, "năm 2023")


class DatesTests(SimpleTestCase):
    def test_regulatory_month_runs_from_the_15th_to_the_14th(self):
        self.assertEqual(Period.parse("2024-03").dates(), (D(2024, 2, 15), D(2024, 3, 14)))
        self.assertEqual(Period.parse("2024-01").dates(), (D(2023, 12, 15), D(2024, 1, 14)))

    def test_regulatory_longer_periods_follow_nghi_dinh_09(self):
        self.assertEqual(Period.parse("2024-Q1").dates(), (D(2023, 12, 15), D(2024, 3, 14)))
        self.assertEqual(Period.parse("2024-Q2").dates(), (D(2024, 3, 15), D(2024, 6, 14)))
        self.assertEqual(Period.parse("2024-H1").dates(), (D(2023, 12, 15), D(2024, 6, 14)))
        self.assertEqual(Period.parse("2024-9M").dates(), (D(2023, 12, 15), D(2024, 9, 14)))
        self.assertEqual(Period.parse("2024").dates(), (D(2023, 12, 15), D(2024, 12, 14)))

    def test_calendar_periods_are_calendar_months(self):
        self.assertEqual(Period.parse("2024-02").dates(Calendar.CALENDAR), (D(2024, 2, 1), D(2024, 2, 29)))
        self.assertEqual(Period.parse("2024-Q4").dates(Calendar.CALENDAR), (D(2024, 10, 1), D(2024, 12, 31)))
        self.assertEqual(Period.parse("2024").dates(Calendar.CALENDAR), (D(2024, 1, 1), D(2024, 12, 31)))

    def test_longer_periods_are_made_of_months(self):
        self.assertEqual(
            [p.code for p in Period.parse("2024-Q2").months()], ["2024-04", "2024-05", "2024-06"]
        )
        self.assertEqual(len(Period.parse("2024-9M").months()), 9)
        self.assertEqual(Period.parse("2024-H2").months()[0].code, "2024-07")
        self.assertEqual(Period.parse("2024").months()[-1].code, "2024-12")
