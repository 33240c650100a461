using ComplianceHub.Core.Common.Idempotency;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Deletes expired Idempotency-Keys (ADR 0041) every <c>Idempotency:PurgeInterval</c> (default an hour), in bounded batches
/// (<c>Idempotency:PurgeBatch</c>, default 1,000 per statement, rows locked by a claim skipped). Every instance may run it: the
/// batches skip each other's rows, and a claim of an expired key takes it over anyway. Off with the other jobs
/// (<c>Scheduler:Enabled=false</c>, as the tests run: they call the store themselves).
/// </summary>
public sealed class IdempotencyPurgeService(IdempotencyStore store, IConfiguration configuration, TimeProvider clock, ILogger<IdempotencyPurgeService> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Scheduler:Enabled", true))
        {
            return;
        }
        using var timer = new PeriodicTimer(configuration.GetValue("Idempotency:PurgeInterval", TimeSpan.FromHours(1)), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var purged = await store.PurgeExpiredAsync(stoppingToken);
                if (purged > 0)
                {
                    log.LogInformation("Purged {Count} expired idempotency keys", purged);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Purging expired idempotency keys failed; it is tried again at the next interval");
            }
        }
    }
}
