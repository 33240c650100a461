namespace ComplianceHub.Core.Domain.AccessReviews;

/// <summary>What a reviewer decides about an item: keep the grant, revoke it, or reduce privileged access to non-privileged
/// (a revoke plus a new request for the reduced access, which follows the usual approval rules).</summary>
public enum AccessReviewDecision { Keep, Revoke, Reduce }

/// <summary>Where an item stands. Pending until the final stage decides; Ended when the grant ended by another change first.</summary>
public enum AccessReviewItemStatus { Pending, Kept, Revoked, Reduced, Ended }

/// <summary>What the portal recommends for an item, from the facts when the campaign started (or the item reopened).</summary>
public enum AccessReviewRecommendation { Keep, Revoke }

/// <summary>What happens at the deadline to an item nobody decided.</summary>
public enum DeadlineAction
{
    /// <summary>The grant is revoked: access that nobody re-confirmed does not continue.</summary>
    Revoke,

    /// <summary>The item goes to the fallback officer, who has <see cref="AccessReviewDefinition.EscalationDays"/> more days;
    /// what is still undecided then is revoked.</summary>
    Escalate,

    /// <summary>The grant is kept, for items that need no comment; an item that needs one (a foreign national's or an escorted
    /// grant) is escalated instead.</summary>
    Keep,
}

/// <summary>When a decision needs a comment. Keeping a foreign national's or an escorted grant always needs one.</summary>
public enum CommentRule
{
    /// <summary>Only to keep a foreign national's or an escorted grant (and for every revoke or reduce: the reason).</summary>
    WhenSensitive,

    /// <summary>Every decision.</summary>
    Always,
}

/// <summary>How often a recurring definition starts a campaign.</summary>
public enum Recurrence { None, Monthly, Quarterly, SemiAnnually, Annually }

/// <summary>How a campaign ended.</summary>
public enum CampaignCloseReason { AllDecided, Deadline }

/// <summary>Where a campaign stands.</summary>
public enum CampaignStatus { Open, Closed }

/// <summary>
/// Which grants a definition reviews: every filter set narrows (an empty list means "any"). Only current grants (active or
/// suspended; pending requests are reviewed by approval) are taken when a campaign starts.
/// </summary>
public sealed record AccessReviewScope
{
    public IReadOnlyList<Guid> VendorIds { get; init; } = [];
    public IReadOnlyList<Guid> ContractIds { get; init; } = [];
    public IReadOnlyList<Guid> SystemIds { get; init; } = [];
    public IReadOnlyList<ImpactLevel> ImpactLevels { get; init; } = [];
    public IReadOnlyList<AccessType> AccessTypes { get; init; } = [];

    /// <summary>Only people who are not US persons (citizens or lawful permanent residents).</summary>
    public bool OnlyForeignNationals { get; init; }

    /// <summary>Only escorted grants.</summary>
    public bool OnlyEscorted { get; init; }

    /// <summary>Only grants with an open finding (failing a rule).</summary>
    public bool OnlyFailingRules { get; init; }

    public static AccessReviewScope Everything { get; } = new();
}

/// <summary>The dates of a recurring definition.</summary>
public static class RecurrenceDates
{
    /// <summary>The next start after <paramref name="from"/>.</summary>
    public static DateOnly? Next(Recurrence recurrence, DateOnly from) => recurrence switch
    {
        Recurrence.Monthly => from.AddMonths(1),
        Recurrence.Quarterly => from.AddMonths(3),
        Recurrence.SemiAnnually => from.AddMonths(6),
        Recurrence.Annually => from.AddYears(1),
        _ => null,
    };
}
