using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain;

namespace ComplianceHub.Core.Rules.Catalogue;

/// <summary>IL45-INVESTIGATION: IL4/IL5 privileged access needs T5; any other access needs T3 or higher.</summary>
public sealed class Il45Investigation : RuleBase, IGrantRule
{
    public override string Id => "IL45-INVESTIGATION";
    public override string Title => "IL4/IL5 access without the required investigation";
    public override IReadOnlyList<string> Citations { get; } = ["DISA CC SRG IL4/IL5 table (ADP-1/IT-1 → T5, ADP-2/IT-2 → T3)"];
    public override Severity DefaultSeverity => Severity.Block;

    public override string Guidance =>
        "Record the investigation the impact level requires (T3 for non-privileged, T5 for privileged access) and its adjudication date on the person's record, or request a lower-level access.";

    public RuleOutcome? Check(GrantSubject s, RuleContext c, Severity severity)
    {
        if (s.System.ImpactLevel is not (ImpactLevel.IL4 or ImpactLevel.IL5))
        {
            return null;
        }
        var required = s.Grant.AccessType == AccessType.Privileged ? InvestigationTier.T5 : InvestigationTier.T3;
        return s.Person.InvestigationTier >= required
            ? null
            : Fail(s, severity, c, $"{Words.Of(s.Grant.AccessType)} access to {s.System.Name} ({Words.Of(s.System.ImpactLevel)}) needs a {Words.Of(required)} investigation or higher; the person has {Words.Investigation(s.Person.InvestigationTier)}.",
                ("impactLevel", s.System.ImpactLevel.ToString()), ("accessType", s.Grant.AccessType.ToString()),
                ("investigationTier", s.Person.InvestigationTier.ToString()), ("required", required.ToString()));
    }
}

/// <summary>IL2-INVESTIGATION: IL2 access needs a T1 investigation or higher.</summary>
public sealed class Il2Investigation : RuleBase, IGrantRule
{
    public override string Id => "IL2-INVESTIGATION";
    public override string Title => "IL2 access without a T1 investigation";
    public override IReadOnlyList<string> Citations { get; } = ["DISA CC SRG IL2 personnel requirement (T1)"];
    public override Severity DefaultSeverity => Severity.Warn;

    public override string Guidance =>
        "Record the person's favourably adjudicated T1 (or higher) investigation on their record; until then the grant stays refused or suspended.";

    public RuleOutcome? Check(GrantSubject s, RuleContext c, Severity severity) =>
        s.System.ImpactLevel == ImpactLevel.IL2 && s.Person.InvestigationTier == InvestigationTier.None
            ? Fail(s, severity, c, $"Access to {s.System.Name} ({Words.Of(ImpactLevel.IL2)}) needs a {Words.Of(InvestigationTier.T1)} investigation or higher; the person has none.",
                ("impactLevel", "IL2"), ("investigationTier", "None"))
            : null;
}

/// <summary>NDA: IL4 and above need a non-disclosure agreement on record.</summary>
public sealed class Nda : RuleBase, IGrantRule
{
    public override string Id => "NDA";
    public override string Title => "IL4+ access without a non-disclosure agreement";
    public override IReadOnlyList<string> Citations { get; } = ["DISA CC SRG IL4/IL5/IL6 personnel requirement (NDA)", "32 CFR 117.10"];
    public override Severity DefaultSeverity => Severity.Block;

    public override string Guidance =>
        "Record the date the person signed the non-disclosure agreement on their record (Edit on the person's page).";

    public RuleOutcome? Check(GrantSubject s, RuleContext c, Severity severity) =>
        s.System.IsIl4OrAbove && s.Person.NdaSignedOn is null
            ? Fail(s, severity, c, $"{s.System.Name} is {Words.Of(s.System.ImpactLevel)} and no signed non-disclosure agreement is on record for the person.",
                ("impactLevel", s.System.ImpactLevel.ToString()), ("ndaSignedOn", "none"))
            : null;
}

/// <summary>VETTING-CURRENT: an adjudication older than the policy's limit, with no continuous vetting (IL6: always blocks).</summary>
public sealed class VettingCurrent : RuleBase, IGrantRule
{
    public override string Id => "VETTING-CURRENT";
    public override string Title => "Investigation not current and no continuous vetting";
    public override IReadOnlyList<string> Citations { get; } =
    [
        "FedRAMP/DoD PS-3(b) reinvestigation intervals",
        "Trusted Workforce 2.0 continuous vetting (DCSA)",
    ];
    public override Severity DefaultSeverity => Severity.Warn;

    public override string Guidance =>
        "Record a current investigation (adjudicated within the policy's period) or the person's enrolment in continuous vetting on their record.";

    public RuleOutcome? Check(GrantSubject s, RuleContext c, Severity severity)
    {
        if (s.Person.InvestigationTier == InvestigationTier.None || s.Person.AdjudicatedOn is not { } adjudicated || s.Person.ContinuousVetting)
        {
            return null;
        }
        var limit = adjudicated.AddYears(c.Policy.VettingMaxAgeYears);
        if (c.Today <= limit)
        {
            return null;
        }
        var inForce = s.System.ImpactLevel == ImpactLevel.IL6 ? Severity.Block : severity;
        return Fail(s, inForce, c,
            $"The person's {Words.Of(s.Person.InvestigationTier)} investigation, adjudicated on {adjudicated:yyyy-MM-dd}, is older than {c.Policy.VettingMaxAgeYears} years and the person is not enrolled in continuous vetting.",
            ("adjudicatedOn", adjudicated.ToString("yyyy-MM-dd")), ("continuousVetting", "no"), ("maxAgeYears", c.Policy.VettingMaxAgeYears.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
