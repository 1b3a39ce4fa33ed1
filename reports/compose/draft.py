"""A new draft report, and the figures of a report computed afresh."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit, Level, User
from core import periods

from ..models import DirectiveDocument, DocumentType, Meeting, Report, ReportKind, ReportStatus, Section
from ..text import clean
from .common import Composed, _addressee, _period, _recipients, _signer, _summary
from .conclusion import _conclusion
from .periodic import _periodic
from .summary import _summary_report
from .supervision import _supervision


class ComposeError(ValueError):
    """The report cannot be composed as asked; the message says why, in Vietnamese."""


def next_number(unit: AdministrativeUnit, year: int) -> int:
    """The next number of ``unit``'s register in ``year``: one more than the largest number among
    its directive documents and its issued reports of that year."""
    documents = DirectiveDocument.objects.filter(unit=unit, issued_on__year=year).aggregate(top=Max("number"))
    reports = Report.objects.filter(unit=unit, status=ReportStatus.ISSUED, dated__year=year).aggregate(
        top=Max("number")
    )
    return max(documents["top"] or 0, reports["top"] or 0) + 1


def _compose_parts(report: Report) -> Composed:
    unit = report.unit
    if report.kind == ReportKind.CONCLUSION:
        if report.meeting is None:
            raise ComposeError(_("Thông báo kết luận cần chọn cuộc họp."))
        return _conclusion(report, unit, report.meeting)
    period = _period(report.period)
    if report.kind == ReportKind.SUPERVISION:
        return _supervision(report, unit, period)
    if report.kind == ReportKind.SUMMARY:
        return _summary_report(report, unit, period)
    return _periodic(report, unit, period)


def snapshot_build(report: Report) -> dict:
    """The figures of ``report`` computed afresh from the data, in the snapshot format."""
    return _compose_parts(report).snapshot


def _check(unit: AdministrativeUnit, kind: str, period: str, year_from: int | None, meeting: Meeting | None):
    if kind not in ReportKind.values:
        raise ComposeError(_("Loại báo cáo “%(kind)s” không có.") % {"kind": kind})
    if kind == ReportKind.SUMMARY and unit.level == Level.COMMUNE:
        raise ComposeError(
            _("Báo cáo tổng hợp chỉ lập cho đơn vị thẩm định (huyện hoặc tỉnh), không cho xã.")
        )
    if kind != ReportKind.SUMMARY and unit.level != Level.COMMUNE:
        raise ComposeError(_("Đơn vị cấp huyện, cấp tỉnh chỉ lập báo cáo tổng hợp các xã, phường."))
    if kind == ReportKind.CONCLUSION:
        if meeting is None:
            raise ComposeError(_("Thông báo kết luận cần chọn cuộc họp."))
        if meeting.unit_id != unit.pk:
            raise ComposeError(_("Cuộc họp đã chọn không thuộc đơn vị này."))
        return
    try:
        value = periods.Period.parse(period)
    except periods.PeriodSyntaxError as error:
        raise ComposeError(str(error)) from error
    if kind == ReportKind.HALF_YEAR and value.kind != periods.Kind.HALF:
        raise ComposeError(_("Báo cáo sơ kết 6 tháng cần kỳ 6 tháng, ví dụ 2024-H1."))
    if kind == ReportKind.YEAR and value.kind != periods.Kind.YEAR:
        raise ComposeError(_("Báo cáo tổng kết năm cần kỳ là một năm, ví dụ 2023."))
    if kind == ReportKind.SUPERVISION:
        if year_from is None:
            raise ComposeError(_("Báo cáo giám sát cần năm bắt đầu, ví dụ 2021."))
        if not 2000 <= year_from <= value.year:
            raise ComposeError(
                _("Năm bắt đầu (%(first)s) phải từ 2000 đến năm của kỳ báo cáo (%(last)s).")
                % {"first": year_from, "last": value.year}
            )


@transaction.atomic
def report_compose(
    *,
    unit: AdministrativeUnit,
    kind: str,
    period: str | periods.Period | None,
    user: User,
    year_from: int | None = None,
    meeting: Meeting | None = None,
) -> Report:
    """A new DRAFT report of ``unit``: its document facts prefilled, its sections written from the
    data, its snapshot computed. Raises ``ComposeError`` (a Vietnamese message) for a kind that
    does not fit the unit, a malformed period, a missing meeting or starting year."""
    try:
        period_code = "" if period in (None, "") else _period(period).code
    except periods.PeriodSyntaxError as error:
        raise ComposeError(str(error)) from error
    if kind == ReportKind.CONCLUSION and meeting is not None and not period_code:
        period_code = str(meeting.held_on.year)
    _check(unit, kind, period_code, year_from, meeting)
    today = timezone.localdate()
    mode, signer_title, signer_name = _signer(unit, kind, user)
    report = Report(
        unit=unit,
        kind=kind,
        period=period_code,
        year_from=year_from if kind == ReportKind.SUPERVISION else None,
        meeting=meeting if kind == ReportKind.CONCLUSION else None,
        status=ReportStatus.DRAFT,
        number=next_number(unit, today.year),
        type_code=DocumentType.TB if kind == ReportKind.CONCLUSION else DocumentType.BC,
        issuer_code="UBND"
        if unit.level == Level.COMMUNE
        else ("PNV" if unit.level == Level.DISTRICT else "SNV"),
        place=unit.short_name,
        dated=today,
        title=_("THÔNG BÁO") if kind == ReportKind.CONCLUSION else _("BÁO CÁO"),
        summary=_summary(kind, _period(period_code) if period_code else None, meeting),
        addressee=_addressee(unit, kind),
        signer_mode=mode,
        signer_title=signer_title,
        signer_name=signer_name,
        recipients=_recipients(unit, kind),
        created_by=user if user and user.is_authenticated else None,
    )
    composed = _compose_parts(report)
    report.snapshot = composed.snapshot
    report.save()
    Section.objects.bulk_create(
        Section(report=report, position=i, heading=heading[:300], body=clean(body), table=table)
        for i, (heading, body, table) in enumerate(composed.sections, start=1)
    )
    return report
