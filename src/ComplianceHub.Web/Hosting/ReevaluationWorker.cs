using ComplianceHub.Core.Features.Policy;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Applies the batches of every unfinished re-evaluation run (ADR 0029): one a policy activation or the scheduler started, one
/// whose caller stopped waiting, one an instance left behind when it stopped. Woken by <see cref="ReevaluationRunner.Wake"/>
/// and every few seconds otherwise; several instances may run it at once (a batch holds its run's advisory lock). Off with the
/// scheduler (<c>Scheduler:Enabled=false</c>, as the tests run it: they drive runs themselves).
/// </summary>
public sealed class ReevaluationWorker(ReevaluationRunner runner, IConfiguration configuration, ILogger<ReevaluationWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Scheduler:Enabled", true))
        {
            return;
        }
        var every = configuration.GetValue("Reevaluation:LookEvery", TimeSpan.FromSeconds(10));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var id in await runner.UnfinishedAsync(stoppingToken))
                {
                    var done = await runner.DriveAsync(id, ct: stoppingToken);
                    if (done?.Run is { } run)
                    {
                        log.LogInformation("Re-evaluation {Run} under policy version {Version}: {Processed} grants in {Batches} batches, {Suspended} suspended, " +
                            "{Revoked} revoked, {Opened} findings opened, {Closed} closed{Superseded}", run.Id, run.PolicyNumber, run.Processed, run.Batches,
                            run.Suspended, run.Revoked, run.FindingsOpened, run.FindingsClosed,
                            run.SupersededByVersion is { } by ? $"; superseded by version {by}" : "");
                    }
                }
                await runner.WaitAsync(every, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                log.LogError(ex, "Applying a re-evaluation failed; it resumes from its last committed batch");
                await Task.Delay(every, stoppingToken);
            }
        }
    }
}
