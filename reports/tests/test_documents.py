"""The documents themselves, read back: the PDF through poppler (text, fonts, page size, page
numbers, a long table's header on page 2), the HTML for what escapes and what is cleaned, and the
Word copy through python-docx (paragraphs, bold runs, lists, tables, page setup).

Each kind's first page goes to ``test-artifacts/report-<kind>.png`` for a person to look at.

Measured on the development machine: a 3-page report renders in about 0,35 s warm
(test_a_three_page_report_renders_within_a_second_when_warm prints the figure).
"""

from __future__ import annotations

import datetime
import html
import io
import re
import subprocess
import tempfile

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from communes.models import Era, Kind, Level
from core.charts import bar_chart
from core.testing import PortalTestCase, make_unit, pdf_run, pdf_text, require_tool
from reports.documents import report_docx, report_html, report_pdf, sanitise_svg
from reports.models import DocumentType, Report, ReportKind, ReportStatus, Section, SignerMode


def cell(text: str, colspan: int = 1, rowspan: int = 1) -> dict:
    return {"text": text, "colspan": colspan, "rowspan": rowspan}


DOSSIER_HEADER = [
    [
        cell("STT", rowspan=2),
        cell("Lĩnh vực", rowspan=2),
        cell("Số hồ sơ nhận giải quyết", colspan=3),
        cell("Số hồ sơ đã giải quyết", colspan=2),
    ],
    [cell("Tổng số"), cell("Trực tuyến"), cell("Tỷ lệ trực tuyến"), cell("Tổng số"), cell("Đúng hạn")],
]
NUMERIC = [False, False, True, True, True, True, True]


def dossier_table(rows: list[list[str]], total: list[str] | None, caption: str) -> dict:
    return {"caption": caption, "header": DOSSIER_HEADER, "rows": rows, "total": total, "numeric": NUMERIC}


HOAI_CHAU_2023 = dossier_table(
    [
        ["1", "Hộ tịch", "812", "760", "93,60%", "812", "812"],
        ["2", "Chứng thực", "480", "424", "88,33%", "480", "479"],
    ],
    ["", "Tổng cộng", "1.292", "1.184", "91,64%", "1.292", "1.291"],
    "Kết quả giải quyết hồ sơ TTHC năm 2023",
)
FIELDS = ["Đất đai", "Hộ tịch", "Bảo trợ xã hội", "Người có công", "Chứng thực", "Bảo hiểm xã hội"]


def long_table() -> dict:
    """Forty rows: more than a page, so that the header must repeat."""
    rows = [
        [str(i + 1), f"{FIELDS[i % 6]} ({2021 + i // 20})", "17", "0", "0,00%", "17", "17"] for i in range(40)
    ]
    return dossier_table(rows, ["", "Tổng cộng", "1.020", "0", "0,00%", "1.020", "1.020"], "Hồ sơ theo năm")


def chart(labels, values) -> str:
    return str(bar_chart(labels=labels, values=values, title="Tỷ lệ hồ sơ nộp trực tuyến (%)", axis_max=100))


PARAGRAPH = (
    "<p>UBND xã duy trì đều đặn chế độ giao ban, hội họp của cơ quan. Giao ban vào sáng thứ 2 hàng "
    "tuần; mỗi cuộc giao ban có sổ ghi chép đầy đủ, công tác cải cách hành chính luôn được báo cáo cụ "
    "thể và đồng chí Chủ tịch UBND xã kịp thời chỉ đạo khắc phục những tồn tại, hạn chế.</p>"
)


def make_report(unit, kind, *, sections, snapshot, status=ReportStatus.ISSUED, **facts) -> Report:
    values = {
        "type_code": DocumentType.BC,
        "title": "BÁO CÁO",
        "place": unit.short_name,
        "signer_name": "Nguyễn Ngọc Thơ",
        "recipients": "- Phòng Nội vụ;\n- TT Đảng ủy, HĐND;\n- Lưu: VT.",
    }
    values.update(facts)
    report = Report.objects.create(unit=unit, kind=kind, status=status, snapshot=snapshot, **values)
    for position, (heading, body, table) in enumerate(sections, start=1):
        Section.objects.create(report=report, position=position, heading=heading, body=body, table=table)
    return report


class DocumentCase(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        ha_tinh = make_unit(Era.LEGACY, Level.PROVINCE, Kind.TINH, "42", "Tỉnh Hà Tĩnh")
        duc_tho = make_unit(Era.LEGACY, Level.DISTRICT, Kind.HUYEN, "440", "Huyện Đức Thọ", ha_tinh)
        cls.tung_chau = make_unit(Era.LEGACY, Level.COMMUNE, Kind.XA, "18118", "Xã Tùng Châu", duc_tho)
        cls.reports = {
            ReportKind.YEAR: make_report(
                cls.hoai_chau,
                ReportKind.YEAR,
                number=12,
                dated=datetime.date(2024, 2, 9),
                summary="Tổng kết công tác cải cách hành chính năm 2023",
                addressee="Phòng Nội vụ thị xã Hoài Nhơn",
                sections=[
                    (
                        "I. KẾT QUẢ GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH",
                        "<p>Năm 2023, UBND xã đã giải quyết <b>1.292</b> hồ sơ, trong đó <i>1.184</i> hồ sơ "
                        "nộp trực tuyến, đạt 91,64%.</p>",
                        "dossiers",
                    ),
                    (
                        "II. CHỈ SỐ CẢI CÁCH HÀNH CHÍNH",
                        "<p>Chỉ số CCHC năm 2023 của xã đạt 84,16 điểm, xếp hạng 13/17 xã, phường.</p>",
                        "",
                    ),
                ],
                snapshot={"tables": {"dossiers": HOAI_CHAU_2023}, "charts": {}, "facts": {}},
            ),
            ReportKind.HALF_YEAR: make_report(
                cls.hoai_chau,
                ReportKind.HALF_YEAR,
                status=ReportStatus.DRAFT,
                summary="Sơ kết công tác cải cách hành chính 6 tháng đầu năm 2024",
                addressee="Phòng Nội vụ thị xã Hoài Nhơn",
                sections=[
                    (
                        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
                        "<p>Kế hoạch CCHC năm 2024 đã hoàn thành 17/25 nhiệm vụ, đạt 68%.</p>"
                        "<ul><li>Ban hành kế hoạch tuyên truyền;</li>"
                        "<li>Kiểm tra <b>kỷ luật</b> hành chính.</li></ul>",
                        "",
                    ),
                    (
                        "II. KẾT QUẢ GIẢI QUYẾT HỒ SƠ",
                        "<p>Có 673 hồ sơ nộp trực tuyến; tỷ lệ giải quyết trước và đúng hạn đạt 99,9%.</p>",
                        "dossiers",
                    ),
                ],
                snapshot={
                    "tables": {"dossiers": HOAI_CHAU_2023},
                    "charts": {"dossiers": chart(["Hộ tịch", "Chứng thực"], [93.6, 88.33])},
                    "facts": {},
                },
            ),
            ReportKind.CONCLUSION: make_report(
                cls.hoai_chau,
                ReportKind.CONCLUSION,
                type_code=DocumentType.TB,
                title="THÔNG BÁO",
                number=7,
                dated=datetime.date(2024, 3, 18),
                summary="Kết luận của Chủ tịch UBND xã tại cuộc họp đánh giá kết quả thẩm định Bộ chỉ số "
                "cải cách hành chính cấp xã năm 2023",
                signer_mode=SignerMode.KT,
                signer_title="PHÓ CHỦ TỊCH",
                signer_name="Nguyễn Văn Lạc",
                recipients="TT Đảng ủy; (B/c)\nCT, các PCT UBND xã;\n\n- Lưu: VT, CCHC.",
                sections=[
                    (
                        "",
                        "<p>Chủ tịch UBND xã kết luận:</p><ol><li>Giao Văn phòng - Thống kê:<ul><li>Chủ trì "
                        "rà soát các tiêu chí;</li><li>Số hoá hồ sơ.</li></ul></li><li>Giao Tài chính - Kế "
                        "toán giải ngân vốn đầu tư.</li></ol><ol><li>Nhiệm vụ năm 2025.</li></ol>",
                        "tasks",
                    ),
                ],
                snapshot={
                    "tables": {
                        "tasks": {
                            "caption": "Nhiệm vụ được giao",
                            "header": [[cell("TT"), cell("Bộ phận"), cell("Nhiệm vụ"), cell("Thời hạn")]],
                            "rows": [["1", "Văn phòng - Thống kê", "Số hoá hồ sơ", "30/06/2024"]],
                            "total": None,
                            "numeric": [False, False, False, False],
                        }
                    },
                    "charts": {},
                    "facts": {},
                },
            ),
            ReportKind.SUPERVISION: make_report(
                cls.tung_chau,
                ReportKind.SUPERVISION,
                number=352,
                dated=datetime.date(2023, 9, 29),
                summary="Giám sát Cải cách hành chính",
                addressee="Phòng Nội vụ huyện.",
                sections=[
                    (
                        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
                        PARAGRAPH * 3 + "<p>Văn bản chỉ đạo năm 2021: 9, năm 2022: 12, năm 2023: 32.</p>",
                        "",
                    ),
                    ("II. KẾT QUẢ GIẢI QUYẾT HỒ SƠ THEO NĂM", "", "dossiers_by_year"),
                    ("III. TỒN TẠI, VƯỚNG MẮC VÀ NGUYÊN NHÂN", PARAGRAPH * 2, ""),
                ],
                snapshot={"tables": {"dossiers_by_year": long_table()}, "charts": {}, "facts": {}},
            ),
            ReportKind.SUMMARY: make_report(
                cls.hoai_nhon,
                ReportKind.SUMMARY,
                number=45,
                issuer_code="PNV",
                dated=datetime.date(2024, 1, 15),
                summary="Tổng hợp kết quả công tác cải cách hành chính của các xã, phường năm 2023",
                addressee="Sở Nội vụ tỉnh Bình Định",
                signer_title="TRƯỞNG PHÒNG",
                signer_name="Trần Văn Bình",
                recipients="- Sở Nội vụ tỉnh Bình Định;\n- UBND các xã, phường;\n- Lưu: VT.",
                sections=[
                    (
                        "I. XẾP HẠNG CHỈ SỐ CCHC",
                        "<p>Xã Hoài Châu đạt 84,16 điểm, xếp hạng 13/17.</p>",
                        "ranking",
                    ),
                ],
                snapshot={
                    "tables": {
                        "ranking": {
                            "caption": "Xếp hạng Chỉ số CCHC năm 2023",
                            "header": [[cell("Hạng"), cell("Đơn vị"), cell("Tổng điểm"), cell("Xếp loại")]],
                            "rows": [
                                ["12", "Xã Hoài Châu Bắc", "85,02", "Tốt"],
                                ["13", "Xã Hoài Châu", "84,16", "Tốt"],
                            ],
                            "total": None,
                            "numeric": [True, False, True, False],
                        }
                    },
                    "charts": {"ranking": chart(["Hoài Châu Bắc", "Hoài Châu"], [85.02, 84.16])},
                    "facts": {},
                },
            ),
        }


class PdfTests(DocumentCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.pdfs = {kind: report_pdf(report) for kind, report in cls.reports.items()}

    def text(self, kind) -> str:
        return " ".join(pdf_text(self.pdfs[kind]).split())

    def test_the_figures_read_back_in_vietnamese_format_exactly_as_in_the_snapshot(self):
        text = self.text(ReportKind.YEAR)
        for figure in ("91,64%", "1.292", "1.184", "84,16", "13/17"):
            with self.subTest(figure=figure):
                self.assertIn(figure, text)

    def test_the_letterhead_reads_back_with_its_diacritics(self):
        text = self.text(ReportKind.SUPERVISION)
        for words in (
            "ỦY BAN NHÂN DÂN",
            "XÃ TÙNG CHÂU",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 352/BC-UBND",
            "Tùng Châu, ngày 29 tháng 9 năm 2023",
            "BÁO CÁO Giám sát Cải cách hành chính",
            "Kính gửi: Phòng Nội vụ huyện.",
        ):
            with self.subTest(words=words):
                self.assertIn(words, text)
        self.assertIn("Hoài Châu, ngày 09 tháng 02 năm 2024", self.text(ReportKind.YEAR))

    def test_the_signature_block_names_the_authority_the_signer_and_the_recipients(self):
        text = self.text(ReportKind.SUPERVISION)
        self.assertIn("Nơi nhận: - Phòng Nội vụ; - TT Đảng ủy, HĐND; - Lưu: VT.", text)
        self.assertIn("TM. ỦY BAN NHÂN DÂN CHỦ TỊCH Nguyễn Ngọc Thơ", text)

    def test_a_vice_chairman_signs_for_the_chairman_on_behalf_of_the_committee(self):
        text = self.text(ReportKind.CONCLUSION)
        self.assertIn("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Văn Lạc", text)
        self.assertIn("THÔNG BÁO", text)
        self.assertIn("Số: 07/TB-UBND", text)
        # Recipient lines each start with "- ", blank lines dropped.
        self.assertIn("Nơi nhận: - TT Đảng ủy; (B/c) - CT, các PCT UBND xã; - Lưu: VT, CCHC.", text)

    def test_a_reviewers_summary_is_issued_by_its_office_and_signed_by_its_head(self):
        text = self.text(ReportKind.SUMMARY)
        self.assertIn("UBND THỊ XÃ HOÀI NHƠN", text)
        self.assertIn("PHÒNG NỘI VỤ", text)
        self.assertIn("Số: 45/BC-PNV", text)
        self.assertIn("TRƯỞNG PHÒNG", text)
        self.assertIn("Trần Văn Bình", text)
        self.assertNotIn("TM.", text)

    def word_heights(self, kind) -> list[tuple[str, float]]:
        """Each word of the PDF with the height of its box, which pdftotext takes from the font's
        size: words set in one size have one height."""
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(self.pdfs[kind])
            handle.flush()
            page = subprocess.run(  # noqa: S603
                [require_tool("pdftotext"), "-bbox", handle.name, "-"],
                capture_output=True,
                check=True,
                text=True,
            ).stdout
        return [
            (html.unescape(text), float(y_max) - float(y_min))
            for y_min, y_max, text in re.findall(
                r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', page
            )
        ]

    def test_the_date_line_and_the_signer_are_set_in_the_bodys_14_pt(self):
        # Nghị định 30/2020, Phụ lục I: the place and date, the signer's authority and name in
        # 13–14 pt, as the body (and as the Word copy sets them).
        by_word = dict(self.word_heights(ReportKind.SUPERVISION))
        body = by_word["Kính"]  # "Kính gửi: …", a paragraph in the body's size
        self.assertGreater(body, by_word["XÃ"] + 1)  # not the letterhead's 12–13 pt
        for word in ("Châu,", "ngày", "TM.", "Thơ"):
            with self.subTest(word=word):
                self.assertAlmostEqual(by_word[word], body, delta=0.3)

    def test_lists_print_as_administrative_vietnamese_writes_them(self):
        text = self.text(ReportKind.CONCLUSION)
        self.assertIn("1. Giao Văn phòng - Thống kê: - Chủ trì rà soát các tiêu chí; - Số hoá hồ sơ.", text)
        self.assertIn("2. Giao Tài chính - Kế toán", text)
        self.assertIn("1. Nhiệm vụ năm 2025.", text)  # a second list starts again at 1

    def test_a_draft_is_marked_and_leaves_its_number_and_date_blank(self):
        draft = pdf_text(self.pdfs[ReportKind.HALF_YEAR], layout=True)
        self.assertEqual(draft.strip().splitlines()[0].strip(), "DỰ THẢO")
        self.assertRegex(draft, r"Số:\s+/BC-UBND\s+Hoài Châu, ngày\s+tháng\s+năm \d{4}")
        self.assertNotIn("DỰ THẢO", self.text(ReportKind.YEAR))

    def test_every_font_is_the_bundled_serif_and_embedded_charts_included(self):
        for kind in (ReportKind.HALF_YEAR, ReportKind.SUMMARY):
            rows = pdf_run("pdffonts", self.pdfs[kind]).splitlines()[2:]
            self.assertTrue(rows)
            for row in rows:
                with self.subTest(kind=kind, font=row):
                    self.assertRegex(row, r"^[A-Z]{6}\+CCHC-Serif(-Bold|-Italic|-Bold-Italic)?\s")
                    self.assertRegex(row, r"\byes\s+yes\s+(yes|no)\s+\d+\s+\d+$")  # emb yes, sub yes

    def test_the_chart_is_drawn_in_the_pdf(self):
        text = self.text(ReportKind.SUMMARY)
        self.assertIn("Hoài Châu Bắc", text)
        self.assertIn("85,02", text)

    def test_every_page_is_a4(self):
        for kind, pdf in self.pdfs.items():
            with self.subTest(kind=kind):
                info = pdf_run("pdfinfo", pdf)
                self.assertRegex(info, r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)")

    def test_a_long_table_repeats_its_header_and_page_numbers_start_on_page_two(self):
        pages = [p for p in pdf_text(self.pdfs[ReportKind.SUPERVISION], layout=True).split("\f") if p.strip()]
        self.assertGreaterEqual(len(pages), 3)
        first_lines = [page.strip().splitlines()[0].strip() for page in pages]
        self.assertNotRegex(first_lines[0], r"^\d+$")  # no number on page 1
        self.assertTrue(first_lines[0].startswith("ỦY BAN NHÂN DÂN"))
        self.assertEqual(first_lines[1], "2")
        self.assertEqual(first_lines[2], "3")
        table_pages = [i for i, page in enumerate(pages) if "(2023)" in page or "(2021)" in page]
        self.assertGreaterEqual(len(table_pages), 2, "the 40-row table spans two pages")
        for i in table_pages:
            with self.subTest(page=i + 1):
                self.assertIn("Số hồ sơ nhận giải quyết", pages[i])
                self.assertIn("Lĩnh vực", pages[i])

    def test_numbers_are_right_aligned_in_their_column(self):
        lines = pdf_text(self.pdfs[ReportKind.YEAR], layout=True).splitlines()
        ends = {}
        for line in lines:
            for figure in ("812", "480", "1.292"):
                if re.search(rf"\b{re.escape(figure)}\b", line) and (
                    "Hộ tịch" in line or "Chứng" in line or "Tổng cộng" in line
                ):
                    ends.setdefault(figure, line.index(figure) + len(figure))
        # "812", "480" and "1.292" end in the same column: right-aligned under each other.
        self.assertEqual(len(set(ends.values())), 1, ends)

    def test_the_first_page_of_each_kind_as_a_picture(self):
        artifacts = getattr(self, "artifacts", None)
        if artifacts is None:
            self.skipTest("run under pytest for the artifacts directory")
        pdftoppm = require_tool("pdftoppm")
        for kind, pdf in self.pdfs.items():
            with self.subTest(kind=kind):
                target = artifacts / f"report-{kind}"
                subprocess.run(  # noqa: S603
                    [pdftoppm, "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile", "-", str(target)],
                    input=pdf,
                    check=True,
                )
                picture = target.with_suffix(".png")
                self.assertTrue(picture.read_bytes().startswith(b"\x89PNG"))

    @pytest.fixture(autouse=True)
    def _artifacts(self, artifacts_dir):
        self.artifacts = artifacts_dir


class HtmlTests(DocumentCase):
    def test_sections_come_in_their_order_with_their_table_and_chart(self):
        report = self.reports[ReportKind.HALF_YEAR]
        Section.objects.filter(report=report, position=1).update(position=9)
        html = report_html(report)
        self.assertLess(html.index("II. KẾT QUẢ GIẢI QUYẾT HỒ SƠ"), html.index("I. CÔNG TÁC CHỈ ĐẠO"))
        table = html.index('<table class="doc-table">')
        self.assertLess(html.index("II. KẾT QUẢ GIẢI QUYẾT HỒ SƠ"), table)
        self.assertLess(table, html.index("<svg"))
        self.assertIn('<td class="number">1.292</td>', html)
        self.assertIn("<thead>", html)
        self.assertIn('<th colspan="3">Số hồ sơ nhận giải quyết</th>', html)
        self.assertIn('<th rowspan="2">STT</th>', html)
        self.assertIn('font-family="CCHC Serif"', html)

    def test_a_table_named_but_missing_from_the_snapshot_is_left_out(self):
        report = self.reports[ReportKind.YEAR]
        report.snapshot = {"tables": {"dossiers": "not a table"}}
        html = report_html(report)
        self.assertNotIn("doc-table", html)
        self.assertIn("I. KẾT QUẢ GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH", html)

    def test_script_style_and_images_written_straight_into_the_database_do_not_reach_the_document(self):
        report = self.reports[ReportKind.YEAR]
        # Past the editor and its cleaning: straight into the table, as an attacker with the
        # database, or a future bug, would put it.
        Section.objects.filter(report=report, position=1).update(
            body='<p onclick="steal()">Đúng</p><script>alert("x")</script><style>p{color:red}</style>'
            '<p style="color:red">Đỏ</p><img src="file:///etc/passwd">'
            '<a href="http://evil.example/">Liên kết</a>'
        )
        report.title = "<b>BÁO CÁO</b>"
        report.signer_name = "<script>alert(1)</script>"
        report.snapshot = {
            "tables": {
                "dossiers": {**HOAI_CHAU_2023, "rows": [["1", "<img src=x>", "1", "1", "1", "1", "1"]]}
            },
            "charts": {
                "dossiers": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>alert(2)'
                '</script><rect width="5" height="5" onload="alert(3)" style="fill:red" fill="url(http://e/)"/>'
                '<image href="file:///etc/passwd"/><foreignObject><p>x</p></foreignObject></svg>'
            },
        }
        html = report_html(report)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", html)  # the signer's name, as text
        html = html.replace("&lt;script&gt;alert(1)&lt;/script&gt;", "")
        for banned in ("<script", "alert(", "<style", "style=", "<img", "onclick", "onload", "passwd", "<a ",
                       "evil.example", "foreignObject", "url(", "color:red"):  # fmt: skip
            with self.subTest(banned=banned):
                self.assertNotIn(banned, html)
        self.assertIn("<p>Đúng</p>", html)
        self.assertIn("<p>Đỏ</p>", html)
        self.assertIn("Liên kết", html)
        self.assertIn("&lt;B&gt;BÁO CÁO&lt;/B&gt;", html)  # the type name in capitals, as text
        self.assertIn("&lt;img src=x&gt;", html)
        self.assertIn('<rect width="5" height="5"/>', html)
        text = pdf_text(report_pdf(report))
        self.assertNotIn("alert", text.replace("<script>alert(1)</script>", ""))
        self.assertNotIn("color", text)
        self.assertIn("Đúng", text)

    def test_what_is_not_an_svg_picture_draws_no_chart(self):
        for markup in (
            "",
            "<p>x</p>",
            "<svg",
            None,
            12,
            '<svg xmlns="http://www.w3.org/2000/svg"><!DOCTYPE x>',
        ):
            with self.subTest(markup=markup):
                self.assertEqual(sanitise_svg(markup), "")


class DocxTests(DocumentCase):
    def read(self, kind) -> docx.document.Document:
        return docx.Document(io.BytesIO(report_docx(self.reports[kind])))

    def texts(self, word) -> list[str]:
        return [p.text for p in word.paragraphs if p.text.strip()]

    def test_the_page_is_a4_with_the_margins_of_decree_30_and_numbers_from_page_two(self):
        word = self.read(ReportKind.YEAR)
        section = word.sections[0]

        # Word stores lengths in twentieths of a point: compare in whole millimetres.
        def mm(*lengths):
            return tuple(round(length.mm) for length in lengths)

        self.assertEqual(mm(section.page_width, section.page_height), (210, 297))
        self.assertEqual(mm(section.top_margin, section.bottom_margin), (20, 20))
        self.assertEqual(mm(section.left_margin, section.right_margin), (30, 15))
        self.assertTrue(section.different_first_page_header_footer)
        self.assertIn("PAGE", section.header._element.xml)
        self.assertEqual(section.first_page_header.paragraphs[0].text, "")
        normal = word.styles["Normal"]
        self.assertEqual((normal.font.name, normal.font.size), ("Times New Roman", Pt(14)))

    def test_the_letterhead_is_a_borderless_two_column_table(self):
        word = self.read(ReportKind.SUPERVISION)
        letterhead = word.tables[0]
        cells = [[c.text for c in row.cells] for row in letterhead.rows]
        self.assertEqual(cells[0][0].split("\n")[:2], ["ỦY BAN NHÂN DÂN", "XÃ TÙNG CHÂU"])
        self.assertEqual(
            cells[0][1].split("\n")[:2], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
        )
        self.assertEqual(cells[1], ["Số: 352/BC-UBND", "Tùng Châu, ngày 29 tháng 9 năm 2023"])
        self.assertTrue(letterhead.rows[1].cells[1].paragraphs[0].runs[0].italic)
        self.assertIn('w:val="nil"', letterhead._tbl.tblPr.xml)
        self.assertEqual(len(letterhead._tbl.xpath(".//w:pBdr")), 2)  # the two rules

    def test_the_body_keeps_its_order_and_its_bold_and_italic(self):
        word = self.read(ReportKind.YEAR)
        texts = self.texts(word)
        start = texts.index("BÁO CÁO")
        self.assertEqual(
            texts[start : start + 5],
            [
                "BÁO CÁO",
                "Tổng kết công tác cải cách hành chính năm 2023",
                "Kính gửi: Phòng Nội vụ thị xã Hoài Nhơn",
                "I. KẾT QUẢ GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH",
                "Năm 2023, UBND xã đã giải quyết 1.292 hồ sơ, trong đó 1.184 hồ sơ nộp trực tuyến, "
                "đạt 91,64%.",
            ],
        )
        body = next(p for p in word.paragraphs if p.text.startswith("Năm 2023"))
        self.assertEqual([r.text for r in body.runs if r.bold], ["1.292"])
        self.assertEqual([r.text for r in body.runs if r.italic], ["1.184"])
        heading = next(p for p in word.paragraphs if p.text.startswith("I. KẾT QUẢ"))
        self.assertTrue(all(r.bold for r in heading.runs))
        self.assertIn("Chỉ số CCHC năm 2023 của xã đạt 84,16 điểm, xếp hạng 13/17 xã, phường.", texts)

    def test_lists_are_word_lists_and_each_numbered_list_starts_again(self):
        word = self.read(ReportKind.CONCLUSION)

        def numbering(text):
            paragraph = next(p for p in word.paragraphs if p.text.startswith(text))
            num_pr = paragraph._p.pPr.numPr
            return num_pr.numId.val, num_pr.ilvl.val

        first, level = numbering("Giao Văn phòng")
        self.assertEqual(level, 0)
        self.assertEqual(numbering("Giao Tài chính"), (first, 0))
        self.assertEqual(numbering("Chủ trì rà soát")[1], 1)
        self.assertNotEqual(numbering("Nhiệm vụ năm 2025")[0], first)
        bullets = word.part.numbering_part.element.xml
        self.assertIn('w:lvlText w:val="-"', bullets)
        self.assertIn('w:lvlText w:val="%1."', bullets)

    def test_a_data_table_has_its_merged_header_repeated_and_numbers_right_aligned(self):
        word = self.read(ReportKind.YEAR)
        table = word.tables[1]
        header = [[c.text for c in row.cells] for row in table.rows[:2]]
        self.assertEqual(header[0][:3], ["STT", "Lĩnh vực", "Số hồ sơ nhận giải quyết"])
        self.assertEqual(header[0][2:5], ["Số hồ sơ nhận giải quyết"] * 3)  # merged across three columns
        self.assertEqual(header[1][0], "STT")  # merged down two rows
        self.assertEqual(header[1][2:5], ["Tổng số", "Trực tuyến", "Tỷ lệ trực tuyến"])
        for row in table.rows[:2]:
            self.assertIsNotNone(row._tr.trPr.find(qn("w:tblHeader")))
        self.assertIsNone(table.rows[2]._tr.trPr.find(qn("w:tblHeader")))
        total = [c.text for c in table.rows[-1].cells]
        self.assertEqual(total, ["", "Tổng cộng", "1.292", "1.184", "91,64%", "1.292", "1.291"])
        figure = table.rows[-1].cells[2].paragraphs[0]
        self.assertEqual(figure.alignment, docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT)
        self.assertTrue(figure.runs[0].bold)
        self.assertIn("Kết quả giải quyết hồ sơ TTHC năm 2023", self.texts(word))

    def test_the_signature_table_has_the_recipients_left_and_the_signer_right(self):
        word = self.read(ReportKind.CONCLUSION)
        left, right = word.tables[-1].rows[0].cells
        lines = [p.text for p in left.paragraphs]
        self.assertEqual(
            lines, ["Nơi nhận:", "- TT Đảng ủy; (B/c)", "- CT, các PCT UBND xã;", "- Lưu: VT, CCHC."]
        )
        label = left.paragraphs[0].runs[0]
        self.assertEqual((label.bold, label.italic, label.font.size), (True, True, Pt(12)))
        self.assertEqual(left.paragraphs[1].runs[0].font.size, Pt(11))
        signer = [p.text for p in right.paragraphs if p.text]
        self.assertEqual(signer, ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn Lạc"])

    def test_a_draft_says_so_and_injected_markup_stays_out(self):
        report = self.reports[ReportKind.HALF_YEAR]
        Section.objects.filter(report=report, position=1).update(
            body='<p>Đúng</p><script>alert("x")</script><p style="color:red">Đỏ</p><img src="x.png">'
        )
        word = docx.Document(io.BytesIO(report_docx(report)))
        texts = self.texts(word)
        self.assertEqual(texts[0], "DỰ THẢO")
        self.assertIn("Đúng", texts)
        self.assertIn("Đỏ", texts)
        self.assertNotIn("alert", "\n".join(texts))
