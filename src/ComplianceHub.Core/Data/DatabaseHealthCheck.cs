using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ComplianceHub.Core.Data;

/// <summary>
/// Healthy when the application role can reach the database and read the migrated schema
/// (a reachable server with a missing schema or missing grants is unhealthy, not healthy).
/// </summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<ComplianceDbContext> contexts) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var countries = await db.Countries.CountAsync(cancellationToken);
            return countries > 0
                ? HealthCheckResult.Healthy("database reachable; schema migrated")
                : HealthCheckResult.Unhealthy("database reachable but reference data is missing: run the migrate step");
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException or DbUpdateException)
        {
            return HealthCheckResult.Unhealthy("database unreachable or not migrated", ex);
        }
    }
}
