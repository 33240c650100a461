using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.Data;

/// <summary>Registers the data layer the same way for the portal, the CLI and the tests.</summary>
public static class DataServiceCollectionExtensions
{
    /// <summary>The Npgsql/EF options every <see cref="ComplianceDbContext"/> is built with.</summary>
    public static DbContextOptionsBuilder UseComplianceHubDatabase(this DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention();

    /// <summary>
    /// A context factory (one context per operation, never one per circuit) plus a scoped context for
    /// Identity's stores and the data-protection key ring, both on the application role's connection.
    /// </summary>
    public static IServiceCollection AddComplianceHubData(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringNames.App)
            ?? throw new InvalidOperationException(
                $"Connection string '{ConnectionStringNames.App}' is not configured (ConnectionStrings__{ConnectionStringNames.App}).");
        // Pooled: setting up a context's internal services cost a third of a grant request's time (issue 16); a pooled
        // context is reset on return (EF's change tracker and connection; ComplianceDbContext its gate state on dispose).
        services.AddPooledDbContextFactory<ComplianceDbContext>(o => o.UseComplianceHubDatabase(connectionString));
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<ComplianceDbContext>>().CreateDbContext());
        return services;
    }
}
