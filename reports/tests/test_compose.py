from __future__ import annotations

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from communes.models import Membership, Office, Role
from core.testing import PortalTestCase
from dossiers.figures import Figures
from dossiers.models import DossierReport, Period, ProcedureField
from dossiers.services import dossier_report_approve, dossier_report_save, dossier_report_submit
from indices.testing import make_framework, make_round
from indices.tests.test_selectors_rankings import appraise, publish
from reports.compose import ComposeError, next_number, report_compose, snapshot_build
from reports.models import DirectiveDocument, Meeting, Plan, PlanTask, Report, ReportStatus


class ComposerData(PortalTestCase):
    """Seed 000's year 2023 for Hoài Châu: 1.292 dossiers, 1.184 online (91,64%), 586 online
    payments (94,82%); a plan of 25 tasks, 17 done (seed 002); a few directive documents."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.chairman.job_title = "Chủ tịch UBND xã"
        cls.chairman.full_name = "Trần Quốc Toàn"
        cls.chairman.save()
        cls.ho_tich = ProcedureField.objects.get(name="Hộ tịch")
        cls.chung_thuc = ProcedureField.objects.get(name="Chứng thực")
        cls.lines_2023 = {
            cls.ho_tich.pk: Figures(
                received_online=900,
                received_in_person=80,
                resolved_early=500,
                resolved_on_time=480,
                online_payments=400,
                dossiers_with_fees=420,
            ),
            cls.chung_thuc.pk: Figures(
                received_online=284,
                received_in_person=28,
                resolved_on_time=310,
                resolved_late=2,
                online_payments=186,
                dossiers_with_fees=198,
                apology_letters=2,
            ),
        }
        for code in ("2023", "2024-H1"):
            dossier_report_save(
                unit=cls.hoai_chau,
                period=Period.for_code(code),
                user=cls.officer,
                lines=cls.lines_2023,
                expected_version=0,
            )
        plan = Plan.objects.create(
            unit=cls.hoai_chau, year=2024, number_symbol="24/KH-UBND", issued_on=datetime.date(2024, 1, 15)
        )
        for i in range(25):
            PlanTask.objects.create(
                plan=plan,
                position=i,
                description=f"Nhiệm vụ {i + 1}",
                done=i < 17,
                done_on=datetime.date(2024, 3, 1) if i < 17 else None,
            )
        DirectiveDocument.objects.create(
            unit=cls.hoai_chau,
            number_symbol="351/KH-UBND",
            issued_on=timezone.localdate().replace(month=1, day=5),
            type_code="KH",
            summary="Kế hoạch",
        )
        DirectiveDocument.objects.create(
            unit=cls.hoai_chau,
            number_symbol="03/QĐ-UBND",
            issued_on=datetime.date(2024, 2, 1),
            type_code="QĐ",
            summary="Quyết định",
        )


class ComposeTests(ComposerData):
    def test_a_half_year_report_has_its_facts_and_the_seed_figures(self):
        report = report_compose(
            unit=self.hoai_chau, kind="so-ket-6-thang", period="2024-H1", user=self.officer
        )
        self.assertEqual(report.status, ReportStatus.DRAFT)
        self.assertEqual((report.type_code, report.title), ("BC", "BÁO CÁO"))
        self.assertEqual(report.summary, "Sơ kết công tác cải cách hành chính 6 tháng đầu năm 2024")
        self.assertEqual(report.place, "Hoài Châu")
        self.assertEqual(report.addressee, "Phòng Nội vụ thị xã Hoài Nhơn")
        self.assertEqual(
            (report.signer_mode, report.signer_title, report.signer_name),
            ("TM", "CHỦ TỊCH", "Trần Quốc Toàn"),
        )
        self.assertTrue(report.recipients.endswith("- Lưu: VT, CCHC."))
        self.assertEqual(report.number, 352)
        text = " ".join(s.body for s in report.sections.all())
        self.assertIn("tổng số hồ sơ đã giải quyết: 1.292 hồ sơ", text)
        self.assertIn("1.184/1.292 hồ sơ đạt 91,64%", text)
        self.assertIn("586 giao dịch (đạt tỷ lệ 94,82%)", text)
        self.assertIn("hoàn thành 17/25 nhiệm vụ, đạt 68% kế hoạch", text)
        table = report.snapshot["tables"]["dossiers"]
        self.assertEqual(table["total"][2:5], ["1.292", "1.184", "1.292"])
        self.assertEqual(len(table["header"]), 2)
        # One spelling of "rate" in every document: "tỷ lệ".
        self.assertEqual(
            [cell["text"] for cell in table["header"][0] if "lệ" in cell["text"]],
            ["Tỷ lệ trực tuyến", "Tỷ lệ đúng hạn"],
        )
        self.assertEqual(report.sections.filter(table="dossiers").count(), 1)

    def test_a_vice_chairman_signs_for_the_chairman(self):
        Membership.objects.filter(user=self.chairman).delete()
        self.officer.job_title = "Phó Chủ tịch UBND xã"
        self.officer.save()
        Membership.objects.create(user=self.officer, unit=self.hoai_chau, role=Role.CHAIRMAN)
        report = report_compose(unit=self.hoai_chau, kind="tong-ket-nam", period="2023", user=self.officer)
        self.assertEqual((report.signer_mode, report.signer_title), ("KT", "PHÓ CHỦ TỊCH"))
        self.assertEqual(report.summary, "Tổng kết công tác cải cách hành chính năm 2023")

    def test_the_index_sentence_reads_total_rank_and_band(self):
        framework = make_framework(self.binh_dinh)
        round_ = make_round(framework, self.hoai_nhon, year=2023)
        appraise(round_.assessments.get(unit=self.hoai_chau), "16.75")
        appraise(round_.assessments.get(unit=self.hoai_chau_bac), "18")
        publish(round_)
        report = report_compose(unit=self.hoai_chau, kind="tong-ket-nam", period="2023", user=self.officer)
        text = " ".join(s.body for s in report.sections.all())
        self.assertIn("đạt 16,75 điểm, xếp thứ 2/2 xã, phường của thị xã Hoài Nhơn, xếp loại Tốt", text)
        self.assertEqual(report.snapshot["facts"]["index_rank"], "2/2")

    def test_a_supervision_report_has_a_table_per_year_and_field(self):
        report = report_compose(
            unit=self.hoai_chau, kind="giam-sat", period="2024-06", user=self.officer, year_from=2023
        )
        self.assertEqual(report.summary, "Giám sát Cải cách hành chính")
        table = report.snapshot["tables"]["dossiers_by_year"]
        years = [row[0] for row in table["rows"] if row[0]]
        self.assertEqual(years, ["2023", "2024"])
        self.assertIn("Cộng năm 2023", [row[1] for row in table["rows"]])
        self.assertIn("<svg", report.snapshot["charts"]["dossiers_by_year"])
        self.assertChartReadableOnPaper(report.snapshot["charts"]["dossiers_by_year"])
        self.assertIn("documents_by_year", report.snapshot["tables"])

    def test_a_conclusion_notice_lists_tasks_by_office(self):
        office = Office.objects.create(unit=self.hoai_chau, name="Văn phòng - Thống kê")
        meeting = Meeting.objects.create(
            unit=self.hoai_chau,
            kind="danh-gia-chi-so",
            title="Cuộc họp đánh giá kết quả thẩm định Bộ chỉ số CCHC cấp xã năm 2023",
            held_on=datetime.date(2024, 3, 15),
            chair="Chủ tịch UBND xã Đỗ An Chung",
            conclusions="Kết quả chỉ số CCHC năm 2023 của xã 85,65/100 điểm.",
        )
        meeting.tasks.create(office=office, description="Số hoá hồ sơ trên hệ thống một cửa")
        report = report_compose(
            unit=self.hoai_chau, kind="ket-luan", period=None, user=self.officer, meeting=meeting
        )
        self.assertEqual((report.type_code, report.title, report.addressee), ("TB", "THÔNG BÁO", ""))
        self.assertTrue(report.summary.startswith("Kết luận của Chủ tịch UBND xã Đỗ An Chung tại cuộc họp"))
        text = " ".join(s.body for s in report.sections.all())
        self.assertIn("Giao Văn phòng - Thống kê chịu trách nhiệm", text)
        self.assertIn("85,65/100", text)
        self.assertIn("- TT Đảng ủy; (B/c)", report.recipients)

    def assertChartReadableOnPaper(self, svg: str) -> None:
        """The chart is printed across the text, 165 mm (A4 less the decree's 30 and 15 mm
        margins): its smallest label must come out at 9 pt at least."""
        width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
        smallest = min(float(size) for size in re.findall(r'font-size="([\d.]+)"', svg))
        printed = smallest * (165 / 25.4 * 72) / width
        self.assertGreaterEqual(printed, 9, f"labels print at {printed:.1f} pt")

    def test_a_summary_report_of_a_reviewer_has_one_row_per_commune_and_the_ranking(self):
        framework = make_framework(self.binh_dinh)
        round_ = make_round(framework, self.hoai_nhon, year=2023)
        appraise(round_.assessments.get(unit=self.hoai_chau), "16.75")
        appraise(round_.assessments.get(unit=self.hoai_chau_bac), "18")
        # What a reviewer reports upward counts approved reports only: the commune's draft year not yet.
        draft = report_compose(unit=self.hoai_nhon, kind="tong-hop", period="2023", user=self.reviewer)
        self.assertEqual(draft.snapshot["tables"]["dossiers_by_commune"]["total"][2], "0")
        year = DossierReport.objects.get(unit=self.hoai_chau, period__year=2023, period__kind="year")
        year = dossier_report_submit(
            report=year, user=self.chairman, expected_version=year.version, confirm_warnings=True
        )
        dossier_report_approve(report=year, user=self.reviewer)
        report = report_compose(unit=self.hoai_nhon, kind="tong-hop", period="2023", user=self.reviewer)
        table = report.snapshot["tables"]["dossiers_by_commune"]
        self.assertEqual([row[1] for row in table["rows"]], ["Xã Hoài Châu", "Xã Hoài Châu Bắc"])
        self.assertChartReadableOnPaper(report.snapshot["charts"]["dossiers_by_commune"])
        self.assertEqual(table["total"][2], "1.292")
        ranking = report.snapshot["tables"]["ranking"]
        self.assertEqual(
            [row[:3] for row in ranking["rows"]],
            [["1", "Xã Hoài Châu Bắc", "18,00"], ["2", "Xã Hoài Châu", "16,75"]],
        )
        self.assertEqual(report.addressee, "Sở Nội vụ tỉnh Bình Định")
        self.assertEqual(report.signer_name, self.reviewer.display_name)

    def test_the_editor_is_told_when_the_figures_count_reports_not_yet_approved(self):
        # The commune's own report counts its draft year (it is its own data), and says so to the
        # editor only: nothing about it is printed.
        report = report_compose(unit=self.hoai_chau, kind="tong-ket-nam", period="2023", user=self.officer)
        self.assertEqual(report.snapshot["facts"]["unapproved_reports"], "1")
        self.assertEqual(report.snapshot["tables"]["dossiers"]["total"][2], "1.292")
        self.login(self.officer)
        page = self.client.get(reverse("reports:report_edit", args=[report.pk]))
        self.assertContains(page, "gồm 1 báo cáo chưa được cơ quan thẩm định duyệt")
        summary = report_compose(unit=self.hoai_nhon, kind="tong-hop", period="2023", user=self.reviewer)
        self.assertEqual(summary.snapshot["facts"]["unapproved_reports"], "1")
        self.login(self.reviewer)
        page = self.client.get(reverse("reports:report_edit", args=[summary.pk]))
        self.assertContains(page, "1 báo cáo chưa duyệt không được tính")

    def test_after_2025_a_commune_reports_to_the_provincial_home_affairs_office(self):
        report = report_compose(unit=self.tam_quan, kind="tong-ket-nam", period="2025", user=self.new_officer)
        self.assertEqual(report.addressee, "Sở Nội vụ tỉnh Gia Lai")

    def test_the_number_follows_the_register_and_issued_reports_of_the_year(self):
        year = timezone.localdate().year
        self.assertEqual(next_number(self.hoai_chau, year), 352)
        Report.objects.create(
            unit=self.hoai_chau,
            kind="tong-ket-nam",
            type_code="BC",
            place="x",
            title="BÁO CÁO",
            summary="s",
            status=ReportStatus.ISSUED,
            number=400,
            dated=datetime.date(year, 2, 1),
        )
        self.assertEqual(next_number(self.hoai_chau, year), 401)
        self.assertEqual(next_number(self.hoai_chau, year - 5), 1)

    def test_wrong_requests_are_refused_in_vietnamese(self):
        cases = [
            ({"unit": self.hoai_chau, "kind": "so-ket-6-thang", "period": "2024"}, "6 tháng"),
            ({"unit": self.hoai_chau, "kind": "tong-ket-nam", "period": "2024-13"}, "Tháng 13"),
            ({"unit": self.hoai_chau, "kind": "giam-sat", "period": "2023-08"}, "năm bắt đầu"),
            ({"unit": self.hoai_chau, "kind": "ket-luan", "period": None}, "cuộc họp"),
            ({"unit": self.hoai_chau, "kind": "tong-hop", "period": "2023"}, "không cho xã"),
            ({"unit": self.hoai_nhon, "kind": "tong-ket-nam", "period": "2023"}, "tổng hợp"),
        ]
        for kwargs, words in cases:
            with self.subTest(kwargs=kwargs), self.assertRaisesMessage(ComposeError, words):
                report_compose(user=self.officer, **kwargs)
        self.assertFalse(Report.objects.exists())

    def test_the_snapshot_follows_the_data_until_issued(self):
        report = report_compose(unit=self.hoai_chau, kind="tong-ket-nam", period="2023", user=self.officer)
        line = self.hoai_chau.dossier_reports.get(period__kind="year").lines.get(field=self.ho_tich)
        line.received_online = 1000
        line.save()
        self.assertEqual(snapshot_build(report)["facts"]["received_online"], "1.284")
        self.assertEqual(report.snapshot["facts"]["received_online"], "1.184")
