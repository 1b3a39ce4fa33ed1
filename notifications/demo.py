"""The demo's notifications: what Tỉnh Gia Lai's people would have been told by the day
``seed_demo`` runs, each at the moment it happened.

seed_demo replays the history through the services with the notifications muted
(``services.muted``): the district-era years would otherwise fill every bell with hundreds of
unread rows stamped with the seeding time. Here the present is told once, by the same event
functions the services call (``events``), and dated: the latest month's sent, returned and
approved reports, the month before approved (read), the 2025 ranking published and the 2026
round opened (read), the explanation asked of Hoài Nhơn Bắc. Nothing is mailed.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from communes.models import AdministrativeUnit, Era, Level
from core import periods
from dossiers.models import DossierReport, ReportStatus
from dossiers.selectors import calendar_for, latest_due_month
from indices.models import AssessmentStatus, Round

from . import events
from .models import Notification
from .services import notifications_write


def _write(messages, *, at: datetime.datetime, read: bool) -> None:
    rows = notifications_write(messages, mail=False)
    if rows:
        Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
            created_at=at, read_at=at + datetime.timedelta(hours=2) if read else None
        )


def _previous(month: periods.Period) -> periods.Period:
    return periods.Period(month.year - (month.number == 1), periods.Kind.MONTH, (month.number - 2) % 12 + 1)


@transaction.atomic
def seed_notifications() -> None:
    """Once: nothing is written when Gia Lai's communes already have notifications."""
    province = AdministrativeUnit.objects.filter(era=Era.CURRENT, level=Level.PROVINCE, code="52").first()
    if province is None or Notification.objects.filter(unit__parent=province).exists():
        return
    now = timezone.now()
    latest = latest_due_month(calendar_for(province), today=timezone.localdate(now))
    reports = {
        month: list(
            DossierReport.objects.filter(
                unit__parent=province,
                period__kind=month.kind.value,
                period__year=month.year,
                period__number=month.number,
            )
            .select_related("unit", "period", "submitted_by", "reviewed_by")
            .order_by("unit__code")
        )
        for month in (latest, _previous(latest))
    }
    for report in reports[_previous(latest)]:
        if report.status == ReportStatus.APPROVED and report.reviewed_at:
            _write(
                events.reports_approved([report], user=report.reviewed_by), at=report.reviewed_at, read=True
            )
    for report in reports[latest]:
        if report.submitted_by and report.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
            _write(
                events.report_submitted(report, user=report.submitted_by),
                at=report.submitted_at or now,
                read=report.status == ReportStatus.APPROVED,
            )
        if report.status == ReportStatus.APPROVED and report.reviewed_at:
            _write(
                events.reports_approved([report], user=report.reviewed_by), at=report.reviewed_at, read=False
            )
        elif report.status == ReportStatus.RETURNED and report.reviewed_at:
            _write(
                events.report_returned(report, user=report.reviewed_by, reason=report.return_reason),
                at=report.reviewed_at,
                read=False,
            )
    for round_ in Round.objects.filter(group=province).select_related("framework", "group"):
        if round_.published_at:
            _write(
                events.ranking_published(round_, user=round_.published_by), at=round_.published_at, read=True
            )
        else:
            opened = now - datetime.timedelta(days=30)
            _write(
                events.round_opened(round_, list(round_.assessments.select_related("unit"))),
                at=opened,
                read=True,
            )
            for assessment in round_.assessments.filter(status=AssessmentStatus.EXPLAINING).select_related(
                "unit", "round"
            ):
                _write(
                    events.explanation_requested(assessment), at=now - datetime.timedelta(days=1), read=False
                )
