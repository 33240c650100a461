using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Auditing;

/// <summary>
/// Walks the whole audit chain in sequence order, streaming (bounded memory, <see cref="ChainStream"/>), and reports the first
/// event whose hash does not match its content, whose link does not match its predecessor, or whose number leaves a gap — and,
/// against every signed checkpoint (<see cref="ChainWalk"/>), the first range a rewrite that recomputed every hash forged, a tail
/// removed, a checkpoint signed by a key the installation does not trust or removed from the table but kept in the append-only
/// file (<see cref="CheckpointLog"/>). Checkpoints are verified with the installation's own keys (<see cref="AuditKeyRing"/>),
/// never with one read from the database.
/// </summary>
public sealed class AuditChainVerifier(IDbContextFactory<ComplianceDbContext> contexts, AuditKeyRing keys, CheckpointLog log)
{
    /// <summary>How often (in events) a running verification reports its progress.</summary>
    public const int ProgressInterval = 5000;

    /// <summary>Events per batch handed from the reader to the hashing.</summary>
    internal const int BatchSize = ChainStream.BatchSize;

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
        // The checkpoints first, then the events: every checkpoint read vouches for an event the events' snapshot holds.
        var checkpoints = await ChainCheckpointSigner.ReadCheckpointsAsync(db, keys, log, ct);
        var head = progress is null ? 0 : await db.AuditEvents.AsNoTracking().MaxAsync(e => (long?)e.Sequence, ct) ?? 0;
        progress?.Report(new ChainProgress(0, head));

        var walk = new ChainWalk(checkpoints);
        await foreach (var batch in ChainStream.ReadAsync(db, 0, null, ct))
        {
            foreach (var e in batch)
            {
                if (!walk.Add(e))
                {
                    return walk.Finish();
                }
                if (e.Sequence % ProgressInterval == 0)
                {
                    progress?.Report(new ChainProgress(e.Sequence, Math.Max(head, e.Sequence)));
                }
            }
        }
        progress?.Report(new ChainProgress(walk.LastSequence, Math.Max(head, walk.LastSequence)));
        var result = walk.Finish();
        if (!result.Valid)
        {
            return result;
        }
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
        return disagreeing is { } at
            ? result with
            {
                Valid = false,
                FirstBrokenSequence = at,
                Problem = $"Event {at}: the people it records and the index of its subjects disagree (a row of audit_event_subjects was removed or added).",
            }
            : result;
    }
}
