"""Writes of a report after composing: editing a draft, refreshing its figures, issuing it, and
correcting an issued one as a new version.

An issued report is frozen: its number, date, snapshot and stored PDF never change again
(``ReportLocked``, answered 409). A correction is a new draft version linked to the one it
corrects (``previous``), issued in turn with a number of its own.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import Role, User

from ..compose import next_number, snapshot_build
from ..models import DirectiveDocument, Report, ReportKind, ReportStatus, Section
from ..text import clean

FACT_FIELDS = (
    "number",
    "issuer_code",
    "place",
    "dated",
    "title",
    "summary",
    "addressee",
    "signer_mode",
    "signer_title",
    "signer_name",
    "recipients",
)


class ReportError(ValueError):
    """A write refused; ``status`` is the HTTP status a view answers with (400 or 409)."""

    status = 400


class ReportLocked(ReportError):
    status = 409


class ReportStale(ReportError):
    """Someone saved the draft after the page was opened; nothing of this save was stored.
    ``revision`` is the draft's revision now, for the page that keeps the user's text."""

    status = 409

    def __init__(self, message: str, *, revision: int):
        super().__init__(message)
        self.revision = revision


def may_issue(user: User, report: Report) -> bool:
    """The commune's chairman (or vice-chairman) issues its reports; the reviewer of the unit
    issues its summary report."""
    if not user.is_authenticated or not user.is_active:
        return False
    role = Role.REVIEWER if report.kind == ReportKind.SUMMARY else Role.CHAIRMAN
    return user.memberships.filter(unit_id=report.unit_id, role=role).exists()


def _lock(report: Report) -> Report:
    """The report re-read under a row lock, refused when it is no longer a draft."""
    current = Report.objects.select_for_update().get(pk=report.pk)
    if current.status != ReportStatus.DRAFT:
        raise ReportLocked(_("Báo cáo đã ban hành, không sửa được nữa. Hãy lập bản đính chính."))
    return current


@transaction.atomic
def report_save(
    *, report: Report, facts: dict, sections: dict[int, dict], revision: int, user: User | None = None
) -> Report:
    """Store a draft's facts and its sections' text (``sections``: section id → heading, body),
    saved from a page opened at ``revision``: when someone saved since, ``ReportStale`` (409) and
    nothing is stored. Every body is cleaned to bold, italic, paragraphs and lists."""
    current = _lock(report)
    if current.revision != revision:
        who = current.updated_by.display_name if current.updated_by else _("người khác")
        raise ReportStale(
            _(
                "Dự thảo vừa được %(who)s lưu lúc %(time)s, sau khi bạn mở trang này; bản của bạn chưa "
                "được lưu. Nội dung bạn sửa vẫn còn trên màn hình: hãy mở dự thảo ở thẻ khác để đối "
                "chiếu, rồi bấm “Lưu dự thảo” lần nữa nếu vẫn muốn ghi đè."
            )
            % {"who": who, "time": f"{timezone.localtime(current.updated_at):%H:%M %d/%m/%Y}"},
            revision=current.revision,
        )
    for name in FACT_FIELDS:
        if name in facts:
            setattr(current, name, facts[name])
    current.revision += 1
    current.updated_by = user if user is not None and user.is_authenticated else None
    current.save()
    for section in current.sections.all():
        values = sections.get(section.pk)
        if values is None:
            continue
        section.heading = values.get("heading", section.heading)[:300]
        section.body = clean(values.get("body", section.body))
        section.save(update_fields=["heading", "body"])
    return current


@transaction.atomic
def report_delete(*, report: Report) -> None:
    """Delete a draft and its sections; an issued report is never deleted (``ReportLocked``)."""
    _lock(report).delete()


@transaction.atomic
def report_refresh(*, report: Report) -> Report:
    """Recompute a draft's figures from the data ("Cập nhật số liệu"); its text is left as edited."""
    current = _lock(report)
    current.snapshot = snapshot_build(current)
    current.save(update_fields=["snapshot", "updated_at"])
    return current


def _number_taken(report: Report) -> bool:
    year = report.dated.year
    reports = Report.objects.filter(
        unit_id=report.unit_id,
        status=ReportStatus.ISSUED,
        type_code=report.type_code,
        number=report.number,
        dated__year=year,
    ).exclude(pk=report.pk)
    documents = DirectiveDocument.objects.filter(
        unit_id=report.unit_id,
        number=report.number,
        number_symbol__iendswith=f"/{report.symbol}",
        issued_on__year=year,
    )
    return reports.exists() or documents.exists()


@transaction.atomic
def report_issue(*, report: Report, user: User) -> Report:
    """Issue a draft: check its number, date and signer, freeze a fresh snapshot of the figures,
    render the PDF and store it. Refused (``ReportError``) without a number, a date or a signer
    name, or with a number already used that year; ``PermissionDenied`` for anyone but the
    chairman (the reviewer for a summary report)."""
    from ..documents import report_pdf

    if not may_issue(user, report):
        raise PermissionDenied(
            _("Chỉ Chủ tịch UBND (hoặc cơ quan thẩm định với báo cáo tổng hợp) mới ban hành.")
        )
    current = _lock(report)
    missing = [
        label
        for label, value in (
            (_("số văn bản"), current.number),
            (_("ngày ký"), current.dated),
            (_("họ tên người ký"), current.signer_name.strip()),
        )
        if not value
    ]
    if missing:
        raise ReportError(
            _("Chưa ban hành được: còn thiếu %(missing)s. Hãy điền vào phần thông tin văn bản.")
            % {"missing": ", ".join(missing)}
        )
    if _number_taken(current):
        raise ReportError(
            _("Số %(symbol)s đã dùng trong năm %(year)s. Hãy chọn số khác (số gợi ý: %(next)s).")
            % {
                "symbol": current.number_symbol,
                "year": current.dated.year,
                "next": next_number(current.unit, current.dated.year),
            }
        )
    current.snapshot = snapshot_build(current)
    current.status = ReportStatus.ISSUED
    current.issued_at = timezone.now()
    current.issued_by = user
    pdf = report_pdf(current)
    current.pdf.save(f"{current.number}-{current.type_code}.pdf", ContentFile(pdf), save=False)
    stored = current.pdf.name
    try:
        with transaction.atomic():
            current.save()
    except IntegrityError as error:  # two issuings of the same number at the same moment
        current.pdf.storage.delete(stored)
        raise ReportError(
            _("Số %(symbol)s vừa được dùng cho văn bản khác. Hãy chọn số khác.")
            % {"symbol": current.number_symbol}
        ) from error
    return current


@transaction.atomic
def report_correct(*, report: Report, user: User) -> Report:
    """A new draft version of an issued report, copying its facts and sections, with the next
    free number suggested and today's date. One open correction at a time."""
    current = Report.objects.select_for_update().get(pk=report.pk)
    if current.status != ReportStatus.ISSUED:
        raise ReportLocked(_("Chỉ đính chính được báo cáo đã ban hành; bản dự thảo thì sửa trực tiếp."))
    if current.corrections.exists():
        raise ReportLocked(_("Báo cáo này đã có bản đính chính. Hãy mở bản đó để tiếp tục."))
    today = timezone.localdate()
    copy = Report(
        unit_id=current.unit_id,
        kind=current.kind,
        period=current.period,
        year_from=current.year_from,
        meeting_id=current.meeting_id,
        status=ReportStatus.DRAFT,
        version=current.version + 1,
        previous=current,
        type_code=current.type_code,
        created_by=user if user.is_authenticated else None,
        **{name: getattr(current, name) for name in FACT_FIELDS},
    )
    copy.number = next_number(current.unit, today.year)
    copy.dated = today
    copy.snapshot = snapshot_build(copy)
    copy.save()
    Section.objects.bulk_create(
        Section(report=copy, position=s.position, heading=s.heading, body=s.body, table=s.table)
        for s in current.sections.all()
    )
    return copy
