using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Data;

/// <summary>
/// Builds the rule subjects of many grants at once — a query per kind of record, not per grant — for whole-population
/// evaluation (policy impact preview and activation).
/// </summary>
internal static class FactsLoader
{
    public static async Task<List<(AccessGrant Grant, Person Person, GrantSubject Subject)>> GrantSubjectsAsync(
        ComplianceDbContext db, IQueryable<AccessGrant> grants, CancellationToken ct)
    {
        var list = await grants.ToListAsync(ct);
        var personIds = list.Select(g => g.PersonId).Distinct().ToList();
        var assignments = await db.EscortAssignments.Where(a => personIds.Contains(a.PersonId)).ToListAsync(ct);
        var peopleIds = personIds.Concat(assignments.Select(a => a.EscortId)).Distinct().ToList();
        var people = await db.People.Where(p => peopleIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var systemIds = list.Select(g => g.SystemId).Distinct().ToList();
        var systems = await db.Systems.Where(s => systemIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var byPersonAndSystem = assignments.ToLookup(a => (a.PersonId, a.SystemId));

        return list.Select(g =>
        {
            var person = people[g.PersonId];
            var coverage = byPersonAndSystem[(g.PersonId, g.SystemId)]
                .Where(a => people.ContainsKey(a.EscortId))
                .Select(a => new EscortCoverage(a.Id, people[a.EscortId].ToFacts(), a.SystemId, a.StartsOn, a.EndsOn, a.Active))
                .ToList();
            return (g, person, new GrantSubject(person.ToFacts(), systems[g.SystemId].ToFacts(), g.ToFacts(), coverage));
        }).ToList();
    }

    /// <summary>The grants a policy applies to: everything not revoked or expired.</summary>
    public static IQueryable<AccessGrant> CurrentGrants(ComplianceDbContext db) =>
        db.Grants.Where(g => g.Status == GrantStatus.Active || g.Status == GrantStatus.PendingApproval || g.Status == GrantStatus.Suspended);
}
