#!/usr/bin/env bash
# Measures ComplianceHub at the scale DESIGN.md promises, unattended: a throwaway PostgreSQL cluster (durability off:
# fsync, synchronous_commit and full_page_writes are off, as in scripts/test.sh — the figures are for the software, not
# the disk), a Release build, provision, migrate, the demo seed plus the scale population (full: 200,000 people,
# 1,000,000 grants, 10,000,000 audit events; --quick: a tenth), then `ComplianceHub.Cli bench`, which prints one table.
# Removes what it started. Usage: scripts/bench.sh [--quick] [--scale <fraction>] [--timeout <seconds per measure>]
# [--only <measure words, comma-separated>] (e.g. --only chain: the audit chain verification alone, after the same seed).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export MSBUILDDISABLENODEREUSE=1 UseSharedCompilation=false DOTNET_CLI_USE_MSBUILD_SERVER=0 \
       DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
source scripts/lib/postgres.sh
source scripts/lib/geolocation.sh

SCALE=1
TIMEOUT=150
ONLY=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) SCALE=0.1 ;;
    --scale) SCALE=$2; shift ;;
    --timeout) TIMEOUT=$2; shift ;;
    --only) ONLY=(--only "$2"); shift ;;
    *) echo "usage: scripts/bench.sh [--quick] [--scale <fraction>] [--timeout <seconds>] [--only <measures>]" >&2; exit 2 ;;
  esac
  shift
done

step() { printf '\n==> %s\n' "$*"; }
started=$(date +%s)

step "PostgreSQL (throwaway cluster; fsync=off, synchronous_commit=off, full_page_writes=off)"
pg_ensure_installed
PG_DIR=$(mktemp -d /tmp/compliancehub-bench-pg.XXXXXX)
KEYS_DIR=$(mktemp -d /tmp/compliancehub-bench-keys.XXXXXX)
PG_PORT=${BENCH_PG_PORT:-55520}
while ! pg_port_free "$PG_PORT"; do PG_PORT=$((PG_PORT + 1)); done
cleanup() {
  pg_stop "$PG_DIR"
  as_root rm -rf "$PG_DIR"
  rm -rf "$KEYS_DIR"
}
trap cleanup EXIT
pg_start "$PG_DIR" "$PG_PORT" -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
  -c shared_buffers=2GB -c work_mem=64MB -c maintenance_work_mem=512MB -c max_wal_size=8GB -c checkpoint_timeout=30min
echo "throwaway cluster on port $PG_PORT (data in $PG_DIR, removed at the end)"

DB=compliancehub_bench
export DOTNET_ENVIRONMENT=Development
pg_export_connection_strings "$PG_DIR" "$PG_PORT" "$DB"
export BENCH_COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)

step "Geolocation database (.cache/geolocation, ADR 0047): the access-log import looks its addresses up in it"
geo_ensure_installed "$ROOT"

step "Build (Release)"
dotnet build src/ComplianceHub.Cli/ComplianceHub.Cli.csproj -c Release --verbosity quiet -nologo
# The circuit measure starts the portal itself (a child process per page, Bench:HeapEndpoint on, Development only).
dotnet build src/ComplianceHub.Web/ComplianceHub.Web.csproj -c Release --verbosity quiet -nologo
CLI="dotnet $ROOT/src/ComplianceHub.Cli/bin/Release/net10.0/ComplianceHub.Cli.dll"
WEB="$ROOT/src/ComplianceHub.Web/bin/Release/net10.0/ComplianceHub.Web.dll"

step "Database: provision, migrate"
$CLI keys create --folder "$KEYS_DIR" >/dev/null
export Keys__Folder="$KEYS_DIR"
pg_with_role_passwords "$PG_DIR" $CLI provision
$CLI migrate

step "Seed: demo data, then the scale population (--scale $SCALE)"
seed_started=$(date +%s)
$CLI seed --scale "$SCALE"
echo "seed took $(( $(date +%s) - seed_started )) s"

step "Database size after the seed (docs/operations.md sizes a server from these)"
PGPASSFILE="$PG_DIR/pgpass" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$DB" -X -q -P pager=off -c "ANALYZE" -c "
  SELECT c.relname AS \"table\", c.reltuples::bigint AS \"rows (estimate)\",
         pg_size_pretty(pg_table_size(c.oid)) AS \"table\", pg_size_pretty(pg_indexes_size(c.oid)) AS indexes,
         pg_size_pretty(pg_total_relation_size(c.oid)) AS total
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind = 'r' AND n.nspname = 'public'
   ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 12;" \
  -c "SELECT pg_size_pretty(pg_database_size(current_database())) AS \"whole database\";"

step "Bench"
if [ "$SCALE" = "0.1" ]; then
  $CLI bench --quick --timeout "$TIMEOUT" --web "$WEB" "${ONLY[@]}"
else
  $CLI bench --scale "$SCALE" --timeout "$TIMEOUT" --web "$WEB" "${ONLY[@]}"
fi
echo "scripts/bench.sh finished in $(( $(date +%s) - started )) s"
