using System.Globalization;
using System.Text.RegularExpressions;
using ComplianceHub.Core.Data;
using Npgsql;

namespace ComplianceHub.Tests.Shared;

/// <summary>
/// A throwaway database in the test cluster (scripts/test.sh starts it; TEST_PG names its superuser connection and, with
/// <c>Passfile</c>, the cluster's credentials file), provisioned with the two roles and their passwords from that file and
/// built by the real migrations (once per test process, into a template every test database is copied from), then dropped.
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

    /// <summary>
    /// TEST_PG, else scripts/run.sh's cluster (whose passwords are in .data/postgres/pgpass: set PGPASSFILE to it).
    /// </summary>
    public static string SuperuserConnectionString =>
        Environment.GetEnvironmentVariable("TEST_PG") is { Length: > 0 } cs ? cs : "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres";

    /// <summary>
    /// The credentials file a connection string authenticates with, as Npgsql looks for it: <c>Passfile</c>, else PGPASSFILE
    /// (libpq's pgpass format, <c>host:port:database:user:password</c>); null when there is neither.
    /// </summary>
    public static string? CredentialsFile(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString).Passfile is { Length: > 0 } file ? file
        : Environment.GetEnvironmentVariable("PGPASSFILE") is { Length: > 0 } variable ? variable : null;

    /// <summary>
    /// The password the credentials file of <paramref name="connectionString"/> holds for <paramref name="role"/> on its host
    /// and port (the first line that matches, <c>*</c> matching anything, as libpq and Npgsql read it); null when none does.
    /// </summary>
    public static string? PasswordOf(string connectionString, string role)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (CredentialsFile(connectionString) is not { } file || !File.Exists(file))
        {
            return null;
        }
        foreach (var line in File.ReadLines(file))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            // Fields are separated by ':'; a ':' or '\' inside one is escaped with '\'.
            var fields = Regex.Split(line, @"(?<!\\):").Select(f => f.Replace(@"\:", ":", StringComparison.Ordinal).Replace(@"\\", @"\", StringComparison.Ordinal)).ToArray();
            bool Matches(int field, string? value) => fields[field] == "*" || fields[field] == value;
            if (fields.Length == 5 && Matches(0, builder.Host) && Matches(1, builder.Port.ToString(CultureInfo.InvariantCulture)) && Matches(3, role))
            {
                return fields[4];
            }
        }
        return null;
    }

    public static async Task<TestDatabase> CreateAsync(string prefix)
    {
        var name = $"t_{prefix.ToLowerInvariant()}_{Guid.NewGuid():N}";
        name = name[..Math.Min(name.Length, 40)];
        var superuser = new NpgsqlConnectionStringBuilder(SuperuserConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        var template = await TemplateAsync(superuser);
        await using (var conn = new NpgsqlConnection(superuser))
        {
            await conn.OpenAsync();
            // A copy of the migrated template: the same schema, seed rows, grants and triggers the real migrations built,
            // in a fraction of the time. Database-level privileges are not copied, so they are set as the provisioner sets them.
            foreach (var sql in new[]
                     {
                         $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\" OWNER {DatabaseRoles.Owner}",
                         $"REVOKE ALL ON DATABASE \"{name}\" FROM PUBLIC",
                         $"GRANT CONNECT, TEMPORARY ON DATABASE \"{name}\" TO {DatabaseRoles.App}",
                     })
            {
                await using var cmd = new NpgsqlCommand(sql, conn);
                await cmd.ExecuteNonQueryAsync();
            }
        }
        return new TestDatabase(name, superuser);
    }

    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static string? template;

    /// <summary>
    /// One database per test process, provisioned and migrated by the real provisioner and migrations, that every test
    /// database is copied from (nobody connects to it after the migration, as CREATE DATABASE ... TEMPLATE requires).
    /// </summary>
    private static async Task<string> TemplateAsync(string superuser)
    {
        if (template is { } ready)
        {
            return ready;
        }
        await TemplateLock.WaitAsync();
        try
        {
            if (template is null)
            {
                var name = $"t_template_{Guid.NewGuid():N}"[..40];
                // The roles get the passwords of the cluster's credentials file, which their connection strings then name.
                await DatabaseProvisioner.EnsureAsync(superuser, name,
                    PasswordOf(superuser, DatabaseRoles.Owner), PasswordOf(superuser, DatabaseRoles.App));
                var owner = new NpgsqlConnectionStringBuilder(For(superuser, name, DatabaseRoles.Owner)) { Pooling = false }.ConnectionString;
                await DatabaseMigrator.MigrateAsync(owner);
                NpgsqlConnection.ClearAllPools();
                template = name;
                AppDomain.CurrentDomain.ProcessExit += (_, _) => DropQuietly(superuser, name);
            }
            return template;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    private static void DropQuietly(string superuser, string name)
    {
        try
        {
            using var conn = new NpgsqlConnection(superuser);
            conn.Open();
            using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", conn);
            cmd.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
            // The cluster may already be gone (scripts/test.sh removes it); nothing to clean then.
        }
    }

    /// <summary>Runs one SQL statement as the given connection and returns the first column of the first row.</summary>
    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }

    /// <summary>
    /// Tampering as the database owner would: in one transaction, disables <paramref name="trigger"/> on <paramref name="table"/>,
    /// runs <paramref name="sql"/> and enables the trigger again (what the hash chain and the verifier must then find).
    /// </summary>
    public async Task AsOwnerWithoutTriggerAsync(string table, string trigger, string sql)
    {
        await using var conn = new NpgsqlConnection(OwnerConnectionString);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        foreach (var statement in new[] { $"ALTER TABLE {table} DISABLE TRIGGER {trigger}", sql, $"ALTER TABLE {table} ENABLE TRIGGER {trigger}" })
        {
            await using var cmd = new NpgsqlCommand(statement, conn, tx);
            await cmd.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
    }

    /// <summary>
    /// Takes the transaction-scoped advisory lock <paramref name="key"/> on a connection of the application role and holds it until
    /// the result is disposed — as another portal instance's job holds it.
    /// </summary>
    public async Task<IAsyncDisposable> HoldAdvisoryLockAsync(long key)
    {
        var connection = new NpgsqlConnection(AppConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({key})", connection, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }
        return new HeldLock(connection, transaction);
    }

    private sealed class HeldLock(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.RollbackAsync();
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    /// <summary>Runs one query as the given connection and returns every row, each as its column values (DBNull as null).</summary>
    public static async Task<List<object?[]>> QueryAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            rows.Add(row);
        }
        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(Superuser);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }

    // The role's password comes from the credentials file the superuser's connection string names (Passfile), never the
    // superuser's own password.
    private static string For(string superuser, string database, string role) =>
        new NpgsqlConnectionStringBuilder(superuser) { Database = database, Username = role, Password = null, Pooling = true }.ConnectionString;
}
