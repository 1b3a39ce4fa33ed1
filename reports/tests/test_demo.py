"""The demo records reproduce the seeds: the meeting of seed 003 and its tasks, the plan of seed
002 at 17/25 (68 %), and the register of seed 004 with 9, 12 and 32 documents; phường Tam Quan's
2026 (plan, register, meeting, 6-month report) reads right on the day it is seeded."""

from __future__ import annotations

import datetime

import time_machine
from django.test import TestCase

from communes.demo import CURRENT_OFFICES, seed_units_and_people
from communes.models import AdministrativeUnit, Era, Level, User
from dossiers.figures import Figures
from dossiers.models import Period as DossierPeriod
from dossiers.models import ProcedureField
from dossiers.services import dossier_report_save
from reports.compose import snapshot_build
from reports.demo import seed_reports
from reports.models import (
    ConclusionTask,
    DirectiveDocument,
    Meeting,
    MeetingKind,
    Plan,
    PlanTask,
    Report,
    Section,
    TaskStatus,
)
from reports.selectors.records import document_counts, is_overdue, plan_progress, progress_text
from reports.services.issuing import may_issue


def commune(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(era=Era.LEGACY, level=Level.COMMUNE, code=code)


class ReportsDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed_units_and_people()
        seed_reports()

    def test_gio_son_holds_the_meeting_of_seed_003(self):
        meeting = Meeting.objects.get(unit=commune("19537"))
        self.assertEqual(meeting.kind, MeetingKind.INDEX)
        self.assertEqual(meeting.held_on, datetime.date(2024, 3, 15))
        self.assertEqual(meeting.chair, "Chủ tịch UBND xã Đỗ An Chung")
        self.assertIn("85,65/100", meeting.content)

    def test_the_tasks_go_to_the_offices_the_notice_names(self):
        tasks = ConclusionTask.objects.filter(unit=commune("19537")).select_related("office")
        by_office = {}
        for task in tasks:
            by_office.setdefault(task.office.name if task.office else task.assignee, []).append(task)
        self.assertEqual(len(by_office["Văn phòng - Thống kê"]), 6)
        self.assertEqual(len(by_office["Tài chính - Kế toán"]), 1)
        self.assertEqual(len(by_office["Văn hóa - Xã hội"]), 2)
        self.assertTrue(any("ISO 9001-2015" in t.description for t in by_office["Văn phòng - Thống kê"]))

    def test_phuoc_hung_plan_2024_is_17_of_25_as_seed_002(self):
        unit = commune("21961")
        progress = plan_progress(unit, 2024)
        self.assertEqual((progress.done, progress.total, progress.rate), (17, 25, "68%"))
        self.assertEqual(progress_text(progress.done, progress.total), "17/25 nhiệm vụ (68%)")
        meeting = Meeting.objects.get(unit=unit)
        self.assertEqual(meeting.kind, MeetingKind.HALF_YEAR)
        self.assertEqual(meeting.held_on, datetime.date(2024, 7, 11))

    def test_tung_chau_register_counts_9_12_and_32_as_seed_004(self):
        counts = document_counts(commune("18241"), [2021, 2022, 2023])
        self.assertEqual(
            {year: sum(types.values()) for year, types in counts.items()}, {2021: 9, 2022: 12, 2023: 32}
        )
        self.assertEqual(counts[2021], {"KH": 4, "QĐ": 4, "CV": 1})
        first = DirectiveDocument.objects.get(
            unit=commune("18241"), number_symbol="03/KH-UBND", issued_on__year=2021
        )
        self.assertEqual(first.issued_on, datetime.date(2021, 1, 26))
        self.assertEqual(first.number, 3)

    def test_running_it_again_changes_nothing(self):
        before = (
            Meeting.objects.count(),
            ConclusionTask.objects.count(),
            Plan.objects.count(),
            PlanTask.objects.count(),
            DirectiveDocument.objects.count(),
        )
        seed_reports()
        after = (
            Meeting.objects.count(),
            ConclusionTask.objects.count(),
            Plan.objects.count(),
            PlanTask.objects.count(),
            DirectiveDocument.objects.count(),
        )
        self.assertEqual(before, after)


# Phường Tam Quan's 2026, seeded on chosen days (time_machine): 09:00 UTC is 16:00 in Hà Nội.
def day(year: int, month: int, date: int) -> datetime.datetime:
    return datetime.datetime(year, month, date, 9, 0, tzinfo=datetime.UTC)


def tam_quan() -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(era=Era.CURRENT, level=Level.COMMUNE, code="21637")


class TamQuan2026Tests(TestCase):
    """The ward's plan, meeting and 6-month report, as they stand on the day seed_demo runs."""

    @classmethod
    def setUpTestData(cls):
        seed_units_and_people()
        cls.unit = tam_quan()

    def seed_on(self, when: datetime.datetime):
        with time_machine.travel(when, tick=False):
            seed_reports()

    def plan_tasks(self):
        return list(PlanTask.objects.filter(plan__unit=self.unit, plan__year=2026))

    def test_on_3_december_2026_the_plan_has_tasks_done_under_way_and_late(self):
        self.seed_on(day(2026, 12, 3))
        plan = Plan.objects.get(unit=self.unit, year=2026)
        self.assertEqual((plan.number_symbol, plan.issued_on), ("02/KH-UBND", datetime.date(2026, 1, 12)))
        today = datetime.date(2026, 12, 3)
        tasks = self.plan_tasks()
        done = [t for t in tasks if t.done]
        late = [t for t in tasks if not t.done and t.due_on < today]
        under_way = [t for t in tasks if not t.done and t.due_on >= today]
        self.assertEqual((len(tasks), len(done), len(late), len(under_way)), (24, 16, 3, 5))
        self.assertTrue(all(t.due_on.year == 2026 and t.office is not None for t in tasks))
        self.assertTrue(all(t.done_on <= today for t in done))
        # One task was done before its due date, in the month it is still open for.
        self.assertTrue(any(t.done_on < t.due_on and t.due_on > today for t in done))
        self.assertEqual(progress_text(*self.progress(None)), "16/24 nhiệm vụ (67%)")

    def progress(self, until):
        progress = plan_progress(self.unit, 2026, until)
        return progress.done, progress.total

    def test_the_meeting_of_10_july_assigns_tasks_some_done_some_late(self):
        self.seed_on(day(2026, 12, 3))
        meeting = Meeting.objects.get(unit=self.unit)
        self.assertEqual((meeting.kind, meeting.held_on), (MeetingKind.HALF_YEAR, datetime.date(2026, 7, 10)))
        self.assertEqual(meeting.chair, "Chủ tịch UBND phường Nguyễn Hữu Phước")
        # The plan's progress on the day of the meeting, read from the plan, not typed.
        self.assertIn(progress_text(*self.progress(meeting.held_on)), meeting.content)
        self.assertIn("13/24 nhiệm vụ (54%)", meeting.content)
        tasks = list(ConclusionTask.objects.filter(meeting=meeting))
        self.assertEqual(len(tasks), 7)
        self.assertTrue(all(t.unit_id == self.unit.pk for t in tasks))
        by_status = {status: [t for t in tasks if t.status == status] for status in TaskStatus.values}
        self.assertEqual({s: len(ts) for s, ts in by_status.items()}, {"done": 2, "doing": 4, "todo": 1})
        self.assertTrue(all(t.completed_on for t in by_status["done"]))
        today = datetime.date(2026, 12, 3)
        self.assertEqual(sum(is_overdue(t, today) for t in tasks), 2)
        offices = {t.office.name for t in tasks if t.office}
        self.assertLessEqual(offices, set(CURRENT_OFFICES))

    def test_the_6_month_report_is_composed_from_the_portals_figures_for_the_chairman_to_issue(self):
        officer = User.objects.get(username="tamquan.canbo")
        ho_tich = ProcedureField.objects.get(name="Hộ tịch")
        for month in ("2026-01", "2026-04"):
            dossier_report_save(
                unit=self.unit,
                period=DossierPeriod.for_code(month),
                user=officer,
                lines={ho_tich.pk: Figures(received_online=90, received_in_person=10, resolved_on_time=100)},
                expected_version=0,
            )
        self.seed_on(day(2026, 12, 3))
        report = Report.objects.get(unit=self.unit)
        self.assertEqual((report.kind, report.period, report.status), ("so-ket-6-thang", "2026-H1", "draft"))
        # Dated on the day the half year's figures were due (14/6 + 2 working days), numbered after
        # the five plans of the register.
        self.assertEqual((report.dated, report.number_symbol), (datetime.date(2026, 6, 16), "10/BC-UBND"))
        self.assertEqual(report.addressee, "Sở Nội vụ tỉnh Gia Lai")
        self.assertEqual(
            (report.signer_mode, report.signer_title, report.signer_name),
            ("TM", "CHỦ TỊCH", "Nguyễn Hữu Phước"),
        )
        self.assertEqual(report.created_by, officer)
        facts = report.snapshot["facts"]
        self.assertEqual((facts["received_total"], facts["received_online"]), ("200", "180"))
        self.assertEqual((facts["plan_progress"], facts["documents_issued"]), ("8/24", "5"))
        text = " ".join(s.body for s in report.sections.all())
        self.assertIn("tổng số hồ sơ đã giải quyết: 200 hồ sơ", text)
        self.assertIn("Kế hoạch số 02/KH-UBND ngày 12/01/2026", text)
        self.assertEqual(snapshot_build(report), report.snapshot)
        chairman = User.objects.get(username="tamquan.chutich")
        self.assertTrue(may_issue(chairman, report))
        self.assertFalse(may_issue(officer, report))

    def test_without_figures_the_report_says_so_and_invents_none(self):
        self.seed_on(day(2026, 12, 3))
        report = Report.objects.get(unit=self.unit)
        text = " ".join(s.body for s in report.sections.all())
        self.assertIn("Trong kỳ chưa có số liệu giải quyết hồ sơ thủ tục hành chính trên Cổng.", text)
        self.assertIn("Chưa có kết quả thẩm định Chỉ số CCHC của phường.", text)
        self.assertEqual(report.snapshot["facts"]["received_total"], "0")

    def test_in_2027_every_task_is_done_or_late_and_nothing_is_missing(self):
        self.seed_on(day(2027, 3, 1))
        tasks = self.plan_tasks()
        self.assertEqual(len(tasks), 24)
        # The December tasks were done in December; five stayed undone.
        self.assertEqual(sum(t.done for t in tasks), 19)
        self.assertTrue(all(t.done or t.due_on < datetime.date(2027, 3, 1) for t in tasks))
        self.assertEqual(Meeting.objects.filter(unit=self.unit).count(), 1)
        self.assertEqual(ConclusionTask.objects.filter(unit=self.unit, status=TaskStatus.DONE).count(), 3)
        report = Report.objects.get(unit=self.unit)
        self.assertEqual((report.dated, report.number), (datetime.date(2026, 6, 16), 10))

    def test_in_march_2026_the_plan_is_young_and_there_is_no_meeting_nor_report_yet(self):
        self.seed_on(day(2026, 3, 1))
        tasks = self.plan_tasks()
        self.assertEqual(sum(t.done for t in tasks), 4)
        self.assertFalse(any(t.done_on and t.done_on > datetime.date(2026, 3, 1) for t in tasks))
        self.assertEqual(DirectiveDocument.objects.filter(unit=self.unit).count(), 5)
        self.assertFalse(Meeting.objects.filter(unit=self.unit).exists())
        self.assertFalse(Report.objects.filter(unit=self.unit).exists())

    def test_before_2026_the_ward_has_no_2026_records(self):
        for when in (day(2024, 11, 20), day(2025, 7, 15)):
            self.seed_on(when)
            self.assertFalse(Plan.objects.filter(unit=self.unit).exists(), when)
            self.assertFalse(DirectiveDocument.objects.filter(unit=self.unit).exists(), when)
            self.assertFalse(Meeting.objects.filter(unit=self.unit).exists(), when)

    def test_seeding_again_later_changes_nothing(self):
        self.seed_on(day(2026, 12, 3))
        counts = self.counts()
        sections = list(Section.objects.filter(report__unit=self.unit).values_list("body", flat=True))
        self.seed_on(day(2026, 12, 20))
        self.assertEqual(self.counts(), counts)
        self.assertEqual(
            list(Section.objects.filter(report__unit=self.unit).values_list("body", flat=True)), sections
        )
        self.assertEqual(sum(t.done for t in self.plan_tasks()), 16)

    def counts(self):
        return (
            Meeting.objects.count(),
            ConclusionTask.objects.count(),
            Plan.objects.count(),
            PlanTask.objects.count(),
            DirectiveDocument.objects.count(),
            Report.objects.count(),
            Section.objects.count(),
        )
