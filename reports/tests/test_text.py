import datetime

from django.test import SimpleTestCase

from reports.models import DocumentType, Report
from reports.text import clean, dated_line


class CleanTest(SimpleTestCase):
    def test_bold_italic_paragraphs_and_lists_stay(self):
        html = "<p><b>Kết quả</b> <em>đạt</em></p><ul><li>Một</li></ul>"
        self.assertEqual(clean(html), html)

    def test_script_style_and_attributes_are_stripped(self):
        dirty = (
            '<p onclick="x()" style="color:red">Nội dung<script>alert(1)</script></p>'
            '<style>p{}</style><img src=x onerror="alert(2)"><a href="javascript:alert(3)">liên kết</a>'
        )
        self.assertEqual(clean(dirty), "<p>Nội dung</p>liên kết")

    def test_nothing_is_empty(self):
        self.assertEqual(clean(None), "")


class DatedLineTest(SimpleTestCase):
    def test_days_below_ten_and_the_months_one_and_two_have_a_leading_zero(self):
        # Nghị định 30/2020, Phụ lục I; seeds 003 ("ngày 05 tháng 3 năm 2014") and 004.
        cases = {
            datetime.date(2023, 2, 9): "Tùng Châu, ngày 09 tháng 02 năm 2023",
            datetime.date(2023, 1, 31): "Tùng Châu, ngày 31 tháng 01 năm 2023",
            datetime.date(2023, 9, 29): "Tùng Châu, ngày 29 tháng 9 năm 2023",
            datetime.date(2014, 3, 5): "Tùng Châu, ngày 05 tháng 3 năm 2014",
            datetime.date(2023, 12, 1): "Tùng Châu, ngày 01 tháng 12 năm 2023",
        }
        for day, expected in cases.items():
            with self.subTest(day=day):
                self.assertEqual(dated_line("Tùng Châu", day), expected)


class NumberSymbolTest(SimpleTestCase):
    def test_numbers_below_ten_have_a_leading_zero_as_the_register_writes_them(self):
        cases = [
            (Report(number=7, type_code=DocumentType.TB, issuer_code="UBND"), "07/TB-UBND"),
            (Report(number=352, type_code=DocumentType.BC, issuer_code="UBND"), "352/BC-UBND"),
            (Report(number=12, type_code=DocumentType.CV, issuer_code="UBND"), "12/UBND"),
            (Report(number=None, type_code=DocumentType.BC, issuer_code="PNV"), "     /BC-PNV"),
        ]
        for report, expected in cases:
            with self.subTest(expected=expected):
                self.assertEqual(report.number_symbol, expected)
