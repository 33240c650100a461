using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Access;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Grants;

/// <summary>
/// The grants of a bulk decision (<see cref="ApproveGrants"/>, <see cref="RejectGrants"/>), read set-wise: the grants, their
/// people within the actor's vendors, their systems — tracked, so the gate's per-grant lookups find them without a query —
/// and which (person, system) pairs have no escort assignment and which grants no open finding (the gate then asks no more). A grant whose person the actor
/// cannot see is left out: it is "not found", like a missing one.
/// </summary>
internal sealed class GrantBatch
{
    private readonly Dictionary<Guid, string> people;
    private readonly Dictionary<Guid, string> systems;

    private GrantBatch(Dictionary<Guid, AccessGrant> grants, Dictionary<Guid, string> people, Dictionary<Guid, string> systems)
    {
        Grants = grants;
        this.people = people;
        this.systems = systems;
    }

    /// <summary>The grants the actor can see, by id.</summary>
    public IReadOnlyDictionary<Guid, AccessGrant> Grants { get; }

    /// <summary>What the reader calls a grant: its person and system.</summary>
    public string Label(AccessGrant grant) => $"{people[grant.PersonId]} on {systems[grant.SystemId]}";

    public static async Task<GrantBatch> LoadAsync(CommandContext context, IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        var db = context.Db;
        var grants = await db.Grants.Where(g => ids.Contains(g.Id)).ToListAsync(ct);
        var personIds = grants.Select(g => g.PersonId).Distinct().ToList();
        var systemIds = grants.Select(g => g.SystemId).Distinct().ToList();
        // Tracked entities, not names only: the gate's per-grant lookups (FindAsync) then find them without a query each.
        var people = (await db.People.VisibleTo(context.Actor).Where(p => personIds.Contains(p.Id)).ToListAsync(ct)).ToDictionary(p => p.Id, p => p.FullName);
        var systems = (await db.Systems.Where(s => systemIds.Contains(s.Id)).ToListAsync(ct)).ToDictionary(s => s.Id, s => s.Name);
        var covered = (await db.EscortAssignments.Where(a => personIds.Contains(a.PersonId) && systemIds.Contains(a.SystemId))
            .Select(a => new { a.PersonId, a.SystemId }).Distinct().ToListAsync(ct)).Select(a => (a.PersonId, a.SystemId)).ToHashSet();
        foreach (var grant in grants.Where(g => !covered.Contains((g.PersonId, g.SystemId))))
        {
            db.KnownEmpty.EscortAssignments.Add((grant.PersonId, grant.SystemId));
        }
        var withFindings = (await db.Findings.Where(f => ids.Contains(f.SubjectId)
                && (f.Status == Domain.Findings.FindingStatus.Open || f.Status == Domain.Findings.FindingStatus.Acknowledged))
            .Select(f => f.SubjectId).Distinct().ToListAsync(ct)).ToHashSet();
        db.KnownEmpty.GrantFindings.UnionWith(grants.Select(g => g.Id).Where(id => !withFindings.Contains(id)));
        var batch = new GrantBatch(grants.Where(g => people.ContainsKey(g.PersonId)).ToDictionary(g => g.Id), people, systems);
        foreach (var grant in batch.Grants.Values)
        {
            context.Labels[grant.Id] = batch.Label(grant); // a refusal at the gate names each grant
        }
        return batch;
    }

    /// <summary>The refused items of the batch (<see cref="Bulk.Check"/>), or an empty list when every grant can be decided.</summary>
    public List<RefusedItem> Refusals(IReadOnlyList<Guid> ids, Func<AccessGrant, string?> refusal) => Bulk.Check(ids, Grants, Label, refusal);
}
