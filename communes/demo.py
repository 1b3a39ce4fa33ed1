"""Demo units, offices and people: the places of the five seeds, before and after 2025.

The seeds (shared/seeds) name the units; the officers are invented. The chairmen
of Hoài Châu, Gio Sơn and the Tuy Phước commune carry the names the published
seeds give them, because their reports will be signed with those names.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from .models import AdministrativeUnit, Era, Kind, Level, Role, UnitSuccession, User
from .services import membership_grant, offices_ensure, units_load

DEMO_PASSWORD = "cchc@2025"

# Provinces whose units the demo needs: legacy codes, then 2025 codes.
LEGACY_PROVINCES = ["52", "45", "42", "49"]  # Bình Định, Quảng Trị, Hà Tĩnh, Quảng Nam
CURRENT_PROVINCES = ["52", "44", "42", "48"]  # Gia Lai, Quảng Trị, Hà Tĩnh, Đà Nẵng

LEGACY_OFFICES = [
    "Văn phòng - Thống kê",
    "Tư pháp - Hộ tịch",
    "Địa chính - Xây dựng",
    "Tài chính - Kế toán",
    "Văn hóa - Xã hội",
    "Bộ phận Tiếp nhận và trả kết quả",
]
CURRENT_OFFICES = [
    "Văn phòng HĐND và UBND",
    "Phòng Kinh tế",
    "Phòng Văn hóa - Xã hội",
    "Trung tâm Phục vụ hành chính công",
]

# In 2023 huyện Hiệp Đức had 11 xã, thị trấn (seed 001). Nghị quyết 1241/NQ-UBTVQH15
# of 24/10/2024 merged two of them, Hiệp Hòa and Hiệp Thuận, into the new xã Quế Tân
# (in force from 01/12/2024), so the package's list, made after it, has 10. Their
# official codes are not in the package, so the demo gives them codes that are
# plainly not official.
MERGER_2024 = datetime.date(2024, 12, 1)
MERGED_BEFORE_2025 = [
    ("demo-hiephoa", "Xã Hiệp Hòa", "Hiệp Hòa"),
    ("demo-hiepthuan", "Xã Hiệp Thuận", "Hiệp Thuận"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    job_title: str
    role: str
    units: tuple[tuple[str, int, str], ...]  # (era, level, code) of each unit
    superuser: bool = False

    @property
    def email(self) -> str:
        """The present's people have an address (mail goes to the console under ``make run``),
        except An Lão's, the commune the reviewer must telephone; the district era's have none.
        ``.invalid`` is reserved: no such address can ever receive mail."""
        present = any(era == Era.CURRENT for era, _level, _code in self.units) or not self.units
        if not present or AN_LAO in self.units:
            return ""
        return f"{self.username}@demo.invalid"


HOAI_CHAU = (Era.LEGACY, Level.COMMUNE, "21649")
HOAI_CHAU_BAC = (Era.LEGACY, Level.COMMUNE, "21646")
HOAI_NHON = (Era.LEGACY, Level.DISTRICT, "543")
GIO_SON = (Era.LEGACY, Level.COMMUNE, "19537")
GIO_LINH = (Era.LEGACY, Level.DISTRICT, "466")
TUNG_CHAU = (Era.LEGACY, Level.COMMUNE, "18241")
DUC_THO = (Era.LEGACY, Level.DISTRICT, "440")
HIEP_DUC = (Era.LEGACY, Level.DISTRICT, "512")
PHUOC_HUNG = (Era.LEGACY, Level.COMMUNE, "21961")  # xã Phước Hưng: seed 002 names its villages
TUY_PHUOC = (Era.LEGACY, Level.DISTRICT, "550")
TAM_QUAN = (Era.CURRENT, Level.COMMUNE, "21637")  # Hoài Châu's successor since 1/7/2025
HOAI_NHON_BAC = (Era.CURRENT, Level.COMMUNE, "21655")  # Hoài Châu Bắc's successor (with others)
QUY_NHON_BAC = (Era.CURRENT, Level.COMMUNE, "21553")
AN_LAO = (Era.CURRENT, Level.COMMUNE, "21609")
AN_KHE = (Era.CURRENT, Level.COMMUNE, "23617")  # from the former Gia Lai
GIA_LAI = (Era.CURRENT, Level.PROVINCE, "52")

USERS = [
    DemoUser("hoaichau.canbo", "Lê Thị Thu Hà", "Công chức Văn phòng - Thống kê", Role.OFFICER, (HOAI_CHAU,)),
    DemoUser("hoaichau.chutich", "Trần Quốc Toàn", "Chủ tịch UBND xã", Role.CHAIRMAN, (HOAI_CHAU,)),
    DemoUser(
        "hoaichau.phochutich",
        "Nguyễn Văn Sơn",
        "Phó Chủ tịch UBND xã",
        Role.CHAIRMAN,
        (HOAI_CHAU, HOAI_CHAU_BAC),
    ),
    DemoUser(
        "hoaichaubac.canbo", "Phạm Văn Bình", "Công chức Văn phòng - Thống kê", Role.OFFICER, (HOAI_CHAU_BAC,)
    ),
    DemoUser("hoainhon.noivu", "Võ Thị Mai", "Chuyên viên Phòng Nội vụ", Role.REVIEWER, (HOAI_NHON,)),
    DemoUser("gioson.canbo", "Hoàng Thị Lan", "Công chức Văn phòng - Thống kê", Role.OFFICER, (GIO_SON,)),
    DemoUser("gioson.chutich", "Đỗ An Chung", "Chủ tịch UBND xã", Role.CHAIRMAN, (GIO_SON,)),
    DemoUser("giolinh.noivu", "Lê Văn Hùng", "Chuyên viên Phòng Nội vụ", Role.REVIEWER, (GIO_LINH,)),
    DemoUser(
        "tungchau.canbo", "Trần Thị Hương", "Công chức Văn phòng - Thống kê", Role.OFFICER, (TUNG_CHAU,)
    ),
    DemoUser("ductho.noivu", "Nguyễn Văn Thành", "Chuyên viên Phòng Nội vụ", Role.REVIEWER, (DUC_THO,)),
    DemoUser("hiepduc.noivu", "Phan Thị Ngọc", "Chuyên viên Phòng Nội vụ", Role.REVIEWER, (HIEP_DUC,)),
    DemoUser("phuochung.chutich", "Lê Quốc Dũng", "Chủ tịch UBND xã", Role.CHAIRMAN, (PHUOC_HUNG,)),
    DemoUser("tuyphuoc.noivu", "Huỳnh Văn Tâm", "Chuyên viên Phòng Nội vụ", Role.REVIEWER, (TUY_PHUOC,)),
    # The present (since 1/7/2025): Tỉnh Gia Lai and some of its communes. Invented names.
    DemoUser("tamquan.canbo", "Đặng Thị Kim", "Công chức Văn phòng HĐND và UBND", Role.OFFICER, (TAM_QUAN,)),
    DemoUser("tamquan.chutich", "Nguyễn Hữu Phước", "Chủ tịch UBND phường", Role.CHAIRMAN, (TAM_QUAN,)),
    DemoUser(
        "hoainhonbac.canbo",
        "Lý Thị Ngọc Anh",
        "Công chức Văn phòng HĐND và UBND",
        Role.OFFICER,
        (HOAI_NHON_BAC,),
    ),
    DemoUser("hoainhonbac.chutich", "Võ Đình Khải", "Chủ tịch UBND phường", Role.CHAIRMAN, (HOAI_NHON_BAC,)),
    DemoUser(
        "quynhonbac.canbo",
        "Trịnh Thị Thanh Thảo",
        "Công chức Văn phòng HĐND và UBND",
        Role.OFFICER,
        (QUY_NHON_BAC,),
    ),
    DemoUser("quynhonbac.chutich", "Hà Văn Định", "Chủ tịch UBND phường", Role.CHAIRMAN, (QUY_NHON_BAC,)),
    DemoUser("anlao.canbo", "Đinh Văn Nhân", "Công chức Văn phòng HĐND và UBND", Role.OFFICER, (AN_LAO,)),
    DemoUser("anlao.chutich", "Phạm Ngọc Sang", "Chủ tịch UBND xã", Role.CHAIRMAN, (AN_LAO,)),
    DemoUser("ankhe.canbo", "Ksor H'Lan", "Công chức Văn phòng HĐND và UBND", Role.OFFICER, (AN_KHE,)),
    DemoUser("ankhe.chutich", "Rơ Mah Thuận", "Chủ tịch UBND phường", Role.CHAIRMAN, (AN_KHE,)),
    DemoUser("gialai.sonoivu", "Trương Văn Lực", "Chuyên viên Sở Nội vụ", Role.REVIEWER, (GIA_LAI,)),
    DemoUser(
        "gialai.quantri", "Bùi Minh Khoa", "Quản trị hệ thống, Sở Nội vụ", Role.ADMINISTRATOR, (GIA_LAI,)
    ),
    DemoUser("quantri", "Quản trị hệ thống", "Quản trị toàn quốc", Role.ADMINISTRATOR, (), superuser=True),
]


def _unit(key: tuple[str, int, str]) -> AdministrativeUnit:
    era, level, code = key
    return AdministrativeUnit.objects.get(era=era, level=level, code=code)


def _add_merged_communes() -> None:
    hiep_duc = _unit(HIEP_DUC)
    que_tan = AdministrativeUnit.objects.get(era=Era.LEGACY, parent=hiep_duc, short_name="Quế Tân")
    if que_tan.valid_from != MERGER_2024:
        que_tan.valid_from = MERGER_2024
        que_tan.save(update_fields=["valid_from"])
    for code, name, short_name in MERGED_BEFORE_2025:
        unit, _created = AdministrativeUnit.objects.get_or_create(
            era=Era.LEGACY,
            level=Level.COMMUNE,
            code=code,
            defaults={
                "kind": Kind.XA,
                "name": name,
                "short_name": short_name,
                "parent": hiep_duc,
                "valid_to": MERGER_2024 - datetime.timedelta(days=1),
            },
        )
        UnitSuccession.objects.get_or_create(predecessor=unit, successor=que_tan)


@transaction.atomic
def seed_units_and_people() -> list[DemoUser]:
    """Load the demo's provinces, add its offices and users. Running it again changes nothing."""
    units_load(legacy=True, province_codes=LEGACY_PROVINCES)
    units_load(legacy=False, province_codes=CURRENT_PROVINCES)
    _add_merged_communes()

    for demo in USERS:
        user, created = User.objects.get_or_create(
            username=demo.username,
            defaults={"full_name": demo.full_name, "job_title": demo.job_title, "email": demo.email},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_superuser = user.is_staff = demo.superuser
            user.save()
        for key in demo.units:
            unit = _unit(key)
            membership_grant(user=user, unit=unit, role=demo.role)
            if unit.level == Level.COMMUNE:
                offices_ensure(
                    unit=unit, names=CURRENT_OFFICES if unit.era == Era.CURRENT else LEGACY_OFFICES
                )
    return USERS
