using System.Net;
using ComplianceHub.ReliabilityTests.Infrastructure;

namespace ComplianceHub.ReliabilityTests.Backup;

/// <summary>
/// The backup and restore drill (issue 24): an encrypted backup of a running installation restored into a fresh cluster by
/// scripts/restore.sh, the portal started on it, and what an archive does in the wrong hands or after tampering.
/// </summary>
public sealed class BackupRestoreTests(BackupFixture source, ITestOutputHelper output) : IClassFixture<BackupFixture>
{
    private readonly Figures figures = new(output, "backup and restore");

    [Fact]
    public async Task A_restore_into_a_fresh_cluster_serves_the_same_portal_with_the_same_chain_head()
    {
        await using var target = await DurableCluster.StartEmptyAsync("backup-dst", CancellationToken.None);
        var (restore, seconds) = await BackupDrill.RunScriptAsync("restore.sh", source.Folder,
            "--archive", source.DatabaseArchive, "--keys-archive", source.KeysArchive, "--keys-dir", target.KeysFolder, "--identity", source.Key,
            "--host", "127.0.0.1", "--port", Port(target), "--passfile", target.PassFile, "--jobs", "2", "--work-dir", source.Folder);
        output.WriteLine(restore.Output);
        restore.EnsureSuccess("restore.sh");
        Assert.Contains("the database is at this build's migration head", restore.Output, StringComparison.Ordinal);
        Assert.Contains($"audit chain: verifies; head event {source.SourceHead.Sequence}, hash {source.SourceHead.Hash} (the backup's)", restore.Output, StringComparison.Ordinal);
        Assert.Equal(source.SourceHead, await BackupDrill.HeadAsync(target.InspectConnectionString));
        Assert.Equal(1, await BackupDrill.PeopleWithAsync(target.InspectConnectionString, BackupFixture.AddedEmployeeId));

        await using var portal = await PortalProcess.StartAsync(target, target.KeysFolder, new Dictionary<string, string?> { ["Scheduler:Enabled"] = "false" });
        // The browser signed in at the source before the backup is still signed in: its session row and the key ring are restored,
        // and the key ring opens only with the restored data-protection certificate.
        using (var browser = new HttpClient(new HttpClientHandler { CookieContainer = source.SignedInCookies, AllowAutoRedirect = false }) { BaseAddress = portal.BaseAddress })
        using (var page = await browser.GetAsync("/"))
        {
            Assert.False(PortalClient.IsSignInRedirect(page), $"the restored portal sent the source's browser to {page.Headers.Location}");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
        using (var fresh = await PortalClient.SignInAsync(portal.BaseAddress, "co2@demo.local"))
        using (var page = await fresh.Http.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
        // The auditor's verification on the restored portal: valid, the sign-ins above chained onto the source's head.
        using var auditor = await PortalClient.ApiAsync(portal.BaseAddress, "auditor@demo.local");
        var verify = System.Text.Json.Nodes.JsonNode.Parse(await auditor.GetStringAsync("/api/v1/audit/verify"))!;
        Assert.True(verify["valid"]!.GetValue<bool>(), verify.ToJsonString());
        Assert.True(verify["events"]!.GetValue<long>() > source.SourceHead.Sequence, verify.ToJsonString());
        Assert.Equal(source.SourceHead.Hash, await target.ScalarAsync<string>(
            BackupDrill.Invariant($"SELECT previous_hash FROM audit_events WHERE sequence = {source.SourceHead.Sequence + 1}")));

        figures.Record("backup (pg_dump directory format, --jobs 2, encrypted, with the key archive)", source.BackupSeconds, "s");
        figures.Record("database archive size", source.BackupBytes / 1024.0, "KiB");
        figures.Record("restore (decrypt, check, provision, pg_restore --jobs 2, migrate --check, verify-chain)", seconds, "s");
        figures.Record("audit events restored", source.SourceHead.Sequence);
    }

    [Fact]
    public async Task An_archive_does_not_open_with_another_key_and_nothing_is_created()
    {
        var keys = Path.Combine(source.Folder, "wrong-key-keys");
        var (restore, _) = await BackupDrill.RunScriptAsync("restore.sh", source.Folder,
            "--archive", source.DatabaseArchive, "--keys-archive", source.KeysArchive, "--keys-dir", keys, "--identity", source.OtherKey,
            "--port", Port(source.Source), "--dbname", "restored_wrong_key", "--passfile", source.Source.PassFile, "--work-dir", source.Folder);
        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("cannot be decrypted with the key", restore.Output, StringComparison.Ordinal);
        Assert.Contains("it was encrypted to another certificate (issuer: CN=ComplianceHub backup backup", restore.Output, StringComparison.Ordinal);
        Assert.Contains("Nothing was restored.", restore.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(keys));
        Assert.False(await DatabaseExistsAsync("restored_wrong_key"));
    }

    [Fact]
    public async Task A_changed_archive_is_refused_before_anything_is_restored()
    {
        // Encrypted: one byte of the ciphertext flipped.
        var changed = Copy(source.DatabaseArchive, "changed");
        FlipByte(Path.Combine(changed, "payload.tar.enc"), 4096);
        var (refused, _) = await BackupDrill.RunScriptAsync("restore.sh", source.Folder, "--archive", changed, "--keys-folder", source.Source.KeysFolder,
            "--identity", source.Key, "--port", Port(source.Source), "--dbname", "restored_changed", "--passfile", source.Source.PassFile, "--work-dir", source.Folder);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("was changed after it was written", refused.Output, StringComparison.Ordinal);

        // Unencrypted, rewritten with a data file changed and the manifest left as it was: the manifest check refuses it.
        var rewritten = Copy(source.PlainDatabaseArchive, "rewritten");
        var unpacked = Path.Combine(source.Folder, "rewritten-unpacked");
        Directory.CreateDirectory(unpacked);
        (await Shell.RunAsync("tar", ["-C", unpacked, "-xf", Path.Combine(rewritten, "payload.tar")])).EnsureSuccess("tar -x");
        var data = Directory.GetFiles(Path.Combine(unpacked, "database"), "*.dat.gz").OrderByDescending(f => new FileInfo(f).Length).First();
        FlipByte(data, 40);
        (await Shell.RunAsync("tar", ["-C", unpacked, "-cf", Path.Combine(rewritten, "payload.tar"), "."])).EnsureSuccess("tar -c");
        var (tampered, _) = await BackupDrill.RunScriptAsync("restore.sh", source.Folder, "--archive", rewritten, "--keys-folder", source.Source.KeysFolder,
            "--port", Port(source.Source), "--dbname", "restored_tampered", "--passfile", source.Source.PassFile, "--work-dir", source.Folder);
        Assert.Equal(1, tampered.ExitCode);
        Assert.Contains("does not match its manifest", tampered.Output, StringComparison.Ordinal);
        Assert.Contains($"database/{Path.GetFileName(data)}: FAILED", tampered.Output, StringComparison.Ordinal);

        Assert.False(await DatabaseExistsAsync("restored_changed"));
        Assert.False(await DatabaseExistsAsync("restored_tampered"));
    }

    private async Task<bool> DatabaseExistsAsync(string name)
    {
        await using var connection = new Npgsql.NpgsqlConnection(source.Source.SuperuserConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", name);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    private string Copy(string archive, string name)
    {
        var copy = Path.Combine(source.Folder, name);
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(archive))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }
        return copy;
    }

    private static void FlipByte(string file, long offset)
    {
        using var stream = File.Open(file, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = Math.Min(offset, stream.Length - 1);
        var value = stream.ReadByte();
        stream.Position--;
        stream.WriteByte((byte)(value ^ 0xFF));
    }

    private static string Port(DurableCluster cluster) => cluster.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
