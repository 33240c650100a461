using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ComplianceHub.Tests.Shared;
using ComplianceHub.Web.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Trace;

namespace ComplianceHub.IntegrationTests.Hosting;

/// <summary>
/// The portal with OTLP export configured to a collector that accepts connections and never answers (the worst kind of
/// unreachable: nothing fails fast): it starts, and serves every request while its exporter waits (ADR 0043).
/// </summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task WithACollectorThatNeverAnswers_ThePortalStartsAndServes_WhileItsExportWaits()
    {
        using var collector = new SilentCollector();
        await using var database = await TestDatabase.CreateAsync("otlp");
        var spans = new LockedList<Activity>();
        await using var portal = new ExportingPortal(database, collector.Endpoint, spans);
        try
        {
            // Requests as generous as the machine may need, and half the exporter's own timeout (two minutes, below): a request that
            // waited for the export would fail here.
            using var client = portal.CreateClient();
            client.Timeout = TimeSpan.FromSeconds(60);

            // Served until the exporter has connected to the collector (its batches go every 100 ms, its metrics every second) …
            var deadline = DateTime.UtcNow.AddSeconds(90);
            var logins = 0;
            while (collector.Accepted == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "The exporter never connected to the configured collector.");
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/login")).StatusCode);
                logins++;
                await Task.Delay(100);
            }
            // … and served while that export hangs, unanswered.
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/login")).StatusCode);
                logins++;
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
            }

            // The portal traced the page's requests (the collector's copy is stuck; the test's copy shows what it would have had),
            // not the health probes, and without the query string.
            await client.GetAsync("/account/login?returnUrl=%2Fpeople%3Fsearch%3DQuartermaine");
            logins++;
            // A request's span ends just after its response is sent: looked for until every one is there.
            static bool Login(Activity s) => s.Kind == ActivityKind.Server && s.GetTagItem("url.path") as string == "/account/login";
            deadline = DateTime.UtcNow.AddSeconds(30);
            while (spans.Snapshot().Count(Login) < logins && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            var exported = spans.Snapshot();
            Assert.Equal(logins, exported.Count(Login));
            Assert.DoesNotContain(exported, s => s.GetTagItem("url.path") as string == "/healthz");
            Assert.DoesNotContain(exported, s => s.TagObjects.Any(t => t.Value?.ToString()?.Contains("Quartermaine", StringComparison.Ordinal) == true));
        }
        finally
        {
            collector.Stop(); // the waiting export fails now, so the portal stops without waiting for it
        }
    }

    [Theory]
    [InlineData("collector:4317", "must be an http:// or https:// address")]
    [InlineData("ftp://collector:4317", "must be an http:// or https:// address")]
    public void AnEndpointThatIsNotAnAddress_StopsTheStart_SayingWhatToGive(string endpoint, string says)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Telemetry:Otlp:Endpoint"] = endpoint }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => PortalTelemetry.Settings.Read(configuration));
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAnEndpoint_NothingIsExported_AndTheStandardVariableIsAnEndpointToo()
    {
        Assert.Null(PortalTelemetry.Settings.Read(new ConfigurationBuilder().Build()).Endpoint);
        var standard = PortalTelemetry.Settings.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://collector:4318", ["Telemetry:Sampling:Ratio"] = "0.25" }).Build());
        Assert.Equal(new Uri("http://collector:4318"), standard.Endpoint);
        Assert.True(standard.FromStandardVariable);
        Assert.Equal(0.25, standard.SampleRatio);
    }

    /// <summary>The portal with OTLP export to <paramref name="endpoint"/>, and a copy of its spans in memory.</summary>
    private sealed class ExportingPortal(TestDatabase database, Uri endpoint, LockedList<Activity> spans) : PortalFactory(database)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Telemetry:Otlp:Endpoint", endpoint.ToString());
            builder.UseSetting("Telemetry:Metrics:IntervalSeconds", "1");
            builder.UseSetting("OTEL_BSP_SCHEDULE_DELAY", "100");
            builder.UseSetting("OTEL_EXPORTER_OTLP_TIMEOUT", "120000");
            builder.ConfigureServices(s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        }
    }

    /// <summary>A loopback listener that accepts connections and never answers: a collector hung, or a firewall that swallows packets.</summary>
    private sealed class SilentCollector : IDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly List<Socket> connections = [];
        private int accepted;

        public SilentCollector()
        {
            listener.Start();
            _ = AcceptAsync();
        }

        public Uri Endpoint => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");

        public int Accepted => Volatile.Read(ref accepted);

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var socket = await listener.AcceptSocketAsync();
                    lock (connections)
                    {
                        connections.Add(socket);
                    }
                    Interlocked.Increment(ref accepted);
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // stopped
            }
        }

        public void Stop()
        {
            listener.Stop();
            lock (connections)
            {
                foreach (var socket in connections)
                {
                    socket.Dispose();
                }
                connections.Clear();
            }
        }

        public void Dispose() => Stop();
    }
}
