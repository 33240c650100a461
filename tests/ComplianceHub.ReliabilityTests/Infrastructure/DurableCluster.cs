using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace ComplianceHub.ReliabilityTests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of its own for one test class, durable as production runs it (<c>fsync</c> and <c>synchronous_commit</c>
/// on, unlike the suite's throwaway cluster), started through scripts/lib/postgres.sh as scripts/run.sh starts one (scram-sha-256
/// passwords in <c>Directory/pgpass</c>), then provisioned, migrated and demo-seeded through ComplianceHub.Cli, with the key
/// files (<see cref="KeysFolder"/>) every portal on it shares. Disposing stops it and removes its folder.
/// </summary>
public sealed class DurableCluster : IAsyncDisposable
{
    public const string DatabaseName = "compliancehub";

    private readonly string[] serverSettings;

    private DurableCluster(string directory, int port, string[] serverSettings)
    {
        Directory = directory;
        Port = port;
        this.serverSettings = serverSettings;
        KeysFolder = directory + "-keys"; // beside it: the cluster's folder belongs to postgres
    }

    /// <summary>The cluster's folder (owned by postgres, 0711): data/, server.log and pgpass (the passwords, this account's).</summary>
    public string Directory { get; }

    public int Port { get; }

    public string DataDirectory => Path.Combine(Directory, "data");

    public string PassFile => Path.Combine(Directory, "pgpass");

    /// <summary>The portal's key files (data-protection certificate, audit signing key), made once by <c>keys create</c>.</summary>
    public string KeysFolder { get; }

    public string SuperuserConnectionString => Connection("postgres", "postgres");

    public string OwnerConnectionString => Connection("compliancehub_owner", DatabaseName);

    public string AppConnectionString => Connection("compliancehub_app", DatabaseName);

    /// <summary>The superuser on the application database: for the tests' own reads (audit trail, rows) and nothing else.</summary>
    public string InspectConnectionString => Connection("postgres", DatabaseName);

    /// <summary>The CLI's environment: the three connection strings, Development, the key folder.</summary>
    public IReadOnlyDictionary<string, string?> CliEnvironment => new Dictionary<string, string?>
    {
        ["ConnectionStrings__PostgresSuperuser"] = SuperuserConnectionString,
        ["ConnectionStrings__ComplianceHubOwner"] = OwnerConnectionString,
        ["ConnectionStrings__ComplianceHub"] = AppConnectionString,
        ["DOTNET_ENVIRONMENT"] = "Development",
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["Keys__Folder"] = KeysFolder,
    };

    /// <summary>
    /// A new cluster on a free port with <c>fsync=on</c> and <c>synchronous_commit=on</c> (and <paramref name="extraServerSettings"/>,
    /// e.g. <c>"-c", "wal_level=replica"</c>), provisioned, migrated and seeded with the demo data.
    /// </summary>
    public static async Task<DurableCluster> StartAsync(string name, CancellationToken ct, params string[] extraServerSettings)
    {
        var settings = new[] { "-c", "fsync=on", "-c", "synchronous_commit=on", "-c", "full_page_writes=on", "-c", "max_connections=200" }
            .Concat(extraServerSettings).ToArray();
        var cluster = new DurableCluster(Repository.NewTempFolder(name), FreePort(), settings);
        try
        {
            await cluster.StartAgainAsync(ct);
            (await Shell.RunAsync("dotnet", [Repository.CliDll, "keys", "create", "--folder", cluster.KeysFolder], cluster.CliEnvironment, ct: ct))
                .EnsureSuccess("keys create");
            var passwords = new Dictionary<string, string?>(cluster.CliEnvironment)
            {
                ["CH_OWNER_PASSWORD"] = cluster.Password("compliancehub_owner"),
                ["CH_APP_PASSWORD"] = cluster.Password("compliancehub_app"),
            };
            (await Shell.RunAsync("dotnet", [Repository.CliDll, "provision"], passwords, ct: ct)).EnsureSuccess("provision");
            (await cluster.RunCliAsync(ct, "migrate")).EnsureSuccess("migrate");
            (await cluster.RunCliAsync(ct, "seed")).EnsureSuccess("seed");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A new, empty cluster on a free port, durable like <see cref="StartAsync"/>: no roles but the superuser, no database, no key
    /// folder (a restore's target: scripts/restore.sh provisions it and writes <see cref="KeysFolder"/>).
    /// </summary>
    public static async Task<DurableCluster> StartEmptyAsync(string name, CancellationToken ct)
    {
        var settings = new[] { "-c", "fsync=on", "-c", "synchronous_commit=on", "-c", "full_page_writes=on", "-c", "max_connections=200" };
        var cluster = new DurableCluster(Repository.NewTempFolder(name), FreePort(), settings);
        try
        {
            await cluster.StartAgainAsync(ct);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs ComplianceHub.Cli against this cluster (its environment: <see cref="CliEnvironment"/>).</summary>
    public Task<CommandResult> RunCliAsync(params string[] args) => RunCliAsync(CancellationToken.None, args);

    public Task<CommandResult> RunCliAsync(CancellationToken ct, params string[] args) =>
        Shell.RunAsync("dotnet", [Repository.CliDll, .. args], CliEnvironment, timeout: TimeSpan.FromMinutes(5), ct: ct);

    /// <summary>Starts the cluster (after a kill or a stop: a crashed postmaster's backends may hold its shared memory a moment, so it retries for a minute).</summary>
    public async Task StartAgainAsync(CancellationToken ct = default)
    {
        var options = string.Join(' ', serverSettings.Select(Shell.Quote));
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var result = await Shell.PostgresAsync($"pg_start {Shell.Quote(Directory)} {Port} {options}", ct, TimeSpan.FromMinutes(2));
            if (result.ExitCode == 0)
            {
                return;
            }
            if (watch.Elapsed > TimeSpan.FromMinutes(1))
            {
                result.EnsureSuccess($"starting the cluster in {Directory} (server.log: {ServerLogTail()})");
            }
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }

    /// <summary><c>pg_ctl restart -m fast</c> as postgres: sessions are ended, the server shuts down cleanly and starts again.</summary>
    public async Task RestartFastAsync(CancellationToken ct = default) =>
        (await Shell.PostgresAsync($"as_postgres \"$PG_BIN/pg_ctl\" -D {Shell.Quote(DataDirectory)} -l {Shell.Quote(Path.Combine(Directory, "server.log"))} -m fast -w -t 120 restart >/dev/null",
            ct, TimeSpan.FromMinutes(3))).EnsureSuccess("pg_ctl restart -m fast");

    /// <summary><c>kill -9</c> of the postmaster (its pid from postmaster.pid): a crash; the next start recovers from the WAL.</summary>
    public async Task KillPostmasterAsync(CancellationToken ct = default)
    {
        var pid = await PostmasterPidAsync(ct);
        (await Shell.PostgresAsync($"as_root kill -9 {pid.ToString(CultureInfo.InvariantCulture)}", ct)).EnsureSuccess("kill -9 of the postmaster");
    }

    /// <summary>Polls until the server accepts a connection and answers, or throws after <paramref name="timeout"/>.</summary>
    public async Task WaitAcceptingAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        Exception? last = null;
        while (watch.Elapsed < timeout)
        {
            try
            {
                await using var connection = new NpgsqlConnection(SuperuserConnectionString + ";Pooling=false;Timeout=5");
                await connection.OpenAsync(ct);
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync(ct);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException or IOException)
            {
                last = ex;
                await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
            }
        }
        throw new TimeoutException($"the cluster on port {Port} did not accept connections within {timeout}: {last?.Message}");
    }

    /// <summary>The postmaster's pid, the first line of data/postmaster.pid (read as postgres: the data folder is its own).</summary>
    public async Task<int> PostmasterPidAsync(CancellationToken ct = default)
    {
        var result = (await Shell.PostgresAsync($"as_postgres head -n 1 {Shell.Quote(Path.Combine(DataDirectory, "postmaster.pid"))}", ct))
            .EnsureSuccess("reading postmaster.pid");
        return int.Parse(result.Output.Trim().Split('\n')[^1], CultureInfo.InvariantCulture);
    }

    /// <summary>A one-off query on the application database as the superuser (no pooling: survives restarts).</summary>
    public async Task<T> QueryAsync<T>(string sql, Func<NpgsqlDataReader, Task<T>> read, CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(InspectConnectionString + ";Pooling=false");
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 120 };
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await read(reader);
    }

    /// <summary>A scalar on the application database as the superuser.</summary>
    public async Task<T> ScalarAsync<T>(string sql, CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(InspectConnectionString + ";Pooling=false");
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 120 };
        var value = await command.ExecuteScalarAsync(ct);
        return (T)Convert.ChangeType(value!, typeof(T), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await Shell.PostgresAsync($"pg_stop {Shell.Quote(Directory)}; as_root rm -rf {Shell.Quote(Directory)} {Shell.Quote(KeysFolder)}", CancellationToken.None, TimeSpan.FromMinutes(2));
    }

    private string Connection(string role, string database) =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Database={database};Username={role};Passfile={PassFile}";

    /// <summary>A role's password from the cluster's pgpass (host:port:database:user:password).</summary>
    private string Password(string role) =>
        File.ReadLines(PassFile).Select(l => l.Split(':')).First(f => f.Length == 5 && f[0] == "127.0.0.1" && f[3] == role)[4];

    private string ServerLogTail()
    {
        try
        {
            return string.Join(" | ", File.ReadLines(Path.Combine(Directory, "server.log")).TakeLast(5));
        }
        catch (IOException)
        {
            return "(unreadable)";
        }
    }

    /// <summary>A free port, checked the way the scripts check one (nothing answers on 127.0.0.1).</summary>
    private static int FreePort()
    {
        for (var port = 56000 + Random.Shared.Next(0, 3000); ; port++)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                client.Connect(System.Net.IPAddress.Loopback, port);
            }
            catch (System.Net.Sockets.SocketException)
            {
                return port;
            }
        }
    }
}
