"""The reviewer's appraisal of an assessment: start, score each leaf, bonus and penalty points,
the explanation round with the commune, finalise and reopen; survey points for a whole round.

Errors are ``ValidationError``s with a whole Vietnamese sentence. ``AppraisalConflict`` (a
subclass) means the assessment is not in a state where this can be done (the views answer 409);
any other ``ValidationError`` is bad input (400). Every service runs in one transaction and
recomputes the stored totals, so nothing is ever half-saved.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import User
from core.formatting import format_number
from notifications import events
from notifications.services import notifications_write

from .. import rules, scoring
from ..models import Adjustment, Assessment, AssessmentStatus, Criterion, Round, Score
from .rounds import assessment_recompute

# Bonus or penalty points: at most a tenth of the framework's total each (10 of 100 points, as
# the provinces' decisions that have them use; 2 of a 20-point test framework).
ADJUSTMENT_SHARE = Decimal("0.1")

# The states in which the reviewer changes scores and adjustments.
OPEN_FOR_REVIEWER = (AssessmentStatus.APPRAISING, AssessmentStatus.EXPLAINING)


class AppraisalConflict(ValidationError):
    """The assessment (or round) is not in a state that allows this; the message says why."""


def adjustment_limit(framework) -> Decimal:
    return scoring.two_places(framework.total_points * ADJUSTMENT_SHARE)


def appraisal_open_on(assessment: Assessment, today: datetime.date) -> bool:
    """Whether the reviewer may appraise: the commune has submitted, or the deadline has passed."""
    if assessment.status != AssessmentStatus.DRAFT:
        return True
    return today > assessment.round.self_deadline


def _lock(assessment: Assessment) -> Assessment:
    """The assessment read again under a row lock: two reviewers never interleave."""
    return Assessment.objects.select_for_update().select_related("round__framework").get(pk=assessment.pk)


def _refuse_when_closed(assessment: Assessment) -> None:
    if assessment.status == AssessmentStatus.APPRAISED:
        raise AppraisalConflict(
            _("Kết quả của %(unit)s đã thẩm định xong; hãy mở lại thẩm định trước khi sửa.")
            % {"unit": assessment.unit.name}
        )
    if assessment.status not in OPEN_FOR_REVIEWER:
        raise AppraisalConflict(
            _("Kết quả của %(unit)s đang ở trạng thái “%(status)s”, chưa thẩm định được.")
            % {"unit": assessment.unit.name, "status": assessment.get_status_display()}
        )


@transaction.atomic
def assessment_appraisal_start(*, assessment: Assessment, today: datetime.date | None = None) -> Assessment:
    """Open the appraisal: a submitted assessment (or a draft after the self-scoring deadline)
    becomes "đang thẩm định". Later states are left as they are."""
    today = today or timezone.localdate()
    assessment = _lock(assessment)
    if not appraisal_open_on(assessment, today):
        raise AppraisalConflict(
            _(
                "%(unit)s chưa gửi kết quả tự chấm và chưa hết hạn tự chấm (%(deadline)s), "
                "nên chưa thẩm định được."
            )
            % {"unit": assessment.unit.name, "deadline": f"{assessment.round.self_deadline:%d/%m/%Y}"}
        )
    if assessment.status in (AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED):
        assessment.status = AssessmentStatus.APPRAISING
        assessment.save(update_fields=["status", "updated_at"])
        assessment_recompute(assessment=assessment)
    return assessment


@transaction.atomic
def assessment_appraise_leaf(
    *,
    assessment: Assessment,
    criterion: Criterion,
    appraised_score: Decimal | None,
    comment: str,
    explanation_requested: bool,
    applicable: bool,
    override_reason: str,
    user: User,
) -> Score:
    """The reviewer's score of one leaf, with a comment, whether the commune must explain, and
    whether the leaf applies to the commune at all. ``Http404`` for a leaf of another framework."""
    assessment = _lock(assessment)
    score = (
        Score.objects.select_for_update()
        .select_related("criterion")
        .filter(assessment=assessment, criterion=criterion)
        .first()
    )
    if score is None or criterion.framework_id != assessment.round.framework_id:
        raise Http404(_("Tiêu chí này không thuộc bộ chỉ số của kết quả chấm điểm."))
    _refuse_when_closed(assessment)
    comment, override_reason = comment.strip(), override_reason.strip()
    if applicable:
        if appraised_score is None:
            raise ValidationError(
                _("Tiêu chí %(code)s: hãy nhập điểm thẩm định (từ 0 đến %(max)s).")
                % {"code": criterion.code, "max": format_number(criterion.max_points, 2)}
            )
        _check_points(criterion, appraised_score, assessment.round.framework.step)
        if score.auto_score is not None and appraised_score != score.auto_score and not override_reason:
            raise ValidationError(
                _(
                    "Tiêu chí %(code)s được tính tự động %(auto)s điểm; muốn chấm %(points)s điểm thì "
                    "hãy ghi lý do sửa điểm tự động."
                )
                % {
                    "code": criterion.code,
                    "auto": format_number(score.auto_score, 2),
                    "points": format_number(appraised_score, 2),
                }
            )
    if explanation_requested and not comment:
        raise ValidationError(
            _("Tiêu chí %(code)s: hãy ghi ý kiến thẩm định để xã biết cần giải trình điều gì.")
            % {"code": criterion.code}
        )
    score.applicable = applicable
    score.appraised_score = appraised_score if applicable else None
    score.reviewer_comment = comment
    score.override_reason = override_reason if score.auto_score is not None else ""
    if explanation_requested != score.explanation_requested:
        score.explanation = "" if explanation_requested else score.explanation
    score.explanation_requested = explanation_requested
    score.updated_by = user
    score.save()
    assessment_recompute(assessment=assessment)
    return score


def _check_points(criterion: Criterion, points: Decimal, step: Decimal) -> None:
    if not Decimal(0) <= points <= criterion.max_points:
        raise ValidationError(
            _("Tiêu chí %(code)s: điểm %(points)s nằm ngoài khoảng từ 0 đến %(max)s.")
            % {
                "code": criterion.code,
                "points": format_number(points, 2),
                "max": format_number(criterion.max_points, 2),
            }
        )
    if not scoring.on_step(points, step):
        raise ValidationError(
            _("Tiêu chí %(code)s: điểm %(points)s phải là bội số của %(step)s.")
            % {"code": criterion.code, "points": format_number(points, 2), "step": format_number(step, 2)}
        )


@transaction.atomic
def adjustment_add(*, assessment: Assessment, points: Decimal, reason: str, user: User) -> Adjustment:
    """A bonus (positive) or penalty (negative) with its reason; at most ``adjustment_limit``."""
    assessment = _lock(assessment)
    _refuse_when_closed(assessment)
    limit = adjustment_limit(assessment.round.framework)
    if not points:
        raise ValidationError(_("Điểm thưởng hoặc điểm trừ phải khác 0."))
    if abs(points) > limit:
        raise ValidationError(
            _("Điểm thưởng hoặc điểm trừ mỗi lần không quá %(limit)s điểm (đã nhập %(points)s).")
            % {"limit": format_number(limit, 2), "points": format_number(points, 2)}
        )
    if not reason.strip():
        raise ValidationError(_("Hãy ghi lý do của điểm thưởng hoặc điểm trừ."))
    adjustment = Adjustment.objects.create(
        assessment=assessment, points=points, reason=reason.strip(), created_by=user
    )
    assessment_recompute(assessment=assessment)
    return adjustment


@transaction.atomic
def adjustment_delete(*, adjustment: Adjustment) -> None:
    assessment = _lock(adjustment.assessment)
    _refuse_when_closed(assessment)
    adjustment.delete()
    assessment_recompute(assessment=assessment)


@transaction.atomic
def assessment_request_explanation(*, assessment: Assessment) -> Assessment:
    """Send the flagged leaves to the commune: status "chờ xã giải trình"; its officers and
    chairmen are told which."""
    assessment = _lock(assessment)
    if assessment.status != AssessmentStatus.APPRAISING:
        raise AppraisalConflict(
            _("Chỉ yêu cầu giải trình khi kết quả đang thẩm định (hiện là “%(status)s”).")
            % {"status": assessment.get_status_display()}
        )
    if not assessment.scores.filter(explanation_requested=True, applicable=True).exists():
        raise ValidationError(
            _("Chưa có tiêu chí nào được đánh dấu “Yêu cầu giải trình”; hãy đánh dấu ít nhất một tiêu chí.")
        )
    assessment.status = AssessmentStatus.EXPLAINING
    assessment.save(update_fields=["status", "updated_at"])
    assessment_recompute(assessment=assessment)
    notifications_write(events.explanation_requested(assessment))
    return assessment


@transaction.atomic
def assessment_explain(*, assessment: Assessment, answers: dict[int, str], user: User) -> Assessment:
    """The commune's answers, one per flagged leaf (``answers`` by criterion pk); every flagged
    leaf needs one. The assessment goes back to the reviewer ("đang thẩm định")."""
    assessment = _lock(assessment)
    if assessment.status != AssessmentStatus.EXPLAINING:
        raise AppraisalConflict(
            _("Kết quả không ở trạng thái chờ giải trình (hiện là “%(status)s”), không gửi giải trình được.")
            % {"status": assessment.get_status_display()}
        )
    flagged = list(
        assessment.scores.filter(explanation_requested=True, applicable=True)
        .select_related("criterion")
        .order_by("criterion__sort_key")
    )
    missing = [s.criterion.code for s in flagged if not answers.get(s.criterion_id, "").strip()]
    if missing:
        raise ValidationError(
            _("Hãy ghi nội dung giải trình cho tiêu chí %(codes)s.") % {"codes": ", ".join(missing)}
        )
    for score in flagged:
        score.explanation = answers[score.criterion_id].strip()
        score.updated_by = user
        score.save(update_fields=["explanation", "updated_by", "updated_at"])
    assessment.status = AssessmentStatus.APPRAISING
    assessment.save(update_fields=["status", "updated_at"])
    notifications_write(events.explanation_given(assessment, user=user))
    return assessment


@transaction.atomic
def assessment_accept_self_scores(*, assessment: Assessment, user: User) -> int:
    """Take the commune's own score as the appraised score of every applicable leaf the reviewer
    has not scored yet (automatic and survey leaves keep their own source). Returns how many.

    A framework has about a hundred leaves; the reviewer changes a few and accepts the rest."""
    assessment = _lock(assessment)
    _refuse_when_closed(assessment)
    accepted = assessment.scores.filter(
        applicable=True, appraised_score__isnull=True, auto_score__isnull=True, self_score__isnull=False
    ).exclude(criterion__rule__startswith=rules.SURVEY)
    count = accepted.update(appraised_score=F("self_score"), updated_by=user, updated_at=timezone.now())
    assessment_recompute(assessment=assessment)
    return count


@transaction.atomic
def assessment_finalise(*, assessment: Assessment, user: User) -> Assessment:
    """Close the appraisal: every applicable leaf has an appraised (or automatic) score."""
    assessment = _lock(assessment)
    if assessment.status != AssessmentStatus.APPRAISING:
        raise AppraisalConflict(
            _("Chỉ hoàn tất thẩm định khi kết quả đang thẩm định (hiện là “%(status)s”).")
            % {"status": assessment.get_status_display()}
        )
    missing = list(
        assessment.scores.filter(applicable=True, appraised_score__isnull=True, auto_score__isnull=True)
        .order_by("criterion__sort_key")
        .values_list("criterion__code", flat=True)
    )
    if missing:
        raise ValidationError(
            _("Chưa hoàn tất được: các tiêu chí %(codes)s chưa có điểm thẩm định.")
            % {"codes": ", ".join(missing)}
        )
    assessment.status = AssessmentStatus.APPRAISED
    assessment.appraised_at = timezone.now()
    assessment.appraised_by = user
    assessment.save(update_fields=["status", "appraised_at", "appraised_by", "updated_at"])
    assessment_recompute(assessment=assessment)
    return assessment


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, reason: str, user: User) -> Assessment:
    """Back to "đang thẩm định" with a reason, while the round is not published. The model has no
    field for the reason: it is kept in Django's action log (``LogEntry``) of the assessment."""
    assessment = _lock(assessment)
    if assessment.round.is_published:
        raise AppraisalConflict(_("Đợt đánh giá đã công bố; hãy thu hồi công bố trước khi mở lại thẩm định."))
    if assessment.status != AssessmentStatus.APPRAISED:
        raise AppraisalConflict(
            _("Chỉ mở lại kết quả đã thẩm định xong (hiện là “%(status)s”).")
            % {"status": assessment.get_status_display()}
        )
    if not reason.strip():
        raise ValidationError(_("Hãy ghi lý do mở lại thẩm định."))
    assessment.status = AssessmentStatus.APPRAISING
    assessment.appraised_at = None
    assessment.appraised_by = None
    assessment.save(update_fields=["status", "appraised_at", "appraised_by", "updated_at"])
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(Assessment),
        object_id=str(assessment.pk),
        object_repr=str(assessment)[:200],
        action_flag=CHANGE,
        change_message=_("Mở lại thẩm định: %(reason)s") % {"reason": reason.strip()},
    )
    assessment_recompute(assessment=assessment)
    return assessment


def survey_leaves(criteria) -> list[Criterion]:
    """The leaves scored by the survey (rule ``khao_sat``), in the given order."""
    leaves = []
    for leaf in scoring.leaves_of(criteria):
        try:
            rule = rules.parse(leaf.rule)
        except rules.RuleError:
            continue
        if rule is not None and rule.is_survey:
            leaves.append(leaf)
    return leaves


@transaction.atomic
def round_survey_save(*, round_: Round, values: dict[tuple[int, int], Decimal | None], user: User) -> int:
    """Survey points into each ``Score.appraised_score`` of the survey leaves: ``values`` by
    (assessment pk, criterion pk), None to clear. All or nothing: every value is checked first,
    and an assessment already appraised, or not yet open for appraisal, refuses the whole lot.
    Returns the number of scores written."""
    criteria = list(round_.framework.criteria.all())
    leaves = {leaf.pk: leaf for leaf in survey_leaves(criteria)}
    assessments = {
        a.pk: a
        for a in Assessment.objects.select_for_update()
        .filter(round=round_)
        .select_related("unit", "round__framework")
    }
    problems: list[str] = []
    for (assessment_id, criterion_id), points in values.items():
        assessment, leaf = assessments.get(assessment_id), leaves.get(criterion_id)
        if assessment is None or leaf is None:
            raise Http404(_("Điểm khảo sát ghi cho đơn vị hoặc tiêu chí không thuộc đợt đánh giá này."))
        if points is not None:
            try:
                _check_points(leaf, points, round_.framework.step)
            except ValidationError as error:
                problems.append(
                    _("%(unit)s: %(problem)s") % {"unit": assessment.unit.name, "problem": error.messages[0]}
                )
    if problems:
        raise ValidationError(problems)
    touched = {assessment_id for assessment_id, _criterion in values}
    closed = sorted(
        assessments[pk].unit.name for pk in touched if assessments[pk].status == AssessmentStatus.APPRAISED
    )
    if closed:
        raise AppraisalConflict(
            _("Không lưu điểm khảo sát nào: %(units)s đã thẩm định xong; hãy mở lại thẩm định trước.")
            % {"units": ", ".join(closed)}
        )
    scores = {
        (s.assessment_id, s.criterion_id): s
        for s in Score.objects.filter(assessment_id__in=touched, criterion_id__in=leaves)
    }
    written = 0
    for key, points in values.items():
        score = scores[key]
        if score.appraised_score != points:
            score.appraised_score, score.updated_by = points, user
            score.save(update_fields=["appraised_score", "updated_by", "updated_at"])
            written += 1
    for pk in touched:
        assessment_recompute(assessment=assessments[pk], criteria=criteria)
    return written
