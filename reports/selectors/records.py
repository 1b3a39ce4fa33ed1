"""Reads of a commune's records: meetings and their tasks, the yearly plan, the register of
directive documents. The access helpers answer 404 for what the user may not see and 403 for
what it may see but not change; every view of the records goes through them.

The composer reuses ``document_counts_between``, ``plan_progress``, ``open_tasks`` and
``meeting_tasks``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit, Office, User
from communes.selectors import get_unit_for_user, units_readable_by, units_writable_by
from core.formatting import format_percent

from ..models import (
    ConclusionTask,
    DirectiveDocument,
    DocumentType,
    Meeting,
    Plan,
    PlanTask,
    TaskStatus,
)

# Access ------------------------------------------------------------------------------------------


def get_commune_for_user(user: User, pk: int, *, write: bool = False) -> AdministrativeUnit:
    """The commune ``pk``: 404 when ``user`` may not see it or it is not a commune, 403 when it may
    see but not write (reviewers, administrators, successors read; officers and chairmen write)."""
    unit = get_unit_for_user(user, pk, write=False)
    if not unit.is_commune:
        raise Http404(_("Chỉ xã, phường mới có cuộc họp, kế hoạch và sổ văn bản."))
    if write:
        _check_writable(user, unit.pk)
    return unit


def _check_writable(user: User, unit_id: int) -> None:
    if not units_writable_by(user).filter(pk=unit_id).exists():
        raise PermissionDenied(_("Bạn không có quyền cập nhật hồ sơ của đơn vị này."))


def _scoped(queryset: QuerySet, user: User, pk: int, *, write: bool, missing: str):
    found = queryset.filter(pk=pk, unit__in=units_readable_by(user)).first()
    if found is None:
        raise Http404(missing)
    if write:
        _check_writable(user, found.unit_id)
    return found


def get_meeting_for_user(user: User, pk: int, *, write: bool = False) -> Meeting:
    return _scoped(
        Meeting.objects.select_related("unit__parent"),
        user,
        pk,
        write=write,
        missing=_("Không tìm thấy cuộc họp."),
    )


def get_task_for_user(user: User, pk: int, *, write: bool = False) -> ConclusionTask:
    return _scoped(
        ConclusionTask.objects.select_related("meeting", "unit", "office"),
        user,
        pk,
        write=write,
        missing=_("Không tìm thấy nhiệm vụ."),
    )


def get_plan_task_for_user(user: User, pk: int, *, write: bool = False) -> PlanTask:
    task = (
        PlanTask.objects.select_related("plan__unit", "office")
        .filter(pk=pk, plan__unit__in=units_readable_by(user))
        .first()
    )
    if task is None:
        raise Http404(_("Không tìm thấy nhiệm vụ của kế hoạch."))
    if write:
        _check_writable(user, task.plan.unit_id)
    return task


def get_document_for_user(user: User, pk: int, *, write: bool = False) -> DirectiveDocument:
    return _scoped(
        DirectiveDocument.objects.select_related("unit"),
        user,
        pk,
        write=write,
        missing=_("Không tìm thấy văn bản."),
    )


def may_write(user: User, unit: AdministrativeUnit) -> bool:
    return units_writable_by(user).filter(pk=unit.pk).exists()


def offices_of(unit: AdministrativeUnit) -> QuerySet[Office]:
    return Office.objects.filter(unit=unit).order_by("position", "name")


# Meetings and tasks ------------------------------------------------------------------------------


def meeting_list(unit: AdministrativeUnit) -> QuerySet[Meeting]:
    """The commune's meetings, newest first, each with ``open_count`` (tasks not done) and
    ``task_count``: one query."""
    return (
        Meeting.objects.filter(unit=unit)
        .annotate(
            task_count=Count("tasks"),
            open_count=Count("tasks", filter=~Q(tasks__status=TaskStatus.DONE)),
        )
        .order_by("-held_on", "-pk")
    )


def meeting_tasks(meeting: Meeting) -> list[ConclusionTask]:
    """The tasks a meeting assigned, in their order, with their offices."""
    return list(meeting.tasks.select_related("office").order_by("position", "pk"))


def open_tasks(unit: AdministrativeUnit) -> QuerySet[ConclusionTask]:
    """The tasks of ``unit`` not yet done, the soonest due first (those without a date last)."""
    return (
        ConclusionTask.objects.filter(unit=unit)
        .exclude(status=TaskStatus.DONE)
        .select_related("meeting", "office")
        .order_by(F("due_on").asc(nulls_last=True), "meeting__held_on", "position", "pk")
    )


def is_overdue(task: ConclusionTask, today: datetime.date) -> bool:
    return task.status != TaskStatus.DONE and task.due_on is not None and task.due_on < today


@dataclass
class Tracker:
    """The task tracker of one commune, as filtered."""

    tasks: list[ConclusionTask]
    by_status: dict[str, int]  # over the whole commune, unfiltered
    overdue_count: int  # over the whole commune, unfiltered
    overdue_ids: set[int] = field(default_factory=set)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def task_tracker(
    unit: AdministrativeUnit,
    *,
    today: datetime.date,
    office: Office | None = None,
    status: str = "",
    overdue_only: bool = False,
) -> Tracker:
    """Every task of ``unit`` (filtered by office and status), counts by status and the number of
    overdue tasks (due date past, not done). Two queries, whatever the number of tasks."""
    overdue = Q(due_on__lt=today) & ~Q(status=TaskStatus.DONE)
    counts = ConclusionTask.objects.filter(unit=unit).aggregate(
        overdue=Count("pk", filter=overdue),
        **{status_key: Count("pk", filter=Q(status=status_key)) for status_key in TaskStatus.values},
    )
    tasks = ConclusionTask.objects.filter(unit=unit).select_related("meeting", "office")
    if office is not None:
        tasks = tasks.filter(office=office)
    if status:
        tasks = tasks.filter(status=status)
    if overdue_only:
        tasks = tasks.filter(overdue)
    rows = list(
        tasks.order_by("status", F("due_on").asc(nulls_last=True), "-meeting__held_on", "position", "pk")
    )
    # Overdue first, then by status (todo, doing, done), then by due date.
    order = {TaskStatus.TODO: 0, TaskStatus.DOING: 1, TaskStatus.DONE: 2}
    overdue_ids = {task.pk for task in rows if is_overdue(task, today)}
    rows.sort(key=lambda task: (task.pk not in overdue_ids, order.get(task.status, 3)))
    return Tracker(
        tasks=rows,
        by_status={key: counts[key] for key in TaskStatus.values},
        overdue_count=counts["overdue"],
        overdue_ids=overdue_ids,
    )


# The yearly plan ---------------------------------------------------------------------------------


def plan_for(unit: AdministrativeUnit, year: int) -> Plan | None:
    return Plan.objects.filter(unit=unit, year=year).first()


def plan_list(unit: AdministrativeUnit) -> QuerySet[Plan]:
    """The commune's plans, newest year first, with ``task_count`` and ``done_count``."""
    return (
        Plan.objects.filter(unit=unit)
        .annotate(task_count=Count("tasks"), done_count=Count("tasks", filter=Q(tasks__done=True)))
        .order_by("-year")
    )


def plan_tasks(plan: Plan) -> list[PlanTask]:
    return list(plan.tasks.select_related("office").order_by("position", "pk"))


@dataclass
class PlanProgress:
    """The commune's plan of a year: tasks done, tasks in all, and the tasks still open."""

    plan: Plan | None
    done: int = 0
    total: int = 0
    open_tasks: list[PlanTask] = field(default_factory=list)

    @property
    def rate(self) -> str:
        return format_percent(self.done, self.total, 0) if self.total else ""


def plan_progress(unit: AdministrativeUnit, year: int, until: datetime.date | None = None) -> PlanProgress:
    """How far the commune's plan for ``year`` is (tasks done by ``until`` when given); an empty
    progress without a plan."""
    plan = plan_for(unit, year)
    if plan is None:
        return PlanProgress(None)
    tasks = plan_tasks(plan)
    done = [t for t in tasks if t.done and (until is None or t.done_on is None or t.done_on <= until)]
    return PlanProgress(plan, len(done), len(tasks), [t for t in tasks if t not in done])


def progress_text(done: int, total: int) -> str:
    """ "17/25 nhiệm vụ (68%)", as seed 002 writes it; the rate rounded to a whole percent."""
    if not total:
        return _("Chưa có nhiệm vụ")
    return _("%(done)s/%(total)s nhiệm vụ (%(rate)s)") % {
        "done": done,
        "total": total,
        "rate": format_percent(done, total, 0),
    }


# The register of directive documents -------------------------------------------------------------


def document_counts_between(
    unit: AdministrativeUnit, first: datetime.date, last: datetime.date
) -> dict[int, dict[str, int]]:
    """{year: {type code: count}} of the documents ``unit`` issued from ``first`` to ``last`` (both
    included); only the years with a document. One query."""
    rows = (
        DirectiveDocument.objects.filter(unit=unit, issued_on__range=(first, last))
        .annotate(year=ExtractYear("issued_on"))
        .values("year", "type_code")
        .annotate(count=Count("pk"))
        .order_by("year", "type_code")
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["year"], {})[row["type_code"]] = row["count"]
    return counts


def document_counts(unit: AdministrativeUnit, years) -> dict[int, dict[str, int]]:
    """{year: {type code: count}} of the documents ``unit`` issued in ``years`` (every year asked
    for is present, with an empty dict when nothing was issued). One query, none without years."""
    years = sorted(set(years))
    if not years:
        return {}
    found = document_counts_between(unit, datetime.date(years[0], 1, 1), datetime.date(years[-1], 12, 31))
    return {year: found.get(year, {}) for year in years}


def document_years(unit: AdministrativeUnit) -> list[int]:
    dates = DirectiveDocument.objects.filter(unit=unit).dates("issued_on", "year", order="DESC")
    return [day.year for day in dates]


@dataclass
class Register:
    documents: list[DirectiveDocument]
    years: list[int]  # every year with a document, newest first
    types: list[tuple[str, str]]  # the type codes that occur, in the order of DocumentType
    table: list[dict]  # one row per year: year, cells (count per type in ``types``), total
    column_totals: list[int]
    total: int


def register(
    unit: AdministrativeUnit, *, year: int | None = None, type_code: str = "", years: list[int] | None = None
) -> Register:
    """The register page: the documents (filtered by year and type) and the year × type table of
    counts over the whole register. Three queries (two with ``years`` given, as from
    ``document_years``), whatever the number of documents."""
    if years is None:
        years = document_years(unit)
    counts = document_counts(unit, years)
    types = [(code, label) for code, label in DocumentType.choices if any(code in counts[y] for y in years)]
    table = []
    for each in years:
        cells = [counts[each].get(code, 0) for code, _label in types]
        table.append({"year": each, "cells": cells, "total": sum(cells)})
    column_totals = [sum(row["cells"][index] for row in table) for index in range(len(types))]
    documents = DirectiveDocument.objects.filter(unit=unit)
    if year:
        documents = documents.filter(issued_on__year=year)
    if type_code:
        documents = documents.filter(type_code=type_code)
    return Register(
        documents=list(documents.order_by("-issued_on", "-number", "-pk")),
        years=years,
        types=types,
        table=table,
        column_totals=column_totals,
        total=sum(row["total"] for row in table),
    )
