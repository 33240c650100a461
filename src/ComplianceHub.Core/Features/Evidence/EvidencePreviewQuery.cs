using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Evidence;

/// <summary>How many records each file of a package for a range will hold (the same selection the builder writes).</summary>
public sealed record EvidencePreview(EvidenceRange Range, int Findings, int Roster, int Grants, int EscortAssignments, int Attestations,
    int PolicyVersions, int AuditEvents, int AccessLogImports = 0, long AccessLogEvents = 0);

/// <summary>A package built earlier, as its audit event (8200) records it.</summary>
/// <param name="Sequence">The audit event's sequence number.</param>
/// <param name="BuiltAt">When it was built.</param>
/// <param name="BuiltBy">Who built it (name) and their role.</param>
/// <param name="Role">The builder's role.</param>
/// <param name="PackageId">The package id (the manifest's <c>packageId</c>).</param>
/// <param name="From">First day of the range.</param>
/// <param name="To">Last day of the range.</param>
/// <param name="Files">Files in the zip.</param>
/// <param name="Events">Audit events in the package.</param>
/// <param name="ManifestSha256">SHA-256 of the package's manifest.json.</param>
public sealed record EvidencePackageRecord(long Sequence, DateTimeOffset BuiltAt, string BuiltBy, string Role, string PackageId, string? From, string? To,
    long? Files, long? Events, string? ManifestSha256);

/// <summary>
/// The evidence package page's read model: what a package for a range will contain, and the packages built so far (from
/// the audit trail, so the manifest hash of a copy can be compared with what was recorded). Auditors and administrators.
/// </summary>
public sealed class EvidencePreviewQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    /// <summary>The most packages <see cref="HistoryAsync"/> lists.</summary>
    public const int HistoryLimit = 100;

    public async Task<EvidencePreview> PreviewAsync(Actor actor, EvidenceRange range, CancellationToken ct = default)
    {
        Authorize(actor);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var span = await EvidenceScope.EventSpanAsync(db, range, ct);
        return new EvidencePreview(range,
            await EvidenceScope.Findings(db, range).CountAsync(ct),
            await EvidenceScope.FactChanges(db, range).Select(c => c.PersonId).Distinct().CountAsync(ct),
            await EvidenceScope.Grants(db, range).CountAsync(ct),
            await EvidenceScope.EscortAssignments(db, range).CountAsync(ct),
            await EvidenceScope.Attestations(db, range).CountAsync(ct),
            await db.PolicyVersions.CountAsync(ct),
            span is { } s ? (int)(s.Last - s.First + 1) : 0,
            await AccessLogs.AccessLogEvidence.Imports(db, range).CountAsync(ct),
            await AccessLogs.AccessLogEvidence.Events(db, range).LongCountAsync(ct));
    }

    /// <summary>The packages built so far, newest first (at most <see cref="HistoryLimit"/>).</summary>
    public async Task<IReadOnlyList<EvidencePackageRecord>> HistoryAsync(Actor actor, CancellationToken ct = default)
    {
        Authorize(actor);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var events = await db.AuditEvents.AsNoTracking()
            .Where(e => e.EventType == AuditEventTypes.EvidencePackageBuilt)
            .OrderByDescending(e => e.Sequence).Take(HistoryLimit).ToListAsync(ct);
        return events.Select(e =>
        {
            using var changes = JsonDocument.Parse(e.Changes);
            string? Text(string name) => After(changes.RootElement, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;
            long? Number(string name) => After(changes.RootElement, name) is { ValueKind: JsonValueKind.Number } v ? v.GetInt64() : null;
            return new EvidencePackageRecord(e.Sequence, e.OccurredAt, e.ActorName, e.ActorRole, e.SubjectId, Text("from"), Text("to"),
                Number("files"), Number("events"), Text("manifestSha256"));
        }).ToList();
    }

    private static JsonElement? After(JsonElement changes, string name) =>
        changes.TryGetProperty(name, out var change) && change.TryGetProperty("after", out var after) ? after : null;

    private static void Authorize(Actor actor)
    {
        if (!(actor.IsAuditor || actor.IsAdministrator) || !actor.SeesEveryVendor)
        {
            throw new UnauthorizedAccessException("Evidence packages are for installation-wide auditors and administrators.");
        }
    }
}
