using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain;

namespace ComplianceHub.Core.Rules.Catalogue;

/// <summary>
/// SCREENING-MATCH: the person's name matches a restricted-party list entry above the policy's threshold. A potential
/// match holds the person's grants until a contracting officer adjudicates it; a confirmed match keeps them held.
/// </summary>
public sealed class ScreeningMatch : RuleBase, IGrantRule
{
    /// <summary>The status reason of a grant held by this rule alone; the hold is released when the match is cleared.</summary>
    public const string HoldReason = "Held pending screening adjudication (SCREENING-MATCH)";

    public const string RuleId = "SCREENING-MATCH";

    public override string Id => RuleId;
    public override string Title => "Name matches a restricted-party list entry";
    public override IReadOnlyList<string> Citations { get; } =
    [
        "15 CFR 744 (Entity List) and 15 CFR 764.3",
        "31 CFR 501 (OFAC SDN)",
        "trade.gov Consolidated Screening List — a hit prompts due diligence",
    ];
    public override Severity DefaultSeverity => Severity.Suspend;

    public override string Guidance =>
        "The name matches a restricted-party list entry. The contracting officer adjudicates it on the Screening page; send them the identity documents that tell the person apart from the listed party.";

    /// <summary>Adjudication, not a waiver, is how a hit is resolved.</summary>
    public override bool Waivable => false;

    public RuleOutcome? Check(GrantSubject s, RuleContext c, Severity severity) => s.Person.ScreeningStatus switch
    {
        ScreeningStatus.PotentialMatch => Fail(s, severity, c,
            $"The person's name matches a restricted-party list entry ({s.Person.ScreeningMatch}); access is held until a contracting officer adjudicates the match.",
            ("screeningStatus", "PotentialMatch"), ("listedParty", s.Person.ScreeningMatch ?? "unknown")),
        ScreeningStatus.ConfirmedMatch => Fail(s, severity, c,
            $"A contracting officer confirmed that the person is a listed restricted party ({s.Person.ScreeningMatch}).",
            ("screeningStatus", "ConfirmedMatch"), ("listedParty", s.Person.ScreeningMatch ?? "unknown")),
        _ => null,
    };
}
