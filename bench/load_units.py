"""Benchmark: load the whole country (2025 list, then the legacy list) into a fresh database.

    .venv/bin/python bench/load_units.py [--runs 5] [--database-url URL]

Each run migrates an empty SQLite file (or the given PostgreSQL database, emptied
first), then times `manage.py load_units` and `manage.py load_units --legacy` as a
user runs them, Python start-up included. Prints each run and the medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", help="a PostgreSQL database to use (it is emptied)")
    options = parser.parse_args()

    results: list[tuple[float, float]] = []
    for run in range(1, options.runs + 1):
        with tempfile.TemporaryDirectory() as folder:
            url = options.database_url or f"sqlite:///{folder}/bench.sqlite3"
            env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "cchc_portal.settings"}
            if options.database_url:
                manage(env, "flush", "--no-input")
            manage(env, "migrate", "--no-input")
            current = manage(env, "load_units")
            legacy = manage(env, "load_units", "--legacy")
            results.append((current, legacy))
            both = current + legacy
            print(f"run {run}: 2025 list {current:.2f} s, legacy list {legacy:.2f} s, both {both:.2f} s")
    currents, legacies = zip(*results, strict=True)
    both = statistics.median(current + legacy for current, legacy in results)
    print(
        f"median: 2025 list {statistics.median(currents):.2f} s, "
        f"legacy list {statistics.median(legacies):.2f} s, both {both:.2f} s"
    )


if __name__ == "__main__":
    main()
