"""What backup.sh and restore.sh need to know of the portal (README "Backup and restore").

``portal.py env`` prints, as shell assignments, where the portal keeps its data: the database of
``DATABASE_URL`` as libpq environment variables (``PGHOST`` … ``PGPASSWORD``: a password never
appears on a command line, where every user of the machine could read it) and ``MEDIA_ROOT``. Both
are read by ``cchc_portal.settings`` itself, with its defaults; the production settings import them
unchanged.

``portal.py inventory [--json]`` counts the rows of the key tables and checks that every file a row
points at (evidence files, issued reports' PDFs) is in ``MEDIA_ROOT``. Exit status 3 when one is
missing, with the missing files named.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# libpq's environment variable for each connection option dj-database-url may carry.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}
ENGINES = {
    "django.db.backends.postgresql": "postgresql",
    "django.contrib.gis.db.backends.postgis": "postgresql",
    "django.db.backends.sqlite3": "sqlite",
}
# (label, app_label.Model, filter) of the tables an operator compares after a restore.
KEY_TABLES = [
    ("units", "communes.AdministrativeUnit", {}),
    ("users", "communes.User", {}),
    ("memberships", "communes.Membership", {}),
    ("dossier_reports", "dossiers.DossierReport", {}),
    ("dossier_lines", "dossiers.DossierLine", {}),
    ("assessments", "indices.Assessment", {}),
    ("evidence_files", "indices.Evidence", {}),
    ("reports", "reports.Report", {}),
    ("issued_reports", "reports.Report", {"status": "issued"}),
]


def shell_environment() -> list[str]:
    from cchc_portal import settings

    database = settings.DATABASES["default"]
    engine = ENGINES.get(database["ENGINE"], database["ENGINE"])
    lines = [
        f"PORTAL_DB_ENGINE={shlex.quote(engine)}",
        f"PORTAL_DB_NAME={shlex.quote(str(database['NAME']))}",
    ]
    if engine == "postgresql":
        for variable, key in (
            ("PGHOST", "HOST"),
            ("PGPORT", "PORT"),
            ("PGUSER", "USER"),
            ("PGPASSWORD", "PASSWORD"),
            ("PGDATABASE", "NAME"),
        ):
            if database.get(key):
                lines.append(f"export {variable}={shlex.quote(str(database[key]))}")
        for option, value in (database.get("OPTIONS") or {}).items():
            if option in LIBPQ_OPTIONS:
                lines.append(f"export {LIBPQ_OPTIONS[option]}={shlex.quote(str(value))}")
            else:
                print(f"portal.py: DATABASE_URL option {option} is not passed to pg_dump", file=sys.stderr)
    lines.append(f"PORTAL_MEDIA_ROOT={shlex.quote(str(Path(settings.MEDIA_ROOT).resolve()))}")
    return lines


def inventory() -> dict:
    """Row counts of the key tables, and the stored files rows point at that are not there."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")
    import django

    django.setup()
    from django.apps import apps
    from django.db import models

    counts = {
        label: apps.get_model(name)._default_manager.filter(**where).count()
        for label, name, where in KEY_TABLES
    }
    referenced, missing = 0, []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.FileField):
                continue
            rows = model._default_manager.exclude(**{field.name: ""}).exclude(
                **{f"{field.name}__isnull": True}
            )
            for pk, name in rows.values_list("pk", field.name).iterator():
                referenced += 1
                if not field.storage.exists(name):
                    missing.append(f"{model._meta.db_table} {pk}: {name}")
    return {"counts": counts, "files_referenced": referenced, "files_missing": missing}


def main(argv: list[str]) -> int:
    if argv[:1] == ["env"]:
        print("\n".join(shell_environment()))
        return 0
    if argv[:1] == ["inventory"]:
        from django.conf import settings

        found = inventory()
        if "--json" in argv:
            print(json.dumps(found, indent=2, sort_keys=True))
        else:
            for label, count in found["counts"].items():
                print(f"  {label:<16} {count}")
            print(f"  files referenced {found['files_referenced']}, missing {len(found['files_missing'])}")
            for line in found["files_missing"][:50]:
                print(f"  missing in {settings.MEDIA_ROOT}: {line}")
        return 3 if found["files_missing"] else 0
    print("usage: scripts/portal.py env | inventory [--json]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
