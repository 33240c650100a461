using ComplianceHub.Cli;
using ComplianceHub.Core.Data;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Database;

/// <summary>
/// A database built by the migrations squashed into the baseline (ADR 0032) — its history names migrations this build does not
/// have — is refused by <c>migrate</c> with exit code 3 and nothing changed; only the demo (Development, <c>--recreate-retired</c>,
/// as scripts/run.sh runs it) drops and rebuilds it. Each test builds its own database with the old chain's first and last
/// history rows in place of the baseline's, and a table of the owner's that stands for the data a drop would lose.
/// </summary>
public sealed class RetiredMigrationsTests
{
    private const string FirstRetired = "20261128123157_InitialSchema";
    private const string LastRetired = "20261206145148_StateVerification";

    [Fact]
    public async Task Migrate_IsRefusedAndChangesNothing_WhenTheHistoryNamesRetiredMigrations()
    {
        await using var database = await OldChainDatabaseAsync();

        var ex = await Assert.ThrowsAsync<RetiredMigrationsException>(() => DatabaseMigrator.MigrateAsync(database.OwnerConnectionString));

        Assert.Equal([FirstRetired, LastRetired], ex.Retired);
        Assert.Contains($"the database {database.Name} was built by 2 migration(s) this build does not have ({FirstRetired}, {LastRetired})", ex.Message);
        Assert.Contains("Nothing was changed", ex.Message);
        Assert.Contains("docs/operations.md, \"A database made by retired migrations\"", ex.Message);
        Assert.Equal([FirstRetired, LastRetired], await HistoryAsync(database));
        Assert.True(await KeptDataExistsAsync(database));
    }

    [Fact]
    public async Task MigrateCommand_ExitsWithThreeAndSaysWhatToDo_WhenTheHistoryNamesRetiredMigrations()
    {
        await using var database = await OldChainDatabaseAsync();

        var (code, output, error) = await MigrateAsync(database, recreateRetired: false, development: true);

        Assert.Equal(MigrateCommand.RetiredMigrations, code);
        Assert.Equal("", output);
        Assert.StartsWith($"error: the database {database.Name} was built by 2 migration(s)", error);
        Assert.Contains("Demo or test data: drop the database, then provision, migrate and seed again", error);
        Assert.Equal([FirstRetired, LastRetired], await HistoryAsync(database));
    }

    [Fact]
    public async Task RecreateRetired_IsRefusedAndDropsNothing_OutsideDevelopment()
    {
        await using var database = await OldChainDatabaseAsync();

        var (code, output, error) = await MigrateAsync(database, recreateRetired: true, development: false);

        Assert.Equal(MigrateCommand.RetiredMigrations, code);
        Assert.Equal("", output);
        Assert.Contains("--recreate-retired drops the database and is refused outside Development", error);
        Assert.Contains("Data to keep: do not drop it", error);
        Assert.Equal([FirstRetired, LastRetired], await HistoryAsync(database));
        Assert.True(await KeptDataExistsAsync(database));
    }

    [Fact]
    public async Task RecreateRetired_DropsAndRebuildsTheDatabase_InDevelopment()
    {
        await using var database = await OldChainDatabaseAsync();
        var folder = Directory.CreateTempSubdirectory("retired-");
        var checkpoints = Path.Combine(folder.FullName, "checkpoints.jsonl");
        await File.WriteAllTextAsync(checkpoints, "{}\n");

        var (code, output, error) = await MigrateAsync(database, recreateRetired: true, development: true, checkpoints);

        Assert.Equal(MigrateCommand.Migrated, code);
        Assert.Equal("", error);
        Assert.Contains($"built by 2 migration(s) this build does not have ({FirstRetired} … {LastRetired})", output);
        Assert.Contains("It holds demo data (Development): dropping it and building it again.", output);
        Assert.Contains($"applied {(await KnownMigrationsAsync(database)).Count} migration(s)", output);
        Assert.Equal(await KnownMigrationsAsync(database), await HistoryAsync(database));
        Assert.False(await KeptDataExistsAsync(database));
        // Provisioned again as the provisioner does: the application role connects and reads the reference data.
        Assert.True((long)(await TestDatabase.ScalarAsync(database.AppConnectionString, "SELECT count(*) FROM countries"))! > 200);
        // The old chain's checkpoints would be reported as removed from the new database's table: moved aside, not deleted.
        Assert.False(File.Exists(checkpoints));
        Assert.Single(Directory.GetFiles(folder.FullName, "checkpoints.jsonl.dropped-*"));
        folder.Delete(recursive: true);
    }

    [Fact]
    public async Task RecreateRetired_OnlyMigrates_ADatabaseOfThisBuild()
    {
        await using var database = await TestDatabase.CreateAsync("retired");
        await TestDatabase.ScalarAsync(database.OwnerConnectionString, "CREATE TABLE kept_data (id int)");

        var (code, output, error) = await MigrateAsync(database, recreateRetired: true, development: true);

        Assert.Equal(MigrateCommand.Migrated, code);
        Assert.Equal("", error);
        Assert.Equal("database is up to date", output.Trim());
        Assert.True(await KeptDataExistsAsync(database));
    }

    /// <summary>A migrated database whose history is the old chain's (first and last rows) instead of the baseline's.</summary>
    private static async Task<TestDatabase> OldChainDatabaseAsync()
    {
        var database = await TestDatabase.CreateAsync("retired");
        await TestDatabase.ScalarAsync(database.OwnerConnectionString, $"""
            DELETE FROM __ef_migrations_history;
            INSERT INTO __ef_migrations_history (migration_id, product_version)
                VALUES ('{FirstRetired}', '10.0.15'), ('{LastRetired}', '10.0.15');
            CREATE TABLE kept_data (id int);
            """);
        return database;
    }

    private static async Task<(int Code, string Output, string Error)> MigrateAsync(TestDatabase database, bool recreateRetired, bool development,
        string? checkpointFile = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await MigrateCommand.RunAsync(database.OwnerConnectionString, () => database.Superuser, recreateRetired, development,
            checkpointFile, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static async Task<List<string>> HistoryAsync(TestDatabase database) =>
        (await TestDatabase.QueryAsync(database.OwnerConnectionString, "SELECT migration_id FROM __ef_migrations_history ORDER BY migration_id"))
        .Select(row => (string)row[0]!).ToList();

    private static async Task<List<string>> KnownMigrationsAsync(TestDatabase database)
    {
        await using var db = ComplianceDbContextFactory.Create(database.OwnerConnectionString);
        return db.Database.GetMigrations().ToList();
    }

    private static async Task<bool> KeptDataExistsAsync(TestDatabase database) =>
        (bool)(await TestDatabase.ScalarAsync(database.OwnerConnectionString, "SELECT to_regclass('kept_data') IS NOT NULL"))!;
}
