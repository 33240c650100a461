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
            .UseNpgsql(WithAutoPrepare(connectionString), npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention();

    /// <summary>
    /// Statements the portal sends again and again (a grant request's lookups, the gate's reads, the audit append) are
    /// prepared on each pooled connection once they have run five times, so PostgreSQL parses and plans them once, not on
    /// every request (a third of a single change's time in the database, issue 16). A connection string that sets
    /// <c>Max Auto Prepare</c> itself (0 turns it off) keeps its value.
    /// </summary>
    public static string WithAutoPrepare(string connectionString)
    {
        // Npgsql's own builder knows every keyword, set or not; the plain one holds only those the string sets.
        var set = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (set.ContainsKey("Max Auto Prepare") || set.ContainsKey("MaxAutoPrepare"))
        {
            return connectionString;
        }
        return new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 256 }.ConnectionString;
    }

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
