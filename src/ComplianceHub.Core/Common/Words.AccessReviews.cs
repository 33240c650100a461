using ComplianceHub.Core.Domain.AccessReviews;

namespace ComplianceHub.Core.Common;

// Access reviews (ADR 0040): the words of their enums, stages and scope.
public static partial class Words
{
    public static string Of(AccessReviewDecision value) => value switch
    {
        AccessReviewDecision.Keep => "Keep",
        AccessReviewDecision.Revoke => "Revoke",
        AccessReviewDecision.Reduce => "Reduce to non-privileged",
        _ => Unknown(value),
    };

    public static string Of(AccessReviewItemStatus value) => value switch
    {
        AccessReviewItemStatus.Pending => "Waiting for review",
        AccessReviewItemStatus.Kept => "Kept",
        AccessReviewItemStatus.Revoked => "Revoked",
        AccessReviewItemStatus.Reduced => "Reduced to non-privileged",
        AccessReviewItemStatus.Ended => "Ended before review",
        _ => Unknown(value),
    };

    public static string Of(AccessReviewRecommendation value) => value switch
    {
        AccessReviewRecommendation.Keep => "Keep",
        AccessReviewRecommendation.Revoke => "Revoke",
        _ => Unknown(value),
    };

    public static string Of(DeadlineAction value) => value switch
    {
        DeadlineAction.Revoke => "Revoke what nobody decided",
        DeadlineAction.Escalate => "Escalate to the fallback officer, then revoke",
        DeadlineAction.Keep => "Keep what needs no comment, escalate the rest",
        _ => Unknown(value),
    };

    public static string Of(CommentRule value) => value switch
    {
        CommentRule.WhenSensitive => "For revokes, reductions and sensitive keeps",
        CommentRule.Always => "For every decision",
        _ => Unknown(value),
    };

    public static string Of(Recurrence value) => value switch
    {
        Recurrence.None => "Started by hand",
        Recurrence.Monthly => "Every month",
        Recurrence.Quarterly => "Every quarter",
        Recurrence.SemiAnnually => "Every six months",
        Recurrence.Annually => "Every year",
        _ => Unknown(value),
    };

    public static string Of(CampaignCloseReason value) => value switch
    {
        CampaignCloseReason.AllDecided => "Every item decided",
        CampaignCloseReason.Deadline => "Deadline reached",
        _ => Unknown(value),
    };

    public static string Of(CampaignStatus value) => value switch
    {
        CampaignStatus.Open => "Open",
        CampaignStatus.Closed => "Closed",
        _ => Unknown(value),
    };

    /// <summary>An item's stage in words: "Stage 1 of 2: vendor representative", or "Contracting officer" in a one-stage campaign.</summary>
    public static string ReviewStage(int stage, bool representativeStage) => (stage, representativeStage) switch
    {
        (1, _) => "Stage 1 of 2: vendor representative",
        (_, true) => "Stage 2 of 2: contracting officer",
        _ => "Contracting officer",
    };

    /// <summary>A campaign's scope in words, e.g. "Vendors: Acme; access: Privileged; only foreign nationals"; nothing set reads "Every current grant".</summary>
    public static string ReviewScope(AccessReviewScope scope, IReadOnlyDictionary<Guid, string> names)
    {
        string Named(IEnumerable<Guid> ids) => string.Join(", ", ids.Select(id => names.TryGetValue(id, out var n) ? n : "an entry no longer listed"));
        var parts = new List<string>();
        if (scope.VendorIds.Count > 0) { parts.Add($"vendors: {Named(scope.VendorIds)}"); }
        if (scope.ContractIds.Count > 0) { parts.Add($"contracts: {Named(scope.ContractIds)}"); }
        if (scope.SystemIds.Count > 0) { parts.Add($"systems: {Named(scope.SystemIds)}"); }
        if (scope.ImpactLevels.Count > 0) { parts.Add($"impact levels: {string.Join(", ", scope.ImpactLevels.Select(l => Of(l)))}"); }
        if (scope.AccessTypes.Count > 0) { parts.Add($"access: {string.Join(", ", scope.AccessTypes.Select(a => Of(a)))}"); }
        if (scope.OnlyForeignNationals) { parts.Add("only foreign nationals"); }
        if (scope.OnlyEscorted) { parts.Add("only escorted grants"); }
        if (scope.OnlyFailingRules) { parts.Add("only grants failing a rule"); }
        if (parts.Count == 0)
        {
            return "Every current grant";
        }
        var text = string.Join("; ", parts);
        return char.ToUpperInvariant(text[0]) + text[1..];
    }
}
