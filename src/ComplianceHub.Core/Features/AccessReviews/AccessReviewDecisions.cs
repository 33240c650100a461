using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.AccessReviews;

namespace ComplianceHub.Core.Features.AccessReviews;

/// <summary>What applying final decisions did.</summary>
public sealed record DecisionCounts(int Decided, int GrantsRevoked, int GrantsRequested);

/// <summary>
/// Final (stage-two) decisions on tracked pending items, in one place for a reviewer's decision and the deadline's action:
/// the grants revoked (Revoke, Reduce) or a new non-privileged request made (Reduce) as tracked changes the gate evaluates and
/// audits, each item decided with the facts it was made on (its decision snapshot), the campaign's pending count moved.
/// The caller saves.
/// </summary>
internal static class AccessReviewDecisions
{
    public static Task<DecisionCounts> ApplyFinalAsync(CommandContext context, AccessReviewCampaign campaign, IReadOnlyList<AccessReviewItem> items,
        AccessReviewDecision decision, string? comment, bool atDeadline, CancellationToken ct) =>
        throw new NotImplementedException("Issue 23: the decision engine.");
}
