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
            .UseNpgsql(ForThePortal(connectionString), npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention()
            // A lost connection clears the pool at once (ADR 0042): after a database restart every pooled connection is dead.
            .AddInterceptors(ConnectionFailureInterceptor.Instance);

    /// <summary>
    /// The portal's pool settings on a connection string (issue 16), each kept when the string sets it itself:
    /// <list type="bullet">
    /// <item><c>Max Auto Prepare=256</c>: statements the portal sends again and again (a grant request's lookups, the gate's
    /// reads, the audit append) are prepared on each pooled connection once they have run five times, so PostgreSQL parses
    /// and plans them once, not on every request (0 turns it off).</item>
    /// <item><c>No Reset On Close=true</c>: a connection going back to the pool is not sent Npgsql's reset (<c>DISCARD</c>-like
    /// statements, about a tenth of a millisecond of every change). The reset clears session state, and the portal keeps
    /// none: every setting and advisory lock it takes is transaction-scoped (<c>SET LOCAL</c>, <c>pg_advisory_xact_lock</c>),
    /// a test fails on a session-scoped one in the source, and a connection handed back inside a transaction is still rolled
    /// back (<c>PooledConnectionTests</c>).</item>
    /// </list>
    /// </summary>
    public static string ForThePortal(string connectionString)
    {
        // Npgsql's own builder knows every keyword, set or not; the plain one holds only those the string sets.
        var set = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!set.ContainsKey("Max Auto Prepare") && !set.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 256;
        }
        if (!set.ContainsKey("No Reset On Close") && !set.ContainsKey("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }
        return builder.ConnectionString;
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
