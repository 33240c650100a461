using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Security;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Signs the audit chain's head (<see cref="ChainCheckpointSigner"/>, ADR 0031) every <c>Audit:CheckpointEvery</c> events (default
/// 10,000) and at least every <c>Audit:CheckpointInterval</c> (default one hour) while the chain moves. It looks every
/// <c>Audit:CheckpointPollInterval</c> (default a minute): one indexed read of the head and of the last checkpoint when nothing is
/// due, so the events not yet signed are at most N plus a minute's appends, or an hour and a minute's. Every instance runs it; one
/// signs at a time (an advisory lock), the others find nothing due. Off with the other jobs (<c>Scheduler:Enabled=false</c>, as
/// the tests run: they call the signer themselves) and when no signing key is configured.
/// </summary>
public sealed class CheckpointScheduler(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock, AuditKeyRing keys,
    ILogger<CheckpointScheduler> log) : BackgroundService
{
    /// <summary>The actor the signer acts as (and an integrity finding it opens names).</summary>
    internal static readonly Actor Signer = new(Guid.Empty, "scheduler (chain checkpoints)", Roles.Administrator, null, null);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Scheduler:Enabled", true))
        {
            return;
        }
        if (keys.SigningKey is null)
        {
            log.LogWarning("No audit signing key is configured (Keys): the audit chain is not checkpointed");
            return;
        }
        var command = new SignChainCheckpoint(
            MinimumEvents: Math.Max(1, configuration.GetValue("Audit:CheckpointEvery", 10_000L)),
            MaximumAge: configuration.GetValue("Audit:CheckpointInterval", TimeSpan.FromHours(1)));
        using var timer = new PeriodicTimer(configuration.GetValue("Audit:CheckpointPollInterval", TimeSpan.FromMinutes(1)), clock);
        do
        {
            try
            {
                using var run = Telemetry.JobRun("chain-checkpoint");
                await using var scope = scopes.CreateAsyncScope();
                var outcome = await scope.ServiceProvider.GetRequiredService<ChainCheckpointSigner>().SignAsync(Signer, command, stoppingToken);
                run.Outcome = outcome.IsOk ? "ok" : outcome.Kind == OutcomeKind.Conflict ? "skipped" : "failed";
                if (!outcome.IsOk && outcome.Kind != OutcomeKind.Conflict)
                {
                    log.LogWarning("Checkpoint signing did not run: {Kind} {Message}", outcome.Kind, outcome.Message);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogError(ex, "Checkpoint signing failed; it is tried again at the next look");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
