using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ComplianceHub.Cli.Scale;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.ReliabilityTests.Infrastructure;
using ComplianceHub.ReliabilityTests.ScaleOut;

namespace ComplianceHub.ReliabilityTests.Faults;

/// <summary>One durable cluster for the fault tests (ADR 0042), each test with a portal of its own on it.</summary>
public sealed class FaultsFixture : IAsyncLifetime
{
    private DurableCluster? db;

    public DurableCluster Db => db ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        db = await DurableCluster.StartAsync("faults", limit.Token);
    }

    public async Task DisposeAsync()
    {
        if (db is not null)
        {
            await db.DisposeAsync();
        }
    }
}

/// <summary>
/// Database faults and a graceful stop, on the real portal (a child process) and a durable cluster (fsync and synchronous_commit
/// on): while writers update people and roster imports run through the API, PostgreSQL is restarted three times
/// (<c>pg_ctl restart -m fast</c>) and its postmaster killed once (<c>kill -9</c>, then started again) — every acknowledged change
/// is there afterwards, each import is all or nothing, the chain verifies, the portal is healthy within 30 s of the database
/// accepting connections without anyone touching it, and nothing answers 500; and SIGTERM lets requests in flight finish,
/// refuses new connections, tells open circuits and exits 0 within the shutdown timeout.
/// </summary>
public sealed class DatabaseFaultTests(FaultsFixture fixture, ITestOutputHelper output) : IClassFixture<FaultsFixture>
{
    /// <summary>What the banner on every circuit says when the server stops (Web/Hosting/ShutdownNotice.Message).</summary>
    private const string RestartingBanner = "This server is restarting. Your page will reconnect to another server; unsaved input in open forms may be lost.";

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["RateLimits:ApiPerCaller"] = "1000000",
        ["RateLimits:ImportsPerAccount"] = "100000",
    };

    [Fact]
    public async Task ThreeRestartsAndAKill_DuringImportsAndConcurrentWriters_LoseNoAcknowledgedChange_AndThePortalRecoversAlone()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = limit.Token;
        var db = fixture.Db;
        var figures = new Figures(output, "database faults");
        await using var portal = await PortalProcess.StartAsync(db, db.KeysFolder, Settings, ct);
        using var api = await PortalClient.ApiAsync(portal.BaseAddress, "co1@demo.local", ct);
        var people = (await api.ListAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/personnel", ct))
            .Concat(await api.ListAsync($"/api/v1/vendors/{DemoSeeder.GlobexId}/personnel", ct)).ToList();

        var load = new FaultLoad();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        const int writers = 4;
        var running = Enumerable.Range(0, writers)
            .Select(w => load.WriteAsync(api, w, people.Where((_, i) => i % writers == w).ToList(), stop.Token))
            .Append(load.ImportAsync(api, DemoSeeder.InitechId, "RST", count: 50, stop.Token))
            .ToList();

        var faults = new (string Name, Func<Task> Break)[]
        {
            ("restart 1", () => db.RestartFastAsync(ct)),
            ("restart 2", () => db.RestartFastAsync(ct)),
            ("restart 3", () => db.RestartFastAsync(ct)),
            ("kill -9", async () =>
            {
                await db.KillPostmasterAsync(ct);
                await db.StartAgainAsync(ct);
            }),
        };
        var survived = 0;
        foreach (var (name, @break) in faults)
        {
            await ProgressAsync(load, 15, ct); // the load is running when the database goes
            await @break();
            await db.WaitAcceptingAsync(TimeSpan.FromMinutes(1), ct);
            var accepting = Stopwatch.StartNew();
            await portal.WaitHealthyAsync(TimeSpan.FromSeconds(30), ct); // throws when not healthy within 30 s
            figures.Record($"seconds to healthy after {name}", Math.Round(accepting.Elapsed.TotalSeconds, 2), "s");
            survived++;
        }
        await ProgressAsync(load, 15, ct); // and it goes on afterwards
        await stop.CancelAsync();
        await Task.WhenAll(running);

        Assert.Empty(load.Unexpected);
        Assert.Equal(0, load.UnavailableWithoutRetryAfter);
        Assert.Equal(0, load.LostAnswers);
        await AssertEveryAcknowledgedChangeIsThereAsync(db, load, ct);
        var imports = await AssertImportsAllOrNothingAsync(db, load, ct);
        await AssertChainVerifiesAsync(portal.BaseAddress, ct);

        figures.Record("restarts survived", survived);
        figures.Record("operations acknowledged", load.AcknowledgedCount);
        figures.Record("503s answered", load.Unavailable);
        figures.Record("503s saying the outcome is unknown", load.UnknownOutcomes);
        figures.Record("conflicts after an answer that did not say", load.Conflicts);
        figures.Record("imports applied", imports.Applied);
        figures.Record("imports refused whole", imports.Refused);
    }

    [Fact]
    public async Task Sigterm_LetsRequestsInFlightFinishOrRollBackWhole_RefusesNewConnections_TellsCircuits_AndExitsZero()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = limit.Token;
        var db = fixture.Db;
        var figures = new Figures(output, "graceful shutdown");
        var portal = await PortalProcess.StartAsync(db, db.KeysFolder, Settings, ct);
        var load = new FaultLoad();
        try
        {
            using var browser = await PortalClient.SignInAsync(portal.BaseAddress, "co2@demo.local", ct);
            await using var circuit = await BlazorCircuit.OpenAsync(browser.Http, browser.Cookies, "/", TimeSpan.FromMilliseconds(400), ct);
            circuit.Watch(RestartingBanner);
            using var api = await PortalClient.ApiAsync(portal.BaseAddress, "co1@demo.local", ct);
            var people = await api.ListAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/personnel", ct);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            const int writers = 3;
            var running = Enumerable.Range(0, writers)
                .Select(w => load.WriteAsync(api, 10 + w, people.Where((_, i) => i % writers == w).ToList(), stop.Token, endOnLostAnswer: true))
                .ToList();
            await ProgressAsync(load, 10, ct);
            // A large import, sent last: SIGTERM comes once its transaction has been open a while, so it is in flight for sure.
            var importing = load.ImportAsync(api, DemoSeeder.InitechId, "TERM", count: 1, CancellationToken.None, rows: LargeImportRows);
            running.Add(importing);
            var opened = Stopwatch.StartNew();
            while (!await db.ScalarAsync<bool>("SELECT count(*) > 0 FROM pg_stat_activity WHERE usename = 'compliancehub_app' AND xact_start < now() - interval '300 milliseconds'", ct))
            {
                Assert.True(opened.Elapsed < TimeSpan.FromMinutes(1) && !importing.IsCompleted, "the large import's transaction was never seen open");
                await Task.Delay(50, ct);
            }

            var watch = Stopwatch.StartNew();
            var stopping = portal.StopAsync(TimeSpan.FromSeconds(45));
            // From SIGTERM on, a new connection is refused, though requests in flight are still being answered.
            var refused = false;
            while (!refused && !stopping.IsCompleted)
            {
                refused = await RefusesConnectionsAsync(portal.Port);
                if (!refused)
                {
                    await Task.Delay(100, ct);
                }
            }
            var refusedWhileRunning = refused;
            var exit = await stopping;
            figures.Record("seconds from SIGTERM to exit", Math.Round(watch.Elapsed.TotalSeconds, 2), "s");
            Assert.True(exit is not null, $"the portal did not exit within 45 s of SIGTERM:\n{portal.Output}");
            Assert.Equal(0, exit);
            Assert.True(refused || await RefusesConnectionsAsync(portal.Port), "the port still accepted connections after SIGTERM");
            Assert.True(circuit.SawWatchedText, "the open circuit was not told the server is restarting");
            await importing;
            var large = Assert.Single(load.Imports, i => i.Tag.StartsWith("TERM", StringComparison.Ordinal));
            Assert.True(large.Status is { } status && (int)status is >= 200 and < 300, $"the import in flight at SIGTERM was not let finish: {large}");
            figures.Record("new connections refused while requests were still in flight", refusedWhileRunning ? "yes" : "no (it had already exited)");

            await stop.CancelAsync();
            await Task.WhenAll(running);
        }
        finally
        {
            await portal.DisposeAsync();
        }

        // Another instance on the same database: every acknowledged change is there, the import in flight is all or nothing,
        // the chain verifies — nothing was cut between a change and its audit event.
        await using var next = await PortalProcess.StartAsync(db, db.KeysFolder, Settings, ct);
        Assert.Empty(load.Unexpected);
        await AssertEveryAcknowledgedChangeIsThereAsync(db, load, ct);
        var imports = await AssertImportsAllOrNothingAsync(db, load, ct);
        await AssertChainVerifiesAsync(next.BaseAddress, ct);
        figures.Record("operations acknowledged before the exit", load.AcknowledgedCount);
        figures.Record("requests whose answer was lost to the stop", load.LostAnswers);
        figures.Record("imports applied", imports.Applied);
    }

    /// <summary>The rows of the import in flight when SIGTERM comes: a few seconds of work, well inside the shutdown timeout.</summary>
    private const int LargeImportRows = 8000;

    /// <summary>Waits (polling, up to two minutes) until <paramref name="more"/> more updates have been acknowledged.</summary>
    private static async Task ProgressAsync(FaultLoad load, int more, CancellationToken ct)
    {
        var target = load.AcknowledgedCount + more;
        var watch = Stopwatch.StartNew();
        while (load.AcknowledgedCount < target)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), $"the writers made no progress ({load.AcknowledgedCount} of {target}): {string.Join("; ", load.Unexpected.Take(3))}");
            await Task.Delay(100, ct);
        }
    }

    /// <summary>
    /// Every acknowledged update has its audit event (the city it set, on its person), and each person's city is the last one
    /// the writers knew — or, for an update whose answer never came, that update's.
    /// </summary>
    private static async Task AssertEveryAcknowledgedChangeIsThereAsync(DurableCluster db, FaultLoad load, CancellationToken ct)
    {
        var events = await db.QueryAsync("SELECT subject_id, changes::text FROM audit_events WHERE operation = 'update-person'", async r =>
        {
            var all = new List<(string Subject, string Changes)>();
            while (await r.ReadAsync(ct))
            {
                all.Add((r.GetString(0), r.GetString(1)));
            }
            return all;
        }, ct);
        var bySubject = events.ToLookup(e => e.Subject, e => e.Changes);
        var missing = load.Acknowledged
            .Where(a => !bySubject[a.Person.ToString()].Any(c => c.Contains($"\"{a.City}\"", StringComparison.Ordinal)))
            .ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged updates have no audit event, e.g. {string.Join(", ", missing.Take(5))}");
        var cities = await db.QueryAsync("SELECT id, work_city FROM people", async r =>
        {
            var all = new Dictionary<Guid, string>();
            while (await r.ReadAsync(ct))
            {
                all[r.GetGuid(0)] = r.GetString(1);
            }
            return all;
        }, ct);
        foreach (var (person, known) in load.LastKnownCity)
        {
            var stored = cities[person];
            Assert.True(stored == known || load.Unanswered.GetValueOrDefault(person) == stored,
                $"person {person}: the database holds {stored}, the writers last knew {known}");
        }
    }

    /// <summary>Each import added all its rows (acknowledged) or none (refused); one whose answer did not say, one or the other.</summary>
    private static async Task<(int Applied, int Refused)> AssertImportsAllOrNothingAsync(DurableCluster db, FaultLoad load, CancellationToken ct)
    {
        var (applied, refused) = (0, 0);
        foreach (var import in load.Imports)
        {
            var rows = await db.ScalarAsync<long>($"SELECT count(*) FROM people WHERE employee_id LIKE '{import.Tag}%'", ct);
            if (import.Status is { } status && (int)status is >= 200 and < 300)
            {
                Assert.Equal(import.Rows, rows);
                applied++;
            }
            else if (!import.OutcomeUnknown)
            {
                Assert.Equal(0, rows);
                refused++;
            }
            else
            {
                Assert.True(rows == 0 || rows == import.Rows, $"import {import.Tag} left {rows} of its {import.Rows} rows");
                (applied, refused) = rows == 0 ? (applied, refused + 1) : (applied + 1, refused);
            }
        }
        Assert.True(load.Imports.Count > 0, "no import ran");
        return (applied, refused);
    }

    private static async Task AssertChainVerifiesAsync(Uri portal, CancellationToken ct)
    {
        using var auditor = await PortalClient.ApiAsync(portal, "auditor@demo.local", ct);
        var verify = await auditor.GetJsonAsync("/api/v1/audit/verify", ct);
        Assert.True(verify["valid"]!.GetValue<bool>(), verify.ToJsonString());
    }

    private static async Task<bool> RefusesConnectionsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }
}
