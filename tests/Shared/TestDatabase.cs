using ComplianceHub.Core.Data;
using Npgsql;

namespace ComplianceHub.Tests.Shared;

/// <summary>
/// A throwaway database in the test cluster (scripts/test.sh starts it; TEST_PG names its superuser connection),
/// provisioned with the two roles and built by the real migrations, then dropped.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string name, string superuser)
    {
        Name = name;
        Superuser = superuser;
        AppConnectionString = For(superuser, name, DatabaseRoles.App);
        OwnerConnectionString = For(superuser, name, DatabaseRoles.Owner);
    }

    public string Name { get; }
    public string Superuser { get; }

    /// <summary>What the portal connects as: the application role, DML only.</summary>
    public string AppConnectionString { get; }

    /// <summary>The owner role, which ran the migrations.</summary>
    public string OwnerConnectionString { get; }

    public static string SuperuserConnectionString =>
        Environment.GetEnvironmentVariable("TEST_PG") is { Length: > 0 } cs ? cs : "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres";

    public static async Task<TestDatabase> CreateAsync(string prefix)
    {
        var name = $"t_{prefix.ToLowerInvariant()}_{Guid.NewGuid():N}";
        name = name[..Math.Min(name.Length, 40)];
        var superuser = new NpgsqlConnectionStringBuilder(SuperuserConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        await DatabaseProvisioner.EnsureAsync(superuser, name);
        var db = new TestDatabase(name, superuser);
        await DatabaseMigrator.MigrateAsync(db.OwnerConnectionString);
        return db;
    }

    /// <summary>Runs one SQL statement as the given connection and returns the first column of the first row.</summary>
    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(Superuser);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private static string For(string superuser, string database, string role) =>
        new NpgsqlConnectionStringBuilder(superuser) { Database = database, Username = role, Password = null, Pooling = true }.ConnectionString;
}
