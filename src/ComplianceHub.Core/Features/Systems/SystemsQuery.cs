using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Systems;

/// <summary>Filters of the systems grid: name, provider or environment; impact level; a vendor whose contract covers the system.</summary>
public sealed record SystemFilter(string? Search = null, ImpactLevel? ImpactLevel = null, Guid? VendorId = null);

/// <summary>
/// A cloud system as the systems grid shows it: the vendors whose contracts cover it, and how many people hold access to it
/// now (an active grant) and how many more wait for approval or are suspended.
/// </summary>
public sealed record SystemRow(Guid Id, string Name, string Provider, string Environment, ImpactLevel ImpactLevel, string Version,
    IReadOnlyList<string> Vendors, int PeopleWithAccess, int PeoplePendingOrSuspended);

/// <summary>
/// The systems grid, server-side filtered, sorted and paged. Systems are visible to every role that reads across vendors
/// (the page's policy); the people counts cover all vendors, so this is not offered to vendor representatives.
/// </summary>
public sealed class SystemsQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    public async Task<PagedResult<SystemRow>> ListAsync(Authorization.Actor actor, SystemFilter filter, PageRequest page, CancellationToken ct = default)
    {
        if (actor.IsVendorRepresentative)
        {
            throw new UnauthorizedAccessException("The systems grid counts people across vendors; representatives use the systems list of the API.");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var systems = db.Systems.AsNoTracking();
        // Systems are reference data every officer and auditor sees; the people counted and the vendors named are only those in
        // the reader's scope (ADR 0028).
        var grants = from g in db.Grants join p in db.People.VisibleTo(actor) on g.PersonId equals p.Id select g;
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var pattern = LikePatterns.Containing(filter.Search)!;
            systems = systems.Where(s => EF.Functions.ILike(s.Name, pattern) || EF.Functions.ILike(s.Provider, pattern)
                || EF.Functions.ILike(s.Environment, pattern));
        }
        if (filter.ImpactLevel is { } level) { systems = systems.Where(s => s.ImpactLevel == level); }
        if (filter.VendorId is { } vendor)
        {
            // Another office's vendor covers nothing the reader may learn of.
            var contracts = db.Contracts.VisibleTo(actor);
            systems = systems.Where(s => contracts.Any(c => c.VendorId == vendor && c.SystemIds.Contains(s.Id)));
        }
        var rows = systems.Select(s => new
        {
            System = s,
            Active = grants.Where(g => g.SystemId == s.Id && g.Status == GrantStatus.Active).Select(g => g.PersonId).Distinct().Count(),
            Waiting = grants.Where(g => g.SystemId == s.Id && (g.Status == GrantStatus.PendingApproval || g.Status == GrantStatus.Suspended))
                .Select(g => g.PersonId).Distinct().Count(),
        });
        var total = await rows.CountAsync(ct);
        var sorted = (page.Sort?.ToLowerInvariant(), page.Desc) switch
        {
            ("impactlevel", false) => rows.OrderBy(r => r.System.ImpactLevel).ThenBy(r => r.System.Name),
            ("impactlevel", true) => rows.OrderByDescending(r => r.System.ImpactLevel).ThenBy(r => r.System.Name),
            ("provider", false) => rows.OrderBy(r => r.System.Provider).ThenBy(r => r.System.Name),
            ("provider", true) => rows.OrderByDescending(r => r.System.Provider).ThenBy(r => r.System.Name),
            ("environment", false) => rows.OrderBy(r => r.System.Environment).ThenBy(r => r.System.Name),
            ("environment", true) => rows.OrderByDescending(r => r.System.Environment).ThenBy(r => r.System.Name),
            ("peoplewithaccess", false) => rows.OrderBy(r => r.Active).ThenBy(r => r.System.Name),
            ("peoplewithaccess", true) => rows.OrderByDescending(r => r.Active).ThenBy(r => r.System.Name),
            (_, true) => rows.OrderByDescending(r => r.System.Name).ThenBy(r => r.System.Id),
            _ => rows.OrderBy(r => r.System.Name).ThenBy(r => r.System.Id),
        };
        var items = await sorted.Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        var ids = items.Select(i => i.System.Id).ToList();
        var covering = await (from c in db.Contracts.AsNoTracking().VisibleTo(actor)
                              join v in db.Vendors on c.VendorId equals v.Id
                              where c.SystemIds.Any(id => ids.Contains(id))
                              select new { c.SystemIds, v.Name }).ToListAsync(ct);
        var result = items.Select(i => new SystemRow(i.System.Id, i.System.Name, i.System.Provider, i.System.Environment, i.System.ImpactLevel,
                i.System.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                covering.Where(c => c.SystemIds.Contains(i.System.Id)).Select(c => c.Name).Distinct().Order(StringComparer.Ordinal).ToList(),
                i.Active, i.Waiting))
            .ToList();
        return new PagedResult<SystemRow>(result, page.SafePage, page.SafePageSize, total);
    }
}
