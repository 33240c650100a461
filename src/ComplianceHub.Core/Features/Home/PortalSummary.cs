using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Home;

/// <summary>What a home page shows: counts of what the actor may see, and nothing beyond their scope.</summary>
public sealed record PortalSummary(
    int Vendors,
    IReadOnlyDictionary<ImpactLevel, int> SystemsByImpactLevel,
    int People,
    int ActivePeople,
    int UsCitizens,
    int LawfulPermanentResidents,
    int NonUsPersons,
    IReadOnlyList<(string Country, int People)> TopWorkCountries,
    IReadOnlyDictionary<string, int> AccountsByRole);

/// <summary>
/// Reads the home-page summary. A vendor representative's counts come from their own vendor only; the scope is
/// applied in the query itself, not in the page.
/// </summary>
public sealed class PortalSummaryQuery(IDbContextFactory<ComplianceDbContext> contexts)
{
    public async Task<PortalSummary> GetAsync(Actor actor, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var people = db.People.AsNoTracking().VisibleTo(actor);
        var vendors = db.Vendors.AsNoTracking().VisibleTo(actor);

        var counts = await people
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Total = g.Count(),
                Active = g.Count(p => p.EmploymentStatus == EmploymentStatus.Active),
                UsCitizens = g.Count(p => p.Citizenships.Contains("US")),
                Lpr = g.Count(p => !p.Citizenships.Contains("US") && p.UsLawfulPermanentResident),
            })
            .SingleOrDefaultAsync(ct);
        var topCountries = await people
            .GroupBy(p => p.WorkCountry)
            .Select(g => new { Country = g.Key, People = g.Count() })
            .OrderByDescending(x => x.People).ThenBy(x => x.Country)
            .Take(5)
            .ToListAsync(ct);

        var systems = await db.Systems.AsNoTracking()
            .GroupBy(s => s.ImpactLevel)
            .Select(g => new { Level = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Level, x => x.Count, ct);

        var accounts = new Dictionary<string, int>();
        if (actor.IsAdministrator)
        {
            accounts = await db.UserRoles
                .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
                .GroupBy(name => name)
                .Select(g => new { Role = g.Key, Count = g.Count() })
                .ToDictionaryAsync(x => x.Role, x => x.Count, ct);
        }

        var total = counts?.Total ?? 0;
        var us = counts?.UsCitizens ?? 0;
        var lpr = counts?.Lpr ?? 0;
        return new PortalSummary(
            await vendors.CountAsync(ct),
            systems,
            total,
            counts?.Active ?? 0,
            us,
            lpr,
            total - us - lpr,
            topCountries.Select(x => (x.Country.Trim(), x.People)).ToList(),
            accounts);
    }
}
