using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Features.AccessReviews;

namespace ComplianceHub.Web.Tests.AccessReviews;

/// <summary>Items and details of access reviews as the read side returns them, for the components' tests.</summary>
internal static class ReviewSamples
{
    public static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    public static AccessReviewItemView Item(int stage = 2, AccessType access = AccessType.NonPrivileged, bool foreign = false, bool escorted = false,
        bool canDecide = true, bool keepNeedsComment = false, AccessReviewRecommendation recommendation = AccessReviewRecommendation.Keep,
        string reason = "Nothing against it", AccessReviewDecision? stageOne = null, bool stale = false) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "Dana Smith", "dana@acme.example", Guid.NewGuid(), "Acme Corp",
            Guid.NewGuid(), "Forge", ImpactLevel.IL5, Guid.NewGuid(), "HC1028-26-C-0042", access, escorted, foreign, stage,
            AccessReviewItemStatus.Pending, recommendation, reason, ["Olivia Officer"], stageOne, stageOne is null ? null : "Rita Rep",
            stageOne is null ? null : Now.AddDays(-1), stageOne is null ? null : "Still on the project", null, null, null, null, false, stale,
            stale ? "Work location changed to Germany" : null, false, null)
        {
            CanDecide = canDecide,
            KeepNeedsComment = keepNeedsComment,
        };

    public static AccessReviewItemDetail Detail(AccessReviewItemView item) =>
        new(item, "Quarterly review — 2026-12-07", Now.AddDays(30),
            [new ReviewFact("Work location", "United States", "Roster import", Now.AddDays(-12))],
            [new ReviewFinding(Guid.NewGuid(), "ATTEST-OVERDUE", "Attestation overdue", "High", Now.AddDays(-3), new DateOnly(2026, 12, 20))],
            ["ATTEST-OVERDUE"],
            new ReviewSession(Guid.NewGuid(), Now.AddDays(-40), "Eve Escort", true),
            new ReviewContributions(14, 1, ["acme/forge#12: touches the key store"]),
            item.Escorted ? "Eve Escort" : null, null);
}
