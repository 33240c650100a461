#!/usr/bin/env bash
# The offline geolocation database the portal looks access-log addresses up in (issue 25, ADR 0047):
# ip-location-db's geo-whois-asn-country (IPv4 and IPv6, country level, MaxMind DB format), data of the five regional internet
# registries published by the NRO under CC BY 4.0 (attribution: nro.net). Installed from npm at a pinned version whose tarball
# is checked against its pinned sha512 before anything is extracted; kept in $ROOT/.cache/geolocation/<name>-<version>/ with the
# package's package.json, README.md and NRO_LICENSE beside it. An administrator can load a newer file in the portal
# (docs/operations/geolocation.md).
#   source scripts/lib/geolocation.sh; geo_ensure_installed "$ROOT"   # exports Geolocation__DatabasePath
#   bash scripts/lib/geolocation.sh [ROOT]                            # installs and prints the path
# Needs npm (installed with apt-get when missing) and, the first time, the npm registry.

GEO_PACKAGE=@ip-location-db/geo-whois-asn-country-mmdb
GEO_VERSION=2.3.2026061719
# npm view @ip-location-db/geo-whois-asn-country-mmdb@2.3.2026061719 dist.integrity
GEO_INTEGRITY=sha512-xemBDNQl4mCYDuVbqe3jKGKsVDykZGkfvebhtOh/3VGLadq8vsp7t7ontpMUt3hH7sAGT0eLDyJ99SV+0waxZg==
GEO_FILE=geo-whois-asn-country.mmdb

_geo_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    echo "error: '$*' needs root (no sudo); install it as root" >&2; return 1; fi
}

# Installs the database into ROOT/.cache/geolocation when it is missing (idempotent) and exports Geolocation__DatabasePath.
geo_ensure_installed() {
  local root=${1:?usage: geo_ensure_installed ROOT}
  local dir="$root/.cache/geolocation/geo-whois-asn-country-$GEO_VERSION"
  if [ ! -s "$dir/$GEO_FILE" ] || [ ! -s "$dir/package.json" ]; then
    echo "==> installing the geolocation database $GEO_PACKAGE@$GEO_VERSION (npm pack, sha512 checked)"
    if ! command -v npm >/dev/null 2>&1; then
      echo "    npm is missing: installing Debian's nodejs and npm (apt-get)"
      _geo_as_root apt-get update -qq &&
        DEBIAN_FRONTEND=noninteractive _geo_as_root apt-get install -y -qq nodejs npm >/dev/null ||
        { echo "error: npm is needed to install the geolocation database; install Debian's npm package and run again" >&2; return 1; }
    fi
    local work
    work=$(mktemp -d "${TMPDIR:-/tmp}/compliancehub-geo.XXXXXX") || return 1
    if ! (cd "$work" && npm pack --silent --no-audit --no-fund --loglevel=error "$GEO_PACKAGE@$GEO_VERSION" >pack.out); then
      echo "error: npm pack $GEO_PACKAGE@$GEO_VERSION failed (is the npm registry reachable?)" >&2
      rm -rf "$work"; return 1
    fi
    local tarball
    tarball=$(find "$work" -maxdepth 1 -name '*.tgz' | head -n 1)
    local actual
    # node comes with npm: no other tool needed for the check
    actual="sha512-$(node -e 'process.stdout.write(require("crypto").createHash("sha512").update(require("fs").readFileSync(process.argv[1])).digest("base64"))' "$tarball")"
    if [ "$actual" != "$GEO_INTEGRITY" ]; then
      echo "error: $tarball is not the pinned $GEO_PACKAGE@$GEO_VERSION (its sha512 is $actual, expected $GEO_INTEGRITY)" >&2
      rm -rf "$work"; return 1
    fi
    tar -xzf "$tarball" -C "$work" package/$GEO_FILE package/package.json package/README.md package/NRO_LICENSE || { rm -rf "$work"; return 1; }
    mkdir -p "$dir.partial"
    cp "$work/package/$GEO_FILE" "$work/package/package.json" "$work/package/README.md" "$work/package/NRO_LICENSE" "$dir.partial/"
    rm -rf "$work" "$dir"
    mv "$dir.partial" "$dir" # a complete folder or none: an interrupted install is done again
    echo "    installed $dir/$GEO_FILE"
  fi
  export Geolocation__DatabasePath="$dir/$GEO_FILE"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  geo_ensure_installed "${1:-$(cd "$(dirname "$0")/../.." && pwd)}"
  echo "$Geolocation__DatabasePath"
fi
