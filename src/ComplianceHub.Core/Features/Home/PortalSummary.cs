using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Gate;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Home;

/// <summary>
/// What a home page shows: counts of what the actor may see, and nothing beyond their scope. The citizenship groups and
/// the people who are not US persons are of people in active employment, counted by <see cref="Population"/> exactly as the
/// dashboard and the roster count them.
/// </summary>
public sealed record PortalSummary(
    int Vendors,
    IReadOnlyDictionary<ImpactLevel, int> SystemsByImpactLevel,
    int People,
    int ActivePeople,
    IReadOnlyDictionary<CitizenshipGroup, int> ByCitizenshipGroup,
    int NotUsPersons,
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

        var total = await people.CountAsync(ct);
        var active = people.Where(p => p.EmploymentStatus == EmploymentStatus.Active);
        var covered = (await ActivePolicy.ParametersAsync(db, ct)).Set(PolicyParameters.Covered);
        var groups = await active.GroupBy(Population.Group(covered))
            .Select(g => new { Group = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Group, g => g.Count, ct);
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

        return new PortalSummary(
            await vendors.CountAsync(ct),
            systems,
            total,
            groups.Values.Sum(),
            Enum.GetValues<CitizenshipGroup>().ToDictionary(g => g, g => groups.GetValueOrDefault(g)),
            await active.CountAsync(Population.NotUsPerson(), ct),
            topCountries.Select(x => (x.Country.Trim(), x.People)).ToList(),
            accounts);
    }
}
