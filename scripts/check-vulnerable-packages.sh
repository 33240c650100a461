#!/usr/bin/env bash
# Fails when a NuGet package of the solution, direct or transitive, has a known vulnerability (dotnet list package --vulnerable,
# which reads the advisories the package source publishes: on nuget.org, the GitHub Advisory Database). Prints the report and
# one result line. A package source that publishes no vulnerability data (no VulnerabilityInfo resource in its service index:
# an offline mirror) cannot answer: the script says so and exits 0 unless CH_REQUIRE_VULNERABILITY_DATA=1, since "nothing
# found" from a source that knows nothing would be a false assurance. Needs restored packages.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

# The sources the solution restores from, and whether each publishes vulnerability data.
sources=$(dotnet nuget list source --format short 2>/dev/null | awk '$1 ~ /^E/ { print $2 }')
with_data=0 without=""
for source in $sources; do
  case "$source" in
    http*) if ! command -v curl >/dev/null 2>&1; then without+=" $source (curl is missing to ask it)"
           elif curl -fsS -m 30 --compressed "$source" 2>/dev/null | grep -q '"VulnerabilityInfo'; then with_data=$((with_data + 1)); else without+=" $source"; fi ;;
    *) without+=" $source" ;; # a local folder has no advisories
  esac
done
if [ "$with_data" -eq 0 ]; then
  echo "vulnerable packages: NOT CHECKED: the package source(s)${without:- (none)} publish no vulnerability data (no VulnerabilityInfo resource in the service index); run this where nuget.org itself is reachable"
  [ "${CH_REQUIRE_VULNERABILITY_DATA:-0}" = 1 ] && exit 1
  exit 0
fi

REPORT=$(mktemp)
trap 'rm -f "$REPORT"' EXIT
if ! dotnet list ComplianceHub.sln package --vulnerable --include-transitive >"$REPORT" 2>&1; then
  cat "$REPORT" >&2
  echo "error: dotnet list package --vulnerable failed (above)" >&2
  exit 1
fi
found=$(grep -cE '^ +> ' "$REPORT" || true)
if grep -q 'has the following vulnerable packages' "$REPORT"; then
  cat "$REPORT"
  echo "vulnerable packages: $found package reference(s) with known vulnerabilities (above): update them in Directory.Packages.props"
  exit 1
fi
echo "vulnerable packages: none known (sources with vulnerability data: $with_data${without:+; without:$without})"
