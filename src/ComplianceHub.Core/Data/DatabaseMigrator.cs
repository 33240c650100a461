using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ComplianceHub.Core.Data;

/// <summary>Applies the migrations as the owner role: the explicit deploy step, never done at start-up.</summary>
public static class DatabaseMigrator
{
    /// <summary>
    /// Applies every pending migration; returns the names applied. A database whose history names a migration this build
    /// does not have (made before the migrations were squashed, ADR 0032, or by a newer build) is refused, unchanged.
    /// </summary>
    /// <exception cref="RetiredMigrationsException">The history names migrations this build does not have.</exception>
    public static async Task<IReadOnlyList<string>> MigrateAsync(string ownerConnectionString, CancellationToken ct = default)
    {
        await using var db = ComplianceDbContextFactory.Create(ownerConnectionString);
        var retired = await RetiredAsync(db, ct);
        if (retired.Count > 0)
        {
            throw new RetiredMigrationsException(DatabaseOf(ownerConnectionString), retired, recreateRefused: false);
        }
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        await db.Database.MigrateAsync(ct);
        return pending;
    }

    /// <summary>The migrations the database's history names that this build does not have, in the order applied; empty for a new database.</summary>
    public static async Task<IReadOnlyList<string>> RetiredMigrationsAsync(string ownerConnectionString, CancellationToken ct = default)
    {
        await using var db = ComplianceDbContextFactory.Create(ownerConnectionString);
        return await RetiredAsync(db, ct);
    }

    /// <summary>
    /// What the database's migration history says against this build, changing nothing: the last migration applied, this build's
    /// last, the ones pending and the ones this build does not have (a restore checks a backup against the build that runs it).
    /// </summary>
    public static async Task<MigrationStatus> StatusAsync(string ownerConnectionString, CancellationToken ct = default)
    {
        await using var db = ComplianceDbContextFactory.Create(ownerConnectionString);
        var applied = (await db.Database.GetAppliedMigrationsAsync(ct)).ToList();
        var build = db.Database.GetMigrations().ToList();
        var known = build.ToHashSet(StringComparer.Ordinal);
        var done = applied.ToHashSet(StringComparer.Ordinal);
        return new MigrationStatus(applied.LastOrDefault(), build.LastOrDefault(),
            build.Where(id => !done.Contains(id)).ToList(), applied.Where(id => !known.Contains(id)).ToList());
    }

    /// <summary>
    /// The demo's way past a database made by retired migrations (<c>scripts/run.sh</c>): in Development, such a database is
    /// dropped, provisioned again and migrated (it holds demo data only); any other database is migrated as
    /// <see cref="MigrateAsync"/> does. Outside Development nothing is dropped: the database is refused as
    /// <see cref="MigrateAsync"/> refuses it.
    /// </summary>
    /// <returns>The retired migrations the dropped database named (empty when nothing was dropped) and the migrations applied.</returns>
    public static async Task<(IReadOnlyList<string> Dropped, IReadOnlyList<string> Applied)> MigrateRecreatingRetiredAsync(
        string superuserConnectionString, string ownerConnectionString, bool development, CancellationToken ct = default)
    {
        var retired = await RetiredMigrationsAsync(ownerConnectionString, ct);
        if (retired.Count == 0)
        {
            return ([], await MigrateAsync(ownerConnectionString, ct));
        }
        var database = DatabaseOf(ownerConnectionString);
        if (!development)
        {
            throw new RetiredMigrationsException(database, retired, recreateRefused: true);
        }
        NpgsqlConnection.ClearAllPools(); // this process's idle connections to the database would otherwise be broken ones
        await DatabaseProvisioner.RecreateAsync(superuserConnectionString, database, ct);
        return (retired, await MigrateAsync(ownerConnectionString, ct));
    }

    private static async Task<IReadOnlyList<string>> RetiredAsync(ComplianceDbContext db, CancellationToken ct)
    {
        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        return (await db.Database.GetAppliedMigrationsAsync(ct)).Where(id => !known.Contains(id)).ToList();
    }

    private static string DatabaseOf(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString).Database ?? "(the default database)";
}

/// <summary>Where a database's migrations stand against this build (<see cref="DatabaseMigrator.StatusAsync"/>).</summary>
/// <param name="DatabaseHead">The last migration the database's history names (null: none, an empty database).</param>
/// <param name="BuildHead">This build's last migration.</param>
/// <param name="Pending">This build's migrations the database lacks (<c>migrate</c> applies them).</param>
/// <param name="Unknown">Migrations the database names that this build does not have (a newer build, or retired ones).</param>
public sealed record MigrationStatus(string? DatabaseHead, string? BuildHead, IReadOnlyList<string> Pending, IReadOnlyList<string> Unknown);

/// <summary>
/// The database's migration history names migrations this build does not have: nothing was changed. The message says
/// what to do (ADR 0032; docs/operations.md, "A database made by retired migrations").
/// </summary>
public sealed class RetiredMigrationsException(string database, IReadOnlyList<string> retired, bool recreateRefused)
    : InvalidOperationException(MessageFor(database, retired, recreateRefused))
{
    /// <summary>The database refused.</summary>
    public string Database { get; } = database;

    /// <summary>The migrations its history names that this build does not have.</summary>
    public IReadOnlyList<string> Retired { get; } = retired;

    private static string MessageFor(string database, IReadOnlyList<string> retired, bool recreateRefused)
    {
        var names = retired.Count <= 3 ? string.Join(", ", retired) : $"{retired[0]}, {retired[1]}, … {retired[^1]}";
        return $"the database {database} was built by {retired.Count} migration(s) this build does not have ({names}): "
            + "by the migrations squashed into one baseline before the first release (docs/adr/0032-one-baseline-migration.md), "
            + "or by a newer build. Nothing was changed. "
            + (recreateRefused
                ? "--recreate-retired drops the database and is refused outside Development. "
                : "")
            + "Demo or test data: drop the database, then provision, migrate and seed again (scripts/run.sh does it by itself). "
            + "Data to keep: do not drop it; see docs/operations.md, \"A database made by retired migrations\".";
    }
}

/// <summary>Lets dotnet-ef build the context at design time without a running database.</summary>
internal sealed class DesignTimeComplianceDbContextFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<ComplianceDbContext>
{
    public ComplianceDbContext CreateDbContext(string[] args) =>
        ComplianceDbContextFactory.Create("Host=127.0.0.1;Port=55432;Database=compliancehub_design;Username=compliancehub_owner");
}

/// <summary>Builds a context outside DI (migrations, design time, database tests) with the same options as DI.</summary>
internal static class ComplianceDbContextFactory
{
    public static ComplianceDbContext Create(string connectionString)
    {
        var builder = new DbContextOptionsBuilder<ComplianceDbContext>();
        builder.UseComplianceHubDatabase(connectionString);
        return new ComplianceDbContext(builder.Options);
    }
}
