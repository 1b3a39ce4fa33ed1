"""Reads of formal reports and the one access helper every report view, download and command
goes through.

Who (DESIGN.md): the officers and chairmen of a commune write its reports; the reviewer of a
district (before 7/2025) or a province writes that unit's summary report; everyone who reads the
unit reads its ISSUED reports. A draft is seen only by those who write it: to anyone else it
does not exist (404).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from communes.models import COMMUNE_ROLES, AdministrativeUnit, Level, Membership, Role, User
from communes.selectors import get_unit_for_user, units_readable_by

from ..models import Meeting, Report, ReportKind, ReportStatus


def writes_reports_of(user: User, unit: AdministrativeUnit) -> bool:
    """Whether ``user`` composes and edits ``unit``'s reports (one query)."""
    if not user.is_authenticated or not user.is_active:
        return False
    roles = COMMUNE_ROLES if unit.level == Level.COMMUNE else (Role.REVIEWER,)
    return Membership.objects.filter(user=user, unit=unit, role__in=roles).exists()


def get_report_unit_for_user(user: User, pk: int, *, write: bool = False) -> AdministrativeUnit:
    """The unit ``pk`` whose reports ``user`` lists (404 when it may not read it) or composes
    (403 when it reads but does not write them)."""
    unit = get_unit_for_user(user, pk)
    if write and not writes_reports_of(user, unit):
        raise PermissionDenied(_("Bạn không có quyền soạn báo cáo của đơn vị này."))
    return unit


def opens(report: Report, *, writer: bool) -> bool:
    """Whether a reader of ``report``'s unit opens it: an issued report, or a draft when it writes
    the unit's reports (``writer``). What ``get_report_for_user`` lets through, and all a page
    may link to."""
    return report.status == ReportStatus.ISSUED or writer


def get_report_for_user(user: User, pk: int, *, write: bool = False) -> Report:
    """The report ``pk``: 404 when ``user`` may not see it (another unit's, or a draft it does not
    write), 403 when it sees it but may not change it."""
    report = (
        Report.objects.filter(pk=pk, unit__in=units_readable_by(user))
        .select_related("unit__parent__parent", "meeting", "previous", "issued_by", "created_by")
        .first()
    )
    if report is None:
        raise Http404(_("Không tìm thấy báo cáo."))
    writer = writes_reports_of(user, report.unit)
    if not opens(report, writer=writer):
        raise Http404(_("Không tìm thấy báo cáo."))
    if write and not writer:
        raise PermissionDenied(_("Bạn không có quyền sửa báo cáo của đơn vị này."))
    return report


def report_list(*, unit: AdministrativeUnit, with_drafts: bool) -> list[Report]:
    """``unit``'s reports, newest first: the issued ones, and the drafts for those who write
    them (``writes_reports_of``). One query."""
    reports = Report.objects.filter(unit=unit)
    if not with_drafts:
        reports = reports.filter(status=ReportStatus.ISSUED)
    return list(reports.order_by("-created_at", "-pk"))


def report_versions(report: Report) -> list[Report]:
    """Every version of the document ``report`` belongs to, oldest first: the chain of
    ``previous`` back to the first and forward through the corrections. Few queries: a chain is
    a handful of versions."""
    first = report
    while first.previous_id is not None:
        first = Report.objects.select_related("issued_by").get(pk=first.previous_id)
    chain = [first]
    while True:
        following = Report.objects.filter(previous=chain[-1]).select_related("issued_by").first()
        if following is None:
            break
        chain.append(following)
    return chain


def meetings_for(unit: AdministrativeUnit) -> list[Meeting]:
    return list(Meeting.objects.filter(unit=unit).order_by("-held_on", "-pk")[:100])


def kinds_for(unit: AdministrativeUnit) -> list[tuple[str, str]]:
    """The kinds of report ``unit`` composes: a commune's own, or a reviewer's summary."""
    if unit.level == Level.COMMUNE:
        return [(value, label) for value, label in ReportKind.choices if value != ReportKind.SUMMARY]
    return [(ReportKind.SUMMARY.value, ReportKind.SUMMARY.label)]


@dataclass
class SectionView:
    section: object
    table: dict | None
    chart: str


def section_views(report: Report) -> list[SectionView]:
    """The sections in order, each with its table and chart from the snapshot."""
    tables = (report.snapshot or {}).get("tables", {})
    charts = (report.snapshot or {}).get("charts", {})
    views = []
    for section in report.sections.all():
        table = tables.get(section.table) if section.table else None
        if table is not None:
            numeric = table.get("numeric") or []

            def aligned(row, numeric=numeric):
                return [(cell, i < len(numeric) and numeric[i]) for i, cell in enumerate(row)]

            table = {
                **table,
                "rows": [aligned(row) for row in table.get("rows", [])],
                "total": aligned(table["total"]) if table.get("total") else None,
            }
        views.append(SectionView(section, table, charts.get(section.table, "")))
    return views


@dataclass
class ReportPage:
    report: Report
    sections: list
    versions: list[Report]
    may_write: bool
    may_issue: bool
    may_correct: bool


def report_page(*, user: User, report: Report) -> ReportPage:
    """The page of ``report`` for ``user``. Its versions are those ``user`` opens (``opens``): a
    correction still in draft does not exist for a reader who may not open it, so it is neither
    linked nor named."""
    from ..services.issuing import may_issue

    writer = writes_reports_of(user, report.unit)
    corrected = report.corrections.exists()
    versions = report_versions(report) if report.previous_id or corrected else [report]
    return ReportPage(
        report=report,
        sections=section_views(report),
        versions=[
            version for version in versions if version.pk == report.pk or opens(version, writer=writer)
        ],
        may_correct=writer and report.status == ReportStatus.ISSUED and not corrected,
        may_write=writer and report.status == ReportStatus.DRAFT,
        may_issue=report.status == ReportStatus.DRAFT and may_issue(user, report),
    )


def download_name(report: Report, extension: str) -> str:
    """ "352-BC-UBND.pdf"; a draft without a number is "du-thao-<id>.pdf"."""
    if report.number:
        stem = report.number_symbol.replace("/", "-").replace(" ", "")
    else:
        stem = f"du-thao-{report.pk}"
    if report.status == ReportStatus.DRAFT and report.number:
        stem = f"du-thao-{stem}"
    if report.version > 1:
        stem = f"{stem}-v{report.version}"
    return f"{stem}.{extension}"
