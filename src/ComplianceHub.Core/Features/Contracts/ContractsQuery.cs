using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Contracts;

/// <summary>Filters of the API's contract list: one vendor's; those covering a system; a number or title containing the text.</summary>
public sealed record ContractFilter(Guid? VendorId = null, Guid? SystemId = null, string? Search = null);

/// <summary>
/// Contracts, read-only (API.md-style <c>GET /contracts</c>): in the reader's vendor scope (ADR 0028) — a representative reads
/// their own vendor's contracts, an officer or auditor of a contracting office those of the vendors the office holds
/// contracts with, anyone else every contract. A contract outside the scope is not found.
/// </summary>
public sealed class ContractsQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    public async Task<PagedResult<ContractView>> ListAsync(Actor actor, ContractFilter filter, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var contracts = db.Contracts.AsNoTracking().VisibleTo(actor);
        if (filter.VendorId is { } vendor)
        {
            contracts = contracts.Where(c => c.VendorId == vendor);
        }
        if (filter.SystemId is { } system)
        {
            contracts = contracts.Where(c => c.SystemIds.Contains(system));
        }
        if (LikePatterns.Containing(filter.Search) is { } pattern)
        {
            contracts = contracts.Where(c => EF.Functions.ILike(c.Number, pattern) || EF.Functions.ILike(c.Title, pattern));
        }
        var total = await contracts.CountAsync(ct);
        var sorted = (page.Sort?.ToLowerInvariant(), page.Desc) switch
        {
            ("title", false) => contracts.OrderBy(c => c.Title).ThenBy(c => c.Id),
            ("title", true) => contracts.OrderByDescending(c => c.Title).ThenBy(c => c.Id),
            ("startson", false) => contracts.OrderBy(c => c.StartsOn).ThenBy(c => c.Number).ThenBy(c => c.Id),
            ("startson", true) => contracts.OrderByDescending(c => c.StartsOn).ThenBy(c => c.Number).ThenBy(c => c.Id),
            ("endson", false) => contracts.OrderBy(c => c.EndsOn).ThenBy(c => c.Number).ThenBy(c => c.Id),
            ("endson", true) => contracts.OrderByDescending(c => c.EndsOn).ThenBy(c => c.Number).ThenBy(c => c.Id),
            (_, true) => contracts.OrderByDescending(c => c.Number).ThenBy(c => c.Id),
            _ => contracts.OrderBy(c => c.Number).ThenBy(c => c.Id),
        };
        var items = await sorted.Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        return new PagedResult<ContractView>(items.Select(ContractView.From).ToList(), page.SafePage, page.SafePageSize, total);
    }

    /// <summary>One contract, or null when it does not exist or is outside the reader's scope.</summary>
    public async Task<ContractView?> GetAsync(Actor actor, Guid id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var contract = await db.Contracts.AsNoTracking().VisibleTo(actor).SingleOrDefaultAsync(c => c.Id == id, ct);
        return contract is null ? null : ContractView.From(contract);
    }
}
