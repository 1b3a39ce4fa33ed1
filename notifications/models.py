"""What the portal tells people: one row per person and event, shown in the bell and mailed.

A notification is about one unit (``unit``) and is written for one person (``recipient``) who may
read that unit: it never names another unit's data. Mail is a copy of it, sent from a background
task after the transaction that made it commits; the row is there whether or not the mail goes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What happened. Each person may switch off the mail of each kind (``EmailOptOut``)."""

    REPORT_SUBMITTED = "report_submitted", _("Xã gửi báo cáo số liệu hồ sơ")
    REPORT_RETURNED = "report_returned", _("Báo cáo bị trả lại")
    REPORT_APPROVED = "report_approved", _("Báo cáo được duyệt")
    MONTH_DUE = "month_due", _("Báo cáo tháng sắp đến hạn")
    MONTH_OVERDUE = "month_overdue", _("Báo cáo tháng quá hạn chưa gửi")
    EXPLANATION_REQUESTED = "explanation_requested", _("Yêu cầu giải trình Chỉ số CCHC")
    EXPLANATION_GIVEN = "explanation_given", _("Xã gửi giải trình Chỉ số CCHC")
    ROUND_OPENED = "round_opened", _("Mở đợt tự chấm điểm Chỉ số CCHC")
    ROUND_DEADLINE = "round_deadline", _("Sắp hết hạn tự chấm điểm")
    RANKING_PUBLISHED = "ranking_published", _("Công bố kết quả Chỉ số CCHC")


# The kinds ``send_reminders`` writes each day, mailed together: one mail per person and day.
DAILY_KINDS = (Kind.MONTH_DUE, Kind.MONTH_OVERDUE, Kind.ROUND_DEADLINE)


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("chờ gửi")
    SENT = "sent", _("đã gửi")
    OFF = "off", _("người nhận đã tắt email loại này")
    NO_ADDRESS = "no_address", _("người nhận chưa có email")
    FAILED = "failed", _("gửi không được")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("loại"), max_length=32, choices=Kind.choices)
    unit = models.ForeignKey(
        "communes.AdministrativeUnit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("tiêu đề"), max_length=250)
    body = models.TextField(_("nội dung"), blank=True)
    # A path inside the portal ("/xa/12/bao-cao/2026-11/"); the mail makes it absolute (PORTAL_URL).
    url = models.CharField(_("đường dẫn"), max_length=300)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    # The day of send_reminders that wrote it (its daily kinds); one mail per person and day.
    day = models.DateField(_("ngày nhắc"), null=True, blank=True)
    email_status = models.CharField(
        _("email"), max_length=12, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(_("số lần gửi email"), default=0)
    emailed_at = models.DateTimeField(_("gửi email lúc"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["email_status", "created_at"], name="notification_email_idx"),
            models.Index(fields=["day", "recipient"], name="notification_day_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class EmailOptOut(models.Model):
    """``user`` gets no mail of ``kind``; the notifications themselves still appear in the portal."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_outs"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)

    class Meta:
        verbose_name = _("tắt email")
        verbose_name_plural = _("tắt email")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="email_opt_out_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_kind_display()}"
