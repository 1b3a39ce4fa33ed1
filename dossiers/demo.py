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
- The present (demo, invented): every commune of Tỉnh Gia Lai from 7/2025 to the latest month
  already due on the day it runs, each continuing the size, online share and lĩnh vực of its
  predecessors where the demo has their 2024 figures (Phường Tam Quan: the former phường Tam Quan
  and xã Hoài Châu), otherwise sized by the kind of its predecessors (phường bigger than xã). Each
  month's "từ kỳ trước" is the month before's "đang giải quyết". The months are approved, a few
  sent late; the latest shows every state: approved, waiting in the Sở's inbox, returned with a
  reason, draft (Tam Quan's, entered by tamquan.canbo for tamquan.chutich to send) and not sent.
  Written in bulk with the history the services would have written (``_present``).
"""

from __future__ import annotations

import contextlib
import datetime
import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone

from communes.models import (
    COMMUNE_ROLES,
    AdministrativeUnit,
    Era,
    Kind,
    Level,
    Membership,
    UnitSuccession,
    User,
)
from communes.services import membership_grant
from core import periods

from .figures import COLUMN_NAMES, Figures
from .models import (
    ChangeAction,
    DossierChange,
    DossierLine,
    DossierReport,
    Period,
    ProcedureField,
    ReportingCalendar,
    ReportStatus,
)
from .selectors import add_working_days, calendar_for, due_date, latest_due_month
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


STEP_ACTIONS = (ChangeAction.SUBMIT, ChangeAction.APPROVE, ChangeAction.RETURN)


class _Flow:
    """Saves a report through the services and moves it to the wanted state."""

    def __init__(self, *, officer: User, chairman: User, reviewer: User):
        self.officer, self.chairman, self.reviewer = officer, chairman, reviewer
        self.calendars: dict[int, ReportingCalendar] = {}

    def report(self, unit: AdministrativeUnit, code: str, lines: dict[int, Figures], state: str = "approved"):
        period = Period.for_code(code)
        if DossierReport.objects.filter(unit=unit, period=period).exists():
            return
        report = dossier_report_save(
            unit=unit, period=period, user=self.officer, lines=lines, expected_version=0
        )
        if state != "draft":
            self.move(report, state)
        self.backdate(report, periods.Period.parse(code), state)

    def move(self, report: DossierReport, state: str) -> None:
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

    def backdate(self, report: DossierReport, period: periods.Period, state: str) -> None:
        """The report's steps and history at the times they would have been taken (after the
        period, sent by its due date, reviewed days later), not on the day seed_demo runs:
        the board and the inbox count a report sent today for 3/2024 as late."""
        province = report.unit.parent_id
        if province not in self.calendars:
            self.calendars[province] = calendar_for(report.unit)
        rng = random.Random(f"{report.unit.code}-{period.code}")  # noqa: S311
        now = timezone.now()
        entered, submitted, reviewed = _steps(
            rng, period, self.calendars[province], state, latest=False, now=now
        )
        if entered >= now:
            return  # a period not yet over keeps the times it was given
        DossierReport.objects.filter(pk=report.pk).update(
            created_at=entered,
            updated_at=reviewed or submitted or entered,
            submitted_at=submitted,
            reviewed_at=reviewed,
        )
        changes = DossierChange.objects.filter(report=report)
        changes.exclude(action__in=STEP_ACTIONS).update(at=entered)
        changes.filter(action=ChangeAction.SUBMIT).update(at=submitted)
        changes.filter(action__in=[ChangeAction.APPROVE, ChangeAction.RETURN]).update(at=reviewed)


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


def _hoai_nhon_2025(flow_for) -> None:
    """Every commune of Hoài Nhơn, January to June 2025, approved: the last months of the district,
    which its successors' year 2025 begins with. A random stream of its own (the other seeds keep
    theirs)."""
    rng = random.Random("hoai-nhon-2025")  # noqa: S311
    hoai_nhon = _unit(Era.LEGACY, Level.DISTRICT, "543")
    for commune in hoai_nhon.children.order_by("code"):
        flow = flow_for(commune)
        share = rng.uniform(0.7, 0.97)
        for month in range(1, 7):
            flow.report(
                commune, f"2025-{month:02d}", _plausible(rng, size=rng.randint(60, 140), online_share=share)
            )


# --- The present: Tỉnh Gia Lai since 1/7/2025 (demo, invented) -----------------------------------
# 135 communes × 17 months through the services would take a minute, and seed_demo runs in several
# test classes: the reports, their lines and the history the services write (an "edit" entry per
# cell typed, then "submit", then "approve" or "return", each by its person at its time, and the
# versions, who and when of each step) are written in bulk instead, so that no page can tell them
# from reports entered by hand. Nothing on the report itself says "demo" (it has no such field):
# the figures of the communes without named people are entered by their ``demo.2025.<code>``
# account ("Tài khoản mẫu"), and the whole is described in the README as invented.

PRESENT_SEED = "gia-lai-2025"  # with the commune's code: each commune's figures its own fixed series
FIRST_PRESENT_MONTH = periods.Period(2025, periods.Kind.MONTH, 7)
# The communes with named demo people (communes/demo.py): officer, chairman, and the state of the
# latest month, so that each persona finds its work there.
PERSONAS = {
    "21637": ("tamquan.canbo", "tamquan.chutich", ReportStatus.DRAFT),  # for the chairman to send
    "21655": ("hoainhonbac.canbo", "hoainhonbac.chutich", ReportStatus.SUBMITTED),  # in the inbox
    "21553": ("quynhonbac.canbo", "quynhonbac.chutich", ReportStatus.RETURNED),  # to correct
    "21609": ("anlao.canbo", "anlao.chutich", None),  # not sent, late
    "23617": ("ankhe.canbo", "ankhe.chutich", ReportStatus.APPROVED),
}
PRESENT_REVIEWER = "gialai.sonoivu"
# The latest month of the other communes, per 20 of them (None: nothing sent).
LATEST_STATES = (
    (ReportStatus.APPROVED, 11),
    (ReportStatus.SUBMITTED, 4),
    (ReportStatus.RETURNED, 1),
    (ReportStatus.DRAFT, 2),
    (None, 2),
)
SENT_LATE = 0.06  # of the earlier months, sent after their due date (and approved)
RETURN_REASONS = (
    "Số hồ sơ lĩnh vực Đất đai đang giải quyết chưa khớp với Hệ thống thông tin giải quyết TTHC của "
    "tỉnh; đề nghị phường rà soát, cập nhật.",
    "Số hồ sơ thanh toán trực tuyến lớn bất thường so với tháng trước; đề nghị xã kiểm tra lại.",
    "Thiếu số thư xin lỗi đối với hồ sơ giải quyết quá hạn; đề nghị bổ sung.",
)
# Monthly new dossiers of a former commune the demo has no figures for, by its kind (about what
# Hoài Nhơn's communes had in 2024), and the share of them sent online.
LEGACY_SIZE = {Kind.PHUONG: (55, 95), Kind.THI_TRAN: (45, 80)}
LEGACY_XA_SIZE = (25, 60)
LEGACY_ONLINE = {Kind.PHUONG: (0.6, 0.85), Kind.THI_TRAN: (0.5, 0.75)}
LEGACY_XA_ONLINE = (0.35, 0.7)
# The share of a month's dossiers still being resolved at its end, by lĩnh vực (Đất đai takes weeks;
# Hộ tịch and Chứng thực are mostly done the same day).
STILL_OPEN = {
    "Đất đai": (0.12, 0.25),
    "Xây dựng": (0.08, 0.2),
    "Bảo trợ xã hội": (0.04, 0.12),
    "Người có công": (0.04, 0.12),
    "Kinh doanh hộ cá thể": (0.0, 0.08),
}
FEE_SHARE = {"Hộ tịch": 0.3, "Chứng thực": 0.95, "Đất đai": 0.6, "Kinh doanh hộ cá thể": 1.0, "Xây dựng": 0.9}


@dataclass
class _Profile:
    """What a commune's months look like: new dossiers a month, the share online, each lĩnh vực's
    share of the dossiers, and how much of what may be is paid online and digitised."""

    size: float
    online_share: float
    weights: dict[int, float]
    payment_share: float
    digitised_share: float


def _rng(commune: AdministrativeUnit, purpose: str) -> random.Random:
    """The commune's own fixed series for ``purpose``: its figures do not depend on the others', nor
    on the day the demo runs."""
    return random.Random(f"{PRESENT_SEED}:{commune.code}:{purpose}")  # noqa: S311 (demo figures)


def _profiles(communes: list[AdministrativeUnit], fields: dict[str, int]) -> dict[int, _Profile]:
    """Each commune's profile from its predecessors: their 2024 months where the demo has them
    (summed, a split predecessor counted at a third), else an estimate by their kind. Three queries."""
    successions = defaultdict(list)
    for succession in UnitSuccession.objects.filter(successor__in=communes).select_related("predecessor"):
        successions[succession.successor_id].append(succession)
    predecessors = [s.predecessor_id for found in successions.values() for s in found]
    months_2024 = DossierReport.objects.filter(
        unit_id__in=predecessors, period__kind=periods.Kind.MONTH.value, period__year=2024
    )
    month_count = dict(months_2024.values("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n"))
    known = defaultdict(dict)  # predecessor → field id → (new, online) a month
    for row in (
        DossierLine.objects.filter(report__in=months_2024)
        .values("report__unit_id", "field_id")
        .annotate(online=Sum("received_online"), other=Sum(F("received_in_person") + F("received_postal")))
    ):
        unit_id, months = row["report__unit_id"], month_count[row["report__unit_id"]]
        known[unit_id][row["field_id"]] = ((row["online"] + row["other"]) / months, row["online"] / months)
    default_weights = {fields[name]: share for name, share in HOAI_CHAU_FIELDS.items()}
    default_total = sum(default_weights.values())
    profiles = {}
    for commune in communes:
        rng = _rng(commune, "profile")
        by_field: dict[int, float] = defaultdict(float)
        online = 0.0
        for succession in successions[commune.pk] or [None]:
            part = 1.0 if succession is None or succession.is_primary else 1 / 3
            predecessor = succession.predecessor if succession else commune
            if predecessor.pk in known:
                for field_id, (new, new_online) in known[predecessor.pk].items():
                    by_field[field_id] += new * part
                    online += new_online * part
                continue
            if succession is None:  # no predecessor recorded: a whole commune of today's size
                size = rng.uniform(150, 260) if commune.kind == Kind.PHUONG else rng.uniform(70, 140)
            else:
                size = rng.uniform(*LEGACY_SIZE.get(predecessor.kind, LEGACY_XA_SIZE)) * part
            share = rng.uniform(*LEGACY_ONLINE.get(predecessor.kind, LEGACY_XA_ONLINE))
            for field_id, weight in default_weights.items():
                by_field[field_id] += size * weight / default_total
            online += size * share
        size = sum(by_field.values())
        profiles[commune.pk] = _Profile(
            size=size,
            online_share=online / size,
            weights={field_id: new / size for field_id, new in sorted(by_field.items())},
            payment_share=rng.uniform(0.7, 0.95),
            digitised_share=rng.uniform(0.55, 0.85),
        )
    return profiles


def _months_of(profile: _Profile, rng: random.Random, months: list[periods.Period], names) -> list:
    """The commune's figures month by month: Biểu 06 balanced in every line (received = resolved
    + pending), each month's "từ kỳ trước" the month before's pending, the online share creeping
    up as the province pushes online services."""
    pending: dict[int, tuple[int, int]] = {}  # field id → (in time, overdue) at the month's end
    mean = sum(MONTH_WEIGHTS) / 12
    series = []
    for index, month in enumerate(months):
        season = MONTH_WEIGHTS[month.number - 1] / mean
        online_share = min(0.97, profile.online_share + 0.004 * index)
        lines = {}
        for field_id, weight in profile.weights.items():
            name = names[field_id]
            new = round(profile.size * weight * season * rng.uniform(0.8, 1.2))
            carried = sum(pending.get(field_id, (0, 0)))
            if not new + carried:
                continue
            online = min(new, round(new * online_share * rng.uniform(0.93, 1.05)))
            postal = 1 if new - online and rng.random() < 0.08 else 0
            low, high = STILL_OPEN.get(name, (0.0, 0.03))
            still_open = round((new + carried) * rng.uniform(low, high))
            overdue = 1 if still_open >= 2 and rng.random() < 0.1 else 0
            resolved = new + carried - still_open
            late = 1 if resolved >= 3 and rng.random() < (0.1 if name in STILL_OPEN else 0.02) else 0
            early = round((resolved - late) * rng.uniform(0.15, 0.35))
            fees = min(new, round(new * FEE_SHARE.get(name, 0) * rng.uniform(0.9, 1.1)))
            apologies = late + overdue if rng.random() < 0.85 else max(0, late + overdue - 1)
            lines[field_id] = Figures(
                received_online=online,
                received_in_person=new - online - postal,
                received_postal=postal,
                carried_over=carried,
                resolved_early=early,
                resolved_on_time=resolved - late - early,
                resolved_late=late,
                pending_in_time=still_open - overdue,
                pending_overdue=overdue,
                online_payments=min(fees, round(fees * profile.payment_share * rng.uniform(0.95, 1.05))),
                dossiers_with_fees=fees,
                digitised_results=min(resolved, round(resolved * profile.digitised_share)),
                apology_letters=apologies,
            )
            pending[field_id] = (still_open - overdue, overdue)
        if lines and rng.random() < 0.15:  # a citizen's feedback now and then
            field_id = max(lines, key=lambda pk: names[pk] in STILL_OPEN)
            lines[field_id] = lines[field_id].replace(pakn_received=1, pakn_resolved=int(rng.random() < 0.8))
        series.append(lines)
    return series


@contextlib.contextmanager
def _times_as_given(*fields) -> Iterator[None]:
    """Keep the times the demo gives: ``auto_now``/``auto_now_add`` would stamp every report
    written in bulk with this instant, months after it was entered."""
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field, _now, _add in saved:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, now, add in saved:
            field.auto_now, field.auto_now_add = now, add


def _at(day: datetime.date, rng: random.Random, hours: tuple[int, int]) -> datetime.datetime:
    moment = datetime.datetime.combine(day, datetime.time(rng.randint(*hours), rng.randint(0, 59)))
    return timezone.make_aware(moment)


def _steps(
    rng: random.Random,
    month: periods.Period,
    setting: ReportingCalendar,
    state: str,
    *,
    latest: bool,
    now: datetime.datetime,
) -> tuple[datetime.datetime, datetime.datetime | None, datetime.datetime | None]:
    """When the month's report was entered, sent and reviewed (None: not yet). Sent by its due date,
    or some working days after it for a few; reviewed in the days after. In the latest month half
    the reports still waiting were sent in the last days (late), and every time is before ``now``."""
    end = month.dates(periods.Calendar(setting.calendar))[1]
    due = due_date(month, setting)
    entered = _at(add_working_days(end, 1), rng, (8, 11))
    if state == ReportStatus.DRAFT:
        return entered, None, None
    if latest and state == ReportStatus.SUBMITTED and rng.random() < 0.5:
        sent_day = max(entered.date(), timezone.localdate(now) - datetime.timedelta(days=rng.randint(1, 8)))
    elif rng.random() < SENT_LATE and not latest:
        sent_day = add_working_days(due, rng.randint(1, 6))
    else:
        sent_day = entered.date() + datetime.timedelta(days=rng.randint(0, (due - entered.date()).days))
    submitted = max(_at(sent_day, rng, (14, 17)), entered + datetime.timedelta(minutes=30))
    reviewed = None
    if state != ReportStatus.SUBMITTED:
        reviewed = _at(add_working_days(sent_day, rng.randint(1, 4)), rng, (8, 16))
    # The latest month's steps squeezed before now, in their order, where the draw went past it.
    times = [entered, submitted, *([reviewed] if reviewed else [])]
    limit = now - datetime.timedelta(hours=1)
    if times[-1] >= limit:
        span, last = limit - entered, times[-1] - entered
        times = [entered + (t - entered) * (span / last) for t in times]
    return times[0], times[1], times[2] if reviewed else None


def _present_desks(communes: list[AdministrativeUnit]) -> dict[int, User]:
    """The ``demo.2025.<code>`` accounts of the communes without named people (see ``_desk``),
    made in bulk: officer and chairman, no password."""
    names = {f"demo.2025.{commune.code}": commune for commune in communes}
    users = {user.username: user for user in User.objects.filter(username__in=list(names))}
    missing = []
    for username, commune in names.items():
        if username not in users:
            user = User(
                username=username,
                full_name=f"Bộ phận Một cửa {commune.name}",
                job_title="Tài khoản mẫu",
            )
            user.set_unusable_password()
            missing.append(user)
    User.objects.bulk_create(missing)
    Membership.objects.bulk_create(
        [
            Membership(user=user, unit=names[user.username], role=role)
            for user in missing
            for role in COMMUNE_ROLES
        ]
    )
    users.update((user.username, user) for user in missing)
    return {commune.pk: users[username] for username, commune in names.items()}


def _latest_states(communes: list[AdministrativeUnit], rng: random.Random) -> dict[int, str | None]:
    """The state of each commune's latest month: the personas' as PERSONAS says, the others' shuffled
    in the shares of LATEST_STATES."""
    states = {c.pk: PERSONAS[c.code][2] for c in communes if c.code in PERSONAS}
    others = [c for c in communes if c.code not in PERSONAS]
    rng.shuffle(others)
    counts = split(len(others), [share for _state, share in LATEST_STATES])
    drawn = [
        state for (state, _share), count in zip(LATEST_STATES, counts, strict=True) for _ in range(count)
    ]
    states.update((commune.pk, state) for commune, state in zip(others, drawn, strict=True))
    return states


def _present() -> None:
    """Gia Lai's communes from 7/2025 to the latest month already due today. Adds only what is
    missing, so running it again (the same day) adds nothing."""
    province = _unit(Era.CURRENT, Level.PROVINCE, "52")
    # Gia Lai counts months as Nghị định 09/2019 does (15th to 14th), reports due 2 working days
    # after: the portal's default, written down so that the admin site shows it.
    setting, _created = ReportingCalendar.objects.get_or_create(
        province=province,
        defaults={"calendar": periods.Calendar.REGULATORY.value, "submit_within_days": 2},
    )
    now = timezone.now()
    latest = latest_due_month(setting, today=timezone.localdate(now))
    months = []
    month = FIRST_PRESENT_MONTH
    while (month.year, month.number) <= (latest.year, latest.number):
        months.append(month)
        month = periods.Period(month.year + month.number // 12, periods.Kind.MONTH, month.number % 12 + 1)
    if not months:
        return  # before the reform's first month was due
    communes = list(province.children.filter(level=Level.COMMUNE).order_by("code"))
    rows = {month.code: Period.for_code(month.code) for month in months}
    existing = set(
        DossierReport.objects.filter(unit__in=communes, period__in=rows.values()).values_list(
            "unit_id", "period_id"
        )
    )
    fields = dict(ProcedureField.objects.values_list("name", "pk"))
    names = {pk: name for name, pk in fields.items()}
    profiles = _profiles(communes, fields)
    latest_states = _latest_states(communes, random.Random(PRESENT_SEED))  # noqa: S311
    people = {u.username: u for u in User.objects.filter(username__in=[*_named(), PRESENT_REVIEWER])}
    desks = _present_desks([c for c in communes if c.code not in PERSONAS])
    reviewer = people[PRESENT_REVIEWER]
    reports, figures = [], []
    for commune in communes:
        officer, chairman = (
            (people[PERSONAS[commune.code][0]], people[PERSONAS[commune.code][1]])
            if commune.code in PERSONAS
            else (desks[commune.pk],) * 2
        )
        series = _months_of(profiles[commune.pk], _rng(commune, "figures"), months, names)
        steps = _rng(commune, "steps")
        for month, lines in zip(months, series, strict=True):
            state = latest_states[commune.pk] if month == latest else ReportStatus.APPROVED
            if state is None or (commune.pk, rows[month.code].pk) in existing:
                continue
            entered, submitted, reviewed = _steps(
                steps, month, setting, state, latest=month == latest, now=now
            )
            reports.append(
                DossierReport(
                    unit=commune,
                    period=rows[month.code],
                    status=state,
                    version={ReportStatus.DRAFT: 1, ReportStatus.SUBMITTED: 2}.get(state, 3),
                    created_at=entered,
                    updated_at=entered,
                    updated_by=officer,  # who typed the figures; moved on to the last step below
                    submitted_at=submitted,
                    submitted_by=chairman if submitted else None,
                    reviewed_at=reviewed,
                    reviewed_by=reviewer if reviewed else None,
                    return_reason=steps.choice(RETURN_REASONS) if state == ReportStatus.RETURNED else "",
                )
            )
            figures.append(lines)
    if not reports:
        return
    report_fields = [DossierReport._meta.get_field(name) for name in ("created_at", "updated_at")]
    with _times_as_given(*report_fields):
        DossierReport.objects.bulk_create(reports)
    _insert_lines(
        [
            (report.pk, field_id, *(getattr(values, column) for column in COLUMN_NAMES), "")
            for report, lines in zip(reports, figures, strict=True)
            for field_id, values in lines.items()
        ]
    )
    first, last = reports[0].pk, reports[-1].pk
    _write_history(first, last)
    written = DossierReport.objects.filter(pk__range=(first, last))
    written.filter(status=ReportStatus.SUBMITTED).update(
        updated_by=F("submitted_by"), updated_at=F("submitted_at")
    )
    written.filter(reviewed_at__isnull=False).update(updated_by=F("reviewed_by"), updated_at=F("reviewed_at"))


def _named() -> list[str]:
    return [username for officer, chairman, _state in PERSONAS.values() for username in (officer, chairman)]


# The lines and history of the reports written in bulk, in SQL: the history as INSERT … SELECT,
# which the ORM cannot write (a hundred thousand cells made into objects would cost seconds). Only
# the code's own table and column names and choice values are put into these by ``format``; the
# figures and report ids are parameters.
LINES_INTO = "INSERT INTO {line} ({columns}) VALUES "
HISTORY_INTO = """INSERT INTO {change}
    (report_id, at, user_id, action, field_id, "column", old_value, new_value, note)"""
HISTORY_CELL = """SELECT report_id, field_id, {index} AS n, '{column}' AS name, {column} AS value
    FROM {line} WHERE report_id BETWEEN %(first)s AND %(last)s AND {column} <> 0"""
HISTORY_EDITS = """{into}
    SELECT c.report_id, r.created_at, r.updated_by_id, '{edit}', c.field_id, c.name, NULL, c.value, ''
    FROM ({cells}) c JOIN {report} r ON r.id = c.report_id JOIN {field} f ON f.id = c.field_id
    ORDER BY c.report_id, f.position, f.name, c.n"""
# NULL typed: PostgreSQL reads a bare NULL inside a UNION as text.
HISTORY_STEPS = """{into} SELECT * FROM (
    SELECT id, submitted_at AS at, submitted_by_id, '{submit}',
        CAST(NULL AS INTEGER), '', CAST(NULL AS INTEGER), CAST(NULL AS INTEGER), ''
    FROM {report} WHERE id BETWEEN %(first)s AND %(last)s AND submitted_at IS NOT NULL
    UNION ALL
    SELECT id, reviewed_at, reviewed_by_id,
        CASE status WHEN '{approved}' THEN '{approve}' ELSE '{return}' END,
        CAST(NULL AS INTEGER), '', CAST(NULL AS INTEGER), CAST(NULL AS INTEGER), return_reason
    FROM {report} WHERE id BETWEEN %(first)s AND %(last)s AND reviewed_at IS NOT NULL
) s ORDER BY s.at"""


def _insert_lines(rows: list[tuple]) -> None:
    """DossierLine rows (report id, lĩnh vực id, the COLUMN_NAMES figures, an empty reviewer's
    comment) as INSERTs of many rows each: ``bulk_create`` prepares each of their 300.000 values
    one by one, a second and a half on SQLite. The values are parameters."""
    columns = ["report_id", "field_id", *COLUMN_NAMES, "reviewer_comment"]
    size = (connection.features.max_query_params or 20_000) // len(columns)
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    into = LINES_INTO.format(line=DossierLine._meta.db_table, columns=", ".join(columns))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            cursor.execute(into + ", ".join([placeholders] * len(batch)), [v for row in batch for v in row])


def _write_history(first: int, last: int) -> None:
    """The history of the reports ``first``..``last`` as the services write it: an "edit" entry
    for each cell that is not 0 (old value empty), at the time the report was made, by who made
    it, in the order the entry grid saves them (lĩnh vực by lĩnh vực, column by column); then the
    "submit", and the "approve" or "return" with its reason. Two statements."""
    names = {
        "change": DossierChange._meta.db_table,
        "line": DossierLine._meta.db_table,
        "report": DossierReport._meta.db_table,
        "field": ProcedureField._meta.db_table,
        "edit": ChangeAction.EDIT.value,
        "submit": ChangeAction.SUBMIT.value,
        "approve": ChangeAction.APPROVE.value,
        "return": ChangeAction.RETURN.value,
        "approved": ReportStatus.APPROVED.value,
    }
    names["into"] = HISTORY_INTO.format(**names)
    names["cells"] = " UNION ALL ".join(
        HISTORY_CELL.format(index=index, column=column, **names) for index, column in enumerate(COLUMN_NAMES)
    )
    with connection.cursor() as cursor:
        for statement in (HISTORY_EDITS, HISTORY_STEPS):
            cursor.execute(statement.format(**names), {"first": first, "last": last})


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
    _hoai_nhon_2025(flow_for)
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
    _present()
