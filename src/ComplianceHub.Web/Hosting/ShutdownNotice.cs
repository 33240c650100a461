using System.Collections.Concurrent;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Tells every open circuit that this server is stopping (SIGTERM, a deploy): each circuit's layout registers a callback
/// (<c>Components/Layout/ServerRestartingBanner</c>) that shows a banner, and <see cref="IHostApplicationLifetime.ApplicationStopping"/>
/// calls them all before SignalR closes the circuits' connections (ADR 0042). The callbacks run in parallel, each bounded by
/// <see cref="TellTimeout"/>, so a stuck circuit cannot hold the shutdown.
/// </summary>
public sealed class ShutdownNotice
{
    private readonly ConcurrentDictionary<object, Func<Task>> circuits = new();
    private readonly ILogger<ShutdownNotice> log;

    public ShutdownNotice(IHostApplicationLifetime lifetime, ILogger<ShutdownNotice> log)
    {
        this.log = log;
        // Callbacks of a token run last-registered first: this one is registered once the endpoints are mapped (UseComplianceHubPortal),
        // after SignalR's own, so the circuits are told before their connections close.
        lifetime.ApplicationStopping.Register(TellAll);
    }

    /// <summary>What circuits are told.</summary>
    public const string Message =
        "This server is restarting. Your page will reconnect to another server; unsaved input in open forms may be lost.";

    /// <summary>How long the circuits are given, together, to show the banner.</summary>
    public static TimeSpan TellTimeout { get; } = TimeSpan.FromSeconds(2);

    /// <summary>True once the server has begun to stop.</summary>
    public bool Stopping { get; private set; }

    /// <summary>The circuits registered now.</summary>
    public int Circuits => circuits.Count;

    /// <summary>Registers a circuit's callback until the returned handle is disposed (when the circuit's layout goes).</summary>
    public IDisposable Register(Func<Task> tell)
    {
        var key = new object();
        circuits[key] = tell;
        return new Registration(() => circuits.TryRemove(key, out _));
    }

    /// <summary>Calls every registered callback and waits for them, at most <see cref="TellTimeout"/>.</summary>
    public void TellAll()
    {
        Stopping = true;
        var told = circuits.Values.Select(tell => Task.Run(async () =>
        {
            try
            {
                await tell();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                log.LogDebug(ex, "A circuit could not be told that the server is stopping");
            }
        })).ToArray();
        Task.WaitAll(told, TellTimeout);
        log.LogInformation("The server is stopping: {Told} of {Circuits} open circuits told", told.Count(t => t.IsCompletedSuccessfully), told.Length);
    }

    private sealed class Registration(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
