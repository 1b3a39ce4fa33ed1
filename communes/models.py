"""Administrative units (before and after the 2025 reform), users and their roles."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import fold

# The two-level local government started on this day (DOMAIN.md §5).
REFORM_DATE = datetime.date(2025, 7, 1)


class User(AbstractUser):
    """A person who logs in. What they may see comes from their memberships."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    job_title = models.CharField(
        _("chức vụ"), max_length=150, blank=True, help_text=_("Ví dụ: Chủ tịch UBND xã")
    )
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    # Set for an account handed a one-time password (accounts.services.one_time_password_issue):
    # until it chooses its own, every page sends it to the password change form.
    must_change_password = models.BooleanField(_("phải đổi mật khẩu khi đăng nhập"), default=False)
    # When the account was locked (is_active off). Its history, and its name on what it signed, stay.
    deactivated_at = models.DateTimeField(_("ngày khóa"), null=True, blank=True, editable=False)
    # Who made the account in the admin site: a provincial administrator keeps managing the
    # accounts it created before it has given them a role (communes.selectors.users_administered_by).
    created_by = models.ForeignKey(
        "self",
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class Era(models.TextChoices):
    LEGACY = "legacy", _("Trước 01/7/2025 (ba cấp)")
    CURRENT = "2025", _("Từ 01/7/2025 (hai cấp)")


class Level(models.IntegerChoices):
    PROVINCE = 1, _("Cấp tỉnh")
    DISTRICT = 2, _("Cấp huyện")
    COMMUNE = 3, _("Cấp xã")


class Kind(models.TextChoices):
    TINH = "tinh", _("Tỉnh")
    THANH_PHO = "thanh_pho", _("Thành phố")
    HUYEN = "huyen", _("Huyện")
    QUAN = "quan", _("Quận")
    THI_XA = "thi_xa", _("Thị xã")
    XA = "xa", _("Xã")
    PHUONG = "phuong", _("Phường")
    THI_TRAN = "thi_tran", _("Thị trấn")
    DAC_KHU = "dac_khu", _("Đặc khu")


class AdministrativeUnitQuerySet(models.QuerySet["AdministrativeUnit"]):
    def communes(self) -> AdministrativeUnitQuerySet:
        return self.filter(level=Level.COMMUNE)

    def valid_on(self, day: datetime.date) -> AdministrativeUnitQuerySet:
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
        )


class AdministrativeUnit(models.Model):
    """A province, district or commune of one era.

    Each era is a whole tree of its own: the 2025 Hà Nội is another row than the
    legacy Hà Nội, linked to it as its successor. Official codes repeat across eras
    (the new Quảng Trị has the old Quảng Bình's code 44), so a code is unique only
    within an era and a level.
    """

    era = models.CharField(_("giai đoạn"), max_length=6, choices=Era.choices)
    level = models.PositiveSmallIntegerField(_("cấp"), choices=Level.choices)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    code = models.CharField(_("mã"), max_length=20, help_text=_("Mã đơn vị hành chính chính thức"))
    name = models.CharField(_("tên"), max_length=120, help_text=_("Ví dụ: Xã Hoài Châu"))
    short_name = models.CharField(_("tên ngắn"), max_length=100, help_text=_("Ví dụ: Hoài Châu"))
    search_key = models.CharField(max_length=120, editable=False, default="")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        through="UnitSuccession",
        symmetrical=False,
        related_name="predecessors",
        blank=True,
    )

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["era", "level", "code"]
        constraints = [
            models.UniqueConstraint(fields=["era", "level", "code"], name="unit_code_unique_per_era"),
        ]
        indexes = [models.Index(fields=["parent", "level"], name="unit_parent_level_idx")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_key = fold(self.name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.parent_id is not None:
            if self.parent.level >= self.level:
                raise ValidationError({"parent": _("Đơn vị trực thuộc phải ở cấp cao hơn.")})
            if self.parent.era != self.era:
                raise ValidationError({"parent": _("Đơn vị trực thuộc phải cùng giai đoạn.")})
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise ValidationError({"valid_to": _("Ngày hết hiệu lực phải sau ngày có hiệu lực.")})

    @property
    def is_commune(self) -> bool:
        return self.level == Level.COMMUNE

    @property
    def validity_note(self) -> str:
        """The dates that set this unit apart from its era: "đến 30/11/2024" for a commune
        merged before the reform, "từ 01/12/2024" for the one it merged into."""
        era_start = REFORM_DATE if self.era == Era.CURRENT else None
        era_end = REFORM_DATE - datetime.timedelta(days=1) if self.era == Era.LEGACY else None
        notes = []
        if self.valid_from and self.valid_from != era_start:
            notes.append(_("từ %(day)s") % {"day": self.valid_from.strftime("%d/%m/%Y")})
        if self.valid_to and self.valid_to != era_end:
            notes.append(_("đến %(day)s") % {"day": self.valid_to.strftime("%d/%m/%Y")})
        return ", ".join(notes)

    @property
    def title(self) -> str:
        """The name with the parent's, as people write it: "Xã Hoài Châu, Thị xã Hoài Nhơn"."""
        if self.parent_id is None:
            return self.name
        return f"{self.name}, {self.parent.name}"


class UnitSuccession(models.Model):
    """An old unit continues in a new one (the 2025 merger, or an earlier one).

    A commune split between several new ones has several rows; ``is_primary`` marks
    the one that takes over most of it (the package's default new ward).
    """

    predecessor = models.ForeignKey(
        AdministrativeUnit, on_delete=models.CASCADE, related_name="successions_as_predecessor"
    )
    successor = models.ForeignKey(
        AdministrativeUnit, on_delete=models.CASCADE, related_name="successions_as_successor"
    )
    is_primary = models.BooleanField(_("kế thừa chính"), default=True)

    class Meta:
        verbose_name = _("kế thừa đơn vị")
        verbose_name_plural = _("kế thừa đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class Role(models.TextChoices):
    OFFICER = "officer", _("Công chức phụ trách CCHC")
    CHAIRMAN = "chairman", _("Chủ tịch / Phó Chủ tịch UBND")
    REVIEWER = "reviewer", _("Cơ quan thẩm định (Nội vụ)")
    ADMINISTRATOR = "administrator", _("Quản trị viên")


COMMUNE_ROLES = (Role.OFFICER, Role.CHAIRMAN)
SUPERVISING_ROLES = (Role.REVIEWER, Role.ADMINISTRATOR)


class Membership(models.Model):
    """A user holds a role in a unit. One person may hold roles in several units."""

    user = models.ForeignKey(
        User, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"

    def clean(self) -> None:
        unit = getattr(self, "unit", None)
        if unit is None:
            return
        if self.role in COMMUNE_ROLES and unit.level != Level.COMMUNE:
            raise ValidationError({"unit": _("Vai trò của xã chỉ gán cho đơn vị cấp xã.")})
        if self.role == Role.REVIEWER and unit.level == Level.COMMUNE:
            raise ValidationError({"unit": _("Cơ quan thẩm định là cấp huyện (trước 7/2025) hoặc cấp tỉnh.")})
        if self.role == Role.ADMINISTRATOR and unit.level != Level.PROVINCE:
            raise ValidationError({"unit": _("Quản trị viên được gán cho một tỉnh.")})


class Office(models.Model):
    """An office inside a commune's People's Committee, to which tasks are assigned."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="offices"
    )
    name = models.CharField(_("tên"), max_length=150)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("bộ phận chuyên môn")
        verbose_name_plural = _("bộ phận chuyên môn")
        ordering = ["unit", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="office_unique")]

    def __str__(self) -> str:
        return self.name
