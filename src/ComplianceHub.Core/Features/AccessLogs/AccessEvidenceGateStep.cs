using ComplianceHub.Core.Gate;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.AccessLogs;

/// <summary>
/// The gate's evidence step (issue 25, ADR 0048): when a change adds access-log evidence (an import), re-reads it (a known egress
/// range added or removed, an identity alias that matches events), or adds an escorted session that may cover logged access, the
/// current grants of the people concerned are evaluated against the active policy with their evidence, set-wise
/// (<see cref="ComplianceGate.ApplyAsync"/>): a grant failing LOC-EVIDENCE-COVERED is suspended at once, findings open and
/// close. Nothing is loaded while no rule of the policy reads evidence.
/// </summary>
internal sealed class AccessEvidenceGateStep : IGateStep
{
    /// <summary>Runs for every change: an import adds no rule-relevant tracked row, only evidence.</summary>
    public bool RulesOnly => false;

    /// <summary>People evaluated per batch (their grants, findings and evidence loaded once per batch).</summary>
    internal const int PeoplePerBatch = 5_000;

    public async Task RunAsync(GateContext gate, CancellationToken ct)
    {
        var db = gate.Db;
        var people = db.EvidenceChangedPeople;
        foreach (var session in gate.Changes.Sessions)
        {
            people.Add(session.Entity.PersonId);
        }
        if (people.Count == 0)
        {
            return;
        }
        var (version, parameters, rules) = await gate.PolicyAsync(ct);
        if (!AccessEvidenceLoader.Needed(rules))
        {
            people.Clear();
            return;
        }
        var handled = gate.HandledGrants.ToArray();
        foreach (var chunk in people.Order().Chunk(PeoplePerBatch))
        {
            var grants = FactsLoader.CurrentGrants(db).Where(g => chunk.Contains(g.PersonId) && !handled.Contains(g.Id));
            await ComplianceGate.ApplyAsync(db, grants, rules, parameters, version.Id, gate.Now, r => $"Suspended on access-log evidence: {r}.",
                gate.Outcomes, gate.HandledGrants, ct);
        }
        people.Clear();
    }
}
