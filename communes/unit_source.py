"""The official lists of administrative units, read from the ``vietnamadminunits`` package.

The package (MIT) ships both lists in an SQLite file and the old-to-new mapping of the
2025 merger as dictionaries keyed by its own normalised names ("tinhbinhdinh",
"thixahoainhon", "xahoaichau"). This module turns them into plain rows and links.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from vietnamadminunits.converter import converter_2025
from vietnamadminunits.database import query

from .models import Kind, Level

KINDS = {
    "Tỉnh": Kind.TINH,
    "Thành phố": Kind.THANH_PHO,
    "Huyện": Kind.HUYEN,
    "Quận": Kind.QUAN,
    "Thị xã": Kind.THI_XA,
    "Xã": Kind.XA,
    "Phường": Kind.PHUONG,
    "Thị trấn": Kind.THI_TRAN,
    "Đặc khu": Kind.DAC_KHU,
}


@dataclass(frozen=True)
class UnitRow:
    level: int
    code: str
    kind: str
    name: str
    short_name: str
    parent_code: str | None
    province_code: str


@dataclass(frozen=True)
class SuccessionLink:
    old_level: int
    old_code: str
    new_level: int
    new_code: str
    is_primary: bool


def _province_kind(name: str) -> str:
    return Kind.THANH_PHO if name.startswith("Thành phố") else Kind.TINH


def _province_row(record: dict) -> UnitRow:
    return UnitRow(
        level=Level.PROVINCE,
        code=record["provinceCode"],
        kind=_province_kind(record["province"]),
        name=record["province"],
        short_name=record["provinceShort"],
        parent_code=None,
        province_code=record["provinceCode"],
    )


@cache
def current_units() -> tuple[UnitRow, ...]:
    """The 2025 list: 34 provinces and their 3,321 communes, wards and special zones."""
    records = query(
        "SELECT province, provinceShort, provinceCode, ward, wardShort, wardType, wardCode "
        "FROM admin_units ORDER BY provinceCode, wardCode"
    )
    rows: dict[tuple[int, str], UnitRow] = {}
    for record in records:
        rows.setdefault((Level.PROVINCE, record["provinceCode"]), _province_row(record))
        rows[(Level.COMMUNE, record["wardCode"])] = UnitRow(
            level=Level.COMMUNE,
            code=record["wardCode"],
            kind=KINDS[record["wardType"]],
            name=record["ward"],
            short_name=record["wardShort"],
            parent_code=record["provinceCode"],
            province_code=record["provinceCode"],
        )
    return tuple(rows.values())


@cache
def legacy_units() -> tuple[UnitRow, ...]:
    """The list before 1 July 2025: 63 provinces, 696 districts, 10,035 communes.

    Five island districts (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) have no commune.
    """
    records = query(
        "SELECT province, provinceShort, provinceCode, district, districtShort, districtType, "
        "districtCode, ward, wardShort, wardType, wardCode "
        "FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"
    )
    rows: dict[tuple[int, str], UnitRow] = {}
    for record in records:
        province = record["provinceCode"]
        rows.setdefault((Level.PROVINCE, province), _province_row(record))
        rows.setdefault(
            (Level.DISTRICT, record["districtCode"]),
            UnitRow(
                level=Level.DISTRICT,
                code=record["districtCode"],
                kind=KINDS[record["districtType"]],
                name=record["district"],
                short_name=record["districtShort"],
                parent_code=province,
                province_code=province,
            ),
        )
        if record["wardCode"]:
            rows[(Level.COMMUNE, record["wardCode"])] = UnitRow(
                level=Level.COMMUNE,
                code=record["wardCode"],
                kind=KINDS[record["wardType"]],
                name=record["ward"],
                short_name=record["wardShort"],
                parent_code=record["districtCode"],
                province_code=province,
            )
    return tuple(rows.values())


@cache
def successions() -> tuple[SuccessionLink, ...]:
    """Old unit → new unit links of the 2025 merger, by official codes.

    Every old province goes to the new province that absorbed it; every old commune to
    its new commune (a commune split in several goes to each, the package's default one
    as primary); an island district without communes goes to its special zone.
    """
    new_provinces: dict[str, str] = {}
    new_communes: dict[tuple[str, str], str] = {}
    for record in query("SELECT provinceKey, provinceCode, wardKey, wardCode FROM admin_units"):
        new_provinces[record["provinceKey"]] = record["provinceCode"]
        new_communes[(record["provinceKey"], record["wardKey"])] = record["wardCode"]

    old_provinces: dict[str, str] = {}
    old_units: dict[str, tuple[int, str]] = {}
    for record in query(
        "SELECT provinceKey, provinceCode, districtKey, districtCode, wardKey, wardCode "
        "FROM admin_units_legacy"
    ):
        old_provinces[record["provinceKey"]] = record["provinceCode"]
        key = f"{record['provinceKey']}_{record['districtKey']}_{record['wardKey'] or ''}"
        if record["wardCode"]:
            old_units[key] = (Level.COMMUNE, record["wardCode"])
        else:
            old_units[key] = (Level.DISTRICT, record["districtCode"])

    links: list[SuccessionLink] = []
    for new_key, old_keys in converter_2025.DICT_PROVINCE.items():
        for old_key in old_keys:
            links.append(
                SuccessionLink(
                    Level.PROVINCE, old_provinces[old_key], Level.PROVINCE, new_provinces[new_key], True
                )
            )
    for province_key, wards in converter_2025.DICT_PROVINCE_WARD_NO_DIVIDED.items():
        for ward_key, old_keys in wards.items():
            for old_key in old_keys:
                old_level, old_code = old_units[old_key]
                new_code = new_communes[(province_key, ward_key)]
                links.append(SuccessionLink(old_level, old_code, Level.COMMUNE, new_code, True))
    for province_key, divided in converter_2025.DICT_PROVINCE_WARD_DIVIDED.items():
        for old_key, new_wards in divided.items():
            old_level, old_code = old_units[old_key]
            for ward in new_wards:
                new_code = new_communes[(province_key, ward["newWardKey"])]
                links.append(
                    SuccessionLink(old_level, old_code, Level.COMMUNE, new_code, ward["isDefaultNewWard"])
                )
    return tuple(links)
