using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Personnel;

/// <summary>The filters of a roster: free text (name, e-mail, employee id), work country, a citizenship, employment status.</summary>
public sealed record PersonnelFilter(string? Search = null, string? WorkCountry = null, string? Citizenship = null, EmploymentStatus? Status = null);

/// <summary>Rosters, read-only, scoped in the query: a representative reads only their own vendor's people.</summary>
public sealed class PersonnelQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    /// <summary>A vendor's roster, paged; null when the vendor is missing or outside the caller's scope.</summary>
    public async Task<PagedResult<PersonView>?> ListAsync(Actor actor, Guid vendorId, PersonnelFilter filter, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!actor.Sees(vendorId) || !await db.Vendors.AnyAsync(v => v.Id == vendorId, ct))
        {
            return null;
        }
        var query = db.People.AsNoTracking().VisibleTo(actor).Where(p => p.VendorId == vendorId);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var pattern = LikePatterns.Containing(filter.Search)!;
            query = query.Where(p => EF.Functions.ILike(p.FullName, pattern) || EF.Functions.ILike(p.Email, pattern) || EF.Functions.ILike(p.EmployeeId, pattern));
        }
        if (!string.IsNullOrWhiteSpace(filter.WorkCountry)) { query = query.Where(p => p.WorkCountry == filter.WorkCountry.Trim().ToUpper()); }
        if (!string.IsNullOrWhiteSpace(filter.Citizenship)) { query = query.Where(p => p.Citizenships.Contains(filter.Citizenship.Trim().ToUpper())); }
        if (filter.Status is { } status) { query = query.Where(p => p.EmploymentStatus == status); }
        var total = await query.CountAsync(ct);
        var sorted = (page.Sort?.ToLowerInvariant(), page.Desc) switch
        {
            ("employeeid", false) => query.OrderBy(p => p.EmployeeId),
            ("employeeid", true) => query.OrderByDescending(p => p.EmployeeId),
            ("workcountry", false) => query.OrderBy(p => p.WorkCountry).ThenBy(p => p.FullName),
            ("workcountry", true) => query.OrderByDescending(p => p.WorkCountry).ThenBy(p => p.FullName),
            ("locationattestedon", false) => query.OrderBy(p => p.LocationAttestedOn).ThenBy(p => p.FullName),
            ("locationattestedon", true) => query.OrderByDescending(p => p.LocationAttestedOn).ThenBy(p => p.FullName),
            (_, true) => query.OrderByDescending(p => p.FullName).ThenBy(p => p.Id),
            _ => query.OrderBy(p => p.FullName).ThenBy(p => p.Id),
        };
        var items = await sorted.Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        return new PagedResult<PersonView>(items.Select(PersonView.From).ToList(), page.SafePage, page.SafePageSize, total);
    }

    /// <summary>One person; null when missing or outside the caller's vendor.</summary>
    public async Task<PersonView?> GetAsync(Actor actor, Guid personId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var person = await db.People.AsNoTracking().VisibleTo(actor).SingleOrDefaultAsync(p => p.Id == personId, ct);
        return person is null ? null : PersonView.From(person);
    }
}
