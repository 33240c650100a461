using ComplianceHub.Core.Gate;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Screening;

/// <summary>
/// The gate's screening step: people added, and people whose name changed, are screened against the newest
/// restricted-party list before anything else reads their facts (their screening status is a fact like any other).
/// </summary>
internal sealed class ScreeningGateStep : IGateStep
{
    public bool RulesOnly => true;

    public async Task RunAsync(GateContext gate, CancellationToken ct)
    {
        var toScreen = gate.Changes.People
            .Where(e => e.State == EntityState.Added || (e.Property(p => p.FullName).IsModified && !Equals(e.Property(p => p.FullName).OriginalValue, e.Entity.FullName)))
            .Select(e => e.Entity).ToList();
        if (toScreen.Count > 0 && await ScreeningIndexCache.LatestAsync(gate.Db, ct) is { } index)
        {
            var (_, parameters, _) = await gate.PolicyAsync(ct);
            await Screener.ScreenAsync(gate.Db, index, toScreen, parameters.ScreeningSettings, gate.Now, ct);
        }
    }
}
