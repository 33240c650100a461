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
            while (collector.AcceptedCount == 0)
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

    [Fact]
    public async Task OverHttpProtobuf_TracesAndMetricsReachTheCollector_AtTheSignalsPaths_WithTheHeadersAndTheInstance()
    {
        using var collector = new RecordingCollector();
        await using var database = await TestDatabase.CreateAsync("otlphttp");
        await using var portal = new ExportingPortal(database, collector.Endpoint, new LockedList<Activity>(), new()
        {
            ["Telemetry:Otlp:Protocol"] = "http/protobuf",
            ["Telemetry:Otlp:Headers"] = "api-key=test-key-1",
            ["Telemetry:InstanceId"] = "otel-test-web1",
        });
        using var client = portal.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        // Until a batch of spans holds a page request (the first may hold only the start's SQL) and a batch of metrics its duration
        // (one may have gone before the first request ended).
        bool Sent(string path, string text) => collector.Requests.Any(r => r.Path == path && r.Text.Contains(text, StringComparison.Ordinal));
        while (!(Sent("/v1/traces", "/account/login") && Sent("/v1/metrics", "http.server.request.duration")))
        {
            Assert.True(DateTime.UtcNow < deadline, $"The collector received only: {string.Join(", ", collector.Requests.Select(r => r.Path))}");
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/login")).StatusCode);
            await Task.Delay(200);
        }

        var requests = collector.Requests;
        Assert.All(requests, r => Assert.Equal("test-key-1", r.Headers.GetValueOrDefault("api-key")));
        Assert.All(requests, r => Assert.Equal("application/x-protobuf", r.Headers.GetValueOrDefault("content-type")));
        // The resource names the service and this instance; the request span and the request duration are in the batches.
        var traces = requests.Where(r => r.Path == "/v1/traces").Select(r => r.Text).ToList();
        Assert.All(traces, t => Assert.Contains("otel-test-web1", t, StringComparison.Ordinal));
        Assert.All(traces, t => Assert.Contains("compliancehub", t, StringComparison.Ordinal));
        var metrics = string.Concat(requests.Where(r => r.Path == "/v1/metrics").Select(r => r.Text));
        foreach (var name in new[] { "http.server.request.duration", "db.client.connection.count", "dotnet.gc.collections" })
        {
            Assert.Contains(name, metrics, StringComparison.Ordinal);
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
    private sealed class ExportingPortal(TestDatabase database, Uri endpoint, LockedList<Activity> spans, Dictionary<string, string>? settings = null)
        : PortalFactory(database)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            foreach (var (key, value) in settings ?? [])
            {
                builder.UseSetting(key, value);
            }
            builder.UseSetting("Telemetry:Otlp:Endpoint", endpoint.ToString());
            builder.UseSetting("Telemetry:Metrics:IntervalSeconds", "1");
            builder.UseSetting("OTEL_BSP_SCHEDULE_DELAY", "100");
            builder.UseSetting("OTEL_EXPORTER_OTLP_TIMEOUT", "120000");
            builder.ConfigureServices(s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        }
    }

    /// <summary>A loopback listener that hands each connection it accepts to <see cref="Accepted"/>; stopping it drops them all.</summary>
    private abstract class LoopbackCollector : IDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly List<Socket> connections = [];

        protected LoopbackCollector()
        {
            listener.Start();
            _ = AcceptAsync();
        }

        public Uri Endpoint => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");

        protected abstract void Accepted(Socket socket);

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
                    Accepted(socket);
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

    /// <summary>A collector that accepts connections and never answers: a collector hung, or a firewall that swallows packets.</summary>
    private sealed class SilentCollector : LoopbackCollector
    {
        private int accepted;

        public int AcceptedCount => Volatile.Read(ref accepted);

        protected override void Accepted(Socket socket) => Interlocked.Increment(ref accepted);
    }

    /// <summary>
    /// A loopback OTLP/HTTP collector that records each request (path, headers, body) and answers 200 with an empty body (an
    /// empty export response): enough to see what the portal sends, without a collector installed.
    /// </summary>
    private sealed class RecordingCollector : LoopbackCollector
    {
        private readonly List<(string Path, Dictionary<string, string> Headers, string Text)> requests = [];

        public List<(string Path, Dictionary<string, string> Headers, string Text)> Requests
        {
            get
            {
                lock (requests)
                {
                    return [.. requests];
                }
            }
        }

        protected override void Accepted(Socket socket) => _ = ServeAsync(socket);

        private async Task ServeAsync(Socket socket)
        {
            try
            {
                await using var stream = new NetworkStream(socket, ownsSocket: false);
                var buffer = new List<byte>();
                var chunk = new byte[16 * 1024];
                while (true)
                {
                    int end;
                    while ((end = HeaderEnd(buffer)) < 0)
                    {
                        var n = await stream.ReadAsync(chunk);
                        if (n == 0)
                        {
                            return;
                        }
                        buffer.AddRange(chunk.AsSpan(0, n));
                    }
                    var head = System.Text.Encoding.ASCII.GetString([.. buffer.GetRange(0, end)]).Split("\r\n");
                    var headers = head.Skip(1).Select(h => h.Split(':', 2)).Where(h => h.Length == 2)
                        .ToDictionary(h => h[0].Trim().ToLowerInvariant(), h => h[1].Trim());
                    var length = int.Parse(headers.GetValueOrDefault("content-length", "0"), System.Globalization.CultureInfo.InvariantCulture);
                    buffer.RemoveRange(0, end + 4);
                    while (buffer.Count < length)
                    {
                        var n = await stream.ReadAsync(chunk);
                        if (n == 0)
                        {
                            return;
                        }
                        buffer.AddRange(chunk.AsSpan(0, n));
                    }
                    // Protobuf's strings are UTF-8 bytes as they are: readable enough to find a name in.
                    var text = System.Text.Encoding.UTF8.GetString([.. buffer.GetRange(0, length)]);
                    buffer.RemoveRange(0, length);
                    lock (requests)
                    {
                        requests.Add((head[0].Split(' ')[1], headers, text));
                    }
                    await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n"u8.ToArray());
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                // the portal closed the connection, or the collector stopped
            }
        }

        private static int HeaderEnd(List<byte> buffer)
        {
            for (var i = 0; i + 3 < buffer.Count; i++)
            {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n')
                {
                    return i;
                }
            }
            return -1;
        }
    }
}
