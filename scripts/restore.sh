#!/usr/bin/env bash
# Restores a ComplianceHub backup made by scripts/backup.sh, unattended, and proves it: decrypts, checks every file against the
# manifest, restores, then checks the migration head against this build and verifies the audit chain (its head must be the one
# the backup recorded). Logical (default): into an empty database of a running cluster. --pitr: a new cluster from a base backup
# and the WAL archive, recovered to a point in time. docs/operations/backup-and-restore.md is the runbook.
set -euo pipefail
umask 077
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/scripts/lib/backup.sh"

usage() {
  cat <<'USAGE'
Usage: scripts/restore.sh --archive DIR [--keys-archive DIR --keys-dir OUT | --keys-folder DIR] [options]
       scripts/restore.sh --pitr --archive BASE_DIR --wal-archive DIR --target-time T --data-dir D --port P [key options]

Logical restore (an archive compliancehub-db-*): into the database --dbname (default: the backed-up one) of the cluster at
--host/--port, which must be empty or absent. Provisions the roles and the database when missing (Cli provision: the role
passwords come from CH_OWNER_PASSWORD / CH_APP_PASSWORD, else from the pgpass file), runs pg_restore --jobs N as the owner role,
then checks: the migration head against this build (Cli migrate --check), the audit chain (Cli verify-chain, with the restored
keys) and that its head is the manifest's.

Point-in-time recovery (--pitr, an archive compliancehub-base-*): unpacks the base backup into the new data folder --data-dir,
decrypts the WAL archive's segments for it, recovers to --target-time (e.g. "2026-12-07 06:30:00+00") and promotes, starts the
cluster on --port (as the postgres account), then makes the same checks.

Keys (needed to verify the chain, and by the portal): --keys-archive DIR (a compliancehub-keys-* archive) unpacked into the new
folder --keys-dir OUT (0700; point Keys__Folder at it), or --keys-folder DIR (the installation's key folder, as it is).

Options:
  --identity KEY.pem   the private key of the backup certificate (passphrase, if any, in CH_BACKUP_KEY_PASSWORD)
  --keys-identity KEY  the key archive's, when another certificate was used (default --identity)
  --host H --port P    the target cluster (PGHOST/PGPORT, else 127.0.0.1:5432)
  --dbname D           the target database (default: the backed-up one)
  --superuser U        a superuser for provisioning (default postgres)
  --passfile F         pgpass file with the superuser's, compliancehub_owner's and compliancehub_app's passwords (PGPASSFILE)
  --jobs N             parallel pg_restore workers (default 2)
  --cli "CMD"          how to run ComplianceHub.Cli (default: CH_CLI, else dotnet src/ComplianceHub.Cli/bin/Release/net10.0/ComplianceHub.Cli.dll)
  --keys-owner USER    give the restored key folder to this account (the portal's; default: this account)
  --accept-lost-tail   succeed when the checkpoint file vouches for events after the restored head (they are gone: record it)
  --pg-bin DIR         the PostgreSQL programs (default: the newest /usr/lib/postgresql/*/bin)
  --work-dir DIR       where the archive is unpacked, 0700, removed at the end (default: TMPDIR)
  -h, --help           this text
Exit 0 restored and verified, 1 failed (the message says where; a database left partly restored is named).
USAGE
}

ARCHIVE="" KEYS_ARCHIVE="" KEYS_DIR="" KEYS_FOLDER="" IDENTITY="" KEYS_IDENTITY="" SUPERUSER=postgres JOBS=2 CLI=${CH_CLI:-}
KEYS_OWNER="" ACCEPT_LOST_TAIL=0 PG_BIN_DIR="" WORK_DIR=${TMPDIR:-/tmp} PITR=0 WAL_ARCHIVE="" TARGET_TIME="" DATA_DIR=""
HOST=${PGHOST:-127.0.0.1} PORT=${PGPORT:-5432} DBNAME="" PASSFILE=${PGPASSFILE:-}
while [ $# -gt 0 ]; do
  case "$1" in
    --archive) ARCHIVE=${2:?--archive needs a folder}; shift 2 ;;
    --keys-archive) KEYS_ARCHIVE=${2:?}; shift 2 ;;
    --keys-dir) KEYS_DIR=${2:?}; shift 2 ;;
    --keys-folder) KEYS_FOLDER=${2:?}; shift 2 ;;
    --identity) IDENTITY=${2:?}; shift 2 ;;
    --keys-identity) KEYS_IDENTITY=${2:?}; shift 2 ;;
    --host) HOST=${2:?}; shift 2 ;;
    --port) PORT=${2:?}; shift 2 ;;
    --dbname) DBNAME=${2:?}; shift 2 ;;
    --superuser) SUPERUSER=${2:?}; shift 2 ;;
    --passfile) PASSFILE=${2:?}; shift 2 ;;
    --jobs) JOBS=${2:?}; shift 2 ;;
    --cli) CLI=${2:?}; shift 2 ;;
    --keys-owner) KEYS_OWNER=${2:?}; shift 2 ;;
    --accept-lost-tail) ACCEPT_LOST_TAIL=1; shift ;;
    --pg-bin) PG_BIN_DIR=${2:?}; shift 2 ;;
    --work-dir) WORK_DIR=${2:?}; shift 2 ;;
    --pitr) PITR=1; ACCEPT_LOST_TAIL=1; shift ;;
    --wal-archive) WAL_ARCHIVE=${2:?}; shift 2 ;;
    --target-time) TARGET_TIME=${2:?}; shift 2 ;;
    --data-dir) DATA_DIR=${2:?}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option $1" ;;
  esac
done

[ -n "$ARCHIVE" ] || { usage >&2; die "--archive is required"; }
[[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || die "--jobs must be a positive number"
if [ -n "$KEYS_ARCHIVE" ]; then
  [ -n "$KEYS_DIR" ] || die "--keys-archive needs --keys-dir OUT: the new key folder to unpack it into"
  [ -z "$KEYS_FOLDER" ] || die "give --keys-archive or --keys-folder, not both"
  if [ -e "$KEYS_DIR" ] && [ -n "$(ls -A "$KEYS_DIR" 2>/dev/null)" ]; then die "the key folder $KEYS_DIR is not empty: give a new one"; fi
elif [ -n "$KEYS_FOLDER" ]; then
  [ -f "$KEYS_FOLDER/audit-signing.key" ] || die "$KEYS_FOLDER has no audit-signing.key: give the portal's key folder"
else
  die "the chain is verified with the portal's keys: give --keys-archive DIR --keys-dir OUT, or --keys-folder DIR"
fi
if [ "$PITR" -eq 1 ]; then
  [ -n "$WAL_ARCHIVE" ] && [ -d "$WAL_ARCHIVE" ] || die "--pitr needs --wal-archive DIR (the folder archive_command writes)"
  [ -n "$TARGET_TIME" ] || die "--pitr needs --target-time (e.g. \"2026-12-07 06:30:00+00\")"
  date -d "$TARGET_TIME" >/dev/null 2>&1 || die "--target-time \"$TARGET_TIME\" is not a time"
  [ -n "$DATA_DIR" ] || die "--pitr needs --data-dir D (a new, empty folder for the recovered cluster)"
  if [ -e "$DATA_DIR" ] && [ -n "$(ls -A "$DATA_DIR" 2>/dev/null)" ]; then die "the data folder $DATA_DIR is not empty: give a new one"; fi
fi
if [ -z "$CLI" ]; then
  dll="$ROOT/src/ComplianceHub.Cli/bin/Release/net10.0/ComplianceHub.Cli.dll"
  [ -f "$dll" ] || die "ComplianceHub.Cli not found: give --cli \"dotnet /path/ComplianceHub.Cli.dll\" (or build it: dotnet build src/ComplianceHub.Cli -c Release)"
  CLI="dotnet $dll"
fi
read -r -a CLI_CMD <<<"$CLI"
backup_require_tools openssl tar sha256sum find
PG_BIN_DIR=${PG_BIN_DIR:-$(backup_pg_bin)}
[ -z "$PASSFILE" ] || { PASSFILE=$(realpath "$PASSFILE"); export PGPASSFILE=$PASSFILE; }
unset PGPASSWORD
export PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-15}

START=$(date +%s.%N)
STAGING=$(mktemp -d "$WORK_DIR/compliancehub-restore.XXXXXX")
cleanup() { rm -rf "$STAGING"; }
trap cleanup EXIT
step() { printf '==> %s\n' "$*"; }

# Every archive is opened and checked before anything is created.
if [ -n "$KEYS_ARCHIVE" ]; then
  step "opening the key archive $KEYS_ARCHIVE"
  mkdir "$STAGING/keys"
  backup_open_archive "$KEYS_ARCHIVE" "${KEYS_IDENTITY:-$IDENTITY}" "$STAGING/keys"
  [ "$(manifest_field "$STAGING/keys/manifest.json" kind)" = keys ] || die "$KEYS_ARCHIVE is not a key archive (compliancehub-keys-*)"
fi
step "opening $ARCHIVE"
mkdir "$STAGING/db"
backup_open_archive "$ARCHIVE" "$IDENTITY" "$STAGING/db"
MANIFEST="$STAGING/db/manifest.json"
KIND=$(manifest_field "$MANIFEST" kind)
if [ "$PITR" -eq 1 ]; then
  [ "$KIND" = base ] || die "$ARCHIVE is a $KIND archive: point-in-time recovery starts from a base backup (scripts/backup.sh --base)"
else
  [ "$KIND" = database ] || die "$ARCHIVE is a $KIND archive: a logical restore needs a database archive (compliancehub-db-*); for a base backup use --pitr"
fi
SOURCE_DB=$(manifest_field "$MANIFEST" database)
DBNAME=${DBNAME:-$SOURCE_DB}
[[ "$DBNAME" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "--dbname must be lower-case letters, digits and underscores"
echo "checked: $(grep -c '"sha256"' "$MANIFEST") file(s) match the manifest of $(manifest_field "$MANIFEST" createdAt) (PostgreSQL $(manifest_field "$MANIFEST" serverVersion))"

# pgpass_password USER: USER's password from the pgpass file, for this host and port (or *), to give to provision.
pgpass_password() {
  [ -n "$PASSFILE" ] && [ -r "$PASSFILE" ] || return 0
  awk -F: -v h="$HOST" -v p="$PORT" -v u="$1" '($1 == h || $1 == "*") && ($2 == p || $2 == "*") && ($4 == u || $4 == "*") { print $5; exit }' "$PASSFILE"
}

if [ "$PITR" -eq 1 ]; then
  id postgres >/dev/null 2>&1 || die "the postgres account is missing: install PostgreSQL's server package"
  as_server() { if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi; }
  step "unpacking the base backup into $DATA_DIR"
  mkdir -p "$DATA_DIR"
  DATA_DIR=$(realpath "$DATA_DIR")
  tar -C "$DATA_DIR" -xf "$STAGING/db/data/base.tar"
  tar -C "$DATA_DIR/pg_wal" -xf "$STAGING/db/data/pg_wal.tar"
  start_wal=$(sed -n 's/^START WAL LOCATION: .* (file \([0-9A-F]\{24\}\))$/\1/p' "$DATA_DIR/backup_label")
  [ -n "$start_wal" ] || die "the base backup has no backup_label naming its first WAL file"
  # The WAL the recovery replays, decrypted here with the restorer's key: the server never reads the private key.
  WAL_STAGE="$DATA_DIR.wal-restore"
  rm -rf "$WAL_STAGE"; mkdir -p "$WAL_STAGE"
  fetched=0
  for f in "$WAL_ARCHIVE"/*; do
    [ -f "$f" ] || continue
    name=$(basename "$f"); base=${name%.cms}
    case "$name" in *.sha256|*.tmp) continue ;; esac
    if [[ "$base" =~ ^[0-9A-F]{24}$ ]] && [[ "${base:8}" < "${start_wal:8}" ]]; then continue; fi
    if [ "$name" != "$base" ]; then
      [ -n "$IDENTITY" ] || die "the WAL archive is encrypted: give --identity KEY.pem"
      openssl cms -decrypt -binary -inform DER -in "$f" -inkey "$IDENTITY" -out "$WAL_STAGE/$base" 2>/dev/null \
        || die "the archived WAL file $f cannot be decrypted with $IDENTITY"
    else
      cp "$f" "$WAL_STAGE/$base"
    fi
    fetched=$((fetched + 1))
  done
  echo "WAL files from the archive for the recovery: $fetched (from $start_wal)"
  [ -f "$DATA_DIR/postgresql.conf" ] || : >"$DATA_DIR/postgresql.conf" # a Debian cluster keeps it in /etc/postgresql
  if [ ! -f "$DATA_DIR/pg_hba.conf" ]; then
    printf '%s\n' "local all all scram-sha-256" "host all all 127.0.0.1/32 scram-sha-256" "host all all ::1/128 scram-sha-256" >"$DATA_DIR/pg_hba.conf"
  fi
  cat >>"$DATA_DIR/postgresql.auto.conf" <<CONF
# scripts/restore.sh --pitr ($(date -u +%Y-%m-%dT%H:%M:%SZ)): recover to the target, then promote. Archiving stays off until an
# operator has checked the recovered cluster and points it at a new WAL archive (docs/operations/backup-and-restore.md).
restore_command = 'cp "$WAL_STAGE/%f" "%p"'
recovery_target_time = '$TARGET_TIME'
recovery_target_action = 'promote'
archive_mode = 'off'
CONF
  # A recovering server needs at least the source's values of these (its pg_control records them) or it stops at once.
  chown -R postgres:postgres "$DATA_DIR"
  as_server "$PG_BIN_DIR/pg_controldata" "$DATA_DIR" | awk -F: '
    /^max_connections setting/ { print "max_connections = " $2 }
    /^max_worker_processes setting/ { print "max_worker_processes = " $2 }
    /^max_wal_senders setting/ { print "max_wal_senders = " $2 }
    /^max_prepared_xacts setting/ { print "max_prepared_transactions = " $2 }
    /^max_locks_per_xact setting/ { print "max_locks_per_transaction = " $2 }' | sed 's/= */= /' >>"$DATA_DIR/postgresql.auto.conf"
  touch "$DATA_DIR/recovery.signal"
  rm -f "$DATA_DIR/postmaster.pid" "$DATA_DIR/postmaster.opts"
  : >"$DATA_DIR.log"
  chown -R postgres:postgres "$DATA_DIR" "$WAL_STAGE" "$DATA_DIR.log"
  chmod 700 "$DATA_DIR"
  SOCKET_DIR="$DATA_DIR.run" # the server's Unix socket and lock file (connections here go over TCP)
  mkdir -p "$SOCKET_DIR"
  chown postgres:postgres "$SOCKET_DIR"
  chmod 755 "$SOCKET_DIR"
  step "recovering to $TARGET_TIME on port $PORT"
  as_server "$PG_BIN_DIR/pg_ctl" -D "$DATA_DIR" -l "$DATA_DIR.log" -w -t 600 start \
    -o "-p $PORT -k $SOCKET_DIR -c listen_addresses=$HOST" >/dev/null \
    || die "the recovered cluster did not start: $(grep -E 'FATAL|PANIC|ERROR' "$DATA_DIR.log" | tail -n 3 | paste -sd ' ' -) (log: $DATA_DIR.log)"
  HOST=${HOST:-127.0.0.1}
  for _ in $(seq 1 300); do
    state=$("$PG_BIN_DIR/psql" -X -w -At -h "$HOST" -p "$PORT" -U "$SUPERUSER" -d postgres -c 'SELECT pg_is_in_recovery()' 2>/dev/null || true)
    [ "$state" = f ] && break
    sleep 1
  done
  [ "${state:-}" = f ] || die "the cluster did not finish recovering within 300 s: $(tail -n 5 "$DATA_DIR.log" | paste -sd ' ' -)"
  rm -rf "$WAL_STAGE"
  sed -i 's/^restore_command = /# (recovered) restore_command = /; s/^recovery_target_time = /# (recovered) recovery_target_time = /' "$DATA_DIR/postgresql.auto.conf"
  echo "recovered to $TARGET_TIME and promoted: $(grep -E 'recovery stopping|last completed transaction' "$DATA_DIR.log" | tail -n 1 | sed 's/.*LOG: *//')"
else
  PSQL=("$PG_BIN_DIR/psql" -X -w -q -At -v ON_ERROR_STOP=1 -h "$HOST" -p "$PORT" -U "$SUPERUSER")
  if ! error=$("${PSQL[@]}" -d postgres -c 'SELECT 1' 2>&1 >/dev/null); then
    die "cannot connect to the cluster at $HOST:$PORT as $SUPERUSER: ${error:-no answer} (give --host/--port/--superuser and --passfile)"
  fi
  exists=$("${PSQL[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'")
  if [ "$exists" = 1 ]; then
    tables=$("${PSQL[@]}" -d "$DBNAME" -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'S')")
    [ "$tables" = 0 ] || die "the database $DBNAME on $HOST:$PORT is not empty ($tables tables, sequences or views): a restore goes into an empty database. Give another --dbname, or drop it (DROP DATABASE $DBNAME) if it is a failed restore's. Nothing was changed."
  fi
  step "provisioning the roles and the database $DBNAME (Cli provision)"
  export ConnectionStrings__PostgresSuperuser="Host=$HOST;Port=$PORT;Database=postgres;Username=$SUPERUSER${PASSFILE:+;Passfile=$PASSFILE}"
  export CH_OWNER_PASSWORD=${CH_OWNER_PASSWORD:-$(pgpass_password compliancehub_owner)}
  export CH_APP_PASSWORD=${CH_APP_PASSWORD:-$(pgpass_password compliancehub_app)}
  [ -n "$CH_OWNER_PASSWORD" ] || unset CH_OWNER_PASSWORD
  [ -n "$CH_APP_PASSWORD" ] || unset CH_APP_PASSWORD
fi
export ConnectionStrings__PostgresSuperuser="Host=$HOST;Port=$PORT;Database=postgres;Username=$SUPERUSER${PASSFILE:+;Passfile=$PASSFILE}"
export ConnectionStrings__ComplianceHubOwner="Host=$HOST;Port=$PORT;Database=$DBNAME;Username=compliancehub_owner${PASSFILE:+;Passfile=$PASSFILE}"
export ConnectionStrings__ComplianceHub="Host=$HOST;Port=$PORT;Database=$DBNAME;Username=compliancehub_app${PASSFILE:+;Passfile=$PASSFILE}"
export DOTNET_ENVIRONMENT=${DOTNET_ENVIRONMENT:-Production} DOTNET_NOLOGO=1

if [ "$PITR" -eq 0 ]; then
  "${CLI_CMD[@]}" provision || die "Cli provision failed (see above)"
  unset CH_OWNER_PASSWORD CH_APP_PASSWORD
  step "pg_restore --jobs $JOBS into $DBNAME as compliancehub_owner"
  if ! "$PG_BIN_DIR/pg_restore" -w --exit-on-error --jobs "$JOBS" -h "$HOST" -p "$PORT" -U compliancehub_owner -d "$DBNAME" "$STAGING/db/database"; then
    die "pg_restore failed: the database $DBNAME is partly restored. Drop it (DROP DATABASE $DBNAME) and run this again."
  fi
fi

if [ -n "$KEYS_ARCHIVE" ]; then
  step "installing the keys into $KEYS_DIR"
  mkdir -p "$KEYS_DIR"
  chmod 700 "$KEYS_DIR"
  cp -pR "$STAGING/keys/keys/." "$KEYS_DIR/"
  [ -z "$KEYS_OWNER" ] || chown -R "$KEYS_OWNER" "$KEYS_DIR"
  KEYS_FOLDER=$KEYS_DIR
  unset Audit__CheckpointLogPath # the archive's checkpoint file is now in the folder
fi
export Keys__Folder=$KEYS_FOLDER

step "checking the migration head against this build (Cli migrate --check)"
set +e
"${CLI_CMD[@]}" migrate --check
migrations=$?
set -e
case "$migrations" in
  0) migration_note="at this build's head" ;;
  4) migration_note="behind this build: run Cli migrate before the portal starts" ;;
  3) die "the restored database was made by migrations this build does not have: run the build that made the backup ($(manifest_field "$MANIFEST" migrationHead))" ;;
  *) die "Cli migrate --check could not run (exit $migrations)" ;;
esac

step "verifying the audit chain (Cli verify-chain)"
set +e
chain=$("${CLI_CMD[@]}" verify-chain 2>"$STAGING/chain.err")
chain_rc=$?
set -e
printf '%s\n' "$chain"
head_line=$(sed -n 's/^head: event \([0-9]*\), hash \([0-9a-f]*\)$/\1 \2/p' <<<"$chain")
read -r head_sequence head_hash <<<"${head_line:-0 }"
chain_note="verifies"
if [ "$chain_rc" -ne 0 ]; then
  cat "$STAGING/chain.err" >&2
  if grep -q '^problem kind: Truncated$' "$STAGING/chain.err" && [ "$ACCEPT_LOST_TAIL" -eq 1 ]; then
    chain_note="verifies up to event $head_sequence; the checkpoint file vouches for later events, which this restore does not have (expected after a point-in-time recovery: record the restore, its time and why)"
  else
    die "the restored audit chain does not verify (above). If the checkpoint file is newer than the database (events after the backup are gone), say so with --accept-lost-tail and record the restore."
  fi
fi
if [ "$PITR" -eq 0 ]; then
  expected_sequence=$(manifest_field "$MANIFEST" auditHeadSequence)
  expected_hash=$(manifest_field "$MANIFEST" auditHeadHash)
  [ "$head_sequence" = "$expected_sequence" ] && [ "$head_hash" = "$expected_hash" ] \
    || die "the restored chain's head (event $head_sequence, $head_hash) is not the backup's (event $expected_sequence, $expected_hash)"
fi

SECONDS_TAKEN=$(awk -v s="$START" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
echo
echo "restored: $([ "$PITR" -eq 1 ] && echo "cluster $DATA_DIR on port $PORT, recovered to $TARGET_TIME" || echo "database $DBNAME on $HOST:$PORT") in $SECONDS_TAKEN s"
echo "  migrations: $migration_note"
echo "  audit chain: $chain_note; head event $head_sequence, hash $head_hash$([ "$PITR" -eq 0 ] && echo " (the backup's)")"
echo "  keys: $KEYS_FOLDER (set Keys__Folder to it, owned by the portal's account)"
