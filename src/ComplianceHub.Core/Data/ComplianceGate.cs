using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Data;

/// <summary>
/// The rule half of the gate: finds the grants a change touches, builds their facts from tracked and stored state,
/// evaluates the active policy and refuses access decisions that fail a blocking rule. The outcomes go into the
/// audit events of the change.
/// </summary>
internal static class ComplianceGate
{
    public static async Task<Dictionary<object, IReadOnlyList<RuleOutcome>>> EvaluateAsync(ComplianceDbContext db, DateOnly today, CancellationToken ct)
    {
        var result = new Dictionary<object, IReadOnlyList<RuleOutcome>>(ReferenceEqualityComparer.Instance);
        var grants = db.ChangeTracker.Entries<AccessGrant>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified)
            .ToList();
        var assignments = db.ChangeTracker.Entries<EscortAssignment>()
            .Where(e => e.State == EntityState.Added)
            .ToList();
        if (grants.Count == 0 && assignments.Count == 0)
        {
            return result;
        }

        var (version, parameters) = await ActivePolicyAsync(db, ct);
        var context = new RuleContext(parameters, version.Number, today);

        // New escort assignments first: a grant in the same change may rely on them.
        foreach (var entry in assignments)
        {
            var subject = await EscortSubjectAsync(db, entry.Entity, ct);
            var outcomes = PolicyEvaluator.Default.Evaluate(subject, context);
            var blocking = outcomes.Where(o => o.Severity is Severity.Block or Severity.Suspend).ToList();
            if (blocking.Count > 0)
            {
                throw new ComplianceRefusalException("escort-assignment", entry.Entity.Id, blocking);
            }
            result[entry.Entity] = outcomes;
        }
        foreach (var entry in grants)
        {
            var grant = entry.Entity;
            var subject = await SubjectAsync(db, grant, ct);
            var outcomes = PolicyEvaluator.Default.Evaluate(subject, context);
            var statusChanged = entry.State == EntityState.Added || entry.Property(g => g.Status).IsModified;
            var isAccessDecision = statusChanged && grant.Status is GrantStatus.Active or GrantStatus.PendingApproval;
            var blocking = outcomes.Where(o => o.Severity is Severity.Block or Severity.Suspend).ToList();
            if (isAccessDecision && blocking.Count > 0)
            {
                throw new ComplianceRefusalException("grant", grant.Id, blocking);
            }
            result[grant] = outcomes;
        }
        return result;
    }

    /// <summary>The active policy version and its parameters.</summary>
    public static async Task<(PolicyVersion Version, PolicyParameters Parameters)> ActivePolicyAsync(ComplianceDbContext db, CancellationToken ct)
    {
        var version = await db.PolicyVersions.AsNoTracking().SingleAsync(v => v.Status == PolicyStatus.Active, ct);
        return (version, PolicyJson.Deserialize(version.Parameters));
    }

    /// <summary>
    /// The facts of an escort assignment: both people, the system, how many people the escort would supervise at once
    /// (overlapping active assignments, this one included) and the most demanding access the supervised person holds there.
    /// </summary>
    public static async Task<EscortSubject> EscortSubjectAsync(ComplianceDbContext db, EscortAssignment a, CancellationToken ct)
    {
        var escort = await db.People.FindAsync([a.EscortId], ct) ?? throw new InvalidOperationException("The escort does not exist.");
        var supervised = await db.People.FindAsync([a.PersonId], ct) ?? throw new InvalidOperationException("The supervised person does not exist.");
        var system = await db.Systems.FindAsync([a.SystemId], ct) ?? throw new InvalidOperationException("The system does not exist.");
        var overlapping = await db.EscortAssignments
            .Where(o => o.EscortId == a.EscortId && o.Id != a.Id && o.Active && o.StartsOn <= a.EndsOn && o.EndsOn >= a.StartsOn)
            .Select(o => o.PersonId).Distinct().CountAsync(ct);
        var accessTypes = await db.Grants
            .Where(g => g.PersonId == a.PersonId && g.SystemId == a.SystemId && g.Status != GrantStatus.Revoked && g.Status != GrantStatus.Expired)
            .Select(g => g.AccessType).ToListAsync(ct);
        var required = accessTypes.Contains(AccessType.Privileged) ? AccessType.Privileged : AccessType.NonPrivileged;
        return new EscortSubject(a.Id, escort.ToFacts(), supervised.ToFacts(), system.ToFacts(), a.StartsOn, a.EndsOn, overlapping + 1, required);
    }

    /// <summary>The facts of a grant: the person, the system and every escort assignment of the person on that system.</summary>
    public static async Task<GrantSubject> SubjectAsync(ComplianceDbContext db, AccessGrant grant, CancellationToken ct)
    {
        var person = await db.People.FindAsync([grant.PersonId], ct)
            ?? throw new InvalidOperationException($"Grant {grant.Id} names a person that does not exist.");
        var system = await db.Systems.FindAsync([grant.SystemId], ct)
            ?? throw new InvalidOperationException($"Grant {grant.Id} names a system that does not exist.");
        var stored = await db.EscortAssignments.Where(a => a.PersonId == grant.PersonId && a.SystemId == grant.SystemId).ToListAsync(ct);
        var added = db.ChangeTracker.Entries<EscortAssignment>()
            .Where(e => e.State == EntityState.Added && e.Entity.PersonId == grant.PersonId && e.Entity.SystemId == grant.SystemId)
            .Select(e => e.Entity);
        var coverage = new List<EscortCoverage>();
        foreach (var a in stored.Concat(added).Distinct())
        {
            var escort = await db.People.FindAsync([a.EscortId], ct);
            if (escort is not null)
            {
                coverage.Add(new EscortCoverage(a.Id, escort.ToFacts(), a.SystemId, a.StartsOn, a.EndsOn, a.Active));
            }
        }
        return new GrantSubject(person.ToFacts(), system.ToFacts(), grant.ToFacts(), coverage);
    }
}
