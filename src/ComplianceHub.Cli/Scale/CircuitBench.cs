using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using ComplianceHub.Core.Data.Seeding;

namespace ComplianceHub.Cli.Scale;

/// <summary>
/// The circuit measure (issue 17): the real portal (<c>ComplianceHub.Web.dll</c>) in a child process of its own per page, so its
/// heap holds nothing but the portal and the circuits; a demo officer signs in over HTTP as a browser does, opens circuits with
/// <see cref="BlazorCircuit"/>, and the portal's heap is read after a forced full compacting GC (<c>/_bench/heap</c>, enabled
/// only by the bench-only setting <c>Bench:HeapEndpoint</c> in Development) before and after the circuits open.
/// </summary>
internal sealed partial class CircuitBench(string webApp, string appConnectionString)
{
    /// <summary>Circuits opened and measured before the counted ones, and kept open: the first circuits of a process pay for caches and JIT.</summary>
    private const int WarmUp = 5;

    /// <summary>How long a circuit's renders must have stopped before it counts as open (the roster grid renders again once its rows are loaded).</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(400);

    public sealed record PageFigures(int Circuits, int Failed, long HeapBefore, long HeapAfter, long WorkingSet, List<double> Alone, List<double> Loaded, int ClickFailures, string? Problem)
    {
        /// <summary>CPU time while the circuits clicked: the portal's process, and the bench's own (the 500 "browsers").</summary>
        public (TimeSpan Portal, TimeSpan Bench) Cpu { get; init; }

        public double BytesPerCircuit => Circuits - Failed > 0 ? (HeapAfter - HeapBefore) / (double)(Circuits - Failed) : double.NaN;
    }

    /// <summary>
    /// Opens <paramref name="circuits"/> circuits on <paramref name="path"/> and reads the heap before and after; then, when
    /// <paramref name="interactFor"/> is positive, every circuit clicks <paramref name="buttons"/> in turn once every ten seconds
    /// (spread evenly) for that long, and the same clicks are first timed on one circuit alone.
    /// </summary>
    public async Task<PageFigures> MeasureAsync(string path, int circuits, string[] buttons, TimeSpan interactFor, CancellationToken ct)
    {
        await using var web = await WebProcess.StartAsync(webApp, appConnectionString, ct);
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = web.BaseAddress };
        await SignInAsync(http, ct);

        var open = new ConcurrentBag<BlazorCircuit>();
        try
        {
            for (var i = 0; i < WarmUp; i++)
            {
                open.Add(await OpenAsync(http, cookies, path, ct));
            }
            var alone = new List<double>();
            var first = open.First();
            var button = buttons.FirstOrDefault(first.HasButton);
            if (interactFor > TimeSpan.Zero && button is null)
            {
                return new PageFigures(circuits, 0, 0, 0, 0, [], [], 0, $"no button named {string.Join(" or ", buttons.Select(b => $"'{b}'"))} on {path}");
            }
            for (var i = 0; interactFor > TimeSpan.Zero && i < 40; i++)
            {
                var t = await first.ClickAsync(buttons[i % buttons.Length], ct).WaitAsync(TimeSpan.FromSeconds(10), ct);
                await first.QuietAsync(Quiet / 4, ct);
                if (i >= 10) // the first clicks JIT the path
                {
                    alone.Add(t.TotalMilliseconds);
                }
            }
            var before = await HeapAsync(http, ct);
            var failed = 0;
            string? problem = null;
            using (var slots = new SemaphoreSlim(8))
            {
                await Task.WhenAll(Enumerable.Range(0, circuits).Select(async _ =>
                {
                    await slots.WaitAsync(ct);
                    try
                    {
                        open.Add(await OpenAsync(http, cookies, path, ct));
                    }
                    catch (Exception ex) when (!ct.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref failed);
                        problem ??= ex.Message.Split('\n')[0];
                    }
                    finally
                    {
                        slots.Release();
                    }
                }));
            }
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            var after = await HeapAsync(http, ct);
            var (portalCpu, benchCpu) = (web.CpuTime, Process.GetCurrentProcess().TotalProcessorTime);
            var (loaded, clickFailures) = interactFor > TimeSpan.Zero ? await InteractAsync(open.ToList(), buttons, interactFor, ct) : ([], 0);
            return new PageFigures(circuits, failed, before.Heap, after.Heap, after.WorkingSet, alone, loaded, clickFailures, problem)
            {
                Cpu = (web.CpuTime - portalCpu, Process.GetCurrentProcess().TotalProcessorTime - benchCpu),
            };
        }
        finally
        {
            await Task.WhenAll(open.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    /// <summary>One circuit, given a minute to open and render (a portal that never renders fails the circuit, not the bench).</summary>
    private static async Task<BlazorCircuit> OpenAsync(HttpClient http, CookieContainer cookies, string path, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromMinutes(1));
        try
        {
            return await BlazorCircuit.OpenAsync(http, cookies, path, Quiet, limit.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"a circuit on {path} did not open and render within a minute");
        }
    }

    /// <summary>Every circuit clicks once every ten seconds, the circuits' turns spread evenly over the ten seconds.</summary>
    private static async Task<(List<double> Times, int Failures)> InteractAsync(List<BlazorCircuit> circuits, string[] buttons, TimeSpan duration, CancellationToken ct)
    {
        var period = TimeSpan.FromSeconds(10);
        var times = new ConcurrentBag<double>();
        var failures = 0;
        var start = Stopwatch.StartNew();
        await Task.WhenAll(circuits.Select(async (circuit, i) =>
        {
            var next = period * i / circuits.Count;
            for (var turn = 0; next < duration; turn++, next += period)
            {
                var wait = next - start.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, ct);
                }
                try
                {
                    times.Add((await circuit.ClickAsync(buttons[turn % buttons.Length], ct).WaitAsync(period, ct)).TotalMilliseconds);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        return ([.. times], failures);
    }

    private static async Task<(long Heap, long WorkingSet)> HeapAsync(HttpClient http, CancellationToken ct)
    {
        using var response = await http.GetAsync("/_bench/heap", ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"/_bench/heap answered {(int)response.StatusCode}: is Bench:HeapEndpoint on, in Development?");
        }
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return (json.RootElement.GetProperty("heapBytes").GetInt64(), json.RootElement.GetProperty("workingSetBytes").GetInt64());
    }

    /// <summary>The banner acknowledged, then the sign-in form posted, as a person does (co1, a demo contracting officer).</summary>
    private static async Task SignInAsync(HttpClient http, CancellationToken ct)
    {
        async Task<HttpResponseMessage> PostAsync(string path, params (string, string)[] fields)
        {
            var html = await http.GetStringAsync(path, ct);
            var token = TokenPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value)
                : throw new InvalidOperationException($"no antiforgery token on {path}");
            return await http.PostAsync(path, new FormUrlEncodedContent(fields.Append(("__RequestVerificationToken", token))
                .Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))), ct);
        }
        (await PostAsync("/consent", ("_handler", "consent"))).Dispose();
        using var signedIn = await PostAsync("/account/login", ("_handler", "signin"), ("Input.Email", "co1@demo.local"), ("Input.Password", DemoSeeder.DemoPassword));
        var to = signedIn.Headers.Location;
        if (signedIn.StatusCode != HttpStatusCode.Redirect || to is null || (to.IsAbsoluteUri ? to.AbsolutePath : to.OriginalString) != "/")
        {
            throw new InvalidOperationException($"sign-in as co1@demo.local failed ({(int)signedIn.StatusCode} to {signedIn.Headers.Location})");
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    /// <summary>The portal in a child process on a free loopback port, Development, the bench-only heap endpoint on, no schedulers.</summary>
    private sealed class WebProcess : IAsyncDisposable
    {
        private readonly Process process;
        private readonly ConcurrentQueue<string> lastLines = new();
        private string? logs;

        private WebProcess(Process process, Uri baseAddress) => (this.process, BaseAddress) = (process, baseAddress);

        public Uri BaseAddress { get; }

        public TimeSpan CpuTime
        {
            get
            {
                process.Refresh();
                return process.TotalProcessorTime;
            }
        }

        public static async Task<WebProcess> StartAsync(string dll, string connectionString, CancellationToken ct)
        {
            var port = FreePort();
            var dir = Path.GetDirectoryName(Path.GetFullPath(dll))!;
            // The project folder when run from a build (bin/<cfg>/net10.0): the content root, as scripts/run.sh starts it.
            var project = Path.GetFullPath(Path.Combine(dir, "..", "..", ".."));
            var info = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = Directory.EnumerateFiles(project, "*.csproj").Any() ? project : dir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add(Path.GetFullPath(dll));
            info.ArgumentList.Add("--urls");
            info.ArgumentList.Add($"http://127.0.0.1:{port}");
            info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            info.Environment["DOTNET_ENVIRONMENT"] = "Development";
            info.Environment["ConnectionStrings__ComplianceHub"] = connectionString;
            info.Environment["Bench__HeapEndpoint"] = "true";
            info.Environment["DetailedErrors"] = "true"; // a failed click says why in the bench output
            info.Environment["Scheduler__Enabled"] = "false";
            // Its log file in a folder of its own, removed with the process (warnings and errors also reach its console, kept above).
            var logs = Path.Combine(Path.GetTempPath(), $"compliancehub-bench-{port}");
            info.Environment["Serilog__WriteTo__File__Args__path"] = Path.Combine(logs, "log-.json");
            info.Environment["Serilog__MinimumLevel__Default"] = "Warning";
            var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
            var web = new WebProcess(process, new Uri($"http://127.0.0.1:{port}/")) { logs = logs };
            process.OutputDataReceived += (_, e) => web.Keep(e.Data);
            process.ErrorDataReceived += (_, e) => web.Keep(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var probe = new HttpClient { BaseAddress = web.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
            var watch = Stopwatch.StartNew();
            while (true)
            {
                if (process.HasExited || watch.Elapsed > TimeSpan.FromSeconds(90))
                {
                    var why = string.Join(" | ", web.lastLines.TakeLast(5));
                    await web.DisposeAsync();
                    throw new InvalidOperationException($"the portal did not start: {why}");
                }
                try
                {
                    using var health = await probe.GetAsync("/healthz", ct);
                    if (health.IsSuccessStatusCode)
                    {
                        return web;
                    }
                }
                catch (HttpRequestException)
                {
                }
                await Task.Delay(250, ct);
            }
        }

        private void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }
            lastLines.Enqueue(line);
            while (lastLines.Count > 20 && lastLines.TryDequeue(out _))
            {
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            process.Dispose();
            if (logs is not null && Directory.Exists(logs))
            {
                Directory.Delete(logs, recursive: true);
            }
        }
    }

    public static string Size(double bytes) => bytes switch
    {
        double.NaN => "-",
        >= 1024 * 1024 => (bytes / 1024 / 1024).ToString("F2", CultureInfo.InvariantCulture) + " MB",
        _ => (bytes / 1024).ToString("F0", CultureInfo.InvariantCulture) + " KB",
    };
}
