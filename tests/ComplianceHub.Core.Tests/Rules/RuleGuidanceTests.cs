using ComplianceHub.Core.Rules;

namespace ComplianceHub.Core.Tests.Rules;

/// <summary>Every rule of the catalogue tells a representative how to respond to its findings, and nothing else is described.</summary>
public sealed class RuleGuidanceTests
{
    [Fact]
    public void EveryRuleHasGuidance_AndEveryGuidanceIsARule()
    {
        Assert.Equal(RuleCatalogue.All.Select(r => r.Id).Order(StringComparer.Ordinal), RuleGuidance.RuleIds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void StatutoryRules_SayThatOnlyEndingTheAccessWillDo()
    {
        foreach (var rule in RuleCatalogue.All.Where(r => !r.Waivable && r.Id is "CIT-COVERED" or "LOC-COVERED"))
        {
            Assert.Contains("must end", RuleGuidance.For(rule.Id), StringComparison.Ordinal);
        }
        Assert.StartsWith("Correct the facts", RuleGuidance.For("NO-SUCH-RULE"), StringComparison.Ordinal);
    }
}
