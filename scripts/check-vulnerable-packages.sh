#!/usr/bin/env bash
# Fails when a NuGet package, direct or transitive, has a known vulnerability: `dotnet list package --vulnerable
# --include-transitive`, which reads the advisories the package sources publish (nuget.org: the GitHub Advisory Database), or the
# `auditSources` of nuget.config when it names some (an internal mirror of the advisories). Prints the report and one result line.
# A source that publishes no vulnerability data (no VulnerabilityInfo resource in its service index: an offline package mirror)
# cannot answer, and "no vulnerable packages" from it would be a false assurance: when no source used has the data, the script
# says NOT CHECKED and exits 0, or 1 with CH_REQUIRE_VULNERABILITY_DATA=1. Needs restored packages.
# Usage: scripts/check-vulnerable-packages.sh [SOLUTION_OR_PROJECT]   (default ComplianceHub.sln)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
TARGET=${1:-ComplianceHub.sln}

REPORT=$(mktemp)
trap 'rm -f "$REPORT"' EXIT
if ! dotnet list "$TARGET" package --vulnerable --include-transitive >"$REPORT" 2>&1; then
  cat "$REPORT" >&2
  echo "error: dotnet list package --vulnerable failed (above)" >&2
  exit 1
fi

# The sources it read (listed under "The following sources were used:"), and whether each publishes vulnerability data.
sources=$(awk '/^The following sources were used:/ { f = 1; next } f && /^ +[^ ]/ { print $1; next } f { f = 0 }' "$REPORT")
with_data=0 without=""
for source in $sources; do
  case "$source" in
    http*)
      if ! command -v curl >/dev/null 2>&1; then without+=" $source (curl is missing to ask it)"
      elif curl -fsS -m 30 --compressed "$source" 2>/dev/null | grep -q '"VulnerabilityInfo'; then with_data=$((with_data + 1))
      else without+=" $source"
      fi ;;
    *) without+=" $source" ;; # a local folder publishes no advisories
  esac
done

if grep -q 'has the following vulnerable packages' "$REPORT"; then
  cat "$REPORT"
  echo "vulnerable packages: $(grep -cE '^ +> ' "$REPORT") package reference(s) with known vulnerabilities (above): update them in Directory.Packages.props"
  exit 1
fi
if [ "$with_data" -eq 0 ]; then
  echo "vulnerable packages: NOT CHECKED: the package source(s)${without:- (none named)} publish no vulnerability data (no VulnerabilityInfo resource in the service index); run this where nuget.org is reachable, or name a mirror of the advisories in nuget.config's auditSources"
  [ "${CH_REQUIRE_VULNERABILITY_DATA:-0}" = 1 ] && exit 1
  exit 0
fi
echo "vulnerable packages: none known (advisories from $with_data source(s)${without:+; without data:$without})"
