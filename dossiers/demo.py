"""Demo dossier figures that reproduce the seeds (shared/seeds), and plausible ones around them.

- Hoài Châu 2023 (seed 000): 1.292 dossiers resolved, 1.184 online (91,64 %), 586 online
  payments of 618 dossiers with fees (94,82 %); entered month by month.
- Tùng Châu (seed 004): 2021 and 2022 as yearly reports, 2023 month by month to August, by
  lĩnh vực as published; 464 on time and 1 late with its apology. Hà Tĩnh counts calendar
  months here, as the seed's "01/01/2021 đến 31/8/2023" does. The seed gives 2022's total
  (70) but not its split by lĩnh vực: that split is illustrative.
- Hiệp Đức 2023 to August (seed 001): xã Hiệp Thuận and Quế Lưu with no online dossier.
- Phước Hưng, first half of 2024 (seed 002): 673 online dossiers, 99,9 % on time or early.
- The other communes of Hoài Nhơn, Gio Linh: plausible figures from a fixed random seed, with
  every workflow state somewhere (approved, submitted, returned, draft, missing).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from django.db import transaction

from communes.models import COMMUNE_ROLES, AdministrativeUnit, Era, Level, User
from communes.services import membership_grant
from core import periods

from .figures import Figures
from .models import DossierReport, Period, ProcedureField, ReportingCalendar
from .services import (
    dossier_report_approve,
    dossier_report_return,
    dossier_report_save,
    dossier_report_submit,
)


def split(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split in proportion to ``weights``, in whole numbers that add up exactly
    (largest remainder)."""
    weight_sum = sum(weights)
    exact = [total * w / weight_sum for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _field(name: str) -> ProcedureField:
    return ProcedureField.objects.get(name=name)


def _unit(era: str, level: int, code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(era=era, level=level, code=code)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _desk(commune: AdministrativeUnit) -> User:
    """An account for a commune the demo has no named people for: officer and chairman in one,
    with no password, so that its reports have an author in their history but nobody logs in."""
    user, created = User.objects.get_or_create(
        username=f"demo.{commune.code}",
        defaults={"full_name": f"Bộ phận Một cửa {commune.name}", "job_title": "Tài khoản mẫu"},
    )
    if created:
        user.set_unusable_password()
        user.save()
        for role in COMMUNE_ROLES:
            membership_grant(user=user, unit=commune, role=role)
    return user


class _Flow:
    """Saves a report through the services and moves it to the wanted state."""

    def __init__(self, *, officer: User, chairman: User, reviewer: User):
        self.officer, self.chairman, self.reviewer = officer, chairman, reviewer

    def report(self, unit: AdministrativeUnit, code: str, lines: dict[int, Figures], state: str = "approved"):
        period = Period.for_code(code)
        if DossierReport.objects.filter(unit=unit, period=period).exists():
            return
        report = dossier_report_save(
            unit=unit, period=period, user=self.officer, lines=lines, expected_version=0
        )
        if state == "draft":
            return
        report = dossier_report_submit(
            report=report, user=self.chairman, expected_version=report.version, confirm_warnings=True
        )
        if state == "approved":
            dossier_report_approve(report=report, user=self.reviewer)
        elif state == "returned":
            dossier_report_return(
                report=report,
                user=self.reviewer,
                reason=(
                    "Số hồ sơ lĩnh vực Chứng thực chưa khớp với sổ theo dõi của Bộ phận Một cửa; "
                    "đề nghị xã rà soát."
                ),
            )


HOAI_CHAU_FIELDS = {
    "Hộ tịch": 40,
    "Chứng thực": 30,
    "Đất đai": 12,
    "Bảo trợ xã hội": 8,
    "Người có công": 4,
    "Kinh doanh hộ cá thể": 3,
    "Xây dựng": 3,
}
FEE_FIELDS = ("Hộ tịch", "Chứng thực", "Đất đai", "Kinh doanh hộ cá thể", "Xây dựng")
MONTH_WEIGHTS = [7, 8, 9, 9, 8, 8, 9, 9, 8, 8, 8, 9]


def _hoai_chau_2023(flow: _Flow, unit: AdministrativeUnit) -> None:
    names = list(HOAI_CHAU_FIELDS)
    weights = list(HOAI_CHAU_FIELDS.values())
    online = [split(m, weights) for m in split(1184, MONTH_WEIGHTS)]
    in_person = [split(m, weights) for m in split(108, MONTH_WEIGHTS)]
    received = [[online[m][f] + in_person[m][f] for f in range(len(names))] for m in range(12)]
    fee_cells = [(m, f) for m in range(12) for f, name in enumerate(names) if name in FEE_FIELDS]
    fees = dict(zip(fee_cells, split(618, [received[m][f] for m, f in fee_cells]), strict=True))
    payments = dict(fees)
    for cell in sorted(fee_cells, key=fees.__getitem__, reverse=True)[: 618 - 586]:
        payments[cell] -= 1  # 32 dossiers with fees were paid in cash
    for month in range(12):
        lines = {}
        for f, name in enumerate(names):
            total = received[month][f]
            early = total // 4
            lines[_field(name).pk] = Figures(
                received_online=online[month][f],
                received_in_person=in_person[month][f],
                resolved_early=early,
                resolved_on_time=total - early,
                online_payments=payments.get((month, f), 0),
                dossiers_with_fees=fees.get((month, f), 0),
                digitised_results=total * 6 // 10,
            )
        flow.report(unit, f"2023-{month + 1:02d}", lines)


def _tung_chau(flow: _Flow, unit: AdministrativeUnit) -> None:
    ReportingCalendar.objects.get_or_create(
        province=unit.parent.parent, defaults={"calendar": periods.Calendar.CALENDAR.value}
    )

    def in_person(total: int, late: int = 0) -> Figures:
        return Figures(
            received_in_person=total,
            resolved_on_time=total - late,
            resolved_late=late,
            apology_letters=late,
        )

    flow.report(
        unit,
        "2021",
        {
            _field("Bảo hiểm xã hội").pk: in_person(2),
            _field("Bảo trợ xã hội").pk: in_person(48),
            _field("Người có công").pk: in_person(12),
        },
    )
    flow.report(  # 70 in all (seed 004); the split by lĩnh vực is illustrative
        unit,
        "2022",
        {
            _field("Hộ tịch").pk: in_person(30),
            _field("Chứng thực").pk: in_person(20),
            _field("Bảo trợ xã hội").pk: in_person(12),
            _field("Người có công").pk: in_person(8),
        },
    )
    fields_2023 = {"Đất đai": 17, "Hộ tịch": 191, "Bảo trợ xã hội": 36, "Người có công": 6, "Chứng thực": 83}
    by_month = {name: split(total, [1] * 8) for name, total in fields_2023.items()}
    for month in range(8):
        lines = {}
        for name in fields_2023:
            late = 1 if (name, month) == ("Hộ tịch", 4) else 0  # the one late dossier, May 2023
            lines[_field(name).pk] = in_person(by_month[name][month], late)
        flow.report(unit, f"2023-{month + 1:02d}", lines)


def _plausible(rng: random.Random, *, size: int, online_share: float) -> dict[int, Figures]:
    lines = {}
    for name in rng.sample(list(HOAI_CHAU_FIELDS), k=rng.randint(3, 6)):
        total = max(1, int(size * HOAI_CHAU_FIELDS[name] / 100 * rng.uniform(0.6, 1.4)))
        online = int(total * online_share * rng.uniform(0.85, 1.1)) if online_share else 0
        online = min(online, total)
        late = 1 if rng.random() < 0.08 and total > 3 else 0
        early = total // 5
        fees = total // 3 if name in FEE_FIELDS else 0
        lines[_field(name).pk] = Figures(
            received_online=online,
            received_in_person=total - online,
            resolved_early=early,
            resolved_on_time=total - early - late,
            resolved_late=late,
            apology_letters=late if rng.random() < 0.7 else 0,
            dossiers_with_fees=fees,
            online_payments=int(fees * rng.uniform(0.5, 1.0)),
            digitised_results=total // 2,
        )
    return lines


def _hiep_duc_2023(reviewer: User, rng: random.Random) -> None:
    hiep_duc = _unit(Era.LEGACY, Level.DISTRICT, "512")
    for commune in hiep_duc.children.order_by("name"):
        if commune.valid_from:  # xã Quế Tân only exists from December 2024
            continue
        desk = _desk(commune)
        flow = _Flow(officer=desk, chairman=desk, reviewer=reviewer)
        share = 0.0 if commune.short_name in ("Hiệp Thuận", "Quế Lưu") else rng.uniform(0.3, 0.75)
        for month in range(1, 9):
            flow.report(
                commune, f"2023-{month:02d}", _plausible(rng, size=rng.randint(20, 45), online_share=share)
            )


def _phuoc_hung_2024(flow: _Flow, unit: AdministrativeUnit) -> None:
    online = split(673, [1] * 6)
    resolved = split(1000, [1] * 6)
    for month in range(6):
        late = 1 if month == 2 else 0
        ho_tich_online = online[month] * 6 // 10
        ho_tich_total = resolved[month] * 6 // 10
        flow.report(
            unit,
            f"2024-{month + 1:02d}",
            {
                _field("Hộ tịch").pk: Figures(
                    received_online=ho_tich_online,
                    received_in_person=ho_tich_total - ho_tich_online,
                    resolved_on_time=ho_tich_total - late,
                    resolved_late=late,
                    apology_letters=late,
                ),
                _field("Chứng thực").pk: Figures(
                    received_online=online[month] - ho_tich_online,
                    received_in_person=(resolved[month] - ho_tich_total) - (online[month] - ho_tich_online),
                    resolved_early=(resolved[month] - ho_tich_total) // 3,
                    resolved_on_time=(resolved[month] - ho_tich_total)
                    - (resolved[month] - ho_tich_total) // 3,
                ),
            },
        )


def _hoai_nhon_2024(flow_for, rng: random.Random) -> None:
    """Every commune of Hoài Nhơn, 2024, with each workflow state somewhere in December."""
    hoai_nhon = _unit(Era.LEGACY, Level.DISTRICT, "543")
    december = ["approved", "submitted", "submitted", "returned", "draft", None]
    for index, commune in enumerate(hoai_nhon.children.order_by("code")):
        flow = flow_for(commune)
        share = rng.uniform(0.55, 0.95)
        for month in range(1, 13):
            state = "approved" if month < 12 else december[index % len(december)]
            if state is None:
                continue  # not sent: overdue in the reviewer's inbox
            flow.report(
                commune,
                f"2024-{month:02d}",
                _plausible(rng, size=rng.randint(60, 140), online_share=share),
                state,
            )


@transaction.atomic
def seed_dossiers() -> None:
    """The dossier figures of the demo. Running it again changes nothing."""
    rng = random.Random(2023)  # noqa: S311 (demo figures, not security)
    reviewer_hn = _user("hoainhon.noivu")
    hoai_chau = _unit(Era.LEGACY, Level.COMMUNE, "21649")
    hoai_chau_flow = _Flow(
        officer=_user("hoaichau.canbo"), chairman=_user("hoaichau.chutich"), reviewer=reviewer_hn
    )
    _hoai_chau_2023(hoai_chau_flow, hoai_chau)

    def flow_for(commune: AdministrativeUnit) -> _Flow:
        if commune == hoai_chau:
            return hoai_chau_flow
        desk = _desk(commune)
        return _Flow(officer=desk, chairman=desk, reviewer=reviewer_hn)

    _hoai_nhon_2024(flow_for, rng)
    tung_chau = _unit(Era.LEGACY, Level.COMMUNE, "18241")
    _tung_chau(
        _Flow(officer=_user("tungchau.canbo"), chairman=_desk(tung_chau), reviewer=_user("ductho.noivu")),
        tung_chau,
    )
    _hiep_duc_2023(_user("hiepduc.noivu"), rng)
    phuoc_hung = _unit(Era.LEGACY, Level.COMMUNE, "21961")
    _phuoc_hung_2024(
        _Flow(
            officer=_desk(phuoc_hung), chairman=_user("phuochung.chutich"), reviewer=_user("tuyphuoc.noivu")
        ),
        phuoc_hung,
    )
