"""Benchmark: import a 5.000-row Biểu 06 file (parse, validate, save with history).

    .venv/bin/python bench/import_dossiers.py [--runs 5] [--rows 5000] [--database-url URL]

Builds a throw-away database (SQLite in a temporary folder unless --database-url names an empty
PostgreSQL database), a catalogue of ``rows`` lĩnh vực and one commune, writes the file with the
portal's own Biểu 06 export, then times `import_dossiers` in-process (Django already started),
deleting the report between runs. Prints each run and the median.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--database-url")
    options = parser.parse_args()
    folder = tempfile.mkdtemp()
    os.environ["DATABASE_URL"] = options.database_url or f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")

    import django

    django.setup()
    from django.core.management import call_command

    from communes.models import AdministrativeUnit
    from core.periods import Period
    from dossiers.exports import ExportGroup, ExportRow, bieu06_xlsx
    from dossiers.figures import Figures
    from dossiers.models import DossierReport, ProcedureField

    call_command("migrate", verbosity=0)
    call_command("load_units", "--legacy", "--province", "52", verbosity=0)
    ProcedureField.objects.bulk_create(
        [ProcedureField(name=f"Lĩnh vực thử {n:05d}", position=n) for n in range(options.rows)]
    )

    def figures(n: int) -> Figures:
        received = n % 97 + n % 13
        early = min(n % 7, received)
        return Figures(
            received_online=n % 97,
            received_in_person=n % 13,
            carried_over=n % 5,
            resolved_early=early,
            resolved_on_time=received - early,
            pending_in_time=n % 5,
        )

    rows = [ExportRow(f"Lĩnh vực thử {n:05d}", figures(n)) for n in range(options.rows)]
    period = Period.parse("2024-03")
    data = bieu06_xlsx(
        issuer="UBND XÃ HOÀI CHÂU",
        unit_name="Xã Hoài Châu",
        period_label=period.label,
        date_from=period.dates()[0],
        date_to=period.dates()[1],
        groups=[ExportGroup("Xã Hoài Châu", rows)],
    )
    path = Path(folder) / "bieu06.xlsx"
    path.write_bytes(data)
    unit = AdministrativeUnit.objects.get(era="legacy", code="21649")
    print(f"file: {len(data) / 1024:.0f} KB, {options.rows} rows")

    timings = []
    for run in range(1, options.runs + 1):
        DossierReport.objects.filter(unit=unit).delete()
        started = time.perf_counter()
        call_command("import_dossiers", str(path), "--unit", "21649", "--period", "2024-03", verbosity=0)
        timings.append(time.perf_counter() - started)
        print(f"run {run}: {timings[-1]:.2f} s")
    print(f"median: {statistics.median(timings):.2f} s")


if __name__ == "__main__":
    main()
