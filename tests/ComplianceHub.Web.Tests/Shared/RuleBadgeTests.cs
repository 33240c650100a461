using Bunit;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Rules;
using ComplianceHub.Web.Components.Shared;

namespace ComplianceHub.Web.Tests.Shared;

/// <summary>A failing rule as a badge: its id coloured by severity, the message and facts for screen readers and the tooltip.</summary>
public sealed class RuleBadgeTests : MudComponentTest
{
    [Fact]
    public void ABlockingRule_ShowsItsId_InTheErrorColour_WithTheMessageForScreenReaders()
    {
        var outcome = RulePreviewTests.Rule("CIT-COVERED", Severity.Block, "A citizenship is a covered nation.", ("citizenships", "US, CN"));

        var cut = Render<RuleBadge>(p => p.Add(x => x.Outcome, outcome));

        var badge = cut.Find("[data-testid=rule-badge]");
        Assert.Equal("CIT-COVERED", badge.GetAttribute("data-rule"));
        Assert.Equal("CIT-COVERED", badge.TextContent.Trim());
        Assert.Equal("CIT-COVERED (blocks): A citizenship is a covered nation.", badge.GetAttribute("aria-label"));
        Assert.Contains("mud-chip-color-error", badge.ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public void AWarning_IsNotShownAsABlock()
    {
        var cut = Render<RuleBadge>(p => p.Add(x => x.Outcome, RulePreviewTests.Rule("IL2-INVESTIGATION", Severity.Warn, "No investigation.")));

        var badge = cut.Find("[data-testid=rule-badge]");
        Assert.Contains("mud-chip-color-info", badge.ClassName, StringComparison.Ordinal);
        Assert.DoesNotContain("mud-chip-color-error", badge.ClassName, StringComparison.Ordinal);
        Assert.StartsWith("IL2-INVESTIGATION (warns)", badge.GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAnOutcome_ItSaysEveryRulePasses()
    {
        var cut = Render<RuleBadge>();

        var badge = cut.Find("[data-testid=rule-badge]");
        Assert.Equal("none", badge.GetAttribute("data-rule"));
        Assert.Equal("All rules pass", badge.TextContent.Trim());
    }

    [Fact]
    public void Describe_SaysTheRule_WhatItDoes_TheFacts_AndThePolicyVersion()
    {
        var outcome = RulePreviewTests.Rule("CIT-COVERED", Severity.Block, "A citizenship is a covered nation.", ("citizenships", "US, CN"), ("countryOfBirth", "CN"));

        Assert.Equal("CIT-COVERED blocks: A citizenship is a covered nation. — Citizenships: United States (US), China (CN); Country of birth: China (CN) (policy v3)",
            RuleBadge.Describe(outcome));
        Assert.Equal("CIT-COVERED — Citizenships: United States (US), China (CN); Country of birth: China (CN)", RulePreviewResult.Line(outcome));
    }

    [Fact]
    public void ARefusal_IsOneSentence_WithTheRulesTitleAndCitation_AndTheFactsInWordsOnExpand()
    {
        var outcome = RulePreviewTests.Rule("LOC-COVERED", Severity.Block, "The person works in China (CN), a covered nation.", ("workCountry", "CN"));

        var cut = Render<OutcomeAlert>(p => p.Add(x => x.Kind, ComplianceHub.Core.Common.OutcomeKind.Refused)
            .Add(x => x.Violations, [outcome]).Add(x => x.SubjectName, "Quinn Evans"));

        Assert.Equal("Refused: Quinn Evans works in China (CN), a covered nation (LOC-COVERED).", cut.Find("[data-testid=outcome-sentence]").TextContent.Trim());
        var citation = cut.Find("[data-testid=outcome-citation]").TextContent;
        Assert.Contains(RuleCatalogue.Find("LOC-COVERED")!.Title, citation, StringComparison.Ordinal);
        Assert.Contains("Source: 10 U.S.C. 4872", citation, StringComparison.Ordinal);
        var facts = cut.Find("[data-testid=outcome-details] [data-testid=outcome-facts]");
        Assert.Contains("Work location:", facts.TextContent, StringComparison.Ordinal);
        Assert.Contains("China (CN)", facts.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("workCountry:", cut.Markup, StringComparison.Ordinal);
    }
}
