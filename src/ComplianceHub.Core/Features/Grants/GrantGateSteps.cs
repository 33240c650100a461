using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Gate;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Grants;

/// <summary>
/// The gate's grant step: a grant added or changed directly (not already re-evaluated by an earlier step) is evaluated; a
/// new grant or a status change to active or pending is an access decision, refused when a blocking rule fails (waived
/// rules excepted); otherwise its findings are synchronised, and a revoked or expired grant's findings close.
/// </summary>
internal sealed class GrantDecisionStep : IGateStep
{
    public bool RulesOnly => true;

    public async Task RunAsync(GateContext gate, CancellationToken ct)
    {
        var pending = gate.Changes.Grants.Where(e => !gate.HandledGrants.Contains(e.Entity.Id)).ToList();
        if (pending.Count == 0)
        {
            return;
        }
        var db = gate.Db;
        var (version, parameters, rules) = await gate.PolicyAsync(ct);
        // Every refused grant of the change is named (a bulk approval lists them all), and then nothing is written.
        var refused = new List<RefusedSubject>();
        // What the change tracks, read once for every grant of the step (a bulk decision holds thousands), not once per grant;
        // the findings this loop opens are on the grant at hand, so no later grant needs them.
        var assignments = ComplianceGate.TrackedAssignments(db);
        var addedFindings = ComplianceGate.AddedOpenFindings(db);
        // Access-log evidence, when a rule of the policy reads it: one load for every person of the step.
        var evidence = AccessLogs.AccessEvidenceLoader.Needed(rules)
            ? await AccessLogs.AccessEvidenceLoader.LoadAsync(db, pending.Select(e => e.Entity.PersonId).Distinct().ToList(), [rules], db.AddedSessionCoverage(), ct)
            : null;
        foreach (var entry in pending)
        {
            var grant = entry.Entity;
            var subject = await ComplianceGate.SubjectAsync(db, grant, assignments, ct);
            if (evidence is not null)
            {
                subject = subject with { Evidence = evidence.GetValueOrDefault(grant.PersonId) ?? AccessEvidence.None };
            }
            var outcomes = await ComplianceGate.WithoutWaivedAsync(db, "grant", grant.Id, PolicyEvaluator.Default.Evaluate(subject, rules), gate.Today, ct);
            var statusChanged = entry.State == EntityState.Added || entry.Property(g => g.Status).IsModified;
            var isAccessDecision = statusChanged && grant.Status is GrantStatus.Active or GrantStatus.PendingApproval;
            var blocking = outcomes.Where(o => o.Severity is Severity.Block or Severity.Suspend).ToList();
            if (isAccessDecision && blocking.Count > 0)
            {
                refused.Add(new RefusedSubject("grant", grant.Id, blocking, new Dictionary<string, object?>
                {
                    ["personId"] = grant.PersonId, ["systemId"] = grant.SystemId, ["accessType"] = grant.AccessType.ToString(),
                    ["startsOn"] = grant.StartsOn, ["endsOn"] = grant.EndsOn, ["status"] = grant.Status.ToString(),
                }));
                continue;
            }
            if (refused.Count > 0)
            {
                continue; // the change is refused: the consequences of the others would not be written
            }
            if (isAccessDecision && grant.Status == GrantStatus.Active)
            {
                grant.DecidedUnder(version.Id); // the version this decision was evaluated under, not one read earlier
            }
            var person = await db.People.FindAsync([grant.PersonId], ct);
            // A new grant has no stored finding yet, nor one whose handler found none (a bulk decision): only those this change opens (no query).
            var open = entry.State == EntityState.Added || db.KnownEmpty.GrantFindings.Contains(grant.Id)
                ? addedFindings[grant.Id].ToList()
                : await ComplianceGate.OpenFindingsAsync(db, grant.Id, ct);
            if (grant.Status is GrantStatus.Revoked or GrantStatus.Expired)
            {
                ComplianceGate.CloseFindings(db, open, gate.Now, $"The grant was {grant.Status.ToString().ToLowerInvariant()}.");
            }
            else if (person is not null)
            {
                ComplianceGate.SyncFindings(db, grant.Id, person.Id, person.VendorId, outcomes, open, parameters, gate.Now);
            }
            gate.Outcomes[grant] = outcomes;
        }
        if (refused.Count > 0)
        {
            throw new ComplianceRefusalException(refused);
        }
    }
}

/// <summary>The gate's impact-level step: a system's impact level is a fact of every grant on it, so a change re-evaluates them in bulk.</summary>
internal sealed class ImpactLevelStep : IGateStep
{
    public bool RulesOnly => true;

    public async Task RunAsync(GateContext gate, CancellationToken ct)
    {
        var systems = gate.Changes.SystemsWithNewImpactLevel;
        if (systems.Count == 0)
        {
            return;
        }
        var (version, parameters, rules) = await gate.PolicyAsync(ct);
        await ComplianceGate.ApplyAsync(gate.Db, FactsLoader.CurrentGrants(gate.Db).Where(g => systems.Contains(g.SystemId)), rules, parameters, version.Id,
            gate.Now, r => $"Suspended when the system's impact level changed: {r}.", gate.Outcomes, [], ct);
    }
}
