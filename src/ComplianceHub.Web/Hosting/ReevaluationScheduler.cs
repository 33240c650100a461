using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Features.Grants;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Starts the time-based re-evaluation (<see cref="ReevaluateGrants"/>) through the command executor as the scheduler actor:
/// attestations that fall due suspend access without anyone editing a record. The run's batches are applied by
/// <see cref="ReevaluationWorker"/>, which this wakes (ADR 0029). Every instance runs it; the run is
/// idempotent, and the instances share one cadence: a run skips while another instance runs it (advisory lock) or when
/// one completed within half the interval (docs/adr/0009-scheduled-reevaluation.md).
/// Settings: <c>Scheduler:Enabled</c> (default true), <c>Scheduler:ReevaluateEvery</c> (default 01:00:00).
/// </summary>
public sealed class ReevaluationScheduler(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock,
    ILogger<ReevaluationScheduler> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Scheduler:Enabled", true))
        {
            log.LogInformation("Time-based re-evaluation is disabled (Scheduler:Enabled=false)");
            return;
        }
        var every = configuration.GetValue("Scheduler:ReevaluateEvery", TimeSpan.FromHours(1));
        using var timer = new PeriodicTimer(every, clock);
        do
        {
            try
            {
                using var run = Telemetry.JobRun("reevaluation");
                await using var scope = scopes.CreateAsyncScope();
                var outcome = await scope.ServiceProvider.GetRequiredService<CommandExecutor>()
                    .SendAsync(Actor.Scheduler, new ReevaluateGrants(UnlessRanWithin: every - every / 10), stoppingToken);
                if (outcome.IsOk)
                {
                    log.LogInformation("Re-evaluation {Run} started over {Total} current grants", outcome.Value!.Run.Id, outcome.Value.Run.Total);
                    scope.ServiceProvider.GetRequiredService<Core.Features.Policy.ReevaluationRunner>().Wake();
                    run.Done();
                }
                else if (outcome.Kind == OutcomeKind.Conflict)
                {
                    run.Outcome = "skipped";
                    log.LogInformation("Re-evaluation skipped: {Message}", outcome.Message);
                }
                else
                {
                    run.Outcome = "failed";
                    log.LogWarning("Re-evaluation did not complete: {Kind} {Message}", outcome.Kind, outcome.Message);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogError(ex, "Re-evaluation failed; it runs again at the next interval");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
