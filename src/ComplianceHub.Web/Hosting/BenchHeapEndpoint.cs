using System.Net;
using System.Runtime;
using System.Text.Json;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// A bench-only endpoint, <c>GET /_bench/heap</c>: a forced, blocking, compacting full GC, then the managed heap in bytes. The
/// circuit measure of <c>ComplianceHub.Cli bench</c> reads it before and after opening circuits (docs/performance.md).
/// It is mapped only when <c>Bench:HeapEndpoint=true</c> <b>and</b> the environment is Development; set anywhere else the
/// setting is ignored with an error in the log. It answers only a signed-in caller on the loopback address. A full
/// compacting GC pauses every request, which is why production never has it (docs/security.md, "Bench-only switch").
/// </summary>
internal static class BenchHeapEndpoint
{
    public const string Setting = "Bench:HeapEndpoint";
    public const string Path = "/_bench/heap";

    public static WebApplication MapBenchHeapEndpoint(this WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>(Setting))
        {
            return app;
        }
        if (!app.Environment.IsDevelopment())
        {
            app.Logger.LogError("{Setting} is set in the {Environment} environment; the bench's heap endpoint exists only in Development and is not mapped",
                Setting, app.Environment.EnvironmentName);
            return app;
        }
        app.Logger.LogWarning("{Setting}: {Path} is mapped (bench only: every call forces a full, compacting GC)", Setting, Path);
        app.MapGet(Path, (HttpContext http) =>
        {
            if (http.Connection.RemoteIpAddress is not { } address || !IPAddress.IsLoopback(address))
            {
                return Results.NotFound();
            }
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            var body = new { heapBytes = GC.GetTotalMemory(forceFullCollection: false), workingSetBytes = Environment.WorkingSet };
            return Results.Text(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), "application/json");
        });
        return app;
    }
}
