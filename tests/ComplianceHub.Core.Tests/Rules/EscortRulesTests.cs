using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Core.Tests.Rules;

public sealed class EscortRulesTests
{
    [Fact]
    public void EscortQualified_Passes_AVettedUsEngineer() => Assert.Empty(Given.Outcomes("ESCORT-QUALIFIED", Given.Escort()));

    public static TheoryData<string, PersonFacts, AccessType, ImpactLevel> UnqualifiedEscorts => new()
    {
        { "not a US citizen", Given.Person("GB", "GB", lpr: true, escort: EscortQualification.Engineer), AccessType.NonPrivileged, ImpactLevel.IL5 },
        { "works abroad", Given.Person(work: "CA", escort: EscortQualification.Engineer), AccessType.NonPrivileged, ImpactLevel.IL5 },
        { "T3 for privileged IL5", Given.Person(tier: InvestigationTier.T3, escort: EscortQualification.Engineer), AccessType.Privileged, ImpactLevel.IL5 },
        { "operator for privileged work", Given.Person(escort: EscortQualification.Operator), AccessType.Privileged, ImpactLevel.IL4 },
        { "no qualification", Given.Person(escort: EscortQualification.None), AccessType.NonPrivileged, ImpactLevel.IL2 },
        { "no SECRET on IL6", Given.Person(clearance: Clearance.Confidential, escort: EscortQualification.Engineer), AccessType.NonPrivileged, ImpactLevel.IL6 },
        { "terminated", Given.Person(escort: EscortQualification.Engineer, status: EmploymentStatus.Terminated), AccessType.NonPrivileged, ImpactLevel.IL5 },
    };

    [Theory]
    [MemberData(nameof(UnqualifiedEscorts))]
    public void EscortQualified_Blocks_UnqualifiedEscorts(string why, PersonFacts escort, AccessType access, ImpactLevel level)
    {
        var outcome = Assert.Single(Given.Outcomes("ESCORT-QUALIFIED", Given.Escort(escort, system: Given.System(level), access: access)));
        Assert.Equal(Severity.Block, outcome.Severity);
        Assert.False(string.IsNullOrEmpty(outcome.Message), why);
        Assert.Equal("escort-assignment", outcome.SubjectType);
    }

    [Fact]
    public void EscortQualified_Blocks_SupervisingOneself()
    {
        var id = Guid.NewGuid();
        var person = Given.Person(escort: EscortQualification.Engineer, id: id);
        var outcome = Assert.Single(Given.Outcomes("ESCORT-QUALIFIED", Given.Escort(person, person)));
        Assert.Contains("the escort is the supervised person", outcome.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, true)]
    public void EscortRatio_Blocks_MoreThanThePolicysNumberAtOnce(int concurrently, bool fails) =>
        Assert.Equal(fails, Given.Outcomes("ESCORT-RATIO", Given.Escort(concurrently: concurrently)).Count == 1);
}
