using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.AccessReviews;

namespace ComplianceHub.Core.Common;

/// <summary>Access reviews in words (issue 23): decisions, statuses, stages, deadline actions, comment rules, recurrences, scopes.</summary>
public static partial class Words
{
    /// <summary>A final decision as an officer reads it.</summary>
    public static string Of(AccessReviewDecision value) => value switch
    {
        AccessReviewDecision.Keep => "Keep",
        AccessReviewDecision.Revoke => "Revoke",
        AccessReviewDecision.Reduce => "Reduce to non-privileged",
        _ => Unknown(value),
    };

    /// <summary>A stage-one answer as a representative gives it (and officers read it).</summary>
    public static string StageOneAnswer(AccessReviewDecision value) => value switch
    {
        AccessReviewDecision.Keep => "Still needed",
        AccessReviewDecision.Revoke => "No longer needed",
        AccessReviewDecision.Reduce => "Needed, but not privileged",
        _ => Unknown(value),
    };

    public static string Of(AccessReviewItemStatus value) => value switch
    {
        AccessReviewItemStatus.Pending => "Waiting for a decision",
        AccessReviewItemStatus.Kept => "Kept",
        AccessReviewItemStatus.Revoked => "Revoked",
        AccessReviewItemStatus.Reduced => "Reduced",
        AccessReviewItemStatus.Ended => "Ended before the review",
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
        DeadlineAction.Revoke => "Revoke",
        DeadlineAction.Escalate => "Escalate to the fallback officer",
        DeadlineAction.Keep => "Keep",
        _ => Unknown(value),
    };

    /// <summary>What a deadline action does, in a sentence (the definition form explains each choice).</summary>
    public static string Explain(DeadlineAction value) => value switch
    {
        DeadlineAction.Revoke => "Every item nobody decided is revoked at the deadline: access that nobody re-confirmed does not continue.",
        DeadlineAction.Escalate => "Items nobody decided go to the fallback officer, who has the escalation days more; what is still undecided then is revoked.",
        DeadlineAction.Keep => "Items nobody decided are kept, if they need no comment; a foreign national's or an escorted grant is escalated instead.",
        _ => Unknown(value),
    };

    public static string Of(CommentRule value) => value switch
    {
        CommentRule.WhenSensitive => "Only for sensitive keeps and every revoke",
        CommentRule.Always => "Every decision",
        _ => Unknown(value),
    };

    /// <summary>What a comment rule asks, in a sentence.</summary>
    public static string Explain(CommentRule value) => value switch
    {
        CommentRule.WhenSensitive => "A comment is needed to keep a foreign national's or an escorted grant, and to revoke or reduce any grant (the reason).",
        CommentRule.Always => "Every decision needs a comment.",
        _ => Unknown(value),
    };

    public static string Of(Recurrence value) => value switch
    {
        Recurrence.None => "Started by hand only",
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

    /// <summary>An item's stage: who answers it there.</summary>
    public static string ReviewStage(int stage) => stage switch
    {
        1 => "Representative confirms",
        2 => "Officer decides",
        _ => $"Stage {stage}",
    };

    /// <summary>
    /// A scope in one sentence: "Privileged grants of Acme Corp on 2 systems, foreign nationals only"; names come from the
    /// caller (vendors, contracts and systems by id). Unknown ids are counted.
    /// </summary>
    public static string Scope(AccessReviewScope scope, IReadOnlyDictionary<Guid, string>? names = null)
    {
        string Named(IReadOnlyList<Guid> ids, string one, string many)
        {
            var known = ids.Select(id => names is not null && names.TryGetValue(id, out var n) ? n : null).ToList();
            return known.All(n => n is not null) && ids.Count <= 3
                ? string.Join(", ", known)
                : ids.Count == 1 ? $"1 {one}" : $"{ids.Count} {many}";
        }

        var access = scope.AccessTypes.Count == 0 ? "All grants" : $"{string.Join(" and ", scope.AccessTypes.Select(a => Of(a)))} grants";
        var parts = new List<string> { access };
        if (scope.VendorIds.Count > 0)
        {
            parts.Add($"of {Named(scope.VendorIds, "vendor", "vendors")}");
        }
        if (scope.ContractIds.Count > 0)
        {
            parts.Add($"under {Named(scope.ContractIds, "contract", "contracts")}");
        }
        if (scope.SystemIds.Count > 0)
        {
            parts.Add($"on {Named(scope.SystemIds, "system", "systems")}");
        }
        if (scope.ImpactLevels.Count > 0)
        {
            parts.Add($"at {string.Join(" or ", scope.ImpactLevels.Select(l => Of(l)))}");
        }
        var only = new List<string>();
        if (scope.OnlyForeignNationals)
        {
            only.Add("foreign nationals only");
        }
        if (scope.OnlyEscorted)
        {
            only.Add("escorted grants only");
        }
        if (scope.OnlyFailingRules)
        {
            only.Add("grants failing a rule only");
        }
        var text = string.Join(" ", parts);
        return only.Count == 0 ? text : $"{text}, {string.Join(", ", only)}";
    }
}
