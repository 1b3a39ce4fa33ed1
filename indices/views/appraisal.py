"""The reviewer's pages: rounds, one round's communes (survey points, publication), the appraisal
of one assessment, and the commune's explanation page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communes.selectors import places_of
from core.formatting import format_number

from ..forms_appraisal import (
    AdjustmentForm,
    LeafForm,
    PointsField,
    ReasonForm,
    RoundCreateForm,
    SurveyUploadForm,
    reviewer_groups,
    survey_field_name,
)
from ..models import Adjustment, AssessmentStatus, Criterion, Round
from ..selectors.access import get_assessment_for_reviewer, get_assessment_for_user
from ..selectors.appraisal import appraisal_page, flagged_scores, get_round_for_page, round_list, round_page
from ..services.appraisal import (
    AppraisalConflict,
    adjustment_add,
    adjustment_delete,
    adjustment_limit,
    appraisal_open_on,
    assessment_accept_self_scores,
    assessment_appraisal_start,
    assessment_appraise_leaf,
    assessment_explain,
    assessment_finalise,
    assessment_reopen,
    assessment_request_explanation,
    round_survey_save,
)
from ..services.rounds import round_open, round_publish, round_unpublish
from ..survey import parse_survey, survey_template_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_SURVEY_BYTES = 10 * 1024 * 1024


def _status_for(error: ValidationError) -> int:
    return 409 if isinstance(error, AppraisalConflict) else 400


def _optional_url(name: str, *args) -> str:
    """A link to a page another part of the index builds; "" while it does not exist yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# Rounds ---------------------------------------------------------------------------------------


@login_required
def round_list_view(request):
    """The rounds the user opens (reviews or administers), with counts by status."""
    return render(
        request,
        "indices/appraisal/round_list.html",
        {"rounds": round_list(request.user), "may_open": reviewer_groups(request.user).exists()},
    )


@login_required
def round_create_view(request):
    """A reviewer opens a round for its group: one assessment per commune."""
    if not reviewer_groups(request.user).exists():
        raise PermissionDenied(_("Chỉ cơ quan thẩm định được mở đợt đánh giá."))
    status = 200
    if request.method == "POST":
        form = RoundCreateForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            existing = Round.objects.filter(
                framework=data["framework"], year=data["year"], group=data["group"]
            ).first()
            if existing is not None:
                messages.info(
                    request,
                    _("Đợt đánh giá năm %(year)s của %(group)s theo bộ chỉ số này đã có; đây là đợt đó.")
                    % {"year": data["year"], "group": data["group"].name},
                )
                return redirect("indices:round_detail", pk=existing.pk)
            try:
                round_ = round_open(
                    framework=data["framework"],
                    year=data["year"],
                    group=data["group"],
                    self_deadline=data["self_deadline"],
                )
            except ValidationError as error:
                form.add_error(None, error.messages[0])
                status = 400
            else:
                messages.success(
                    request,
                    _("Đã mở đợt đánh giá năm %(year)s cho %(count)s xã, phường của %(group)s.")
                    % {"year": round_.year, "count": round_.assessments.count(), "group": round_.group.name},
                )
                return redirect("indices:round_detail", pk=round_.pk)
        else:
            status = 400
    else:
        form = RoundCreateForm(
            user=request.user,
            initial={"year": timezone.localdate().year, "self_deadline": timezone.localdate()},
        )
    context = {"form": form, "may_import": places_of(request.user).administers}
    return render(request, "indices/appraisal/round_create.html", context, status=status)


@login_required
def round_detail_view(request, pk: int):
    round_, reviews = get_round_for_page(request.user, pk)
    return _round_detail(request, round_, reviews)


def _round_detail(request, round_: Round, reviews: bool, *, status: int = 200, **extra):
    today = timezone.localdate()
    page = round_page(round_, today=today)
    for row in page.rows:
        # appraisal_open_on, without reading each row's round again: a draft waits for the deadline.
        row.appraise_url = (
            reverse("indices:assessment_appraise", args=[row.assessment.pk])
            if row.assessment.status != AssessmentStatus.DRAFT or today > round_.self_deadline
            else ""
        )
        row.survey_cells = [
            {
                "name": survey_field_name(row.assessment.pk, leaf.pk),
                "value": value,
                "shown": extra.get("typed", {}).get(
                    survey_field_name(row.assessment.pk, leaf.pk), format_number(value, 2)
                ),
                "leaf": leaf,
            }
            for leaf, value in zip(page.survey_leaves, row.survey, strict=True)
        ]
    context = {
        "page": page,
        "round": round_,
        "reviews": reviews,
        "upload_form": extra.get("upload_form") or SurveyUploadForm(),
        "survey_problems": extra.get("survey_problems", []),
        "survey_error": extra.get("survey_error", ""),
        "error": extra.get("error", ""),
    }
    return render(request, "indices/appraisal/round_detail.html", context, status=status)


@login_required
def round_publish_view(request, pk: int):
    """Confirm, then publish the round's results (refused while a commune is not appraised)."""
    return _publication(request, pk, publish=True)


@login_required
def round_unpublish_view(request, pk: int):
    return _publication(request, pk, publish=False)


def _publication(request, pk: int, *, publish: bool):
    round_, _reviews = get_round_for_page(request.user, pk, review=True)
    if request.method == "POST":
        try:
            if publish:
                round_publish(round_=round_, user=request.user)
                messages.success(
                    request, _("Đã công bố kết quả đợt đánh giá năm %(year)s.") % {"year": round_.year}
                )
            else:
                round_unpublish(round_=round_)
                messages.success(
                    request, _("Đã thu hồi công bố đợt đánh giá năm %(year)s.") % {"year": round_.year}
                )
        except ValidationError as error:
            return _round_detail(request, round_, True, status=409, error=error.messages[0])
        return redirect("indices:round_detail", pk=round_.pk)
    return render(request, "indices/appraisal/round_publish.html", {"round": round_, "publish": publish})


@login_required
@require_POST
def round_survey_view(request, pk: int):
    """Survey points typed on the round page, one input per commune and survey leaf."""
    round_, _reviews = get_round_for_page(request.user, pk, review=True)
    page = round_page(round_, today=timezone.localdate())
    field = PointsField(required=False)
    values, problems = {}, []
    for row in page.rows:
        for leaf, current in zip(page.survey_leaves, row.survey, strict=True):
            name = survey_field_name(row.assessment.pk, leaf.pk)
            if name not in request.POST:
                continue
            try:
                points = field.clean(request.POST[name])
            except ValidationError as error:
                problems.append(
                    _("%(unit)s, tiêu chí %(code)s: %(problem)s")
                    % {"unit": row.assessment.unit.name, "code": leaf.code, "problem": error.messages[0]}
                )
                continue
            if points != current:
                values[(row.assessment.pk, leaf.pk)] = points
    typed = {key: value for key, value in request.POST.items() if key.startswith("survey-")}
    if not problems:
        try:
            written = round_survey_save(round_=round_, values=values, user=request.user)
        except ValidationError as error:
            return _round_detail(
                request, round_, True, status=_status_for(error), survey_problems=error.messages, typed=typed
            )
        messages.success(request, _("Đã lưu %(count)s điểm khảo sát.") % {"count": written})
        return redirect("indices:round_detail", pk=round_.pk)
    return _round_detail(request, round_, True, status=400, survey_problems=problems, typed=typed)


@login_required
def round_survey_template_view(request, pk: int):
    round_, _reviews = get_round_for_page(request.user, pk, review=True)
    response = HttpResponse(survey_template_xlsx(round_), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="khao-sat-{round_.year}-{round_.group.code}.xlsx"'
    )
    return response


@login_required
@require_POST
def round_survey_upload_view(request, pk: int):
    """One Excel file of survey points for the whole group: all of it, or nothing."""
    round_, _reviews = get_round_for_page(request.user, pk, review=True)
    form = SurveyUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _round_detail(
            request,
            round_,
            True,
            status=400,
            upload_form=form,
            survey_error=_("Hãy chọn tệp Excel (.xlsx) điểm khảo sát để tải lên."),
        )
    upload = form.cleaned_data["file"]
    if upload.size > MAX_SURVEY_BYTES:
        return _round_detail(
            request,
            round_,
            True,
            status=400,
            survey_error=_("Tệp “%(name)s” lớn hơn 10 MB, không nhập.") % {"name": upload.name},
        )
    values, problems = parse_survey(round_, upload.read(), filename=upload.name)
    if problems:
        return _round_detail(request, round_, True, status=400, survey_problems=[p.message for p in problems])
    try:
        written = round_survey_save(round_=round_, values=values, user=request.user)
    except ValidationError as error:
        return _round_detail(request, round_, True, status=_status_for(error), survey_problems=error.messages)
    messages.success(
        request,
        _("Đã nhập điểm khảo sát từ tệp “%(name)s”: %(count)s điểm thay đổi.")
        % {"name": upload.name, "count": written},
    )
    return redirect("indices:round_detail", pk=round_.pk)


# One assessment -------------------------------------------------------------------------------


@login_required
def assessment_appraise_view(request, pk: int):
    """The appraisal of one commune: every leaf by field, adjustments, totals, the next step."""
    assessment = get_assessment_for_reviewer(request.user, pk)
    today = timezone.localdate()
    if not appraisal_open_on(assessment, today):
        return render(
            request,
            "indices/appraisal/not_yet.html",
            {"assessment": assessment},
            status=409,
        )
    was_draft = assessment.status == AssessmentStatus.DRAFT
    if assessment.status in (AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED):
        assessment = assessment_appraisal_start(assessment=assessment, today=today)
        if was_draft:
            messages.warning(
                request,
                _(
                    "%(unit)s chưa gửi kết quả tự chấm; đã quá hạn tự chấm (%(deadline)s) nên kết quả đang "
                    "nháp được đưa vào thẩm định."
                )
                % {"unit": assessment.unit.name, "deadline": f"{assessment.round.self_deadline:%d/%m/%Y}"},
            )
        assessment = get_assessment_for_reviewer(request.user, pk)
    return _appraise(request, assessment)


def _appraise(request, assessment, *, status: int = 200, leaf_error: tuple[int, str] | None = None, **extra):
    page = appraisal_page(assessment)
    evidence_pattern = _optional_url("indices:evidence_download", 0)
    for group in page.fields:
        for row in group.leaves:
            row.files = [
                {
                    "name": file.original_name,
                    "url": evidence_pattern.replace("/0/", f"/{file.pk}/", 1) if evidence_pattern else "",
                }
                for file in row.score.evidence.all()
            ]
            row.error = leaf_error[1] if leaf_error and leaf_error[0] == row.criterion.pk else ""
            if leaf_error and leaf_error[0] == row.criterion.pk and "posted" in extra:
                row.posted = extra["posted"]
    editable = assessment.status in (AssessmentStatus.APPRAISING, AssessmentStatus.EXPLAINING)
    context = {
        "assessment": assessment,
        "page": page,
        "editable": editable,
        "adjustment_form": extra.get("adjustment_form") or AdjustmentForm(),
        "adjustment_limit": adjustment_limit(assessment.round.framework),
        "reopen_form": extra.get("reopen_form") or ReasonForm(),
        "error": extra.get("error", ""),
        "detail_url": _optional_url("indices:assessment_detail", assessment.pk),
        "round_url": reverse("indices:round_detail", args=[assessment.round_id]),
    }
    return render(request, "indices/appraisal/assessment_appraise.html", context, status=status)


@login_required
@require_POST
def assessment_appraise_leaf_view(request, pk: int, criterion: int):
    assessment = get_assessment_for_reviewer(request.user, pk)
    leaf = get_object_or_404(Criterion, pk=criterion, framework_id=assessment.round.framework_id)
    form = LeafForm(request.POST)
    if not form.is_valid():
        problem = next(iter(form.errors.values()))[0]
        message = _("Tiêu chí %(code)s: %(problem)s") % {"code": leaf.code, "problem": problem}
        return _appraise(request, assessment, status=400, leaf_error=(leaf.pk, message), posted=request.POST)
    data = form.cleaned_data
    try:
        assessment_appraise_leaf(
            assessment=assessment,
            criterion=leaf,
            appraised_score=data["appraised_score"],
            comment=data["comment"],
            explanation_requested=data["explanation_requested"],
            applicable=not data["not_applicable"],
            override_reason=data["override_reason"],
            user=request.user,
        )
    except ValidationError as error:
        assessment.refresh_from_db()
        return _appraise(
            request,
            assessment,
            status=_status_for(error),
            leaf_error=(leaf.pk, error.messages[0]),
            posted=request.POST,
        )
    messages.success(request, _("Đã lưu điểm thẩm định tiêu chí %(code)s.") % {"code": leaf.code})
    return redirect(f"{reverse('indices:assessment_appraise', args=[assessment.pk])}#leaf-{leaf.pk}")


def _reviewer_action(request, pk: int, action, success: str):
    assessment = get_assessment_for_reviewer(request.user, pk)
    try:
        action(assessment)
    except ValidationError as error:
        assessment.refresh_from_db()
        return _appraise(request, assessment, status=_status_for(error), error=" ".join(error.messages))
    messages.success(request, success % {"unit": assessment.unit.name})
    return redirect("indices:assessment_appraise", pk=assessment.pk)


@login_required
@require_POST
def assessment_request_explanation_view(request, pk: int):
    return _reviewer_action(
        request,
        pk,
        lambda a: assessment_request_explanation(assessment=a),
        _("Đã gửi yêu cầu giải trình đến %(unit)s."),
    )


@login_required
@require_POST
def assessment_accept_self_scores_view(request, pk: int):
    return _reviewer_action(
        request,
        pk,
        lambda a: assessment_accept_self_scores(assessment=a, user=request.user),
        _("Đã lấy điểm tự chấm làm điểm thẩm định cho các tiêu chí chưa chấm của %(unit)s."),
    )


@login_required
@require_POST
def assessment_finalise_view(request, pk: int):
    return _reviewer_action(
        request,
        pk,
        lambda a: assessment_finalise(assessment=a, user=request.user),
        _("Đã hoàn tất thẩm định kết quả của %(unit)s."),
    )


@login_required
@require_POST
def assessment_reopen_view(request, pk: int):
    assessment = get_assessment_for_reviewer(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _appraise(
            request, assessment, status=400, reopen_form=form, error=_("Hãy ghi lý do mở lại thẩm định.")
        )
    return _reviewer_action(
        request,
        pk,
        lambda a: assessment_reopen(assessment=a, reason=form.cleaned_data["reason"], user=request.user),
        _("Đã mở lại thẩm định kết quả của %(unit)s."),
    )


@login_required
@require_POST
def adjustment_add_view(request, pk: int):
    assessment = get_assessment_for_reviewer(request.user, pk)
    form = AdjustmentForm(request.POST)
    if not form.is_valid():
        return _appraise(request, assessment, status=400, adjustment_form=form)
    try:
        adjustment_add(
            assessment=assessment,
            points=form.cleaned_data["points"],
            reason=form.cleaned_data["reason"],
            user=request.user,
        )
    except ValidationError as error:
        assessment.refresh_from_db()
        form.add_error(None, error.messages[0])
        return _appraise(request, assessment, status=_status_for(error), adjustment_form=form)
    messages.success(request, _("Đã thêm điểm thưởng, điểm trừ."))
    return redirect(f"{reverse('indices:assessment_appraise', args=[assessment.pk])}#adjustments")


@login_required
@require_POST
def adjustment_delete_view(request, pk: int):
    adjustment = Adjustment.objects.filter(pk=pk).only("pk", "assessment_id").first()
    if adjustment is None:
        raise Http404(_("Không tìm thấy điểm thưởng, điểm trừ."))
    assessment = get_assessment_for_reviewer(request.user, adjustment.assessment_id)
    adjustment = get_object_or_404(Adjustment, pk=pk, assessment=assessment)
    try:
        adjustment_delete(adjustment=adjustment)
    except ValidationError as error:
        return _appraise(request, assessment, status=_status_for(error), error=error.messages[0])
    messages.success(request, _("Đã xoá điểm thưởng, điểm trừ."))
    return redirect(f"{reverse('indices:assessment_appraise', args=[assessment.pk])}#adjustments")


# The commune's explanation ------------------------------------------------------------------------


@login_required
def assessment_explain_view(request, pk: int):
    """The leaves the reviewer asked about, with its comment and a textarea each, for the
    commune's officer or chairman."""
    assessment = get_assessment_for_user(request.user, pk, write=True)
    if assessment.status != AssessmentStatus.EXPLAINING:
        return render(
            request, "indices/appraisal/explain_closed.html", {"assessment": assessment}, status=409
        )
    scores = flagged_scores(assessment)
    answers = {s.criterion_id: s.explanation for s in scores}
    status, error, missing = 200, "", set()
    if request.method == "POST":
        answers = {s.criterion_id: request.POST.get(f"answer-{s.criterion_id}", "") for s in scores}
        try:
            assessment_explain(assessment=assessment, answers=answers, user=request.user)
        except ValidationError as error_:
            status, error = _status_for(error_), error_.messages[0]
            missing = {pk for pk, text in answers.items() if not text.strip()}
        else:
            messages.success(request, _("Đã gửi giải trình đến cơ quan thẩm định."))
            return redirect(
                _optional_url("indices:assessment_detail", assessment.pk)
                or reverse("communes:unit_detail", args=[assessment.unit_id])
            )
    rows = [
        {"score": s, "answer": answers.get(s.criterion_id, ""), "missing": s.criterion_id in missing}
        for s in scores
    ]
    return render(
        request,
        "indices/appraisal/assessment_explain.html",
        {"assessment": assessment, "rows": rows, "error": error},
        status=status,
    )
