"""Benchmark: the reviewer's overview on synthetic data, one province and the whole country.

    DATABASE_URL=postgres://… .venv/bin/python manage.py generate_synthetic
    DATABASE_URL=postgres://… .venv/bin/python bench/overview.py [--runs 7] [--period 2025-06]

Times the server side of each page (the request through Django's test client in-process:
middleware, queries, template) after one warm-up request, and counts the queries. Prints each
run, the median and the query count. Needs the data of `generate_synthetic`.
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
    parser.add_argument("--period", default="2025-06")
    parser.add_argument("--province", default="01", help="2025 code of the province to time (01: Hà Nội)")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from communes.models import AdministrativeUnit, Era, Role, User
    from communes.services import membership_grant
    from dossiers.models import DossierReport

    if not DossierReport.objects.exists():
        sys.exit("No report in this database: run `manage.py generate_synthetic` first.")
    province = AdministrativeUnit.objects.get(era=Era.CURRENT, level=1, code=options.province)
    reviewer, _ = User.objects.get_or_create(username="bench.reviewer")
    membership_grant(user=reviewer, unit=province, role=Role.REVIEWER)
    root, _ = User.objects.get_or_create(
        username="bench.root", defaults={"is_superuser": True, "is_staff": True}
    )
    communes = province.children.count()

    pages = [
        (
            f"province {province.name} ({communes} communes)",
            reviewer,
            reverse("dossiers:overview", args=[province.pk, options.period]),
        ),
        ("whole country", root, reverse("dossiers:overview_country", args=[options.period])),
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
