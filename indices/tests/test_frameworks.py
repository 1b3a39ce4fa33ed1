"""The framework template read and written, its checks, and saving (import, versions)."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from io import BytesIO

from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from communes.models import Level
from core.testing import PortalTestCase
from indices import frameworks
from indices.frameworks import BandRow, FrameworkData, Node, framework_xlsx, read_xlsx, write_xlsx
from indices.models import Band, Criterion, Framework
from indices.services.frameworks import Outcome, framework_import, framework_new_version, framework_read
from indices.testing import BANDS, TREE, make_framework, make_round


def sample_data(**changes) -> FrameworkData:
    """The 20-point tree of ``indices.testing`` as template data, issued by Bình Định (52)."""
    data = FrameworkData(
        name="Bộ chỉ số thử",
        issuer_code="52",
        era="legacy",
        year_from=2022,
        year_to=2024,
        legal_basis="QĐ 1/QĐ-UBND ngày 02/01/2023",
        total_points=Decimal(20),
        nodes=[
            Node(code, title, Decimal(points), "", evidence, rule)
            for code, title, points, evidence, rule in TREE
        ],
        bands=[BandRow(label, Decimal(low), Decimal(high)) for label, low, high in BANDS],
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def edited(data: bytes, edit) -> bytes:
    """The workbook ``data`` after ``edit(book)``."""
    book = load_workbook(BytesIO(data))
    edit(book)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def tree_row(book, code: str) -> int:
    sheet = book["Tiêu chí"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == code:
            return row[0].row
    raise AssertionError(code)


def info_row(book, label: str) -> int:
    sheet = book["Thông tin"]
    for row in sheet.iter_rows():
        if row[0].value == label:
            return row[0].row
    raise AssertionError(label)


class ReadingTests(PortalTestCase):
    def read(self, data: bytes) -> frameworks.ReadResult:
        return framework_read(data, filename="bo-chi-so.xlsx")

    def assert_refused(self, data: bytes, *fragments: str, where: tuple | None = None):
        before = Framework.objects.count()
        result = self.read(data)
        self.assertFalse(result.ok)
        messages = " | ".join(problem.message for problem in result.problems)
        for fragment in fragments:
            self.assertIn(fragment, messages)
        if where is not None:
            self.assertIn(where, [(p.sheet, p.row, p.column) for p in result.problems], messages)
        self.assertEqual(Framework.objects.count(), before)
        return result

    def test_a_written_template_reads_back_whole(self):
        result = self.read(write_xlsx(sample_data()))
        self.assertTrue(result.ok, result.problems)
        data = result.data
        self.assertEqual(data.issuer, self.binh_dinh)
        self.assertEqual([n.code for n in data.nodes], [row[0] for row in TREE])
        self.assertEqual(data.nodes[4].rule, "ty_le_truc_tuyen(nguong=80)")
        self.assertTrue(data.nodes[1].evidence_required)
        self.assertEqual(data.total_points, Decimal(20))
        self.assertEqual(data.step, Decimal("0.25"))
        self.assertEqual(data.group_level, Level.DISTRICT)
        self.assertEqual([(b.label, b.min_points, b.max_points) for b in data.bands][0], ("Tốt", 16, 20))

    def test_it_tolerates_a_title_above_the_header_other_spelling_text_points_and_blank_rows(self):
        def edit(book):
            sheet = book["Tiêu chí"]
            sheet.insert_rows(1, 2)
            sheet["A1"] = "BỘ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CẤP XÃ"
            sheet["A3"] = "MÃ"
            sheet["E3"] = "Tài liệu kiểm chứng (có/không)"
            sheet["B3"] = "noi dung"
            sheet.insert_rows(6)
            sheet.cell(tree_row(book, "1.2.1"), 3).value = "1,5"
            sheet.cell(tree_row(book, "1.2.2"), 3).value = "4,5"

        result = self.read(edited(write_xlsx(sample_data()), edit))
        self.assertTrue(result.ok, result.problems)
        self.assertEqual(result.data.nodes[3].max_points, Decimal("1.5"))

    def test_it_accepts_codes_that_excel_turned_into_numbers(self):
        def edit(book):
            book["Tiêu chí"].cell(tree_row(book, "1.2"), 1).value = 1.2
            book["Tiêu chí"].cell(tree_row(book, "1"), 1).value = 1

        self.assertTrue(self.read(edited(write_xlsx(sample_data()), edit)).ok)

    def test_it_refuses_what_is_not_an_xlsx(self):
        self.assert_refused(b"STT;Ma;Noi dung\n1;1;x\n", "không phải tệp Excel .xlsx")

    def test_it_refuses_an_encrypted_file(self):
        self.assert_refused(b"\xd0\xcf\x11\xe0" + b"\0" * 600, "mật khẩu")

    def test_it_refuses_a_corrupt_file(self):
        self.assert_refused(write_xlsx(sample_data())[:900], "hỏng")

    def test_it_refuses_a_file_over_5_mb(self):
        self.assert_refused(b"PK\x03\x04" + b"\0" * (5 * 1024 * 1024 + 1), "vượt quá giới hạn 5,0 MB")

    def test_it_refuses_a_zip_bomb(self):
        buffer = BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", "<x/>")
            archive.writestr("xl/workbook.xml", "<x/>")
            archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
        self.assert_refused(buffer.getvalue(), "nén bất thường")

    def test_it_refuses_formulas_without_cached_values(self):
        def edit(book):
            book["Tiêu chí"].cell(tree_row(book, "1"), 3).value = "=C3+C4"

        self.assert_refused(
            edited(write_xlsx(sample_data()), edit), "công thức chưa được tính", where=("Tiêu chí", 2, "C")
        )

    def test_it_refuses_a_sheet_with_missing_columns(self):
        def edit(book):
            book["Tiêu chí"].delete_cols(6)

        self.assert_refused(edited(write_xlsx(sample_data()), edit), "Thiếu cột “Cách tính tự động”")

    def test_it_refuses_a_sheet_without_header(self):
        book = Workbook()
        book.active.append(["x", "y"])
        buffer = BytesIO()
        book.save(buffer)
        self.assert_refused(buffer.getvalue(), "Không tìm thấy dòng tiêu đề")

    def test_it_refuses_a_file_without_the_information_sheet(self):
        self.assert_refused(
            edited(write_xlsx(sample_data()), lambda b: b.remove(b["Thông tin"])), "Thông tin"
        )

    def test_it_refuses_a_code_that_is_not_digits_and_dots(self):
        def edit(book):
            book["Tiêu chí"].cell(tree_row(book, "2.1"), 1).value = "2.a"

        self.assert_refused(
            edited(write_xlsx(sample_data()), edit), "Mã “2.a” không hợp lệ", where=("Tiêu chí", 8, "A")
        )

    def test_it_refuses_duplicate_codes(self):
        def edit(book):
            book["Tiêu chí"].cell(tree_row(book, "2.2"), 1).value = "2.1"

        self.assert_refused(edited(write_xlsx(sample_data()), edit), "Mã 2.1 bị trùng: đã có ở dòng 8")

    def test_it_refuses_a_child_without_its_parent(self):
        data = sample_data()
        data.nodes.append(Node("1.3.2", "Mồ côi", Decimal(1)))
        self.assert_refused(write_xlsx(data), "không có tiêu chí cha 1.3")

    def test_it_refuses_children_that_do_not_add_up_to_their_parent(self):
        def edit(book):
            book["Tiêu chí"].cell(tree_row(book, "1.2.1"), 3).value = 2

        self.assert_refused(
            edited(write_xlsx(sample_data()), edit),
            "Các tiêu chí con của 1.2 cộng lại 5 điểm, khác điểm tối đa 6 của 1.2",
            where=("Tiêu chí", 4, "C"),
        )

    def test_it_refuses_fields_that_do_not_add_up_to_the_total(self):
        def edit(book):
            book["Thông tin"].cell(info_row(book, "Tổng điểm"), 2).value = 25

        result = self.assert_refused(edited(write_xlsx(sample_data()), edit), "khác Tổng điểm 25")
        self.assertIn(("Thông tin", 7, "B"), [(p.sheet, p.row, p.column) for p in result.problems])

    def test_it_refuses_a_max_that_is_not_positive_or_not_on_the_step(self):
        data = sample_data()
        data.nodes[3].max_points = Decimal("1.8")
        data.nodes[4].max_points = Decimal("4.2")
        self.assert_refused(write_xlsx(data), "không phải bội số của bước điểm 0,25")
        data = sample_data()
        data.nodes.append(Node("2.3", "Không điểm", Decimal(0)))
        self.assert_refused(write_xlsx(data), "phải lớn hơn 0")

    def test_it_refuses_points_that_are_not_numbers(self):
        def edit(book):
            book["Tiêu chí"].cell(tree_row(book, "2.1"), 3).value = "năm"

        self.assert_refused(
            edited(write_xlsx(sample_data()), edit), "phải là một số", where=("Tiêu chí", 8, "C")
        )

    def test_it_refuses_a_bad_rule_with_the_rules_message(self):
        def edit(book):
            book["Tiêu chí"].cell(tree_row(book, "2.1"), 6).value = "ty_le_truc_tuyen"

        self.assert_refused(
            edited(write_xlsx(sample_data()), edit), "cần tham số nguong", where=("Tiêu chí", 8, "F")
        )

    def test_it_refuses_a_rule_on_a_node_with_children(self):
        def edit(book):
            book["Tiêu chí"].cell(tree_row(book, "1.2"), 6).value = "xin_loi_tre_han"

        self.assert_refused(edited(write_xlsx(sample_data()), edit), "có tiêu chí con nên không đặt được")

    def test_it_refuses_overlapping_bands(self):
        data = sample_data(bands=[BandRow("Tốt", Decimal(15), Decimal(20)), *sample_data().bands[1:]])
        self.assert_refused(write_xlsx(data), "chồng lên mức")

    def test_it_refuses_bands_with_a_gap(self):
        data = sample_data(bands=[BandRow("Tốt", Decimal(17), Decimal(20)), *sample_data().bands[1:]])
        self.assert_refused(write_xlsx(data), "có khoảng điểm không thuộc mức nào")

    def test_it_refuses_bands_that_do_not_start_at_zero(self):
        data = sample_data(bands=[*sample_data().bands[:2], BandRow("Trung bình", Decimal(1), Decimal(10))])
        self.assert_refused(write_xlsx(data), "phải bắt đầu từ 0 điểm")

    def test_it_refuses_bands_that_do_not_end_at_the_total(self):
        data = sample_data(bands=[BandRow("Tốt", Decimal(16), Decimal(30)), *sample_data().bands[1:]])
        self.assert_refused(write_xlsx(data), "phải kết thúc ở Tổng điểm 20")

    def test_bands_end_at_100_when_the_total_is_rescaled(self):
        self.assert_refused(write_xlsx(sample_data(rescale_to_100=True)), "phải kết thúc ở 100 điểm")
        bands = [BandRow("Tốt", Decimal(80), Decimal(100)), BandRow("Khá", Decimal(0), Decimal(80))]
        self.assertTrue(self.read(write_xlsx(sample_data(rescale_to_100=True, bands=bands))).ok)

    def test_it_refuses_years_reversed(self):
        self.assert_refused(write_xlsx(sample_data(year_from=2025, year_to=2023)), "đứng trước năm")

    def test_it_refuses_an_unknown_issuing_unit(self):
        self.assert_refused(
            write_xlsx(sample_data(issuer_code="99")), "Không có đơn vị mã 99", where=("Thông tin", 2, "B")
        )

    def test_it_needs_the_era_when_a_code_belongs_to_two_eras(self):
        self.assert_refused(write_xlsx(sample_data(era="")), "ứng với nhiều đơn vị")
        self.assertEqual(self.read(write_xlsx(sample_data(era="2025"))).data.issuer, self.gia_lai)

    def test_it_lists_every_problem_at_once(self):
        def edit(book):
            sheet = book["Tiêu chí"]
            sheet.cell(tree_row(book, "2.1"), 6).value = "khong_co"
            sheet.cell(tree_row(book, "1.1"), 5).value = "chắc"

        result = self.assert_refused(edited(write_xlsx(sample_data()), edit))
        self.assertEqual(len(result.problems), 1)  # the evidence cell, read before the checks of the whole
        result = self.assert_refused(
            edited(write_xlsx(sample_data()), lambda b: b["Tiêu chí"].cell(8, 6, "khong_co")),
        )
        self.assertIn("Không hiểu cách tính", result.problems[0].message)


class RoundTripTests(PortalTestCase):
    def test_export_then_import_gives_the_same_framework(self):
        original = make_framework(self.binh_dinh, note="Điểm minh họa", rescale_to_100=False)
        data = framework_xlsx(original)
        book = load_workbook(BytesIO(data))
        self.assertEqual(book.sheetnames, ["Tiêu chí", "Thông tin"])
        self.assertTrue(book["Tiêu chí"]["A1"].font.b)
        result = framework_read(data)
        self.assertTrue(result.ok, result.problems)
        Framework.objects.filter(pk=original.pk).update(name="Bản cũ")
        copy = framework_import(data=result.data, issuer=result.data.issuer).framework

        def facts(framework):
            return (
                framework.issuer_id,
                framework.year_from,
                framework.year_to,
                framework.legal_basis,
                framework.total_points,
                framework.step,
                framework.rescale_to_100,
                framework.group_level,
                framework.note,
                [
                    (c.code, c.parent.code if c.parent else None, c.depth, c.title, c.max_points, c.guide)
                    + (c.evidence_required, c.rule)
                    for c in framework.criteria.order_by("sort_key").select_related("parent")
                ],
                sorted((b.label, b.min_points, b.max_points) for b in framework.bands.all()),
            )

        self.assertEqual(facts(copy), facts(original))
        # the same cells from the copy as from the original (the bytes differ by the zip's timestamps)
        self.assertEqual(sheet_values(framework_xlsx(copy)), sheet_values(data))


class SavingTests(PortalTestCase):
    def test_importing_creates_the_framework_with_its_tree_and_bands(self):
        imported = framework_import(data=sample_data(), issuer=self.binh_dinh)
        self.assertEqual(imported.outcome, Outcome.CREATED)
        framework = imported.framework
        self.assertEqual(framework.criteria.count(), 8)
        self.assertEqual(framework.criteria.get(code="1.2.2").parent.code, "1.2")
        self.assertEqual(framework.criteria.get(code="1.2.2").sort_key, "001.002.002")
        self.assertEqual(framework.bands.count(), 3)

    def test_importing_again_replaces_a_framework_not_in_use(self):
        first = framework_import(data=sample_data(), issuer=self.binh_dinh).framework
        data = sample_data(legal_basis="QĐ 2/QĐ-UBND")
        data.nodes[6].title = "Kiểm tra công vụ"
        again = framework_import(data=data, issuer=self.binh_dinh)
        self.assertEqual(
            (again.outcome, again.framework.pk, again.framework.version), (Outcome.REPLACED, first.pk, 1)
        )
        self.assertEqual(Framework.objects.count(), 1)
        self.assertEqual(Criterion.objects.get(code="2.1").title, "Kiểm tra công vụ")
        self.assertEqual(Criterion.objects.count(), 8)
        self.assertEqual(Band.objects.count(), 3)

    def test_importing_over_a_framework_in_use_makes_a_new_version(self):
        first = framework_import(data=sample_data(), issuer=self.binh_dinh).framework
        make_round(first, self.hoai_nhon)
        scores = first.criteria.get(code="2.1").scores.count()
        again = framework_import(data=sample_data(legal_basis="QĐ 2/QĐ-UBND"), issuer=self.binh_dinh)
        self.assertEqual(again.outcome, Outcome.NEW_VERSION)
        self.assertEqual((again.framework.version, again.framework.previous), (2, first))
        first.refresh_from_db()
        self.assertEqual(first.legal_basis, "QĐ 1/QĐ-UBND ngày 02/01/2023")
        self.assertEqual(first.criteria.get(code="2.1").scores.count(), scores)
        self.assertEqual(again.framework.criteria.count(), 8)

    def test_a_new_version_copies_criteria_and_bands(self):
        original = make_framework(self.binh_dinh)
        make_round(original, self.hoai_nhon)
        copy = framework_new_version(framework=original)
        self.assertEqual((copy.version, copy.previous, copy.name), (2, original, original.name))
        self.assertEqual(
            list(
                copy.criteria.order_by("sort_key").values_list("code", "parent__code", "max_points", "rule")
            ),
            list(
                original.criteria.order_by("sort_key").values_list(
                    "code", "parent__code", "max_points", "rule"
                )
            ),
        )
        self.assertEqual(copy.bands.count(), 3)
        self.assertEqual(framework_new_version(framework=original).version, 3)

    def test_import_refuses_invalid_data_and_saves_nothing(self):
        data = sample_data(total_points=Decimal(30))
        with self.assertRaises(ValidationError) as caught:
            framework_import(data=data, issuer=self.binh_dinh)
        self.assertIn("khác Tổng điểm 30", caught.exception.messages[0])
        self.assertEqual(Framework.objects.count(), 0)

    def test_the_payload_carries_the_data_unchanged(self):
        data = sample_data()
        self.assertEqual(FrameworkData.from_payload(data.to_payload()).to_payload(), data.to_payload())
        self.assertEqual(read_xlsx(write_xlsx(data)).data.to_payload(), data.to_payload())


def sheet_values(data: bytes) -> list[list[tuple]]:
    return [list(sheet.values) for sheet in load_workbook(BytesIO(data)).worksheets]
