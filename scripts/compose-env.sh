#!/usr/bin/env bash
# Writes the passwords docker-compose.yml asks for (the PostgreSQL superuser's, the owner role's, the application role's)
# into .env, or the file given, each generated (32 random bytes, base64url), mode 0600; keeps a file that already exists.
# docker compose reads .env itself:   scripts/compose-env.sh && docker compose up --build
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/postgres.sh
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
