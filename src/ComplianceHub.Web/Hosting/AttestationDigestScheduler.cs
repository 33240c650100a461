using ComplianceHub.Core.Common;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Runs <see cref="AttestationDigestJob"/> every <c>Notifications:Email:CheckEvery</c> (default 01:00:00); the job itself
/// sends at most once a day. Does nothing while <c>Notifications:Email:Enabled</c> is false (the default).
/// </summary>
public sealed class AttestationDigestScheduler(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock,
    ILogger<AttestationDigestScheduler> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!EmailSettings.From(configuration).Enabled)
        {
            log.LogInformation("Attestation e-mail digests are disabled (Notifications:Email:Enabled=false)");
            return;
        }
        using var timer = new PeriodicTimer(configuration.GetValue("Notifications:Email:CheckEvery", TimeSpan.FromHours(1)), clock);
        do
        {
            try
            {
                using var run = Telemetry.JobRun("attestation-digest");
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<AttestationDigestJob>().RunOnceAsync(stoppingToken);
                run.Done();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogError(ex, "Attestation digest failed; the next check runs at the next interval");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
