#!/usr/bin/env bash
# Back up the CCHC portal (README "Backup and restore"): the PostgreSQL database of DATABASE_URL
# (pg_dump, custom format) first, then MEDIA_ROOT (tar.gz), into DEST/<UTC time>/ with
# manifest.txt and SHA256SUMS. Reads DATABASE_URL and MEDIA_ROOT from the environment, as the portal
# does. With --keep-days N, backups in DEST older than N days are deleted after this one succeeded.
set -euo pipefail
SCRIPT=backup.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage="usage: scripts/backup.sh [--keep-days N] DEST"
keep_days=""
dest=""
while [ $# -gt 0 ]; do
  case "$1" in
    --keep-days)
      [ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }
      keep_days=$2
      shift 2
      ;;
    -h | --help) echo "$usage"; exit 0 ;;
    -*) echo "$usage" >&2; exit 2 ;;
    *)
      [ -z "$dest" ] || { echo "$usage" >&2; exit 2; }
      dest=$1
      shift
      ;;
  esac
done
[ -n "$dest" ] || { echo "$usage" >&2; exit 2; }
if [ -n "$keep_days" ] && ! [[ "$keep_days" =~ ^[1-9][0-9]*$ ]]; then
  die "--keep-days takes a whole number of days, at least 1 (not \"$keep_days\")"
fi

load_portal_settings
require_postgresql
[ -d "$PORTAL_MEDIA_ROOT" ] || die "MEDIA_ROOT $PORTAL_MEDIA_ROOT does not exist: check the environment (.env)"
require_tools pg_dump pg_restore psql tar gzip sha256sum flock

server=$(portal_psql -c "SHOW server_version" 2>&1) || die "cannot connect to the database $(where): $server"
migrations=$(portal_psql -F ' ' -c "SELECT app, max(name) FROM django_migrations GROUP BY app ORDER BY app" 2>&1) ||
  die "$(where) is not the portal's database (no django_migrations table): $migrations"

# The dump holds password hashes and sessions, the media the communes' files: readable by us only.
umask 077
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
exec 9>"$dest/.backup.lock"
flock -n 9 || die "another backup.sh is writing into $dest"

stamp=$(date -u +%Y%m%dT%H%M%SZ)
final="$dest/$stamp"
work="$final.partial"
[ ! -e "$final" ] && mkdir "$work" || die "$final already exists"
trap 'rm -rf "$work"' EXIT

started=$(date +%s)
say "dumping $(where) (PostgreSQL $server)"
# pg_dump reads one consistent snapshot, taken when it starts. The media are copied after it: every
# file a row of the dump points at was written before that row was committed, so it is there.
pg_dump --format=custom --file="$work/db.dump"
pg_restore --list "$work/db.dump" >/dev/null || die "the dump just written cannot be read back"

say "archiving MEDIA_ROOT $PORTAL_MEDIA_ROOT"
media_files=$(find "$PORTAL_MEDIA_ROOT" -type f | wc -l)
status=0
tar --create --gzip --file="$work/media.tar.gz" --directory="$PORTAL_MEDIA_ROOT" \
  --warning=no-file-changed --warning=no-file-removed . || status=$?
# 1: a file changed while it was read (a batch being printed); evidence and issued PDFs never change.
[ "$status" -le 1 ] || die "tar failed (exit $status) on $PORTAL_MEDIA_ROOT"
gzip --test "$work/media.tar.gz" || die "the media archive just written cannot be read back"

commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
{
  echo "CCHC portal backup"
  echo "created: $stamp (UTC)"
  echo "host: $(hostname)"
  echo "database: $(where), PostgreSQL $server"
  echo "media_root: $PORTAL_MEDIA_ROOT ($media_files files)"
  echo "portal_commit: $commit"
  echo "db.dump: $(stat -c %s "$work/db.dump") bytes"
  echo "media.tar.gz: $(stat -c %s "$work/media.tar.gz") bytes"
  echo "last migration of each app (restore with this code or newer, then manage.py migrate):"
  printf '%s\n' "$migrations" | sed 's/^/  /'
} >"$work/manifest.txt"
(cd "$work" && sha256sum db.dump media.tar.gz manifest.txt >SHA256SUMS)
mv "$work" "$final"
trap - EXIT
say "wrote $final in $(($(date +%s) - started)) s: $(du -sh "$final" | cut -f1)"

if [ -n "$keep_days" ]; then
  now=$(date -u +%s)
  for old in "$dest"/*; do
    name=${old##*/}
    [[ "$name" =~ ^([0-9]{4})([0-9]{2})([0-9]{2})T([0-9]{2})([0-9]{2})([0-9]{2})Z$ ]] || continue
    [ -d "$old" ] && [ "$old" != "$final" ] || continue
    r=("${BASH_REMATCH[@]}")
    taken=$(date -u -d "${r[1]}-${r[2]}-${r[3]} ${r[4]}:${r[5]}:${r[6]}" +%s) || continue
    if [ $((now - taken)) -gt $((keep_days * 86400)) ]; then
      rm -rf -- "$old"
      say "deleted $old (older than $keep_days days)"
    fi
  done
fi
