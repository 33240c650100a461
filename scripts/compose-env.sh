#!/usr/bin/env bash
# Writes the passwords docker-compose.yml asks for (the PostgreSQL superuser's, the owner role's, the application role's)
# into .env, or the file given, each generated (32 random bytes, base64url), mode 0600; keeps a file that already exists.
# docker compose reads .env itself:   scripts/compose-env.sh && docker compose up --build
# It also installs the offline geolocation database into .cache/geolocation, which the image copies (ADR 0047).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/postgres.sh
source scripts/lib/geolocation.sh
geo_ensure_installed "$PWD" >/dev/null
FILE=${1:-.env}
if [ -s "$FILE" ]; then
  echo "keeping the passwords in $FILE"
  exit 0
fi
(
  umask 077
  for name in POSTGRES_PASSWORD CH_OWNER_PASSWORD CH_APP_PASSWORD; do
    echo "$name=$(pg_new_password)"
  done >"$FILE"
)
echo "wrote new passwords to $FILE (mode $(stat -c %a "$FILE"))"
