"""Writes of a commune's records: meetings and their tasks, the yearly plan and its tasks, the
register of directive documents, and their Excel imports (all or nothing).

The callers have checked access (``selectors.records.get_*_for_user(..., write=True)``) and
validated the input (``reports.forms``); the imports come already read and checked by
``reports.imports``.

What the forms check against the database (a register entry already there, a plan for the
year) may have changed by the time the service writes: another post was saving at that moment.
So the services check again where it matters, under a row lock (the unit for the register, the
plan for its tasks), and turn a unique constraint met anyway into ``RecordConflict``, a message
for the form, never a 500.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit, User

from ..imports import DocumentRow, PlanTaskRow, duplicate_key
from ..models import ConclusionTask, DirectiveDocument, Meeting, Plan, PlanTask, TaskStatus

MEETING_FIELDS = ("kind", "title", "held_on", "place", "chair", "attendees", "content", "conclusions")
TASK_FIELDS = ("office", "assignee", "description", "due_on", "status", "completed_on", "completion_note")
PLAN_FIELDS = ("number_symbol", "issued_on", "title")
PLAN_TASK_FIELDS = ("description", "office", "due_on", "done", "done_on", "note")
DOCUMENT_FIELDS = ("number_symbol", "issued_on", "type_code", "summary")


class RecordConflict(ValueError):
    """A write refused because of a record saved meanwhile; the message (Vietnamese) names it,
    ``field`` is the form field it belongs beside ("" for the whole form)."""

    def __init__(self, message: str, *, field: str = ""):
        super().__init__(message)
        self.field = field


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


def _plan_exists(year: int) -> RecordConflict:
    return RecordConflict(
        _("Đơn vị đã có kế hoạch năm %(year)s; hãy mở kế hoạch đó để sửa.") % {"year": year}, field="year"
    )


@transaction.atomic
def plan_create(*, unit: AdministrativeUnit, year: int, data: dict) -> Plan:
    """Create the plan of ``unit`` for ``year``; ``RecordConflict`` when it has one already (also
    when another post created it a moment ago: the unique constraint, caught)."""
    if Plan.objects.filter(unit=unit, year=year).exists():
        raise _plan_exists(year)
    plan = Plan(unit=unit, year=year)
    _assign(plan, data, PLAN_FIELDS)
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as error:
        raise _plan_exists(year) from error
    return plan


@transaction.atomic
def plan_save(*, unit: AdministrativeUnit, year: int, data: dict) -> Plan:
    """Change the plan of ``unit`` for ``year`` (created when missing: one per year)."""
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


def _task_key(description: str, office_id: int | None, due_on: datetime.date | None) -> tuple:
    """Two tasks are the same when their text (spacing and case aside), office and deadline are:
    a plan may well hold "Báo cáo CCHC quý" four times, with four deadlines."""
    return " ".join(description.split()).casefold(), office_id, due_on


@dataclass
class Imported:
    """What an import saved, and the rows of the file it left out (Excel row numbers) because
    the same record was there already."""

    saved: list = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)


@transaction.atomic
def plan_tasks_import(*, plan: Plan, rows: list[PlanTaskRow], today: datetime.date) -> Imported:
    """Append the checked rows of an Excel list to ``plan``, in their order, all or nothing,
    leaving out the rows whose task is in the plan already (``_task_key``): the same file
    imported twice, or a longer version of it, adds only what is new. The plan is locked, so
    two imports at once see each other's tasks."""
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    existing = {_task_key(*values) for values in plan.tasks.values_list("description", "office_id", "due_on")}
    start = _next_position(plan.tasks.all())
    result = Imported()
    tasks = []
    for row in rows:
        if _task_key(row.description, row.office.pk if row.office else None, row.due_on) in existing:
            result.skipped.append(row.row)
            continue
        tasks.append(
            PlanTask(
                plan=plan,
                position=start + len(tasks),
                description=row.description,
                office=row.office,
                due_on=row.due_on,
                done=row.done,
                done_on=today if row.done else None,
            )
        )
    result.saved = PlanTask.objects.bulk_create(tasks)
    return result


# The register of directive documents -------------------------------------------------------------


def _lock_register(unit: AdministrativeUnit) -> None:
    """Writes of one commune's register one at a time (the unit's row locked until commit), so
    that the check for an entry already there sees every entry saved before."""
    AdministrativeUnit.objects.select_for_update().filter(pk=unit.pk).first()


def _document_conflict(symbol: str, day: datetime.date, other_day: datetime.date) -> RecordConflict:
    return RecordConflict(
        _("Văn bản %(symbol)s năm %(year)s đã có trong sổ (ngày %(day)s).")
        % {"symbol": symbol, "year": day.year, "day": other_day.strftime("%d/%m/%Y")},
        field="number_symbol",
    )


def _register_keys(entries) -> dict[tuple[str, int], datetime.date]:
    """The entries' ``duplicate_key`` (number and symbol, year) → their date."""
    return {
        duplicate_key(symbol, day): day for symbol, day in entries.values_list("number_symbol", "issued_on")
    }


def _check_register(keys: dict, symbol: str, day: datetime.date) -> None:
    """``RecordConflict`` when ``keys`` hold the same number and symbol that year."""
    other_day = keys.get(duplicate_key(symbol, day))
    if other_day is not None:
        raise _document_conflict(symbol, day, other_day)


def _save_entry(document: DirectiveDocument) -> None:
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError as error:  # the unique entry, saved by a write that did not lock
        raise _document_conflict(document.number_symbol, document.issued_on, document.issued_on) from error


@transaction.atomic
def document_save(
    *, unit: AdministrativeUnit, data: dict, document: DirectiveDocument | None = None
) -> DirectiveDocument:
    """Add an entry to the register of ``unit`` or change ``document``; ``RecordConflict`` when
    the register has that number and symbol in that year already."""
    _lock_register(unit)
    if document is None:
        document = DirectiveDocument(unit=unit)
    _assign(document, data, DOCUMENT_FIELDS)
    others = DirectiveDocument.objects.filter(unit=unit, issued_on__year=document.issued_on.year)
    if document.pk:
        others = others.exclude(pk=document.pk)
    _check_register(_register_keys(others), document.number_symbol, document.issued_on)
    _save_entry(document)
    return document


@transaction.atomic
def document_delete(*, document: DirectiveDocument) -> None:
    document.delete()


@transaction.atomic
def documents_import(*, unit: AdministrativeUnit, rows: list[DocumentRow]) -> Imported:
    """Add the checked rows of an Excel list to the register, all or nothing; ``RecordConflict``
    naming the row when an entry was added meanwhile. Saved one by one: ``save`` reads the number
    out of the symbol."""
    _lock_register(unit)
    keys = _register_keys(DirectiveDocument.objects.filter(unit=unit))
    result = Imported()
    for row in rows:
        document = DirectiveDocument(
            unit=unit,
            number_symbol=row.number_symbol,
            issued_on=row.issued_on,
            type_code=row.type_code,
            summary=row.summary,
        )
        try:
            _check_register(keys, row.number_symbol, row.issued_on)
            _save_entry(document)
        except RecordConflict as conflict:
            raise RecordConflict(
                _("Dòng %(row)s: %(problem)s Không có gì được lưu.") % {"row": row.row, "problem": conflict}
            ) from conflict
        result.saved.append(document)
    return result
