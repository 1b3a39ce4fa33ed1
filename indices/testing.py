"""A small framework for tests, on top of ``core.testing.build_world``.

The tree (20 points, step 0,25):
- 1 Chỉ đạo, điều hành (10): 1.1 Kế hoạch CCHC (4, evidence required), 1.2 Thủ tục hành chính (6):
  1.2.1 Công khai TTHC (3), 1.2.2 Tiếp nhận trực tuyến (3, ``ty_le_truc_tuyen(nguong=80)``);
- 2 Tác động (10): 2.1 Kiểm tra CCHC (5), 2.2 Khảo sát sự hài lòng (5, ``khao_sat``).
Bands: Tốt 16–20, Khá 10–16, Trung bình 0–10.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from .models import Band, Criterion, Framework, Round
from .services.rounds import round_open

TREE = [
    # code, title, max points, evidence required, rule
    ("1", "Chỉ đạo, điều hành", "10", False, ""),
    ("1.1", "Kế hoạch CCHC", "4", True, ""),
    ("1.2", "Thủ tục hành chính", "6", False, ""),
    ("1.2.1", "Công khai TTHC", "3", False, ""),
    ("1.2.2", "Tiếp nhận trực tuyến", "3", False, "ty_le_truc_tuyen(nguong=80)"),
    ("2", "Tác động", "10", False, ""),
    ("2.1", "Kiểm tra CCHC", "5", False, ""),
    ("2.2", "Khảo sát sự hài lòng", "5", False, "khao_sat"),
]
BANDS = [("Tốt", "16", "20"), ("Khá", "10", "16"), ("Trung bình", "0", "10")]


def make_framework(issuer, *, name: str = "Bộ chỉ số thử", years=(2022, 2024), **extra) -> Framework:
    framework = Framework.objects.create(
        name=name,
        issuer=issuer,
        year_from=years[0],
        year_to=years[1],
        legal_basis="QĐ 1/QĐ-UBND ngày 02/01/2023",
        total_points=Decimal(20),
        **extra,
    )
    by_code: dict[str, Criterion] = {}
    for code, title, max_points, evidence, rule in TREE:
        parent = by_code.get(code.rpartition(".")[0]) if "." in code else None
        by_code[code] = Criterion.objects.create(
            framework=framework,
            parent=parent,
            code=code,
            title=title,
            max_points=Decimal(max_points),
            evidence_required=evidence,
            rule=rule,
        )
    for label, low, high in BANDS:
        Band.objects.create(
            framework=framework, label=label, min_points=Decimal(low), max_points=Decimal(high)
        )
    return framework


def make_round(framework: Framework, group, *, year: int = 2023, deadline=None, communes=None) -> Round:
    return round_open(
        framework=framework,
        year=year,
        group=group,
        self_deadline=deadline or datetime.date(year + 1, 1, 15),
        communes=communes,
    )
