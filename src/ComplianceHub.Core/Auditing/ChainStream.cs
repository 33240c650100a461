using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Auditing;

/// <summary>
/// The audit events as the walk (<see cref="ChainWalk"/>) takes them: streamed from the database in sequence order and hashed in
/// parallel. Reading, hashing and checking are a pipeline: one task reads the events as they stream in and hands them on in
/// batches; each batch is hashed on the thread pool as soon as it is read (an event's hash depends on its own content only),
/// several batches at once; the caller takes the batches in order and checks numbers, links and checkpoints, which need only the
/// stored hashes. A bounded channel holds the batches in flight, so memory does not grow with the trail.
/// </summary>
internal static class ChainStream
{
    /// <summary>Events per batch handed from the reader to the hashing.</summary>
    public const int BatchSize = 1000;

    /// <summary>Batches read and being hashed ahead of the walk: enough to keep every core hashing while the reader waits.</summary>
    private static readonly int InFlight = Math.Max(2, Environment.ProcessorCount) * 2;

    /// <summary>
    /// The events after <paramref name="after"/> (and up to <paramref name="upTo"/>, when given) in sequence order, a hashed batch
    /// at a time. Stopping early (a break found, the caller gone) stops the reader; the batches being hashed finish on their own.
    /// </summary>
    public static async IAsyncEnumerable<ChainLink[]> ReadAsync(ComplianceDbContext db, long after, long? upTo, [EnumeratorCancellation] CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var batches = Channel.CreateBounded<Task<ChainLink[]>>(new BoundedChannelOptions(InFlight) { SingleReader = true, SingleWriter = true });
        var reading = Task.Run(() => ProduceAsync(db, after, upTo, batches.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var hashing in batches.Reader.ReadAllAsync(ct))
            {
                yield return await hashing;
            }
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await reading;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>Reads the events (one streamed query) and writes them to <paramref name="batches"/>, each already given to the thread pool to hash.</summary>
    private static async Task ProduceAsync(ComplianceDbContext db, long after, long? upTo, ChannelWriter<Task<ChainLink[]>> batches, CancellationToken ct)
    {
        try
        {
            var events = db.AuditEvents.AsNoTracking();
            // The whole trail reads without a condition (the plan the benchmark measures); a part of it by its primary key.
            if (after > 0)
            {
                events = events.Where(e => e.Sequence > after);
            }
            if (upTo is { } last)
            {
                events = events.Where(e => e.Sequence <= last);
            }
            var batch = new List<AuditEvent>(BatchSize);
            await foreach (var e in events.OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(ct))
            {
                batch.Add(e);
                if (batch.Count == BatchSize)
                {
                    await batches.WriteAsync(Hash(batch), ct);
                    batch = new List<AuditEvent>(BatchSize);
                }
            }
            if (batch.Count > 0)
            {
                await batches.WriteAsync(Hash(batch), ct);
            }
            batches.Complete();
        }
        catch (Exception ex)
        {
            batches.Complete(ex);
            throw;
        }

        // The events themselves are let go once hashed: only their links wait for the walk.
        static Task<ChainLink[]> Hash(List<AuditEvent> events) => Task.Run(() => events.Select(ChainLink.Of).ToArray());
    }
}
