using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Auditing;

/// <summary>
/// Off-loads the audit trail to a destination one batch at a time, at least once and in sequence order (NIST AU-4(1), ADR 0039).
/// A batch is one transaction: the off-load's advisory lock (one sender among the instances), the destination's cursor, the
/// events after it by sequence (keyset, never the whole trail), the caller's write of them — written and flushed — and then the
/// cursor moved to the batch's last sequence. A write that fails, a crash or a stop before the commit leaves the cursor where it
/// was, so the next batch sends the same events again: a receiver may see the last batch twice, never a gap (it drops
/// duplicates on <c>seq</c>). TCP's flush is no receipt, so after a connection the collector closed or reset, the sender sends the
/// events of its last moments on that connection again (<c>resendAfter</c>): a collector that crashed with them unsaved gets them
/// again. Events commit in sequence order (each appends under the chain lock until its commit), so reading
/// after the cursor never passes an event still to come.
/// </summary>
public sealed class AuditOffloader(IDbContextFactory<ComplianceDbContext> contexts, TimeProvider clock)
{
    /// <summary>The off-load's advisory lock ("CHOFFL"), held by the sending instance for a batch's transaction.</summary>
    internal const long LockKey = 0x4348_4F46_464C;

    /// <summary>
    /// How far <paramref name="destination"/> has been sent, and the trail's head (one backward read of its primary key): the
    /// off-load's lag.
    /// </summary>
    public async Task<AuditOffloadPosition> PositionAsync(string destination, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var cursor = await db.AuditOffloadCursors.AsNoTracking().SingleOrDefaultAsync(c => c.Destination == destination, ct);
        var head = await db.AuditEvents.MaxAsync(e => (long?)e.Sequence, ct) ?? 0;
        var position = new AuditOffloadPosition(cursor?.LastSequence ?? 0, head, cursor?.SentAt);
        Common.Telemetry.OffloadPosition(destination, position.Behind);
        return position;
    }

    /// <summary>
    /// Sends the next batch of at most <paramref name="batchSize"/> events after <paramref name="destination"/>'s cursor through
    /// <paramref name="write"/>, which returns once they are written and flushed (and throws when they may not be); then moves the
    /// cursor. Not sent when another instance holds the off-load's lock (<see cref="AuditOffloadBatch.Busy"/>).
    /// With <paramref name="resendAfter"/> below the cursor, the batch starts there instead: events already sent on a connection the
    /// collector lost are sent again (it may have lost them with it), and the cursor moves only forward.
    /// </summary>
    public async Task<AuditOffloadBatch> SendNextAsync(string destination, int batchSize,
        Func<IReadOnlyList<AuditEvent>, CancellationToken, Task> write, CancellationToken ct, long? resendAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await AdvisoryLocks.TryTakeAsync(db, LockKey, ct))
        {
            return AuditOffloadBatch.Busy;
        }
        var cursor = await db.AuditOffloadCursors.SingleOrDefaultAsync(c => c.Destination == destination, ct);
        if (cursor is null)
        {
            db.AuditOffloadCursors.Add(cursor = new AuditOffloadCursor(destination));
        }
        var after = resendAfter is { } resend && resend < cursor.LastSequence ? Math.Max(0, resend) : cursor.LastSequence;
        var events = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Sequence > after)
            .OrderBy(e => e.Sequence)
            .Take(batchSize)
            .ToListAsync(ct);
        if (events.Count > 0)
        {
            await write(events, ct);
            if (events[^1].Sequence > cursor.LastSequence)
            {
                cursor.Advance(events[^1].Sequence, clock.GetUtcNow(), Environment.MachineName);
            }
        }
        // Not audited (AuditRecorder.NotAudited): the gate saves the cursor alone, without an event.
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new AuditOffloadBatch(Claimed: true, After: after, Through: cursor.LastSequence, Count: events.Count, Full: events.Count == batchSize,
            SentThrough: events.Count > 0 ? events[^1].Sequence : after);
    }
}

/// <summary>Where an off-load destination stands: its cursor, the trail's head, and how many events it is behind.</summary>
public sealed record AuditOffloadPosition(long Cursor, long Head, DateTimeOffset? SentAt)
{
    public long Behind => Math.Max(0, Head - Cursor);
}

/// <summary>
/// One batch of the off-load: sent when <paramref name="Claimed"/> (this instance held the lock), the events after
/// <paramref name="After"/> through <paramref name="SentThrough"/>, the cursor now at <paramref name="Through"/> (beyond what was sent
/// when the batch sent events again); <paramref name="Full"/> when more may follow at once.
/// </summary>
public sealed record AuditOffloadBatch(bool Claimed, long After, long Through, int Count, bool Full, long SentThrough)
{
    /// <summary>Another instance is sending.</summary>
    public static readonly AuditOffloadBatch Busy = new(false, 0, 0, 0, false, 0);
}
