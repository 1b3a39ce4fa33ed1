"""The demo records reproduce the seeds: the meeting of seed 003 and its tasks, the plan of seed
002 at 17/25 (68 %), and the register of seed 004 with 9, 12 and 32 documents."""

from __future__ import annotations

import datetime

from django.test import TestCase

from communes.demo import seed_units_and_people
from communes.models import AdministrativeUnit, Era, Level
from reports.demo import seed_reports
from reports.models import ConclusionTask, DirectiveDocument, Meeting, MeetingKind, Plan, PlanTask
from reports.selectors.records import document_counts, plan_progress, progress_text


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
