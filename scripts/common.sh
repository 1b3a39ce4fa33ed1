# Shared by backup.sh and restore.sh (sourced, not run). README "Backup and restore".

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ -z "${PYTHON:-}" ]; then
  if [ -x "$ROOT/.venv/bin/python" ]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON=python3; fi
fi
# A database that does not answer fails the script instead of hanging a cron job.
export PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-10}"

die() {
  printf '%s: %s\n' "$SCRIPT" "$*" >&2
  exit 1
}

say() {
  printf '%s: %s\n' "$SCRIPT" "$*"
}

# The portal's database (as PG* variables) and MEDIA_ROOT, read by its own settings.
load_portal_settings() {
  local assignments
  assignments=$("$PYTHON" "$ROOT/scripts/portal.py" env) || die "could not read the portal's settings with $PYTHON"
  eval "$assignments"
}

require_postgresql() {
  case "$PORTAL_DB_ENGINE" in
    postgresql) ;;
    sqlite)
      die "DATABASE_URL is SQLite ($PORTAL_DB_NAME): these scripts back up and restore PostgreSQL" \
        "only, the portal's production database. On a developer's machine, stop the server and copy" \
        "the file with: sqlite3 $PORTAL_DB_NAME \".backup 'copy.sqlite3'\", and MEDIA_ROOT with it."
      ;;
    *) die "DATABASE_URL uses $PORTAL_DB_ENGINE; these scripts know PostgreSQL only." ;;
  esac
}

require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || die "$tool is not installed (apt-get install postgresql-client, coreutils, tar)"
  done
}

# psql on the portal's database: no ~/.psqlrc, stop at the first error, bare output.
portal_psql() {
  psql -X -v ON_ERROR_STOP=1 -Atq "$@"
}

where() {
  printf '%s on %s:%s' "${PGDATABASE:-?}" "${PGHOST:-local socket}" "${PGPORT:-5432}"
}
