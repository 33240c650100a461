using ComplianceHub.Core.Data;
using ComplianceHub.Tests.Shared;
using Npgsql;

namespace ComplianceHub.IntegrationTests.Database;

public sealed class DatabaseRolesTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task AppRole_CannotCreateTables()
    {
        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            TestDatabase.ScalarAsync(fixture.Database.AppConnectionString, "CREATE TABLE sneaky (id int)"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, ex.SqlState);
    }

    [Theory]
    [InlineData("DROP TABLE people")]
    [InlineData("ALTER TABLE users ADD COLUMN sneaky int")]
    [InlineData("ALTER TABLE people DISABLE TRIGGER ALL")]
    [InlineData("TRUNCATE vendors CASCADE")]
    public async Task AppRole_CannotChangeOrEmptyTheSchema(string ddl)
    {
        var ex = await Assert.ThrowsAsync<PostgresException>(() => TestDatabase.ScalarAsync(fixture.Database.AppConnectionString, ddl));
        Assert.Contains(ex.SqlState, new[] { PostgresErrorCodes.InsufficientPrivilege });
    }

    [Fact]
    public async Task AppRole_CannotTouchTheMigrationHistory()
    {
        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            TestDatabase.ScalarAsync(fixture.Database.AppConnectionString, "DELETE FROM __ef_migrations_history"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, ex.SqlState);
    }

    [Fact]
    public async Task AppRole_ReadsAndWritesData()
    {
        var count = await TestDatabase.ScalarAsync(fixture.Database.AppConnectionString, "SELECT count(*) FROM countries");
        Assert.Equal(249L, count);
    }

    [Fact]
    public async Task Owner_OwnsEveryTable_AndAppRoleIsNeitherOwnerNorSuperuser()
    {
        var notOwned = await TestDatabase.ScalarAsync(fixture.Database.OwnerConnectionString,
            $"SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> '{DatabaseRoles.Owner}'");
        Assert.Equal(0L, notOwned);
        var appIsSuper = await TestDatabase.ScalarAsync(fixture.Database.AppConnectionString,
            "SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = current_user");
        Assert.Equal(false, appIsSuper);
    }

    [Fact]
    public async Task EveryTable_IsSnakeCase_IdentityIncluded()
    {
        await using var conn = new NpgsqlConnection(fixture.Database.OwnerConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", conn);
        var tables = new List<string>();
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }
        Assert.All(tables, t => Assert.Matches("^[a-z_][a-z0-9_]*$", t));
        Assert.Contains("users", tables);
        Assert.Contains("user_roles", tables);
        Assert.Contains("data_protection_keys", tables);
        Assert.DoesNotContain(tables, t => t.StartsWith("asp", StringComparison.OrdinalIgnoreCase));

        await using var columns = new NpgsqlCommand(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND column_name <> lower(column_name)", conn);
        Assert.Equal(0L, await columns.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Database_RefusesWhatTheValidatorsRefuse()
    {
        // The CHECK constraints are the database's own line of defence for single-row formats.
        var ex = await Assert.ThrowsAsync<PostgresException>(() => TestDatabase.ScalarAsync(fixture.Database.AppConnectionString,
            "INSERT INTO vendors (id, name, cage_code, uei, status) VALUES (gen_random_uuid(), 'Bad', 'ab!de', 'X', 'Active')"));
        Assert.Equal(PostgresErrorCodes.CheckViolation, ex.SqlState);
    }

    [Fact]
    public async Task Migrate_IsIdempotent()
    {
        var applied = await DatabaseMigrator.MigrateAsync(fixture.Database.OwnerConnectionString);
        Assert.Empty(applied);
    }
}
