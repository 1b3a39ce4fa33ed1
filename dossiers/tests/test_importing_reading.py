"""dossiers.importing: reading the lĩnh vực rows of Biểu 06 files laid out the ways one-stop software
lays them out, and recognising the lĩnh vực by name."""

from __future__ import annotations

import re
import unicodedata

from dossiers.figures import Figures

from .test_importing_fixtures import ID, SHEET, ImportTestCase, build, line, parse, rewrite_member


class CleanFileTests(ImportTestCase):
    def test_a_one_stop_export_gives_the_figures_of_each_lĩnh_vực(self):
        ho_tich = line("Hộ tịch", online=1184, in_person=108, early=300, on_time=992)
        ho_tich[1:4] = ["1.292", "1.184", "108"]  # text numbers with Vietnamese thousands separators
        chung_thuc = line("Chứng thực", online=20, in_person=5, carried=2, on_time=25, in_time=2)
        chung_thuc[9] = " 2 "
        chung_thuc[10] = " 2 "
        chung_thuc[11] = None  # a blank cell counts 0
        dat_dai = line("Đất đai", in_person=7, late=3, overdue=4)
        dat_dai[1] = "7"
        result = parse(build([ho_tich, chung_thuc, dat_dai]))

        self.assertEqual(result.problems, [])
        self.assertTrue(result.ok)
        self.assertEqual(
            [(r.sheet, r.row, r.field_id, r.field_name) for r in result.rows],
            [
                (SHEET, 9, ID["Hộ tịch"], "Hộ tịch"),
                (SHEET, 10, ID["Chứng thực"], "Chứng thực"),
                (SHEET, 11, ID["Đất đai"], "Đất đai"),
            ],
        )
        self.assertEqual(
            result.rows[0].figures,
            Figures(received_online=1184, received_in_person=108, resolved_early=300, resolved_on_time=992),
        )
        self.assertEqual(
            result.rows[1].figures,
            Figures(
                received_online=20,
                received_in_person=5,
                carried_over=2,
                resolved_on_time=25,
                pending_in_time=2,
            ),
        )
        self.assertEqual(
            result.rows[2].figures, Figures(received_in_person=7, resolved_late=3, pending_overdue=4)
        )

    def test_notes_and_signatures_below_the_total_row_are_not_read(self):
        result = parse(build([line("Hộ tịch", online=3, on_time=3)]))
        self.assertEqual(result.problems, [])
        self.assertEqual(len(result.rows), 1)

    def test_a_three_row_header_numbered_without_brackets_and_a_total_merged_over_a_and_b(self):
        data = build(
            [line("Hộ tịch", online=3, on_time=3), line("Tôn giáo", in_person=1, in_time=1)],
            three_row_header=True,
            column_numbers="plain",
            total_in_column_a=True,
            total_label="Tổng số",
        )
        result = parse(data)
        self.assertEqual(result.problems, [])
        self.assertEqual([r.row for r in result.rows], [10, 11])
        self.assertEqual(result.rows[1].figures, Figures(received_in_person=1, pending_in_time=1))

    def test_a_file_without_column_numbers_or_total_row(self):
        result = parse(build([line("Hộ tịch", online=3, on_time=3)], column_numbers=None, total=None))
        self.assertEqual(result.problems, [])  # the signatures below are not mistaken for lĩnh vực
        self.assertEqual([r.row for r in result.rows], [8])

    def test_a_title_mentioning_lĩnh_vực_just_above_the_header_is_not_taken_for_it(self):
        data = build([line("Hộ tịch", online=3, on_time=3)], subtitle="PHÂN THEO LĨNH VỰC")
        result = parse(data)
        self.assertEqual(result.problems, [])
        self.assertEqual([(r.row, r.field_name) for r in result.rows], [(9, "Hộ tịch")])

    def test_rows_beyond_a_wrong_recorded_dimension_are_still_read(self):
        data = build([line("Hộ tịch", online=3, on_time=3), line("Đất đai", online=1, on_time=1)])
        data = rewrite_member(
            data,
            "xl/worksheets/sheet1.xml",
            lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:M9"', xml),
        )
        result = parse(data)
        self.assertEqual(result.problems, [])
        self.assertEqual([r.row for r in result.rows], [9, 10])

    def test_the_first_sheet_with_the_header_is_read_and_other_sheets_ignored(self):
        data = build(
            [line("Hộ tịch", online=3, on_time=3)],
            sheets_before=[("Hướng dẫn", [["Hướng dẫn nhập liệu"], ["Điền số hồ sơ theo lĩnh vực"]])],
        )
        result = parse(data)
        self.assertEqual(result.problems, [])
        self.assertEqual([(r.sheet, r.row) for r in result.rows], [(SHEET, 9)])

    def test_extra_columns_after_column_13_are_read_by_their_header(self):
        extras = (
            ("Thanh toán trực tuyến", "Số giao dịch"),
            ("", "Số hồ sơ có thu phí, lệ phí"),
            ("Số kết quả được số hóa", None),
            ("Số thư xin lỗi", None),
            ("PAKN", "Tiếp nhận"),
            ("", "Đã giải quyết"),
            ("Ghi chú", None),
        )
        row = line("Hộ tịch", online=10, early=4, on_time=4, late=2) + [5, 6, 7, 2, 3, 1, "gửi muộn"]
        result = parse(build([row], extras=extras, total=line("", online=10, early=4, on_time=4, late=2)[1:]))
        self.assertEqual(result.problems, [])
        self.assertEqual(
            result.rows[0].figures,
            Figures(
                received_online=10,
                resolved_early=4,
                resolved_on_time=4,
                resolved_late=2,
                online_payments=5,
                dossiers_with_fees=6,
                digitised_results=7,
                apology_letters=2,
                pakn_received=3,
                pakn_resolved=1,
            ),
        )

    def test_figures_check_errors_are_placed_at_the_cell_of_the_figure(self):
        extras = (("Thanh toán trực tuyến", "Số giao dịch"), ("", "Số hồ sơ có thu phí, lệ phí"))
        row = line("Hộ tịch", online=10, on_time=10) + [8, 5]
        result = parse(build([row], extras=extras, total=None))
        self.assertFalse(result.ok)
        self.assertProblem(
            result, row=9, column="N", contains="Dòng 9: Số giao dịch thanh toán trực tuyến (8) lớn hơn"
        )
        self.assertEqual(len(result.problems), 1, result.problems)


class NameTests(ImportTestCase):
    def test_names_are_recognised_whatever_their_case_spacing_composition_prefix_or_numbering(self):
        written = [
            "HỘ TỊCH",
            "  chứng    thực ",
            unicodedata.normalize("NFD", "Đất đai"),
            "Lĩnh vực Bảo trợ xã hội",
            "1. Người có công",
            "II. Giáo dục và Đào tạo.",
            "3) Lĩnh vực: Nuôi con nuôi;",
            "Tôn Giáo",
            "Công thương",
        ]
        result = parse(build([line(name, online=1, on_time=1) for name in written]))
        self.assertEqual(result.problems, [])
        self.assertEqual(
            [r.field_name for r in result.rows],
            [
                "Hộ tịch",
                "Chứng thực",
                "Đất đai",
                "Bảo trợ xã hội",
                "Người có công",
                "Giáo dục và Đào tạo",
                "Nuôi con nuôi",
                "Tôn giáo",
                "Công thương",
            ],
        )

    def test_an_unknown_lĩnh_vực_is_an_error_at_its_name_cell(self):
        result = parse(
            build([line("Hộ tịch", online=1, on_time=1), line("Hộ tịch điện tử", online=2, on_time=2)])
        )
        self.assertFalse(result.ok)
        self.assertProblem(
            result, row=10, column="B", contains="lĩnh vực “Hộ tịch điện tử” không có trong danh mục lĩnh vực"
        )
        self.assertEqual([r.field_name for r in result.rows], ["Hộ tịch"])

    def test_the_same_lĩnh_vực_twice_is_an_error_naming_the_first_row(self):
        result = parse(
            build(
                [
                    line("Hộ tịch", online=1, on_time=1),
                    line("Đất đai", in_person=1, in_time=1),
                    line("1. HỘ TỊCH", online=2, on_time=2),
                ]
            )
        )
        self.assertFalse(result.ok)
        self.assertProblem(result, row=11, column="B", contains="lĩnh vực “Hộ tịch” đã có ở dòng 9")
        self.assertEqual([r.row for r in result.rows], [9, 10])

    def test_figures_without_a_name_are_an_error(self):
        result = parse(build([line("Hộ tịch", online=1, on_time=1), line(None, online=2, on_time=2)]))
        self.assertProblem(result, row=10, column="B", contains="có số liệu nhưng chưa ghi tên lĩnh vực")

    def test_a_section_heading_without_figures_is_passed_over(self):
        result = parse(build([["I. Cấp xã"], line("Hộ tịch", online=1, on_time=1)]))
        self.assertEqual(result.problems, [])
        self.assertEqual([r.row for r in result.rows], [10])
