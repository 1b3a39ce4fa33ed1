import datetime

from django.test import SimpleTestCase

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
    def test_day_and_month_below_ten_have_a_leading_zero(self):
        self.assertEqual(
            dated_line("Tùng Châu", datetime.date(2023, 2, 9)), "Tùng Châu, ngày 09 tháng 02 năm 2023"
        )
        self.assertEqual(
            dated_line("Tùng Châu", datetime.date(2023, 9, 29)), "Tùng Châu, ngày 29 tháng 09 năm 2023"
        )
