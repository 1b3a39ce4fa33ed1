"""The reform index (Chỉ số CCHC): frameworks as data, each commune's yearly assessment, rankings.

A ``Framework`` is a province's decision: a tree of ``Criterion`` nodes (lĩnh vực → tiêu chí →
tiêu chí thành phần) with max points, and the ``Band``s that classify a total. A framework that
has assessments is never edited in place: a new version is made (``previous`` links them).

A ``Round`` is one framework applied to one ranking group (the communes one reviewer ranks
together: a district's before 7/2025, a province's after) for one year, with its self-scoring
deadline and its publication. Each commune of the group has one ``Assessment`` in the round,
with a ``Score`` per leaf, ``Evidence`` files, and ``Adjustment``s (bonus and penalty points).
Totals are computed by ``indices.scoring`` and stored on the assessment, so a ranking is one
query however many communes and leaves there are.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from communes.models import AdministrativeUnit, Level

POINTS = {"max_digits": 7, "decimal_places": 2}


class Framework(models.Model):
    """A province's commune index for some years ("QĐ 1325/QĐ-UBND ngày 23/6/2023")."""

    name = models.CharField(_("tên bộ chỉ số"), max_length=200)
    issuer = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị ban hành"),
        on_delete=models.PROTECT,
        related_name="frameworks",
    )
    year_from = models.PositiveSmallIntegerField(_("áp dụng từ năm"))
    year_to = models.PositiveSmallIntegerField(_("áp dụng đến năm"))
    legal_basis = models.CharField(
        _("căn cứ"), max_length=300, blank=True, help_text=_("Ví dụ: QĐ 1325/QĐ-UBND ngày 23/6/2023")
    )
    total_points = models.DecimalField(_("tổng điểm tối đa"), **POINTS)
    step = models.DecimalField(
        _("bước điểm"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.25"),
        help_text=_("Điểm chấm phải là bội số của bước này, ví dụ 0,25 hoặc 0,5."),
    )
    rescale_to_100 = models.BooleanField(
        _("quy đổi về thang 100"),
        default=False,
        help_text=_(
            "Tổng điểm được quy đổi về thang 100 theo số điểm tối đa của các tiêu chí được đánh giá."
        ),
    )
    group_level = models.PositiveSmallIntegerField(
        _("nhóm xếp hạng"),
        choices=[(Level.PROVINCE, _("Các xã, phường của tỉnh")), (Level.DISTRICT, _("Các xã của huyện"))],
        default=Level.DISTRICT,
        help_text=_("Những xã cùng một cơ quan thẩm định xếp hạng với nhau."),
    )
    note = models.TextField(
        _("ghi chú"), blank=True, help_text=_("Ví dụ: điểm của một số tiêu chí là minh họa.")
    )
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("phiên bản trước"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_versions",
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("bộ chỉ số")
        verbose_name_plural = _("bộ chỉ số")
        ordering = ["-year_from", "name", "-version"]

    def __str__(self) -> str:
        if self.version > 1:
            return _("%(name)s (phiên bản %(version)s)") % {"name": self.name, "version": self.version}
        return self.name

    @property
    def years_label(self) -> str:
        if self.year_from == self.year_to:
            return str(self.year_from)
        return f"{self.year_from}–{self.year_to}"

    def is_in_use(self) -> bool:
        """A framework with assessments is never edited in place (a new version is made)."""
        return Assessment.objects.filter(round__framework=self).exists()

    def band_for(self, points: Decimal | None, bands: list[Band] | None = None) -> Band | None:
        """The band ``points`` fall in. Bands are contiguous from 0 (``indices.frameworks``
        refuses gaps), so it is the highest band whose lower bound ``points`` reach."""
        if points is None:
            return None
        bands = bands if bands is not None else list(self.bands.all())
        for band in sorted(bands, key=lambda b: b.min_points, reverse=True):
            if points >= band.min_points:
                return band
        return None


class Band(models.Model):
    """A classification (Xuất sắc, Tốt, Khá …) for totals from ``min_points`` to below ``max_points``."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="bands")
    label = models.CharField(_("xếp loại"), max_length=60)
    min_points = models.DecimalField(_("từ (điểm)"), **POINTS)
    max_points = models.DecimalField(_("đến dưới (điểm)"), **POINTS)

    class Meta:
        verbose_name = _("mức xếp loại")
        verbose_name_plural = _("mức xếp loại")
        ordering = ["framework", "-min_points"]
        constraints = [models.UniqueConstraint(fields=["framework", "label"], name="band_label_unique")]

    def __str__(self) -> str:
        return self.label


class Criterion(models.Model):
    """A node of the tree: lĩnh vực (depth 1), tiêu chí (2), tiêu chí thành phần (3)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(_("mã"), max_length=20, help_text=_("Ví dụ: 1, 1.2, 1.2.3"))
    sort_key = models.CharField(max_length=40, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(editable=False, default=1)
    title = models.TextField(_("nội dung"))
    max_points = models.DecimalField(_("điểm tối đa"), **POINTS)
    guide = models.TextField(_("hướng dẫn chấm"), blank=True)
    evidence_required = models.BooleanField(_("cần tài liệu kiểm chứng"), default=False)
    rule = models.CharField(
        _("cách tính tự động"),
        max_length=120,
        blank=True,
        help_text=_("Để trống, hoặc tên quy tắc với tham số, ví dụ: ty_le_truc_tuyen(nguong=80)"),
    )

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["framework", "sort_key"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="criterion_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    def save(self, *args, **kwargs) -> None:
        self.sort_key = self.sort_key_of(self.code)
        self.depth = self.code.count(".") + 1
        super().save(*args, **kwargs)

    @staticmethod
    def sort_key_of(code: str) -> str:
        """ "1.10.2" sorts after "1.9": each part zero-padded."""
        return ".".join(part.zfill(3) for part in code.split("."))


class Round(models.Model):
    """One framework, one year, one ranking group: what a reviewer scores and ranks together."""

    framework = models.ForeignKey(
        Framework, verbose_name=_("bộ chỉ số"), on_delete=models.PROTECT, related_name="rounds"
    )
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    group = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("nhóm xếp hạng"),
        on_delete=models.PROTECT,
        related_name="index_rounds",
        help_text=_("Huyện (trước 7/2025) hoặc tỉnh có các xã được xếp hạng cùng nhau."),
    )
    self_deadline = models.DateField(_("hạn tự chấm"))
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("đợt đánh giá")
        verbose_name_plural = _("đợt đánh giá")
        ordering = ["-year", "group__name"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "year", "group"], name="round_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.framework.name} – {self.year} – {self.group.name}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Đang tự chấm")
    SUBMITTED = "submitted", _("Đã gửi")
    APPRAISING = "appraising", _("Đang thẩm định")
    EXPLAINING = "explaining", _("Chờ xã giải trình")
    APPRAISED = "appraised", _("Đã thẩm định")


class Assessment(models.Model):
    """A commune's scoring in a round. Totals are stored (``indices.scoring.assessment_recompute``)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assessments")
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    self_total = models.DecimalField(_("điểm tự chấm"), default=Decimal(0), **POINTS)
    appraised_total = models.DecimalField(
        _("điểm thẩm định"),
        null=True,
        blank=True,
        help_text=_("Sau điểm cộng, điểm trừ và quy đổi."),
        **POINTS,
    )
    # Points per lĩnh vực code after appraisal, {"1": "8.50", …}: the ranking's field table.
    field_points = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    appraised_at = models.DateTimeField(_("thẩm định xong lúc"), null=True, blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("kết quả chấm điểm")
        verbose_name_plural = _("kết quả chấm điểm")
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="assessment_unique")]
        indexes = [models.Index(fields=["unit", "round"], name="assessment_unit_idx")]

    def __str__(self) -> str:
        return f"{self.unit.name} – {self.round.year}"

    @property
    def is_self_locked(self) -> bool:
        """The commune no longer changes its self scores once the chairman has submitted."""
        return self.status != AssessmentStatus.DRAFT


class Score(models.Model):
    """One leaf of one assessment: the commune's self score and the reviewer's appraisal."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    self_score = models.DecimalField(_("điểm tự chấm"), null=True, blank=True, **POINTS)
    note = models.TextField(
        _("giải trình của xã"),
        blank=True,
        help_text=_("Bắt buộc khi có điểm mà chưa có tài liệu kiểm chứng ở tiêu chí cần kiểm chứng."),
    )
    # An automatic leaf: the value computed from the portal's data, its points, and the data behind.
    auto_value = models.DecimalField(_("giá trị tính tự động"), null=True, blank=True, **POINTS)
    auto_score = models.DecimalField(_("điểm tính tự động"), null=True, blank=True, **POINTS)
    auto_data = models.JSONField(_("số liệu tính điểm"), default=dict, blank=True)
    appraised_score = models.DecimalField(_("điểm thẩm định"), null=True, blank=True, **POINTS)
    reviewer_comment = models.TextField(_("ý kiến thẩm định"), blank=True)
    override_reason = models.TextField(_("lý do sửa điểm tự động"), blank=True)
    explanation_requested = models.BooleanField(_("yêu cầu giải trình"), default=False)
    explanation = models.TextField(_("nội dung giải trình"), blank=True)
    applicable = models.BooleanField(
        _("được đánh giá"), default=True, help_text=_("Bỏ chọn khi tiêu chí không áp dụng cho xã này.")
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="score_unique")]

    def __str__(self) -> str:
        return f"{self.assessment} – {self.criterion.code}"

    @property
    def final_score(self) -> Decimal | None:
        """The appraised score, else the automatic one, else the commune's own."""
        for value in (self.appraised_score, self.auto_score, self.self_score):
            if value is not None:
                return value
        return None


def evidence_path(instance: Evidence, filename: str) -> str:
    """Where an evidence file is stored under MEDIA_ROOT: a random name, never the uploaded one
    (the uploaded name is kept in ``original_name`` and only ever sent in a header)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{instance.score.assessment.round.year}/{uuid.uuid4().hex}.{extension}"


class Evidence(models.Model):
    """A tài liệu kiểm chứng attached to a leaf. Served only through a view that checks access."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("tệp"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("tài liệu kiểm chứng")
        verbose_name_plural = _("tài liệu kiểm chứng")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Adjustment(models.Model):
    """Bonus (positive) or penalty (negative) points with the reason, entered by the reviewer."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="adjustments")
    points = models.DecimalField(_("điểm"), help_text=_("Dương là điểm thưởng, âm là điểm trừ."), **POINTS)
    reason = models.TextField(_("lý do"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("điểm thưởng, điểm trừ")
        verbose_name_plural = _("điểm thưởng, điểm trừ")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.points} – {self.reason}"
