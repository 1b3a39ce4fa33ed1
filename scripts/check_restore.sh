#!/usr/bin/env bash
# CI check of backup and restore (README "Backup and restore"): a fresh PostgreSQL database A with a
# small fixture (an issued report with its PDF, an evidence file), backup.sh, then restore.sh into a
# fresh database B and an empty MEDIA_ROOT, and the report's PDF and the evidence file read back
# through the portal with the same SHA-256 as before. Also: restore.sh refuses B once it is in use,
# and names a file a row points at that the backup's media lack.
# Needs PostgreSQL at PGHOST:PGPORT (default 127.0.0.1:5432, user postgres, allowed to create
# databases). Exit status 1, naming what failed, on any difference. Both databases and the temporary
# folder are removed at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
export PYTHON
host="${PGHOST:-127.0.0.1}" port="${PGPORT:-5432}" user="${PGUSER:-postgres}"
a="cchc_restore_a_$$" b="cchc_restore_b_$$"
tmp=$(mktemp -d)
admin() { psql -X -q -v ON_ERROR_STOP=1 -h "$host" -p "$port" -U "$user" "$@" postgres; }
cleanup() {
  admin -c "DROP DATABASE IF EXISTS $a WITH (FORCE)" >/dev/null 2>&1 || true
  admin -c "DROP DATABASE IF EXISTS $b WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
  echo "check_restore.sh: FAILED $*" >&2
  exit 1
}
started=$(date +%s)
export TASKS_BACKEND=immediate

echo "-- database A ($a): migrate, fixture"
admin -c "CREATE DATABASE $a"
export DATABASE_URL="postgres://$user@$host:$port/$a" MEDIA_ROOT="$tmp/media-a"
mkdir "$MEDIA_ROOT"
"$PYTHON" manage.py migrate --no-input -v 0
"$PYTHON" scripts/check_restore.py fixture "$tmp/expected.json"

echo "-- backup.sh"
scripts/backup.sh "$tmp/backups"
backup=$(find "$tmp/backups" -mindepth 1 -maxdepth 1 -type d -name '*Z')
[ "$(printf '%s\n' "$backup" | wc -l)" = 1 ] || fail "backup.sh did not write one backup folder: $backup"

echo "-- restore.sh into database B ($b) and an empty MEDIA_ROOT"
admin -c "CREATE DATABASE $b"
export DATABASE_URL="postgres://$user@$host:$port/$b" MEDIA_ROOT="$tmp/media-b"
scripts/restore.sh "$backup"

echo "-- checks on B"
"$PYTHON" manage.py migrate --check --no-input -v 0 || fail "B has migrations to apply after the restore"
"$PYTHON" manage.py check --fail-level WARNING
"$PYTHON" scripts/check_restore.py verify "$tmp/expected.json"
if scripts/restore.sh "$backup" >"$tmp/again.log" 2>&1; then
  fail "restore.sh restored again over B, which is no longer empty, without --force"
fi
grep -q "is not empty" "$tmp/again.log" || fail "restore.sh refused B for another reason: $(cat "$tmp/again.log")"

echo "-- a backup taken after an evidence file vanished from A: restore.sh --force names it"
export DATABASE_URL="postgres://$user@$host:$port/$a" MEDIA_ROOT="$tmp/media-a"
gone=$(find "$MEDIA_ROOT/evidence" -type f)
rm -- "$gone"
sleep 1 # a backup folder per second
scripts/backup.sh "$tmp/backups" >/dev/null
second=$(find "$tmp/backups" -mindepth 1 -maxdepth 1 -type d -name '*Z' -newer "$backup" | head -n 1)
[ -n "$second" ] || fail "backup.sh did not write a second backup"
export DATABASE_URL="postgres://$user@$host:$port/$b" MEDIA_ROOT="$tmp/media-b"
rm -rf "$MEDIA_ROOT"
if scripts/restore.sh --force "$second" >"$tmp/missing.log" 2>&1; then
  fail "restore.sh succeeded although ${gone#"$tmp/media-a/"} is missing from the backup's media"
fi
grep -qF "${gone#"$tmp/media-a/"}" "$tmp/missing.log" && grep -q "missing from MEDIA_ROOT" "$tmp/missing.log" ||
  fail "restore.sh did not name the missing file: $(cat "$tmp/missing.log")"
tail -n 2 "$tmp/missing.log"

echo "-- backup and restore checked in $(($(date +%s) - started)) s"
