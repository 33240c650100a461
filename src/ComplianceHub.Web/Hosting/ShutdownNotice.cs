using System.Collections.Concurrent;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Tells every open circuit that this server is stopping (SIGTERM, a deploy): each circuit's layout registers a callback
/// (<c>Components/Layout/ServerRestartingBanner</c>) that shows a banner, and <see cref="IHostApplicationLifetime.ApplicationStopping"/>
/// calls them all before SignalR closes the circuits' connections (ADR 0042); Kestrel stops accepting connections after that. The callbacks run in parallel, each bounded by
/// <see cref="TellTimeout"/>, so a stuck circuit cannot hold the shutdown.
/// </summary>
public sealed class ShutdownNotice
{
    private readonly ConcurrentDictionary<object, Func<Task>> circuits = new();
    private readonly ILogger<ShutdownNotice> log;
    private readonly IHostApplicationLifetime lifetime;
    private int hooked;

    public ShutdownNotice(IHostApplicationLifetime lifetime, ILogger<ShutdownNotice> log) => (this.lifetime, this.log) = (lifetime, log);

    /// <summary>What circuits are told.</summary>
    public const string Message =
        "This server is restarting. Your page will reconnect to another server; unsaved input in open forms may be lost.";

    /// <summary>How long the circuits are given, together, to show the banner.</summary>
    public static TimeSpan TellTimeout { get; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the render batches are given to leave once every circuit has rendered the banner.</summary>
    private static readonly TimeSpan FlushGrace = TimeSpan.FromMilliseconds(300);

    /// <summary>True once the server has begun to stop.</summary>
    public bool Stopping { get; private set; }

    /// <summary>The circuits registered now.</summary>
    public int Circuits => circuits.Count;

    /// <summary>Registers a circuit's callback until the returned handle is disposed (when the circuit's layout goes).</summary>
    public IDisposable Register(Func<Task> tell)
    {
        // A token's callbacks run last-registered first, and SignalR registers its own (which closes every connection) when its
        // first connection comes: hooked at the first circuit, this one runs before it, while the circuits can still be told.
        if (Interlocked.Exchange(ref hooked, 1) == 0)
        {
            lifetime.ApplicationStopping.Register(TellAll);
        }
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
        if (told.Length > 0)
        {
            Task.WaitAll(told, TellTimeout);
            // The banner's render batches are on their way to the browsers; a moment for them to leave before the connections close.
            Thread.Sleep(FlushGrace);
        }
        log.LogInformation("The server is stopping: {Told} of {Circuits} open circuits told", told.Count(t => t.IsCompletedSuccessfully), told.Length);
    }

    private sealed class Registration(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
