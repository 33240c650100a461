using ComplianceHub.Core.Data;
using ComplianceHub.Core.Data.Gate;
using ComplianceHub.Core.Domain.Policy;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Policy;

/// <summary>
/// The gate's first step: a policy version being activated is a fact that is always recorded, and every current grant is
/// re-evaluated under it (suspensions and findings join the activation's change); the scheduler's run does the same under
/// the active version on a new day (<see cref="ComplianceDbContext.ReevaluateAllGrants"/>).
/// </summary>
internal sealed class PolicyReevaluationStep : IGateStep
{
    public bool RulesOnly => false;

    public async Task RunAsync(GateContext gate, CancellationToken ct)
    {
        var db = gate.Db;
        var activation = db.ChangeTracker.Entries<PolicyVersion>()
            .SingleOrDefault(e => e.State == EntityState.Modified && e.Entity.Status == PolicyStatus.Active && e.Property(v => v.Status).IsModified);
        if (activation is not null)
        {
            await ComplianceGate.ReevaluateAllAsync(gate, activation.Entity, ct);
        }
        else if (db.ReevaluateAllGrants)
        {
            await ComplianceGate.ReevaluateAllAsync(gate, (await ComplianceGate.ActivePolicyAsync(db, ct)).Version, ct);
            db.ReevaluateAllGrants = false;
        }
    }
}
