"""Pages of a commune's records: meetings and their tasks, the task tracker, the yearly plan and
the register of directive documents.

Every view reaches its object through an access helper of ``selectors.records``: 404 for what the
user may not see, 403 for what it may see but not change. Officers and chairmen of the commune
write; its reviewers, administrators and successors read. Invalid input answers 400 with the form
and its Vietnamese messages, nothing saved.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import ProtectedError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ..forms import (
    ConclusionTaskForm,
    DocumentForm,
    ImportForm,
    MeetingForm,
    PlanForm,
    PlanTaskForm,
    RegisterFilterForm,
    TaskStatusForm,
    TrackerFilterForm,
)
from ..imports import MAX_IMPORT_BYTES, read_documents, read_plan_tasks
from ..models import Plan, TaskStatus
from ..selectors.records import (
    document_years,
    get_commune_for_user,
    get_document_for_user,
    get_meeting_for_user,
    get_plan_task_for_user,
    get_task_for_user,
    may_write,
    meeting_list,
    meeting_tasks,
    plan_for,
    plan_list,
    plan_tasks,
    progress_text,
    register,
    task_tracker,
)
from ..services.records import (
    conclusion_task_delete,
    conclusion_task_save,
    conclusion_task_set_status,
    document_delete,
    document_save,
    documents_import,
    meeting_delete,
    meeting_save,
    plan_save,
    plan_task_delete,
    plan_task_save,
    plan_task_set_done,
    plan_tasks_import,
)

FORM_TEMPLATE = "reports/records/form.html"
CONFIRM_TEMPLATE = "reports/records/confirm_delete.html"
IMPORT_TEMPLATE = "reports/records/import.html"


def _today():
    return timezone.localdate()


def _render_form(request, *, unit, form, title: str, crumbs: list, cancel_url: str, submit: str, tab: str):
    status = 400 if request.method == "POST" else 200
    context = {
        "unit": unit,
        "form": form,
        "title": title,
        "crumbs": crumbs,
        "cancel_url": cancel_url,
        "submit": submit,
        "tab": tab,
    }
    return render(request, FORM_TEMPLATE, context, status=status)


def _posted(request):
    """The POST data to bind a form to (even when empty, so that its errors show), or None."""
    return request.POST if request.method == "POST" else None


def _initial(instance, names) -> dict:
    return {name: getattr(instance, name) for name in names}


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
    form = MeetingForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        meeting = meeting_save(unit=unit, user=request.user, data=form.cleaned_data)
        messages.success(request, _("Đã lưu cuộc họp “%(title)s”.") % {"title": meeting.title})
        return redirect("reports:meeting_detail", pk=meeting.pk)
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
            "task_form": ConclusionTaskForm(unit=meeting.unit, today=today) if writable else None,
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
    form = ConclusionTaskForm(_posted(request), unit=meeting.unit, today=_today())
    if request.method == "POST" and form.is_valid():
        conclusion_task_save(meeting=meeting, data=form.cleaned_data)
        messages.success(request, _("Đã giao nhiệm vụ."))
        return redirect("reports:meeting_detail", pk=meeting.pk)
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


# The yearly plan ---------------------------------------------------------------------------------


def _plans_crumb(unit) -> tuple[str, str]:
    return (_("Kế hoạch CCHC năm"), reverse("reports:plan_list", args=[unit.pk]))


def _plan_or_404(unit, year: int) -> Plan:
    plan = plan_for(unit, year)
    if plan is None:
        raise Http404(_("Đơn vị chưa có kế hoạch CCHC năm %(year)s.") % {"year": year})
    return plan


@login_required
def plan_list_view(request, unit_pk: int):
    unit = get_commune_for_user(request.user, unit_pk)
    plans = list(plan_list(unit))
    for plan in plans:
        plan.progress = progress_text(plan.done_count, plan.task_count)
    return render(
        request,
        "reports/records/plan_list.html",
        {"unit": unit, "plans": plans, "may_write": may_write(request.user, unit), "tab": "plan"},
    )


@login_required
def plan_create_view(request, unit_pk: int):
    unit = get_commune_for_user(request.user, unit_pk, write=True)
    form = PlanForm(_posted(request), initial={"year": _today().year})
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        if plan_for(unit, year) is not None:
            form.add_error(
                "year", _("Đơn vị đã có kế hoạch năm %(year)s; hãy mở kế hoạch đó để sửa.") % {"year": year}
            )
        else:
            plan_save(unit=unit, year=year, data=form.cleaned_data)
            messages.success(request, _("Đã tạo kế hoạch CCHC năm %(year)s.") % {"year": year})
            return redirect("reports:plan_detail", unit_pk=unit.pk, year=year)
    return _render_form(
        request,
        unit=unit,
        form=form,
        title=_("Thêm kế hoạch CCHC năm"),
        crumbs=[_plans_crumb(unit)],
        cancel_url=reverse("reports:plan_list", args=[unit.pk]),
        submit=_("Tạo kế hoạch"),
        tab="plan",
    )


@login_required
def plan_detail_view(request, unit_pk: int, year: int):
    unit = get_commune_for_user(request.user, unit_pk)
    plan = _plan_or_404(unit, year)
    tasks = plan_tasks(plan)
    done = sum(1 for task in tasks if task.done)
    writable = may_write(request.user, unit)
    return render(
        request,
        "reports/records/plan_detail.html",
        {
            "unit": unit,
            "plan": plan,
            "tasks": tasks,
            "done": done,
            "total": len(tasks),
            "percent": round(done * 100 / len(tasks)) if tasks else 0,
            "progress": progress_text(done, len(tasks)),
            "may_write": writable,
            "task_form": PlanTaskForm(unit=unit) if writable else None,
            "tab": "plan",
        },
    )


@login_required
def plan_edit_view(request, unit_pk: int, year: int):
    unit = get_commune_for_user(request.user, unit_pk, write=True)
    plan = _plan_or_404(unit, year)
    form = PlanForm(
        _posted(request), year_fixed=True, initial=_initial(plan, ("number_symbol", "issued_on", "title"))
    )
    if request.method == "POST" and form.is_valid():
        plan_save(unit=unit, year=year, data=form.cleaned_data)
        messages.success(request, _("Đã lưu kế hoạch CCHC năm %(year)s.") % {"year": year})
        return redirect("reports:plan_detail", unit_pk=unit.pk, year=year)
    back = reverse("reports:plan_detail", args=[unit.pk, year])
    return _render_form(
        request,
        unit=unit,
        form=form,
        title=_("Sửa kế hoạch CCHC năm %(year)s") % {"year": year},
        crumbs=[_plans_crumb(unit), (str(year), back)],
        cancel_url=back,
        submit=_("Lưu kế hoạch"),
        tab="plan",
    )


def _plan_task_page(request, *, unit, plan, form, title):
    back = reverse("reports:plan_detail", args=[unit.pk, plan.year])
    return _render_form(
        request,
        unit=unit,
        form=form,
        title=title,
        crumbs=[_plans_crumb(unit), (str(plan.year), back)],
        cancel_url=back,
        submit=_("Lưu nhiệm vụ"),
        tab="plan",
    )


@login_required
def plan_task_create_view(request, unit_pk: int, year: int):
    unit = get_commune_for_user(request.user, unit_pk, write=True)
    plan = _plan_or_404(unit, year)
    form = PlanTaskForm(_posted(request), unit=unit)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data.get("done") and not data.get("done_on"):
            data["done_on"] = _today()
        plan_task_save(plan=plan, data=data)
        messages.success(request, _("Đã thêm nhiệm vụ vào kế hoạch."))
        return redirect("reports:plan_detail", unit_pk=unit.pk, year=year)
    return _plan_task_page(request, unit=unit, plan=plan, form=form, title=_("Thêm nhiệm vụ của kế hoạch"))


@login_required
def plan_task_edit_view(request, pk: int):
    task = get_plan_task_for_user(request.user, pk, write=True)
    plan = task.plan
    form = PlanTaskForm(_posted(request), unit=plan.unit, initial=_initial(task, PlanTaskForm.FIELDS))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data.get("done") and not data.get("done_on"):
            data["done_on"] = task.done_on or _today()
        plan_task_save(plan=plan, data=data, task=task)
        messages.success(request, _("Đã lưu nhiệm vụ của kế hoạch."))
        return redirect("reports:plan_detail", unit_pk=plan.unit_id, year=plan.year)
    return _plan_task_page(
        request, unit=plan.unit, plan=plan, form=form, title=_("Sửa nhiệm vụ của kế hoạch")
    )


@login_required
def plan_task_delete_view(request, pk: int):
    task = get_plan_task_for_user(request.user, pk, write=True)
    plan = task.plan
    back = reverse("reports:plan_detail", args=[plan.unit_id, plan.year])
    if request.method == "POST":
        plan_task_delete(task=task)
        messages.success(request, _("Đã xoá nhiệm vụ khỏi kế hoạch."))
        return redirect(back)
    return render(
        request,
        CONFIRM_TEMPLATE,
        {
            "unit": plan.unit,
            "tab": "plan",
            "title": _("Xoá nhiệm vụ của kế hoạch"),
            "crumbs": [_plans_crumb(plan.unit), (str(plan.year), back)],
            "question": _("Xoá nhiệm vụ “%(task)s” khỏi kế hoạch?") % {"task": task.description[:120]},
            "cancel_url": back,
        },
    )


@login_required
@require_POST
def plan_task_done_view(request, pk: int):
    """Tick a task done (done=1) or not done (done=0)."""
    task = get_plan_task_for_user(request.user, pk, write=True)
    value = request.POST.get("done")
    if value not in ("0", "1"):
        return HttpResponseBadRequest(_("Giá trị “đã hoàn thành” không hợp lệ."))
    plan_task_set_done(task=task, done=value == "1", today=_today())
    return redirect(
        reverse("reports:plan_detail", args=[task.plan.unit_id, task.plan.year]) + f"#task-{task.pk}"
    )


def _import_page(request, *, unit, result, form, title, crumbs, cancel_url, columns, tab, status=200):
    return render(
        request,
        IMPORT_TEMPLATE,
        {
            "unit": unit,
            "form": form,
            "result": result,
            "title": title,
            "crumbs": crumbs,
            "cancel_url": cancel_url,
            "columns": columns,
            "tab": tab,
        },
        status=status,
    )


def _uploaded(form: ImportForm) -> tuple[bytes, str] | None:
    upload = form.cleaned_data["file"]
    if upload.size > MAX_IMPORT_BYTES:
        return None
    return upload.read(), upload.name


# Shown beside the upload field: what each column of the list may hold.
PLAN_COLUMNS_HELP = [
    ("STT", gettext_lazy("không bắt buộc; số La Mã (I, II …) là dòng tiêu đề nhóm, được bỏ qua")),
    ("Nhiệm vụ", gettext_lazy("bắt buộc")),
    ("Bộ phận", gettext_lazy("không bắt buộc; tên một bộ phận của xã")),
    ("Thời hạn", gettext_lazy("không bắt buộc; ngày, ví dụ 30/06/2024")),
    ("Hoàn thành", gettext_lazy("không bắt buộc; “có” hoặc “không”")),
]
DOCUMENT_COLUMNS_HELP = [
    ("Số, ký hiệu", gettext_lazy("bắt buộc; ví dụ 03/KH-UBND")),
    ("Ngày ban hành", gettext_lazy("bắt buộc; ô ngày hoặc chữ dạng 26/01/2021")),
    ("Loại", gettext_lazy("không bắt buộc; mã (KH, QĐ …) hoặc tên (Kế hoạch); để trống thì đọc từ ký hiệu")),
    ("Trích yếu", gettext_lazy("bắt buộc")),
]


def _run_import(request, *, unit, reader, saver, done_message: str, **page):
    form = ImportForm(_posted(request), request.FILES if request.method == "POST" else None)
    if request.method != "POST":
        return _import_page(request, unit=unit, result=None, form=form, **page)
    if not form.is_valid():
        return _import_page(request, unit=unit, result=None, form=form, status=400, **page)
    uploaded = _uploaded(form)
    if uploaded is None:
        form.add_error("file", _("Tệp nặng quá 10 MB. Hãy chỉ để lại trang tính cần nhập rồi tải lên lại."))
        return _import_page(request, unit=unit, result=None, form=form, status=400, **page)
    data, filename = uploaded
    result = reader(data, filename, unit=unit)
    if not result.ok:
        return _import_page(request, unit=unit, result=result, form=ImportForm(), status=400, **page)
    saved = saver(result.rows)
    messages.success(request, done_message % {"count": len(saved), "filename": filename})
    return None


@login_required
def plan_import_view(request, unit_pk: int, year: int):
    unit = get_commune_for_user(request.user, unit_pk, write=True)
    plan = _plan_or_404(unit, year)
    back = reverse("reports:plan_detail", args=[unit.pk, year])
    response = _run_import(
        request,
        unit=unit,
        reader=read_plan_tasks,
        saver=lambda rows: plan_tasks_import(plan=plan, rows=rows, today=_today()),
        done_message=_("Đã nhập %(count)s nhiệm vụ từ tệp “%(filename)s”."),
        title=_("Nhập nhiệm vụ của kế hoạch năm %(year)s từ Excel") % {"year": year},
        crumbs=[_plans_crumb(unit), (str(year), back)],
        cancel_url=back,
        columns=PLAN_COLUMNS_HELP,
        tab="plan",
    )
    return response or redirect(back)


# The register of directive documents -------------------------------------------------------------


def _register_crumb(unit) -> tuple[str, str]:
    return (_("Sổ văn bản chỉ đạo"), reverse("reports:document_list", args=[unit.pk]))


@login_required
def document_list_view(request, unit_pk: int):
    unit = get_commune_for_user(request.user, unit_pk)
    years = document_years(unit)
    filters = RegisterFilterForm(request.GET or None, years=years)
    year, type_code = None, ""
    if filters.is_bound and filters.is_valid():
        year = filters.cleaned_data["nam"]
        type_code = filters.cleaned_data["loai"]
    page = register(unit, year=year, type_code=type_code, years=years)
    return render(
        request,
        "reports/records/document_list.html",
        {
            "unit": unit,
            "register": page,
            "filters": filters,
            "filtered": bool(year or type_code),
            "may_write": may_write(request.user, unit),
            "tab": "documents",
        },
    )


@login_required
def document_create_view(request, unit_pk: int):
    unit = get_commune_for_user(request.user, unit_pk, write=True)
    form = DocumentForm(_posted(request), unit=unit)
    if request.method == "POST" and form.is_valid():
        document = document_save(unit=unit, data=form.cleaned_data)
        messages.success(
            request, _("Đã thêm văn bản %(symbol)s vào sổ.") % {"symbol": document.number_symbol}
        )
        return redirect("reports:document_list", unit_pk=unit.pk)
    return _render_form(
        request,
        unit=unit,
        form=form,
        title=_("Thêm văn bản chỉ đạo"),
        crumbs=[_register_crumb(unit)],
        cancel_url=reverse("reports:document_list", args=[unit.pk]),
        submit=_("Lưu văn bản"),
        tab="documents",
    )


@login_required
def document_edit_view(request, pk: int):
    document = get_document_for_user(request.user, pk, write=True)
    unit = document.unit
    form = DocumentForm(
        _posted(request),
        unit=unit,
        document_pk=document.pk,
        initial=_initial(document, DocumentForm.FIELDS),
    )
    if request.method == "POST" and form.is_valid():
        document_save(unit=unit, data=form.cleaned_data, document=document)
        messages.success(request, _("Đã lưu văn bản %(symbol)s.") % {"symbol": document.number_symbol})
        return redirect("reports:document_list", unit_pk=unit.pk)
    return _render_form(
        request,
        unit=unit,
        form=form,
        title=_("Sửa văn bản %(symbol)s") % {"symbol": document.number_symbol},
        crumbs=[_register_crumb(unit)],
        cancel_url=reverse("reports:document_list", args=[unit.pk]),
        submit=_("Lưu văn bản"),
        tab="documents",
    )


@login_required
def document_delete_view(request, pk: int):
    document = get_document_for_user(request.user, pk, write=True)
    unit = document.unit
    back = reverse("reports:document_list", args=[unit.pk])
    if request.method == "POST":
        document_delete(document=document)
        messages.success(
            request, _("Đã xoá văn bản %(symbol)s khỏi sổ.") % {"symbol": document.number_symbol}
        )
        return redirect(back)
    return render(
        request,
        CONFIRM_TEMPLATE,
        {
            "unit": unit,
            "tab": "documents",
            "title": _("Xoá văn bản"),
            "crumbs": [_register_crumb(unit)],
            "question": _("Xoá văn bản %(symbol)s ngày %(day)s khỏi sổ?")
            % {"symbol": document.number_symbol, "day": document.issued_on.strftime("%d/%m/%Y")},
            "cancel_url": back,
        },
    )


@login_required
def document_import_view(request, unit_pk: int):
    unit = get_commune_for_user(request.user, unit_pk, write=True)
    back = reverse("reports:document_list", args=[unit.pk])
    response = _run_import(
        request,
        unit=unit,
        reader=read_documents,
        saver=lambda rows: documents_import(unit=unit, rows=rows),
        done_message=_("Đã nhập %(count)s văn bản vào sổ từ tệp “%(filename)s”."),
        title=_("Nhập sổ văn bản chỉ đạo từ Excel"),
        crumbs=[_register_crumb(unit)],
        cancel_url=back,
        columns=DOCUMENT_COLUMNS_HELP,
        tab="documents",
    )
    return response or redirect(back)
