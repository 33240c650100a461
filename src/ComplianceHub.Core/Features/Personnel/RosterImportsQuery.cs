using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Personnel;

/// <summary>An applied roster file (ADR 0041): its name, SHA-256, when and by whom it was (last) applied, and its totals.</summary>
public sealed record RosterImportView(Guid Id, Guid VendorId, string FileName, string Sha256, DateTimeOffset AppliedAt, string AppliedBy,
    int TimesApplied, int Rows, int Added, int Updated, int Terminated);

/// <summary>Reads applied roster files, scoped like the roster: another vendor's import is not found.</summary>
public sealed class RosterImportsQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    /// <summary>The import <paramref name="importId"/> of <paramref name="vendorId"/>, or null when missing or outside the caller's scope.</summary>
    public async Task<RosterImportView?> GetAsync(Actor actor, Guid vendorId, Guid importId, CancellationToken ct)
    {
        if (!actor.Sees(vendorId))
        {
            return null;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.RosterImports.AsNoTracking().Where(r => r.Id == importId && r.VendorId == vendorId)
            .Select(r => new RosterImportView(r.Id, r.VendorId, r.FileName, r.Sha256, r.AppliedAt, r.AppliedByName, r.TimesApplied, r.Rows, r.Added,
                r.Updated, r.Terminated))
            .SingleOrDefaultAsync(ct);
    }
}
