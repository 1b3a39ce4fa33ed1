"""Who may see and change which assessment, round and evidence file.

- officers and chairmen read their commune's assessments (and its predecessors') and self-score;
  only a chairman submits;
- reviewers read and appraise the assessments of the communes under their unit, and publish the
  rounds of their groups;
- administrators of a province read what is under it; superusers read everything;
- the public reads published rounds only (``rankings`` selectors).

Each helper answers 404 for what the user may not see, 403 for what it may see but not do.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from communes.models import Membership, Role, User
from communes.selectors import units_readable_by, units_reviewed_by, units_writable_by

from ..models import Assessment, Evidence, Framework, Round


def assessments_readable_by(user: User) -> QuerySet[Assessment]:
    return Assessment.objects.filter(unit__in=units_readable_by(user))


def rounds_readable_by(user: User) -> QuerySet[Round]:
    """The rounds whose group the user may read, or in which one of its communes is assessed."""
    if not user.is_authenticated or not user.is_active:
        return Round.objects.none()
    if user.is_superuser:
        return Round.objects.all()
    readable = units_readable_by(user)
    return Round.objects.filter(Q(group__in=readable) | Q(assessments__unit__in=readable)).distinct()


def rounds_reviewed_by(user: User) -> QuerySet[Round]:
    """The rounds whose group is the unit where the user is a reviewer, or lies under it."""
    if not user.is_authenticated or not user.is_active:
        return Round.objects.none()
    reviewed = Membership.objects.filter(user=user, role=Role.REVIEWER).values("unit_id")
    return Round.objects.filter(Q(group_id__in=reviewed) | Q(group__parent_id__in=reviewed))


def get_assessment_for_user(user: User, pk: int, *, write: bool = False) -> Assessment:
    """The assessment ``pk``. ``write``: the user self-scores it (an officer or chairman of the
    commune); 404 when it may not be seen, 403 when it may be seen but not self-scored."""
    assessment = (
        assessments_readable_by(user)
        .select_related("round__framework", "round__group", "unit__parent")
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise Http404(_("Không tìm thấy kết quả chấm điểm."))
    if write and not units_writable_by(user).filter(pk=assessment.unit_id).exists():
        raise PermissionDenied(_("Chỉ công chức và lãnh đạo UBND xã được tự chấm điểm của xã."))
    return assessment


def get_assessment_for_reviewer(user: User, pk: int) -> Assessment:
    """The assessment ``pk`` for appraisal: 404 when unseen, 403 when the user does not review it."""
    assessment = get_assessment_for_user(user, pk)
    if not units_reviewed_by(user).filter(pk=assessment.unit_id).exists():
        raise PermissionDenied(_("Chỉ cơ quan thẩm định của xã được thẩm định kết quả này."))
    return assessment


def get_round_for_user(user: User, pk: int, *, review: bool = False) -> Round:
    """The round ``pk``; ``review``: the user reviews its group (403 otherwise)."""
    round_ = rounds_readable_by(user).select_related("framework", "group__parent").filter(pk=pk).first()
    if round_ is None:
        raise Http404(_("Không tìm thấy đợt đánh giá."))
    if review and not rounds_reviewed_by(user).filter(pk=pk).exists():
        raise PermissionDenied(_("Chỉ cơ quan thẩm định của nhóm này được làm việc này."))
    return round_


def get_evidence_for_user(user: User, pk: int) -> Evidence:
    """An evidence file the user may read (through its assessment); 404 otherwise."""
    evidence = (
        Evidence.objects.filter(score__assessment__in=assessments_readable_by(user))
        .select_related("score__assessment")
        .filter(pk=pk)
        .first()
    )
    if evidence is None:
        raise Http404(_("Không tìm thấy tài liệu."))
    return evidence


def frameworks_readable_by(user: User) -> QuerySet[Framework]:
    """The frameworks issued by a unit the user may read, or by the district or province above one
    (a commune reads its province's framework)."""
    if not user.is_authenticated or not user.is_active:
        return Framework.objects.none()
    if user.is_superuser:
        return Framework.objects.all()
    readable = units_readable_by(user)
    return Framework.objects.filter(
        Q(issuer__in=readable)
        | Q(issuer_id__in=readable.values("parent_id"))
        | Q(issuer_id__in=readable.values("parent__parent_id"))
    )


def get_framework_for_user(user: User, pk: int) -> Framework:
    """The framework ``pk`` (404 when the user may not read it)."""
    framework = frameworks_readable_by(user).select_related("issuer", "previous").filter(pk=pk).first()
    if framework is None:
        raise Http404(_("Không tìm thấy bộ chỉ số."))
    return framework
