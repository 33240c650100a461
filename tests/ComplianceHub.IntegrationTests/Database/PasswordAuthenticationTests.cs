using System.Collections.Concurrent;
using System.Runtime.Versioning;
using ComplianceHub.Core.Data;
using ComplianceHub.Tests.Shared;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ComplianceHub.IntegrationTests.Database;

/// <summary>
/// Issue 19: every role of the clusters the scripts start, the superuser included, signs in with a scram-sha-256 password
/// kept in a credentials file only the invoking account may read (scripts/lib/postgres.sh, <c>pg_start</c>).
/// </summary>
public sealed class PasswordAuthenticationTests
{
    private static readonly string[] LoginRoles = ["postgres", DatabaseRoles.Owner, DatabaseRoles.App];

    public static TheoryData<string> Roles => new(LoginRoles);

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task EveryRole_IsRefusedWithoutItsPassword_OrWithAWrongOne_AndAdmittedWithItsOwn(string role)
    {
        await using var database = await TestDatabase.CreateAsync("auth");
        var withTheFile = role switch
        {
            DatabaseRoles.Owner => database.OwnerConnectionString,
            DatabaseRoles.App => database.AppConnectionString,
            _ => new NpgsqlConnectionStringBuilder(database.Superuser) { Database = database.Name }.ConnectionString,
        };
        Assert.Null(new NpgsqlConnectionStringBuilder(withTheFile).Password); // the string names the file, never a password
        Assert.Equal(role, await TestDatabase.ScalarAsync(withTheFile, "SELECT current_user"));

        // No password anywhere: not in the string, nor in the file it names (an empty one, which also keeps PGPASSFILE and
        // ~/.pgpass out of it).
        var empty = Path.GetTempFileName();
        try
        {
            var without = new NpgsqlConnectionStringBuilder(withTheFile) { Passfile = empty, Pooling = false };
            var refused = await Assert.ThrowsAnyAsync<NpgsqlException>(() => TestDatabase.ScalarAsync(without.ConnectionString, "SELECT 1"));
            Assert.Contains("SCRAM-SHA-256", refused.Message, StringComparison.Ordinal); // the server asked for a scram password

            var wrong = new NpgsqlConnectionStringBuilder(without.ConnectionString) { Password = "not-" + TestDatabase.PasswordOf(database.Superuser, role) };
            var denied = await Assert.ThrowsAsync<PostgresException>(() => TestDatabase.ScalarAsync(wrong.ConnectionString, "SELECT 1"));
            Assert.Equal(PostgresErrorCodes.InvalidPassword, denied.SqlState); // 28P01: password authentication failed
        }
        finally
        {
            File.Delete(empty);
        }
    }

    [Fact]
    public async Task EveryRuleOfTheCluster_LocalAndTcp_AsksForAScramPassword_AndEveryLoginRoleHasOne()
    {
        await using var database = await TestDatabase.CreateAsync("auth"); // the owner and application roles exist
        var rules = await TestDatabase.QueryAsync(database.Superuser, "SELECT type, auth_method, error FROM pg_hba_file_rules");
        Assert.Contains(rules, r => (string)r[0]! == "local");
        Assert.Contains(rules, r => (string)r[0]! == "host");
        Assert.All(rules, r => Assert.Equal(["scram-sha-256", null], r[1..]));

        var withoutScram = await TestDatabase.QueryAsync(database.Superuser,
            "SELECT rolname FROM pg_authid WHERE rolcanlogin AND (rolpassword IS NULL OR rolpassword NOT LIKE 'SCRAM-SHA-256$%')");
        Assert.Empty(withoutScram);
        var logins = await TestDatabase.QueryAsync(database.Superuser, "SELECT rolname FROM pg_authid WHERE rolcanlogin ORDER BY 1");
        Assert.Equal(new[] { DatabaseRoles.App, DatabaseRoles.Owner, "postgres" }, logins.Select(r => (string)r[0]!).Where(LoginRoles.Contains));
        Assert.Equal("scram-sha-256", await TestDatabase.ScalarAsync(database.Superuser, "SHOW password_encryption"));
    }

    [Fact]
    [SupportedOSPlatform("linux")] // the scripts, and so the file, are for Linux
    public void TheCredentialsFile_MayBeReadAndWrittenByItsOwnerAlone()
    {
        var file = TestDatabase.CredentialsFile(TestDatabase.SuperuserConnectionString);
        Assert.True(file is not null && File.Exists(file), "TEST_PG names the cluster's credentials file (Passfile=…), as scripts/test.sh sets it");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        foreach (var role in LoginRoles)
        {
            Assert.False(string.IsNullOrEmpty(TestDatabase.PasswordOf(TestDatabase.SuperuserConnectionString, role)), $"no password for {role}");
        }
    }

    [Fact]
    public async Task APasswordFromTheFile_IsInNeitherTheConnectionString_NorNpgsqlsLog()
    {
        await using var database = await TestDatabase.CreateAsync("auth");
        var password = TestDatabase.PasswordOf(database.Superuser, DatabaseRoles.App);
        Assert.False(string.IsNullOrEmpty(password));

        var logged = new ConcurrentQueue<string>();
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new Capture(logged)));
        var builder = new NpgsqlDataSourceBuilder(database.AppConnectionString);
        builder.UseLoggerFactory(loggers).EnableParameterLogging();
        await using var source = builder.Build();
        await using (var conn = await source.OpenConnectionAsync())
        {
            await using var cmd = new NpgsqlCommand("SELECT current_user", conn);
            Assert.Equal(DatabaseRoles.App, await cmd.ExecuteScalarAsync());
            Assert.DoesNotContain(password, conn.ConnectionString, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(password, database.AppConnectionString, StringComparison.Ordinal);
        Assert.Contains(logged, m => m.Contains("Opened connection", StringComparison.Ordinal)); // Npgsql did log the sign-in
        Assert.DoesNotContain(logged, m => m.Contains(password, StringComparison.Ordinal));
    }

    private sealed class Capture(ConcurrentQueue<string> messages) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            messages.Enqueue(formatter(state, exception) + " " + state + " " + exception);

        public void Dispose()
        {
        }
    }
}
