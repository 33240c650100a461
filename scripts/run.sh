#!/usr/bin/env bash
# Starts ComplianceHub on a fresh Debian/Ubuntu machine with the .NET 10 SDK, unattended:
# installs PostgreSQL if missing, keeps a project-local cluster in .data/ (run as the postgres user; every role, the
# superuser included, signs in with a scram-sha-256 password generated into .data/postgres/pgpass, mode 0600, for the
# account running this script alone), provisions the roles, migrates, seeds the demo data and serves the portal at
# http://127.0.0.1:${PORT:-5000}, over HTTPS at https://localhost:${HTTPS_PORT:-5443}, and with smart card (CAC/PIV)
# sign-in at https://localhost:${CAC_PORT:-5444} from a generated development PKI in .data/pki (its CRLs served at
# http://127.0.0.1:${CRL_PORT:-5081}).
#   scripts/run.sh           start (reuses the cluster, its data and its passwords)
#   scripts/run.sh --reset   start from an empty database (and new passwords)
# A database built by migrations this checkout no longer has (squashed into one baseline, ADR 0032) is dropped and built
# again, with a message: it holds demo data only.
# Ctrl-C stops the portal and the cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PORT=${PORT:-5000}
PG_PORT=${PG_PORT:-55432}
PG_DIR="$ROOT/.data/postgres"
HTTPS_PORT=${HTTPS_PORT:-5443}
CAC_PORT=${CAC_PORT:-5444}
CRL_PORT=${CRL_PORT:-5081}
PKI_DIR="$ROOT/.data/pki"
export MSBUILDDISABLENODEREUSE=1 UseSharedCompilation=false DOTNET_CLI_USE_MSBUILD_SERVER=0 \
       DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
source scripts/lib/postgres.sh
source scripts/lib/geolocation.sh

RESET=0
for arg in "$@"; do
  case "$arg" in
    --reset) RESET=1 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown option: $arg (use --reset or --help)" >&2; exit 2 ;;
  esac
done

step() { printf '\n==> %s\n' "$*"; }
APP_PID=""
CRL_PID=""
cleanup() {
  trap - EXIT INT TERM
  trap "" PIPE  # the terminal or a pipe may already be gone; stopping must still finish
  for pid in "$APP_PID" "$CRL_PID"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  step "stopping PostgreSQL"
  pg_stop "$PG_DIR"
}

step "PostgreSQL (cluster in .data/postgres, port $PG_PORT)"
pg_ensure_installed
# curl waits for the portal's health check below; minimal images lack it.
if ! command -v curl >/dev/null 2>&1; then
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq curl >/dev/null
fi
if ! as_postgres test -x "$ROOT"; then
  echo "error: the postgres user cannot reach $ROOT; make its parent folders traversable (chmod o+x) or clone elsewhere" >&2
  exit 1
fi
if [ "$RESET" -eq 1 ]; then
  pg_stop "$PG_DIR"
  as_root rm -rf "$PG_DIR"
  echo "removed the old cluster"
fi
mkdir -p "$ROOT/.data"
if ! as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1 && ! pg_port_free "$PG_PORT"; then
  echo "error: port $PG_PORT is taken by another program; set PG_PORT to a free port" >&2
  exit 1
fi
trap cleanup EXIT
trap 'exit 130' INT TERM
pg_start "$PG_DIR" "$PG_PORT"

DB=compliancehub
pg_export_connection_strings "$PG_DIR" "$PG_PORT" "$DB"
export DOTNET_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development

step "Geolocation database (.cache/geolocation, ADR 0047)"
geo_ensure_installed "$ROOT"

step "Build (Release)"
dotnet build src/ComplianceHub.Web/ComplianceHub.Web.csproj -c Release --verbosity quiet -nologo
dotnet build src/ComplianceHub.Cli/ComplianceHub.Cli.csproj -c Release --verbosity quiet -nologo
CLI="dotnet $ROOT/src/ComplianceHub.Cli/bin/Release/net10.0/ComplianceHub.Cli.dll"

step "Key files (.data/keys, readable by this account only): the data-protection certificate and the audit signing key"
# Outside the database (issue 19): the key ring in the database is encrypted to the certificate; checkpoints and evidence
# packages are signed with the signing key, whose public half (.data/keys/audit-signing.pub.pem) an auditor verifies with.
$CLI keys create --folder "$ROOT/.data/keys"
export Keys__Folder="$ROOT/.data/keys"

step "Database: provision, migrate, seed"
pg_with_role_passwords "$PG_DIR" $CLI provision
# A database built by the migrations squashed into one baseline (docs/adr/0032-one-baseline-migration.md) holds demo data
# only: --recreate-retired (Development) says so, drops it, provisions and migrates it again; the seed then fills it.
$CLI migrate --recreate-retired
$CLI seed

for p in "$PORT:PORT" "$HTTPS_PORT:HTTPS_PORT" "$CAC_PORT:CAC_PORT" "$CRL_PORT:CRL_PORT"; do
  if ! pg_port_free "${p%%:*}"; then
    echo "error: port ${p%%:*} is taken; stop what runs there or set ${p##*:}" >&2
    exit 1
  fi
done

step "Development PKI (.data/pki): a test root and ID CA, a localhost certificate, smart cards for the demo accounts"
CRL_URL="http://127.0.0.1:$CRL_PORT"
if [ "$RESET" -eq 1 ] || [ ! -f "$PKI_DIR/server.key" ] || [ "$(cat "$PKI_DIR/crl-url" 2>/dev/null)" != "$CRL_URL" ]; then
  rm -rf "$PKI_DIR"
  $CLI dev-pki create --folder "$PKI_DIR" --crl-url "$CRL_URL"
else
  echo "reusing the development PKI in $PKI_DIR"
fi
# The CRL distribution point the certificates name: the portal checks every card against it (fail closed).
$CLI dev-pki serve --folder "$PKI_DIR" --port "$CRL_PORT" &
CRL_PID=$!

step "Starting the portal"
# Three listeners: plain HTTP on loopback for the demo, HTTPS, and the smart card listener, which asks for a client
# certificate at the TLS handshake (HTTP/1.1: Kestrel cannot ask again on HTTP/2).
export Kestrel__Endpoints__Http__Url="http://127.0.0.1:$PORT"
export Kestrel__Endpoints__Https__Url="https://localhost:$HTTPS_PORT"
export Kestrel__Endpoints__Https__Certificate__Path="$PKI_DIR/server.pem"
export Kestrel__Endpoints__Https__Certificate__KeyPath="$PKI_DIR/server.key"
export Kestrel__Endpoints__SmartCard__Url="https://localhost:$CAC_PORT"
export Kestrel__Endpoints__SmartCard__Protocols="Http1"
export Kestrel__Endpoints__SmartCard__ClientCertificateMode="RequireCertificate"
export Kestrel__Endpoints__SmartCard__Certificate__Path="$PKI_DIR/server.pem"
export Kestrel__Endpoints__SmartCard__Certificate__KeyPath="$PKI_DIR/server.key"
export SmartCard__Enabled=true
export SmartCard__SignInUrl="https://localhost:$CAC_PORT/auth/smart-card"
export SmartCard__TrustedRoots__0="$PKI_DIR/root.pem"
export SmartCard__Intermediates__0="$PKI_DIR/intermediate.pem"
# The content root is the project folder (static web assets, appsettings); logs go to .data/logs.
(cd src/ComplianceHub.Web && exec dotnet bin/Release/net10.0/ComplianceHub.Web.dll \
   --Serilog:WriteTo:File:Args:path="$ROOT/.data/logs/compliancehub-.json") &
APP_PID=$!
for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$APP_PID" 2>/dev/null; then echo "error: the portal exited; see the output above" >&2; exit 1; fi
  sleep 1
done
curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null

cat <<INFO

  ComplianceHub is running at  http://127.0.0.1:$PORT
  over HTTPS at                https://localhost:$HTTPS_PORT
  API reference (signed in):   http://127.0.0.1:$PORT/scalar/v1
  Health:                      http://127.0.0.1:$PORT/healthz
  Database (psql):             PGPASSFILE=$PG_DIR/pgpass psql -h 127.0.0.1 -p $PG_PORT -U postgres -d $DB

  Demo accounts:
$($CLI demo-accounts)

  The demo signs in with a password alone (Development). To try the second factor: sign in, choose your name at the top
  right, then "Set up an authenticator app" and scan the QR code with any authenticator app (or type the key). To require
  it for every account, as production does, start with SignIn__RequireSecondFactor=true.

  Smart card (CAC/PIV) sign-in, with the development PKI in $PKI_DIR (a stand-in for the DoD PKI):
    1. Trust its root in the browser: Chromium/Chrome: Settings > Privacy and security > Security > Manage certificates >
       Authorities > Import $PKI_DIR/root.pem ("Trust this certificate for identifying websites").
       Firefox: Settings > Certificates > View Certificates > Authorities > Import.
    2. Import a card: Manage certificates > Your certificates > Import $PKI_DIR/cards/co1.p12 (password: compliancehub).
       Cards: admin, co1, co2, auditor, rep-acme (bound to the demo accounts); co1-revoked and co1-expired are refused.
    3. Open https://localhost:$HTTPS_PORT, acknowledge the banner and choose "Sign in with a smart card (CAC/PIV)"; pick the
       certificate when the browser asks. A card counts as two factors. From the command line:
       curl --cacert $PKI_DIR/root.pem --cert $PKI_DIR/cards/co1.pem --key $PKI_DIR/cards/co1.key \\
            -X POST https://localhost:$CAC_PORT/api/v1/auth/smart-card/token

  Ctrl-C stops the portal and the database. scripts/run.sh --reset starts from an empty database.
INFO
wait "$APP_PID"
