"""Benchmark: rendering reports, one warm and 100 at once with 2 background workers.

    createdb -h 127.0.0.1 -U postgres cchc_bench_reports
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench_reports
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_units
    .venv/bin/python manage.py generate_synthetic --province 24 --months 12 --end 2025-12
    .venv/bin/python bench/reports.py [--runs 7] [--province 24] [--year 2025] [--workers 2]

(a) One 3-page report rendered warm: a commune's annual report composed from the synthetic
    figures (2 pages), lengthened to exactly 3 pages with the conclusions of seed 003 as an edited
    section (what a chairman's edits add); one warm-up render, then ``report_pdf`` timed --runs
    times. Composed inside a transaction that is rolled back.
(b) A whole batch through the real queue: ``batch_print`` for the province's Sở Nội vụ (Bắc Ninh,
    code 24: 99 communes, so 1 summary + 99 annual reports = 100 reports), run by --workers
    ``manage.py db_worker`` processes already started (warm), timed from the enqueue until the
    zip is written. The batch's folder goes to a temporary MEDIA_ROOT, removed afterwards.
Prints the figures; docs/performance.md keeps them with the machine they were measured on.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def single(options, commune, user) -> None:
    from django.db import transaction

    from core.testing import pdf_run
    from reports.compose import report_compose
    from reports.demo import GIO_SON_CONCLUSIONS, GIO_SON_TASKS
    from reports.documents import report_pdf
    from reports.models import Section
    from reports.text import clean

    def pages(pdf: bytes) -> int:
        info = pdf_run("pdfinfo", pdf)
        return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))

    with transaction.atomic():
        started = time.perf_counter()
        report = report_compose(unit=commune, kind="tong-ket-nam", period=str(options.year), user=user)
        composed = time.perf_counter() - started
        # Seed 003's own words: its conclusions, then the tasks it assigns.
        paragraphs = GIO_SON_CONCLUSIONS.split("\n\n") + [task[2] for task in GIO_SON_TASKS]
        section = Section.objects.create(report=report, position=99, heading="Ý kiến kết luận", body="")
        count = len(paragraphs)
        while True:  # the most of the seed's text that still fits in 3 pages
            section.body = clean("".join(f"<p>{p}</p>" for p in (paragraphs * 3)[:count]))
            section.save()
            pdf = report_pdf(report)
            if pages(pdf) <= 3 or count == 0:
                break
            count -= 1
        while pages(pdf) < 3:
            count += 1
            section.body = clean("".join(f"<p>{p}</p>" for p in (paragraphs * 3)[:count]))
            section.save()
            pdf = report_pdf(report)
        report_pdf(report)  # warm-up
        runs = []
        for _run in range(options.runs):
            started = time.perf_counter()
            pdf = report_pdf(report)
            runs.append(time.perf_counter() - started)
        print(f"(a) {commune.name}, annual report {options.year}: {pages(pdf)} pages, {len(pdf):,} bytes")
        timings = ", ".join(f"{run * 1000:.0f}" for run in runs)
        print(f"    compose {composed * 1000:.0f} ms; render runs (ms): {timings}")
        print(f"    median {statistics.median(runs) * 1000:.0f} ms (target ≤ 1000 ms)")
        transaction.set_rollback(True)


def batch(options, province, user) -> None:
    from django_tasks_db.models import DBTaskResult

    from reports.services.batch import batch_load, batch_print

    DBTaskResult.objects.filter(status="READY").delete()  # leftovers of an interrupted run
    env = {**os.environ, "TASKS_BACKEND": "database"}
    workers = [
        subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-startup-delay",
                "--no-reload",
                "--interval",
                "0.2",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _worker in range(options.workers)
    ]
    try:
        for worker in workers:  # warm: wait until each has started
            line = worker.stderr.readline()
            if "Starting worker" not in line:
                sys.exit(f"A worker did not start: {line}{worker.stderr.read()}")
        started = time.perf_counter()
        result = batch_print(reviewer_unit=province, year=options.year, user=user)
        enqueued = time.perf_counter() - started
        while True:
            progress = batch_load(result.id)
            if progress.finished:
                break
            if any(worker.poll() is not None for worker in workers):
                sys.exit("A worker stopped before the batch was done.")
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    folder = result.zip_path.parent / "items"
    seconds = [json.loads((folder / f"{item.key}.json").read_text())["seconds"] for item in progress.items]
    size = result.zip_path.stat().st_size
    print(
        f"(b) {progress.total} reports ({province.name}: 1 summary + {progress.total - 1} annual), "
        f"{options.workers} workers: {elapsed:.1f} s (enqueue {enqueued * 1000:.0f} ms), "
        f"{len(progress.errors)} errors, zip {size / 1e6:.1f} MB"
    )
    print(
        f"    per report: median {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s "
        f"(the summary), sum {sum(seconds):.1f} s  (target ≤ 120 s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--province", default="24", help="2025 code of the province (24: Bắc Ninh, 99 communes)"
    )
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-batch", action="store_true")
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (see the top of this file).")
    media = tempfile.mkdtemp(prefix="bench-reports-")
    os.environ["MEDIA_ROOT"] = media  # the workers inherit it
    os.environ["TASKS_BACKEND"] = "database"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")
    import django

    django.setup()
    from communes.models import AdministrativeUnit, Era, Role, User
    from communes.services import membership_grant

    try:
        province = AdministrativeUnit.objects.get(era=Era.CURRENT, level=1, code=options.province)
        communes = AdministrativeUnit.objects.communes().filter(parent=province).order_by("code")
        if not communes.exists():
            sys.exit("No communes: run load_units and generate_synthetic first (see the top of this file).")
        reviewer, _created = User.objects.get_or_create(
            username="bench.reviewer", defaults={"full_name": "Bench"}
        )
        membership_grant(user=reviewer, unit=province, role=Role.REVIEWER)
        print(f"machine: {os.cpu_count()} CPUs; database {django.db.connection.vendor}")
        single(options, communes.first(), reviewer)
        if not options.skip_batch:
            batch(options, province, reviewer)
    finally:
        shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
