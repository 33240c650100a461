using ComplianceHub.ReliabilityTests.Infrastructure;

namespace ComplianceHub.ReliabilityTests.ScaleOut;

/// <summary>
/// Two portal instances on one durable cluster, sharing a key folder, behind nginx (scripts/lb.sh), all on loopback: what
/// docs/operations/load-balancer.md describes, on one machine. The schedulers run on both, with short intervals.
/// </summary>
public class ScaleOutFixture : IAsyncLifetime
{
    /// <summary>The re-evaluation's interval on both instances (Scheduler:ReevaluateEvery).</summary>
    public static readonly TimeSpan ReevaluateEvery = TimeSpan.FromSeconds(4);

    private DurableCluster? db;
    private PortalProcess? a;
    private PortalProcess? b;
    private LoadBalancer? nginx;

    public DurableCluster Db => db ?? throw new InvalidOperationException("not started");

    public PortalProcess A => a ?? throw new InvalidOperationException("not started");

    public PortalProcess B => b ?? throw new InvalidOperationException("not started");

    /// <summary>When the second instance answered its health check: from then on both run the schedulers.</summary>
    public DateTimeOffset BothRunningSince { get; private set; }

    public LoadBalancer Nginx => nginx ?? throw new InvalidOperationException("not started");

    /// <summary>Settings both instances start with (tests may restart an instance with the same).</summary>
    public virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Scheduler:ReevaluateEvery"] = ReevaluateEvery.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        ["AccessReviews:ScheduleEvery"] = "00:00:05",
        ["Audit:CheckpointPollInterval"] = "00:00:05",
        ["Audit:CheckpointEvery"] = "200",
        // The digest's claim of the day (Notifications:Email): on, every 3 s, to an SMTP port nobody listens on (sending fails
        // after the claim, which is what the test counts: the failure is logged and that day's digest is not tried again).
        ["Notifications:Email:Enabled"] = "true",
        ["Notifications:Email:Smtp:From"] = "compliancehub@test.invalid",
        ["Notifications:Email:CheckEvery"] = "00:00:03",
        ["Notifications:Email:Smtp:Host"] = "127.0.0.1",
        ["Notifications:Email:Smtp:Port"] = "9",
        // The concurrent writers share one account per instance: the per-account API limit is not what is measured here.
        ["RateLimits:ApiPerCaller"] = "1000000",
        // The schedulers' runs and skips reach the file log (PortalProcess.LogLines), where the tests count them per instance.
        ["Serilog:MinimumLevel:Override:ComplianceHub.Web.Hosting"] = "Information",
    };

    public async Task InitializeAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        db = await DurableCluster.StartAsync("scaleout", limit.Token);
        // One after the other: two cold starts at once on two cores only slow each other.
        a = await PortalProcess.StartAsync(db, db.KeysFolder, Settings, limit.Token);
        b = await PortalProcess.StartAsync(db, db.KeysFolder, Settings, limit.Token);
        BothRunningSince = DateTimeOffset.UtcNow;
        nginx = await LoadBalancer.StartAsync([a, b], limit.Token);
    }

    public async Task DisposeAsync()
    {
        if (nginx is not null)
        {
            await nginx.DisposeAsync();
        }
        if (b is not null)
        {
            await b.DisposeAsync();
        }
        if (a is not null)
        {
            await a.DisposeAsync();
        }
        if (db is not null)
        {
            await db.DisposeAsync();
        }
    }
}
