using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Core.Tests.Rules;

public sealed class VettingAndGrantRulesTests
{
    [Theory]
    [InlineData(AccessType.Privileged, InvestigationTier.T5, false)]
    [InlineData(AccessType.Privileged, InvestigationTier.T3, true)]
    [InlineData(AccessType.NonPrivileged, InvestigationTier.T3, false)]
    [InlineData(AccessType.NonPrivileged, InvestigationTier.T1, true)]
    [InlineData(AccessType.Data, InvestigationTier.None, true)]
    public void Il45Investigation_Blocks_WithoutT5ForPrivilegedOrT3Otherwise(AccessType access, InvestigationTier tier, bool fails)
    {
        var outcomes = Given.Outcomes("IL45-INVESTIGATION", Given.Subject(Given.Person(tier: tier), Given.System(ImpactLevel.IL4), Given.Grant(access)));
        Assert.Equal(fails, outcomes.Count == 1);
        Assert.All(outcomes, o => Assert.Equal(tier.ToString(), o.Facts["investigationTier"]));
    }

    [Theory]
    [InlineData(InvestigationTier.None, true)]
    [InlineData(InvestigationTier.T1, false)]
    public void Il2Investigation_Warns_WithoutT1(InvestigationTier tier, bool fails)
    {
        var outcomes = Given.Outcomes("IL2-INVESTIGATION", Given.Subject(Given.Person(tier: tier, clearance: Clearance.None), Given.System(ImpactLevel.IL2)));
        Assert.Equal(fails, outcomes.Count == 1);
        Assert.All(outcomes, o => Assert.Equal(Severity.Warn, o.Severity));
    }

    [Theory]
    [InlineData(ImpactLevel.IL4, false, true)]
    [InlineData(ImpactLevel.IL6, false, true)]
    [InlineData(ImpactLevel.IL5, true, false)]
    [InlineData(ImpactLevel.IL2, false, false)]
    public void Nda_Blocks_Il4AndAbove_WithoutAnNda(ImpactLevel level, bool nda, bool fails) =>
        Assert.Equal(fails, Given.Outcomes("NDA", Given.Subject(Given.Person(nda: nda), Given.System(level))).Count == 1);

    [Theory]
    [InlineData(AccessType.Privileged, 10, null)]
    [InlineData(AccessType.Privileged, 25, Severity.Warn)]     // due in 5 days: inside the 7-day warning
    [InlineData(AccessType.Privileged, 31, Severity.Suspend)]
    [InlineData(AccessType.NonPrivileged, 31, null)]
    [InlineData(AccessType.NonPrivileged, 175, Severity.Warn)]
    [InlineData(AccessType.NonPrivileged, 181, Severity.Suspend)]
    [InlineData(AccessType.Data, null, Severity.Suspend)]       // never attested
    public void AttestFresh_WarnsBefore_AndSuspendsWhenOverdue(AccessType access, int? attestedDaysAgo, Severity? expected)
    {
        var outcomes = Given.Outcomes("ATTEST-FRESH", Given.Subject(Given.Person(attestedDaysAgo: attestedDaysAgo), grant: Given.Grant(access)));
        Assert.Equal(expected, outcomes.SingleOrDefault()?.Severity);
    }

    [Theory]
    [InlineData(ImpactLevel.IL5, 6, false, Severity.Warn)]
    [InlineData(ImpactLevel.IL6, 6, false, Severity.Block)]
    [InlineData(ImpactLevel.IL5, 6, true, null)]     // continuous vetting
    [InlineData(ImpactLevel.IL5, 4, false, null)]
    public void VettingCurrent_Warns_OnOldAdjudications_AndBlocksOnIl6(ImpactLevel level, int yearsAgo, bool cv, Severity? expected) =>
        Assert.Equal(expected, Given.Outcomes("VETTING-CURRENT",
            Given.Subject(Given.Person(adjudicatedYearsAgo: yearsAgo, continuousVetting: cv), Given.System(level))).SingleOrDefault()?.Severity);

    [Theory]
    [InlineData(GrantStatus.Active, true)]
    [InlineData(GrantStatus.Suspended, true)]
    [InlineData(GrantStatus.PendingApproval, true)]
    [InlineData(GrantStatus.Revoked, false)]
    [InlineData(GrantStatus.Expired, false)]
    public void Termination_Fails_ForEveryGrantNotYetRevoked(GrantStatus status, bool fails) =>
        Assert.Equal(fails, Given.Outcomes("TERMINATION",
            Given.Subject(Given.Person(status: EmploymentStatus.Terminated), grant: Given.Grant(status: status))).Count == 1);

    [Theory]
    [InlineData(null, 180, false, "no justification")]
    [InlineData("  ", 180, false, "no justification")]
    [InlineData("Needed", 0, true, "no end date")]
    [InlineData("Needed", 366, false, "366 days")]
    [InlineData("Needed", -1, false, "ends before it starts")]
    public void GrantTerms_Blocks_IncompleteOrOverlongGrants(string? justification, int days, bool openEnded, string problem)
    {
        var outcome = Assert.Single(Given.Outcomes("GRANT-TERMS",
            Given.Subject(grant: Given.Grant(justification: justification, days: days, openEnded: openEnded))));
        Assert.Contains(problem, outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GrantTerms_Passes_AYearLongJustifiedGrant() =>
        Assert.Empty(Given.Outcomes("GRANT-TERMS", Given.Subject(grant: Given.Grant(days: 365))));
}
