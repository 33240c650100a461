#!/usr/bin/env bash
# Installs ComplianceHub as a hardened, non-root systemd service (deploy/compliancehub.service, deploy/compliancehub-migrate.service):
# the `compliancehub` system account, the folders with their modes, the configuration file (0600, never overwritten), the
# published portal and CLI when given, and the units; enables them. Safe to run twice. --dry-run prints what it would do.
# docs/operations/systemd.md explains each step and the unit.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

usage() {
  cat <<'USAGE'
Usage: sudo scripts/install-service.sh [--web DIR] [--cli DIR] [--start] [--dry-run]

  --web DIR   the published portal (dotnet publish src/ComplianceHub.Web -c Release -o DIR), copied to /opt/compliancehub/web
  --cli DIR   the published CLI (dotnet publish src/ComplianceHub.Cli -c Release -o DIR), copied to /opt/compliancehub/cli
  --start     start the service at the end (default: enable only; fill in /etc/compliancehub/compliancehub.env first)
  --dry-run   print the commands, change nothing
Creates: the system account compliancehub (no login shell, home /var/lib/compliancehub); /opt/compliancehub (root, 0755: the
service cannot change its own code); /etc/compliancehub (root:compliancehub 0750); /etc/compliancehub/keys (compliancehub 0700:
run `Cli keys create` as that account); /etc/compliancehub/compliancehub.env (root 0600, read by systemd, from a template when
missing); /var/lib/compliancehub (0700) and /var/log/compliancehub (0750); the units in /etc/systemd/system.
USAGE
}

DRY_RUN=0 WEB="" CLI="" START=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=1; shift ;;
    --web) WEB=${2:?--web needs a folder}; shift 2 ;;
    --cli) CLI=${2:?--cli needs a folder}; shift 2 ;;
    --start) START=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; echo "error: unknown option $1" >&2; exit 1 ;;
  esac
done
if [ "$DRY_RUN" -eq 0 ] && [ "$(id -u)" -ne 0 ]; then echo "error: run as root (sudo), or with --dry-run" >&2; exit 1; fi
for dir in "$WEB" "$CLI"; do
  [ -z "$dir" ] || [ -d "$dir" ] || { echo "error: $dir is not a folder (give a dotnet publish output)" >&2; exit 1; }
done
[ -z "$WEB" ] || [ -f "$WEB/ComplianceHub.Web.dll" ] || { echo "error: $WEB has no ComplianceHub.Web.dll" >&2; exit 1; }
[ -z "$CLI" ] || [ -f "$CLI/ComplianceHub.Cli.dll" ] || { echo "error: $CLI has no ComplianceHub.Cli.dll" >&2; exit 1; }

run() {
  if [ "$DRY_RUN" -eq 1 ]; then printf '+ %s\n' "$*"; else "$@"; fi
}

USER_NAME=compliancehub
UNIT_DIR=/etc/systemd/system
ENV_FILE=/etc/compliancehub/compliancehub.env

if id "$USER_NAME" >/dev/null 2>&1; then
  echo "account $USER_NAME exists"
else
  run useradd --system --user-group --home-dir /var/lib/compliancehub --no-create-home --shell /usr/sbin/nologin \
    --comment "ComplianceHub portal" "$USER_NAME"
fi
run install -d -o root -g root -m 0755 /opt/compliancehub /opt/compliancehub/web /opt/compliancehub/cli
run install -d -o root -g "$USER_NAME" -m 0750 /etc/compliancehub
run install -d -o "$USER_NAME" -g "$USER_NAME" -m 0700 /etc/compliancehub/keys
run install -d -o "$USER_NAME" -g "$USER_NAME" -m 0700 /var/lib/compliancehub
run install -d -o "$USER_NAME" -g "$USER_NAME" -m 0750 /var/log/compliancehub
if [ -e "$ENV_FILE" ]; then
  echo "$ENV_FILE exists: kept"
  run chmod 0600 "$ENV_FILE"
  run chown root:root "$ENV_FILE"
else
  run install -o root -g root -m 0600 "$ROOT/deploy/compliancehub.env.example" "$ENV_FILE"
fi
[ -z "$WEB" ] || run cp -a "$WEB/." /opt/compliancehub/web/
[ -z "$CLI" ] || run cp -a "$CLI/." /opt/compliancehub/cli/
# The offline geolocation database (ADR 0047): the copy the scripts installed in .cache/geolocation, with its licence files.
GEO_DIR=$(ls -d "$ROOT"/.cache/geolocation/*/ 2>/dev/null | tail -1)
if [ -n "$GEO_DIR" ]; then
  run install -d -o root -g root -m 0755 /opt/compliancehub/geolocation
  run cp -a "$GEO_DIR." /opt/compliancehub/geolocation/
else
  echo "note: no geolocation database in $ROOT/.cache/geolocation (bash scripts/lib/geolocation.sh installs it); access-log addresses stay unknown until one is installed or loaded"
fi
run install -o root -g root -m 0644 "$ROOT/deploy/compliancehub.service" "$UNIT_DIR/compliancehub.service"
run install -o root -g root -m 0644 "$ROOT/deploy/compliancehub-migrate.service" "$UNIT_DIR/compliancehub-migrate.service"
if command -v systemd-analyze >/dev/null 2>&1; then
  run systemd-analyze verify "$UNIT_DIR/compliancehub-migrate.service" "$UNIT_DIR/compliancehub.service"
fi
run systemctl daemon-reload
run systemctl enable compliancehub.service
if [ "$START" -eq 1 ]; then
  run systemctl start compliancehub.service
else
  echo "next: fill in $ENV_FILE, create the keys (sudo -u $USER_NAME dotnet /opt/compliancehub/cli/ComplianceHub.Cli.dll keys create --folder /etc/compliancehub/keys), then systemctl start compliancehub"
fi
