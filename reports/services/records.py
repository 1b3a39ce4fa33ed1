"""Writes of a commune's records: meetings and their tasks, the yearly plan and its tasks, the
register of directive documents, and their Excel imports (all or nothing).

The callers have checked access (``selectors.records.get_*_for_user(..., write=True)``) and
validated the input (``reports.forms``); the imports come already read and checked by
``reports.imports``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max

from communes.models import AdministrativeUnit, User

from ..imports import DocumentRow, PlanTaskRow
from ..models import ConclusionTask, DirectiveDocument, Meeting, Plan, PlanTask, TaskStatus

MEETING_FIELDS = ("kind", "title", "held_on", "place", "chair", "attendees", "content", "conclusions")
TASK_FIELDS = ("office", "assignee", "description", "due_on", "status", "completed_on", "completion_note")
PLAN_FIELDS = ("number_symbol", "issued_on", "title")
PLAN_TASK_FIELDS = ("description", "office", "due_on", "done", "done_on", "note")
DOCUMENT_FIELDS = ("number_symbol", "issued_on", "type_code", "summary")


def _assign(instance, data: dict, names: Iterable[str]) -> None:
    for name in names:
        if name in data:
            setattr(instance, name, data[name])


# Meetings ----------------------------------------------------------------------------------------


@transaction.atomic
def meeting_save(
    *, unit: AdministrativeUnit, user: User, data: dict, meeting: Meeting | None = None
) -> Meeting:
    """Create a meeting of ``unit`` or change ``meeting`` with the cleaned ``data``."""
    if meeting is None:
        meeting = Meeting(unit=unit, created_by=user)
    _assign(meeting, data, MEETING_FIELDS)
    meeting.save()
    return meeting


@transaction.atomic
def meeting_delete(*, meeting: Meeting) -> None:
    """Delete a meeting with its tasks. A report composed from it keeps it (PROTECT): the caller
    catches ``ProtectedError``."""
    meeting.delete()


def _next_position(queryset) -> int:
    return (queryset.aggregate(last=Max("position"))["last"] or 0) + 1


@transaction.atomic
def conclusion_task_save(
    *, meeting: Meeting, data: dict, task: ConclusionTask | None = None
) -> ConclusionTask:
    """Add a task to ``meeting`` or change ``task``. A task not done keeps no completion date."""
    if task is None:
        task = ConclusionTask(meeting=meeting, position=_next_position(meeting.tasks.all()))
    _assign(task, data, TASK_FIELDS)
    if task.status != TaskStatus.DONE:
        task.completed_on = None
    task.save()
    return task


@transaction.atomic
def conclusion_task_set_status(*, task: ConclusionTask, status: str, today: datetime.date) -> ConclusionTask:
    """The quick status change of the tracker: done today, or back to not done."""
    task.status = status
    if status == TaskStatus.DONE:
        task.completed_on = task.completed_on or today
    else:
        task.completed_on = None
    task.save(update_fields=["status", "completed_on"])
    return task


@transaction.atomic
def conclusion_task_delete(*, task: ConclusionTask) -> None:
    task.delete()


# The yearly plan ---------------------------------------------------------------------------------


@transaction.atomic
def plan_save(*, unit: AdministrativeUnit, year: int, data: dict) -> Plan:
    """Create or change the plan of ``unit`` for ``year`` (one per year)."""
    plan, _created = Plan.objects.select_for_update().get_or_create(unit=unit, year=year)
    _assign(plan, data, PLAN_FIELDS)
    plan.save()
    return plan


@transaction.atomic
def plan_task_save(*, plan: Plan, data: dict, task: PlanTask | None = None) -> PlanTask:
    if task is None:
        task = PlanTask(plan=plan, position=_next_position(plan.tasks.all()))
    _assign(task, data, PLAN_TASK_FIELDS)
    if not task.done:
        task.done_on = None
    task.save()
    return task


@transaction.atomic
def plan_task_set_done(*, task: PlanTask, done: bool, today: datetime.date) -> PlanTask:
    task.done = done
    task.done_on = (task.done_on or today) if done else None
    task.save(update_fields=["done", "done_on"])
    return task


@transaction.atomic
def plan_task_delete(*, task: PlanTask) -> None:
    task.delete()


@transaction.atomic
def plan_tasks_import(*, plan: Plan, rows: list[PlanTaskRow], today: datetime.date) -> list[PlanTask]:
    """Append the checked rows of an Excel list to ``plan``, in their order, all or nothing."""
    start = _next_position(plan.tasks.all())
    tasks = [
        PlanTask(
            plan=plan,
            position=start + index,
            description=row.description,
            office=row.office,
            due_on=row.due_on,
            done=row.done,
            done_on=today if row.done else None,
        )
        for index, row in enumerate(rows)
    ]
    return PlanTask.objects.bulk_create(tasks)


# The register of directive documents -------------------------------------------------------------


@transaction.atomic
def document_save(
    *, unit: AdministrativeUnit, data: dict, document: DirectiveDocument | None = None
) -> DirectiveDocument:
    if document is None:
        document = DirectiveDocument(unit=unit)
    _assign(document, data, DOCUMENT_FIELDS)
    document.save()
    return document


@transaction.atomic
def document_delete(*, document: DirectiveDocument) -> None:
    document.delete()


@transaction.atomic
def documents_import(*, unit: AdministrativeUnit, rows: list[DocumentRow]) -> list[DirectiveDocument]:
    """Add the checked rows of an Excel list to the register, all or nothing. Saved one by one:
    ``save`` reads the number out of the symbol."""
    saved = []
    for row in rows:
        document = DirectiveDocument(
            unit=unit,
            number_symbol=row.number_symbol,
            issued_on=row.issued_on,
            type_code=row.type_code,
            summary=row.summary,
        )
        document.save()
        saved.append(document)
    return saved
