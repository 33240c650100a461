using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Features.Findings;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Runs the daily state verification (<see cref="VerifyStateOnSchedule"/>, ADR 0031) through the command executor as the
/// scheduler: the audited tables are compared with the trail, and rows the trail does not explain open an integrity finding for
/// the administrator. Every instance checks every <c>Scheduler:VerifyStateCheckEvery</c> (default one hour); a run happens when none
/// completed within <c>Scheduler:VerifyStateEvery</c> (default one day) on any instance, one instance at a time (advisory lock).
/// Off with <c>Scheduler:Enabled=false</c>, like the re-evaluation.
/// </summary>
public sealed class StateVerificationScheduler(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock,
    ILogger<StateVerificationScheduler> log) : BackgroundService
{
    /// <summary>The scheduler as the trail names it for this job.</summary>
    public static Actor Actor { get; } = Core.Authorization.Actor.Scheduler with { DisplayName = "scheduler (daily state verification)" };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Scheduler:Enabled", true))
        {
            log.LogInformation("The daily state verification is disabled (Scheduler:Enabled=false)");
            return;
        }
        var every = configuration.GetValue("Scheduler:VerifyStateEvery", TimeSpan.FromDays(1));
        var check = configuration.GetValue("Scheduler:VerifyStateCheckEvery", TimeSpan.FromHours(1));
        using var timer = new PeriodicTimer(check, clock);
        do
        {
            try
            {
                using var run = Telemetry.JobRun("state-verification");
                await using var scope = scopes.CreateAsyncScope();
                // Due once the last run is a check interval short of the cadence, so the runs do not drift later by a check each day.
                var outcome = await scope.ServiceProvider.GetRequiredService<CommandExecutor>()
                    .SendAsync(Actor, new VerifyStateOnSchedule(UnlessRanWithin: every - check / 2), stoppingToken);
                if (outcome.IsOk)
                {
                    var result = outcome.Value!;
                    run.Done();
                    if (result.Verification.Clean)
                    {
                        log.LogInformation("State verification: {Rows} rows of {Tables} tables, every one explained by the trail",
                            result.Verification.Rows, result.Verification.Tables.Count);
                    }
                    else
                    {
                        log.LogWarning("State verification: {Count} discrepancies; integrity finding {Finding} ({State})", result.Verification.Discrepancies,
                            result.Finding?.Id, result.Finding?.Opened == true ? "opened" : "already open");
                    }
                }
                else if (outcome.Kind == OutcomeKind.Conflict)
                {
                    run.Outcome = "skipped";
                    log.LogInformation("State verification skipped: {Message}", outcome.Message);
                }
                else
                {
                    run.Outcome = "failed";
                    log.LogWarning("State verification did not complete: {Kind} {Message}", outcome.Kind, outcome.Message);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogError(ex, "State verification failed; it runs again at the next check");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
