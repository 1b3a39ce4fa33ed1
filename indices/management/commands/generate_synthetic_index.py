"""``generate_synthetic_index --communes N --leaves L [--group-size G]``: benchmark data for the rankings.

Builds, in its own synthetic province (never touching real units): N communes, a framework of L
leaves under 8 lĩnh vực, and for two years (``--year`` and the one before) one published round
per group with every commune appraised: a score per leaf, stored totals and field points
computed by ``indices.scoring`` exactly as ``assessment_recompute`` does. Everything is written
with ``bulk_create``.

Without ``--group-size`` the communes form one province-sized group (2025 style: communes directly
under the province, the province's Sở Nội vụ ranks them); with it, districts of G communes each.
"""

from __future__ import annotations

import random
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import AdministrativeUnit, Era, Kind, Level
from core.text import fold
from indices import scoring
from indices.models import Assessment, AssessmentStatus, Band, Criterion, Framework, Round, Score

BATCH = 5000
FIELDS = (
    "Chỉ đạo, điều hành CCHC",
    "Cải cách thể chế",
    "Cải cách TTHC, một cửa, một cửa liên thông",
    "Cải cách tổ chức bộ máy",
    "Cải cách chế độ công vụ",
    "Cải cách tài chính công",
    "Chính quyền điện tử, chính quyền số",
    "Tác động của CCHC",
)
LEAVES_PER_CRITERION = 4
STEP = Decimal("0.25")
BANDS = (("Xuất sắc", 90), ("Tốt", 80), ("Khá", 65), ("Trung bình", 50), ("Yếu", 0))


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # Translated when asked for: argparse cannot format a lazy description.
        return _(
            "Tạo dữ liệu Chỉ số CCHC tổng hợp để đo hiệu năng (không phải dữ liệu mẫu): một tỉnh tổng hợp "
            "với N xã, bộ chỉ số L tiêu chí thành phần, hai năm đánh giá đã thẩm định và công bố. "
            "Không dùng trên cơ sở dữ liệu thật."
        )

    def add_arguments(self, parser):
        parser.add_argument("--communes", type=int, required=True, help=gettext_lazy("Số xã."))
        parser.add_argument(
            "--leaves", type=int, default=100, help=gettext_lazy("Số tiêu chí thành phần (mặc định 100).")
        )
        parser.add_argument(
            "--group-size",
            type=int,
            help=gettext_lazy("Số xã mỗi nhóm xếp hạng (huyện); bỏ trống: cả tỉnh là một nhóm."),
        )
        parser.add_argument(
            "--year", type=int, default=2024, help=gettext_lazy("Năm đánh giá (mặc định 2024).")
        )
        parser.add_argument("--seed", type=int, default=2025)

    def handle(self, *args, communes, leaves, group_size, year, seed, verbosity, **options):
        if (
            not 1 <= communes <= 20000
            or not 1 <= leaves <= 500
            or (group_size is not None and group_size < 1)
        ):
            raise CommandError(_("--communes từ 1 đến 20.000; --leaves từ 1 đến 500; --group-size từ 1."))
        started = time.perf_counter()
        rng = random.Random(seed)  # noqa: S311 (benchmark figures, not security)
        with transaction.atomic():
            province, groups = _units(communes, group_size)
            framework, criteria = _framework(province, leaves, year, grouped=group_size is not None)
            scores = _rounds(framework, criteria, groups, year, rng)
        if verbosity:
            self.stdout.write(
                _(
                    "Đã tạo %(province)s (mã %(code)s): %(communes)s xã trong %(groups)s nhóm, bộ chỉ số mã "
                    "%(framework)s với %(leaves)s tiêu chí thành phần, %(scores)s điểm tiêu chí, "
                    "trong %(seconds)s giây."
                )
                % {
                    "province": province.name,
                    "code": province.code,
                    "communes": communes,
                    "groups": len(groups),
                    "framework": framework.pk,
                    "leaves": leaves,
                    "scores": scores,
                    "seconds": f"{time.perf_counter() - started:.1f}",
                }
            )


def _units(
    count: int, group_size: int | None
) -> tuple[AdministrativeUnit, list[tuple[AdministrativeUnit, list]]]:
    """A new synthetic province and its groups, each with its communes."""
    era = Era.LEGACY if group_size else Era.CURRENT
    number = AdministrativeUnit.objects.filter(code__startswith="TH", level=Level.PROVINCE).count() + 1
    code = f"TH{number}"
    province = AdministrativeUnit.objects.create(
        era=era,
        level=Level.PROVINCE,
        kind=Kind.TINH,
        code=code,
        name=f"Tỉnh Tổng Hợp {number}",
        short_name=f"Tổng Hợp {number}",
    )
    if group_size is None:
        parents = [province]
        sizes = [count]
    else:
        sizes = [min(group_size, count - start) for start in range(0, count, group_size)]
        parents = AdministrativeUnit.objects.bulk_create(
            [
                _unit(
                    era,
                    Level.DISTRICT,
                    Kind.HUYEN,
                    f"{code}-{i + 1:03d}",
                    f"Huyện Tổng Hợp {number}.{i + 1}",
                    province,
                )
                for i in range(len(sizes))
            ]
        )
    communes = AdministrativeUnit.objects.bulk_create(
        [
            _unit(
                era,
                Level.COMMUNE,
                Kind.XA,
                f"{code}-{g + 1:03d}-{i + 1:04d}",
                f"Xã Tổng Hợp {number}.{g + 1}.{i + 1}",
                parent,
            )
            for g, (parent, size) in enumerate(zip(parents, sizes, strict=True))
            for i in range(size)
        ],
        batch_size=BATCH,
    )
    groups, start = [], 0
    for parent, size in zip(parents, sizes, strict=True):
        groups.append((parent, communes[start : start + size]))
        start += size
    return province, groups


def _unit(era, level, kind, code, name, parent) -> AdministrativeUnit:
    short = name.split(" ", 1)[1]
    return AdministrativeUnit(
        era=era,
        level=level,
        kind=kind,
        code=code,
        name=name,
        short_name=short,
        parent=parent,
        search_key=fold(name),
    )


def _framework(province, leaves: int, year: int, *, grouped: bool) -> tuple[Framework, list[Criterion]]:
    """8 lĩnh vực (fewer when there are fewer leaves), tiêu chí of up to 4 leaves, about 100 points."""
    leaf_max = max(STEP, (Decimal(100) / leaves / STEP).to_integral_value(rounding="ROUND_FLOOR") * STEP)
    field_count = min(len(FIELDS), leaves)
    per_field = [leaves // field_count + (1 if i < leaves % field_count else 0) for i in range(field_count)]
    framework = Framework.objects.create(
        name=f"Bộ chỉ số tổng hợp {leaves} tiêu chí",
        issuer=province,
        year_from=year - 1,
        year_to=year,
        legal_basis="Dữ liệu tổng hợp",
        total_points=leaf_max * leaves,
        group_level=Level.DISTRICT if grouped else Level.PROVINCE,
    )

    def node(code, title, max_points, parent) -> Criterion:
        return Criterion(
            framework=framework,
            parent=parent,
            code=code,
            sort_key=Criterion.sort_key_of(code),
            depth=code.count(".") + 1,
            title=title,
            max_points=max_points,
        )

    fields = Criterion.objects.bulk_create(
        [node(str(f + 1), FIELDS[f], leaf_max * n, None) for f, n in enumerate(per_field)]
    )
    middle, middle_sizes = [], []
    for field, n in zip(fields, per_field, strict=True):
        for c, start in enumerate(range(0, n, LEAVES_PER_CRITERION)):
            size = min(LEAVES_PER_CRITERION, n - start)
            middle.append(
                node(f"{field.code}.{c + 1}", f"Tiêu chí {field.code}.{c + 1}", leaf_max * size, field)
            )
            middle_sizes.append(size)
    middle = Criterion.objects.bulk_create(middle)
    leaf_rows = Criterion.objects.bulk_create(
        [
            node(f"{parent.code}.{i + 1}", f"Tiêu chí thành phần {parent.code}.{i + 1}", leaf_max, parent)
            for parent, size in zip(middle, middle_sizes, strict=True)
            for i in range(size)
        ],
        batch_size=BATCH,
    )
    total = framework.total_points
    bounds = [(label, total * share / 100) for label, share in BANDS]
    Band.objects.bulk_create(
        [
            Band(
                framework=framework,
                label=label,
                min_points=low,
                max_points=bounds[i - 1][1] if i else total + 1,
            )
            for i, (label, low) in enumerate(bounds)
        ]
    )
    return framework, [*fields, *middle, *leaf_rows]


def _rounds(framework, criteria, groups, year: int, rng: random.Random) -> int:
    """Two published rounds per group (last year and ``year``), every commune appraised."""
    leaves = scoring.leaves_of(criteria)
    roots = [c for c in criteria if c.parent_id is None]
    now = timezone.now()
    written = 0
    for round_year in (year - 1, year):
        rounds = Round.objects.bulk_create(
            [
                Round(
                    framework=framework,
                    year=round_year,
                    group=group,
                    self_deadline=f"{round_year + 1}-01-15",
                    published_at=now,
                )
                for group, _communes in groups
            ]
        )
        for round_, (_group, communes) in zip(rounds, groups, strict=True):
            assessments, values = [], []
            for unit in communes:
                skill = rng.uniform(0.55, 0.98)
                leaf_values = {
                    leaf.pk: _on_step(leaf.max_points * Decimal(min(1.0, max(0.0, rng.gauss(skill, 0.15)))))
                    for leaf in leaves
                }
                points = scoring.tree_points(criteria, leaf_values)
                final = scoring.total(framework=framework, criteria=criteria, points=points).final
                assessments.append(
                    Assessment(
                        round=round_,
                        unit=unit,
                        status=AssessmentStatus.APPRAISED,
                        self_total=final,
                        appraised_total=final,
                        field_points={c.code: str(points.get(c.pk, Decimal(0))) for c in roots},
                        submitted_at=now,
                        appraised_at=now,
                    )
                )
                values.append(leaf_values)
            assessments = Assessment.objects.bulk_create(assessments, batch_size=BATCH)
            batch = []
            for assessment, leaf_values in zip(assessments, values, strict=True):
                for pk, value in leaf_values.items():
                    batch.append(
                        Score(assessment=assessment, criterion_id=pk, self_score=value, appraised_score=value)
                    )
                if len(batch) >= BATCH:
                    Score.objects.bulk_create(batch)
                    written += len(batch)
                    batch = []
            Score.objects.bulk_create(batch)
            written += len(batch)
    return written


def _on_step(value: Decimal) -> Decimal:
    return (value / STEP).to_integral_value() * STEP
