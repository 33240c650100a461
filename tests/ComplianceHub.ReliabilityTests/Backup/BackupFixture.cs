using ComplianceHub.ReliabilityTests.Infrastructure;

namespace ComplianceHub.ReliabilityTests.Backup;

/// <summary>
/// A source installation backed up as an operator would: a durable cluster, the portal on it (background jobs off, so the head
/// stays where the test leaves it), a browser signed in, a person added through the API, a checkpoint signed (so that the key
/// archive's checkpoint file has something to vouch for), the portal stopped, then <c>scripts/backup.sh --keys</c> encrypted to a
/// recipient certificate, and once more <c>--no-encrypt</c>. Disposing removes the cluster and every file.
/// </summary>
public sealed class BackupFixture : IAsyncLifetime
{
    public const string AddedEmployeeId = "BACKUP-1";

    public DurableCluster Source { get; private set; } = null!;

    /// <summary>Scratch space: archives, certificates, restores' work folders.</summary>
    public string Folder { get; private set; } = null!;

    public string Certificate { get; private set; } = null!;

    public string Key { get; private set; } = null!;

    /// <summary>A private key the archives were not encrypted to.</summary>
    public string OtherKey { get; private set; } = null!;

    public string DatabaseArchive { get; private set; } = null!;

    public string KeysArchive { get; private set; } = null!;

    public string PlainDatabaseArchive { get; private set; } = null!;

    /// <summary>The browser signed in at the source before the backup: its session and key ring are in the backup.</summary>
    public System.Net.CookieContainer SignedInCookies { get; private set; } = null!;

    public (long Sequence, string Hash) SourceHead { get; private set; }

    public double BackupSeconds { get; private set; }

    public long BackupBytes { get; private set; }

    public async Task InitializeAsync()
    {
        Folder = Repository.NewTempFolder("backup");
        (Certificate, Key) = await BackupDrill.RecipientAsync(Folder, "backup");
        (_, OtherKey) = await BackupDrill.RecipientAsync(Folder, "other");
        Source = await DurableCluster.StartAsync("backup-src", CancellationToken.None);
        await using (var portal = await PortalProcess.StartAsync(Source, Source.KeysFolder, new Dictionary<string, string?> { ["Scheduler:Enabled"] = "false" }))
        {
            using var browser = await PortalClient.SignInAsync(portal.BaseAddress, "co1@demo.local");
            SignedInCookies = browser.Cookies;
            using var rep = await PortalClient.ApiAsync(portal.BaseAddress, "rep@acme.demo.local");
            await BackupDrill.AddPersonAsync(rep, AddedEmployeeId);
            Assert.NotNull(await portal.StopAsync(TimeSpan.FromSeconds(60))); // stopped: nothing writes during the backup
        }
        (await Source.RunCliAsync("checkpoint")).EnsureSuccess("Cli checkpoint");
        SourceHead = await BackupDrill.HeadAsync(Source.InspectConnectionString);

        var (backup, seconds) = await BackupDrill.RunScriptAsync("backup.sh", Folder, "--output", Path.Combine(Folder, "archives"),
            "--recipient", Certificate, "--keys", Source.KeysFolder, "--host", "127.0.0.1", "--port", Source.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--dbname", DurableCluster.DatabaseName, "--passfile", Source.PassFile, "--jobs", "2");
        backup.EnsureSuccess("backup.sh");
        (BackupSeconds, DatabaseArchive, KeysArchive) = (seconds, BackupDrill.Archive(backup, "db"), BackupDrill.Archive(backup, "keys"));
        BackupBytes = BackupDrill.Size(DatabaseArchive);

        var (plain, _) = await BackupDrill.RunScriptAsync("backup.sh", Folder, "--output", Path.Combine(Folder, "plain"), "--no-encrypt",
            "--port", Source.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dbname", DurableCluster.DatabaseName, "--passfile", Source.PassFile);
        PlainDatabaseArchive = BackupDrill.Archive(plain.EnsureSuccess("backup.sh --no-encrypt"), "db");
    }

    public async Task DisposeAsync()
    {
        if (Source is not null)
        {
            await Source.DisposeAsync();
        }
        if (Folder is not null)
        {
            await Shell.PostgresAsync($"as_root rm -rf {Shell.Quote(Folder)}");
        }
    }
}
