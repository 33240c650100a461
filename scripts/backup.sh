#!/usr/bin/env bash
# Backs up ComplianceHub's database, unattended: a consistent logical backup (pg_dump, directory format, parallel), or with
# --base a physical base backup for point-in-time recovery (pg_basebackup, tar format, WAL included). With --keys it also writes
# the key folder (data-protection certificate and key, audit signing key, checkpoint file) as a SEPARATE archive: the database
# archive never holds a key (ADR 0031, ADR 0044). Every archive is encrypted to a recipient certificate unless --no-encrypt.
# docs/operations/backup-and-restore.md is the runbook.
set -euo pipefail
umask 077 # archives and staged dumps: readable by this account only
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/scripts/lib/backup.sh"

usage() {
  cat <<'USAGE'
Usage: scripts/backup.sh --output DIR (--recipient CERT.pem | --no-encrypt) [options]

Writes one archive folder per part under DIR, named compliancehub-<part>-<database>-<UTC time>:
  db     the database: pg_dump --format=directory --jobs N, in one snapshot, with manifest.json (server version, migration
         head, audit chain head, SHA-256 of every file); holds no key
  keys   (--keys DIR) the portal's key folder and checkpoint file, written BEFORE the database's snapshot so that every
         checkpoint in it is in the database too; a separate archive, encrypted to --keys-recipient (default --recipient)
  base   (--base) instead of db: pg_basebackup -Ft -X stream, the base of a point-in-time recovery (needs a role with
         REPLICATION, e.g. postgres)

Connection (libpq; each defaults to its PG* environment variable):
  --host H            (PGHOST, else 127.0.0.1)        --port P      (PGPORT, else 5432)
  --dbname D          (PGDATABASE, else compliancehub)
  --username U        (PGUSER, else compliancehub_owner; with --base, postgres)
  --passfile F        a pgpass file (PGPASSFILE); the password is never taken on the command line
Options:
  --recipient CERT    encrypt to this X.509 certificate (PEM); its private key stays where restores happen
  --no-encrypt        write unencrypted archives (explicit: only for storage that is encrypted itself)
  --keys DIR          also archive the key folder DIR (Keys__Folder)
  --checkpoint-file F the checkpoint file when it is not DIR/checkpoints.jsonl (Audit__CheckpointLogPath)
  --keys-recipient C  encrypt the key archive to another certificate (recommended: a different custodian)
  --jobs N            parallel pg_dump workers (default 2)
  --base              physical base backup instead of the logical one
  --pg-bin DIR        the PostgreSQL programs (default: the newest /usr/lib/postgresql/*/bin)
  --work-dir DIR      where the unencrypted dump is staged, mode 0700, removed at the end (default: DIR/.staging-*)
  --keep-days N       after a successful backup, remove this database's archives of the same part older than N days from
                      DIR (never the one just written; without it nothing is removed; 30 is the documented retention)
  -h, --help          this text
Prints one "archive: <folder>" line per archive written, and a summary. Exit 0 written, 1 failed (nothing half-written).
USAGE
}

KEEP_DAYS="" OUTPUT="" RECIPIENT="" NO_ENCRYPT=0 KEYS_DIR="" CHECKPOINT_FILE="" KEYS_RECIPIENT="" JOBS=2 BASE=0 PG_BIN_DIR="" WORK_DIR=""
HOST=${PGHOST:-127.0.0.1} PORT=${PGPORT:-5432} DBNAME=${PGDATABASE:-compliancehub} USERNAME=${PGUSER:-} PASSFILE=${PGPASSFILE:-}
while [ $# -gt 0 ]; do
  case "$1" in
    --output) OUTPUT=${2:?--output needs a folder}; shift 2 ;;
    --recipient) RECIPIENT=${2:?--recipient needs a certificate}; shift 2 ;;
    --no-encrypt) NO_ENCRYPT=1; shift ;;
    --keys) KEYS_DIR=${2:?--keys needs a folder}; shift 2 ;;
    --checkpoint-file) CHECKPOINT_FILE=${2:?--checkpoint-file needs a file}; shift 2 ;;
    --keys-recipient) KEYS_RECIPIENT=${2:?--keys-recipient needs a certificate}; shift 2 ;;
    --jobs) JOBS=${2:?--jobs needs a number}; shift 2 ;;
    --base) BASE=1; shift ;;
    --host) HOST=${2:?}; shift 2 ;;
    --port) PORT=${2:?}; shift 2 ;;
    --dbname) DBNAME=${2:?}; shift 2 ;;
    --username) USERNAME=${2:?}; shift 2 ;;
    --passfile) PASSFILE=${2:?}; shift 2 ;;
    --pg-bin) PG_BIN_DIR=${2:?}; shift 2 ;;
    --work-dir) WORK_DIR=${2:?}; shift 2 ;;
    --keep-days) KEEP_DAYS=${2:?--keep-days needs a number of days}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option $1" ;;
  esac
done

[ -n "$OUTPUT" ] || { usage >&2; die "--output is required"; }
if [ "$NO_ENCRYPT" -eq 1 ]; then
  [ -z "$RECIPIENT$KEYS_RECIPIENT" ] || die "--no-encrypt and a recipient certificate contradict each other: give one"
else
  [ -n "$RECIPIENT" ] || { usage >&2; die "give --recipient CERT.pem (the backup certificate) or, explicitly, --no-encrypt"; }
  backup_check_certificate "$RECIPIENT"
  KEYS_RECIPIENT=${KEYS_RECIPIENT:-$RECIPIENT}
  backup_check_certificate "$KEYS_RECIPIENT"
fi
[[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || die "--jobs must be a positive number"
[ -z "$KEEP_DAYS" ] || [[ "$KEEP_DAYS" =~ ^[1-9][0-9]*$ ]] || die "--keep-days must be a positive number of days"
[[ "$DBNAME" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "--dbname must be lower-case letters, digits and underscores"
USERNAME=${USERNAME:-$([ "$BASE" -eq 1 ] && echo postgres || echo compliancehub_owner)}
if [ -n "$KEYS_DIR" ]; then
  [ -d "$KEYS_DIR" ] || die "the key folder $KEYS_DIR does not exist"
  CHECKPOINT_FILE=${CHECKPOINT_FILE:-$KEYS_DIR/checkpoints.jsonl}
fi
backup_require_tools openssl tar sha256sum find
PG_BIN_DIR=${PG_BIN_DIR:-$(backup_pg_bin)}
[ -n "$PASSFILE" ] && export PGPASSFILE=$PASSFILE
export PGHOST=$HOST PGPORT=$PORT PGUSER=$USERNAME PGDATABASE=$DBNAME PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-15}
unset PGPASSWORD # a password in the environment is visible to the host's other processes: use a pgpass file

mkdir -p "$OUTPUT"
OUTPUT=$(cd "$OUTPUT" && pwd)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WORK_DIR=${WORK_DIR:-$OUTPUT}
STAGING=$(mktemp -d "$WORK_DIR/.staging-$STAMP.XXXXXX")
chmod 700 "$STAGING"
cleanup() {
  if [ -n "${SNAP_PID:-}" ]; then kill "$SNAP_PID" 2>/dev/null || true; fi
  rm -rf "$STAGING"
  [ -z "${BACKUP_PARTIAL:-}" ] || rm -rf "$BACKUP_PARTIAL"
}
trap cleanup EXIT
START=$(date +%s.%N)

PSQL=("$PG_BIN_DIR/psql" -X -w -q -At -v ON_ERROR_STOP=1)
if ! error=$("${PSQL[@]}" -c 'SELECT 1' 2>&1 >/dev/null); then
  die "cannot connect to $DBNAME on $HOST:$PORT as $USERNAME: ${error:-no answer} (give --host/--port/--username and a pgpass file with --passfile)"
fi

write_keys_archive() {
  local dir="$STAGING/keys-part" files f name
  mkdir -p "$dir/keys"
  files=$(find "$KEYS_DIR" -maxdepth 1 -type f ! -name '.*' ! -name '*.partial' ! -name '*.new' -printf '%f\n' | LC_ALL=C sort)
  for name in data-protection.crt data-protection.key audit-signing.key; do
    grep -qx "$name" <<<"$files" || die "the key folder $KEYS_DIR has no $name: is it the portal's Keys__Folder?"
  done
  while IFS= read -r f; do cp -p "$KEYS_DIR/$f" "$dir/keys/$f"; done <<<"$files"
  local checkpoint_note="none (no checkpoint has been signed yet)"
  if [ -f "$CHECKPOINT_FILE" ]; then
    cp -p "$CHECKPOINT_FILE" "$dir/keys/checkpoints.jsonl"
    checkpoint_note="keys/checkpoints.jsonl ($(wc -l <"$CHECKPOINT_FILE") checkpoints), from $CHECKPOINT_FILE"
  fi
  {
    printf '{\n'
    printf '  "format": "%s",\n' "$BACKUP_FORMAT"
    printf '  "kind": "keys",\n'
    printf '  "createdAt": "%s",\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf '  "host": %s,\n' "$(json_string "$(hostname)")"
    printf '  "keysFolder": %s,\n' "$(json_string "$(cd "$KEYS_DIR" && pwd)")"
    printf '  "checkpointFile": %s,\n' "$(json_string "$checkpoint_note")"
    printf '  "note": "the portal key folder, taken before the database snapshot of the same run; restore it as Keys__Folder, owned by the portal account, 0700 folder, 0600 files",\n'
    printf '  "files": [\n'
    backup_manifest_files "$dir"
    printf '  ]\n}\n'
  } >"$dir/manifest.json.new"
  mv "$dir/manifest.json.new" "$dir/manifest.json"
  local out="$OUTPUT/compliancehub-keys-$DBNAME-$STAMP"
  backup_write_archive "$dir" "$out" "$KEYS_RECIPIENT"
  rm -rf "$dir"
  echo "archive: $out"
}

# The key archive first: a checkpoint signed after the database's snapshot must not be in it (it would name events the
# restored database lacks); one signed between the two is in the database and not in the file, which verification accepts.
[ -z "$KEYS_DIR" ] || write_keys_archive

if [ "$BASE" -eq 1 ]; then
  DIR="$STAGING/base"
  mkdir -p "$DIR"
  server_version=$("${PSQL[@]}" -c 'SHOW server_version')
  "$PG_BIN_DIR/pg_basebackup" -w -D "$DIR/data" -Ft -X stream --checkpoint=fast --manifest-checksums=SHA256 --label "compliancehub-$STAMP" \
    || die "pg_basebackup failed (the role $USERNAME needs REPLICATION, and pg_hba.conf a replication rule for it)"
  {
    printf '{\n'
    printf '  "format": "%s",\n' "$BACKUP_FORMAT"
    printf '  "kind": "base",\n'
    printf '  "createdAt": "%s",\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf '  "database": "%s",\n' "$DBNAME"
    printf '  "host": %s,\n' "$(json_string "$HOST:$PORT")"
    printf '  "serverVersion": %s,\n' "$(json_string "$server_version")"
    printf '  "note": "pg_basebackup -Ft -X stream: data/base.tar is the cluster, data/pg_wal.tar the WAL to make it consistent; recover to a later time with the WAL archive (scripts/restore.sh --pitr). Holds no portal key.",\n'
    printf '  "files": [\n'
    backup_manifest_files "$DIR"
    printf '  ]\n}\n'
  } >"$DIR/manifest.json"
  OUT="$OUTPUT/compliancehub-base-$DBNAME-$STAMP"
else
  DIR="$STAGING/db"
  mkdir -p "$DIR"
  # One snapshot for the facts and the dump: a READ ONLY REPEATABLE READ transaction exports it, pg_dump's workers share it.
  coproc SNAP { "${PSQL[@]}" 2>&1; }
  SNAP_PID=$SNAP_PID
  printf '%s\n' "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;" "SELECT pg_export_snapshot();" \
    "SELECT current_setting('server_version');" \
    "SELECT coalesce((SELECT migration_id FROM __ef_migrations_history ORDER BY migration_id DESC LIMIT 1), '');" \
    "SELECT coalesce((SELECT sequence || ' ' || hash FROM audit_events ORDER BY sequence DESC LIMIT 1), '0 ');" \
    "SELECT count(*) || ' ' || coalesce(max(sequence), 0) FROM chain_checkpoints;" >&"${SNAP[1]}"
  read_line() { IFS= read -r -t 60 "$1" <&"${SNAP[0]}" || die "no answer from $DBNAME while taking the snapshot"; }
  read_line snapshot; read_line server_version; read_line migration_head; read_line head; read_line checkpoints
  [[ "$snapshot" =~ ^[0-9A-F-]+$ ]] || die "could not take a snapshot of $DBNAME: $snapshot $server_version (is it ComplianceHub's database, migrated?)"
  [ -n "$migration_head" ] || die "$DBNAME has no migration history: is it ComplianceHub's database?"
  "$PG_BIN_DIR/pg_dump" -w --format=directory --jobs "$JOBS" --snapshot="$snapshot" --file "$DIR/database" "$DBNAME" \
    || die "pg_dump failed (see above)"
  printf '%s\n' "COMMIT;" '\q' >&"${SNAP[1]}"
  wait "$SNAP_PID" 2>/dev/null || true
  SNAP_PID=""
  read -r head_sequence head_hash <<<"$head"
  read -r checkpoint_count checkpoint_last <<<"$checkpoints"
  {
    printf '{\n'
    printf '  "format": "%s",\n' "$BACKUP_FORMAT"
    printf '  "kind": "database",\n'
    printf '  "createdAt": "%s",\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf '  "database": "%s",\n' "$DBNAME"
    printf '  "host": %s,\n' "$(json_string "$HOST:$PORT")"
    printf '  "serverVersion": %s,\n' "$(json_string "$server_version")"
    printf '  "pgDumpVersion": %s,\n' "$(json_string "$("$PG_BIN_DIR/pg_dump" --version)")"
    printf '  "migrationHead": "%s",\n' "$migration_head"
    printf '  "auditHeadSequence": %s,\n' "$head_sequence"
    printf '  "auditHeadHash": "%s",\n' "$head_hash"
    printf '  "checkpoints": %s,\n' "$checkpoint_count"
    printf '  "lastCheckpointSequence": %s,\n' "$checkpoint_last"
    printf '  "keys": "not in this archive: the key folder is a separate archive (scripts/backup.sh --keys), kept apart from the database",\n'
    printf '  "files": [\n'
    backup_manifest_files "$DIR"
    printf '  ]\n}\n'
  } >"$DIR/manifest.json"
  OUT="$OUTPUT/compliancehub-db-$DBNAME-$STAMP"
fi

backup_write_archive "$DIR" "$OUT" "$([ "$NO_ENCRYPT" -eq 1 ] || echo "$RECIPIENT")"
echo "archive: $OUT"
SECONDS_TAKEN=$(awk -v s="$START" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
SIZE=$(du -sb "$OUT" | cut -f1)
if [ "$BASE" -eq 1 ]; then
  echo "base backup of the cluster at $HOST:$PORT (PostgreSQL $server_version): $SIZE bytes in $SECONDS_TAKEN s, $([ "$NO_ENCRYPT" -eq 1 ] && echo unencrypted || echo "encrypted to $(openssl x509 -in "$RECIPIENT" -noout -subject)")"
else
  echo "backup of $DBNAME (PostgreSQL $server_version, migration $migration_head, audit head event $head_sequence): $SIZE bytes in $SECONDS_TAKEN s, $([ "$NO_ENCRYPT" -eq 1 ] && echo unencrypted || echo "encrypted to $(openssl x509 -in "$RECIPIENT" -noout -subject)")"
fi

# Retention (ADR 0046): this part's older archives of this database, by the UTC time in their names, never the one just written.
if [ -n "$KEEP_DAYS" ]; then
  part=$([ "$BASE" -eq 1 ] && echo base || echo db)
  cutoff=$(date -u -d "$KEEP_DAYS days ago" +%Y%m%dT%H%M%SZ)
  removed=0
  parts=("$OUTPUT"/compliancehub-"$part"-"$DBNAME"-*)
  # Old key archives go only when this run wrote a new one.
  [ -z "$KEYS_DIR" ] || parts+=("$OUTPUT"/compliancehub-keys-"$DBNAME"-*)
  for old in "${parts[@]}"; do
    [ -d "$old" ] && [ "$old" != "$OUT" ] || continue
    stamp=${old##*-}
    [[ "$stamp" =~ ^[0-9]{8}T[0-9]{6}Z$ ]] && [[ "$stamp" < "$cutoff" ]] || continue
    rm -rf "$old"
    removed=$((removed + 1))
  done
  echo "retention: $removed archive(s) older than $KEEP_DAYS days removed from $OUTPUT"
fi
