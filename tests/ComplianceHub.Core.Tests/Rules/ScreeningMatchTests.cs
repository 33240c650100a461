using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Core.Tests.Rules;

public sealed class ScreeningMatchTests
{
    [Theory]
    [InlineData(ScreeningStatus.Clear, null)]
    [InlineData(ScreeningStatus.PotentialMatch, "PotentialMatch")]
    [InlineData(ScreeningStatus.ConfirmedMatch, "ConfirmedMatch")]
    public void ScreeningMatch_HoldsGrants_UntilTheHitIsCleared(ScreeningStatus status, string? fact)
    {
        var person = Given.Person() with { ScreeningStatus = status, ScreeningMatch = status == ScreeningStatus.Clear ? null : "SDN:36541 \"PETROV, Ivan\" (score 0.97, list v2)" };

        var outcomes = Given.Outcomes("SCREENING-MATCH", Given.Subject(person, Given.System(ImpactLevel.IL2)));

        if (fact is null)
        {
            Assert.Empty(outcomes);
            return;
        }
        var outcome = Assert.Single(outcomes);
        Assert.Equal(Severity.Suspend, outcome.Severity);
        Assert.Equal(fact, outcome.Facts["screeningStatus"]);
        Assert.StartsWith("SDN:36541", outcome.Facts["listedParty"], StringComparison.Ordinal);
    }

    [Fact]
    public void ScreeningMatch_CannotBeWaived_OnlyAdjudicated() =>
        Assert.False(RuleCatalogue.Find("SCREENING-MATCH")!.Waivable);
}
