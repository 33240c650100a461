using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Core.Tests.Rules;

public sealed class NationalityAndLocationRulesTests
{
    [Theory]
    [InlineData("CN", true)]
    [InlineData("HK", true)]
    [InlineData("MO", true)]
    [InlineData("RU", true)]
    [InlineData("IR", true)]
    [InlineData("KP", true)]
    [InlineData("US", false)]
    [InlineData("CU", false)]
    [InlineData("TW", false)]
    public void LocCovered_Blocks_WhenTheWorkLocationIsCovered_WhateverTheLevelOrEscort(string work, bool fails)
    {
        foreach (var level in Enum.GetValues<ImpactLevel>())
        {
            var outcomes = Given.Outcomes("LOC-COVERED",
                Given.Subject(Given.Person(work: work), Given.System(level), Given.Grant(escorted: true), Given.Coverage()));
            Assert.Equal(fails, outcomes.Count == 1);
            if (fails)
            {
                Assert.Equal(Severity.Block, outcomes[0].Severity);
                Assert.Equal(work, outcomes[0].Facts["workCountry"]);
                Assert.Contains("Sec. 1692", outcomes[0].Citation, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void LocCovered_Blocks_AnEscortRoleInACoveredNation()
    {
        var escortInChina = Given.Escort(escort: Given.Person(work: "CN", escort: EscortQualification.Engineer));
        Assert.Single(Given.Outcomes("LOC-COVERED", escortInChina));
        var supervisedInRussia = Given.Escort(supervised: Given.Person("IN", "IN", work: "RU"));
        Assert.Single(Given.Outcomes("LOC-COVERED", supervisedInRussia));
        Assert.Empty(Given.Outcomes("LOC-COVERED", Given.Escort()));
    }

    [Theory]
    [InlineData("US,CN", "US", true)]   // dual national
    [InlineData("US", "CN", true)]      // born in China
    [InlineData("US", "HK", true)]
    [InlineData("CA,RU", "CA", true)]
    [InlineData("US", "US", false)]
    [InlineData("US,TW", "TW", false)]
    [InlineData("CU", "CU", false)]
    public void CitCovered_Blocks_WhenAnyCitizenshipOrTheCountryOfBirthIsCovered(string citizenships, string birth, bool fails)
    {
        var outcomes = Given.Outcomes("CIT-COVERED", Given.Subject(Given.Person(citizenships, birth)));
        Assert.Equal(fails, outcomes.Count == 1);
        if (fails)
        {
            Assert.Equal(string.Join(", ", citizenships.Split(',').Order(StringComparer.Ordinal)), outcomes[0].Facts["citizenships"]);
            Assert.Equal(birth, outcomes[0].Facts["countryOfBirth"]);
        }
    }

    [Theory]
    [InlineData("CU", true)]
    [InlineData("VE", true)]
    [InlineData("CN", false)] // LOC-COVERED's, not this rule's
    [InlineData("BY", false)]
    [InlineData("US", false)]
    public void LocAdversary_Blocks_WhenTheWorkLocationIsAnAdversaryThatIsNotCovered(string work, bool fails) =>
        Assert.Equal(fails, Given.Outcomes("LOC-ADVERSARY", Given.Subject(Given.Person(work: work), Given.System(ImpactLevel.IL2))).Count == 1);

    [Theory]
    [InlineData("CU", true)]
    [InlineData("VE", true)]
    [InlineData("BY", true)]
    [InlineData("MM", true)]
    [InlineData("SY", true)]
    [InlineData("CN", false)]
    [InlineData("GB", false)]
    public void CitConcern_Warns_ForAdversaryOrConcernCitizenships(string citizenship, bool fails)
    {
        var outcomes = Given.Outcomes("CIT-CONCERN", Given.Subject(Given.Person($"US,{citizenship}")));
        Assert.Equal(fails, outcomes.Count == 1);
        Assert.All(outcomes, o => Assert.Equal(Severity.Warn, o.Severity));
    }

    [Theory]
    [InlineData(ImpactLevel.IL4, "IN", false, true)]
    [InlineData(ImpactLevel.IL5, "IN", false, true)]
    [InlineData(ImpactLevel.IL5, "IN", true, false)]   // lawful permanent resident
    [InlineData(ImpactLevel.IL5, "US", false, false)]
    [InlineData(ImpactLevel.IL2, "IN", false, false)]
    [InlineData(ImpactLevel.IL6, "IN", false, false)]  // IL6-CITIZEN's
    public void Il45UsPerson_Blocks_NonUsPersons_EvenEscorted(ImpactLevel level, string citizenship, bool lpr, bool fails) =>
        Assert.Equal(fails, Given.Outcomes("IL45-US-PERSON",
            Given.Subject(Given.Person(citizenship, citizenship, lpr), Given.System(level), Given.Grant(escorted: true), Given.Coverage())).Count == 1);

    [Theory]
    [InlineData("US", InvestigationTier.T5, Clearance.Secret, false)]
    [InlineData("US", InvestigationTier.T5, Clearance.TopSecret, false)]
    [InlineData("IN", InvestigationTier.T5, Clearance.Secret, true)]
    [InlineData("US", InvestigationTier.T3, Clearance.Secret, true)]
    [InlineData("US", InvestigationTier.T5, Clearance.Confidential, true)]
    public void Il6Citizen_Blocks_WithoutCitizenshipT5AndSecret(string citizenship, InvestigationTier tier, Clearance clearance, bool fails) =>
        Assert.Equal(fails, Given.Outcomes("IL6-CITIZEN",
            Given.Subject(Given.Person(citizenship, citizenship, lpr: citizenship != "US", tier: tier, clearance: clearance), Given.System(ImpactLevel.IL6))).Count == 1);

    [Theory]
    [InlineData(ImpactLevel.IL4, "DE", true)]
    [InlineData(ImpactLevel.IL6, "GB", true)]
    [InlineData(ImpactLevel.IL5, "PR", false)]
    [InlineData(ImpactLevel.IL5, "GU", false)]
    [InlineData(ImpactLevel.IL2, "DE", false)]
    public void LocUsAreas_Blocks_Il4AndAbove_OutsideTheUsAreas(ImpactLevel level, string work, bool fails) =>
        Assert.Equal(fails, Given.Outcomes("LOC-US-AREAS", Given.Subject(Given.Person(work: work), Given.System(level))).Count == 1);
}
