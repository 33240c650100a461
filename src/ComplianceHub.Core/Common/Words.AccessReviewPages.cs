using ComplianceHub.Core.Domain.AccessReviews;

namespace ComplianceHub.Core.Common;

// Access reviews' pages (issue 23): the representatives' stage-one wording and the explanations the definition form shows.
public static partial class Words
{
    /// <summary>A stage-one answer as a representative gives it (and officers read it).</summary>
    public static string StageOneAnswer(AccessReviewDecision value) => value switch
    {
        AccessReviewDecision.Keep => "Still needed",
        AccessReviewDecision.Revoke => "No longer needed",
        AccessReviewDecision.Reduce => "Needed, but not privileged",
        _ => Unknown(value),
    };

    /// <summary>What a deadline action does, in a sentence (the definition form explains each choice).</summary>
    public static string Explain(DeadlineAction value) => value switch
    {
        DeadlineAction.Revoke => "Every item nobody decided is revoked at the deadline: access that nobody re-confirmed does not continue.",
        DeadlineAction.Escalate => "Items nobody decided go to the fallback officer, who has the escalation days more; what is still undecided then is revoked.",
        DeadlineAction.Keep => "Items nobody decided are kept if they need no comment; a foreign national's or an escorted grant is escalated instead.",
        _ => Unknown(value),
    };

    /// <summary>What a comment rule asks, in a sentence.</summary>
    public static string Explain(CommentRule value) => value switch
    {
        CommentRule.WhenSensitive => "A comment is needed to keep a foreign national's or an escorted grant, and to revoke or reduce any grant (the reason).",
        CommentRule.Always => "Every decision needs a comment.",
        _ => Unknown(value),
    };
}
