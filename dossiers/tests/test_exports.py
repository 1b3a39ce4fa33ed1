"""Biểu 06 exports, tested by reading the bytes back the way a user's spreadsheet program would."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import openpyxl
from django.test import SimpleTestCase
from openpyxl.worksheet.worksheet import Worksheet

from dossiers.exports import ExportGroup, ExportRow, bieu06_csv, bieu06_xlsx, roman
from dossiers.figures import Figures

FIRST_DATA_ROW = 9  # below the title block, the two header rows and the column numbers

HO_TICH = Figures(
    received_online=1184,
    received_in_person=108,
    resolved_on_time=1292,
    online_payments=586,
    dossiers_with_fees=618,
    digitised_results=1000,
)
CHUNG_THUC = Figures(
    received_in_person=40,
    received_postal=2,
    carried_over=3,
    resolved_early=40,
    pending_in_time=4,
    pending_overdue=1,
    apology_letters=1,
    pakn_received=3,
    pakn_resolved=1,
)
DAT_DAI = Figures(received_online=7, received_in_person=10, resolved_on_time=15, resolved_late=2)

HOAI_CHAU = ExportGroup("Xã Hoài Châu", [ExportRow("Hộ tịch", HO_TICH), ExportRow("Chứng thực", CHUNG_THUC)])
HOAI_CHAU_BAC = ExportGroup("Xã Hoài Châu Bắc", [ExportRow("Đất đai", DAT_DAI)])

# Columns 1 to 19 of Hộ tịch: STT, lĩnh vực, (3) = 1184 + 108, (5) = 108, (7) = 1292, the rest as typed.
HO_TICH_LINE = (1, "Hộ tịch", 1292, 1184, 108, 0, 1292, 0, 1292, 0, 0, 0, 0, 586, 618, 1000, 0, 0, 0)
HOAI_CHAU_TOTAL = (1337, 1184, 150, 3, 1332, 40, 1292, 0, 5, 4, 1, 586, 618, 1000, 1, 3, 1)
HOAI_CHAU_BAC_TOTAL = (17, 7, 10, 0, 17, 0, 15, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0)


def export(groups: list[ExportGroup], **overrides) -> bytes:
    arguments = {
        "issuer": "UBND XÃ HOÀI CHÂU",
        "unit_name": "Xã Hoài Châu",
        "period_label": "Năm 2023",
        "date_from": date(2022, 12, 15),
        "date_to": date(2023, 12, 14),
        "groups": groups,
        **overrides,
    }
    return bieu06_xlsx(**arguments)


def read(data: bytes) -> Worksheet:
    return openpyxl.load_workbook(io.BytesIO(data)).active


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def data_lines(sheet: Worksheet) -> list[tuple]:
    return list(sheet.iter_rows(min_row=FIRST_DATA_ROW, max_col=19, values_only=True))


def merged(sheet: Worksheet) -> set[str]:
    return {str(cell_range) for cell_range in sheet.merged_cells.ranges}


class XlsxTitleBlockTests(SimpleTestCase):
    def setUp(self):
        self.sheet = read(export([HOAI_CHAU]))

    def test_the_issuer_stands_bold_at_the_top_left(self):
        self.assertEqual(self.sheet["A1"].value, "UBND XÃ HOÀI CHÂU")
        self.assertTrue(self.sheet["A1"].font.b)

    def test_the_title_is_bold_centred_across_all_nineteen_columns(self):
        self.assertEqual(
            self.sheet["A2"].value,
            "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC",
        )
        self.assertTrue(self.sheet["A2"].font.b)
        self.assertEqual(self.sheet["A2"].alignment.horizontal, "center")
        self.assertIn("A2:S2", merged(self.sheet))

    def test_the_period_line_gives_the_dates_with_leading_zeros(self):
        self.assertEqual(
            self.sheet["A3"].value, "Kỳ báo cáo: Năm 2023 (Từ ngày 15/12/2022 đến ngày 14/12/2023)"
        )
        self.assertEqual(self.sheet["A3"].alignment.horizontal, "center")
        early = read(
            export([HOAI_CHAU], period_label="Tháng 2", date_from=date(2024, 1, 5), date_to=date(2024, 2, 4))
        )
        self.assertEqual(early["A3"].value, "Kỳ báo cáo: Tháng 2 (Từ ngày 05/01/2024 đến ngày 04/02/2024)")

    def test_the_unit_of_measure_is_right_aligned(self):
        self.assertEqual(self.sheet["A4"].value, "Đơn vị tính: Số hồ sơ TTHC")
        self.assertEqual(self.sheet["A4"].alignment.horizontal, "right")


class XlsxHeaderTests(SimpleTestCase):
    def setUp(self):
        self.sheet = read(export([HOAI_CHAU]))

    def test_stt_and_linh_vuc_span_both_header_rows(self):
        self.assertEqual(
            (self.sheet["A6"].value, self.sheet["B6"].value),
            ("STT", "Lĩnh vực, công việc giải quyết theo cấp"),
        )
        self.assertLessEqual({"A6:A7", "B6:B7"}, merged(self.sheet))

    def test_each_group_spans_its_columns_as_on_the_form(self):
        self.assertEqual(
            [self.sheet[coordinate].value for coordinate in ("C6", "G6", "K6", "N6")],
            [
                "Số hồ sơ nhận giải quyết",
                "Số hồ sơ đã giải quyết",
                "Số hồ sơ đang giải quyết",
                "Chỉ tiêu khác",
            ],
        )
        self.assertLessEqual({"C6:F6", "G6:J6", "K6:M6", "N6:S6"}, merged(self.sheet))

    def test_the_second_header_row_names_every_number_column(self):
        self.assertEqual(
            [cell.value for cell in self.sheet[7][2:19]],
            [
                "Tổng số",
                "Trong đó: Trực tuyến",
                "Trong đó: Trực tiếp, dịch vụ bưu chính",
                "Từ kỳ trước",
                "Tổng số",
                "Trước hạn",
                "Đúng hạn",
                "Quá hạn",
                "Tổng số",
                "Trong hạn",
                "Quá hạn",
                "Thanh toán trực tuyến",
                "Hồ sơ có thu phí, lệ phí",
                "Kết quả được số hóa",
                "Thư xin lỗi",
                "PAKN tiếp nhận",
                "PAKN đã giải quyết",
            ],
        )

    def test_a_row_numbers_the_columns_from_1_to_19(self):
        self.assertEqual([cell.value for cell in self.sheet[8]], [f"({number})" for number in range(1, 20)])

    def test_header_text_is_bold_centred_and_wrapped(self):
        for coordinate in ("B6", "C6", "E7", "Q7"):
            cell = self.sheet[coordinate]
            with self.subTest(coordinate):
                self.assertTrue(cell.font.b)
                self.assertEqual(cell.alignment.horizontal, "center")
                self.assertTrue(cell.alignment.wrap_text)

    def test_the_columns_are_wide_enough_to_read(self):
        self.assertEqual(self.sheet.column_dimensions["B"].width, 36)
        self.assertEqual(self.sheet.column_dimensions["C"].width, 11)
        self.assertEqual(self.sheet.column_dimensions["S"].width, 11)


class XlsxOneCommuneTests(SimpleTestCase):
    def setUp(self):
        self.sheet = read(export([HOAI_CHAU]))

    def test_it_lists_the_linh_vuc_rows_then_a_bold_total(self):
        lines = data_lines(self.sheet)
        self.assertEqual(
            [(line[0], line[1]) for line in lines], [(1, "Hộ tịch"), (2, "Chứng thực"), (None, "Tổng cộng")]
        )
        self.assertTrue(self.sheet.cell(FIRST_DATA_ROW + 2, 2).font.b)
        self.assertTrue(self.sheet.cell(FIRST_DATA_ROW + 2, 3).font.b)
        self.assertFalse(self.sheet.cell(FIRST_DATA_ROW, 3).font.b)

    def test_a_row_carries_the_computed_totals_of_the_form(self):
        self.assertEqual(data_lines(self.sheet)[0], HO_TICH_LINE)

    def test_the_total_row_adds_up_every_column(self):
        self.assertEqual(data_lines(self.sheet)[2][2:], HOAI_CHAU_TOTAL)

    def test_numbers_are_integers_shown_with_thousands_grouping(self):
        for cell in self.sheet[FIRST_DATA_ROW][2:19]:
            with self.subTest(cell.coordinate):
                self.assertIs(type(cell.value), int)
                self.assertEqual(cell.number_format, "#,##0")

    def test_the_whole_table_has_thin_borders(self):
        def sides(coordinate: str) -> tuple:
            border = self.sheet[coordinate].border
            return (border.left.style, border.right.style, border.top.style, border.bottom.style)

        for coordinate in ("C7", "S8", "A9", "S11"):
            with self.subTest(coordinate):
                self.assertEqual(sides(coordinate), ("thin",) * 4)
        # openpyxl drops the inner sides of a merged range when it reads a file back: check the outer ones.
        self.assertEqual(sides("A6")[:3], ("thin",) * 3)  # top of STT, over A6:A7
        self.assertEqual(sides("B7")[:2] + sides("B7")[3:], ("thin",) * 3)  # bottom of Lĩnh vực, B6:B7
        self.assertEqual(sides("D6")[2:], ("thin",) * 2)  # inside "Số hồ sơ nhận giải quyết", C6:F6

    def test_no_rows_still_give_a_table_with_a_zero_total(self):
        lines = data_lines(read(export([ExportGroup("Xã Hoài Châu", [])])))
        self.assertEqual(lines, [(None, "Tổng cộng", *[0] * 17)])


class XlsxSeveralCommunesTests(SimpleTestCase):
    def setUp(self):
        self.sheet = read(export([HOAI_CHAU, HOAI_CHAU_BAC], issuer="UBND THỊ XÃ HOÀI NHƠN"))
        self.lines = data_lines(self.sheet)

    def test_each_commune_gets_a_roman_numbered_row_before_its_own_numbered_rows(self):
        self.assertEqual(
            [(line[0], line[1]) for line in self.lines],
            [
                ("I", "Xã Hoài Châu"),
                (1, "Hộ tịch"),
                (2, "Chứng thực"),
                ("II", "Xã Hoài Châu Bắc"),
                (1, "Đất đai"),
                (None, "Tổng cộng"),
            ],
        )

    def test_a_commune_row_is_bold_and_carries_its_subtotals(self):
        self.assertEqual(self.lines[0][2:], HOAI_CHAU_TOTAL)
        self.assertEqual(self.lines[3][2:], HOAI_CHAU_BAC_TOTAL)
        self.assertTrue(self.sheet.cell(FIRST_DATA_ROW, 2).font.b)
        self.assertTrue(self.sheet.cell(FIRST_DATA_ROW + 3, 5).font.b)
        self.assertFalse(self.sheet.cell(FIRST_DATA_ROW + 1, 2).font.b)

    def test_the_grand_total_is_the_sum_of_the_communes(self):
        grand_total = tuple(a + b for a, b in zip(HOAI_CHAU_TOTAL, HOAI_CHAU_BAC_TOTAL, strict=True))
        self.assertEqual(self.lines[-1][2:], grand_total)
        self.assertEqual(self.lines[-1][2], 1337 + 17)

    def test_roman_numerals_go_past_the_easy_ones(self):
        self.assertEqual(
            [roman(n) for n in (1, 4, 9, 14, 17, 40, 1994)], ["I", "IV", "IX", "XIV", "XVII", "XL", "MCMXCIV"]
        )
        with self.assertRaises(ValueError):
            roman(0)


class XlsxPageTests(SimpleTestCase):
    def setUp(self):
        self.sheet = read(export([HOAI_CHAU]))

    def test_it_prints_on_a4_landscape_one_page_wide(self):
        setup = self.sheet.page_setup
        self.assertEqual((int(setup.paperSize), setup.orientation), (9, "landscape"))  # 9 is A4 in OOXML
        self.assertEqual((setup.fitToWidth, setup.fitToHeight), (1, 0))
        self.assertTrue(self.sheet.sheet_properties.pageSetUpPr.fitToPage)

    def test_the_header_rows_repeat_on_every_printed_page(self):
        self.assertEqual(self.sheet.print_title_rows, "$6:$8")

    def test_the_headers_stay_in_sight_when_scrolling(self):
        self.assertEqual(self.sheet.freeze_panes, "C9")


class XlsxFormulaInjectionTests(SimpleTestCase):
    def setUp(self):
        self.data = export(
            [
                ExportGroup("@SUM(1)", [ExportRow('=HYPERLINK("http://x")', HO_TICH)]),
                ExportGroup("+Xã Hoài Châu Bắc", [ExportRow("-Đất đai", DAT_DAI)]),
            ],
            issuer="=1+1",
        )
        self.sheet = read(self.data)

    def test_text_that_looks_like_a_formula_comes_back_as_the_same_text(self):
        for coordinate, text in (
            ("A1", "=1+1"),
            ("B9", "@SUM(1)"),
            ("B10", '=HYPERLINK("http://x")'),
            ("B11", "+Xã Hoài Châu Bắc"),
            ("B12", "-Đất đai"),
        ):
            cell = self.sheet[coordinate]
            with self.subTest(coordinate):
                self.assertEqual((cell.value, cell.data_type), (text, "s"))
                # Excel's leading apostrophe: editing the cell keeps it text.
                self.assertTrue(cell.quotePrefix)

    def test_the_sheet_holds_no_formula_at_all(self):
        self.assertNotIn("<f>", sheet_xml(self.data))
        self.assertNotIn("<f ", sheet_xml(self.data))
        for row in self.sheet.iter_rows():
            for cell in row:
                with self.subTest(cell.coordinate):
                    self.assertNotEqual(cell.data_type, "f")

    def test_ordinary_text_gets_no_quote_prefix(self):
        self.assertFalse(read(export([HOAI_CHAU]))["B9"].quotePrefix)

    def test_control_characters_are_dropped_rather_than_breaking_the_file(self):
        sheet = read(export([ExportGroup("Xã Hoài Châu", [ExportRow("Hộ\x07 tịch", HO_TICH)])]))
        self.assertEqual(sheet["B9"].value, "Hộ tịch")


class CsvTests(SimpleTestCase):
    def rows(self, groups: list[ExportGroup]) -> list[list[str]]:
        return list(csv.reader(io.StringIO(bieu06_csv(groups=groups).decode("utf-8-sig"))))

    def test_it_starts_with_a_byte_order_mark_so_excel_reads_vietnamese(self):
        data = bieu06_csv(groups=[HOAI_CHAU])
        self.assertTrue(data.startswith(b"\xef\xbb\xbf"))
        self.assertIn("Hộ tịch", data[3:].decode("utf-8"))

    def test_the_header_names_the_unit_the_field_and_nineteen_figures(self):
        header = self.rows([HOAI_CHAU])[0]
        self.assertEqual(len(header), 21)
        self.assertEqual(header[:3], ["Đơn vị", "Lĩnh vực", "Số hồ sơ nhận giải quyết: Tổng số (3)"])
        self.assertEqual(header[20], "PAKN đã giải quyết (19)")
        self.assertEqual(len(set(header)), 21, "every title must say which column it is")

    def test_there_is_one_line_per_linh_vuc_of_each_commune_and_no_total(self):
        rows = self.rows([HOAI_CHAU, HOAI_CHAU_BAC])
        self.assertEqual(
            [row[:2] for row in rows[1:]],
            [["Xã Hoài Châu", "Hộ tịch"], ["Xã Hoài Châu", "Chứng thực"], ["Xã Hoài Châu Bắc", "Đất đai"]],
        )

    def test_the_numbers_include_the_computed_totals_and_both_channels(self):
        header, ho_tich, chung_thuc = self.rows([HOAI_CHAU])
        figures = dict(zip(header, ho_tich, strict=True))
        self.assertEqual(figures["Số hồ sơ nhận giải quyết: Tổng số (3)"], "1292")
        self.assertEqual(figures["Số hồ sơ nhận giải quyết: Trực tuyến (4)"], "1184")
        self.assertEqual(figures["Số hồ sơ đã giải quyết: Tổng số (7)"], "1292")
        self.assertEqual(figures["Thanh toán trực tuyến (14)"], "586")
        self.assertEqual(
            ho_tich[2:],
            [
                "1292",
                "1184",
                "108",
                "108",
                "0",
                "0",
                "1292",
                "0",
                "1292",
                "0",
                "0",
                "0",
                "0",
                "586",
                "618",
                "1000",
                "0",
                "0",
                "0",
            ],
        )
        figures = dict(zip(header, chung_thuc, strict=True))
        self.assertEqual(figures["Số hồ sơ nhận giải quyết: Trực tiếp, dịch vụ bưu chính (5)"], "42")
        self.assertEqual(figures["Số hồ sơ nhận giải quyết: Trực tiếp"], "40")
        self.assertEqual(figures["Số hồ sơ nhận giải quyết: Dịch vụ bưu chính"], "2")
        self.assertEqual(figures["Số hồ sơ đang giải quyết: Tổng số (11)"], "5")

    def test_text_that_a_spreadsheet_would_run_gets_a_leading_quote(self):
        rows = self.rows(
            [
                ExportGroup(
                    "@SUM(1)", [ExportRow('=HYPERLINK("http://x")', HO_TICH), ExportRow("+1", HO_TICH)]
                ),
                ExportGroup("\tXã", [ExportRow("-2", HO_TICH), ExportRow("\rHộ tịch", HO_TICH)]),
            ]
        )
        self.assertEqual(
            [row[:2] for row in rows[1:]],
            [
                ["'@SUM(1)", '\'=HYPERLINK("http://x")'],
                ["'@SUM(1)", "'+1"],
                ["'\tXã", "'-2"],
                ["'\tXã", "'\rHộ tịch"],
            ],
        )

    def test_ordinary_text_is_left_alone(self):
        self.assertEqual(self.rows([HOAI_CHAU])[1][:2], ["Xã Hoài Châu", "Hộ tịch"])
