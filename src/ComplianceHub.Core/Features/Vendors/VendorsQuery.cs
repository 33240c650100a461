using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Systems;
using ComplianceHub.Core.Features.Systems;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Vendors;

/// <summary>Filters of the API's vendor list: a name, CAGE code or UEI containing the text.</summary>
public sealed record VendorFilter(string? Search = null);

/// <summary>
/// Filters of the API's system list: a name, provider or environment containing the text; an impact level; the systems of
/// one contract (<c>contractId</c>) or of one vendor's contracts (<c>vendorId</c>).
/// </summary>
public sealed record SystemListFilter(string? Search = null, ImpactLevel? ImpactLevel = null, Guid? ContractId = null, Guid? VendorId = null);

/// <summary>
/// Vendors and systems, read-only. A representative sees only their own vendor, and in the API's list only the systems their
/// vendor's contracts cover; officers, auditors and administrators see every system (the portal's pickers read
/// <see cref="SystemsAsync"/>, every system).
/// </summary>
public sealed class VendorsQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    public async Task<IReadOnlyList<VendorView>> VendorsAsync(Actor actor, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var vendors = await db.Vendors.AsNoTracking().VisibleTo(actor)
            .OrderBy(v => v.Name).ToListAsync(ct);
        return vendors.Select(VendorView.From).ToList();
    }

    /// <summary>The API's vendor list (<c>GET /vendors</c>): filtered, sorted and paged in the database, in the reader's scope.</summary>
    public async Task<PagedResult<VendorView>> ListVendorsAsync(Actor actor, VendorFilter filter, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var vendors = db.Vendors.AsNoTracking().VisibleTo(actor);
        if (LikePatterns.Containing(filter.Search) is { } pattern)
        {
            vendors = vendors.Where(v => EF.Functions.ILike(v.Name, pattern) || EF.Functions.ILike(v.CageCode, pattern) || EF.Functions.ILike(v.Uei, pattern));
        }
        var total = await vendors.CountAsync(ct);
        var sorted = (page.Sort?.ToLowerInvariant(), page.Desc) switch
        {
            ("cagecode", false) => vendors.OrderBy(v => v.CageCode).ThenBy(v => v.Id),
            ("cagecode", true) => vendors.OrderByDescending(v => v.CageCode).ThenBy(v => v.Id),
            ("uei", false) => vendors.OrderBy(v => v.Uei).ThenBy(v => v.Id),
            ("uei", true) => vendors.OrderByDescending(v => v.Uei).ThenBy(v => v.Id),
            ("status", false) => vendors.OrderBy(v => v.Status).ThenBy(v => v.Name).ThenBy(v => v.Id),
            ("status", true) => vendors.OrderByDescending(v => v.Status).ThenBy(v => v.Name).ThenBy(v => v.Id),
            (_, true) => vendors.OrderByDescending(v => v.Name).ThenBy(v => v.Id),
            _ => vendors.OrderBy(v => v.Name).ThenBy(v => v.Id),
        };
        var items = await sorted.Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        return new PagedResult<VendorView>(items.Select(VendorView.From).ToList(), page.SafePage, page.SafePageSize, total);
    }

    public async Task<VendorView?> VendorAsync(Actor actor, Guid id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var vendor = await db.Vendors.AsNoTracking().VisibleTo(actor).SingleOrDefaultAsync(v => v.Id == id, ct);
        return vendor is null ? null : VendorView.From(vendor);
    }

    /// <summary>Every system, by impact level, for the portal's pickers.</summary>
    public async Task<IReadOnlyList<SystemView>> SystemsAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var systems = await db.Systems.AsNoTracking().OrderBy(s => s.ImpactLevel).ThenBy(s => s.Name).ToListAsync(ct);
        return systems.Select(SystemView.From).ToList();
    }

    /// <summary>
    /// The API's system list (<c>GET /systems</c>): filtered, sorted (impact level, then name, by default) and paged in the
    /// database. A representative gets only the systems their vendor's contracts cover; a contract or vendor outside the
    /// reader's scope selects nothing.
    /// </summary>
    public async Task<PagedResult<SystemView>> ListSystemsAsync(Actor actor, SystemListFilter filter, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var systems = Scoped(db, actor);
        if (LikePatterns.Containing(filter.Search) is { } pattern)
        {
            systems = systems.Where(s => EF.Functions.ILike(s.Name, pattern) || EF.Functions.ILike(s.Provider, pattern) || EF.Functions.ILike(s.Environment, pattern));
        }
        if (filter.ImpactLevel is { } level)
        {
            systems = systems.Where(s => s.ImpactLevel == level);
        }
        if (filter.ContractId is { } contract)
        {
            var contracts = db.Contracts.VisibleTo(actor);
            systems = systems.Where(s => contracts.Any(c => c.Id == contract && c.SystemIds.Contains(s.Id)));
        }
        if (filter.VendorId is { } vendor)
        {
            var contracts = db.Contracts.VisibleTo(actor);
            systems = systems.Where(s => contracts.Any(c => c.VendorId == vendor && c.SystemIds.Contains(s.Id)));
        }
        var total = await systems.CountAsync(ct);
        var sorted = (page.Sort?.ToLowerInvariant(), page.Desc) switch
        {
            ("name", false) => systems.OrderBy(s => s.Name).ThenBy(s => s.Id),
            ("name", true) => systems.OrderByDescending(s => s.Name).ThenBy(s => s.Id),
            ("provider", false) => systems.OrderBy(s => s.Provider).ThenBy(s => s.Name).ThenBy(s => s.Id),
            ("provider", true) => systems.OrderByDescending(s => s.Provider).ThenBy(s => s.Name).ThenBy(s => s.Id),
            ("environment", false) => systems.OrderBy(s => s.Environment).ThenBy(s => s.Name).ThenBy(s => s.Id),
            ("environment", true) => systems.OrderByDescending(s => s.Environment).ThenBy(s => s.Name).ThenBy(s => s.Id),
            (_, true) => systems.OrderByDescending(s => s.ImpactLevel).ThenBy(s => s.Name).ThenBy(s => s.Id),
            _ => systems.OrderBy(s => s.ImpactLevel).ThenBy(s => s.Name).ThenBy(s => s.Id),
        };
        var items = await sorted.Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        return new PagedResult<SystemView>(items.Select(SystemView.From).ToList(), page.SafePage, page.SafePageSize, total);
    }

    /// <summary>One system, or null when it does not exist or (for a representative) no contract of their vendor covers it.</summary>
    public async Task<SystemView?> SystemAsync(Actor actor, Guid id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var system = await Scoped(db, actor).SingleOrDefaultAsync(s => s.Id == id, ct);
        return system is null ? null : SystemView.From(system);
    }

    /// <summary>The systems the actor may read through the API: a representative's are those their vendor's contracts cover.</summary>
    private static IQueryable<CloudSystem> Scoped(ComplianceDbContext db, Actor actor)
    {
        var systems = db.Systems.AsNoTracking();
        if (!actor.IsVendorRepresentative)
        {
            return systems;
        }
        var contracts = db.Contracts.VisibleTo(actor);
        return systems.Where(s => contracts.Any(c => c.SystemIds.Contains(s.Id)));
    }
}
