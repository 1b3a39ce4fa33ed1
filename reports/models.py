"""What the chairman signs and the reviewer files: meetings and their tasks, the yearly plan, the
register of directive documents, and formal reports (Nghị định 30/2020) composed from the data.

A ``Report`` is a draft until it is issued. Issuing freezes its number, its date and a ``snapshot``
of the figures its tables show, and stores the PDF: a later correction of the figures does not
change an issued report. A corrected report is issued as a new version (``previous`` links them).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from communes.models import AdministrativeUnit, Office

from .text import BODY_MAX_CHARS, MEETING_TEXT_MAX_CHARS, SHORT_TEXT_MAX_CHARS, SUMMARY_MAX_CHARS


class MeetingKind(models.TextChoices):
    HALF_YEAR = "so-ket-6-thang", _("Sơ kết 6 tháng")
    YEAR = "tong-ket-nam", _("Tổng kết năm")
    INDEX = "danh-gia-chi-so", _("Đánh giá Chỉ số CCHC")
    BRIEFING = "giao-ban", _("Giao ban")
    OTHER = "khac", _("Khác")


class Meeting(models.Model):
    """A meeting of the commune's People's Committee about administrative reform."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("loại cuộc họp"), max_length=16, choices=MeetingKind.choices)
    title = models.CharField(
        _("tên cuộc họp"),
        max_length=300,
        help_text=_("Ví dụ: Cuộc họp đánh giá kết quả thẩm định Bộ chỉ số CCHC cấp xã năm 2023"),
    )
    held_on = models.DateField(_("ngày họp"))
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)
    chair = models.CharField(
        _("người chủ trì"), max_length=150, help_text=_("Ví dụ: Chủ tịch UBND xã Đỗ An Chung")
    )
    attendees = models.TextField(_("thành phần tham dự"), blank=True, max_length=SHORT_TEXT_MAX_CHARS)
    content = models.TextField(_("nội dung"), blank=True, max_length=MEETING_TEXT_MAX_CHARS)
    conclusions = models.TextField(_("kết luận"), blank=True, max_length=MEETING_TEXT_MAX_CHARS)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("cuộc họp")
        verbose_name_plural = _("cuộc họp")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class TaskStatus(models.TextChoices):
    TODO = "todo", _("Chưa thực hiện")
    DOING = "doing", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")


class ConclusionTask(models.Model):
    """A task a meeting's conclusions assign to an office or a person, tracked until done."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="tasks")
    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="conclusion_tasks", editable=False
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("bộ phận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    assignee = models.CharField(
        _("người thực hiện"),
        max_length=150,
        blank=True,
        help_text=_("Khi giao cho một người, không phải một bộ phận."),
    )
    description = models.TextField(_("nhiệm vụ"), max_length=SHORT_TEXT_MAX_CHARS)
    due_on = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=TaskStatus.choices, default=TaskStatus.TODO
    )
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    completion_note = models.TextField(_("kết quả thực hiện"), blank=True, max_length=SHORT_TEXT_MAX_CHARS)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("nhiệm vụ sau kết luận")
        verbose_name_plural = _("nhiệm vụ sau kết luận")
        ordering = ["meeting", "position", "pk"]
        indexes = [models.Index(fields=["unit", "status", "due_on"], name="task_tracker_idx")]

    def __str__(self) -> str:
        return self.description[:80]

    def save(self, *args, **kwargs) -> None:
        self.unit_id = self.meeting.unit_id
        super().save(*args, **kwargs)


class Plan(models.Model):
    """The commune's Kế hoạch CCHC năm, with its tasks."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    number_symbol = models.CharField(
        _("số, ký hiệu"), max_length=40, blank=True, help_text=_("Ví dụ: 24/KH-UBND")
    )
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    title = models.CharField(_("trích yếu"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("kế hoạch CCHC năm")
        verbose_name_plural = _("kế hoạch CCHC năm")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="plan_unique_per_year")]

    def __str__(self) -> str:
        return f"{self.number_symbol or _('Kế hoạch')} ({self.year})"


class PlanTask(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    description = models.TextField(_("nhiệm vụ"), max_length=SHORT_TEXT_MAX_CHARS)
    office = models.ForeignKey(
        Office, verbose_name=_("bộ phận"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField(_("thời hạn"), null=True, blank=True)
    done = models.BooleanField(_("đã hoàn thành"), default=False)
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True, max_length=SHORT_TEXT_MAX_CHARS)

    class Meta:
        verbose_name = _("nhiệm vụ của kế hoạch")
        verbose_name_plural = _("nhiệm vụ của kế hoạch")
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return self.description[:80]


class DocumentType(models.TextChoices):
    """Type codes of Nghị định 30/2020 (DOMAIN.md §4); a công văn has none."""

    BC = "BC", _("Báo cáo")
    TB = "TB", _("Thông báo")
    KH = "KH", _("Kế hoạch")
    QD = "QĐ", _("Quyết định")
    TTR = "TTr", _("Tờ trình")
    BB = "BB", _("Biên bản")
    GM = "GM", _("Giấy mời")
    HD = "HD", _("Hướng dẫn")
    CT = "CT", _("Chỉ thị")
    CTR = "CTr", _("Chương trình")
    CV = "CV", _("Công văn")


class DirectiveDocument(models.Model):
    """A document the commune issued to direct the reform (the register of seed 004)."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="documents"
    )
    number_symbol = models.CharField(_("số, ký hiệu"), max_length=40, help_text=_("Ví dụ: 03/KH-UBND"))
    number = models.PositiveIntegerField(_("số"), null=True, blank=True, editable=False)
    issued_on = models.DateField(_("ngày ban hành"))
    type_code = models.CharField(_("loại văn bản"), max_length=4, choices=DocumentType.choices)
    summary = models.TextField(_("trích yếu"), max_length=SUMMARY_MAX_CHARS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("văn bản chỉ đạo")
        verbose_name_plural = _("văn bản chỉ đạo")
        ordering = ["-issued_on", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number_symbol", "issued_on"], name="document_unique"),
        ]
        indexes = [models.Index(fields=["unit", "issued_on"], name="document_unit_date_idx")]

    def __str__(self) -> str:
        return self.number_symbol

    def save(self, *args, **kwargs) -> None:
        head = self.number_symbol.split("/", 1)[0].strip()
        # isdigit() also passes "²", which int() refuses; past nine digits no register numbers.
        self.number = int(head) if head.isascii() and head.isdecimal() and len(head) <= 9 else None
        super().save(*args, **kwargs)


class ReportKind(models.TextChoices):
    """The kinds of report, named as ``render_report --kind`` takes them (DESIGN.md)."""

    CONCLUSION = "ket-luan", _("Thông báo kết luận")
    HALF_YEAR = "so-ket-6-thang", _("Báo cáo sơ kết 6 tháng")
    YEAR = "tong-ket-nam", _("Báo cáo tổng kết năm")
    SUPERVISION = "giam-sat", _("Báo cáo giám sát, chuyên đề")
    SUMMARY = "tong-hop", _("Báo cáo tổng hợp của cơ quan thẩm định")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")


class SignerMode(models.TextChoices):
    TM = "TM", _("TM. (thay mặt tập thể)")
    KT = "KT", _("KT. (ký thay người đứng đầu)")


def report_pdf_path(instance: Report, filename: str) -> str:
    return f"reports/{instance.unit_id}/{uuid.uuid4().hex}.pdf"


class Report(models.Model):
    """A formal document of a unit, composed from the data, edited, then issued."""

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị ban hành"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    kind = models.CharField(_("loại báo cáo"), max_length=16, choices=ReportKind.choices)
    # The period it reports on, in the portal's syntax ("2024-H1", "2023"); a supervision report
    # runs from 1 January of ``year_from`` to the end of ``period`` ("2023-08").
    period = models.CharField(_("kỳ báo cáo"), max_length=12, blank=True)
    year_from = models.PositiveSmallIntegerField(_("từ năm"), null=True, blank=True)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("cuộc họp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("bản trước"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    # The document's own facts (Nghị định 30/2020)
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    type_code = models.CharField(_("loại văn bản"), max_length=4, choices=DocumentType.choices)
    issuer_code = models.CharField(
        _("ký hiệu cơ quan"), max_length=20, default="UBND", help_text=_("Ví dụ: UBND")
    )
    place = models.CharField(_("địa danh"), max_length=100, help_text=_("Ví dụ: Tùng Châu"))
    dated = models.DateField(_("ngày ký"), null=True, blank=True)
    title = models.CharField(_("tên loại"), max_length=60, help_text=_("Ví dụ: BÁO CÁO"))
    summary = models.CharField(
        _("trích yếu"), max_length=300, help_text=_("Ví dụ: Giám sát Cải cách hành chính")
    )
    addressee = models.CharField(_("kính gửi"), max_length=300, blank=True)
    signer_mode = models.CharField(
        _("thẩm quyền ký"), max_length=2, choices=SignerMode.choices, default=SignerMode.TM
    )
    signer_title = models.CharField(_("chức vụ người ký"), max_length=60, default="CHỦ TỊCH")
    signer_name = models.CharField(_("người ký"), max_length=150, blank=True)
    recipients = models.TextField(
        _("nơi nhận"), blank=True, max_length=SHORT_TEXT_MAX_CHARS, help_text=_("Mỗi dòng một nơi nhận.")
    )
    # Issuing
    snapshot = models.JSONField(_("số liệu khi ban hành"), default=dict, blank=True)
    pdf = models.FileField(_("bản PDF"), upload_to=report_pdf_path, blank=True, max_length=200)
    issued_at = models.DateTimeField(_("ban hành lúc"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking of a draft: every save of its text moves ``revision``; a save from a
    # page opened at an older revision is refused, naming ``updated_by``.
    revision = models.PositiveIntegerField(_("lần lưu"), default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["-created_at"]
        constraints = [
            # One issued document per number, type and year in a unit's register.
            models.UniqueConstraint(
                models.F("unit"),
                models.F("type_code"),
                models.F("number"),
                ExtractYear("dated"),
                condition=models.Q(status="issued"),
                name="report_number_unique_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.summary}".strip()

    @property
    def symbol(self) -> str:
        """ "BC-UBND"; a công văn has no type code ("UBND")."""
        return (
            self.issuer_code if self.type_code == DocumentType.CV else f"{self.type_code}-{self.issuer_code}"
        )

    @property
    def number_symbol(self) -> str:
        """ "352/BC-UBND", "07/TB-UBND": a number below 10 with a leading zero, as registers write it."""
        return f"{self.number:02d}/{self.symbol}" if self.number else f"     /{self.symbol}"

    @property
    def is_issued(self) -> bool:
        return self.status == ReportStatus.ISSUED


class Section(models.Model):
    """A part of a report's body. ``body`` is the edited HTML, limited to bold, italic, paragraphs
    and lists (``reports.text.clean`` strips anything else); ``table`` names a data table drawn
    from the report's figures after the text ("dossiers_by_year", "ranking" …), or is empty."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    heading = models.CharField(_("tiêu đề"), max_length=300, blank=True)
    body = models.TextField(_("nội dung"), blank=True, max_length=BODY_MAX_CHARS)
    table = models.CharField(_("bảng số liệu"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("phần của báo cáo")
        verbose_name_plural = _("phần của báo cáo")
        ordering = ["report", "position", "pk"]

    def __str__(self) -> str:
        return self.heading or f"#{self.position}"


class FormSubmission(models.Model):
    """A create form of the records or the composer, posted: its one-time token and what the post
    created. The same form posted again (a double click, a reload of the answer, the back button,
    two tabs racing) finds its token here and leads to that instead of creating a copy
    (``services.submissions.create_once``). A user's rows older than ``KEEP_DAYS`` are deleted as
    the user submits again."""

    KEEP_DAYS = 30

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(_("mã biểu mẫu"), max_length=32)
    url = models.CharField(_("địa chỉ của bản đã tạo"), max_length=300, blank=True)
    label = models.CharField(_("tên của bản đã tạo"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lần gửi biểu mẫu")
        verbose_name_plural = _("lần gửi biểu mẫu")
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="form_submission_once_per_user"),
        ]

    def __str__(self) -> str:
        return self.label or self.token
