using System.Threading.Channels;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Auditing;

/// <summary>The result of walking the chain.</summary>
/// <param name="Valid">True when every event's hash, link and sequence number check out.</param>
/// <param name="Events">How many events were checked.</param>
/// <param name="HeadHash">The hash of the last event (the genesis hash for an empty trail).</param>
/// <param name="FirstBrokenSequence">The first sequence number that does not check out, when not valid.</param>
/// <param name="Problem">What is wrong there, in words.</param>
public sealed record ChainVerification(bool Valid, long Events, string HeadHash, long? FirstBrokenSequence, string? Problem);

/// <summary>How far a running verification has come.</summary>
/// <param name="Checked">Events checked so far.</param>
/// <param name="Head">The last sequence number when the walk began (the events there are to check).</param>
public sealed record ChainProgress(long Checked, long Head);

/// <summary>
/// Walks the whole audit chain in sequence order, streaming (bounded memory), and reports the first event whose
/// hash does not match its content, whose link does not match its predecessor, or whose number leaves a gap.
/// Reading, hashing and checking are a pipeline: one task reads the events as they stream in and hands them on in
/// batches; each batch is hashed on the thread pool as soon as it is read (an event's hash depends on its own content
/// only), several batches at once; the walk takes the batches in order and checks numbers and links, which need only the
/// stored hashes. A bounded channel holds the batches in flight, so memory does not grow with the trail.
/// </summary>
public sealed class AuditChainVerifier(IDbContextFactory<ComplianceDbContext> contexts)
{
    /// <summary>How often (in events) a running verification reports its progress.</summary>
    public const int ProgressInterval = 5000;

    /// <summary>Events per batch handed from the reader to the hashing.</summary>
    internal const int BatchSize = 1000;

    /// <summary>Batches read and being hashed ahead of the walk: enough to keep every core hashing while the reader waits.</summary>
    private static readonly int InFlight = Math.Max(2, Environment.ProcessorCount) * 2;

    /// <summary>Walks the chain.</summary>
    public Task<ChainVerification> VerifyAsync(Actor actor, CancellationToken ct = default) => VerifyAsync(actor, null, ct);

    /// <summary>Walks the chain; <paramref name="progress"/>, when given, hears every <see cref="ProgressInterval"/> events and at the end.</summary>
    public async Task<ChainVerification> VerifyAsync(Actor actor, IProgress<ChainProgress>? progress, CancellationToken ct = default)
    {
        if (!(actor.IsAuditor || actor.IsAdministrator))
        {
            throw new UnauthorizedAccessException("Only auditors and administrators verify the audit chain.");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var expectedSequence = 1L;
        var previous = AuditChain.GenesisHash;
        var head = progress is null ? 0 : await db.AuditEvents.AsNoTracking().MaxAsync(e => (long?)e.Sequence, ct) ?? 0;
        progress?.Report(new ChainProgress(0, head));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var batches = Channel.CreateBounded<Task<Link[]>>(new BoundedChannelOptions(InFlight) { SingleReader = true, SingleWriter = true });
        var reading = Task.Run(() => ReadAsync(db, batches.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var hashing in batches.Reader.ReadAllAsync(ct))
            {
                foreach (var e in await hashing)
                {
                    if (e.Sequence != expectedSequence)
                    {
                        return Broken(expectedSequence, previous, $"event {expectedSequence} is missing (the next stored event is {e.Sequence})");
                    }
                    if (e.PreviousHash != previous)
                    {
                        return Broken(e.Sequence, previous, "its previous-hash does not match the hash of the event before it");
                    }
                    if (!e.HashMatches)
                    {
                        return Broken(e.Sequence, previous, "its content does not match its hash (the event was altered)");
                    }
                    previous = e.Hash;
                    if (expectedSequence % ProgressInterval == 0)
                    {
                        progress?.Report(new ChainProgress(expectedSequence, Math.Max(head, expectedSequence)));
                    }
                    expectedSequence++;
                }
            }
        }
        finally
        {
            // A break found (or the caller gone): the reader stops; the batches being hashed finish on their own.
            await stop.CancelAsync();
            try
            {
                await reading;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }
        progress?.Report(new ChainProgress(expectedSequence - 1, Math.Max(head, expectedSequence - 1)));
        // The subject index of the events that record many people (ADR 0022) is not chained: it must agree with the chained
        // changes of those events — no person of an event missing from it, no row naming an event that does not list it.
        // Set-wise, one pass each: every bulk event's keys (each event's changes read once) against every subject row.
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10)); // sized to a ten-million-event trail on a busy machine
        var disagreeing = await db.Database.SqlQuery<long?>($"""
            WITH keys AS (
              SELECT e.sequence, k.k AS subject_id FROM audit_events e CROSS JOIN LATERAL jsonb_object_keys(e.changes -> 'people') AS k(k)
              WHERE e.subject_type = {AuditEventTypes.PeopleSubject} AND e.event_type = {AuditEventTypes.PeopleAdded}),
            rows AS (SELECT sequence, subject_id::text AS subject_id FROM audit_event_subjects WHERE subject_type = 'person')
            SELECT min(sequence) AS "Value" FROM (
              (SELECT sequence, subject_id FROM keys EXCEPT ALL SELECT sequence, subject_id FROM rows)
              UNION ALL
              (SELECT sequence, subject_id FROM rows EXCEPT ALL SELECT sequence, subject_id FROM keys)
              UNION ALL
              SELECT sequence, subject_id FROM audit_event_subjects WHERE subject_type <> 'person'
            ) AS disagreeing
            """).SingleAsync(ct);
        if (disagreeing is { } at)
        {
            return new ChainVerification(false, expectedSequence - 1, previous, at,
                $"Event {at}: the people it records and the index of its subjects disagree (a row of audit_event_subjects was removed or added).");
        }
        return new ChainVerification(true, expectedSequence - 1, previous, null, null);

        ChainVerification Broken(long sequence, string head, string problem) =>
            new(false, sequence - 1, head, sequence, $"Event {sequence}: {problem}.");
    }

    /// <summary>What the walk needs of an event once it is hashed: its number, its stored link and hash, and whether its content hashes to it.</summary>
    private readonly record struct Link(long Sequence, string PreviousHash, string Hash, bool HashMatches);

    /// <summary>
    /// Reads the events in sequence order (one streamed query) and writes them to <paramref name="batches"/> a batch at a
    /// time, each already given to the thread pool to hash; waits while the channel is full.
    /// </summary>
    private static async Task ReadAsync(ComplianceDbContext db, ChannelWriter<Task<Link[]>> batches, CancellationToken ct)
    {
        try
        {
            var batch = new List<AuditEvent>(BatchSize);
            await foreach (var e in db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(ct))
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
        static Task<Link[]> Hash(List<AuditEvent> events) => Task.Run(() =>
            events.Select(e => new Link(e.Sequence, e.PreviousHash, e.Hash, AuditChain.ComputeHash(e) == e.Hash)).ToArray());
    }
}
