#!/usr/bin/env bash
# Restore a backup of backup.sh (README "Backup and restore") into the database of DATABASE_URL,
# which must exist and be empty, and MEDIA_ROOT, which must be empty or missing. --force restores
# over a database and a MEDIA_ROOT in use: the backup's tables are dropped and recreated, its files
# overwritten; anything else stays. Checks every checksum first, and at the end that every file a
# row points at is in MEDIA_ROOT.
set -euo pipefail
SCRIPT=restore.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage="usage: scripts/restore.sh [--force] SRC   (SRC: a folder DEST/<time> written by backup.sh)"
force=""
src=""
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=1; shift ;;
    -h | --help) echo "$usage"; exit 0 ;;
    -*) echo "$usage" >&2; exit 2 ;;
    *)
      [ -z "$src" ] || { echo "$usage" >&2; exit 2; }
      src=$1
      shift
      ;;
  esac
done
[ -n "$src" ] || { echo "$usage" >&2; exit 2; }
[ -d "$src" ] || die "$src is not a folder"
src=$(cd "$src" && pwd)
for name in db.dump media.tar.gz manifest.txt SHA256SUMS; do
  [ -f "$src/$name" ] || die "$src is not a backup of backup.sh: $name is missing"
done
require_tools sha256sum
(cd "$src" && sha256sum --check --strict --quiet SHA256SUMS) ||
  die "a file of $src does not match its checksum (above): the backup is damaged or was changed; use another one"

load_portal_settings
require_postgresql
require_tools pg_restore psql tar
sed 's/^/  /' "$src/manifest.txt"

found=$(portal_psql -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'" 2>&1) ||
  die "cannot connect to the database $(where): $found
Create it first, empty and owned by the portal's database user, e.g.
  createdb -h ${PGHOST:-localhost} -p ${PGPORT:-5432} -U postgres -O ${PGUSER:-cchc} ${PGDATABASE:-cchc}"

problems=()
if [ "$found" != 0 ] && [ -z "$force" ]; then
  problems+=("the database $PGDATABASE is not empty ($found tables, views and sequences)")
fi
if [ -d "$PORTAL_MEDIA_ROOT" ] && [ -n "$(ls -A "$PORTAL_MEDIA_ROOT")" ] && [ -z "$force" ]; then
  problems+=("MEDIA_ROOT $PORTAL_MEDIA_ROOT is not empty")
fi
if [ ${#problems[@]} -gt 0 ]; then
  for problem in "${problems[@]}"; do printf '%s: %s\n' "$SCRIPT" "$problem" >&2; done
  die "nothing was restored. Restore into a new empty database and an empty MEDIA_ROOT, or pass --force" \
    "to restore over these (the backup's tables are dropped and recreated, its files overwritten)."
fi

started=$(date +%s)
say "restoring the database into $(where)"
clean=()
[ -z "$force" ] || clean=(--clean --if-exists)
# Owned by the user of DATABASE_URL, whoever owned the dumped objects; all or nothing.
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction "${clean[@]}" \
  --dbname="$PGDATABASE" "$src/db.dump"

say "restoring the media into $PORTAL_MEDIA_ROOT"
mkdir -p "$PORTAL_MEDIA_ROOT"
tar --extract --gzip --file="$src/media.tar.gz" --directory="$PORTAL_MEDIA_ROOT" --no-same-owner

say "restored in $(($(date +%s) - started)) s; what the restored portal holds:"
status=0
"$PYTHON" "$ROOT/scripts/portal.py" inventory || status=$?
if [ "$status" = 3 ]; then
  die "the database and the media are restored, but the files above are missing from MEDIA_ROOT" \
    "(deleted between the dump and the media archive, or lost before): their pages answer 404."
elif [ "$status" != 0 ]; then
  die "the database and the media are restored, but this code could not read them (above):" \
    "is the backup newer than the code? With older data, run manage.py migrate first."
fi
say "now run: manage.py migrate (nothing to apply with the backup's code), manage.py check, and open an" \
  "issued report's PDF and an evidence file in the portal"
