using System.Globalization;

namespace ComplianceHub.ReliabilityTests.Infrastructure;

/// <summary>
/// nginx in front of portal instances, started and stopped by scripts/lb.sh (as an operator runs it) in a folder of its own
/// (config, pid, logs). Its access log names the instance that served each request (<c>upstream=</c>).
/// </summary>
public sealed class LoadBalancer : IAsyncDisposable
{
    private LoadBalancer(string directory, int port) => (Directory, Port) = (directory, port);

    public string Directory { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");

    public string AccessLog => Path.Combine(Directory, "logs", "access.log");

    public static async Task<LoadBalancer> StartAsync(IEnumerable<PortalProcess> instances, CancellationToken ct = default)
    {
        var balancer = new LoadBalancer(Repository.NewTempFolder("nginx"), Shell.FreePort());
        var args = new List<string> { Path.Combine(Repository.Scripts, "lb.sh"), "start", "--dir", balancer.Directory, "--listen", balancer.Port.ToString(CultureInfo.InvariantCulture) };
        foreach (var instance in instances)
        {
            args.AddRange(["--upstream", $"127.0.0.1:{instance.Port.ToString(CultureInfo.InvariantCulture)}"]);
        }
        try
        {
            (await Shell.RunAsync("bash", args, ct: ct)).EnsureSuccess("scripts/lb.sh start");
            return balancer;
        }
        catch
        {
            await balancer.DisposeAsync();
            throw;
        }
    }

    /// <summary>The access log's lines so far (one per request: status, <c>upstream=</c> the instance(s) tried, <c>lb=</c> the affinity key).</summary>
    public IReadOnlyList<string> AccessLines() => File.Exists(AccessLog) ? File.ReadAllLines(AccessLog) : [];

    /// <summary>
    /// The access log's line number <paramref name="index"/> (0-based) once nginx has written it: it logs a request after the
    /// response went out, so a client may see the answer a moment before the line exists.
    /// </summary>
    public async Task<string> LineAsync(int index, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var lines = AccessLines();
            if (lines.Count > index)
            {
                return lines[index];
            }
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"nginx logged {lines.Count} requests, not {index + 1}, within {timeout}");
            }
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Shell.RunAsync("bash", [Path.Combine(Repository.Scripts, "lb.sh"), "stop", "--dir", Directory]);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
