using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Attestations;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Attestations;

/// <summary>A signed attestation as the API shows it: the statement, who signed it when, its content hash and the people attested.</summary>
public sealed record AttestationView(Guid Id, Guid VendorId, string Statement, Guid SubmittedBy, string SubmittedByName, DateTimeOffset SubmittedAt,
    string ContentHash, IReadOnlyList<AttestedPerson> Items)
{
    public static AttestationView From(LocationAttestation a) =>
        new(a.Id, a.VendorId, a.Statement, a.SubmittedBy, a.SubmittedByName, a.SubmittedAt, a.ContentHash, a.People);
}

/// <summary>A vendor's signed attestations, newest first; a representative reads only their own vendor's.</summary>
public sealed class AttestationsQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    public async Task<PagedResult<AttestationView>?> ListAsync(Actor actor, Guid vendorId, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if ((actor.IsVendorRepresentative && actor.VendorId != vendorId) || !await db.Vendors.AnyAsync(v => v.Id == vendorId, ct))
        {
            return null;
        }
        var query = db.LocationAttestations.AsNoTracking().Where(a => a.VendorId == vendorId);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(a => a.SubmittedAt).ThenBy(a => a.Id).Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        return new PagedResult<AttestationView>(items.Select(AttestationView.From).ToList(), page.SafePage, page.SafePageSize, total);
    }
}
