using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace ComplianceHub.Core.Gate;

/// <summary>
/// One step of the gate (<see cref="ComplianceGate.Steps"/>): owned by the feature whose rows or rules it concerns, it reads
/// the change from the <see cref="GateContext"/>, evaluates what it must set-wise (facts loaded per batch, rules in memory),
/// and adds its outcomes, consequences, history and receipts to the same change. A step that refuses throws
/// <see cref="ComplianceRefusalException"/> before anything is written.
/// </summary>
internal interface IGateStep
{
    /// <summary>Rule steps run only when the change holds rule-relevant rows (people, grants, escorts, sessions, systems).</summary>
    bool RulesOnly { get; }

    /// <summary>
    /// Whether the step may change rows in place (a grant suspended, a finding closed), which the gate then detects before the
    /// next step reads the tracker. A step that only adds rows, or writes outside the tracker, says no.
    /// </summary>
    bool ChangesInPlace => true;

    Task RunAsync(GateContext gate, CancellationToken ct);
}

/// <summary>
/// What the gate's steps share for one save: the change, the active policy, the rule outcomes per evaluated entity, the
/// consequences, and the fact-history sink. Built by <see cref="ComplianceGate.EvaluateAsync"/>; steps never keep it.
/// </summary>
internal sealed class GateContext(ComplianceDbContext db, AuditScope? scope, DateTimeOffset now)
{
    private (PolicyVersion Version, PolicyParameters Parameters, RuleContext Rules)? policy;

    public ComplianceDbContext Db => db;
    public AuditScope? Scope => scope;
    public DateTimeOffset Now => now;
    public DateOnly Today { get; } = DateOnly.FromDateTime(now.UtcDateTime);

    /// <summary>The rule-relevant rows of the change, read once the policy step has run (its suspensions included).</summary>
    public GateChanges Changes { get; private set; } = GateChanges.None;

    /// <summary>The rule outcomes per evaluated entity (grant, assignment, session); they go into the audit events.</summary>
    public Dictionary<object, IReadOnlyList<RuleOutcome>> Outcomes { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>What the change did to other records (returned by every write).</summary>
    public Consequences Consequences => db.Consequences;

    /// <summary>Where fact-history records go; written by binary COPY with the change, in its transaction.</summary>
    public List<PersonFactRecord> History => db.PendingFactHistory;

    /// <summary>Grants a step already evaluated in this save, so a later step does not evaluate them again.</summary>
    public HashSet<Guid> HandledGrants { get; } = [];

    /// <summary>The active policy version (or the one being activated), its parameters and the rule context — loaded once.</summary>
    public async Task<(PolicyVersion Version, PolicyParameters Parameters, RuleContext Rules)> PolicyAsync(CancellationToken ct)
    {
        if (policy is null)
        {
            var (version, parameters) = await ActivePolicyCache.InForceAsync(db, ct);
            policy = (version, parameters, new RuleContext(parameters, version.Number, Today) { Now = now });
        }
        return policy.Value;
    }

    public void ReadChanges() => Changes = GateChanges.Read(db.ChangeTracker);
}

/// <summary>The rule-relevant rows of one change, as the change tracker holds them.</summary>
internal sealed record GateChanges(
    IReadOnlyList<EntityEntry<Person>> People,
    IReadOnlyList<EntityEntry<AccessGrant>> Grants,
    IReadOnlyList<EntityEntry<EscortAssignment>> NewAssignments,
    IReadOnlyList<EntityEntry<EscortedSession>> Sessions,
    IReadOnlyList<Guid> SystemsWithNewImpactLevel,
    bool SystemsTouched)
{
    public static readonly GateChanges None = new([], [], [], [], [], false);

    /// <summary>Whether the rule steps have anything to evaluate.</summary>
    public bool RuleRelevant => People.Count > 0 || Grants.Count > 0 || NewAssignments.Count > 0 || Sessions.Count > 0 || SystemsTouched;

    public static GateChanges Read(ChangeTracker tracker)
    {
        ComplianceGate.DetectInPlaceChanges(tracker);
        var systems = tracker.Entries<Domain.Systems.CloudSystem>().ToList();
        return new GateChanges(
            tracker.Entries<Person>().Where(e => e.State is EntityState.Added or EntityState.Modified).ToList(),
            tracker.Entries<AccessGrant>().Where(e => e.State is EntityState.Added or EntityState.Modified).ToList(),
            tracker.Entries<EscortAssignment>().Where(e => e.State == EntityState.Added).ToList(),
            tracker.Entries<EscortedSession>().Where(e => e.State is EntityState.Added or EntityState.Modified).ToList(),
            systems.Where(e => e.State == EntityState.Modified && e.Property(s => s.ImpactLevel).IsModified
                               && !Equals(e.Property(s => s.ImpactLevel).OriginalValue, e.Entity.ImpactLevel))
                .Select(e => e.Entity.Id).ToList(),
            systems.Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted));
    }
}
