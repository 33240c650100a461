#!/usr/bin/env bash
# Writes the software bill of materials of ComplianceHub's shipped programs (the portal, the CLI, the verifier; test projects
# left out) as CycloneDX JSON: artifacts/sbom/bom.json, every NuGet package with its version, purl, licence and SHA-512.
# The CycloneDX dotnet tool is pinned in dotnet-tools.json. Needs restored packages (dotnet restore); prints one line.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
OUT=${1:-artifacts/sbom}
mkdir -p "$OUT"
dotnet tool restore >/dev/null
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
if ! dotnet tool run dotnet-CycloneDX ComplianceHub.sln --exclude-test-projects --disable-package-restore \
      --output "$OUT" --filename bom.json --output-format Json --set-name ComplianceHub -c Release >"$LOG" 2>&1; then
  cat "$LOG" >&2
  echo "error: the SBOM could not be written (above); run dotnet restore ComplianceHub.sln first" >&2
  exit 1
fi
components=$(grep -c '"purl": "pkg:nuget/' "$OUT/bom.json" || true)
[ "$components" -gt 0 ] || { echo "error: $OUT/bom.json names no package" >&2; exit 1; }
echo "SBOM: $OUT/bom.json (CycloneDX $(sed -n 's/.*"specVersion": "\([0-9.]*\)".*/\1/p' "$OUT/bom.json" | head -n 1), $components NuGet packages)"
