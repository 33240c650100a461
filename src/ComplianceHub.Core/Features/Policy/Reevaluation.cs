using System.Diagnostics;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Gate;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ComplianceHub.Core.Features.Policy;

/// <summary>A re-evaluation run as readers see it (the policy page's progress bar, the API).</summary>
public sealed record ReevaluationRunView(Guid Id, int PolicyNumber, ReevaluationReason Reason, string StartedByName, DateTimeOffset StartedAt,
    int Total, int Processed, int Batches, int Suspended, int Revoked, int Reactivated, int FindingsOpened, int FindingsClosed,
    DateTimeOffset? FinishedAt, int? SupersededByVersion)
{
    public bool Finished => FinishedAt is not null;

    /// <summary>Share done, 0–100 (a run over no grant is done).</summary>
    public double Percent => Finished ? 100 : Total == 0 ? 0 : Math.Min(100, 100.0 * Processed / Total);

    public static ReevaluationRunView From(ReevaluationRun r) => new(r.Id, r.PolicyNumber, r.Reason, r.StartedByName, r.StartedAt, r.Total, r.Processed,
        r.Batches, r.Suspended, r.Revoked, r.Reactivated, r.FindingsOpened, r.FindingsClosed, r.FinishedAt, r.SupersededByVersion);
}

/// <summary>One batch for the gate: the run, the grant ids to evaluate (in id order), and whether it is the run's first and last.</summary>
internal sealed record ReevaluationBatch(ReevaluationRun Run, IReadOnlyList<Guid> GrantIds, bool First, bool Last);

/// <summary>What one batch did, and the run after it.</summary>
public sealed record ReevaluationBatchResult(ReevaluationRunView Run, ConsequencesView Consequences);

/// <summary>
/// Applies the next batch of a re-evaluation run (ADR 0029): the next <paramref name="BatchSize"/> current grants after the
/// run's cursor, evaluated by the gate under the run's policy version, their consequences and the run's progress committed
/// together. Sent by the runner as the scheduler actor; idempotent on a finished run.
/// </summary>
[AllowedRoles(Roles.Administrator)]
public sealed record ApplyReevaluationBatch(Guid RunId, int BatchSize = ApplyReevaluationBatch.DefaultBatchSize) : ICommand<ReevaluationBatchResult>
{
    /// <summary>Grants per batch: one gated transaction each (about a second at the design's scale).</summary>
    public const int DefaultBatchSize = 10_000;
}

internal sealed class ApplyReevaluationBatchHandler : ICommandHandler<ApplyReevaluationBatch, ReevaluationBatchResult>
{
    private const int LockSpace = 0x43485242; // "CHRB": one advisory lock per run, held for a batch's transaction

    public async Task<Outcome<ReevaluationBatchResult>> HandleAsync(ApplyReevaluationBatch command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        if (command.BatchSize is < 1 or > 100_000)
        {
            return Outcome<ReevaluationBatchResult>.Invalid(new Dictionary<string, string[]> { ["batchSize"] = ["A batch holds 1 to 100,000 grants."] });
        }
        if (!await AdvisoryLocks.TryTakeAsync(db, LockSpace, command.RunId, ct))
        {
            return Outcome<ReevaluationBatchResult>.Conflict("Another instance is applying a batch of this re-evaluation now.");
        }
        var run = await db.ReevaluationRuns.SingleOrDefaultAsync(r => r.Id == command.RunId, ct);
        if (run is null)
        {
            return Outcome<ReevaluationBatchResult>.NotFound("The re-evaluation");
        }
        if (run.Finished)
        {
            return Outcome<ReevaluationBatchResult>.Ok(new ReevaluationBatchResult(ReevaluationRunView.From(run), new Consequences().ToView()));
        }
        var (active, _) = await ActivePolicy.ForChangeAsync(db, ct);
        if (active.Id != run.PolicyVersionId)
        {
            // A newer version was activated: its own run re-evaluates every grant; this one stops where it is.
            run.Supersede(active.Number, context.Now);
            return Outcome<ReevaluationBatchResult>.OkAfterSave(() => new ReevaluationBatchResult(ReevaluationRunView.From(run), db.Consequences.ToView()));
        }
        // The next grants in id order: a keyset walk, so a batch costs the same at the millionth grant as at the first.
        var ids = run.LastGrantId is { } after
            ? await db.Database.SqlQuery<Guid>($"""
                SELECT id AS "Value" FROM access_grants WHERE status IN ('Active', 'PendingApproval', 'Suspended') AND id > {after}
                ORDER BY id LIMIT {command.BatchSize}
                """).ToListAsync(ct)
            : await db.Database.SqlQuery<Guid>($"""
                SELECT id AS "Value" FROM access_grants WHERE status IN ('Active', 'PendingApproval', 'Suspended')
                ORDER BY id LIMIT {command.BatchSize}
                """).ToListAsync(ct);
        db.ReevaluationBatch = new ReevaluationBatch(run, ids, First: run.LastGrantId is null && run.Batches == 0, Last: ids.Count < command.BatchSize);
        return Outcome<ReevaluationBatchResult>.OkAfterSave(() => new ReevaluationBatchResult(ReevaluationRunView.From(run), db.Consequences.ToView()));
    }
}

/// <summary>What driving a run did: the run as it stands, and the consequences of the batches this call applied.</summary>
public sealed record ReevaluationProgress(ReevaluationRunView Run, ConsequencesView Consequences);

/// <summary>
/// Drives re-evaluation runs to completion one batch at a time (ADR 0029): called right after an activation by the page and
/// the API (for as long as they are willing to wait), by the scheduler after it starts a run, and by the background worker
/// for any run left unfinished (an instance that stopped, a caller that stopped waiting). Several callers may drive the same
/// run: a batch holds the run's advisory lock, so they take turns and never apply a batch twice.
/// </summary>
public sealed class ReevaluationRunner(IServiceScopeFactory scopes, IDbContextFactory<ComplianceDbContext> contexts, int batchSize,
    ILogger<ReevaluationRunner> log)
{
    private readonly SemaphoreSlim wake = new(0);

    /// <summary>Grants per batch (<c>Reevaluation:BatchSize</c>, default <see cref="ApplyReevaluationBatch.DefaultBatchSize"/>).</summary>
    public int BatchSize => batchSize;

    /// <summary>Tells the background worker a run may be waiting (it also looks every few seconds).</summary>
    public void Wake()
    {
        if (wake.CurrentCount == 0)
        {
            wake.Release();
        }
    }

    /// <summary>Waits until <see cref="Wake"/> is called or <paramref name="timeout"/> passes.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => wake.WaitAsync(timeout, ct);

    /// <summary>
    /// Applies batches of the run until it finishes or <paramref name="within"/> has passed (null: until it finishes), reporting
    /// the run after each batch. Returns the run as it then stands and the consequences of the batches applied here.
    /// </summary>
    public async Task<ReevaluationProgress?> DriveAsync(Guid runId, TimeSpan? within = null, IProgress<ReevaluationRunView>? progress = null,
        CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        var (suspended, revoked, opened, closed, reactivated) = (new List<Guid>(), new List<Guid>(), new List<Guid>(), new List<Guid>(), new List<Guid>());
        ReevaluationRunView? run = null;
        while (true)
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                var outcome = await scope.ServiceProvider.GetRequiredService<CommandExecutor>()
                    .SendAsync(Actor.Scheduler, new ApplyReevaluationBatch(runId, BatchSize), ct);
                if (outcome.IsOk)
                {
                    run = outcome.Value!.Run;
                    var c = outcome.Value.Consequences;
                    suspended.AddRange(c.SuspendedGrants);
                    revoked.AddRange(c.RevokedGrants);
                    opened.AddRange(c.FindingsOpened);
                    closed.AddRange(c.FindingsClosed);
                    reactivated.AddRange(c.ReactivatedGrants);
                    progress?.Report(run);
                }
                else if (outcome.Kind == OutcomeKind.NotFound)
                {
                    return null;
                }
                else if (outcome.Kind == OutcomeKind.Conflict)
                {
                    // Another caller holds this run's batch (or the policy changed under it): wait for it, then read where the run is.
                    await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
                    run = await GetAsync(runId, ct);
                    if (run is not null)
                    {
                        progress?.Report(run);
                    }
                }
                else
                {
                    log.LogError("A re-evaluation batch of run {Run} failed: {Kind} {Message}", runId, outcome.Kind, outcome.Message);
                    throw new InvalidOperationException($"A re-evaluation batch failed: {outcome.Message}");
                }
            }
            if (run is null || run.Finished || (within is { } limit && watch.Elapsed >= limit))
            {
                break;
            }
        }
        return run is null ? null : new ReevaluationProgress(run, new ConsequencesView(suspended, revoked, opened, closed, reactivated));
    }

    /// <summary>One run.</summary>
    public async Task<ReevaluationRunView?> GetAsync(Guid runId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ReevaluationRuns.AsNoTracking().Where(r => r.Id == runId).Select(r => ReevaluationRunView.From(r)).SingleOrDefaultAsync(ct);
    }

    /// <summary>The latest runs, newest first.</summary>
    public async Task<IReadOnlyList<ReevaluationRunView>> LatestAsync(int count, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ReevaluationRuns.AsNoTracking().OrderByDescending(r => r.StartedAt).Take(Math.Clamp(count, 1, 100))
            .Select(r => ReevaluationRunView.From(r)).ToListAsync(ct);
    }

    /// <summary>The runs not yet finished, oldest first.</summary>
    public async Task<IReadOnlyList<Guid>> UnfinishedAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ReevaluationRuns.AsNoTracking().Where(r => r.FinishedAt == null).OrderBy(r => r.StartedAt).Select(r => r.Id).ToListAsync(ct);
    }
}
