"""The commune's self-assessment: its list of assessments, the scoring tree with evidence files,
and the chairman's submission.

Each leaf's form posts on its own (htmx on change, or a plain POST and redirect without
JavaScript); an htmx answer is the leaf's part of the page plus the new totals swapped out of band.

A refusal (400 bad input, 409 locked) keeps the user's place: with htmx the answer is the same part
of the page with the message, marked ``X-Refusal: in-place`` so that static/js/assessment.js swaps it
where the request came from (htmx swaps no 4xx by default, and django-htmx's debug script would
put a 400 in place of the whole document); without JavaScript it is the whole page, the message
beside the criterion, what was typed kept, and the refused field focused (``autofocus``: the
browser scrolls to it; a ``#fragment`` in the action would make it skip the autofocus).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from communes.models import Role
from communes.selectors import get_unit_for_user

from ..forms import EvidenceForm, ScoreForm, points_text
from ..models import AssessmentStatus, Criterion
from ..selectors.access import get_assessment_for_user, get_evidence_for_user
from ..selectors.assessment import (
    AssessmentPage,
    assessment_page,
    assessments_of_unit,
    roles_of,
    submission_check,
)
from ..services import assessment as services
from ..services.assessment import AssessmentLocked, NotALeaf


def _leaf_or_404(assessment, criterion_pk: int) -> Criterion:
    criterion = Criterion.objects.filter(pk=criterion_pk, framework_id=assessment.round.framework_id).first()
    if criterion is None:
        raise Http404(_("Không tìm thấy tiêu chí trong bộ chỉ số của đợt đánh giá này."))
    return criterion


def _score_form(row, data=None) -> ScoreForm:
    initial = {"self_score": points_text(row.score.self_score), "note": row.score.note} if row.score else {}
    return ScoreForm(data, prefix=f"c{row.criterion.pk}", initial=initial)


def _with_forms(page: AssessmentPage) -> AssessmentPage:
    if page.may_write:
        for row in page.rows.values():
            if row.is_leaf and row.kind == "self" and row.score is not None:
                row.form = _score_form(row)
    return page


# The header of an htmx answer that refuses in place (see the module's docstring).
REFUSAL_HEADER = "X-Refusal"


def _in_place(response):
    if response.status_code != 200:
        response[REFUSAL_HEADER] = "in-place"
    return response


def _leaf_url(assessment, criterion: Criterion) -> str:
    return reverse("indices:assessment_detail", args=[assessment.pk]) + f"#leaf-{criterion.pk}"


@login_required
def assessment_list(request, unit_pk: int):
    """The commune's assessments by year, with the self total and, once appraised, the appraised one."""
    unit = get_unit_for_user(request.user, unit_pk)
    assessments = list(assessments_of_unit(unit))
    return render(
        request,
        "indices/assessment/list.html",
        {"unit": unit, "assessments": assessments, "appraised": AssessmentStatus.APPRAISED},
    )


@login_required
def assessment_detail(request, pk: int):
    """The scoring tree: inputs for the commune's officers and chairman while a draft, read-only
    for everyone else and once submitted."""
    assessment = get_assessment_for_user(request.user, pk)
    page = _with_forms(assessment_page(assessment=assessment, user=request.user))
    return render(request, "indices/assessment/detail.html", {"page": page})


@login_required
@require_POST
def assessment_score_save(request, pk: int, criterion_pk: int):
    """Save one leaf's score and note."""
    assessment = get_assessment_for_user(request.user, pk, write=True)
    criterion = _leaf_or_404(assessment, criterion_pk)
    form = ScoreForm(request.POST, prefix=f"c{criterion.pk}")
    status = 400
    if form.is_valid():
        try:
            services.assessment_score_save(
                assessment=assessment,
                criterion=criterion,
                self_score=form.cleaned_data["self_score"],
                note=form.cleaned_data["note"],
                user=request.user,
            )
            status = 200
        except NotALeaf as error:
            raise Http404(error.messages[0]) from None
        except AssessmentLocked as error:
            status = 409
            form.add_error(None, error.messages[0])
        except ValidationError as error:
            form.add_error(None, error)
    if status == 200 and not request.htmx:
        messages.success(request, _("Đã lưu điểm tiêu chí %(code)s.") % {"code": criterion.code})
        return redirect(_leaf_url(assessment, criterion))
    if status == 409 and not request.htmx:
        messages.error(request, form.non_field_errors()[0])
    page = _with_forms(assessment_page(assessment=assessment, user=request.user))
    row = page.rows[criterion.pk]
    if status != 200 and row.form is not None:
        row.form = form
    elif status != 200:
        # Locked meanwhile: the leaf is read-only now; the message says why.
        row.form = None
    row.saved = status == 200
    if request.htmx:
        return _in_place(
            render(
                request,
                "indices/assessment/includes/_score_response.html",
                {"page": page, "row": row, "error": form.non_field_errors()[0] if status == 409 else ""},
                status=status,
            )
        )
    row.focus = status == 400
    return render(request, "indices/assessment/detail.html", {"page": page}, status=status)


@login_required
@require_POST
def assessment_evidence_upload(request, pk: int, criterion_pk: int):
    """Attach an evidence file to a leaf."""
    assessment = get_assessment_for_user(request.user, pk, write=True)
    criterion = _leaf_or_404(assessment, criterion_pk)
    form = EvidenceForm(request.POST, request.FILES)
    status, error, name = 400, "", ""
    if form.is_valid():
        try:
            evidence = services.evidence_upload(
                assessment=assessment,
                criterion=criterion,
                upload=form.cleaned_data["file"],
                user=request.user,
            )
            status, name = 200, evidence.original_name
        except NotALeaf as failure:
            raise Http404(failure.messages[0]) from None
        except AssessmentLocked as failure:
            status, error = 409, failure.messages[0]
        except ValidationError as failure:
            error = failure.messages[0]
    else:
        error = form.errors["file"][0]
    return _evidence_answer(
        request,
        assessment=assessment,
        criterion=criterion,
        status=status,
        error=error,
        done=_("Đã tải lên tệp “%(name)s” cho tiêu chí %(code)s.") % {"name": name, "code": criterion.code},
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_delete(request, pk: int):
    """Remove an evidence file while the assessment is a draft. A GET is the question asked
    without JavaScript (with it, a dialog on the page asks, see static/js/confirm.js)."""
    evidence = get_evidence_for_user(request.user, pk)
    assessment = get_assessment_for_user(request.user, evidence.score.assessment_id, write=True)
    criterion = evidence.score.criterion
    if request.method == "GET":
        status, error = 200, ""
        if assessment.status != AssessmentStatus.DRAFT:
            status = 409
            error = _("Kết quả tự chấm của %(unit)s đã gửi, không sửa được.") % {"unit": assessment.unit.name}
        context = {
            "assessment": assessment,
            "evidence": evidence,
            "criterion": criterion,
            "error": error,
            "back": _leaf_url(assessment, criterion),
        }
        return render(request, "indices/assessment/evidence_delete.html", context, status=status)
    status, error = 200, ""
    try:
        services.evidence_delete(evidence=evidence, user=request.user)
    except AssessmentLocked as failure:
        status, error = 409, failure.messages[0]
    return _evidence_answer(
        request,
        assessment=assessment,
        criterion=criterion,
        status=status,
        error=error,
        done=_("Đã xóa tệp “%(name)s” của tiêu chí %(code)s.")
        % {"name": evidence.original_name, "code": criterion.code},
    )


def _evidence_answer(request, *, assessment, criterion, status: int, error: str, done: str):
    if status == 200 and not request.htmx:
        messages.success(request, done)
        return redirect(_leaf_url(assessment, criterion))
    if status == 409 and not request.htmx:
        messages.error(request, error)
        error = ""
    page = _with_forms(assessment_page(assessment=assessment, user=request.user))
    row = page.rows[criterion.pk]
    row.evidence_error = error
    row.evidence_done = done if status == 200 else ""
    if request.htmx:
        return _in_place(
            render(
                request,
                "indices/assessment/includes/_evidence.html",
                {"page": page, "row": row},
                status=status,
            )
        )
    row.focus = status == 400
    return render(request, "indices/assessment/detail.html", {"page": page}, status=status)


@login_required
def evidence_download(request, pk: int):
    """An evidence file, to whoever may read its assessment; always as a download."""
    evidence = get_evidence_for_user(request.user, pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404(
            _("Tệp “%(name)s” không còn trên máy chủ.") % {"name": evidence.original_name}
        ) from None
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def assessment_submit(request, pk: int):
    """The chairman's confirmation step (GET) and submission (POST)."""
    assessment = get_assessment_for_user(request.user, pk, write=True)
    if Role.CHAIRMAN not in roles_of(request.user, assessment.unit):
        raise PermissionDenied(
            _(
                "Chỉ Chủ tịch hoặc Phó Chủ tịch UBND xã được gửi kết quả tự chấm; "
                "hãy báo lãnh đạo xã kiểm tra và gửi."
            )
        )
    status, error = 200, ""
    if assessment.status != AssessmentStatus.DRAFT:
        status = 409
        error = _("Kết quả tự chấm của %(unit)s đã gửi, không sửa được.") % {"unit": assessment.unit.name}
    elif request.method == "POST":
        try:
            services.assessment_submit(assessment=assessment, user=request.user)
        except AssessmentLocked as failure:
            status, error = 409, failure.messages[0]
        except ValidationError as failure:
            status, error = 400, failure.messages[0]
        else:
            messages.success(
                request,
                _("Đã gửi kết quả tự chấm năm %(year)s đến cơ quan thẩm định.")
                % {"year": assessment.round.year},
            )
            return redirect("indices:assessment_detail", pk=assessment.pk)
    context = {"assessment": assessment, "check": submission_check(assessment), "error": error}
    return render(request, "indices/assessment/submit.html", context, status=status)
