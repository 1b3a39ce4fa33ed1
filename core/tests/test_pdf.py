from django.test import SimpleTestCase

from core.pdf import render_pdf
from core.testing import pdf_run, pdf_text

SENTENCE = "Xã Hoài Châu, thị xã Hoài Nhơn: 1.184/1.292 hồ sơ trực tuyến, đạt 91,64%; Đức Thọ, Hà Tĩnh."


class RenderPdfTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Enough paragraphs for a second page, to see the page number appear there.
        body = "".join(f"<p>{SENTENCE}</p>" for _ in range(60))
        cls.pdf = render_pdf(f'<html lang="vi"><body><h1>BÁO CÁO</h1>{body}</body></html>')

    def test_the_text_reads_back_with_its_diacritics_and_number_formats(self):
        text = " ".join(pdf_text(self.pdf).split())
        self.assertIn("BÁO CÁO", text)
        self.assertIn(SENTENCE, text)

    def test_only_the_bundled_serif_is_used_and_it_is_embedded(self):
        fonts = pdf_run("pdffonts", self.pdf).splitlines()[2:]
        self.assertTrue(fonts)
        for line in fonts:
            with self.subTest(font=line):
                # The family of print.css's @font-face rules: the bundled Liberation Serif.
                self.assertRegex(line, r"^[A-Z]{6}\+CCHC-Serif(-Bold|-Italic|-BoldItalic)?\s")
                self.assertRegex(line, r"\byes\s+yes\s+(yes|no)\s+\d+\s+\d+$")  # embedded, subset

    def test_the_page_is_a4(self):
        info = pdf_run("pdfinfo", self.pdf)
        self.assertRegex(info, r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)")

    def test_page_numbers_start_on_page_two(self):
        pages = pdf_text(self.pdf, layout=True).split("\f")
        self.assertGreaterEqual(len([page for page in pages if page.strip()]), 2)
        self.assertEqual(pages[0].strip().splitlines()[0].strip(), "BÁO CÁO")
        self.assertEqual(pages[1].strip().splitlines()[0].strip(), "2")


class TableCaptionTests(SimpleTestCase):
    def test_a_tables_caption_is_never_left_alone_at_the_foot_of_a_page(self):
        # Some length of text before the table puts its caption on the last line of page 1
        # (28 lines did before the caption was kept with its table): try them all.
        table = (
            '<table class="doc-table"><caption>Kết quả giải quyết hồ sơ năm 2023</caption>'
            "<thead><tr><th>Lĩnh vực</th></tr></thead>"
            "<tbody><tr><td>Hộ tịch</td></tr><tr><td>Chứng thực</td></tr></tbody></table>"
        )
        for lines in range(20, 44):
            with self.subTest(lines=lines):
                body = "".join(f'<p class="doc-body">Dòng {i} của báo cáo.</p>' for i in range(lines))
                pdf = render_pdf(f'<html lang="vi"><body class="doc">{body}{table}</body></html>')
                pages = pdf_text(pdf).split("\f")
                caption = next(n for n, page in enumerate(pages) if "Kết quả giải quyết" in page)
                first_row = next(n for n, page in enumerate(pages) if "Hộ tịch" in page)
                self.assertEqual(caption, first_row)
