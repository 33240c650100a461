#!/usr/bin/env bash
# PostgreSQL's archive_command for point-in-time recovery (docs/operations/backup-and-restore.md):
#   archive_command = '/opt/compliancehub/scripts/archive-wal.sh %p %f /var/backups/compliancehub/wal /etc/compliancehub/backup.crt'
# Encrypts the WAL file %p to the recipient certificate (CMS, AES-256-GCM; a segment is 16 MB, small enough for `openssl cms`) as
# DIR/%f.cms, or copies it as DIR/%f when no certificate is given. Written under a temporary name, flushed, then renamed, so that a
# file in DIR is whole. A file already archived is accepted again only when its content is the same (the SHA-256 beside it),
# as PostgreSQL's documentation asks; a different one fails, and PostgreSQL keeps the segment and retries.
set -euo pipefail
umask 077
[ $# -ge 3 ] || { echo "usage: archive-wal.sh %p %f ARCHIVE_DIR [RECIPIENT_CERT.pem]" >&2; exit 2; }
path=$1 name=$2 dir=$3 cert=${4:-}
target="$dir/$name$([ -n "$cert" ] && echo .cms)"
digest=$(sha256sum "$path" | cut -d' ' -f1)
if [ -f "$target" ]; then
  [ "$(cat "$target.sha256" 2>/dev/null)" = "$digest" ] && exit 0
  echo "archive-wal: $target exists with other content: refusing to overwrite it" >&2
  exit 1
fi
if [ -n "$cert" ]; then
  openssl cms -encrypt -aes-256-gcm -binary -outform DER -in "$path" -out "$target.tmp" "$cert"
else
  cp "$path" "$target.tmp"
fi
printf '%s\n' "$digest" >"$target.sha256.tmp"
sync "$target.tmp" "$target.sha256.tmp"
mv "$target.sha256.tmp" "$target.sha256"
mv "$target.tmp" "$target"
sync "$dir"
