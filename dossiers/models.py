"""Dossier figures: the lĩnh vực catalogue, periods, and each commune's report for a period."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from communes.models import AdministrativeUnit
from core import periods
from core.text import fold

from .figures import LABELS, MAX_FIGURE, Figures


class ProcedureField(models.Model):
    """A lĩnh vực of administrative procedures (Hộ tịch, Chứng thực, Đất đai …). Data, editable."""

    name = models.CharField(_("tên lĩnh vực"), max_length=150, unique=True)
    aliases = models.TextField(
        _("tên khác"),
        blank=True,
        help_text=_("Mỗi dòng một tên mà phần mềm một cửa dùng cho lĩnh vực này, để nhận khi nhập Excel."),
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def match_keys(self) -> set[str]:
        """The folded names an imported row may carry for this field."""
        names = [self.name, *self.aliases.splitlines()]
        return {fold(name) for name in names if name.strip()}


class Period(models.Model):
    """A reporting period (month, quarter, half year, nine months, year). Its dates depend on the
    province's calendar, so they are computed (core.periods), not stored."""

    kind = models.CharField(_("loại kỳ"), max_length=8, choices=[(k.value, k.value) for k in periods.Kind])
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveSmallIntegerField(_("số thứ tự"), default=1)

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["year", "kind", "number"]
        constraints = [models.UniqueConstraint(fields=["kind", "year", "number"], name="period_unique")]

    def __str__(self) -> str:
        return self.code

    @property
    def value(self) -> periods.Period:
        return periods.Period(self.year, periods.Kind(self.kind), self.number)

    @property
    def code(self) -> str:
        return self.value.code

    @property
    def label(self) -> str:
        return self.value.label

    @classmethod
    def for_code(cls, code: str) -> Period:
        """The period written ``code`` (2024-03, 2024-Q1 …), created on first use."""
        value = periods.Period.parse(code)
        period, _created = cls.objects.get_or_create(
            kind=value.kind.value, year=value.year, number=value.number
        )
        return period


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang nhập")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã duyệt")


class FiguresChoice(models.TextChoices):
    """For a quarter, half, nine months or year that has both month reports and a report of its
    own: which one counts. Undecided, the months count and the conflict is shown."""

    UNDECIDED = "", _("Chưa chọn")
    MONTHS = "months", _("Tổng các tháng")
    DIRECT = "direct", _("Báo cáo cả kỳ")


class DossierReport(models.Model):
    """One commune's figures for one period, with its place in the review workflow.

    ``version`` grows with every save, so that a save based on an older version is refused
    instead of silently overwriting a colleague's work.
    """

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="dossier_reports"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("kỳ báo cáo"), on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("xử lý lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    figures_choice = models.CharField(
        _("số liệu được dùng"),
        max_length=8,
        choices=FiguresChoice.choices,
        default=FiguresChoice.UNDECIDED,
        blank=True,
        help_text=_(
            "Chỉ với báo cáo quý, 6 tháng, 9 tháng, năm khi xã cũng có báo cáo tháng trong kỳ: "
            "số liệu nào được tính. Ghi trong lịch sử báo cáo."
        ),
    )

    class Meta:
        verbose_name = _("báo cáo hồ sơ TTHC")
        verbose_name_plural = _("báo cáo hồ sơ TTHC")
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="dossier_report_unique")]
        indexes = [models.Index(fields=["period", "status"], name="dossier_report_period_idx")]

    def __str__(self) -> str:
        return f"{self.unit} – {self.period.label}"

    @property
    def is_locked(self) -> bool:
        """Submitted and approved reports are not edited; returned ones are, again."""
        return self.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


def _figure(name: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(LABELS[name], default=0, validators=[MaxValueValidator(MAX_FIGURE)])


class DossierLine(models.Model):
    """One lĩnh vực's row of Biểu 06 in a report, with the figures reported beside the form."""

    report = models.ForeignKey(DossierReport, on_delete=models.CASCADE, related_name="lines")
    field = models.ForeignKey(ProcedureField, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT)
    received_online = _figure("received_online")
    received_in_person = _figure("received_in_person")
    received_postal = _figure("received_postal")
    carried_over = _figure("carried_over")
    resolved_early = _figure("resolved_early")
    resolved_on_time = _figure("resolved_on_time")
    resolved_late = _figure("resolved_late")
    pending_in_time = _figure("pending_in_time")
    pending_overdue = _figure("pending_overdue")
    online_payments = _figure("online_payments")
    dossiers_with_fees = _figure("dossiers_with_fees")
    digitised_results = _figure("digitised_results")
    apology_letters = _figure("apology_letters")
    pakn_received = _figure("pakn_received")
    pakn_resolved = _figure("pakn_resolved")
    reviewer_comment = models.TextField(_("ý kiến của cơ quan thẩm định"), blank=True)

    class Meta:
        verbose_name = _("dòng lĩnh vực")
        verbose_name_plural = _("dòng lĩnh vực")
        constraints = [models.UniqueConstraint(fields=["report", "field"], name="dossier_line_unique")]

    def __str__(self) -> str:
        return f"{self.report} – {self.field}"

    @property
    def figures(self) -> Figures:
        return Figures.of(self)


class ChangeAction(models.TextChoices):
    EDIT = "edit", _("Sửa số liệu")
    SUBMIT = "submit", _("Gửi báo cáo")
    RETURN = "return", _("Trả lại")
    APPROVE = "approve", _("Duyệt")
    REOPEN = "reopen", _("Mở lại")
    IMPORT = "import", _("Nhập từ Excel")
    CHOOSE = "choose", _("Chọn số liệu được dùng")


class DossierChange(models.Model):
    """One entry of a report's history: a figure changed (old and new value) or a step taken."""

    report = models.ForeignKey(DossierReport, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(_("lúc"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(_("thao tác"), max_length=8, choices=ChangeAction.choices)
    field = models.ForeignKey(ProcedureField, null=True, blank=True, on_delete=models.PROTECT)
    column = models.CharField(_("cột"), max_length=32, blank=True)
    old_value = models.PositiveIntegerField(
        _("giá trị cũ"), null=True, blank=True, validators=[MaxValueValidator(MAX_FIGURE)]
    )
    new_value = models.PositiveIntegerField(
        _("giá trị mới"), null=True, blank=True, validators=[MaxValueValidator(MAX_FIGURE)]
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("lịch sử báo cáo")
        verbose_name_plural = _("lịch sử báo cáo")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report} – {self.get_action_display()}"

    @property
    def column_label(self) -> str:
        return LABELS.get(self.column, self.column)


class ReportingCalendar(models.Model):
    """How a province counts its periods, and how soon a commune must send its report."""

    province = models.OneToOneField(
        AdministrativeUnit,
        verbose_name=_("tỉnh"),
        on_delete=models.CASCADE,
        related_name="reporting_calendar",
        limit_choices_to={"level": 1},
    )
    calendar = models.CharField(
        _("cách tính kỳ"),
        max_length=10,
        choices=[
            (periods.Calendar.REGULATORY.value, _("Theo Nghị định 09/2019 (ngày 15 đến ngày 14)")),
            (periods.Calendar.CALENDAR.value, _("Theo tháng dương lịch")),
        ],
        default=periods.Calendar.REGULATORY.value,
    )
    submit_within_days = models.PositiveSmallIntegerField(_("hạn gửi (ngày làm việc sau kỳ)"), default=2)

    class Meta:
        verbose_name = _("lịch báo cáo của tỉnh")
        verbose_name_plural = _("lịch báo cáo của tỉnh")

    def __str__(self) -> str:
        return f"{self.province} – {self.get_calendar_display()}"
