using System.Diagnostics;
using System.Globalization;
using ComplianceHub.ReliabilityTests.Infrastructure;

namespace ComplianceHub.ReliabilityTests.Backup;

/// <summary>
/// Point-in-time recovery, tried once (issue 24): WAL archiving on (scripts/archive-wal.sh, each segment encrypted to the backup
/// certificate), a base backup (scripts/backup.sh --base), change A, the time T, change B, then scripts/restore.sh --pitr to T in a
/// new cluster: A is there, B is not, and the chain verifies to the head it had at T.
/// </summary>
public sealed class PointInTimeRecoveryTests(ITestOutputHelper output)
{
    private readonly Figures figures = new(output, "point-in-time recovery");

    [Fact]
    public async Task A_recovery_to_a_time_between_two_changes_keeps_the_first_and_not_the_second()
    {
        var folder = Repository.NewTempFolder("pitr");
        var data = Path.Combine(folder, "recovered");
        try
        {
            var (certificate, key) = await BackupDrill.RecipientAsync(folder, "backup");
            // The WAL archive and what the server's archive_command runs, where the postgres account reaches them.
            var wal = Path.Combine(folder, "wal");
            var tools = Path.Combine(folder, "tools");
            (await Shell.PostgresAsync($"as_root install -d -o postgres -g postgres -m 0700 {Shell.Quote(wal)}; as_root install -d -m 0755 {Shell.Quote(tools)}; " +
                $"as_root install -m 0755 scripts/archive-wal.sh {Shell.Quote(tools)}/; as_root install -m 0644 {Shell.Quote(certificate)} {Shell.Quote(tools)}/backup.crt"))
                .EnsureSuccess("preparing the WAL archive");

            await using var source = await DurableCluster.StartAsync("pitr-src", CancellationToken.None, "-c", "archive_mode=on");
            await ExecuteAsync(source.SuperuserConnectionString,
                $"ALTER SYSTEM SET archive_command = '{tools}/archive-wal.sh %p %f {wal} {tools}/backup.crt'", "SELECT pg_reload_conf()");

            var (baseBackup, baseSeconds) = await BackupDrill.RunScriptAsync("backup.sh", folder, "--base", "--output", Path.Combine(folder, "archives"),
                "--recipient", certificate, "--port", Port(source), "--dbname", DurableCluster.DatabaseName, "--passfile", source.PassFile);
            var archive = BackupDrill.Archive(baseBackup.EnsureSuccess("backup.sh --base"), "base");

            await using var portal = await PortalProcess.StartAsync(source, source.KeysFolder, new Dictionary<string, string?> { ["Scheduler:Enabled"] = "false" });
            using var rep = await PortalClient.ApiAsync(portal.BaseAddress, "rep@acme.demo.local");
            await BackupDrill.AddPersonAsync(rep, "PITR-A");
            var headAtT = await BackupDrill.HeadAsync(source.InspectConnectionString);
            // T from the server's clock, after A committed and before B: recovery_target_time compares commit times with it.
            var t = await ScalarAsync(source.SuperuserConnectionString, "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'");
            await BackupDrill.AddPersonAsync(rep, "PITR-B");
            await portal.StopAsync(TimeSpan.FromSeconds(60));
            // B's WAL segment is closed and archived (archive_timeout does this in production: the RPO).
            var segment = await ScalarAsync(source.SuperuserConnectionString, "SELECT pg_walfile_name(pg_switch_wal())");
            await WaitArchivedAsync(source.SuperuserConnectionString, segment, TimeSpan.FromMinutes(2));
            Assert.Contains(Directory.GetFiles(wal), f => Path.GetFileName(f) == segment + ".cms");

            // The recovered cluster listens on another port: the same passwords, in a pgpass naming it.
            var port = Shell.FreePort();
            var passfile = Path.Combine(folder, "pgpass");
            await File.WriteAllLinesAsync(passfile, File.ReadAllLines(source.PassFile).Select(l => l.Replace($":{source.Port}:", $":{port}:", StringComparison.Ordinal)));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(passfile, UnixFileMode.UserRead | UnixFileMode.UserWrite); // libpq ignores a pgpass others may read
            }
            var (restore, seconds) = await BackupDrill.RunScriptAsync("restore.sh", folder, "--pitr", "--archive", archive, "--wal-archive", wal,
                "--target-time", t, "--data-dir", data, "--port", port.ToString(CultureInfo.InvariantCulture), "--identity", key,
                "--keys-folder", source.KeysFolder, "--passfile", passfile, "--work-dir", folder);
            output.WriteLine(restore.Output);
            restore.EnsureSuccess("restore.sh --pitr");
            Assert.Contains($"audit chain: verifies; head event {headAtT.Sequence}, hash {headAtT.Hash}", restore.Output, StringComparison.Ordinal);

            var recovered = $"Host=127.0.0.1;Port={port};Database={DurableCluster.DatabaseName};Username=postgres;Passfile={passfile}";
            Assert.Equal(1, await BackupDrill.PeopleWithAsync(recovered, "PITR-A"));
            Assert.Equal(0, await BackupDrill.PeopleWithAsync(recovered, "PITR-B"));
            Assert.Equal(1, await BackupDrill.PeopleWithAsync(source.InspectConnectionString, "PITR-B"));
            Assert.Equal(headAtT, await BackupDrill.HeadAsync(recovered));

            figures.Record("base backup (pg_basebackup -Ft -X stream, encrypted)", baseSeconds, "s");
            figures.Record("base archive size", BackupDrill.Size(archive) / 1048576.0, "MiB");
            figures.Record("recovery to T (decrypt, replay the archived WAL, promote, migrate --check, verify-chain)", seconds, "s");
        }
        finally
        {
            await Shell.PostgresAsync($"if [ -f {Shell.Quote(data)}/postmaster.pid ]; then as_postgres \"$PG_BIN/pg_ctl\" -D {Shell.Quote(data)} -m immediate -w stop >/dev/null 2>&1 || true; fi; " +
                $"as_root rm -rf {Shell.Quote(folder)}", CancellationToken.None, TimeSpan.FromMinutes(2));
        }
    }

    private static async Task ExecuteAsync(string connectionString, params string[] statements)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        foreach (var sql in statements)
        {
            await using var command = new Npgsql.NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<string> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Polls pg_stat_archiver until <paramref name="segment"/> (or a later one) is archived; throws on a failure or a timeout.</summary>
    private static async Task WaitArchivedAsync(string connectionString, string segment, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var state = await ScalarAsync(connectionString,
                "SELECT coalesce(last_archived_wal, '') || '|' || failed_count || '|' || coalesce(last_failed_wal, '') FROM pg_stat_archiver");
            var parts = state.Split('|');
            if (string.CompareOrdinal(parts[0], segment) >= 0 && parts[0].Length == segment.Length)
            {
                return;
            }
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"WAL segment {segment} was not archived within {timeout} (archiver: {state})");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    private static string Port(DurableCluster cluster) => cluster.Port.ToString(CultureInfo.InvariantCulture);
}
