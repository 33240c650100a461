using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Contributions;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Rules;
using ComplianceHub.Core.Rules.Contributions;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Contributions;

/// <summary>
/// Loads, in one query per kind of record, what the risk flags of a set of contributions read: their authors, the authors'
/// fact history (with the history the save in progress records), grants with their status history, escort assignments,
/// escorted sessions and nationality or location findings — tracked changes of the context included, so the gate sees the
/// change it is saving. The review queue's detail view reads the same facts.
/// </summary>
public sealed class ContributionFactsLoader
{
    private readonly Dictionary<Guid, Person> people;
    private readonly ILookup<Guid, PersonFactChange> history;
    private readonly Dictionary<Guid, string> systems;
    private readonly ILookup<Guid, AccessGrant> grants;
    private readonly Dictionary<Guid, List<(DateTimeOffset At, GrantStatus Status)>> statusHistory;
    private readonly ILookup<Guid, EscortAssignment> assignments;
    private readonly ILookup<Guid, EscortedSession> sessions;
    private readonly ILookup<Guid, Finding> findings;
    private readonly Dictionary<Guid, string> names;

    private ContributionFactsLoader(Dictionary<Guid, Person> people, ILookup<Guid, PersonFactChange> history, Dictionary<Guid, string> systems,
        ILookup<Guid, AccessGrant> grants, Dictionary<Guid, List<(DateTimeOffset, GrantStatus)>> statusHistory, ILookup<Guid, EscortAssignment> assignments,
        ILookup<Guid, EscortedSession> sessions, ILookup<Guid, Finding> findings, Dictionary<Guid, string> names)
    {
        this.people = people;
        this.history = history;
        this.systems = systems;
        this.grants = grants;
        this.statusHistory = statusHistory;
        this.assignments = assignments;
        this.sessions = sessions;
        this.findings = findings;
        this.names = names;
    }

    /// <summary>
    /// Loads what the contributions' rules read. <paramref name="escortNamesFrom"/>: whose names a reader may see
    /// (<c>db.People.VisibleTo(actor)</c>); an escort outside it is named "An escort of another vendor". Null (the gate) names
    /// every escort.
    /// </summary>
    public static async Task<ContributionFactsLoader> LoadAsync(ComplianceDbContext db, IReadOnlyCollection<CodeContribution> contributions, CancellationToken ct,
        IQueryable<Domain.Personnel.Person>? escortNamesFrom = null)
    {
        var ids = contributions.Select(c => c.PersonId).OfType<Guid>().Distinct().ToList();
        var systemIds = contributions.Select(c => c.SystemId).Distinct().ToList();
        var tracker = db.ChangeTracker;

        var people = tracker.Entries<Person>().Where(e => ids.Contains(e.Entity.Id)).ToDictionary(e => e.Entity.Id, e => e.Entity);
        var history = new List<PersonFactChange>(db.PendingFactHistory.Where(h => ids.Contains(h.PersonId)).SelectMany(h => h.Changes()));
        var grants = tracker.Entries<AccessGrant>().Where(e => e.State != EntityState.Deleted && ids.Contains(e.Entity.PersonId)).Select(e => e.Entity)
            .ToDictionary(g => g.Id);
        var assignments = tracker.Entries<EscortAssignment>().Where(e => e.State != EntityState.Deleted && ids.Contains(e.Entity.PersonId))
            .Select(e => e.Entity).ToDictionary(a => a.Id);
        var sessions = tracker.Entries<EscortedSession>().Where(e => e.State != EntityState.Deleted && ids.Contains(e.Entity.PersonId))
            .Select(e => e.Entity).ToDictionary(s => s.Id);
        var findings = tracker.Entries<Finding>().Where(e => ids.Contains(e.Entity.PersonId)).Select(e => e.Entity).ToDictionary(f => f.Id);
        var rules = ContributionRisk.NationalityAndLocationRules.ToList();
        foreach (var chunk in ids.Chunk(5_000))
        {
            foreach (var p in await db.People.AsNoTracking().Where(p => chunk.Contains(p.Id)).ToListAsync(ct))
            {
                people.TryAdd(p.Id, p);
            }
            history.AddRange(await db.PersonFactChanges.AsNoTracking().Where(h => chunk.Contains(h.PersonId)).ToListAsync(ct));
            foreach (var g in await db.Grants.AsNoTracking().Where(g => chunk.Contains(g.PersonId)).ToListAsync(ct))
            {
                grants.TryAdd(g.Id, g);
            }
            foreach (var a in await db.EscortAssignments.AsNoTracking().Where(a => chunk.Contains(a.PersonId)).ToListAsync(ct))
            {
                assignments.TryAdd(a.Id, a);
            }
            foreach (var s in await db.EscortedSessions.AsNoTracking().Where(s => chunk.Contains(s.PersonId)).ToListAsync(ct))
            {
                sessions.TryAdd(s.Id, s);
            }
            foreach (var f in await db.Findings.AsNoTracking().Where(f => chunk.Contains(f.PersonId) && rules.Contains(f.RuleId)).ToListAsync(ct))
            {
                findings.TryAdd(f.Id, f);
            }
        }
        var statusHistory = await GrantStatusReplay.LoadAsync(db, grants.Keys.ToList(), null, ct);
        var systemNames = await db.Systems.AsNoTracking().Where(s => systemIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var escortIds = assignments.Values.Select(a => a.EscortId).Concat(sessions.Values.Select(s => s.EscortId)).Distinct().ToList();
        var names = await (escortNamesFrom ?? db.People).AsNoTracking().Where(p => escortIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.FullName, ct);
        if (escortNamesFrom is not null)
        {
            foreach (var hidden in escortIds.Where(id => !names.ContainsKey(id)))
            {
                names[hidden] = "An escort of another vendor";
            }
        }
        return new ContributionFactsLoader(people, history.ToLookup(h => h.PersonId), systemNames,
            grants.Values.ToLookup(g => g.PersonId), statusHistory, assignments.Values.ToLookup(a => a.PersonId),
            sessions.Values.ToLookup(s => s.PersonId), findings.Values.Where(f => rules.Contains(f.RuleId)).ToLookup(f => f.PersonId), names);
    }

    /// <summary>The author's facts as they stood on the contribution's day, by attribute (empty when unmatched).</summary>
    public IReadOnlyDictionary<string, JsonElement?> FactsAsOf(CodeContribution c) =>
        c.PersonId is { } id && people.ContainsKey(id)
            ? FactHistory.AsOf(history[id], DateOnly.FromDateTime(c.ContributedAt.UtcDateTime))
            : new Dictionary<string, JsonElement?>();

    /// <summary>
    /// Each fact's latest recorded value and the day it took effect: what the flags read for a fact the history does not yet
    /// hold on the contribution's day (the person joined the roster, or the fact was first recorded, later).
    /// </summary>
    public IReadOnlyDictionary<string, (JsonElement? Value, DateOnly Since)> FactsLatest(CodeContribution c) =>
        c.PersonId is { } id && people.ContainsKey(id)
            ? history[id].GroupBy(h => h.Attribute).ToDictionary(g => g.Key, g =>
            {
                var first = g.OrderBy(h => h.EffectiveOn).ThenBy(h => h.RecordedAt).First();
                var latest = FactHistory.AsOf(g, DateOnly.MaxValue)[g.Key];
                return (latest, first.EffectiveOn);
            })
            : new Dictionary<string, (JsonElement?, DateOnly)>();

    /// <summary>What the flags of <paramref name="c"/> read.</summary>
    public ContributionFacts For(CodeContribution c)
    {
        var day = DateOnly.FromDateTime(c.ContributedAt.UtcDateTime);
        var system = systems.GetValueOrDefault(c.SystemId, "the system");
        if (c.PersonId is not { } id || !people.TryGetValue(id, out var person))
        {
            return new ContributionFacts(c.ContributedAt, c.Match, c.AuthorEmail, null, system, [], [], [], []);
        }
        var author = person.FactsThen(FactHistory.AsOf(history[id], day));
        var grantsThen = grants[id].Where(g => g.SystemId == c.SystemId)
            .Select(g => new GrantAtTime(g.Id, g.AccessType, g.Escorted, g.StartsOn, g.EndsOn, GrantStatusReplay.StatusAt(statusHistory, g.Id, c.ContributedAt)))
            .OrderBy(g => g.StartsOn).ToList();
        var escorts = assignments[id].Where(a => a.SystemId == c.SystemId && a.Active && a.StartsOn <= day && a.EndsOn >= day)
            .Select(a => new EscortAtTime(a.Id, a.EscortId, names.GetValueOrDefault(a.EscortId, ""), a.StartsOn, a.EndsOn)).ToList();
        var covering = sessions[id].Where(s => s.SystemId == c.SystemId && s.StartedAt <= c.ContributedAt && s.EndedAt >= c.ContributedAt)
            .Select(s => new SessionAtTime(s.Id, s.StartedAt, s.EndedAt, s.ChangeTicket, names.GetValueOrDefault(s.EscortId, ""), s.SignedOffAt is not null))
            .ToList();
        var later = findings[id].Where(f => f.DetectedAt > c.ContributedAt)
            .Select(f => new LaterFinding(f.Id, f.RuleId, f.DetectedAt, f.Message)).OrderBy(f => f.DetectedAt).ToList();
        return new ContributionFacts(c.ContributedAt, c.Match, c.AuthorEmail, author, system, grantsThen, escorts, covering, later);
    }
}
