"""A quarter, half, nine months or year of a commune that has months in it: the months' sum,
read only, with their states, and the choice when a whole-period report stands beside them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communes.models import COMMUNE_ROLES
from communes.selectors import roles_in, units_reviewed_by
from core import periods

from ..figures import COLUMNS
from ..models import ChangeAction, DossierChange, DossierReport, FiguresChoice, ProcedureField
from ..selectors import calendar_for, figures_for, get_period, parse_period_or_404
from ..services import WorkflowError, dossier_report_choose
from .common import _commune_for

# Asked for on a longer period with months, to open the grid of its whole-period report.
WHOLE_PERIOD = "ca-ky"


def period_summary_response(request, unit, value: periods.Period):
    """The summary page of ``value`` when it is a longer period in which the commune has month
    reports, or a period before a 2025 commune existed that its predecessors reported (GET, unless
    the whole-period grid is asked for); else None: the entry grid."""
    if request.method != "GET" or WHOLE_PERIOD in request.GET:
        return None
    before_life = unit.valid_from is not None and value.dates(periods.Calendar.CALENDAR)[1] < unit.valid_from
    if value.kind == periods.Kind.MONTH and not before_life:
        return None
    result = figures_for(unit=unit, period=value)
    if result.source != "predecessors" and not result.split and not any(m.status for m in result.months):
        return None
    setting = calendar_for(unit)
    date_from, date_to = value.dates(periods.Calendar(setting.calendar))
    names = dict(ProcedureField.objects.values_list("pk", "name"))
    order = list(ProcedureField.objects.values_list("pk", flat=True))
    rows = [(names[pk], result.lines[pk]) for pk in order if pk in result.lines]
    direct = _direct_report(unit, value) if result.direct is not None else None
    choice_change = (
        DossierChange.objects.filter(report=direct, action=ChangeAction.CHOOSE)
        .select_related("user")
        .order_by("-at", "-pk")
        .first()
        if direct is not None
        else None
    )
    return render(
        request,
        "dossiers/period_summary.html",
        {
            "unit": unit,
            "period": value,
            "figures": result,
            # A 2025 commune's months before 1/7/2025: each predecessor that went whole into it.
            "history_groups": result.history.groups
            if result.history
            else (result.groups if result.source == "predecessors" else []),
            "own_months": result.source != "predecessors" or bool(result.months),
            "rows": rows,
            "total": result.total,
            "columns": COLUMNS,
            "date_from": date_from,
            "date_to": date_to,
            "direct_report": direct,
            "choice_change": choice_change,
            "may_choose": direct is not None and _may_choose(request.user, unit),
            "whole_period": WHOLE_PERIOD,
            "choices": FiguresChoice,
        },
    )


def _direct_report(unit, value: periods.Period) -> DossierReport | None:
    period = get_period(value)
    return DossierReport.objects.filter(unit=unit, period=period).first() if period else None


def _may_choose(user, unit) -> bool:
    """The commune's officers and chairman, and its reviewer, choose which figures count."""
    return (
        bool(roles_in(user, unit) & set(COMMUNE_ROLES)) or units_reviewed_by(user).filter(pk=unit.pk).exists()
    )


@login_required
@require_POST
def period_choose_view(request, pk: int, period: str):
    """Record which figures count for a longer period: its months' sum or its own report."""
    unit = _commune_for(request.user, pk)
    value = parse_period_or_404(period)
    if not _may_choose(request.user, unit):
        raise PermissionDenied(_("Chỉ cán bộ của xã hoặc cơ quan thẩm định mới chọn số liệu được dùng."))
    report = _direct_report(unit, value) if value.kind != periods.Kind.MONTH else None
    if report is None:
        raise Http404(_("Kỳ này không có báo cáo cả kỳ để chọn."))
    choice = request.POST.get("choice", "")
    try:
        dossier_report_choose(
            report=report, user=request.user, choice=choice, expected=request.POST.get("expected", "")
        )
    except WorkflowError as error:
        messages.error(request, error.messages[0])
        response = redirect("dossiers:entry", pk=unit.pk, period=value.code)
        response.status_code = 303
        return response
    messages.success(
        request,
        _("Đã chọn “%(choice)s” cho %(period)s.")
        % {"choice": FiguresChoice(choice).label, "period": value.label},
    )
    return redirect("dossiers:entry", pk=unit.pk, period=value.code)
