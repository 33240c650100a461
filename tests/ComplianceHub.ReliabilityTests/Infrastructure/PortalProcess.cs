using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace ComplianceHub.ReliabilityTests.Infrastructure;

/// <summary>
/// The real portal (src/ComplianceHub.Web/bin/Release/net10.0/ComplianceHub.Web.dll) as a child process on a free loopback
/// port, started as scripts/run.sh starts it (content root src/ComplianceHub.Web, Development) on a <see cref="DurableCluster"/>'s
/// application connection string, with a key folder every instance shares, smart cards off and 127.0.0.1 trusted as a reverse
/// proxy. Ready once <c>/healthz</c> answers 200. Disposing kills it if it still runs.
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();
    private readonly string logFolder;

    private PortalProcess(Process process, Uri baseAddress, string logFolder) =>
        (this.process, BaseAddress, this.logFolder) = (process, baseAddress, logFolder);

    public Uri BaseAddress { get; }

    public int Port => BaseAddress.Port;

    public int Pid => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output => string.Join('\n', lines);

    /// <summary>
    /// Starts an instance and waits (up to two minutes) for <c>/healthz</c> to answer 200. <paramref name="settings"/> are
    /// configuration keys (<c>Scheduler:ReevaluateEvery</c> or <c>Scheduler__ReevaluateEvery</c>) and override the defaults here;
    /// a null value removes a default.
    /// </summary>
    public static async Task<PortalProcess> StartAsync(DurableCluster db, string keysFolder, IReadOnlyDictionary<string, string?>? settings = null,
        CancellationToken ct = default)
    {
        var port = Shell.FreePort();
        var logFolder = Repository.NewTempFolder($"portal-{port}");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Repository.WebProject,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Repository.WebDll);
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__ComplianceHub"] = db.AppConnectionString,
            ["Keys__Folder"] = keysFolder,
            ["SmartCard__Enabled"] = "false",
            ["ReverseProxy__TrustedProxies__0"] = "127.0.0.1",
            // Its file log in a folder of its own, removed with it; warnings and errors also reach the console (Output).
            ["Serilog__WriteTo__File__Args__path"] = Path.Combine(logFolder, "log-.json"),
            ["Serilog__MinimumLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }
        var started = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var portal = new PortalProcess(started, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"), logFolder);
        started.OutputDataReceived += (_, e) => portal.Keep(e.Data);
        started.ErrorDataReceived += (_, e) => portal.Keep(e.Data);
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        try
        {
            await portal.WaitHealthyAsync(TimeSpan.FromMinutes(2), ct);
            return portal;
        }
        catch
        {
            await portal.DisposeAsync();
            throw;
        }
    }

    /// <summary>Polls <c>/healthz</c> until it answers 200; throws when the process exits or <paramref name="timeout"/> passes.</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var watch = Stopwatch.StartNew();
        string last = "no answer";
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the portal on port {Port} exited with {process.ExitCode}:\n{Tail(40)}");
            }
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"the portal on port {Port} was not healthy within {timeout} (last: {last}):\n{Tail(40)}");
            }
            try
            {
                using var health = await probe.GetAsync("/healthz", ct);
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
                last = $"{(int)health.StatusCode}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                last = ex.Message;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(300), ct);
        }
    }

    /// <summary>SIGTERM, as systemd or an orchestrator stops it, then waits up to <paramref name="timeout"/>; the exit code, or null if it still runs.</summary>
    public async Task<int?> StopAsync(TimeSpan timeout)
    {
        if (!process.HasExited)
        {
            Shell.Signal(process.Id, Shell.SigTerm);
        }
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>SIGKILL: the instance dies at once, as on a crash or a lost machine.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        await process.WaitForExitAsync();
    }

    /// <summary>
    /// The lines of its file log so far (Serilog's compact JSON, one event a line: <c>@t</c>, <c>@mt</c> the message template, the
    /// properties), read while it writes. Information and above for the sources the settings raise, warnings for the rest.
    /// </summary>
    public IReadOnlyList<string> LogLines()
    {
        var lines = new List<string>();
        foreach (var file in Directory.Exists(logFolder) ? Directory.GetFiles(logFolder, "*.json").Order().ToArray() : [])
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                lines.Add(line);
            }
        }
        return lines;
    }

    /// <summary>The last <paramref name="count"/> lines of its output.</summary>
    public string Tail(int count) => string.Join('\n', lines.TakeLast(count));

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // never started or already reaped
        }
        process.Dispose();
        try
        {
            Directory.Delete(logFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lines.Enqueue(line);
        while (lines.Count > 5000 && lines.TryDequeue(out _))
        {
        }
    }
}
