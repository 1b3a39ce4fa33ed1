"""The commune's self-assessment: scores per leaf, evidence files, submission by the chairman.

Every write locks the assessment row first and checks it is still a draft, so a save that
races the chairman's submission is refused (``AssessmentLocked``, 409) instead of changing a
submitted result. Bad input raises ``ValidationError`` (a dict by form field where it belongs to
one) and nothing is saved.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import Role, User
from communes.selectors import roles_in

from .. import scoring
from ..evidence import MAX_FILES_PER_LEAF, check_upload
from ..forms import parse_points, points_text
from ..models import Assessment, AssessmentStatus, Criterion, Evidence, Score
from ..selectors.assessment import leaf_kind, submission_check
from .rounds import assessment_recompute, assessment_refresh_auto

ZERO = Decimal(0)


class AssessmentLocked(ValidationError):
    """The assessment is no longer a draft: the commune's part is closed (409)."""


class NotALeaf(ValidationError):
    """The criterion is not a leaf of this assessment's framework (the view answers 404)."""


def _lock_draft(assessment: Assessment) -> Assessment:
    """Lock the row and refuse unless it is still a draft (the stored state, not the caller's copy)."""
    status = Assessment.objects.select_for_update().values_list("status", flat=True).get(pk=assessment.pk)
    if status != AssessmentStatus.DRAFT:
        raise AssessmentLocked(
            _("Kết quả tự chấm của %(unit)s đã gửi, không sửa được.") % {"unit": assessment.unit.name},
            code="locked",
        )
    return assessment


def _score_of(assessment: Assessment, criterion: Criterion) -> Score:
    score = (
        Score.objects.select_related("criterion")
        .filter(
            assessment=assessment, criterion=criterion, criterion__framework_id=assessment.round.framework_id
        )
        .first()
    )
    if score is None:
        raise NotALeaf(
            _("Tiêu chí %(code)s không phải tiêu chí chấm điểm của đợt đánh giá này.")
            % {"code": criterion.code},
            code="not_a_leaf",
        )
    return score


def evidence_missing_message() -> str:
    return _("Tiêu chí này cần tài liệu kiểm chứng: hãy tải tệp lên hoặc ghi giải trình.")


@transaction.atomic
def assessment_score_save(
    *,
    assessment: Assessment,
    criterion: Criterion,
    self_score: Decimal | str | None,
    note: str,
    user: User,
) -> Score:
    """Store the commune's score and note for one leaf, then the totals.

    Refused: not a number, below 0, over the leaf's max, off the framework's step, an automatic
    or survey leaf, a criterion that is not a leaf of this framework (``NotALeaf``), a submitted
    assessment (``AssessmentLocked``), and points on an evidence-required leaf with neither an
    evidence file nor a note.
    """
    score = _score_of(assessment, criterion)
    _lock_draft(assessment)
    try:
        value = parse_points(self_score)
    except ValidationError as error:
        raise ValidationError({"self_score": error.messages}) from None
    note = (note or "").strip()
    kind = leaf_kind(criterion)
    if kind == "auto":
        raise ValidationError(
            {
                "self_score": _("Tiêu chí %(code)s được tính tự động từ số liệu hồ sơ, xã không tự chấm.")
                % {"code": criterion.code}
            }
        )
    if kind == "survey":
        raise ValidationError(
            {
                "self_score": _(
                    "Tiêu chí %(code)s do cơ quan thẩm định nhập điểm điều tra, xã không tự chấm."
                )
                % {"code": criterion.code}
            }
        )
    if value is not None:
        _check_range(value, criterion=criterion, step=assessment.round.framework.step)
    if value and criterion.evidence_required and not note and not score.evidence.exists():
        raise ValidationError(evidence_missing_message(), code="evidence_missing")
    score.self_score = scoring.two_places(value) if value is not None else None
    score.note = note
    score.updated_by = user
    score.save(update_fields=["self_score", "note", "updated_by", "updated_at"])
    assessment_recompute(assessment=assessment)
    return score


def _check_range(value: Decimal, *, criterion: Criterion, step: Decimal) -> None:
    if value < 0:
        raise ValidationError(
            {
                "self_score": _("Điểm không được âm; hãy nhập từ 0 đến %(max)s.")
                % {"max": points_text(criterion.max_points)}
            }
        )
    if value > criterion.max_points:
        raise ValidationError(
            {
                "self_score": _("Điểm %(value)s vượt điểm tối đa %(max)s của tiêu chí %(code)s.")
                % {
                    "value": points_text(value),
                    "max": points_text(criterion.max_points),
                    "code": criterion.code,
                }
            }
        )
    if not scoring.on_step(value, step):
        raise ValidationError(
            {
                "self_score": _("Điểm %(value)s không đúng bước chấm: điểm phải là bội số của %(step)s.")
                % {"value": points_text(value), "step": points_text(step)}
            }
        )


@transaction.atomic
def assessment_submit(*, assessment: Assessment, user: User) -> Assessment:
    """The chairman sends the self-assessment to the reviewer: automatic leaves are refreshed,
    every evidence-required leaf with points must have a file or a note, then it is locked."""
    if Role.CHAIRMAN not in roles_in(user, assessment.unit):
        raise PermissionDenied(_("Chỉ Chủ tịch hoặc Phó Chủ tịch UBND xã được gửi kết quả tự chấm."))
    _lock_draft(assessment)
    assessment_refresh_auto(assessment=assessment)
    check = submission_check(assessment)
    if check.blocking:
        codes = ", ".join(leaf.code for leaf in check.blocking)
        raise ValidationError(
            _(
                "Chưa gửi được: các tiêu chí %(codes)s có điểm nhưng chưa có tài liệu kiểm chứng "
                "hay giải trình. Hãy tải tệp lên hoặc ghi giải trình rồi gửi lại."
            )
            % {"codes": codes},
            code="evidence_missing",
        )
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = user
    assessment.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    assessment_recompute(assessment=assessment)
    return assessment


@transaction.atomic
def evidence_upload(*, assessment: Assessment, criterion: Criterion, upload, user: User) -> Evidence:
    """Attach an evidence file to a leaf, checked by its content (``indices.evidence``).
    At most ``MAX_FILES_PER_LEAF`` files a leaf; not on survey leaves."""
    score = _score_of(assessment, criterion)
    _lock_draft(assessment)
    if leaf_kind(criterion) == "survey":
        raise ValidationError(
            _("Tiêu chí %(code)s do cơ quan thẩm định nhập điểm điều tra, xã không tải tài liệu.")
            % {"code": criterion.code}
        )
    if score.evidence.count() >= MAX_FILES_PER_LEAF:
        raise ValidationError(
            _("Tiêu chí %(code)s đã có %(count)s tệp, là số tệp tối đa. Hãy xóa bớt tệp cũ trước.")
            % {"code": criterion.code, "count": MAX_FILES_PER_LEAF}
        )
    checked = check_upload(upload)
    evidence = Evidence(
        score=score,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=user,
    )
    evidence.file.save(checked.name, ContentFile(checked.data), save=False)
    try:
        evidence.save()
    except Exception:
        # The file was written for a row that was not: do not leave it behind.
        evidence.file.delete(save=False)
        raise
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, user: User) -> None:
    """Remove an evidence file while the assessment is a draft; the file goes once committed."""
    assessment = evidence.score.assessment
    _lock_draft(assessment)
    storage, name = evidence.file.storage, evidence.file.name
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))
