using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Features.Retention;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Section <c>Retention</c> (ADR 0046, NIST 800-53 AU-11; docs/operations.md "Retention and disposal"): how long records are kept.
/// Checked at start (<see cref="RetentionOptionsValidator"/>): a portal told to keep less than the minimum does not start.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>The audit trail's retention (default six years, NARA GRS 3.2 item 031). The portal never deletes events: past it,
    /// <c>/healthz</c> reports them as due for disposal by the records officer.</summary>
    public TimeSpan AuditEvents { get; set; } = TimeSpan.FromDays(6 * 365 + 2);

    /// <summary>How long an ended or expired sign-in session is kept before the daily job deletes it (default one year).</summary>
    public TimeSpan EndedSessions { get; set; } = TimeSpan.FromDays(365);

    /// <summary>How often each instance looks whether the daily disposal is due (one instance runs it, once a day).</summary>
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the disposal runs across all instances.</summary>
    public TimeSpan RunEvery { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The shortest audit retention accepted (AU-11 asks for an organization-defined period; less than a year is refused).</summary>
    public static readonly TimeSpan ShortestAuditRetention = TimeSpan.FromDays(365);
}

internal sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var problems = new List<string>();
        if (options.AuditEvents < RetentionOptions.ShortestAuditRetention)
        {
            problems.Add($"Retention:AuditEvents is {options.AuditEvents.TotalDays:N0} days: keep the audit trail for at least a year (365.00:00:00); the default is six years.");
        }
        if (options.EndedSessions < TimeSpan.FromDays(1))
        {
            problems.Add("Retention:EndedSessions must be at least a day (1.00:00:00); the default is a year.");
        }
        if (options.CheckEvery <= TimeSpan.Zero || options.RunEvery <= TimeSpan.Zero)
        {
            problems.Add("Retention:CheckEvery and Retention:RunEvery must be positive.");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>
/// The daily retention job: <see cref="DisposeEndedSessions"/> through the command executor as the scheduler, one instance at a
/// time and once per <see cref="RetentionOptions.RunEvery"/> across all of them (<c>scheduled_runs</c>, as the state
/// verification). Off with <c>Scheduler:Enabled=false</c>.
/// </summary>
public sealed class RetentionScheduler(IServiceScopeFactory scopes, IConfiguration configuration, IOptions<RetentionOptions> settings,
    TimeProvider clock, ILogger<RetentionScheduler> log) : BackgroundService
{
    /// <summary>The scheduler as the trail names it for this job.</summary>
    public static Actor Actor { get; } = Core.Authorization.Actor.Scheduler with { DisplayName = "scheduler (retention)" };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Scheduler:Enabled", true))
        {
            log.LogInformation("The retention job is disabled (Scheduler:Enabled=false)");
            return;
        }
        var options = settings.Value;
        using var timer = new PeriodicTimer(options.CheckEvery, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var outcome = await scope.ServiceProvider.GetRequiredService<CommandExecutor>().SendAsync(Actor,
                    new DisposeEndedSessions(options.EndedSessions, UnlessRanWithin: options.RunEvery - options.CheckEvery / 2), stoppingToken);
                if (outcome.IsOk)
                {
                    var result = outcome.Value!;
                    log.LogInformation("Retention: {Deleted} sign-in sessions ended before {Before:u} disposed of{More}", result.Deleted,
                        result.EndedBefore, result.More ? "; more are due and follow at the next run" : "");
                }
                else if (outcome.Kind == OutcomeKind.Conflict)
                {
                    log.LogDebug("Retention skipped: {Message}", outcome.Message);
                }
                else
                {
                    log.LogWarning("Retention did not complete: {Kind} {Message}", outcome.Kind, outcome.Message);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogError(ex, "Retention failed; it runs again at the next check");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

/// <summary>
/// <c>/healthz</c>'s <c>retention</c> check: the oldest audit event and when its retention ends; <c>Degraded</c> (still HTTP 200)
/// once events are past <see cref="RetentionOptions.AuditEvents"/> — the records officer's disposal is due. One index read.
/// </summary>
internal sealed class RetentionHealthCheck(RetentionQuery query, IOptions<RetentionOptions> settings, TimeProvider clock)
    : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var oldest = await query.OldestAuditEventAsync(cancellationToken);
        var keep = settings.Value.AuditEvents;
        if (oldest is not { } first)
        {
            return HealthCheckResult.Healthy($"no audit events yet; each is kept {Years(keep)}");
        }
        var due = first + keep;
        var text = $"oldest audit event {first.UtcDateTime:yyyy-MM-dd}; kept {Years(keep)}, so until {due.UtcDateTime:yyyy-MM-dd}";
        return due <= clock.GetUtcNow()
            ? HealthCheckResult.Degraded(text + ": events are past their retention — dispose of them with the records officer (docs/operations.md, \"Retention and disposal\")")
            : HealthCheckResult.Healthy(text);
    }

    private static string Years(TimeSpan keep) => keep.TotalDays >= 365 ? $"{Math.Floor(keep.TotalDays / 365):N0} year(s)" : $"{keep.TotalDays:N0} days";
}
