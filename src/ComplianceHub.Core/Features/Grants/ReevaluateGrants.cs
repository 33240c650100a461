using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Gate;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Grants;

/// <summary>
/// Starts a re-evaluation of every current grant under the active policy on today's date, for the rules that change with
/// time alone (attestations falling due, adjudications ageing). Sent by the scheduler (<see cref="Actor.Scheduler"/>) through
/// the same executor as any change; the run then applies its batches (<see cref="Policy.ReevaluationRunner"/>, ADR 0029),
/// each a gated change whose suspensions, findings and audit events look exactly like the others.
/// </summary>
/// <param name="UnlessRanWithin">Skip (Conflict) when a run completed this recently — on any instance.</param>
/// <remarks>
/// Safe with several portal instances (docs/adr/0009-scheduled-reevaluation.md): a run holds a PostgreSQL advisory lock
/// for its transaction, so a second instance finds it taken and skips instead of re-evaluating the same population at
/// the same time; the completed run is recorded in <c>scheduled_runs</c>, so the instances share one cadence.
/// </remarks>
[AllowedRoles(Roles.Administrator)]
public sealed record ReevaluateGrants(TimeSpan? UnlessRanWithin = null) : ICommand<ReevaluationResult>;

/// <summary>The run a re-evaluation started, and the consequences applied so far (none until its batches run).</summary>
public sealed record ReevaluationResult(Policy.ReevaluationRunView Run, ConsequencesView Consequences);

internal sealed class ReevaluateGrantsHandler : ICommandHandler<ReevaluateGrants, ReevaluationResult>
{
    public const string RunName = "reevaluate-grants";
    private const long LockKey = 0x43485245455641; // "CHREEVA"

    public async Task<Outcome<ReevaluationResult>> HandleAsync(ReevaluateGrants command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var (run, skipped) = await ScheduledRun.ClaimAsync(db, LockKey, RunName, "the re-evaluation", command.UnlessRanWithin, context.Now, ct);
        if (run is null)
        {
            return Outcome<ReevaluationResult>.Conflict(skipped!);
        }
        if (await db.ReevaluationRuns.AsNoTracking().Where(r => r.FinishedAt == null).OrderBy(r => r.StartedAt).FirstOrDefaultAsync(ct) is { } unfinished)
        {
            return Outcome<ReevaluationResult>.Conflict(
                $"The re-evaluation under policy version {unfinished.PolicyNumber} started at {unfinished.StartedAt:yyyy-MM-dd HH:mm} UTC is still running " +
                $"({unfinished.Processed:N0} of {unfinished.Total:N0} grants).");
        }
        run.Completed(context.Now, Environment.MachineName);
        db.StartReevaluation = true;
        return Outcome<ReevaluationResult>.OkAfterSave(() => new ReevaluationResult(
            Policy.ReevaluationRunView.From(db.ChangeTracker.Entries<Domain.Policy.ReevaluationRun>().Select(e => e.Entity).OrderByDescending(r => r.StartedAt).First()),
            db.Consequences.ToView()));
    }
}
