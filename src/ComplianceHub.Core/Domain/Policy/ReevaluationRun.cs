namespace ComplianceHub.Core.Domain.Policy;

/// <summary>Why every current grant is being re-evaluated.</summary>
public enum ReevaluationReason { Activation, Schedule }

/// <summary>
/// Every current grant re-evaluated under one policy version, in batches after the change that started it (ADR 0029): a
/// policy activation, or the scheduler's run on a new day. The version is in force from the instant the run starts; the run
/// applies its consequences to existing grants (suspensions, revocations of leavers, findings) one batch — one gated
/// transaction — at a time, walking the grants in id order. Each batch moves <see cref="LastGrantId"/> in its own
/// transaction, so a run cut short by a crash resumes where its last committed batch ended, and the chain lock is never held
/// for longer than one batch. Its row is audited like any other: the start is part of the activation's change, and every
/// batch's event names the run and the version.
/// </summary>
public sealed class ReevaluationRun
{
    private ReevaluationRun() { }

    public ReevaluationRun(Guid id, Guid policyVersionId, int policyNumber, ReevaluationReason reason, Guid? startedBy, string startedByName,
        DateTimeOffset startedAt, int total)
    {
        Id = id;
        PolicyVersionId = policyVersionId;
        PolicyNumber = policyNumber;
        Reason = reason;
        StartedBy = startedBy;
        StartedByName = startedByName;
        StartedAt = startedAt;
        Total = total;
    }

    public Guid Id { get; private set; }
    public Guid PolicyVersionId { get; private set; }
    public int PolicyNumber { get; private set; }
    public ReevaluationReason Reason { get; private set; }
    public Guid? StartedBy { get; private set; }
    public string StartedByName { get; private set; } = "";
    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>The current grants when the run started (the progress bar's whole; grants added since are evaluated by their own change).</summary>
    public int Total { get; private set; }

    public int Processed { get; private set; }
    public int Batches { get; private set; }
    public int Suspended { get; private set; }
    public int Revoked { get; private set; }
    public int Reactivated { get; private set; }
    public int FindingsOpened { get; private set; }
    public int FindingsClosed { get; private set; }

    /// <summary>The last grant id the committed batches reached (grants are walked in id order); null before the first batch.</summary>
    public Guid? LastGrantId { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>Set when a later activation took over before this run finished: that run re-evaluates every grant under the newer version.</summary>
    public int? SupersededByVersion { get; private set; }

    /// <summary>Optimistic concurrency token (PostgreSQL xmin).</summary>
    public uint Version { get; private set; }

    public bool Finished => FinishedAt is not null;

    /// <summary>One committed batch: where it ended, what it did, and whether it was the last.</summary>
    public void Advance(Guid? lastGrantId, int processed, int suspended, int revoked, int reactivated, int findingsOpened, int findingsClosed,
        bool last, DateTimeOffset at)
    {
        if (Finished)
        {
            throw new InvalidOperationException("The re-evaluation has finished.");
        }
        LastGrantId = lastGrantId ?? LastGrantId;
        Processed += processed;
        Batches++;
        Suspended += suspended;
        Revoked += revoked;
        Reactivated += reactivated;
        FindingsOpened += findingsOpened;
        FindingsClosed += findingsClosed;
        if (last)
        {
            FinishedAt = at;
        }
    }

    /// <summary>A newer version was activated: this run stops; the newer version's run covers every grant.</summary>
    public void Supersede(int byVersion, DateTimeOffset at)
    {
        if (!Finished)
        {
            SupersededByVersion = byVersion;
            FinishedAt = at;
        }
    }
}
