namespace ComplianceHub.Core.Evidence;

/// <summary>The README.txt of a package: what each file is and how to verify the package without the portal.</summary>
internal static class EvidenceReadme
{
    public static string Text(EvidenceRange range, DateTimeOffset generatedAt) => $"""
        ComplianceHub evidence package
        ==============================

        Range: {EvidencePackage.Date(range.From)} to {EvidencePackage.Date(range.To)} (UTC days, both inclusive:
        {EvidencePackage.Instant(range.Start)} <= instant < {EvidencePackage.Instant(range.End)}).
        Generated: {EvidencePackage.Instant(generatedAt)}. Format: {EvidencePackage.Format}.

        Files
        -----
        findings.json             findings open at any time in the range or raised in it (status as at generation)
        roster.json               every vendor's people as they stood on the last day of the range, rebuilt from the
                                  effective-dated fact history (facts, and when and from what source each took effect)
        grants.json               access grants whose period overlaps the range (status as at generation)
        escort-assignments.json   escort assignments whose period overlaps the range
        attestations.json         location attestations signed in the range, with their SHA-256 (and whether it still
                                  matches the stored content)
        policy-versions.json      every policy version, its status, activation and retirement, and its parameters
        access.jsonl              who could touch each system during the range, one JSON object per line (system by
                                  system): every holder whose grant was active at some moment of the range, with the
                                  intervals it was (UTC instants; status changes at their recorded instants, effective
                                  dates as UTC days), each with the holder's facts then (where they worked, their
                                  citizenships), the escort assignments covering them, the policy version and the
                                  system's impact level in force, and the rules' verdict under that version
        audit-events.jsonl        the audit events of the range, one JSON object per line, in sequence order, with every
                                  field of the hash chain's canonical form and the event's hash
        chain-head.json           the anchor (the hash the first event links to), the last event of the package, and the
                                  live chain head at generation time with the result of verifying the whole live chain
        manifest.json             package metadata and the name, size and SHA-256 of every other file

        Verifying
        ---------
        With the ComplianceHub CLI (no database needed):

            dotnet run --project src/ComplianceHub.Cli -- verify-evidence {range.FileName}

        It checks that every file listed in manifest.json is present with the listed size and SHA-256, that no file is
        unlisted, and that the audit events form an unbroken chain: sequence numbers contiguous, each previousHash equal to
        the hash of the line before (the first equal to chain-head.json's anchor), each hash equal to SHA-256 of the event's
        canonical form, and the last event equal to chain-head.json's "last". It lists every problem it finds.

        By hand: sha256sum each file and compare with manifest.json. An event's hash is the lower-case hex SHA-256 of the
        UTF-8 JSON object with the keys, in this order: sequence, occurredAt, actorUserId, actorName, actorRole,
        actorVendorId, authenticationMethod, eventType, operation, subjectType, subjectId, changes, ruleOutcomes,
        correlationId, previousHash, then — only those the event has, in this order — sessionId, apiTokenId, clientAddress,
        userAgent (where the change came from; an event without them ends at previousHash) — no whitespace, the objects
        inside changes and ruleOutcomes with their keys sorted
        (ordinal), occurredAt as written in the line (UTC, microseconds), strings escaped as .NET's System.Text.Json does
        by default (non-ASCII and the characters " & ' + < > ` as \uXXXX). See docs/audit/event-types.md.

        Building this package was itself recorded in the audit trail (event type 8200, subject "evidence-package") with
        the SHA-256 of manifest.json: compare it with `sha256sum manifest.json` to tie this copy to the trail.
        """.Replace("\r\n", "\n", StringComparison.Ordinal);
}
