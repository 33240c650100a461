namespace ComplianceHub.Core.Domain.AccessReviews;

/// <summary>
/// One grant under review in a campaign: who and what it is (copied at the start, so the list and its filters need no join),
/// the recommendation and its reason, the stage it is in and who may decide it there (<see cref="ReviewerIds"/>), the
/// representative's answer in stage one, and the final decision with the facts it was made on (<see cref="DecisionSnapshot"/>).
/// A later material change to a kept grant makes the decision stale and reopens the item while the campaign runs
/// (<see cref="MarkStale"/>), or flags it for the next campaign (ADR 0040).
/// </summary>
public sealed class AccessReviewItem
{
    private AccessReviewItem() { }

    public AccessReviewItem(Guid id, Guid campaignId, Guid grantId, Guid personId, Guid vendorId, Guid systemId, Guid? contractId,
        AccessType accessType, bool escorted, bool foreignNational, Guid grantRequestedBy,
        AccessReviewRecommendation recommendation, string recommendationReason, int stage, IEnumerable<Guid> reviewerIds, string? note)
    {
        Id = id;
        CampaignId = campaignId;
        GrantId = grantId;
        PersonId = personId;
        VendorId = vendorId;
        SystemId = systemId;
        ContractId = contractId;
        AccessType = accessType;
        Escorted = escorted;
        ForeignNational = foreignNational;
        GrantRequestedBy = grantRequestedBy;
        Recommendation = recommendation;
        RecommendationReason = recommendationReason;
        Stage = stage;
        ReviewerIds = reviewerIds.Distinct().Order().ToList();
        Note = note;
    }

    public Guid Id { get; private set; }
    public Guid CampaignId { get; private set; }
    public Guid GrantId { get; private set; }
    public Guid PersonId { get; private set; }
    public Guid VendorId { get; private set; }
    public Guid SystemId { get; private set; }

    /// <summary>The contract that covers the system for the person's vendor (the stage-two reviewers are its responsible officers); null when none does.</summary>
    public Guid? ContractId { get; private set; }

    public AccessType AccessType { get; private set; }
    public bool Escorted { get; private set; }

    /// <summary>The person is not a US person (citizen or lawful permanent resident) — keeping the grant needs a comment.</summary>
    public bool ForeignNational { get; private set; }

    /// <summary>Who requested the grant: they never decide its item (separation of duties).</summary>
    public Guid GrantRequestedBy { get; private set; }

    public AccessReviewRecommendation Recommendation { get; private set; }

    /// <summary>Why, in words: "Fails LOC-COVERED-COUNTRY (…)", "No escorted session in 90 days", "Nothing against it".</summary>
    public string RecommendationReason { get; private set; } = "";

    /// <summary>1: the vendor's representatives confirm; 2: the responsible officers decide.</summary>
    public int Stage { get; private set; }

    /// <summary>Who may decide the item in its current stage (any one of them). Never the grant's requester.</summary>
    public List<Guid> ReviewerIds { get; private set; } = [];

    public AccessReviewItemStatus Status { get; private set; }

    /// <summary>What the portal noted on the way: "No other representative of the vendor: straight to stage two", an escalation, a reassignment.</summary>
    public string? Note { get; private set; }

    public AccessReviewDecision? StageOneDecision { get; private set; }
    public Guid? StageOneBy { get; private set; }
    public DateTimeOffset? StageOneAt { get; private set; }
    public string? StageOneComment { get; private set; }

    public AccessReviewDecision? Decision { get; private set; }
    public Guid? DecidedBy { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? Comment { get; private set; }

    /// <summary>Whether the deadline's action decided it (no reviewer did).</summary>
    public bool DecidedAtDeadline { get; private set; }

    /// <summary>The facts the final decision was made on (JSON): person's citizenships and work location, system impact level, access, escort, open findings.</summary>
    public string? DecisionSnapshot { get; private set; }

    /// <summary>A material change after a keep: the decision no longer stands on the facts it was made on.</summary>
    public bool Stale { get; private set; }
    public string? StaleReason { get; private set; }
    public DateTimeOffset? StaleAt { get; private set; }

    /// <summary>Set when the staleness came after the campaign closed: the next campaign's item says so.</summary>
    public bool FlaggedForNext { get; private set; }

    /// <summary>The grant created when the decision was Reduce (the request for non-privileged access).</summary>
    public Guid? ReducedGrantId { get; private set; }

    /// <summary>Optimistic concurrency token (PostgreSQL xmin).</summary>
    public uint Version { get; private set; }

    public bool IsPending => Status == AccessReviewItemStatus.Pending;

    /// <summary>Stage one's answer: the item moves to stage two and its reviewers.</summary>
    public void ConfirmStageOne(AccessReviewDecision decision, Guid by, DateTimeOffset at, string? comment, IEnumerable<Guid> stageTwoReviewers, string? note)
    {
        Require(Stage == 1 && IsPending, "Only a pending stage-one item can be confirmed.");
        StageOneDecision = decision;
        StageOneBy = by;
        StageOneAt = at;
        StageOneComment = comment;
        Stage = 2;
        ReviewerIds = stageTwoReviewers.Distinct().Order().ToList();
        Note = note ?? Note;
    }

    /// <summary>The final decision, with the facts it was made on.</summary>
    public void Decide(AccessReviewDecision decision, Guid by, DateTimeOffset at, string? comment, string snapshot, bool atDeadline = false)
    {
        Require(IsPending, "The item is already decided.");
        Decision = decision;
        DecidedBy = by;
        DecidedAt = at;
        Comment = comment;
        DecisionSnapshot = snapshot;
        DecidedAtDeadline = atDeadline;
        Status = decision switch
        {
            AccessReviewDecision.Keep => AccessReviewItemStatus.Kept,
            AccessReviewDecision.Revoke => AccessReviewItemStatus.Revoked,
            _ => AccessReviewItemStatus.Reduced,
        };
        Stale = false;
        StaleReason = null;
        StaleAt = null;
    }

    public void Reduced(Guid newGrantId) => ReducedGrantId = newGrantId;

    /// <summary>The grant ended by another change before anyone decided: nothing is left to decide.</summary>
    public void GrantEnded(string why)
    {
        if (IsPending)
        {
            Status = AccessReviewItemStatus.Ended;
            Note = why;
        }
    }

    /// <summary>Another reviewer takes the item (a reassignment, or the deadline's escalation to the fallback officer).</summary>
    public void Reassign(IEnumerable<Guid> reviewerIds, string note)
    {
        Require(IsPending, "Only a pending item can be reassigned.");
        ReviewerIds = reviewerIds.Distinct().Order().ToList();
        Note = note;
    }

    /// <summary>
    /// The deadline's escalation: the undecided item goes to the officers of stage two named by <paramref name="reviewerIds"/>
    /// (the fallback officer), whatever stage it was in, with a note saying so.
    /// </summary>
    public void Escalate(IEnumerable<Guid> reviewerIds, string note)
    {
        Require(IsPending, "Only a pending item can be escalated.");
        Stage = 2;
        ReviewerIds = reviewerIds.Distinct().Order().ToList();
        Note = note;
    }

    /// <summary>
    /// A material change after a keep: in a running campaign the item is pending again in stage two (its reviewers
    /// <paramref name="stageTwoReviewers"/>), with a new recommendation; after the campaign closed it is flagged for the next one.
    /// </summary>
    public void MarkStale(string reason, DateTimeOffset at, bool campaignOpen, IEnumerable<Guid> stageTwoReviewers,
        AccessReviewRecommendation recommendation, string recommendationReason)
    {
        if (Status != AccessReviewItemStatus.Kept)
        {
            return;
        }
        Stale = true;
        StaleReason = reason;
        StaleAt = at;
        if (campaignOpen)
        {
            Status = AccessReviewItemStatus.Pending;
            Stage = 2;
            ReviewerIds = stageTwoReviewers.Distinct().Order().ToList();
            Recommendation = recommendation;
            RecommendationReason = recommendationReason;
            Decision = null;
            DecidedBy = null;
            DecidedAt = null;
            Comment = null;
            DecidedAtDeadline = false;
        }
        else
        {
            FlaggedForNext = true;
        }
    }

    /// <summary>Whether keeping this item needs a comment under <paramref name="rule"/>.</summary>
    public bool KeepNeedsComment(CommentRule rule) => rule == CommentRule.Always || ForeignNational || Escorted;

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
