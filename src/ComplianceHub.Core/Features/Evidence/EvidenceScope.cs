using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Findings;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Evidence;

/// <summary>
/// Which rows of each table belong to a package for a range: one definition, used by the builder to write the files
/// and by the preview to count them, so the page says exactly what the download will hold.
/// </summary>
internal static class EvidenceScope
{
    /// <summary>Findings raised before the range ended and not closed before it started (open at some time in it, or raised in it).</summary>
    public static IQueryable<Finding> Findings(ComplianceDbContext db, EvidenceRange range)
    {
        var start = range.Start;
        var end = range.End;
        return db.Findings.AsNoTracking().Where(f => f.DetectedAt < end && (f.ClosedAt == null || f.ClosedAt >= start));
    }

    /// <summary>Grants whose period (start to end, open-ended when there is no end) overlaps the range.</summary>
    public static IQueryable<Domain.Access.AccessGrant> Grants(ComplianceDbContext db, EvidenceRange range) =>
        db.Grants.AsNoTracking().Where(g => g.StartsOn <= range.To && (g.EndsOn == null || g.EndsOn >= range.From));

    /// <summary>Escort assignments whose period overlaps the range.</summary>
    public static IQueryable<Domain.Access.EscortAssignment> EscortAssignments(ComplianceDbContext db, EvidenceRange range) =>
        db.EscortAssignments.AsNoTracking().Where(a => a.StartsOn <= range.To && a.EndsOn >= range.From);

    /// <summary>Attestations signed within the range.</summary>
    public static IQueryable<Domain.Attestations.LocationAttestation> Attestations(ComplianceDbContext db, EvidenceRange range)
    {
        var start = range.Start;
        var end = range.End;
        return db.LocationAttestations.AsNoTracking().Where(a => a.SubmittedAt >= start && a.SubmittedAt < end);
    }

    /// <summary>The fact changes in effect by the end of the range (a person is on the roster once they have one).</summary>
    public static IQueryable<Domain.Personnel.PersonFactChange> FactChanges(ComplianceDbContext db, EvidenceRange range) =>
        db.PersonFactChanges.AsNoTracking().Where(c => c.EffectiveOn <= range.To);

    /// <summary>The audit events that occurred within the range.</summary>
    public static IQueryable<AuditEvent> Events(ComplianceDbContext db, EvidenceRange range)
    {
        var start = range.Start;
        var end = range.End;
        return db.AuditEvents.AsNoTracking().Where(e => e.OccurredAt >= start && e.OccurredAt < end);
    }

    /// <summary>
    /// The sequence numbers the package's audit events span: from the first to the last event of the range. Events are
    /// numbered in the order they were appended under the chain lock, so the span is the range's events, gap-free.
    /// </summary>
    public static async Task<(long First, long Last)?> EventSpanAsync(ComplianceDbContext db, EvidenceRange range, CancellationToken ct)
    {
        // One pass for both ends (over ten years, the range is most of the trail).
        var span = await Events(db, range).GroupBy(e => 1)
            .Select(g => new { First = (long?)g.Min(e => e.Sequence), Last = (long?)g.Max(e => e.Sequence) }).SingleOrDefaultAsync(ct);
        return span is { First: { } first, Last: { } last } ? (first, last) : null;
    }
}
