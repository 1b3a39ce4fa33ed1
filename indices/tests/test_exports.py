from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from django.test import SimpleTestCase
from openpyxl import load_workbook

from indices.exports import ExportField, ExportRow, ranking_csv, ranking_json, ranking_xlsx

D = Decimal
FIELDS = [ExportField("1", "Chỉ đạo, điều hành CCHC"), ExportField("2", "Cải cách thể chế")]
ROWS = [
    ExportRow(1, "21649", "Xã Hoài Châu", D("84.16"), "Tốt", D("1.25"), 2, [D("8.50"), D("75.66")]),
    ExportRow(2, "21646", '=HYPERLINK("x")', D("80.00"), "Khá", D("-0.50"), -1, [D("8.00"), D("72.00")]),
    ExportRow(None, "21647", "Xã Chưa Chấm", None, "", None, None, [None, None]),
]
HEADER = [
    "Hạng",
    "Mã đơn vị",
    "Đơn vị",
    "Tổng điểm",
    "Xếp loại",
    "Thay đổi điểm",
    "Thay đổi hạng",
    "1. Chỉ đạo, điều hành CCHC",
    "2. Cải cách thể chế",
]


class RankingCsvTest(SimpleTestCase):
    def read(self) -> list[list[str]]:
        data = ranking_csv(fields=FIELDS, rows=ROWS)
        self.assertTrue(data.startswith(b"\xef\xbb\xbf"), "a byte order mark, for Excel")
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))

    def test_it_has_the_columns_then_one_line_per_commune(self):
        rows = self.read()
        self.assertEqual(rows[0], HEADER)
        self.assertEqual(
            rows[1], ["1", "21649", "Xã Hoài Châu", "84.16", "Tốt", "1.25", "2", "8.50", "75.66"]
        )

    def test_a_commune_not_yet_appraised_has_empty_cells(self):
        self.assertEqual(self.read()[3], ["", "21647", "Xã Chưa Chấm", "", "", "", "", "", ""])

    def test_text_that_looks_like_a_formula_is_written_as_text(self):
        row = self.read()[2]
        self.assertEqual(row[2], '\'=HYPERLINK("x")')
        self.assertEqual(row[5], "-0.50")  # a negative number stays a number


class RankingXlsxTest(SimpleTestCase):
    def setUp(self):
        data = ranking_xlsx(
            title="Xếp hạng Chỉ số CCHC năm 2023 – Thị xã Hoài Nhơn", fields=FIELDS, rows=ROWS
        )
        self.sheet = load_workbook(io.BytesIO(data))["Xếp hạng"]

    def test_it_reads_back_with_numbers_as_numbers(self):
        self.assertEqual(self.sheet["A1"].value, "Xếp hạng Chỉ số CCHC năm 2023 – Thị xã Hoài Nhơn")
        self.assertEqual([c.value for c in self.sheet[3]], HEADER)
        self.assertEqual(
            [c.value for c in self.sheet[4]], [1, "21649", "Xã Hoài Châu", 84.16, "Tốt", 1.25, 2, 8.5, 75.66]
        )
        self.assertEqual(
            [c.value for c in self.sheet[6]][:7], [None, "21647", "Xã Chưa Chấm", None, None, None, None]
        )

    def test_text_that_looks_like_a_formula_stays_text(self):
        cell = self.sheet["C5"]
        self.assertEqual(cell.value, '=HYPERLINK("x")')
        self.assertEqual(cell.data_type, "s")


class RankingJsonTest(SimpleTestCase):
    def test_points_are_exact_strings_and_ranks_integers(self):
        document = json.loads(ranking_json(meta={"year": 2023}, fields=FIELDS, rows=ROWS))
        self.assertEqual(document["round"], {"year": 2023})
        self.assertEqual(document["columns"], HEADER)
        self.assertEqual(
            document["rows"][0],
            {
                "rank": 1,
                "code": "21649",
                "name": "Xã Hoài Châu",
                "total": "84.16",
                "band": "Tốt",
                "points_change": "1.25",
                "rank_change": 2,
                "fields": {"1": "8.50", "2": "75.66"},
            },
        )
        self.assertEqual(document["rows"][2]["rank"], None)
        self.assertEqual(document["rows"][2]["total"], None)
