using ComplianceHub.Core.Gate;

namespace ComplianceHub.Core.Features.Contributions;

/// <summary>
/// The gate's contribution step: what is derived from facts follows them in the same change — code contributions' author
/// matches and risk flags (<see cref="ContributionRefresh"/>), after every rule step and before the audit snapshot.
/// </summary>
internal sealed class ContributionGateStep : IGateStep
{
    public bool RulesOnly => false;

    public Task RunAsync(GateContext gate, CancellationToken ct) => ContributionRefresh.RefreshAsync(gate.Db, gate.Now, ct);
}
