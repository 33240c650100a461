#!/usr/bin/env bash
# Publishes the evidence package verifier as one self-contained, trimmed executable for linux-x64 (no .NET needed where it
# runs): artifacts/verifier/verify-evidence. Give it to an outside auditor with the audit signing public key:
#   verify-evidence evidence-20261101-20261128.zip --public-key audit-signing.pub.pem
# The runtime pack and the trimmer come from the NuGet feed the first time (then from the local cache). scripts/test.sh runs
# this, and a test runs the file it makes against a built package (docs/audit/evidence-package.md).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
OUT=${1:-artifacts/verifier}
rm -rf "$OUT"
start=$(date +%s)
dotnet publish src/ComplianceHub.Verifier/ComplianceHub.Verifier.csproj -c Release -r linux-x64 --self-contained \
  -p:PublishSingleFile=true -p:PublishTrimmed=true -p:EnableCompressionInSingleFile=true -p:DebugType=none \
  -o "$OUT" --verbosity quiet -nologo
test -x "$OUT/verify-evidence"
echo "published $OUT/verify-evidence ($(du -h "$OUT/verify-evidence" | cut -f1), $(( $(date +%s) - start )) s)"
