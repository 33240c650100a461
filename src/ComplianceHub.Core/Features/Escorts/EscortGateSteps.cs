using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Gate;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Core.Features.Escorts;

/// <summary>The gate's escorted-session step: a session recorded or signed off opens findings for a late or missing sign-off.</summary>
internal sealed class EscortedSessionGateStep : IGateStep
{
    public bool RulesOnly => true;

    public async Task RunAsync(GateContext gate, CancellationToken ct)
    {
        if (gate.Changes.Sessions.Count == 0)
        {
            return;
        }
        var (_, parameters, rules) = await gate.PolicyAsync(ct);
        foreach (var entry in gate.Changes.Sessions)
        {
            await ComplianceGate.EvaluateSessionAsync(gate.Db, entry.Entity, rules, parameters, gate.Now, gate.Outcomes, ct);
        }
    }
}

/// <summary>
/// The gate's escort-assignment step: a new assignment is an access decision, refused (nothing written) when a rule of
/// severity Block or Suspend fails for the escort, the supervised person or the system.
/// </summary>
internal sealed class EscortAssignmentGateStep : IGateStep
{
    public bool RulesOnly => true;

    public async Task RunAsync(GateContext gate, CancellationToken ct)
    {
        if (gate.Changes.NewAssignments.Count == 0)
        {
            return;
        }
        var (_, _, rules) = await gate.PolicyAsync(ct);
        foreach (var entry in gate.Changes.NewAssignments)
        {
            var outcomes = PolicyEvaluator.Default.Evaluate(await ComplianceGate.EscortSubjectAsync(gate.Db, entry.Entity, ct), rules);
            var blocking = outcomes.Where(o => o.Severity is Severity.Block or Severity.Suspend).ToList();
            if (blocking.Count > 0)
            {
                var a = entry.Entity;
                throw new ComplianceRefusalException("escort-assignment", a.Id, blocking, new Dictionary<string, object?>
                {
                    ["escortId"] = a.EscortId, ["personId"] = a.PersonId, ["systemId"] = a.SystemId, ["startsOn"] = a.StartsOn, ["endsOn"] = a.EndsOn,
                });
            }
            gate.Outcomes[entry.Entity] = outcomes;
        }
    }
}
