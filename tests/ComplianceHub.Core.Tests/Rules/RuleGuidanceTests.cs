using ComplianceHub.Core.Rules;

namespace ComplianceHub.Core.Tests.Rules;

/// <summary>Every rule of the catalogue tells a representative how to respond to its findings (its own <see cref="IRule.Guidance"/>).</summary>
public sealed class RuleGuidanceTests
{
    [Fact]
    public void EveryRuleHasGuidance_AndEveryGuidanceIsARule()
    {
        Assert.All(RuleCatalogue.All, r => Assert.False(string.IsNullOrWhiteSpace(r.Guidance), $"{r.Id} has no guidance"));
        Assert.All(RuleCatalogue.All, r => Assert.Equal(r.Guidance, RuleCatalogue.GuidanceFor(r.Id)));
        Assert.Equal(RuleCatalogue.All.Count, RuleCatalogue.All.Select(r => r.Guidance).Distinct().Count());
    }

    [Fact]
    public void StatutoryRules_SayThatOnlyEndingTheAccessWillDo()
    {
        foreach (var rule in RuleCatalogue.All.Where(r => !r.Waivable && r.Id is "CIT-COVERED" or "LOC-COVERED"))
        {
            Assert.Contains("must end", RuleCatalogue.GuidanceFor(rule.Id), StringComparison.Ordinal);
        }
        Assert.StartsWith("Correct the facts", RuleCatalogue.GuidanceFor("NO-SUCH-RULE"), StringComparison.Ordinal);
    }

    [Fact]
    public void CitCovered_DoesNotClaimStatute_ForItsReachBeyondLocation()
    {
        var rule = RuleCatalogue.Find("CIT-COVERED")!;
        Assert.True(rule.Waivable);
        Assert.DoesNotContain("Statute bars", rule.Guidance, StringComparison.Ordinal);
        Assert.Contains("policy choice beyond the statute", rule.Citation, StringComparison.Ordinal);
    }
}
