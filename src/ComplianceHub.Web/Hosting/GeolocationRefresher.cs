using ComplianceHub.Core.Features.AccessLogs;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Puts in force, on this instance, the newest geolocation database an administrator loaded (ADR 0047): once at start, then every
/// <c>Geolocation:RefreshEvery</c> (default a minute), so that every instance behind the load balancer looks addresses up in the
/// same database within that time. The instance that loads a database refreshes at once. Only the start's refresh runs when
/// the other jobs are off (<c>Scheduler:Enabled=false</c>, as the tests run: they refresh themselves).
/// </summary>
public sealed class GeolocationRefresher(IGeolocator geolocator, IOptions<GeolocationOptions> options, IConfiguration configuration, TimeProvider clock,
    ILogger<GeolocationRefresher> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RefreshAsync(stoppingToken);
        if (!configuration.GetValue("Scheduler:Enabled", true))
        {
            return;
        }
        var every = options.Value.RefreshEvery > TimeSpan.Zero ? options.Value.RefreshEvery : TimeSpan.FromMinutes(1);
        using var timer = new PeriodicTimer(every, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await RefreshAsync(stoppingToken);
        }
    }

    private async Task RefreshAsync(CancellationToken ct)
    {
        try
        {
            await geolocator.RefreshAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogWarning(ex, "Reading the loaded geolocation databases failed; the database in force stays, and it is tried again at the next interval");
        }
    }
}
