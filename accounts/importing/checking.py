"""Checking each row of a users file on its own: its name, position, email, phone and username,
its role, and its unit among those of the scope (a province, or the whole country), the role
fitting the unit. Every problem by its Excel row and the file's own column (``planning`` then sets
the rows against each other and against the accounts already on the portal).

A fixed number of queries whatever the number of rows: the units of the scope and, only for rows
naming a unit outside it, one look-up of where those are (and one of their successors).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import AdministrativeUnit, Era, Level, Membership, Role, UnitSuccession, User
from core.text import fold
from core.xlsx import ImportProblem

from .reading import (
    CODE,
    EMAIL,
    FULL_NAME,
    PHONE,
    POSITION,
    ROLE,
    UNIT,
    USERNAME,
    SheetRow,
    UsersFile,
)

PUNCTUATION = re.compile(r"[^a-z0-9]+")
PHONE_CHARACTERS = re.compile(r"\+?[0-9 .\-()]+")
COMMUNE_CODE_DIGITS = 5  # official commune codes: "00004" … "32248"
PROVINCE_CODE_DIGITS = 2

# The words of the "Vai trò" column, folded, for each importable role; tried in this order (a "Cán
# bộ Sở Nội vụ" is a reviewer, a "Công chức giúp việc Chủ tịch" would be read as a chairman). The
# administrator role is refused: it is given in the admin site, one person at a time.
ROLE_PHRASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (Role.ADMINISTRATOR, ("quan tri", "admin", "administrator")),
    (Role.REVIEWER, ("tham dinh", "noi vu", "reviewer")),
    (Role.CHAIRMAN, ("chu tich", "chairman")),
    (Role.OFFICER, ("cong chuc", "can bo", "phu trach", "nhap lieu", "officer")),
)
# What the template's guide and the messages list as the words to write.
ROLE_WORDS = {
    Role.OFFICER: ("Công chức", "Công chức phụ trách CCHC", "Cán bộ", "Cán bộ phụ trách CCHC"),
    Role.CHAIRMAN: ("Chủ tịch", "Phó Chủ tịch", "Chủ tịch UBND", "Phó Chủ tịch UBND"),
    Role.REVIEWER: ("Thẩm định", "Nội vụ", "Sở Nội vụ", "Chuyên viên Sở Nội vụ"),
}
# A name as people write it: "UBND phường Tam Quan", "P. Tam Quan", "X. Hoài Châu".
NAME_PREFIXES = ("uy ban nhan dan ", "ubnd ")
ABBREVIATIONS = {"p": "phuong", "x": "xa", "tt": "thi tran", "dk": "dac khu"}

FULL_NAME_MAX = User._meta.get_field("full_name").max_length
POSITION_MAX = User._meta.get_field("job_title").max_length
PHONE_MAX = User._meta.get_field("phone").max_length
USERNAME_MAX = User._meta.get_field("username").max_length
EMAIL_MAX = User._meta.get_field("email").max_length


def unit_key(text: str) -> str:
    """A unit's name folded for matching: "UBND P. Tam Quan" → "phuong tam quan"."""
    key = " ".join(PUNCTUATION.sub(" ", fold(text)).split())
    for prefix in NAME_PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix) :]
    first, _space, rest = key.partition(" ")
    if first in ABBREVIATIONS and rest:
        key = f"{ABBREVIATIONS[first]} {rest}"
    return key


def lower_first(text: str) -> str:
    """ "Tỉnh Gia Lai" → "tỉnh Gia Lai", as it reads inside a sentence."""
    return text[:1].lower() + text[1:]


def read_role(text: str) -> tuple[str | None, bool]:
    """The role a "Vai trò" cell names and whether it is a vice-chairman; (None, False) for a word
    that is none of them."""
    words = f" {' '.join(PUNCTUATION.sub(' ', fold(text)).split())} "
    for role, phrases in ROLE_PHRASES:
        if any(f" {phrase} " in words for phrase in phrases):
            return role, role == Role.CHAIRMAN and words.startswith(" pho ")
    return None, False


@dataclass
class Scope:
    """Where a file's units are looked for: one province (``province``) and its communes, or every
    current province and commune (``province`` None: ``import_users`` without ``--province``)."""

    province: AdministrativeUnit | None
    provinces: list[AdministrativeUnit]
    communes: list[AdministrativeUnit]
    today: datetime.date

    @property
    def where(self) -> str:
        """Where, inside a sentence: "trong tỉnh Gia Lai", "trong danh sách xã, phường từ 01/7/2025"."""
        if self.province is not None:
            return _("trong %(province)s") % {"province": lower_first(self.province.name)}
        return _("trong danh sách xã, phường từ 01/7/2025")

    def alive(self, unit: AdministrativeUnit) -> bool:
        return (unit.valid_from is None or unit.valid_from <= self.today) and (
            unit.valid_to is None or unit.valid_to >= self.today
        )


def scope_of(province: AdministrativeUnit | None, *, today: datetime.date) -> Scope:
    """The scope of ``province`` (a current-era province), or the whole country for None. Two
    queries at most; communes no longer alive are kept, so that a row naming one says so."""
    communes = AdministrativeUnit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE).select_related(
        "parent"
    )
    if province is not None:
        communes = communes.filter(Q(parent=province) | Q(parent__parent=province))
        provinces = [province]
    else:
        provinces = list(AdministrativeUnit.objects.filter(era=Era.CURRENT, level=Level.PROVINCE))
    return Scope(province, provinces, list(communes.order_by("code")), today)


@dataclass
class CheckedRow:
    """A row read and checked on its own: its unit and role when they could be told."""

    source: SheetRow
    full_name: str
    job_title: str
    email: str
    phone: str
    username: str
    role: str | None = None
    vice: bool = False
    unit: AdministrativeUnit | None = None
    ok: bool = True

    @property
    def number(self) -> int:
        return self.source.row

    @property
    def person(self) -> tuple[str, str]:
        return fold(self.full_name), self.email.lower()


class Units:
    """The scope's units looked up by code and by name."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.communes = {unit.code: unit for unit in scope.communes}
        self.provinces = {unit.code: unit for unit in scope.provinces}
        self.commune_names: dict[str, list[AdministrativeUnit]] = {}
        self.commune_short: dict[str, list[AdministrativeUnit]] = {}
        for unit in scope.communes:
            self.commune_names.setdefault(unit_key(unit.name), []).append(unit)
            self.commune_short.setdefault(unit_key(unit.short_name), []).append(unit)
        self.province_names = {}
        for unit in scope.provinces:
            self.province_names[unit_key(unit.name)] = unit
            self.province_names[unit_key(unit.short_name)] = unit

    def commune_by_name(self, text: str) -> list[AdministrativeUnit]:
        key = unit_key(text)
        found = self.commune_names.get(key) or self.commune_short.get(key)
        if found:
            return found
        head, comma, tail = text.rpartition(",")  # "Phường Tam Quan, tỉnh Gia Lai"
        province = self.province_by_name(tail) if comma and head.strip() else None
        if province is not None:
            return [unit for unit in self.commune_by_name(head) if unit.parent_id == province.pk]
        return []

    def province_by_name(self, text: str) -> AdministrativeUnit | None:
        key = unit_key(text)
        found = self.province_names.get(key)
        if found is not None:
            return found
        padded = f" {key} "
        named = {unit.pk: unit for name, unit in self.province_names.items() if f" {name} " in padded}
        if len(named) == 1:
            return next(iter(named.values()))  # "Sở Nội vụ tỉnh Gia Lai"
        if not named and " noi vu " in padded and len(self.scope.provinces) == 1:
            return self.scope.provinces[0]  # "Sở Nội vụ"
        return None


class RowChecker:
    """Checks rows one by one, adding each problem to ``problems`` with its row and column."""

    def __init__(self, users: UsersFile, scope: Scope, units: Units, problems: list[ImportProblem]):
        self.users = users
        self.scope = scope
        self.units = units
        self.problems = problems
        self.unknown_codes: dict[int, tuple[CheckedRow, str]] = {}  # row -> (row, padded code)
        self.unknown_names: dict[int, tuple[CheckedRow, str]] = {}

    # Problems ----------------------------------------------------------------------------------

    def where(self, row: int, key: str | None) -> tuple[str | None, str]:
        """The letter of column ``key`` and how a message starts: "Dòng 7, cột E (Email): "."""
        column = self.users.column(key) if key else None
        if column is None:
            return None, _("Dòng %(row)s: ") % {"row": row}
        return column.letter, _("Dòng %(row)s, cột %(column)s: ") % {"row": row, "column": column.label}

    def error(self, row: CheckedRow | int, key: str | None, message: str) -> None:
        number = row if isinstance(row, int) else row.number
        if not isinstance(row, int):
            row.ok = False
        letter, start = self.where(number, key)
        self.problems.append(ImportProblem(self.users.sheet, number, letter, start + message))

    def unit_column(self, row: CheckedRow) -> str:
        """The column naming a row's unit: the code's when it has one."""
        if row.source.get(CODE) or self.users.column(UNIT) is None:
            return CODE
        return UNIT

    # One row -----------------------------------------------------------------------------------

    def row(self, source: SheetRow) -> CheckedRow:
        row = CheckedRow(
            source,
            full_name=source.get(FULL_NAME),
            job_title=source.get(POSITION),
            email=source.get(EMAIL),
            phone=source.get(PHONE),
            username=source.get(USERNAME),
        )
        self.person(row)
        self.role(row)
        if row.role is not None:
            self.unit(row)
        return row

    def person(self, row: CheckedRow) -> None:
        if not row.full_name:
            self.error(row, FULL_NAME, _("chưa ghi họ và tên. Mỗi tài khoản cần họ tên của người dùng."))
        elif len(row.full_name) > FULL_NAME_MAX:
            self.error(row, FULL_NAME, _("họ và tên dài quá %(max)s ký tự.") % {"max": FULL_NAME_MAX})
        if len(row.job_title) > POSITION_MAX:
            self.error(row, POSITION, _("chức vụ dài quá %(max)s ký tự.") % {"max": POSITION_MAX})
        if row.email:
            row.email = User.objects.normalize_email(row.email)
            try:
                validate_email(row.email)
                if len(row.email) > EMAIL_MAX:
                    raise ValidationError("too long")
            except ValidationError:
                self.error(
                    row,
                    EMAIL,
                    _(
                        "“%(email)s” không phải địa chỉ email hợp lệ. Hãy ghi một địa chỉ, ví dụ "
                        "nguyenvana@gialai.gov.vn, hoặc để trống để cấp mật khẩu dùng một lần."
                    )
                    % {"email": row.email},
                )
        if row.phone:
            digits = re.sub(r"\D", "", row.phone)
            if (
                not PHONE_CHARACTERS.fullmatch(row.phone)
                or not 8 <= len(digits) <= 15
                or len(row.phone) > PHONE_MAX
            ):
                self.error(
                    row,
                    PHONE,
                    _(
                        "không đọc được số điện thoại “%(phone)s”. Hãy ghi một số, chỉ gồm chữ số (có thể "
                        "cách nhau bằng dấu cách hoặc dấu chấm), ví dụ 0912 345 678."
                    )
                    % {"phone": row.phone},
                )
        if row.username:
            try:
                UnicodeUsernameValidator()(row.username)
                if len(row.username) > USERNAME_MAX:
                    raise ValidationError("too long")
            except ValidationError:
                self.error(
                    row,
                    USERNAME,
                    _(
                        "tên đăng nhập “%(username)s” không hợp lệ: chỉ gồm chữ, số và các dấu . @ + - _, "
                        "không có dấu cách, tối đa %(max)s ký tự (ví dụ tamquan.canbo)."
                    )
                    % {"username": row.username, "max": USERNAME_MAX},
                )

    def role(self, row: CheckedRow) -> None:
        text = row.source.get(ROLE)
        if not text:
            self.error(row, ROLE, _("chưa ghi vai trò. %(words)s") % {"words": role_advice()})
            return
        role, vice = read_role(text)
        if role == Role.ADMINISTRATOR:
            self.error(
                row,
                ROLE,
                _(
                    "vai trò quản trị viên không tạo được từ tệp: quản trị viên được giao trong trang "
                    "quản trị, từng người một. %(words)s"
                )
                % {"words": role_advice()},
            )
        elif role is None:
            self.error(
                row,
                ROLE,
                _("“%(text)s” không phải vai trò. %(words)s") % {"text": text, "words": role_advice()},
            )
        else:
            row.role, row.vice = role, vice

    def unit(self, row: CheckedRow) -> None:
        code, name = row.source.get(CODE), row.source.get(UNIT)
        if not code and not name:
            if row.role == Role.REVIEWER and len(self.scope.provinces) == 1:
                row.unit = self.scope.provinces[0]  # the Sở Nội vụ of the one province
                return
            self.error(
                row,
                CODE if self.users.column(CODE) else UNIT,
                _("chưa ghi mã hay tên xã, phường.")
                if row.role != Role.REVIEWER
                else _("chưa ghi mã hay tên tỉnh của cơ quan thẩm định."),
            )
            return
        if code:
            unit = self.by_code(row, code)
            if unit is None:
                return
            named = {unit_key(unit.name), unit_key(unit.short_name)}
            if (
                name
                and unit_key(name) not in named
                and not (unit.level == Level.PROVINCE and self.units.province_by_name(name) == unit)
            ):
                self.error(
                    row,
                    UNIT,
                    _(
                        "mã %(code)s (cột %(code_column)s) là %(unit)s nhưng tên ghi “%(name)s”. Hãy "
                        "sửa mã hoặc tên cho khớp."
                    )
                    % {
                        "code": unit.code,
                        "code_column": self.users.column(CODE).letter,
                        "unit": unit.name,
                        "name": name,
                    },
                )
                return
        else:
            unit = self.by_name(row, name)
            if unit is None:
                return
        self.fits(row, unit)

    def by_code(self, row: CheckedRow, code: str) -> AdministrativeUnit | None:
        digits = code.lstrip("0") or "0"
        if not code.isdigit() or not code.isascii() or len(digits) > COMMUNE_CODE_DIGITS:
            self.error(
                row,
                CODE,
                _("“%(code)s” không phải mã xã, phường (mã chính thức gồm 5 chữ số, ví dụ 21637).")
                % {"code": code},
            )
            return None
        commune = self.units.communes.get(digits.zfill(COMMUNE_CODE_DIGITS))
        province = self.units.provinces.get(digits.zfill(PROVINCE_CODE_DIGITS))
        # A reviewer's code is its province's ("52"); an officer's or a chairman's, its commune's
        # (Excel turned "00004" into 4, which is also a province's code).
        found = (province or commune) if row.role == Role.REVIEWER else (commune or province)
        if found is not None:
            return found
        if row.role == Role.REVIEWER and len(digits) <= PROVINCE_CODE_DIGITS:
            self.error(
                row,
                CODE,
                _("không có tỉnh nào mã %(code)s %(where)s: cơ quan thẩm định ghi mã tỉnh%(own)s.")
                % {
                    "code": digits.zfill(PROVINCE_CODE_DIGITS),
                    "where": self.scope.where,
                    "own": f" ({self.scope.province.code})" if self.scope.province else "",
                },
            )
            return None
        self.unknown_codes[row.number] = (row, digits.zfill(COMMUNE_CODE_DIGITS))
        row.ok = False
        return None

    def by_name(self, row: CheckedRow, name: str) -> AdministrativeUnit | None:
        communes = self.units.commune_by_name(name)
        province = self.units.province_by_name(name)
        if row.role == Role.REVIEWER and province is not None:
            return province
        if len(communes) > 1:
            candidates = "; ".join(
                f"{unit.name} ({_('mã')} {unit.code}, {unit.parent.name})" for unit in communes
            )
            self.error(
                row,
                UNIT,
                _("có nhiều xã, phường tên “%(name)s”: %(candidates)s. Hãy ghi mã xã vào cột “Mã xã”.")
                % {"name": name, "candidates": candidates},
            )
            return None
        if communes:
            return communes[0]
        if province is not None:
            return province
        self.unknown_names[row.number] = (row, name)
        row.ok = False
        return None

    def fits(self, row: CheckedRow, unit: AdministrativeUnit) -> None:
        """Whether the row's role fits ``unit``: a commune's roles on a commune alive today, the
        reviewer on the province itself."""
        column = self.unit_column(row)
        if row.role == Role.REVIEWER and unit.level != Level.PROVINCE:
            self.error(
                row,
                ROLE,
                _(
                    "vai trò thẩm định (Sở Nội vụ) chỉ giao cho tỉnh, không cho %(unit)s. Hãy ghi “Công "
                    "chức” hoặc “Chủ tịch”, hoặc ghi mã tỉnh%(code)s ở cột đơn vị."
                )
                % {
                    "unit": unit.name,
                    "code": f" ({self.scope.province.code})" if self.scope.province else "",
                },
            )
            return
        if row.role in (Role.OFFICER, Role.CHAIRMAN) and unit.level != Level.COMMUNE:
            self.error(
                row,
                ROLE,
                _(
                    "vai trò “%(role)s” chỉ giao cho xã, phường, không cho %(unit)s. Hãy ghi mã xã, hoặc "
                    "ghi vai trò “Thẩm định” cho cán bộ Sở Nội vụ."
                )
                % {"role": Role(row.role).label, "unit": unit.name},
            )
            return
        if unit.level == Level.COMMUNE and not self.scope.alive(unit):
            if unit.valid_to and unit.valid_to < self.scope.today:
                message = _("%(unit)s (mã %(code)s) đã thôi hoạt động từ sau ngày %(day)s.") % {
                    "unit": unit.name,
                    "code": unit.code,
                    "day": unit.valid_to.strftime("%d/%m/%Y"),
                }
            else:
                message = _("%(unit)s (mã %(code)s) chỉ có hiệu lực từ ngày %(day)s.") % {
                    "unit": unit.name,
                    "code": unit.code,
                    "day": unit.valid_from.strftime("%d/%m/%Y"),
                }
            self.error(row, column, message)
            return
        # The model's own rule, as membership_grant applies it (no query: the unit is loaded).
        try:
            Membership(unit=unit, role=row.role).clean()
        except ValidationError as error:
            self.error(row, ROLE, " ".join(error.messages))
            return
        row.unit = unit

    # Units outside the scope -------------------------------------------------------------------

    def elsewhere(self) -> None:
        """Say where the units named but not found are: another province, the district era, or
        nowhere. One or two queries, only when some row needs them."""
        codes = {code for _row, code in self.unknown_codes.values()}
        found: dict[str, list[AdministrativeUnit]] = {}
        successors: dict[int, list[AdministrativeUnit]] = {}
        if codes:
            for unit in AdministrativeUnit.objects.filter(level=Level.COMMUNE, code__in=codes).select_related(
                "parent__parent"
            ):
                found.setdefault(unit.code, []).append(unit)
            legacy = [unit.pk for units in found.values() for unit in units if unit.era == Era.LEGACY]
            if legacy:
                for link in UnitSuccession.objects.filter(predecessor_id__in=legacy).select_related(
                    "successor"
                ):
                    successors.setdefault(link.predecessor_id, []).append(link.successor)
        for row, code in self.unknown_codes.values():
            units = found.get(code, [])
            current = next((unit for unit in units if unit.era == Era.CURRENT), None)
            old = next((unit for unit in units if unit.era == Era.LEGACY), None)
            if current is not None:
                message = _("mã %(code)s là %(unit)s thuộc %(province)s, không có %(where)s.") % {
                    "code": code,
                    "unit": current.name,
                    "province": current.parent.name if current.parent else "",
                    "where": self.scope.where,
                }
            elif old is not None:
                now = "; ".join(f"{unit.name} ({_('mã')} {unit.code})" for unit in successors.get(old.pk, []))
                message = _(
                    "mã %(code)s là %(unit)s của trước ngày 01/7/2025%(now)s. Hãy ghi mã xã, phường hiện nay."
                ) % {
                    "code": code,
                    "unit": old.name,
                    "now": (_(", nay thuộc %(units)s") % {"units": now}) if now else "",
                }
            else:
                message = _("không có xã, phường nào mã %(code)s %(where)s.") % {
                    "code": code,
                    "where": self.scope.where,
                }
            self.error(row, CODE, message)
        names = {row.number: unit_key(name) for row, name in self.unknown_names.values()}
        outside: dict[str, list[AdministrativeUnit]] = {}
        if names and self.scope.province is not None:
            keys = set(names.values())
            variants = keys | {f"{kind} {key}" for key in keys for kind in ("xa", "phuong", "dac khu")}
            for unit in AdministrativeUnit.objects.filter(
                era=Era.CURRENT, level=Level.COMMUNE, search_key__in=variants
            ).select_related("parent"):
                for key in keys:
                    if unit_key(unit.name) in (key, f"xa {key}", f"phuong {key}", f"dac khu {key}"):
                        outside.setdefault(key, []).append(unit)
        for row, name in self.unknown_names.values():
            units = outside.get(names[row.number], [])
            if units:
                message = _("“%(name)s” là %(units)s, không có %(where)s.") % {
                    "name": name,
                    "units": "; ".join(
                        f"{unit.name} ({_('mã')} {unit.code}, {unit.parent.name})" for unit in units
                    ),
                    "where": self.scope.where,
                }
            else:
                message = _(
                    "không có xã, phường nào tên “%(name)s” %(where)s. Hãy kiểm tra tên hoặc ghi mã xã."
                ) % {
                    "name": name,
                    "where": self.scope.where,
                }
            self.error(row, UNIT, message)


ROLE_ADVICE = gettext_lazy(
    "Ghi một trong các vai trò: “Công chức” (công chức phụ trách CCHC của xã), “Chủ tịch” hoặc “Phó Chủ "
    "tịch” (UBND xã), “Thẩm định” (Sở Nội vụ, ghi cho tỉnh)."
)


def role_advice() -> str:
    return str(ROLE_ADVICE)
