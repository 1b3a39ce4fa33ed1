"""Shared data of the records' tests: offices of Hoài Châu and its neighbour, a meeting with tasks."""

from __future__ import annotations

import datetime

from communes.models import Office
from core.testing import PortalTestCase
from reports.models import ConclusionTask, DirectiveDocument, Meeting, MeetingKind, Plan, PlanTask, TaskStatus

READERS_ONLY = {"reviewer": 403, "province_reviewer": 403, "new_officer": 403, "administrator": 403}
HIDDEN = {"neighbour": 404, "outsider": 404}
# Reading: the commune's own people, its reviewers, its administrators and its successor's officer.
READ_MATRIX = {
    "officer": 200,
    "chairman": 200,
    "reviewer": 200,
    "province_reviewer": 200,
    "new_officer": 200,
    "administrator": 200,
    **HIDDEN,
    "anonymous": 302,
}


def write_matrix(success: int) -> dict[str, int]:
    """Changing: only the commune's officer and chairman; readers get 403, others 404."""
    return {"officer": success, "chairman": success, **READERS_ONLY, **HIDDEN, "anonymous": 302}


class RecordsTestCase(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.vp = Office.objects.create(unit=cls.hoai_chau, name="Văn phòng - Thống kê", position=1)
        cls.tc = Office.objects.create(unit=cls.hoai_chau, name="Tài chính - Kế toán", position=2)
        cls.other_office = Office.objects.create(
            unit=cls.hoai_chau_bac, name="Văn phòng - Thống kê", position=1
        )

    def make_meeting(self, unit=None, **extra) -> Meeting:
        facts = {
            "unit": unit or self.hoai_chau,
            "kind": MeetingKind.INDEX,
            "title": "Cuộc họp đánh giá Chỉ số CCHC năm 2023",
            "held_on": datetime.date(2024, 3, 15),
            "chair": "Chủ tịch UBND xã Trần Quốc Toàn",
        }
        facts.update(extra)
        return Meeting.objects.create(**facts)

    def make_task(self, meeting, **extra) -> ConclusionTask:
        facts = {"meeting": meeting, "office": self.vp, "description": "Rà soát tiêu chí chưa đạt"}
        facts.update(extra)
        return ConclusionTask.objects.create(**facts)

    def make_plan(self, unit=None, year=2024, tasks=0, done=0) -> Plan:
        plan = Plan.objects.create(unit=unit or self.hoai_chau, year=year, number_symbol="05/KH-UBND")
        for index in range(tasks):
            PlanTask.objects.create(
                plan=plan,
                position=index + 1,
                description=f"Nhiệm vụ {index + 1}",
                office=self.vp if unit is None else None,
                done=index < done,
            )
        return plan

    def make_document(self, unit=None, symbol="03/KH-UBND", day=datetime.date(2021, 1, 26), **extra):
        facts = {
            "unit": unit or self.hoai_chau,
            "number_symbol": symbol,
            "issued_on": day,
            "type_code": "KH",
            "summary": "Kế hoạch cải cách hành chính năm 2021",
        }
        facts.update(extra)
        return DirectiveDocument.objects.create(**facts)


__all__ = ["READ_MATRIX", "RecordsTestCase", "TaskStatus", "write_matrix"]
