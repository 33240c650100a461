using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Retention;

/// <summary>What the retention check reads (ADR 0046): when the oldest audit event of the trail occurred (one index read).</summary>
public sealed class RetentionQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    public async Task<DateTimeOffset?> OldestAuditEventAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).Select(e => (DateTimeOffset?)e.OccurredAt).FirstOrDefaultAsync(ct);
    }
}
