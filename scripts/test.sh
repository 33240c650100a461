#!/usr/bin/env bash
# Runs every test of ComplianceHub on a fresh Debian/Ubuntu machine with the .NET 10 SDK, unattended:
# a throwaway PostgreSQL cluster, Chromium for the browser tests, a Release build, the EF model check,
# the docker-compose.yml check, then every test project. Prints "N passed, N failed, N skipped" last and
# exits non-zero on any failure. Cleans up what it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export MSBUILDDISABLENODEREUSE=1 UseSharedCompilation=false DOTNET_CLI_USE_MSBUILD_SERVER=0 \
       DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
source scripts/lib/postgres.sh
source scripts/lib/geolocation.sh

step() { printf '\n==> %s\n' "$*"; }

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" -eq 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

step "PostgreSQL"
pg_ensure_installed
PG_DIR=$(mktemp -d /tmp/compliancehub-test-pg.XXXXXX)
PG_PORT=${TEST_PG_PORT:-55440}
while ! pg_port_free "$PG_PORT"; do PG_PORT=$((PG_PORT + 1)); done
LOG=$(mktemp /tmp/compliancehub-test-log.XXXXXX)
cleanup() {
  pg_stop "$PG_DIR"
  as_root rm -rf "$PG_DIR"
  rm -f "$LOG"
}
trap cleanup EXIT
# A throwaway cluster: durability off for speed; plenty of connections for parallel test projects.
pg_start "$PG_DIR" "$PG_PORT" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300
# Every role signs in with its password from the cluster's credentials file, which the connection string names.
export TEST_PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres;Passfile=$PG_DIR/pgpass"
echo "throwaway cluster on port $PG_PORT (scram-sha-256 passwords in $PG_DIR/pgpass)"

step "Chromium, git, docker-compose and nginx"
[ -x /usr/bin/chromium ] || apt_install chromium
command -v git >/dev/null 2>&1 || apt_install git # the contribution tests build real repositories
command -v openssl >/dev/null 2>&1 || apt_install openssl # signatures are checked with standard tools too
command -v python3 >/dev/null 2>&1 || apt_install python3 # the evidence package's own verification script
command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || apt_install docker-compose
# The reliability tests put two portals behind a real nginx (scripts/lb.sh).
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || apt_install nginx

step "The API client tools (tests/api-client, pinned by its package-lock.json)"
# Redocly's lint, openapi-typescript, openapi-fetch and tsc, as API consumers run them on /openapi/v1.json
# (OpenApiDocumentTests, ApiClientJourneyTests). npm ci installs exactly the lock file, afresh on every run.
command -v npm >/dev/null 2>&1 || apt_install nodejs npm
(cd tests/api-client && npm ci --no-audit --no-fund --loglevel=error)

step "Geolocation database (.cache/geolocation, ADR 0047): the integration tests look addresses up in it"
geo_ensure_installed "$ROOT"

step "Build (Release)"
dotnet tool restore >/dev/null
dotnet restore ComplianceHub.sln --verbosity quiet
dotnet build ComplianceHub.sln --no-restore -c Release --verbosity quiet -nologo

step "SBOM and vulnerable packages"
# The software bill of materials (CycloneDX JSON, artifacts/sbom/bom.json) and the known-vulnerable package check: fails the run
# on any vulnerable package; says NOT CHECKED, without failing, when the package source publishes no vulnerability data.
command -v curl >/dev/null 2>&1 || apt_install curl # asks each package source whether it publishes vulnerability data
bash scripts/sbom.sh
bash scripts/check-vulnerable-packages.sh

step "The standalone evidence verifier (self-contained, single file)"
# Published on every run so that it cannot rot; a test runs the file against a built package (EvidenceStandardToolsTests).
bash scripts/publish-verifier.sh
export COMPLIANCEHUB_VERIFIER=$ROOT/artifacts/verifier/verify-evidence

step "EF model has no pending changes"
dotnet tool run dotnet-ef migrations has-pending-model-changes \
  --project src/ComplianceHub.Core --startup-project src/ComplianceHub.Cli --no-build --configuration Release

step "docker-compose.yml is valid"
# It has no default passwords: check it with a throwaway .env from scripts/compose-env.sh, as a user would make one, and
# that it refuses to start without one.
COMPOSE_ENV=$(mktemp -d /tmp/compliancehub-compose.XXXXXX)
scripts/compose-env.sh "$COMPOSE_ENV/.env" >/dev/null
[ "$(stat -c %a "$COMPOSE_ENV/.env")" = 600 ] || { echo "error: scripts/compose-env.sh wrote a .env others may read" >&2; exit 1; }
compose() { if docker compose version >/dev/null 2>&1; then docker compose "$@"; else docker-compose "$@"; fi; }
compose --env-file "$COMPOSE_ENV/.env" -f docker-compose.yml config --quiet
rm -rf "$COMPOSE_ENV"
if (unset POSTGRES_PASSWORD CH_OWNER_PASSWORD CH_APP_PASSWORD
    compose --env-file /dev/null -f docker-compose.yml config --quiet >/dev/null 2>&1); then
  echo "error: docker-compose.yml starts without passwords" >&2
  exit 1
fi
echo "docker-compose.yml accepted"

step "Tests"
# The browser tests save screenshots of the main pages here (a test artifact; artifacts/ is not committed).
export E2E_SCREENSHOTS=${E2E_SCREENSHOTS:-$ROOT/artifacts/screenshots}
rm -rf "$E2E_SCREENSHOTS"
set +e
# One project at a time, the browser tests after the others: on a two-core machine the browser tests share nothing with the
# integration tests (whose 50,000-row import would otherwise starve the browser and the portal under test). The reliability
# tests run last, on PostgreSQL clusters, portals and an nginx of their own; their figures (operations, conflicts retried,
# restarts survived, seconds to healthy) are kept in artifacts/reliability-figures.md and printed after them, passed or
# failed (the console logger's one-line summary per project, which the count below reads, stays as it is).
rc=0
: > "$LOG"
FIGURES=$ROOT/artifacts/reliability-figures.md
rm -f "$FIGURES"
for project in $(ls -d tests/*Tests/ | grep -v -e E2E -e Reliability) $(ls -d tests/*E2ETests/) $(ls -d tests/*ReliabilityTests/); do
  dotnet test "$project" --no-build -c Release 2>&1 | tee -a "$LOG"
  status=${PIPESTATUS[0]}
  [ "$status" -eq 0 ] || rc=$status
done
if [ -f "$FIGURES" ]; then
  echo
  echo "Reliability figures ($FIGURES):"
  cat "$FIGURES"
fi
set -e
summary=$(grep -E '^(Passed|Failed)!  - Failed:' "$LOG" \
  | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\1 \2 \3/' \
  | awk '{f+=$1; p+=$2; s+=$3; n++} END {printf "%d %d %d %d", p, f, s, n}')
read -r passed failed skipped projects <<<"$summary"
expected=$(ls -d tests/*/ | grep -c Tests/ || true)
if [ "$projects" -lt "$expected" ]; then
  echo "error: only $projects of $expected test projects reported a result" >&2
  rc=1
fi
echo
echo "screenshots: $(ls "$E2E_SCREENSHOTS" 2>/dev/null | wc -l) in $E2E_SCREENSHOTS"
echo "$passed passed, $failed failed, $skipped skipped"
exit "$rc"
