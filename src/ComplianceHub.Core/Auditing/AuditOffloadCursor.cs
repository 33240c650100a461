namespace ComplianceHub.Core.Auditing;

/// <summary>
/// How far the audit trail has been off-loaded to one destination (ADR 0039): the last sequence written to it and flushed.
/// Operational bookkeeping, not compliance data, like <see cref="Common.ScheduledRun"/>: not audited (an event recording each
/// advance would itself have to be off-loaded), and the destination's copy is checked against the trail by sequence and hash.
/// </summary>
public sealed class AuditOffloadCursor
{
    private AuditOffloadCursor() { }

    public AuditOffloadCursor(string destination) => Destination = destination;

    /// <summary>The destination's configured name (<c>AuditOffload:Syslog:Destination</c>).</summary>
    public string Destination { get; private set; } = "";

    /// <summary>The last sequence written to the destination and flushed; the next batch starts after it. 0 before the first.</summary>
    public long LastSequence { get; private set; }

    /// <summary>When the cursor last moved, and which instance moved it.</summary>
    public DateTimeOffset? SentAt { get; private set; }

    public string? LastInstance { get; private set; }

    /// <summary>Records a batch written and flushed through <paramref name="sequence"/>.</summary>
    public void Advance(long sequence, DateTimeOffset at, string instance)
    {
        if (sequence < LastSequence)
        {
            throw new InvalidOperationException($"The off-load cursor of {Destination} does not move back ({LastSequence} to {sequence}).");
        }
        LastSequence = sequence;
        SentAt = at;
        LastInstance = instance;
    }
}
