"""Benchmark: the completeness board on synthetic data, the largest province and the nation,
side by side with a floor (the overview of the same province for a month of the same year).

    DATABASE_URL=postgres://… .venv/bin/python manage.py generate_synthetic --end 2026-06 --months 18
    DATABASE_URL=postgres://… .venv/bin/python bench/board.py [--runs 7] [--year 2026]

Times the server side of each page (the request through Django's test client in-process:
middleware, queries, template) after one warm-up request, and counts the queries. Prints each
run, the median and the query count. Targets (issue 12): the province board at 170 communes ≤
150 ms, the nation (3.321 communes) ≤ 1 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument(
        "--province", help="2025 code of the province to time (default: the one with most communes)"
    )
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from communes.models import AdministrativeUnit, Era, Role, User
    from communes.services import membership_grant
    from dossiers.models import DossierReport

    if not DossierReport.objects.exists():
        sys.exit("No report in this database: run `manage.py generate_synthetic` first.")
    provinces = AdministrativeUnit.objects.filter(era=Era.CURRENT, level=1)
    if options.province:
        province = provinces.get(code=options.province)
    else:
        province = provinces.annotate(communes=Count("children")).order_by("-communes").first()
    reviewer, _ = User.objects.get_or_create(username="bench.reviewer")
    membership_grant(user=reviewer, unit=province, role=Role.REVIEWER)
    root, _ = User.objects.get_or_create(
        username="bench.root", defaults={"is_superuser": True, "is_staff": True}
    )
    communes = province.children.count()
    month = f"{options.year}-06"

    pages = [
        (
            f"floor: overview {month}, {province.name} ({communes} communes)",
            reviewer,
            reverse("dossiers:overview", args=[province.pk, month]),
        ),
        (
            f"board {options.year}, {province.name} ({communes} communes)",
            reviewer,
            reverse("dossiers:board", args=[province.pk, options.year]),
        ),
        (
            f"board 2025, {province.name} (months 1–6 before the province)",
            reviewer,
            reverse("dossiers:board", args=[province.pk, 2025]),
        ),
        (f"floor: overview {month}, whole country", root, reverse("dossiers:overview_country", args=[month])),
        (
            f"board {options.year}, the nation by province",
            root,
            reverse("dossiers:board_country", args=[options.year]),
        ),
        (
            "board 2025, the nation by province (34 and 63 provinces)",
            root,
            reverse("dossiers:board_country", args=[2025]),
        ),
    ]
    for label, user, url in pages:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        assert client.get(url).status_code == 200  # warm-up
        timings = []
        for _run in range(options.runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200
        print(
            f"{label}: median {statistics.median(timings) * 1000:.0f} ms "
            f"(runs: {', '.join(f'{t * 1000:.0f}' for t in timings)} ms), {len(queries)} queries, "
            f"{len(response.content) / 1024:.0f} KB"
        )


if __name__ == "__main__":
    main()
