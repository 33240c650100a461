using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Gate;

/// <summary>One grant ready for evaluation: the grant, its person, its rule subject, and the rules waived for it.</summary>
internal sealed record LoadedGrant(AccessGrant Grant, Person Person, GrantSubject Subject, IReadOnlySet<string> Waived)
{
    /// <summary>The outcomes without those of waived rules (a waived rule neither refuses nor suspends).</summary>
    public IReadOnlyList<RuleOutcome> WithoutWaived(IReadOnlyList<RuleOutcome> outcomes) =>
        Waived.Count == 0 || outcomes.Count == 0 ? outcomes : outcomes.Where(o => !Waived.Contains(o.RuleId)).ToList();
}

/// <summary>
/// Builds the rule subjects of many grants at once — one query per kind of record, never one per grant — for
/// whole-population evaluation (policy activation, the scheduled run, the impact preview) and for the consequences of
/// fact changes (a bulk roster import changes thousands of people in one save).
/// </summary>
/// <remarks>
/// Stored rows are read without tracking, so a population of a million grants is not a million tracked entities; what
/// this change already tracks (people with new facts, grants, escort assignments) wins over the stored row, so the
/// rules see the proposed state. A grant the caller goes on to change is attached with <see cref="Track"/>.
/// </remarks>
internal static class FactsLoader
{
    /// <remarks>When one of the rule contexts the subjects are evaluated under (<paramref name="evidenceFor"/>) runs a rule on access-log
    /// evidence, each subject carries the person's evidence (<see cref="Features.AccessLogs.AccessEvidenceLoader"/>), loaded once for the batch.</remarks>
    public static async Task<List<LoadedGrant>> GrantSubjectsAsync(ComplianceDbContext db, IQueryable<AccessGrant> grants, DateOnly today,
        CancellationToken ct, params RuleContext?[] evidenceFor)
    {
        var stored = await grants.AsNoTracking().ToListAsync(ct);
        var list = stored.Select(g => db.Grants.Local.FindEntry(g.Id)?.Entity ?? g).ToList();

        var personIds = list.Select(g => g.PersonId).Distinct().ToList();
        var assignments = Merge(
            await db.EscortAssignments.AsNoTracking().Where(a => personIds.Contains(a.PersonId)).ToListAsync(ct),
            db.ChangeTracker.Entries<EscortAssignment>().Where(e => e.State != EntityState.Deleted && personIds.Contains(e.Entity.PersonId)).Select(e => e.Entity),
            a => a.Id);
        var peopleIds = personIds.Concat(assignments.Select(a => a.EscortId)).Distinct().ToList();
        var people = Merge(
                await db.People.AsNoTracking().Where(p => peopleIds.Contains(p.Id)).ToListAsync(ct),
                db.ChangeTracker.Entries<Person>().Where(e => e.State != EntityState.Deleted).Select(e => e.Entity),
                p => p.Id)
            .ToDictionary(p => p.Id);
        var systemIds = list.Select(g => g.SystemId).Distinct().ToList();
        var systems = Merge(
                await db.Systems.AsNoTracking().Where(s => systemIds.Contains(s.Id)).ToListAsync(ct),
                db.ChangeTracker.Entries<Domain.Systems.CloudSystem>().Where(e => e.State != EntityState.Deleted).Select(e => e.Entity),
                s => s.Id)
            .ToDictionary(s => s.Id);
        var byPersonAndSystem = assignments.ToLookup(a => (a.PersonId, a.SystemId));
        var waived = await WaivedRulesAsync(db, grants, today, ct);
        // A person's facts once, however many grants they hold or escorts they give (facts are read, never changed, by the rules).
        var facts = new Dictionary<Guid, PersonFacts>(people.Count);
        PersonFacts FactsOf(Guid id) => facts.TryGetValue(id, out var known) ? known : facts[id] = people[id].ToFacts();
        var systemFacts = systems.ToDictionary(s => s.Key, s => s.Value.ToFacts());
        var evidence = Features.AccessLogs.AccessEvidenceLoader.Needed(evidenceFor)
            ? await Features.AccessLogs.AccessEvidenceLoader.LoadAsync(db, personIds, evidenceFor, db.AddedSessionCoverage(), ct)
            : null;

        return list.Select(g =>
        {
            var person = people[g.PersonId];
            var coverage = byPersonAndSystem[(g.PersonId, g.SystemId)]
                .Where(a => people.ContainsKey(a.EscortId))
                .Select(a => new EscortCoverage(a.Id, FactsOf(a.EscortId), a.SystemId, a.StartsOn, a.EndsOn, a.Active))
                .ToList();
            var subject = new GrantSubject(FactsOf(g.PersonId), systemFacts[g.SystemId], g.ToFacts(), coverage,
                evidence is null ? null : evidence.GetValueOrDefault(g.PersonId) ?? AccessEvidence.None);
            return new LoadedGrant(g, person, subject, waived.TryGetValue(g.Id, out var rules) ? rules : EmptySet);
        }).ToList();
    }

    /// <summary>Every open (or acknowledged) finding on the grants of <paramref name="grants"/>, tracked, keyed by grant.</summary>
    public static async Task<ILookup<Guid, Finding>> OpenGrantFindingsAsync(ComplianceDbContext db, IQueryable<AccessGrant> grants,
        CancellationToken ct)
    {
        var ids = grants.Select(g => g.Id);
        var stored = await db.Findings
            .Where(f => f.SubjectType == "grant" && (f.Status == FindingStatus.Open || f.Status == FindingStatus.Acknowledged) && ids.Contains(f.SubjectId))
            .ToListAsync(ct);
        var added = db.ChangeTracker.Entries<Finding>().Where(e => e.State == EntityState.Added && e.Entity.IsOpen).Select(e => e.Entity);
        return stored.Concat(added).Distinct().ToLookup(f => f.SubjectId);
    }

    /// <summary>Starts tracking a grant loaded without tracking, so that what the caller changes on it is saved.</summary>
    public static AccessGrant Track(ComplianceDbContext db, AccessGrant grant)
    {
        if (db.Entry(grant).State == EntityState.Detached)
        {
            db.Grants.Attach(grant);
        }
        return grant;
    }

    /// <summary>The grants a policy applies to: everything not revoked or expired.</summary>
    public static IQueryable<AccessGrant> CurrentGrants(ComplianceDbContext db) =>
        db.Grants.Where(g => g.Status == GrantStatus.Active || g.Status == GrantStatus.PendingApproval || g.Status == GrantStatus.Suspended);

    /// <summary>The waivable rules waived on each grant today: approved, unexpired waivers, stored or added in this change.</summary>
    private static async Task<Dictionary<Guid, IReadOnlySet<string>>> WaivedRulesAsync(ComplianceDbContext db, IQueryable<AccessGrant> grants,
        DateOnly today, CancellationToken ct)
    {
        var ids = grants.Select(g => g.Id);
        var stored = await db.Waivers.AsNoTracking()
            .Where(w => w.SubjectType == "grant" && w.Status == WaiverStatus.Active && w.ExpiresOn >= today && ids.Contains(w.SubjectId))
            .Select(w => new { w.SubjectId, w.RuleId })
            .ToListAsync(ct);
        var tracked = db.ChangeTracker.Entries<Waiver>().Where(e => e.Entity.SubjectType == "grant" && e.Entity.InForceOn(today))
            .Select(e => new { e.Entity.SubjectId, e.Entity.RuleId });
        return stored.Concat(tracked)
            .Where(w => RuleCatalogue.Find(w.RuleId)?.Waivable == true)
            .GroupBy(w => w.SubjectId)
            .ToDictionary(g => g.Key, g => (IReadOnlySet<string>)g.Select(w => w.RuleId).ToHashSet(StringComparer.Ordinal));
    }

    private static List<T> Merge<T>(List<T> stored, IEnumerable<T> tracked, Func<T, Guid> key)
    {
        var byId = stored.ToDictionary(key);
        foreach (var entity in tracked)
        {
            byId[key(entity)] = entity;
        }
        return [.. byId.Values];
    }

    private static readonly IReadOnlySet<string> EmptySet = new HashSet<string>();
}
