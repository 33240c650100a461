# Shared parts of scripts/backup.sh and scripts/restore.sh (sourced, not executed): the archive format, its encryption and its
# manifest. docs/operations/backup-and-restore.md explains them; docs/adr/0044-backup-restore-and-deployment-hardening.md why.
#
# An archive is a folder:
#   encrypted (the default)   payload.tar.enc   the payload tar, AES-256-CTR (openssl enc, PBKDF2 from a random passphrase)
#                             envelope.cms      CMS AuthEnvelopedData (AES-256-GCM) to the recipient certificate, holding the
#                                               passphrase and the SHA-256 of payload.tar.enc
#   --no-encrypt              payload.tar
# The payload tar holds manifest.json (format, kind, when, from where, the audit chain's head, the SHA-256 of every file) and the
# files it names. Only the small envelope goes through `openssl cms`: its decryption holds the whole input in memory (measured:
# 868 MB for a 300 MB file), while `openssl enc` streams.

BACKUP_FORMAT="compliancehub-backup/1"

die() { echo "error: $*" >&2; exit 1; }
note() { echo "$*" >&2; }

# backup_pg_bin: the folder of the newest PostgreSQL client programs (pg_dump must be at least the server's version).
backup_pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/pg_dump" ]; then echo "$dir"; return; fi
  command -v pg_dump >/dev/null 2>&1 || die "pg_dump not found: install the PostgreSQL client (apt-get install postgresql-client) or give --pg-bin DIR"
  dirname "$(readlink -f "$(command -v pg_dump)")"
}

# backup_require_tools TOOL...: every tool is on the PATH, or a clear error naming the missing ones.
backup_require_tools() {
  local missing="" t
  for t in "$@"; do command -v "$t" >/dev/null 2>&1 || missing+=" $t"; done
  [ -z "$missing" ] || die "missing tools:$missing (Debian: apt-get install openssl tar coreutils)"
}

# backup_check_certificate CERT: CERT is a readable X.509 certificate that has not expired.
backup_check_certificate() {
  [ -r "$1" ] || die "the recipient certificate $1 cannot be read"
  openssl x509 -in "$1" -noout 2>/dev/null || die "$1 is not a PEM certificate (give the backup recipient's certificate, not its key)"
  openssl x509 -in "$1" -noout -checkend 0 >/dev/null 2>&1 || die "the recipient certificate $1 has expired: issue a new one (docs/operations/backup-and-restore.md)"
}

# backup_manifest_files DIR: one JSON line per regular file under DIR but the manifest itself (path relative to DIR, bytes, SHA-256), sorted by path,
# the last without a trailing comma. Names are those pg_dump, pg_basebackup and the key folder use (no quotes or backslashes).
backup_manifest_files() {
  local dir=$1 path n=0 total
  total=$(cd "$dir" && find . -type f ! -path './manifest.json*' | wc -l)
  (cd "$dir" && find . -type f ! -path './manifest.json*' -printf '%P\n' | LC_ALL=C sort) | while IFS= read -r path; do
    case "$path" in *'"'*|*'\'*) die "unexpected file name in the archive: $path" ;; esac
    n=$((n + 1))
    printf '    {"path": "%s", "bytes": %s, "sha256": "%s"}%s\n' "$path" "$(stat -c %s "$dir/$path")" \
      "$(sha256sum "$dir/$path" | cut -d' ' -f1)" "$([ "$n" -lt "$total" ] && echo ,)"
  done
}

# backup_write_archive STAGING OUT RECIPIENT: packs STAGING (manifest.json and the files it names) into the archive folder OUT,
# encrypted to the certificate RECIPIENT (empty: unencrypted, --no-encrypt). Written as OUT.partial and renamed at the end, so
# that an archive folder that exists is complete.
backup_write_archive() {
  local staging=$1 out=$2 recipient=$3 pass digest
  [ ! -e "$out" ] || die "$out already exists: archives are never overwritten"
  rm -rf "$out.partial"
  BACKUP_PARTIAL="$out.partial" # removed by the caller's clean-up if this fails
  (umask 077; mkdir -p "$out.partial")
  if [ -z "$recipient" ]; then
    tar -C "$staging" -cf "$out.partial/payload.tar" .
  else
    # 32 random bytes as hex: the passphrase of this archive alone; it is only in this shell and, encrypted, in the envelope.
    pass=$(openssl rand -hex 32)
    tar -C "$staging" -cf - . \
      | openssl enc -aes-256-ctr -pbkdf2 -iter 10000 -salt -pass fd:3 -out "$out.partial/payload.tar.enc" 3< <(printf '%s\n' "$pass")
    digest=$(sha256sum "$out.partial/payload.tar.enc" | cut -d' ' -f1)
    printf 'format=%s\npassphrase=%s\npayload-sha256=%s\n' "$BACKUP_FORMAT" "$pass" "$digest" \
      | openssl cms -encrypt -aes-256-gcm -binary -outform DER -out "$out.partial/envelope.cms" "$recipient" \
      || die "could not encrypt the archive's envelope to $recipient"
    pass=""
  fi
  mv "$out.partial" "$out"
  BACKUP_PARTIAL=""
}

# backup_open_archive ARCHIVE IDENTITY STAGING: unpacks the archive folder ARCHIVE into the empty folder STAGING after checking it:
# the envelope opens with the private key IDENTITY (PEM; passphrase from CH_BACKUP_KEY_PASSWORD when it has one), the payload's
# SHA-256 is the envelope's, and, once unpacked, every file is the manifest's and the manifest names every file. Nothing is
# unpacked from an archive that fails a check before it.
backup_open_archive() {
  local archive=$1 identity=$2 staging=$3 envelope pass digest actual
  [ -d "$archive" ] || die "$archive is not a backup archive (a folder made by scripts/backup.sh)"
  if [ -f "$archive/payload.tar" ]; then
    note "the archive $archive is not encrypted (made with --no-encrypt)"
    tar -C "$staging" -xf "$archive/payload.tar" || die "$archive/payload.tar cannot be unpacked: the archive is damaged"
  elif [ -f "$archive/payload.tar.enc" ] && [ -f "$archive/envelope.cms" ]; then
    [ -n "$identity" ] || die "the archive $archive is encrypted: give the private key of its recipient certificate with --identity KEY.pem"
    [ -r "$identity" ] || die "the private key $identity cannot be read"
    local passin=()
    [ -z "${CH_BACKUP_KEY_PASSWORD:-}" ] || passin=(-passin env:CH_BACKUP_KEY_PASSWORD)
    if ! envelope=$(openssl cms -decrypt -binary -inform DER -in "$archive/envelope.cms" -inkey "$identity" "${passin[@]}" 2>/dev/null | tr -d '\000'); then
      die "the archive $archive cannot be decrypted with the key $identity: it was encrypted to another certificate ($(backup_recipients "$archive/envelope.cms")), or the envelope was changed. Nothing was restored."
    fi
    [ "$(sed -n 's/^format=//p' <<<"$envelope")" = "$BACKUP_FORMAT" ] || die "the archive $archive is not in the format $BACKUP_FORMAT"
    pass=$(sed -n 's/^passphrase=//p' <<<"$envelope")
    digest=$(sed -n 's/^payload-sha256=//p' <<<"$envelope")
    envelope=""
    actual=$(sha256sum "$archive/payload.tar.enc" | cut -d' ' -f1)
    [ "$actual" = "$digest" ] || die "the archive $archive was changed after it was written (payload.tar.enc has SHA-256 $actual, the envelope says $digest). Nothing was restored."
    openssl enc -d -aes-256-ctr -pbkdf2 -iter 10000 -pass fd:3 -in "$archive/payload.tar.enc" 3< <(printf '%s\n' "$pass") \
      | tar -C "$staging" -xf - || die "the archive $archive cannot be unpacked"
    pass=""
  else
    die "$archive holds neither payload.tar.enc with envelope.cms nor payload.tar: not a backup archive"
  fi
  backup_verify_manifest "$staging" "$archive"
}

# backup_recipients ENVELOPE: the issuer and serial number of the certificate(s) an envelope was encrypted to, in words.
backup_recipients() {
  openssl cms -cmsout -print -inform DER -in "$1" 2>/dev/null \
    | awk '/issuerAndSerialNumber/ {f=1} f && /issuer:/ {sub(/^ */, ""); i=$0} f && /serialNumber:/ {sub(/^ */, ""); print i ", " $0; f=0}' \
    | paste -sd ';' - || true
}

# backup_verify_manifest STAGING ARCHIVE: every file the manifest names has its size and SHA-256, and no other file is there.
backup_verify_manifest() {
  local staging=$1 archive=$2 expected actual bad
  [ -f "$staging/manifest.json" ] || die "the archive $archive has no manifest.json"
  [ "$(manifest_field "$staging/manifest.json" format)" = "$BACKUP_FORMAT" ] || die "the archive $archive is not in the format $BACKUP_FORMAT"
  expected=$(sed -n 's/^    {"path": "\([^"]*\)", "bytes": [0-9]*, "sha256": "\([0-9a-f]*\)"},\{0,1\}$/\2  \1/p' "$staging/manifest.json")
  [ -n "$expected" ] || die "the manifest of $archive names no files"
  if ! bad=$(cd "$staging" && sha256sum --check --quiet --strict - <<<"$expected" 2>&1); then
    die "the archive $archive does not match its manifest (it was changed or damaged): $(printf '%s' "$bad" | head -n 3 | paste -sd ';' -). Nothing was restored."
  fi
  actual=$(cd "$staging" && find . -type f ! -path ./manifest.json -printf '%P\n' | LC_ALL=C sort)
  [ "$actual" = "$(cut -c67- <<<"$expected" | LC_ALL=C sort)" ] \
    || die "the archive $archive holds files its manifest does not name: $(comm -13 <(cut -c67- <<<"$expected" | LC_ALL=C sort) <(printf '%s\n' "$actual") | head -n 3 | paste -sd ' ' -). Nothing was restored."
}

# manifest_field FILE NAME: the value of a top-level "NAME": value line of a manifest (quotes removed).
manifest_field() {
  sed -n -e "s/^  \"$2\": \"\([^\"]*\)\",\{0,1\}\$/\1/p" -e "s/^  \"$2\": \([0-9a-z.-]*\),\{0,1\}\$/\1/p" "$1" | head -n 1
}

# json_string TEXT: TEXT as a JSON string (quotes and backslashes escaped; the values here hold no control characters).
json_string() {
  local s=${1//\\/\\\\}
  printf '"%s"' "${s//\"/\\\"}"
}
