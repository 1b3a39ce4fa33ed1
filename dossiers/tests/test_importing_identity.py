"""The file says what it is: the unit and period of a Biểu 06's title block, read in the shapes
one-stop software and the official form (Thông tư 01/2020/TT-VPCP) write them, and compared with
the commune and period the file is imported for, in the preview and in ``import_dossiers``."""

from __future__ import annotations

import datetime
import io
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase
from django.urls import reverse

from communes.models import Era, Kind, Level, UnitSuccession
from core.periods import Calendar
from core.periods import Period as P
from core.testing import PortalTestCase, make_unit
from dossiers.figures import Figures
from dossiers.importing.identity import Span, read_identity
from dossiers.importing.review import review_import
from dossiers.models import DossierReport, Period, ProcedureField, ReportingCalendar, ReportStatus
from dossiers.selectors import bieu06_file
from dossiers.services import dossier_report_save

from .test_importing_fixtures import build, line, parse

LINES = [
    line("Hộ tịch", online=1184, in_person=108, early=300, on_time=992),
    line("Chứng thực", in_person=5, on_time=5),
]


def identity_of(data: bytes):
    result = parse(data)
    assert result.ok, result.problems
    return result.identity


class ReadingTests(SimpleTestCase):
    """What the title block says, in the shapes real files have."""

    def test_a_one_stop_title_block_in_merged_cells(self):
        identity = identity_of(build(LINES, unit_line="UBND XÃ HOÀI CHÂU BẮC"))
        self.assertEqual(
            [(u.text, u.word, u.name) for u in identity.units],
            [("UBND XÃ HOÀI CHÂU BẮC", "xa", "hoai chau bac")],
        )
        self.assertEqual(identity.periods[0].dates, (datetime.date(2024, 4, 15), datetime.date(2024, 5, 14)))
        self.assertEqual((identity.periods[0].place.row, identity.periods[0].place.column), (3, "A"))

    def test_the_official_form_labels_values_in_their_own_cells_and_skips_the_receiver(self):
        data = build(
            LINES,
            unit_line=None,
            period_line=None,
            title_cells=(
                ("A1", "Biểu số 06/VPCP/KSTT\nNgày nhận báo cáo: ngày 18 tháng 12 năm 2024"),
                ("J1", "Đơn vị báo cáo:"),
                ("L1", "UBND xã Hoài Châu"),
                ("A3", "Ban hành theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020"),
                ("J3", "Đơn vị nhận báo cáo:"),
                ("L3", "UBND thị xã Hoài Nhơn"),
                ("A4", "Kỳ báo cáo:"),
                ("C4", "Quý IV năm 2024"),
                ("A5", "(Từ ngày 15 tháng 9 năm 2024 đến ngày 14 tháng 12 năm 2024)"),
            ),
        )
        identity = identity_of(data)
        self.assertEqual([(u.text, u.place.column) for u in identity.units], [("UBND xã Hoài Châu", "L")])
        self.assertEqual(
            [(p.text, p.span, p.dates) for p in identity.periods],
            [
                ("Kỳ báo cáo: Quý IV năm 2024", Span(2024, 10, 12), None),
                (
                    "Từ ngày 15 tháng 9 năm 2024 đến ngày 14 tháng 12 năm 2024",
                    None,
                    (datetime.date(2024, 9, 15), datetime.date(2024, 12, 14)),
                ),
            ],
        )

    def test_a_district_above_its_commune_in_one_cell_beside_the_national_motto(self):
        data = build(
            LINES,
            unit_line="UBND HUYỆN TUY PHƯỚC\nUBND XÃ PHƯỚC HƯNG\n-------",
            period_line="6 THÁNG ĐẦU NĂM 2024",
            title_cells=(("H1", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"),),
            title_merges=("A1:F1", "H1:M1"),
        )
        identity = identity_of(data)
        self.assertEqual([u.text for u in identity.units], ["UBND HUYỆN TUY PHƯỚC", "UBND XÃ PHƯỚC HƯNG"])
        self.assertEqual([u.level for u in identity.units], ["district", "commune"])
        self.assertEqual([p.span for p in identity.periods], [Span(2024, 1, 6)])

    def test_uy_ban_nhan_dan_over_the_commune_in_the_next_row_and_dates_as_date_cells(self):
        identity = read_identity(
            "S",
            [
                (1, ("ỦY BAN NHÂN DÂN",)),
                (2, ("XÃ HOÀI CHÂU", None, "Hoài Châu, ngày 5 tháng 1 năm 2025")),
                (3, ("Tháng 12 năm 2024",)),
                (4, ("Từ ngày", datetime.datetime(2024, 12, 1), "đến ngày", datetime.datetime(2024, 12, 31))),
            ],
        )
        self.assertEqual([u.text for u in identity.units], ["XÃ HOÀI CHÂU"])
        self.assertEqual(
            [(p.text, p.span, p.dates) for p in identity.periods],
            [
                ("Tháng 12 năm 2024", Span(2024, 12, 12), None),
                (
                    "Từ ngày 01/12/2024 đến ngày 31/12/2024",
                    None,
                    (datetime.date(2024, 12, 1), datetime.date(2024, 12, 31)),
                ),
            ],
        )

    def test_every_way_of_naming_a_period(self):
        cases = {
            "Kỳ báo cáo: tháng 5/2019": Span(2019, 5, 5),
            "KỲ BÁO CÁO: THÁNG 05/2019": Span(2019, 5, 5),
            "Tháng 12 năm 2024": Span(2024, 12, 12),
            "Quý I năm 2024": Span(2024, 1, 3),
            "quý III/2024": Span(2024, 7, 9),
            "6 tháng đầu năm 2024": Span(2024, 1, 6),
            "6 tháng cuối năm 2024": Span(2024, 7, 12),
            "9 tháng năm 2024": Span(2024, 9 // 9, 9),
            "Năm 2024": Span(2024, 1, 12),
            "TÌNH HÌNH GIẢI QUYẾT TTHC NĂM 2024": Span(2024, 1, 12),
            "Số liệu từ tháng 1 đến tháng 3 năm 2024": Span(2024, 1, 3),
            "Kỳ báo cáo: Tháng 2": Span(None, 2, 2),
        }
        for text, span in cases.items():
            with self.subTest(text=text):
                identity = read_identity("S", [(3, (text,))])
                self.assertEqual([p.span for p in identity.periods], [span])

    def test_a_single_date_or_a_blank_one_is_not_a_period(self):
        for text in (
            "Hoài Châu, ngày 15 tháng 12 năm 2024",
            "Ngày nhận báo cáo: ngày 18/12/2024",
            "(Ban hành kèm theo Báo cáo số     /BC-UBND ngày    tháng    năm 2024 của UBND xã)",
            "Ban hành theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020 của Văn phòng Chính phủ",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        ):
            with self.subTest(text=text):
                self.assertEqual(read_identity("S", [(1, (text,))]).periods, [])

    def test_a_sentence_starting_with_xa_is_not_a_unit_unless_under_ubnd(self):
        identity = read_identity("S", [(1, ("Xã đã tiếp nhận hồ sơ qua Cổng dịch vụ công",))])
        self.assertEqual(identity.units, [])

    def test_only_the_first_columns_and_the_start_of_long_cells_are_read(self):
        far = read_identity("S", [(1, (None,) * 60 + ("UBND XÃ HOÀI CHÂU BẮC",))])
        self.assertEqual(far.units, [])
        long = read_identity("S", [(1, (" " * 500 + "Tháng 12 năm 2024",))])
        self.assertEqual(long.periods, [])

    def test_the_units_of_one_line_separated_by_commas(self):
        identity = read_identity("S", [(1, ("UBND xã Hoài Châu, thị xã Hoài Nhơn, tỉnh Bình Định",))])
        self.assertEqual(
            [(u.word, u.name) for u in identity.units],
            [("xa", "hoai chau"), ("thi xa", "hoai nhon"), ("tinh", "binh dinh")],
        )
        hyphen = read_identity("S", [(1, ("UBND TỈNH BÀ RỊA - VŨNG TÀU",))])
        self.assertEqual([u.name for u in hyphen.units], ["ba ria vung tau"])


class IdentityTestCase(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.ho_tich = ProcedureField.objects.get(name="Hộ tịch")

    def review(self, data: bytes, period: str, unit=None):
        return review_import(data, unit=unit or self.hoai_chau, period=P.parse(period))

    def messages(self, review, level="error"):
        return [p.message for p in review.result.problems if p.level == level]


class ComparisonTests(IdentityTestCase):
    def test_another_communes_file_is_an_error_naming_both(self):
        review = self.review(build(LINES, unit_line="UBND XÃ HOÀI CHÂU BẮC"), "2024-05")
        self.assertFalse(review.ok)
        self.assertEqual(
            self.messages(review),
            ["Tệp ghi đơn vị “UBND XÃ HOÀI CHÂU BẮC”, nhưng đang nhập cho Xã Hoài Châu."],
        )
        problem = review.result.errors[0]
        self.assertEqual((problem.sheet, problem.row, problem.column), ("Biểu 06", 1, "A"))

    def test_another_period_is_an_error_naming_both(self):
        review = self.review(build(LINES, period_line="Kỳ báo cáo: tháng 5/2019"), "2024-12")
        self.assertEqual(
            self.messages(review),
            ["Tệp ghi kỳ “Kỳ báo cáo: tháng 5/2019”, nhưng đang nhập cho tháng 12/2024."],
        )

    def test_a_november_file_does_not_go_into_january(self):
        review = self.review(build(LINES, period_line="(Từ ngày 15/10/2024 đến ngày 14/11/2024)"), "2025-01")
        self.assertEqual(
            self.messages(review),
            [
                "Tệp ghi kỳ “Từ ngày 15/10/2024 đến ngày 14/11/2024” (tháng 11/2024), nhưng đang nhập cho "
                "tháng 1/2025 (từ ngày 15/12/2024 đến ngày 14/01/2025)."
            ],
        )

    def test_the_same_period_under_the_other_calendar_is_a_note_not_an_error(self):
        review = self.review(build(LINES, period_line="Từ ngày 01/05/2024 đến ngày 31/05/2024"), "2024-05")
        self.assertTrue(review.ok, review.result.problems)
        self.assertEqual(self.messages(review), [])
        self.assertEqual(len(review.notes), 1)
        self.assertIn("tháng dương lịch", review.notes[0])
        self.assertIn("từ ngày 15/04/2024 đến ngày 14/05/2024", review.notes[0])

    def test_a_province_on_calendar_months_reads_its_own_dates_and_notes_the_regulatory_ones(self):
        ReportingCalendar.objects.create(province=self.binh_dinh, calendar=Calendar.CALENDAR)
        own = self.review(build(LINES, period_line="Từ ngày 01/05/2024 đến ngày 31/05/2024"), "2024-05")
        self.assertEqual((own.result.problems, own.notes), ([], []))
        regulatory = self.review(build(LINES), "2024-05")
        self.assertTrue(regulatory.ok)
        self.assertEqual(len(regulatory.notes), 1)

    def test_each_named_period_against_its_own_and_another(self):
        cases = (
            ("Tháng 12 năm 2024", "2024-12", "2024-11"),
            ("Quý I năm 2024", "2024-Q1", "2024-Q2"),
            ("6 tháng đầu năm 2024", "2024-H1", "2024-H2"),
            ("9 tháng năm 2024", "2024-9M", "2024"),
            ("Năm 2024", "2024", "2023"),
        )
        for text, own, other in cases:
            with self.subTest(text=text):
                data = build(LINES, period_line=text)
                self.assertEqual(self.messages(self.review(data, own)), [])
                self.assertEqual(
                    self.messages(self.review(data, other)),
                    [f"Tệp ghi kỳ “{text}”, nhưng đang nhập cho {P.parse(other).label}."],
                )

    def test_a_district_above_the_commune_is_checked_too(self):
        good = self.review(build(LINES, unit_line="UBND THỊ XÃ HOÀI NHƠN\nUBND XÃ HOÀI CHÂU"), "2024-05")
        self.assertEqual(good.result.problems, [])
        wrong = self.review(build(LINES, unit_line="UBND HUYỆN TUY PHƯỚC\nUBND XÃ HOÀI CHÂU"), "2024-05")
        self.assertEqual(
            self.messages(wrong),
            ["Tệp ghi đơn vị “UBND HUYỆN TUY PHƯỚC”, nhưng Xã Hoài Châu thuộc Thị xã Hoài Nhơn."],
        )

    def test_another_level_word_alone_is_a_note(self):
        review = self.review(build(LINES, unit_line="ỦY BAN NHÂN DÂN PHƯỜNG HOÀI CHÂU"), "2024-05")
        self.assertTrue(review.ok)
        self.assertEqual(self.messages(review, "warning"), [])
        self.assertIn("coi là Xã Hoài Châu", review.notes[0])

    def test_a_reporter_named_without_a_level_word_is_only_a_warning(self):
        data = build(LINES, unit_line="Đơn vị báo cáo: Bộ phận Một cửa")
        review = self.review(data, "2024-05")
        self.assertTrue(review.ok)
        self.assertEqual(
            self.messages(review, "warning"),
            ["Tệp ghi đơn vị “Bộ phận Một cửa”, nhưng đang nhập cho Xã Hoài Châu."],
        )
        named = self.review(
            build(LINES, unit_line="Đơn vị báo cáo: Bộ phận Một cửa xã Hoài Châu Bắc"), "2024-05"
        )
        self.assertEqual(
            self.messages(named), ["Tệp ghi đơn vị “xã Hoài Châu Bắc”, nhưng đang nhập cho Xã Hoài Châu."]
        )

    def test_a_file_naming_neither_unit_nor_period_imports_with_warnings(self):
        review = self.review(build(LINES, unit_line=None, period_line=None), "2024-05")
        self.assertTrue(review.ok)
        warnings = self.messages(review, "warning")
        self.assertEqual(len(warnings), 2)
        self.assertIn("không kiểm tra được tệp có đúng là của Xã Hoài Châu không", warnings[0])
        self.assertIn("không kiểm tra được tệp có đúng là của tháng 5/2024 không", warnings[1])

    def test_our_own_export_imports_back_into_its_unit_and_period(self):
        ReportingCalendar.objects.create(province=self.gia_lai, calendar=Calendar.CALENDAR)
        for unit in (self.hoai_chau, self.tam_quan):
            for code in (
                ("2024-05", "2024-Q1", "2024-H2", "2024-9M", "2024")
                if unit.era == Era.LEGACY
                else ("2025-08", "2025-Q4")
            ):
                with self.subTest(unit=unit.name, period=code):
                    period = Period.for_code(code)
                    DossierReport.objects.filter(unit=unit, period=period).delete()
                    dossier_report_save(
                        unit=unit,
                        period=period,
                        user=None,
                        lines={self.ho_tich.pk: Figures(received_online=5, resolved_on_time=5)},
                        expected_version=0,
                    )
                    data = bieu06_file(unit=unit, period=P.parse(code), fmt="xlsx")[1]
                    review = self.review(data, code, unit=unit)
                    self.assertEqual((review.result.problems, review.notes), ([], []))
                    self.assertEqual(review.changes, [])


class NewCommuneTests(IdentityTestCase):
    """A 2025 commune named like its predecessor: the file of the old one is not taken for it."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.old_tam_quan = make_unit(
            Era.LEGACY, Level.COMMUNE, Kind.THI_TRAN, "21610", "Thị trấn Tam Quan", cls.hoai_nhon
        )
        UnitSuccession.objects.create(predecessor=cls.old_tam_quan, successor=cls.tam_quan)

    def test_the_predecessors_file_is_an_error(self):
        review = self.review(build(LINES, unit_line="UBND THỊ TRẤN TAM QUAN"), "2024-05", unit=self.tam_quan)
        self.assertFalse(review.ok)
        self.assertIn(
            "“UBND THỊ TRẤN TAM QUAN”, nhưng đang nhập cho Phường Tam Quan", self.messages(review)[0]
        )

    def test_a_district_line_is_a_file_from_before_the_reform(self):
        data = build(
            LINES, unit_line="UBND THỊ XÃ HOÀI NHƠN\nUBND PHƯỜNG TAM QUAN", period_line="Tháng 8 năm 2025"
        )
        review = self.review(data, "2025-08", unit=self.tam_quan)
        self.assertEqual(len(self.messages(review)), 1)
        self.assertIn("cấp huyện, không còn từ ngày 1/7/2025", self.messages(review)[0])

    def test_its_own_file_under_its_province_passes(self):
        data = build(
            LINES, unit_line="UBND TỈNH GIA LAI\nUBND PHƯỜNG TAM QUAN", period_line="Tháng 8 năm 2025"
        )
        self.assertEqual(self.review(data, "2025-08", unit=self.tam_quan).result.problems, [])

    def test_a_name_containing_the_targets_is_another_unit(self):
        data = build(LINES, unit_line="UBND PHƯỜNG TAM QUAN BẮC", period_line="Tháng 8 năm 2025")
        self.assertFalse(self.review(data, "2025-08", unit=self.tam_quan).ok)


class PreviewTests(IdentityTestCase):
    def url(self, period="2024-05"):
        return reverse("dossiers:import", args=[self.hoai_chau.pk, period])

    def upload(self, data: bytes, period="2024-05"):
        self.login(self.officer)
        return self.client.post(self.url(period), {"file": SimpleUploadedFile("bieu06.xlsx", data)})

    def test_a_mismatch_is_a_400_without_the_confirm_button_and_saves_nothing(self):
        response = self.upload(
            build(LINES, unit_line="UBND XÃ HOÀI CHÂU BẮC", period_line="Kỳ báo cáo: tháng 5/2019")
        )
        self.assertContains(
            response,
            "Tệp ghi đơn vị “UBND XÃ HOÀI CHÂU BẮC”, nhưng đang nhập cho Xã Hoài Châu.",
            status_code=400,
        )
        self.assertContains(response, "Tệp ghi kỳ “Kỳ báo cáo: tháng 5/2019”", status_code=400)
        self.assertNotContains(response, "Xác nhận nhập", status_code=400)
        self.assertEqual(response.context["payload"], "")
        self.assertFalse(DossierReport.objects.exists())

    def test_a_first_import_says_nothing_is_saved_yet(self):
        response = self.upload(build(LINES, period_line="Từ ngày 01/05/2024 đến ngày 31/05/2024"))
        self.assertContains(response, "Coi là cùng kỳ.")
        self.assertContains(response, "Chưa có số liệu nào được lưu cho Xã Hoài Châu, tháng 5/2024")
        self.assertContains(response, "Xác nhận nhập")

    def test_the_preview_lists_each_changed_cell_against_the_saved_figures(self):
        dossier_report_save(
            unit=self.hoai_chau,
            period=Period.for_code("2024-05"),
            user=self.officer,
            lines={
                self.ho_tich.pk: Figures(
                    received_online=1000, received_in_person=108, resolved_early=300, resolved_on_time=808
                )
            },
            expected_version=0,
        )
        response = self.upload(build(LINES))
        changes = [(c.field_name, c.column, c.saved, c.new) for c in response.context["review"].changes]
        self.assertEqual(
            changes,
            [
                ("Hộ tịch", "Số hồ sơ nhận giải quyết – Trực tuyến", 1000, 1184),
                ("Hộ tịch", "Số hồ sơ đã giải quyết – Đúng hạn", 808, 992),
                ("Chứng thực", "Số hồ sơ nhận giải quyết – Trực tiếp", 0, 5),
                ("Chứng thực", "Số hồ sơ đã giải quyết – Đúng hạn", 0, 5),
            ],
        )
        self.assertContains(response, "4 ô sẽ thay đổi")
        self.assertContains(
            response,
            '<td>Số hồ sơ nhận giải quyết – Trực tuyến</td><td class="text-end">1.000</td>'
            '<td class="text-end">1.184</td>',
            html=False,
        )

    def test_an_identical_file_says_nothing_changes(self):
        self.client.post(self.url(), {"payload": self.upload(build(LINES)).context["payload"]})
        response = self.upload(build(LINES))
        self.assertContains(response, "không có gì thay đổi")


class BesideMonthsTests(IdentityTestCase):
    """A quarter file for a commune that already has months in the quarter."""

    def setUp(self):
        for code, resolved in (("2024-01", 100), ("2024-02", 50)):
            dossier_report_save(
                unit=self.hoai_chau,
                period=Period.for_code(code),
                user=self.officer,
                lines={self.ho_tich.pk: Figures(received_online=resolved, resolved_on_time=resolved)},
                expected_version=0,
            )
        DossierReport.objects.filter(period__number=1, period__kind="month").update(
            status=ReportStatus.APPROVED
        )
        self.data = build(LINES, period_line="Kỳ báo cáo: Quý I năm 2024")
        self.url = reverse("dossiers:import", args=[self.hoai_chau.pk, "2024-Q1"])

    def quarter_saved(self) -> bool:
        return DossierReport.objects.filter(unit=self.hoai_chau, period__kind="quarter").exists()

    def test_the_preview_says_so_and_saving_needs_the_tick(self):
        self.login(self.officer)
        preview = self.client.post(self.url, {"file": SimpleUploadedFile("q1.xlsx", self.data)})
        self.assertContains(preview, "Xã Hoài Châu đã có 2 báo cáo tháng trong quý I/2024 (1 đã duyệt)")
        self.assertContains(preview, "tổng số hồ sơ đã giải quyết của các tháng là 150, trong tệp là 1.297")
        self.assertContains(preview, "Tôi hiểu rằng quý I/2024 đã có 2 báo cáo tháng")
        self.assertContains(preview, "Chưa có báo cáo cả kỳ nào được lưu cho Xã Hoài Châu, quý I/2024")
        payload = preview.context["payload"]
        refused = self.client.post(self.url, {"payload": payload})
        self.assertContains(refused, "Hãy đánh dấu ô “Tôi hiểu…”", status_code=400)
        self.assertContains(refused, "Xác nhận nhập", status_code=400)
        self.assertFalse(self.quarter_saved())
        saved = self.client.post(self.url, {"payload": payload, "beside_months": "1"})
        self.assertEqual(saved.status_code, 302)
        self.assertTrue(self.quarter_saved())

    def test_a_month_entered_after_the_preview_is_caught_at_confirmation(self):
        self.login(self.officer)
        DossierReport.objects.filter(unit=self.hoai_chau).delete()
        payload = self.client.post(self.url, {"file": SimpleUploadedFile("q1.xlsx", self.data)}).context[
            "payload"
        ]
        dossier_report_save(
            unit=self.hoai_chau,
            period=Period.for_code("2024-03"),
            user=self.officer,
            lines={self.ho_tich.pk: Figures(received_online=1, resolved_on_time=1)},
            expected_version=0,
        )
        self.assertEqual(self.client.post(self.url, {"payload": payload}).status_code, 400)
        self.assertFalse(self.quarter_saved())

    def test_the_command_needs_beside_months(self):
        path = Path(tempfile.mkdtemp()) / "q1.xlsx"
        path.write_bytes(self.data)
        with self.assertRaises(CommandError) as caught:
            call_command("import_dossiers", str(path), "--unit", "21649", "--period", "2024-Q1", verbosity=0)
        self.assertEqual(caught.exception.returncode, 1)
        self.assertIn("2 báo cáo tháng trong quý I/2024", str(caught.exception))
        self.assertIn("--beside-months", str(caught.exception))
        self.assertFalse(self.quarter_saved())
        call_command(
            "import_dossiers",
            str(path),
            "--unit",
            "21649",
            "--period",
            "2024-Q1",
            "--beside-months",
            verbosity=0,
        )
        self.assertTrue(self.quarter_saved())


class CommandTests(IdentityTestCase):
    def run_import(self, data: bytes, *extra, unit="21649", period="2024-05"):
        path = Path(tempfile.mkdtemp()) / "bieu06.xlsx"
        path.write_bytes(data)
        out, err = io.StringIO(), io.StringIO()
        call_command(
            "import_dossiers", str(path), "--unit", unit, "--period", period, *extra, stdout=out, stderr=err
        )
        return out.getvalue(), err.getvalue()

    def test_a_unit_code_typo_is_refused_and_saves_nothing(self):
        with self.assertRaises(CommandError) as caught:
            self.run_import(build(LINES), unit="21646")  # Hoài Châu Bắc's code, for Hoài Châu's file
        self.assertEqual(caught.exception.returncode, 1)
        self.assertFalse(DossierReport.objects.exists())

    def test_the_mismatch_is_printed_with_its_cell(self):
        err = io.StringIO()
        path = Path(tempfile.mkdtemp()) / "bieu06.xlsx"
        path.write_bytes(build(LINES, unit_line="UBND XÃ HOÀI CHÂU BẮC"))
        with self.assertRaises(CommandError):
            call_command("import_dossiers", str(path), "--unit", "21649", "--period", "2024-05", stderr=err)
        self.assertIn(
            "Lỗi Biểu 06!A1: Tệp ghi đơn vị “UBND XÃ HOÀI CHÂU BẮC”, nhưng đang nhập cho Xã Hoài Châu.",
            err.getvalue(),
        )

    def test_a_file_without_either_line_is_imported_with_warnings(self):
        _out, err = self.run_import(build(LINES, unit_line=None, period_line=None))
        self.assertIn("Cảnh báo Biểu 06: Phần đầu tệp không ghi đơn vị báo cáo", err)
        self.assertIn("Cảnh báo Biểu 06: Phần đầu tệp không ghi kỳ báo cáo", err)
        self.assertTrue(DossierReport.objects.filter(unit=self.hoai_chau).exists())

    def test_dry_run_prints_the_cells_that_change(self):
        out, _err = self.run_import(build(LINES), "--dry-run")
        self.assertIn("đây là lần nhập đầu tiên", out)
        self.run_import(build(LINES))
        changed = build([line("Hộ tịch", online=1200, in_person=108, early=300, on_time=1008), LINES[1]])
        out, _err = self.run_import(changed, "--dry-run")
        self.assertIn("Thay đổi: Hộ tịch, Số hồ sơ nhận giải quyết – Trực tuyến: 1.184 → 1.200", out)
        self.assertNotIn("Chứng thực", out)

    def test_the_other_calendar_is_a_note(self):
        _out, err = self.run_import(build(LINES, period_line="Từ ngày 01/05/2024 đến ngày 31/05/2024"))
        self.assertIn("Ghi chú: Tệp ghi “Từ ngày 01/05/2024 đến ngày 31/05/2024”", err)
        self.assertTrue(DossierReport.objects.exists())
