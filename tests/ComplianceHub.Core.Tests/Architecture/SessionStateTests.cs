using System.Text.RegularExpressions;
using ComplianceHub.Core.Data;

namespace ComplianceHub.Core.Tests.Architecture;

/// <summary>
/// The portal's pooled connections are not reset when they go back to the pool (<c>No Reset On Close</c>, issue 16): that is
/// safe only while no code leaves session state on them. A statement that would (a session setting, a session advisory lock,
/// LISTEN, a temporary table — unless it is dropped with its transaction (ON COMMIT DROP) —, a cursor WITH HOLD, a role switch)
/// fails this test, with where it is.
/// </summary>
public sealed partial class SessionStateTests
{
    /// <summary>
    /// The one place allowed a session lock: provisioning, on the superuser's own connection (not the portal's pool), where
    /// it unlocks explicitly before the connection is closed.
    /// </summary>
    private static readonly string[] Allowed = [Path.Combine("src", "ComplianceHub.Core", "Data", "DatabaseProvisioner.cs")];

    // SQL keywords as the source writes them, in capitals (a lower-case "set" is English). A statement-initial SET that is not
    // transaction-scoped: after a quote or a semicolon (an UPDATE's SET follows its table).
    [GeneratedRegex("""(["';]\s*SET\s+(?!LOCAL\b|CONSTRAINTS\b|TRANSACTION\b)\w+)|(\bSET\s+(SESSION|ROLE)\b)|(pg_advisory_lock(_shared)?\s*\()|(\bLISTEN\s+\w)|(\bCREATE\s+(TEMP|TEMPORARY)\s+TABLE\b(?![^;]*\bON\s+COMMIT\s+DROP\b))|(\bWITH\s+HOLD\b)|(set_config\s*\([^)]*,\s*false\s*\))""")]
    private static partial Regex SessionScoped();

    [Fact]
    public void NoCodeLeavesSessionStateOnAPooledConnection()
    {
        var root = RepositoryRoot();
        var offenders = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".sql", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => !Allowed.Contains(Path.GetRelativePath(root, f)))
            .SelectMany(f => SessionScoped().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetRelativePath(root, f)}: {m.Value.Trim()}"))
            .ToList();
        Assert.Empty(offenders);
    }

    [Theory]
    [InlineData("await Exec(conn, \"SET search_path = x\")")]
    [InlineData("cmd.CommandText = \"SELECT 1; SET statement_timeout = 0\";")]
    [InlineData("\"SET ROLE compliancehub_owner\"")]
    [InlineData("SELECT pg_advisory_lock(42)")]
    [InlineData("LISTEN grants_changed")]
    [InlineData("CREATE TEMP TABLE t (id int)")]
    [InlineData("DECLARE c CURSOR WITH HOLD FOR SELECT 1")]
    [InlineData("SELECT set_config('app.user', @user, false)")]
    public void TheCheckFindsSessionScopedStatements(string code) => Assert.Matches(SessionScoped(), code);

    [Theory]
    [InlineData("\"SET LOCAL statement_timeout = '5s'\"")]
    [InlineData("\"SET CONSTRAINTS ALL IMMEDIATE\"")]
    [InlineData("UPDATE access_grants g SET status = 'Suspended' WHERE g.id = @id")]
    [InlineData("\"\"\"\n    UPDATE people\n    SET email = @email\n\"\"\"")]
    [InlineData("SELECT pg_advisory_xact_lock(42)")]
    [InlineData("SELECT set_config('app.user', @user, true)")]
    [InlineData("CREATE TEMP TABLE IF NOT EXISTS stage (id int) ON COMMIT DROP;")]
    public void TheCheckLetsTransactionScopedStatementsBe(string code) => Assert.DoesNotMatch(SessionScoped(), code);

    [Theory]
    [InlineData("Host=h;Database=d", 256, true)]
    [InlineData("Host=h;Database=d;Max Auto Prepare=0", 0, true)]
    [InlineData("Host=h;Database=d;No Reset On Close=false", 256, false)]
    [InlineData("Host=h;Database=d;NoResetOnClose=false;MaxAutoPrepare=10", 10, false)]
    public void ThePortalsPoolSettings_KeepWhatTheConnectionStringSets(string given, int autoPrepare, bool noReset)
    {
        var result = new Npgsql.NpgsqlConnectionStringBuilder(DataServiceCollectionExtensions.ForThePortal(given));
        Assert.Equal((autoPrepare, noReset, "h", "d"), (result.MaxAutoPrepare, result.NoResetOnClose, result.Host, result.Database));
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ComplianceHub.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("ComplianceHub.sln not found above the test binaries.");
    }
}
