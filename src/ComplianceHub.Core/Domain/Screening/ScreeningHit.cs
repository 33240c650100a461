namespace ComplianceHub.Core.Domain.Screening;

/// <summary>Where a hit stands: awaiting adjudication, adjudicated either way, or replaced by a later screening.</summary>
public enum HitStatus { Pending, TrueMatch, FalsePositive, Superseded }

/// <summary>How a contracting officer adjudicates a hit.</summary>
public enum HitDecision { TrueMatch, FalsePositive }

/// <summary>
/// A person's name matching a restricted-party list entry above the policy's threshold: a prompt for due diligence, not
/// a verdict. It holds the person's grants until a contracting officer adjudicates it. A false-positive decision
/// stands — later list versions do not raise the same entry for the same name again — until the person's name changes.
/// </summary>
public sealed class ScreeningHit
{
    private ScreeningHit() { }

    public ScreeningHit(Guid id, Guid personId, Guid vendorId, Guid listId, int listVersion, Guid entryId, string entryKey,
        string screenedName, string matchedName, double score, DateTimeOffset detectedAt)
    {
        Id = id;
        PersonId = personId;
        VendorId = vendorId;
        ListId = listId;
        ListVersion = listVersion;
        EntryId = entryId;
        EntryKey = entryKey;
        ScreenedName = screenedName;
        MatchedName = matchedName;
        Score = score;
        DetectedAt = detectedAt;
        Status = HitStatus.Pending;
    }

    public Guid Id { get; private set; }
    public Guid PersonId { get; private set; }
    public Guid VendorId { get; private set; }
    public Guid ListId { get; private set; }
    public int ListVersion { get; private set; }
    public Guid EntryId { get; private set; }

    /// <summary>The listed party's stable key (source and entity number).</summary>
    public string EntryKey { get; private set; } = "";

    /// <summary>The person's name as screened, normalised: a decision applies to this name only.</summary>
    public string ScreenedName { get; private set; } = "";

    /// <summary>The listed name or alias that matched.</summary>
    public string MatchedName { get; private set; } = "";
    public double Score { get; private set; }
    public DateTimeOffset DetectedAt { get; private set; }
    public HitStatus Status { get; private set; }
    public Guid? AdjudicatedBy { get; private set; }
    public DateTimeOffset? AdjudicatedAt { get; private set; }
    public string? Notes { get; private set; }

    /// <summary>Optimistic concurrency token (PostgreSQL xmin).</summary>
    public uint Version { get; private set; }

    /// <summary>A contracting officer's decision, with the due-diligence notes behind it.</summary>
    public void Adjudicate(HitDecision decision, Guid by, DateTimeOffset at, string notes)
    {
        if (Status != HitStatus.Pending)
        {
            throw new InvalidOperationException($"Only a pending hit can be adjudicated; this one is {Status}.");
        }
        Status = decision == HitDecision.TrueMatch ? HitStatus.TrueMatch : HitStatus.FalsePositive;
        AdjudicatedBy = by;
        AdjudicatedAt = at;
        Notes = notes;
    }

    /// <summary>A later screening (a new list version, or the person's new name) replaced this pending hit.</summary>
    public void Supersede()
    {
        if (Status == HitStatus.Pending)
        {
            Status = HitStatus.Superseded;
        }
    }
}
