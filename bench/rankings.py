"""Benchmark: the ranking page (`/chi-so/dot/<id>/xep-hang/`) on synthetic data.

    DATABASE_URL=… .venv/bin/python manage.py generate_synthetic_index --communes 170 --leaves 100
    DATABASE_URL=… .venv/bin/python manage.py generate_synthetic_index --communes 3321 --leaves 100
    DATABASE_URL=… .venv/bin/python bench/rankings.py [--runs 7]

Times the server side of the page (the request through Django's test client in-process:
middleware, queries, template) for the latest round of each synthetic province that
`generate_synthetic_index` built, as the reviewer of its group (a Sở Nội vụ reviewing the whole
province-sized group), after one warm-up request. Prints each run, the median, the query count
and the page size.
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
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from communes.models import Role, User
    from communes.services import membership_grant
    from indices.models import Criterion, Round

    rounds = list(
        Round.objects.filter(group__code__startswith="TH", group__level=1)
        .select_related("group", "framework")
        .annotate(communes=Count("assessments"))
        .order_by("communes", "-year")
    )
    latest = {}
    for round_ in rounds:
        latest.setdefault(round_.group_id, round_)
    if not latest:
        sys.exit("No synthetic round: run `manage.py generate_synthetic_index --communes 170` first.")
    reviewer, _ = User.objects.get_or_create(username="bench.index.reviewer")
    for round_ in latest.values():
        membership_grant(user=reviewer, unit=round_.group, role=Role.REVIEWER)
        leaves = Criterion.objects.filter(framework=round_.framework, children__isnull=True).count()
        url = reverse("indices:ranking_page", args=[round_.pk])
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(reviewer)
        assert client.get(url).status_code == 200  # warm-up
        timings = []
        for _run in range(options.runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200
        print(
            f"{round_.group.name}, {round_.year}: {round_.communes} communes × {leaves} leaves: "
            f"median {statistics.median(timings) * 1000:.0f} ms "
            f"(runs: {', '.join(f'{t * 1000:.0f}' for t in timings)} ms), {len(queries)} queries, "
            f"{len(response.content) / 1024:.0f} KB"
        )


if __name__ == "__main__":
    main()
