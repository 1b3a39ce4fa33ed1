"""Pages of a commune's meetings and the tasks of their conclusions, and the task tracker.

Access, who writes and who reads, and the answer to invalid input: as in ``records_common``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import ProtectedError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms import ConclusionTaskForm, MeetingForm, TaskStatusForm, TrackerFilterForm, with_submission_token
from ..models import TaskStatus
from ..selectors.records import (
    get_commune_for_user,
    get_meeting_for_user,
    get_task_for_user,
    may_write,
    meeting_list,
    meeting_tasks,
    task_tracker,
)
from ..services.records import (
    conclusion_task_delete,
    conclusion_task_save,
    conclusion_task_set_status,
    meeting_delete,
    meeting_save,
)
from .records_common import CONFIRM_TEMPLATE, _initial, _posted, _render_form, _today
from .submitting import create_posted


def _next_or(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


# Meetings ----------------------------------------------------------------------------------------


def _meetings_crumb(unit) -> tuple[str, str]:
    return (_("Cuộc họp"), reverse("reports:meeting_list", args=[unit.pk]))


@login_required
def meeting_list_view(request, unit_pk: int):
    unit = get_commune_for_user(request.user, unit_pk)
    return render(
        request,
        "reports/records/meeting_list.html",
        {
            "unit": unit,
            "meetings": list(meeting_list(unit)),
            "may_write": may_write(request.user, unit),
            "tab": "meetings",
        },
    )


@login_required
def meeting_create_view(request, unit_pk: int):
    unit = get_commune_for_user(request.user, unit_pk, write=True)
    form = with_submission_token(MeetingForm(_posted(request)))
    response = create_posted(
        request,
        form,
        create=lambda: meeting_save(unit=unit, user=request.user, data=form.cleaned_data),
        url_of=lambda meeting: reverse("reports:meeting_detail", args=[meeting.pk]),
        saved=_("Đã lưu cuộc họp “%(name)s”."),
        again=_("Cuộc họp “%(name)s” đã được lưu từ lần gửi trước; không tạo thêm cuộc họp mới."),
    )
    if response is not None:
        return response
    return _render_form(
        request,
        unit=unit,
        form=form,
        title=_("Thêm cuộc họp"),
        crumbs=[_meetings_crumb(unit)],
        cancel_url=reverse("reports:meeting_list", args=[unit.pk]),
        submit=_("Lưu cuộc họp"),
        tab="meetings",
    )


@login_required
def meeting_detail_view(request, pk: int):
    meeting = get_meeting_for_user(request.user, pk)
    writable = may_write(request.user, meeting.unit)
    today = _today()
    tasks = meeting_tasks(meeting)
    return render(
        request,
        "reports/records/meeting_detail.html",
        {
            "unit": meeting.unit,
            "meeting": meeting,
            "tasks": tasks,
            "overdue_ids": {
                t.pk for t in tasks if t.status != TaskStatus.DONE and t.due_on and t.due_on < today
            },
            "may_write": writable,
            "task_form": (
                with_submission_token(ConclusionTaskForm(unit=meeting.unit, today=today))
                if writable
                else None
            ),
            "statuses": TaskStatus.choices,
            "tab": "meetings",
        },
    )


@login_required
def meeting_edit_view(request, pk: int):
    meeting = get_meeting_for_user(request.user, pk, write=True)
    form = MeetingForm(_posted(request), initial=_initial(meeting, MeetingForm.FIELDS))
    if request.method == "POST" and form.is_valid():
        meeting_save(unit=meeting.unit, user=request.user, data=form.cleaned_data, meeting=meeting)
        messages.success(request, _("Đã lưu cuộc họp “%(title)s”.") % {"title": meeting.title})
        return redirect("reports:meeting_detail", pk=meeting.pk)
    return _render_form(
        request,
        unit=meeting.unit,
        form=form,
        title=_("Sửa cuộc họp"),
        crumbs=[_meetings_crumb(meeting.unit), (meeting.title, reverse("reports:meeting_detail", args=[pk]))],
        cancel_url=reverse("reports:meeting_detail", args=[pk]),
        submit=_("Lưu cuộc họp"),
        tab="meetings",
    )


@login_required
def meeting_delete_view(request, pk: int):
    meeting = get_meeting_for_user(request.user, pk, write=True)
    unit = meeting.unit
    if request.method == "POST":
        try:
            meeting_delete(meeting=meeting)
        except ProtectedError:
            return render(
                request,
                CONFIRM_TEMPLATE,
                {
                    "unit": unit,
                    "tab": "meetings",
                    "title": _("Xoá cuộc họp"),
                    "crumbs": [_meetings_crumb(unit)],
                    "refusal": _(
                        "Không xoá được cuộc họp này: đã có báo cáo soạn từ cuộc họp. Hãy xoá báo cáo trước."
                    ),
                    "cancel_url": reverse("reports:meeting_detail", args=[pk]),
                },
                status=409,
            )
        messages.success(request, _("Đã xoá cuộc họp “%(title)s”.") % {"title": meeting.title})
        return redirect("reports:meeting_list", unit_pk=unit.pk)
    return render(
        request,
        CONFIRM_TEMPLATE,
        {
            "unit": unit,
            "tab": "meetings",
            "title": _("Xoá cuộc họp"),
            "crumbs": [_meetings_crumb(unit), (meeting.title, reverse("reports:meeting_detail", args=[pk]))],
            "question": _("Xoá cuộc họp “%(title)s” ngày %(day)s cùng %(count)s nhiệm vụ đã giao?")
            % {
                "title": meeting.title,
                "day": meeting.held_on.strftime("%d/%m/%Y"),
                "count": meeting.tasks.count(),
            },
            "cancel_url": reverse("reports:meeting_detail", args=[pk]),
        },
    )


# Tasks of a meeting ------------------------------------------------------------------------------


def _task_form_page(request, *, meeting, form, title: str):
    return _render_form(
        request,
        unit=meeting.unit,
        form=form,
        title=title,
        crumbs=[
            _meetings_crumb(meeting.unit),
            (meeting.title, reverse("reports:meeting_detail", args=[meeting.pk])),
        ],
        cancel_url=reverse("reports:meeting_detail", args=[meeting.pk]),
        submit=_("Lưu nhiệm vụ"),
        tab="meetings",
    )


@login_required
def task_create_view(request, meeting_pk: int):
    meeting = get_meeting_for_user(request.user, meeting_pk, write=True)
    form = with_submission_token(ConclusionTaskForm(_posted(request), unit=meeting.unit, today=_today()))
    response = create_posted(
        request,
        form,
        create=lambda: conclusion_task_save(meeting=meeting, data=form.cleaned_data),
        url_of=lambda _task: reverse("reports:meeting_detail", args=[meeting.pk]),
        label_of=lambda task: task.description[:80],
        saved=_("Đã giao nhiệm vụ “%(name)s”."),
        again=_("Nhiệm vụ “%(name)s” đã được giao từ lần gửi trước; không giao thêm lần nữa."),
    )
    if response is not None:
        return response
    return _task_form_page(request, meeting=meeting, form=form, title=_("Giao nhiệm vụ"))


@login_required
def task_edit_view(request, pk: int):
    task = get_task_for_user(request.user, pk, write=True)
    meeting = task.meeting
    meeting.unit = task.unit
    form = ConclusionTaskForm(
        _posted(request),
        unit=task.unit,
        today=_today(),
        initial=_initial(task, ConclusionTaskForm.FIELDS),
    )
    if request.method == "POST" and form.is_valid():
        conclusion_task_save(meeting=meeting, data=form.cleaned_data, task=task)
        messages.success(request, _("Đã lưu nhiệm vụ."))
        return redirect(_next_or(request, reverse("reports:meeting_detail", args=[meeting.pk])))
    return _task_form_page(request, meeting=meeting, form=form, title=_("Sửa nhiệm vụ"))


@login_required
def task_delete_view(request, pk: int):
    task = get_task_for_user(request.user, pk, write=True)
    meeting = task.meeting
    back = reverse("reports:meeting_detail", args=[meeting.pk])
    if request.method == "POST":
        conclusion_task_delete(task=task)
        messages.success(request, _("Đã xoá nhiệm vụ."))
        return redirect(back)
    return render(
        request,
        CONFIRM_TEMPLATE,
        {
            "unit": task.unit,
            "tab": "meetings",
            "title": _("Xoá nhiệm vụ"),
            "crumbs": [_meetings_crumb(task.unit), (meeting.title, back)],
            "question": _("Xoá nhiệm vụ “%(task)s”?") % {"task": task.description[:120]},
            "cancel_url": back,
        },
    )


@login_required
@require_POST
def task_status_view(request, pk: int):
    """The quick status change of the tracker and the meeting page."""
    task = get_task_for_user(request.user, pk, write=True)
    form = TaskStatusForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Trạng thái không hợp lệ."))
    conclusion_task_set_status(task=task, status=form.cleaned_data["status"], today=_today())
    messages.success(
        request,
        _("Nhiệm vụ “%(task)s” chuyển sang “%(status)s”.")
        % {"task": task.description[:80], "status": task.get_status_display()},
    )
    return redirect(_next_or(request, reverse("reports:task_tracker", args=[task.unit_id])))


@login_required
def task_tracker_view(request, unit_pk: int):
    unit = get_commune_for_user(request.user, unit_pk)
    filters = TrackerFilterForm(request.GET or None, unit=unit)
    office, status, overdue_only = None, "", False
    if filters.is_bound and filters.is_valid():
        office = filters.cleaned_data["office"]
        status = filters.cleaned_data["status"]
        overdue_only = filters.cleaned_data["qua_han"]
    tracker = task_tracker(unit, today=_today(), office=office, status=status, overdue_only=overdue_only)
    return render(
        request,
        "reports/records/tracker.html",
        {
            "unit": unit,
            "tracker": tracker,
            "filters": filters,
            "filtered": bool(office or status or overdue_only),
            "statuses": TaskStatus.choices,
            "status_counts": [
                (value, label, tracker.by_status[value]) for value, label in TaskStatus.choices
            ],
            "may_write": may_write(request.user, unit),
            "tab": "tasks",
        },
    )
