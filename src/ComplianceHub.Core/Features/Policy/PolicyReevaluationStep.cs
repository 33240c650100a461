using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Gate;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Policy;

/// <summary>
/// The gate's first step (ADR 0029). A policy version being activated is a fact that is always recorded: from the activation's
/// instant every change is evaluated under it, and the activation starts a <see cref="ReevaluationRun"/> — in its own
/// transaction — that applies the version to the existing grants in batches afterwards (an unfinished earlier run stops: the
/// new one covers every grant). A batch of such a run (<see cref="ApplyReevaluationBatch"/>) is evaluated here: its grants
/// under the run's version, suspensions and findings joining the batch's change with the run's progress.
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
            await StartAsync(db, activation.Entity, ReevaluationReason.Activation, gate, ct);
        }
        else if (db.StartReevaluation)
        {
            await StartAsync(db, (await gate.PolicyAsync(ct)).Version, ReevaluationReason.Schedule, gate, ct);
            db.StartReevaluation = false;
        }
        else if (db.ReevaluationBatch is { } batch)
        {
            await ApplyBatchAsync(gate, batch, ct);
            db.ReevaluationBatch = null;
        }
    }

    /// <summary>Starts a run of every current grant under <paramref name="version"/>, stopping any unfinished run.</summary>
    internal static async Task<ReevaluationRun> StartAsync(ComplianceDbContext db, PolicyVersion version, ReevaluationReason reason, GateContext? gate,
        CancellationToken ct)
    {
        var now = gate?.Now ?? throw new InvalidOperationException("A run starts inside the gate.");
        // A new version's run covers every grant, so it stops the unfinished ones; the scheduler's run under the same version
        // stops nothing (an activation's run that committed in the meantime keeps going).
        if (reason == ReevaluationReason.Activation)
        {
            foreach (var unfinished in await db.ReevaluationRuns.Where(r => r.FinishedAt == null).ToListAsync(ct))
            {
                unfinished.Supersede(version.Number, now);
            }
        }
        var total = await FactsLoader.CurrentGrants(db).CountAsync(ct);
        var actor = gate.Scope?.Actor;
        var run = new ReevaluationRun(Guid.CreateVersion7(now), version.Id, version.Number, reason, actor?.UserId is { } id && id != Guid.Empty ? id : null,
            actor?.Name ?? "the portal", now, total);
        db.ReevaluationRuns.Add(run);
        return run;
    }

    private static async Task ApplyBatchAsync(GateContext gate, ReevaluationBatch batch, CancellationToken ct)
    {
        var (db, now) = (gate.Db, gate.Now);
        var (version, parameters, context) = await gate.PolicyAsync(ct);
        if (version.Id != batch.Run.PolicyVersionId)
        {
            throw new InvalidOperationException("A re-evaluation batch runs under its run's version; the handler checks it is the active one.");
        }
        var before = (db.Consequences.SuspendedGrants.Count, db.Consequences.RevokedGrants.Count, db.Consequences.ReactivatedGrants.Count,
            db.Consequences.FindingsOpened.Count, db.Consequences.FindingsClosed.Count);
        if (batch.First)
        {
            foreach (var session in await db.EscortedSessions.Where(s => s.SignedOffAt == null).ToListAsync(ct))
            {
                await ComplianceGate.EvaluateSessionAsync(db, session, context, parameters, now, gate.Outcomes, ct);
            }
        }
        if (batch.GrantIds.Count > 0)
        {
            var ids = batch.GrantIds.ToArray();
            // The grants evaluated here are handled: their outcomes go into their audit events, and the grant step does not
            // evaluate the ones this suspends a second time, one by one.
            // Still current: a grant revoked or expired since the batch's ids were read is left alone.
            await ComplianceGate.ApplyAsync(db, FactsLoader.CurrentGrants(db).Where(g => ids.Contains(g.Id)), context, parameters, version.Id, now,
                rules => $"Suspended under policy version {version.Number} on {context.Today:yyyy-MM-dd}: {rules}.", gate.Outcomes, gate.HandledGrants, ct);
        }
        var c = db.Consequences;
        batch.Run.Advance(batch.GrantIds.Count > 0 ? batch.GrantIds[^1] : null, batch.GrantIds.Count, c.SuspendedGrants.Count - before.Item1,
            c.RevokedGrants.Count - before.Item2, c.ReactivatedGrants.Count - before.Item3, c.FindingsOpened.Count - before.Item4,
            c.FindingsClosed.Count - before.Item5, batch.Last, now);
    }
}
