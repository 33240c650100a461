using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using ComplianceHub.Core.Auditing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Off-loads the audit trail to the syslog collector (<see cref="AuditOffloadOptions"/>, ADR 0039): every instance runs it, one
/// sends at a time (<see cref="AuditOffloader"/>'s advisory lock). While events are waiting it sends batch after batch; idle, it
/// looks for new events every <c>PollInterval</c> (two index reads: the cursor and the trail's head). On a failure (collector down, refused, a write
/// that times out) it drops the connection, waits — a second, doubling up to <c>MaxRetryDelay</c> — and starts again from the
/// cursor, which did not move: the collector may receive the failed batch twice, never miss an event. A flush is no receipt:
/// when the collector closes or resets a connection (a crash, a restart), the batches written on it in the last
/// <c>ResendWindow</c> are sent again, in case it lost them unsaved.
/// </summary>
public sealed class AuditOffloadService(AuditOffloader offloader, IOptions<AuditOffloadOptions> settings, AuditOffloadStatus status,
    TimeProvider clock, ILogger<AuditOffloadService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = settings.Value;
        if (!options.Enabled)
        {
            return;
        }
        var format = new SyslogFormat(options.EffectiveHostName, options.AppName, options.MaxMessageBytes);
        var roots = options.Tls && !string.IsNullOrWhiteSpace(options.CaFile) ? SyslogConnection.LoadRoots(options.CaFile) : null;
        log.LogInformation("Audit off-load to {Destination} ({Host}:{Port}, {Transport}) started", options.Destination, options.Host,
            options.EffectivePort, options.Tls ? "TLS" : "plain TCP");
        SyslogConnection? connection = null;
        var retry = TimeSpan.FromSeconds(1);
        var idle = false;
        // The batches written on the open connection (when, and the sequence each started after), for as long as the
        // collector might still lose them; and where to start again after it lost the connection.
        var written = new Queue<(DateTimeOffset At, long After)>();
        long? resendAfter = null;
        async Task LostAsync()
        {
            var since = clock.GetUtcNow() - options.ResendWindow;
            if (written.Where(b => b.At >= since).Select(b => (long?)b.After).Min() is { } suspect)
            {
                resendAfter = Math.Min(resendAfter ?? long.MaxValue, suspect);
            }
            written.Clear();
            await connection!.DisposeAsync();
            connection = null;
        }
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (connection is { ClosedByPeer: true })
                    {
                        log.LogWarning("The collector of {Destination} closed the connection; the events of its last {Window} are sent again",
                            options.Destination, options.ResendWindow);
                        await LostAsync();
                    }
                    // Idle: two index reads (the cursor, the head) until the head passes the cursor. Read each time rather than
                    // remembered, so a cursor set back by hand (docs/operations.md) or moved by another instance is seen at once.
                    if (idle && resendAfter is null && (await offloader.PositionAsync(options.Destination, stoppingToken)).Behind == 0)
                    {
                        await Task.Delay(options.PollInterval, clock, stoppingToken);
                        continue;
                    }
                    var batch = await offloader.SendNextAsync(options.Destination, options.BatchSize, async (events, ct) =>
                    {
                        if (connection is { ClosedByPeer: true })
                        {
                            throw new IOException("The collector closed the connection before the batch was written.");
                        }
                        connection ??= await SyslogConnection.OpenAsync(options, roots, ct);
                        var frames = new ArrayBufferWriter<byte>(events.Count * 1024);
                        foreach (var e in events)
                        {
                            format.WriteFrame(frames, e);
                        }
                        await connection.WriteAsync(frames.WrittenMemory, options.Timeout, ct);
                        if (connection.ClosedByPeer)
                        {
                            throw new IOException("The collector closed the connection while the batch was written.");
                        }
                    }, stoppingToken, resendAfter);
                    retry = TimeSpan.FromSeconds(1);
                    if (!batch.Claimed)
                    {
                        // Another instance sends; this one looks again later (idly), in case that one stops.
                        idle = true;
                        await Task.Delay(options.PollInterval, clock, stoppingToken);
                        continue;
                    }
                    var now = clock.GetUtcNow();
                    status.Sent(now);
                    // Sending again continues batch by batch until it reaches the cursor.
                    resendAfter = resendAfter is not null && batch.SentThrough < batch.Through ? batch.SentThrough : null;
                    if (batch.Count > 0)
                    {
                        written.Enqueue((now, batch.After));
                    }
                    while (written.TryPeek(out var oldest) && oldest.At < now - options.ResendWindow)
                    {
                        written.Dequeue();
                    }
                    idle = !batch.Full;
                    if (idle)
                    {
                        await Task.Delay(options.PollInterval, clock, stoppingToken);
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    status.Failed(ex, clock.GetUtcNow());
                    log.LogWarning("Audit off-load to {Destination} failed ({Error}: {Message}); retrying from the cursor in {Delay}",
                        options.Destination, ex.GetType().Name, ex.Message, retry);
                    if (connection is not null)
                    {
                        await LostAsync();
                    }
                    idle = false;
                    await Task.Delay(retry, clock, stoppingToken);
                    retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, options.MaxRetryDelay.Ticks));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a batch being written is rolled back with its transaction, so the next sender starts it again.
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }
}

/// <summary>What this instance's off-load last did, for the health check: the last batch sent, the last failure.</summary>
public sealed class AuditOffloadStatus
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _sentAt;
    private DateTimeOffset? _failedAt;
    private string? _failure;

    internal void Sent(DateTimeOffset at)
    {
        lock (_gate)
        {
            _sentAt = at;
        }
    }

    internal void Failed(Exception ex, DateTimeOffset at)
    {
        lock (_gate)
        {
            _failedAt = at;
            // The kind of failure in words, never more (a message could carry a path or an address only operators should see).
            _failure = ex switch
            {
                System.Net.Sockets.SocketException socket => $"connection failed ({socket.SocketErrorCode})",
                System.Security.Authentication.AuthenticationException => "TLS handshake refused (certificate or protocol)",
                System.Data.Common.DbException => "database unavailable",
                OperationCanceledException => "timed out",
                IOException => "connection lost",
                _ => "failed",
            };
        }
    }

    /// <summary>The last failure, when it is more recent than the last batch sent.</summary>
    public (DateTimeOffset At, string What)? Failing
    {
        get
        {
            lock (_gate)
            {
                return _failedAt is { } failed && (_sentAt is null || _sentAt < failed) ? (failed, _failure!) : null;
            }
        }
    }
}

/// <summary>
/// <c>audit-offload</c> in /healthz, when the off-load is on: how many events the destination is behind and how far it has been
/// sent; Degraded (still 200: the portal serves) when it is <c>LagWarning</c> events behind or this instance's last attempt failed.
/// </summary>
internal sealed class AuditOffloadHealthCheck(AuditOffloader offloader, IOptions<AuditOffloadOptions> settings, AuditOffloadStatus status) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var options = settings.Value;
        var position = await offloader.PositionAsync(options.Destination, cancellationToken);
        var description = $"syslog destination '{options.Destination}': {position.Behind} events behind (sent through {position.Cursor} of {position.Head}"
            + (position.SentAt is { } at ? $", last batch at {at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC)" : ")");
        if (status.Failing is { } failing)
        {
            return HealthCheckResult.Degraded($"{description}; last attempt at {failing.At.UtcDateTime:HH:mm:ss} UTC {failing.What}");
        }
        return position.Behind >= options.LagWarning ? HealthCheckResult.Degraded(description) : HealthCheckResult.Healthy(description);
    }
}
