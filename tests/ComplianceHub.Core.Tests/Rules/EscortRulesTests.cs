using ComplianceHub.Core.Domain.Findings;
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

    [Fact]
    public void EscortRequired_Passes_ForUsPersons_AndCoveredForeignNationals()
    {
        Assert.Empty(Given.Outcomes("ESCORT-REQUIRED", Given.Subject()));
        Assert.Empty(Given.Outcomes("ESCORT-REQUIRED", Given.Subject(Given.Person("IN", "IN", lpr: true))));
        Assert.Empty(Given.Outcomes("ESCORT-REQUIRED",
            Given.Subject(Given.Person("GB", "GB"), Given.System(ImpactLevel.IL2), Given.Grant(escorted: true, days: 180), Given.Coverage(0, 180))));
    }

    public static TheoryData<string, bool, EscortCoverage[]> UncoveredForeignGrants => new()
    {
        { "direct grant", false, [Given.Coverage()] },
        { "no assignment", true, [] },
        { "assignment ends early", true, [Given.Coverage(0, 90)] },
        { "assignment starts late", true, [Given.Coverage(5, 200)] },
        { "assignment inactive", true, [Given.Coverage(active: false)] },
        { "assignment on another system", true, [Given.Coverage(systemId: Guid.NewGuid())] },
    };

    [Theory]
    [MemberData(nameof(UncoveredForeignGrants))]
    public void EscortRequired_Blocks_ForeignNationals_WithoutAnEscortCoveringTheWholeGrant(string why, bool escorted, EscortCoverage[] coverage)
    {
        var outcomes = Given.Outcomes("ESCORT-REQUIRED",
            Given.Subject(Given.Person("GB", "GB"), Given.System(ImpactLevel.IL2), Given.Grant(escorted: escorted, days: 180), coverage));
        Assert.True(outcomes.Count == 1, why);
        Assert.Equal("GB", outcomes[0].Facts["citizenships"]);
    }

    public static TheoryData<string, PersonFacts, string> DisqualifiedEscorts => new()
    {
        { "moved to China", Given.Person(escort: EscortQualification.Engineer, work: "CN"), "works in China (CN), outside the US and its outlying areas" },
        { "terminated", Given.Person(escort: EscortQualification.Engineer, status: EmploymentStatus.Terminated), "no longer employed" },
        { "lost US citizenship on the record", Given.Person("CA", "CA", lpr: true, escort: EscortQualification.Engineer), "not a US citizen" },
    };

    [Theory]
    [MemberData(nameof(DisqualifiedEscorts))]
    public void EscortRequired_Blocks_WhenTheAssignedEscortNoLongerQualifies(string why, PersonFacts escort, string reason)
    {
        var coverage = new EscortCoverage(Guid.NewGuid(), escort, Given.SystemId, Given.Today, Given.Today.AddDays(200), true);
        var outcomes = Given.Outcomes("ESCORT-REQUIRED",
            Given.Subject(Given.Person("GB", "GB"), Given.System(ImpactLevel.IL2), Given.Grant(escorted: true, days: 180), coverage));
        var outcome = Assert.Single(outcomes);
        Assert.True(outcome.Message.Contains(reason, StringComparison.Ordinal), $"{why}: {outcome.Message}");
        Assert.Contains("escort no longer qualifies", outcome.Facts["coveringAssignment"], StringComparison.Ordinal);
    }

    [Fact]
    public void EscortRequired_Passes_WhenAnotherAssignedEscortStillQualifies()
    {
        var gone = new EscortCoverage(Guid.NewGuid(), Given.Person(escort: EscortQualification.Engineer, work: "CN"), Given.SystemId,
            Given.Today, Given.Today.AddDays(200), true);
        Assert.Empty(Given.Outcomes("ESCORT-REQUIRED",
            Given.Subject(Given.Person("GB", "GB"), Given.System(ImpactLevel.IL2), Given.Grant(escorted: true, days: 180), gone, Given.Coverage())));
    }

    [Fact]
    public void EscortRequired_KeepsCovering_WhenOnlyTheEscortQualificationIsWithdrawn()
    {
        // The standing is what ESCORT-REQUIRED re-checks; the read models (Today) add the qualification and list the person.
        var withdrawn = new EscortCoverage(Guid.NewGuid(), Given.Person(escort: EscortQualification.None), Given.SystemId,
            Given.Today, Given.Today.AddDays(200), true);
        Assert.Empty(Given.Outcomes("ESCORT-REQUIRED",
            Given.Subject(Given.Person("GB", "GB"), Given.System(ImpactLevel.IL2), Given.Grant(escorted: true, days: 180), withdrawn)));
        Assert.Equal(["qualification"], EscortEligibility.Today(withdrawn.Escort, PolicyDefaults.Baseline2026.Set(PolicyParameters.UsAreas)).Select(p => p.Check));
    }

    [Fact]
    public void EscortQualified_NamesEveryProblem_InTheOrderAndWordsItAlwaysHas()
    {
        var id = Guid.NewGuid();
        var escort = Given.Person("DE", "DE", work: "DE", tier: InvestigationTier.T1, clearance: Clearance.None, escort: EscortQualification.Operator,
            status: EmploymentStatus.Terminated, id: id);
        var outcome = Assert.Single(Given.Outcomes("ESCORT-QUALIFIED", Given.Escort(escort, escort, Given.System(ImpactLevel.IL6), access: AccessType.Privileged)));
        Assert.Equal("The escort may not supervise this work: the escort is the supervised person; the escort is no longer employed; "
            + "the escort is not a US citizen (citizenships: Germany (DE)); the escort works in Germany (DE), outside the US and its outlying areas; "
            + "the escort has Tier 1, the system needs Tier 5; the escort has no clearance, IL6 needs a Secret clearance; "
            + "the escort is qualified as an operator only; privileged work needs an engineer.", outcome.Message);
    }
}
