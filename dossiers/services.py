"""Writes of dossier reports: saving figures with optimistic locking, and the review workflow.

Every function checks the state it acts on and raises an error whose message says, in
Vietnamese, what is wrong; nothing is written when it raises.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import AdministrativeUnit, User
from notifications import events
from notifications.services import notifications_write

from .figures import COLUMN_NAMES, Figures, Level, Problem, check
from .models import (
    ChangeAction,
    DossierChange,
    DossierLine,
    DossierReport,
    FiguresChoice,
    Period,
    ProcedureField,
    ReportStatus,
)


class WorkflowError(ValidationError):
    """The report is not in a state where this step can be taken."""


# Why a step cannot be taken now, one whole sentence per step (translators see no fragments).
REFUSED = {
    ChangeAction.SUBMIT: gettext_lazy("Không thể gửi báo cáo: báo cáo đang ở trạng thái “%(status)s”."),
    ChangeAction.RETURN: gettext_lazy("Không thể trả lại: báo cáo đang ở trạng thái “%(status)s”."),
    ChangeAction.APPROVE: gettext_lazy("Không thể duyệt: báo cáo đang ở trạng thái “%(status)s”."),
    ChangeAction.REOPEN: gettext_lazy("Không thể mở lại: báo cáo đang ở trạng thái “%(status)s”."),
}
# The steps that need a reason, and what is said when it is missing.
REASON_MISSING = {
    ChangeAction.RETURN: gettext_lazy("Hãy ghi lý do trả lại: xã cần biết phải sửa gì."),
    ChangeAction.REOPEN: gettext_lazy("Hãy ghi lý do mở lại: xã cần biết phải sửa gì."),
}


class FiguresInvalid(ValidationError):
    """Some figures cannot hold. ``problems`` maps each lĩnh vực id to its errors."""

    def __init__(self, problems: dict[int, list[Problem]]):
        self.problems = problems
        super().__init__([p.message for field_problems in problems.values() for p in field_problems])


class NeedsConfirmation(ValidationError):
    """Submitting needs an explicit confirmation of these warnings."""

    def __init__(self, warnings: list[Problem]):
        self.warnings = warnings
        super().__init__([w.message for w in warnings])


class StaleReport(ValidationError):
    """The report changed since the user opened it; their values were not saved."""

    def __init__(self, report: DossierReport | None):
        self.report = report
        if report is not None and report.updated_by is not None:
            when = timezone.localtime(report.updated_at)
            message = _(
                "%(name)s đã lưu báo cáo này lúc %(time)s ngày %(date)s, sau khi bạn mở trang. "
                "Số liệu của bạn chưa được lưu và vẫn còn trên màn hình: hãy xem lại rồi lưu lần nữa."
            ) % {"name": report.updated_by.display_name, "time": f"{when:%H:%M}", "date": f"{when:%d/%m/%Y}"}
        else:
            message = _(
                "Báo cáo đã được người khác lưu sau khi bạn mở trang. Số liệu của bạn chưa được lưu và vẫn "
                "còn trên màn hình: hãy xem lại rồi lưu lần nữa."
            )
        super().__init__(message)


def _record(report: DossierReport, user: User, action: str, note: str = "") -> None:
    DossierChange.objects.create(report=report, user=user, action=action, note=note)


def _errors_by_field(lines: Mapping[int, Figures]) -> dict[int, list[Problem]]:
    errors = {}
    for field_id, figures in lines.items():
        field_errors = [p for p in check(figures) if p.level == Level.ERROR]
        if field_errors:
            errors[field_id] = field_errors
    return errors


@transaction.atomic
def dossier_report_save(
    *,
    unit: AdministrativeUnit,
    period: Period,
    user: User,
    lines: Mapping[int, Figures],
    expected_version: int,
    action: str = ChangeAction.EDIT,
) -> DossierReport:
    """Save the figures of ``unit`` for ``period``, one ``Figures`` per lĩnh vực id.

    ``expected_version`` is the version the user opened (0 for a report not yet created):
    if someone saved since, ``StaleReport`` is raised and nothing is written.
    """
    fields = ProcedureField.objects.in_bulk([*lines])
    unknown = [field_id for field_id in lines if field_id not in fields or not fields[field_id].is_active]
    if unknown:
        raise ValidationError(
            _("Lĩnh vực không có trong danh mục đang dùng (mã %(codes)s).")
            % {"codes": ", ".join(map(str, unknown))}
        )
    errors = _errors_by_field(lines)
    if errors:
        raise FiguresInvalid(errors)

    report = DossierReport.objects.filter(unit=unit, period=period).select_related("updated_by").first()
    if report is None:
        if expected_version != 0:
            raise StaleReport(None)
        try:
            with transaction.atomic():
                report = DossierReport.objects.create(unit=unit, period=period, updated_by=user)
        except IntegrityError as error:  # created by someone else meanwhile
            raise StaleReport(None) from error
    else:
        if report.is_locked:
            raise WorkflowError(
                _("Báo cáo %(period)s đang ở trạng thái “%(status)s”, không sửa được.")
                % {"period": period.label, "status": report.get_status_display()}
            )
        # Compare-and-swap: only one save can move the version on from the one it read.
        moved = DossierReport.objects.filter(pk=report.pk, version=expected_version).update(
            version=F("version") + 1, updated_by=user, updated_at=timezone.now()
        )
        if not moved:
            raise StaleReport(report)
        report.refresh_from_db()

    existing = {line.field_id: line for line in report.lines.all()}
    changes, to_create, to_update = [], [], []
    for field_id, figures in lines.items():
        line = existing.get(field_id)
        old = line.figures if line else None
        if line is None:
            if figures == Figures():
                continue
            line = DossierLine(report=report, field_id=field_id)
            to_create.append(line)
        elif old != figures:
            to_update.append(line)
        for column in COLUMN_NAMES:
            new_value = getattr(figures, column)
            old_value = getattr(old, column) if old else None
            if new_value != (old_value or 0):
                changes.append(
                    DossierChange(
                        report=report,
                        user=user,
                        action=action,
                        field_id=field_id,
                        column=column,
                        old_value=old_value,
                        new_value=new_value,
                    )
                )
            setattr(line, column, new_value)
    DossierLine.objects.bulk_create(to_create)
    DossierLine.objects.bulk_update(to_update, list(COLUMN_NAMES))
    DossierChange.objects.bulk_create(changes)
    return report


def _move(report: DossierReport, *, expected: tuple[str, ...], step: str) -> None:
    """Refuse ``step`` (a ``ChangeAction`` of ``REFUSED``) unless the report is in an ``expected`` status."""
    if report.status not in expected:
        raise WorkflowError(REFUSED[step] % {"status": report.get_status_display()})


def _bump(report: DossierReport, expected_version: int | None, user: User, **values) -> DossierReport:
    queryset = DossierReport.objects.filter(pk=report.pk)
    if expected_version is not None:
        queryset = queryset.filter(version=expected_version)
    if not queryset.update(version=F("version") + 1, updated_by=user, updated_at=timezone.now(), **values):
        raise StaleReport(DossierReport.objects.select_related("updated_by").get(pk=report.pk))
    report.refresh_from_db()
    return report


@transaction.atomic
def dossier_report_submit(
    *, report: DossierReport, user: User, expected_version: int, confirm_warnings: bool = False
) -> DossierReport:
    """Send the report to the reviewer. Warnings (an unbalanced total) need ``confirm_warnings``."""
    _move(report, expected=(ReportStatus.DRAFT, ReportStatus.RETURNED), step=ChangeAction.SUBMIT)
    lines = list(report.lines.select_related("field"))
    if not lines:
        raise WorkflowError(_("Báo cáo chưa có số liệu nào: hãy nhập số liệu trước khi gửi."))
    errors = _errors_by_field({line.field_id: line.figures for line in lines})
    if errors:
        raise FiguresInvalid(errors)
    # Row by row: two rows off in opposite directions would cancel out in the total.
    warnings = [
        Problem(
            p.field, p.level, _("%(field)s: %(message)s") % {"field": line.field.name, "message": p.message}
        )
        for line in lines
        for p in check(line.figures)
        if p.level == Level.WARNING
    ]
    if warnings and not confirm_warnings:
        raise NeedsConfirmation(warnings)
    report = _bump(
        report,
        expected_version,
        user,
        status=ReportStatus.SUBMITTED,
        submitted_by=user,
        submitted_at=timezone.now(),
    )
    note = "; ".join(w.message for w in warnings)
    _record(report, user, ChangeAction.SUBMIT, note)
    notifications_write(events.report_submitted(report, user=user, warnings=note))
    return report


def _reason(reason: str, step: str) -> str:
    """The reason given for ``step`` (a ``ChangeAction`` of ``REASON_MISSING``), stripped; never empty."""
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(str(REASON_MISSING[step]))
    return reason


def _review(
    report: DossierReport, user: User, *, expected: str, status: str, action: str, reason: str = ""
) -> DossierReport:
    """A reviewer's step ``action``: from ``expected`` to ``status``, recorded with its reason. The
    status is checked in the UPDATE itself, so two reviewers acting at once cannot both succeed."""
    _move(report, expected=(expected,), step=action)
    moved = DossierReport.objects.filter(pk=report.pk, status=expected).update(
        status=status,
        return_reason=reason,
        reviewed_by=user,
        reviewed_at=timezone.now(),
        updated_by=user,
        updated_at=timezone.now(),
        version=F("version") + 1,
    )
    report.refresh_from_db()
    if not moved:
        _move(report, expected=(expected,), step=action)
    _record(report, user, action, reason)
    return report


@transaction.atomic
def dossier_report_return(
    *, report: DossierReport, user: User, reason: str, line_comments: Mapping[int, str] | None = None
) -> DossierReport:
    """Send the report back to the commune with a reason, and optional comments per lĩnh vực."""
    report = _review(
        report,
        user,
        expected=ReportStatus.SUBMITTED,
        status=ReportStatus.RETURNED,
        action=ChangeAction.RETURN,
        reason=_reason(reason, ChangeAction.RETURN),
    )
    for field_id, comment in (line_comments or {}).items():
        report.lines.filter(field_id=field_id).update(reviewer_comment=comment.strip())
    notifications_write(
        events.report_returned(report, user=user, reason=report.return_reason, line_comments=line_comments)
    )
    return report


@transaction.atomic
def dossier_report_approve(*, report: DossierReport, user: User) -> DossierReport:
    """Approve a submitted report; it is locked from then on."""
    report = _review(
        report,
        user,
        expected=ReportStatus.SUBMITTED,
        status=ReportStatus.APPROVED,
        action=ChangeAction.APPROVE,
    )
    notifications_write(events.reports_approved([report], user=user))
    return report


@transaction.atomic
def dossier_report_reopen(*, report: DossierReport, user: User, reason: str) -> DossierReport:
    """Unlock an approved report for correction; only with a reason, which the commune sees."""
    report = _review(
        report,
        user,
        expected=ReportStatus.APPROVED,
        status=ReportStatus.RETURNED,
        action=ChangeAction.REOPEN,
        reason=_reason(reason, ChangeAction.REOPEN),
    )
    notifications_write(events.report_reopened(report, user=user, reason=report.return_reason))
    return report


@transaction.atomic
def dossier_reports_approve(*, reports: list[DossierReport], user: User) -> list[DossierReport]:
    """Approve several submitted reports at once: all of them, or none when one cannot be."""
    return [dossier_report_approve(report=report, user=user) for report in reports]


@transaction.atomic
def dossier_report_import(
    *,
    unit: AdministrativeUnit,
    period: Period,
    user: User,
    lines: Mapping[int, Figures],
    expected_version: int | None = None,
) -> DossierReport:
    """Replace the report's figures with those of an imported Biểu 06: lĩnh vực the file does not
    name are set to zero. ``expected_version`` None takes the current version (the command line);
    the upload page passes the version its preview was made from."""
    current = DossierReport.objects.filter(unit=unit, period=period).first()
    if expected_version is None:
        expected_version = current.version if current else 0
    replaced = {line.field_id: Figures() for line in current.lines.all()} if current else {}
    return dossier_report_save(
        unit=unit,
        period=period,
        user=user,
        lines={**replaced, **lines},
        expected_version=expected_version,
        action=ChangeAction.IMPORT,
    )


@transaction.atomic
def dossier_report_choose(*, report: DossierReport, user: User, choice: str, expected: str) -> DossierReport:
    """Record which figures count for a longer period that has both month reports and a report
    of its own: the months' sum or this whole-period report. ``expected`` is the choice the user
    saw; a choice changed meanwhile by someone else is refused, not overwritten. The figures
    themselves are not touched, so the version stays."""
    if report.period.kind == "month" or choice not in (FiguresChoice.MONTHS, FiguresChoice.DIRECT):
        raise WorkflowError(_("Chỉ chọn được giữa tổng các tháng và báo cáo cả kỳ của một kỳ dài."))
    report = DossierReport.objects.select_for_update().select_related("period").get(pk=report.pk)
    if report.figures_choice != expected:
        raise WorkflowError(
            _("Số liệu được dùng vừa được chọn là “%(choice)s” bởi người khác; hãy xem lại trước khi chọn.")
            % {"choice": report.get_figures_choice_display()}
        )
    if report.figures_choice == choice:
        return report
    report.figures_choice = choice
    report.save(update_fields=["figures_choice", "updated_at"])
    _record(report, user, ChangeAction.CHOOSE, FiguresChoice(choice).label)
    return report


class ApprovalRefused(WorkflowError):
    """Some reports ticked for approval cannot be approved any more; the messages name each."""


def approval_refusals(
    *, reports: list[DossierReport], wanted: list[DossierReport] | None = None
) -> list[str]:
    """Why each of ``reports`` that is not waiting for approval cannot be approved: one Vietnamese
    sentence per report naming its commune and period, its status, and who moved it when.
    ``wanted`` are the reports as the user ticked them: those no longer among ``reports`` (deleted
    since) are named too."""
    found = {report.pk for report in reports}
    refusals = [
        _("%(unit)s – %(period)s: báo cáo không còn nữa.")
        % {"unit": report.unit.name, "period": report.period.label}
        for report in wanted or []
        if report.pk not in found
    ]
    for report in reports:
        if report.status == ReportStatus.SUBMITTED:
            continue
        names = {"unit": report.unit.name, "period": report.period.label}
        if report.status in (ReportStatus.APPROVED, ReportStatus.RETURNED) and report.reviewed_by:
            when = timezone.localtime(report.reviewed_at)
            names |= {
                "name": report.reviewed_by.display_name,
                "time": f"{when:%H:%M}",
                "date": f"{when:%d/%m/%Y}",
            }
            template = (
                _("%(unit)s – %(period)s: đã được %(name)s duyệt lúc %(time)s ngày %(date)s.")
                if report.status == ReportStatus.APPROVED
                else _("%(unit)s – %(period)s: đã bị %(name)s trả lại lúc %(time)s ngày %(date)s.")
            )
            refusals.append(template % names)
        else:
            refusals.append(
                _("%(unit)s – %(period)s: báo cáo đang ở trạng thái “%(status)s”, không còn chờ duyệt.")
                % {**names, "status": report.get_status_display()}
            )
    return refusals


@transaction.atomic
def dossier_reports_approve_all(*, reports: list[DossierReport], user: User) -> list[DossierReport]:
    """Approve every one of ``reports`` or none of them (the inbox's bulk approval).

    The rows are locked and read again first: a report no longer submitted (approved or returned
    by another reviewer since the page was opened, or gone) refuses the whole batch with
    ``ApprovalRefused``, whose messages name each such report (``approval_refusals``). Then one
    UPDATE, which checks the status again, one INSERT of the history and one write of the
    communes' notifications: a fixed number of queries however many reports.
    """
    ids = [report.pk for report in reports]
    fresh = list(
        DossierReport.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("unit", "period", "reviewed_by")
        .order_by("unit__name", "period__year", "period__kind", "period__number")
    )
    refusals = approval_refusals(reports=fresh, wanted=reports)
    if refusals:
        raise ApprovalRefused(refusals)
    now = timezone.now()
    moved = DossierReport.objects.filter(pk__in=ids, status=ReportStatus.SUBMITTED).update(
        status=ReportStatus.APPROVED,
        return_reason="",
        reviewed_by=user,
        reviewed_at=now,
        updated_by=user,
        updated_at=now,
        version=F("version") + 1,
    )
    if moved != len(ids):  # moved meanwhile where rows cannot be locked (SQLite): nothing is kept
        raise ApprovalRefused(_("Có báo cáo vừa được người khác xử lý; không báo cáo nào được duyệt."))
    DossierChange.objects.bulk_create(
        [DossierChange(report_id=pk, user=user, action=ChangeAction.APPROVE, note="") for pk in ids]
    )
    for report in fresh:
        report.status, report.reviewed_by, report.reviewed_at = ReportStatus.APPROVED, user, now
        report.version += 1
    # One write for the whole batch: the people of every commune in one query.
    notifications_write(events.reports_approved(fresh, user=user))
    return fresh
