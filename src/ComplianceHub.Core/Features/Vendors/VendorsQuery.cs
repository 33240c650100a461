using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Features.Systems;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Vendors;

/// <summary>Vendors and systems, read-only. A representative sees only their own vendor; every role sees the systems
/// (a representative requests access to them).</summary>
public sealed class VendorsQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    public async Task<IReadOnlyList<VendorView>> VendorsAsync(Actor actor, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var vendors = await db.Vendors.AsNoTracking().VisibleTo(actor)
            .OrderBy(v => v.Name).ToListAsync(ct);
        return vendors.Select(VendorView.From).ToList();
    }

    public async Task<VendorView?> VendorAsync(Actor actor, Guid id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var vendor = await db.Vendors.AsNoTracking().VisibleTo(actor).SingleOrDefaultAsync(v => v.Id == id, ct);
        return vendor is null ? null : VendorView.From(vendor);
    }

    public async Task<IReadOnlyList<SystemView>> SystemsAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var systems = await db.Systems.AsNoTracking().OrderBy(s => s.ImpactLevel).ThenBy(s => s.Name).ToListAsync(ct);
        return systems.Select(SystemView.From).ToList();
    }

    public async Task<SystemView?> SystemAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var system = await db.Systems.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        return system is null ? null : SystemView.From(system);
    }
}
