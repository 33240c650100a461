using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.AccessReviews;

namespace ComplianceHub.Core.Features.AccessReviews;

/// <summary>A definition as pages and the API show it (names resolved; words come from <c>Words</c>).</summary>
public sealed record AccessReviewDefinitionView(
    Guid Id,
    string Name,
    AccessReviewScope Scope,
    bool RepresentativeStage,
    Guid FallbackOfficerId,
    string FallbackOfficerName,
    int DurationDays,
    IReadOnlyList<int> ReminderDays,
    DeadlineAction DeadlineAction,
    int EscalationDays,
    CommentRule CommentRule,
    Recurrence Recurrence,
    DateOnly? NextStartOn,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RetiredAt,
    int Campaigns,
    uint Version);

/// <summary>A campaign: its settings as started, its progress and how it closed.</summary>
public sealed record AccessReviewCampaignView(
    Guid Id,
    Guid DefinitionId,
    string Name,
    CampaignStatus Status,
    DateTimeOffset StartedAt,
    string StartedByName,
    DateTimeOffset Deadline,
    DateTimeOffset? Escalated,
    DateTimeOffset? ClosedAt,
    CampaignCloseReason? CloseReason,
    int ItemCount,
    int PendingCount,
    AccessReviewScope Scope,
    bool RepresentativeStage,
    Guid FallbackOfficerId,
    IReadOnlyList<int> ReminderDays,
    DeadlineAction DeadlineAction,
    int EscalationDays,
    CommentRule CommentRule,
    string ItemsDigest)
{
    public int Decided => ItemCount - PendingCount;

    /// <summary>A dry run of a start: how many items it would freeze (the campaign was not written).</summary>
    public bool Preview { get; init; }
}

/// <summary>One item as the review grid, the queue and the exports show it.</summary>
public sealed record AccessReviewItemView(
    Guid Id,
    Guid CampaignId,
    Guid GrantId,
    Guid PersonId,
    string PersonName,
    string PersonEmail,
    Guid VendorId,
    string VendorName,
    Guid SystemId,
    string SystemName,
    ImpactLevel ImpactLevel,
    Guid? ContractId,
    string? ContractNumber,
    AccessType AccessType,
    bool Escorted,
    bool ForeignNational,
    int Stage,
    AccessReviewItemStatus Status,
    AccessReviewRecommendation Recommendation,
    string RecommendationReason,
    IReadOnlyList<string> ReviewerNames,
    AccessReviewDecision? StageOneDecision,
    string? StageOneByName,
    DateTimeOffset? StageOneAt,
    string? StageOneComment,
    AccessReviewDecision? Decision,
    string? DecidedByName,
    DateTimeOffset? DecidedAt,
    string? Comment,
    bool DecidedAtDeadline,
    bool Stale,
    string? StaleReason,
    bool FlaggedForNext,
    string? Note)
{
    /// <summary>Whether the reader may decide it now (computed for the reader; false for auditors).</summary>
    public bool CanDecide { get; init; }

    /// <summary>Whether keeping it needs a comment (a foreign national's or an escorted grant, or the campaign asks always).</summary>
    public bool KeepNeedsComment { get; init; }
}

/// <summary>One fact about the person under review, where it came from and how old it is.</summary>
public sealed record ReviewFact(string Label, string Value, string Source, DateTimeOffset? RecordedAt);

/// <summary>An open finding on the person or the grant.</summary>
public sealed record ReviewFinding(Guid Id, string RuleId, string Title, string Severity, DateTimeOffset DetectedAt, DateOnly DueOn);

/// <summary>The last escorted session on the system, if any.</summary>
public sealed record ReviewSession(Guid Id, DateTimeOffset StartedAt, string? EscortName, bool SignedOff);

/// <summary>Code contributions of the person (counts, and the most recent flagged ones).</summary>
public sealed record ReviewContributions(int Total, int Flagged, IReadOnlyList<string> RecentFlagged);

/// <summary>Everything a reviewer sees about one item (the review panel): the item, the facts, the findings, the rules failing today, the last escorted session, the contributions.</summary>
public sealed record AccessReviewItemDetail(
    AccessReviewItemView Item,
    string CampaignName,
    DateTimeOffset Deadline,
    IReadOnlyList<ReviewFact> Facts,
    IReadOnlyList<ReviewFinding> OpenFindings,
    IReadOnlyList<string> FailingRules,
    ReviewSession? LastEscortedSession,
    ReviewContributions Contributions,
    string? EscortName,
    string? DecisionSnapshot);

/// <summary>One campaign in a reviewer's queue: what waits for them, what they decided, and the campaign's deadline.</summary>
public sealed record ReviewerQueueEntry(Guid CampaignId, string CampaignName, DateTimeOffset Deadline, int PendingForMe, int DecidedByMe, int CampaignItems, int CampaignPending);

/// <summary>Counts of a campaign for its summary, charts and report: per vendor, system, decision and stage.</summary>
public sealed record AccessReviewCampaignSummary(
    AccessReviewCampaignView Campaign,
    IReadOnlyList<SummaryRow> ByVendor,
    IReadOnlyList<SummaryRow> BySystem,
    IReadOnlyList<ReviewerRow> ByReviewer);

/// <summary>Counts for one vendor or system: items, pending, kept, revoked, reduced, ended, stale.</summary>
public sealed record SummaryRow(Guid Id, string Name, int Items, int Pending, int Kept, int Revoked, int Reduced, int Ended, int Stale);

/// <summary>A reviewer's share of a campaign: pending items they may decide, and decisions they made.</summary>
public sealed record ReviewerRow(Guid AccountId, string Name, int Pending, int Decided);

/// <summary>Someone an item may be reassigned to.</summary>
public sealed record ReviewerOption(Guid AccountId, string Name, string Role);
