"""Pages of a commune's yearly plan: the plans, their tasks and the import of tasks from Excel.

Access, who writes and who reads, and the answer to invalid input: as in ``records_common``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ..forms import PlanForm, PlanTaskForm, with_submission_token
from ..imports import read_plan_tasks
from ..models import Plan
from ..selectors.records import (
    get_commune_for_user,
    get_plan_task_for_user,
    may_write,
    plan_for,
    plan_list,
    plan_tasks,
    progress_text,
)
from ..services.records import (
    plan_create,
    plan_save,
    plan_task_delete,
    plan_task_save,
    plan_task_set_done,
    plan_tasks_import,
)
from .records_common import CONFIRM_TEMPLATE, _initial, _posted, _render_form, _run_import, _today
from .submitting import create_posted

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
    form = with_submission_token(PlanForm(_posted(request), initial={"year": _today().year}))
    response = create_posted(
        request,
        form,
        create=lambda: plan_create(unit=unit, year=form.cleaned_data["year"], data=form.cleaned_data),
        url_of=lambda plan: reverse("reports:plan_detail", args=[unit.pk, plan.year]),
        label_of=lambda plan: str(plan.year),
        saved=_("Đã tạo kế hoạch CCHC năm %(name)s."),
        again=_("Kế hoạch CCHC năm %(name)s đã được tạo từ lần gửi trước."),
    )
    if response is not None:
        return response
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
            "task_form": with_submission_token(PlanTaskForm(unit=unit)) if writable else None,
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
    form = with_submission_token(PlanTaskForm(_posted(request), unit=unit))

    def create():
        data = dict(form.cleaned_data)
        if data.get("done") and not data.get("done_on"):
            data["done_on"] = _today()
        return plan_task_save(plan=plan, data=data)

    response = create_posted(
        request,
        form,
        create=create,
        url_of=lambda _task: reverse("reports:plan_detail", args=[unit.pk, year]),
        label_of=lambda task: task.description[:80],
        saved=_("Đã thêm nhiệm vụ “%(name)s” vào kế hoạch."),
        again=_("Nhiệm vụ “%(name)s” đã được thêm vào kế hoạch từ lần gửi trước; không thêm lần nữa."),
    )
    if response is not None:
        return response
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


# Shown beside the upload field: what each column of the list may hold.
PLAN_COLUMNS_HELP = [
    ("STT", gettext_lazy("không bắt buộc; số La Mã (I, II …) là dòng tiêu đề nhóm, được bỏ qua")),
    ("Nhiệm vụ", gettext_lazy("bắt buộc")),
    ("Bộ phận", gettext_lazy("không bắt buộc; tên một bộ phận của xã")),
    ("Thời hạn", gettext_lazy("không bắt buộc; ngày, ví dụ 30/06/2024")),
    ("Hoàn thành", gettext_lazy("không bắt buộc; “có” hoặc “không”")),
]


@login_required
def plan_import_view(request, unit_pk: int, year: int):
    unit = get_commune_for_user(request.user, unit_pk, write=True)
    plan = _plan_or_404(unit, year)
    back = reverse("reports:plan_detail", args=[unit.pk, year])

    def done(imported, filename: str) -> None:
        if not imported.saved:
            messages.warning(
                request,
                _(
                    "Mọi nhiệm vụ trong tệp “%(filename)s” đã có trong kế hoạch năm %(year)s (cùng nội "
                    "dung, bộ phận và thời hạn); không nhập thêm nhiệm vụ nào."
                )
                % {"filename": filename, "year": year},
            )
            return
        messages.success(
            request,
            _("Đã nhập %(count)s nhiệm vụ từ tệp “%(filename)s”.")
            % {"count": len(imported.saved), "filename": filename},
        )
        if imported.skipped:
            messages.info(
                request,
                _(
                    "%(count)s nhiệm vụ đã có trong kế hoạch (cùng nội dung, bộ phận và thời hạn) nên "
                    "không nhập lại: dòng %(rows)s."
                )
                % {"count": len(imported.skipped), "rows": ", ".join(str(row) for row in imported.skipped)},
            )

    response = _run_import(
        request,
        unit=unit,
        reader=read_plan_tasks,
        saver=lambda rows: plan_tasks_import(plan=plan, rows=rows, today=_today()),
        done=done,
        back=back,
        title=_("Nhập nhiệm vụ của kế hoạch năm %(year)s từ Excel") % {"year": year},
        crumbs=[_plans_crumb(unit), (str(year), back)],
        columns=PLAN_COLUMNS_HELP,
        tab="plan",
    )
    return response or redirect(back)
