using Bunit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Rules;
using ComplianceHub.Web.Components.Pages.People;
using ComplianceHub.Web.Components.Shared;

namespace ComplianceHub.Web.Tests.Shared;

/// <summary>The live rule preview of the grant and escort dialogs: what the officer sees before submitting.</summary>
public sealed class RulePreviewTests : MudComponentTest
{
    internal static RuleOutcome Rule(string id, Severity severity, string message, params (string Key, string Value)[] facts) =>
        new(id, severity, "grant", Guid.Empty, message, facts.ToDictionary(f => f.Key, f => f.Value), "10 U.S.C. 4872", 3);

    private static GrantView Grant(GrantStatus status) => new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), AccessType.NonPrivileged, false,
        new DateOnly(2026, 12, 1), new DateOnly(2027, 2, 28), "Support", status, Guid.NewGuid(), null, null);

    private IRenderedComponent<RulePreview> Show(RulePreviewResult? result, bool loading = false) =>
        Render<RulePreview>(p => p.Add(x => x.Result, result).Add(x => x.Loading, loading).Add(x => x.TestId, "grant-preview"));

    [Fact]
    public void ARefusal_NamesEachFailingRule_WithTheFactsItUsed()
    {
        var refused = Outcome<GrantView>.Refused([
            Rule("CIT-COVERED", Severity.Block, "A citizenship is a covered nation.", ("citizenships", "US, CN")),
            Rule("LOC-COVERED", Severity.Block, "Works in a covered nation.", ("workCountry", "CN")),
        ]);

        var cut = Show(RulePreviewResult.From(refused, GrantRequestDialog.WouldBe));

        var root = cut.Find("[data-testid=grant-preview]");
        Assert.Equal("refused", root.GetAttribute("data-state"));
        Assert.Contains("Would be refused by CIT-COVERED and LOC-COVERED.", root.TextContent, StringComparison.Ordinal);
        Assert.Equal(["A citizenship is a covered nation (CIT-COVERED, 10 U.S.C. 4872).", "Works in a covered nation (LOC-COVERED, 10 U.S.C. 4872)."],
            cut.FindAll("[data-testid=preview-sentence]").Select(s => s.TextContent));
        Assert.Contains("Citizenships: United States (US), China (CN); policy version 3", root.TextContent, StringComparison.Ordinal);
        Assert.Contains("Work location: China (CN)", root.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("workCountry", root.TextContent, StringComparison.Ordinal);
        var rules = cut.FindAll("[data-testid=preview-violation]");
        Assert.Equal(["CIT-COVERED", "LOC-COVERED"], rules.Select(r => r.GetAttribute("data-rule")));
        Assert.Contains("A citizenship is a covered nation (CIT-COVERED", rules[0].TextContent, StringComparison.Ordinal);
        Assert.Equal(2, cut.FindAll("[data-testid=rule-badge]").Count);
        Assert.Empty(cut.FindAll("[data-testid=preview-ok]"));
    }

    [Fact]
    public void APassingRequestThatNeedsASecondOfficer_SaysItWouldBePending()
    {
        var cut = Show(RulePreviewResult.From(Outcome<GrantView>.Ok(Grant(GrantStatus.PendingApproval)), GrantRequestDialog.WouldBe));

        Assert.Equal("ok", cut.Find("[data-testid=grant-preview]").GetAttribute("data-state"));
        Assert.Equal("Would be created pending a second officer's approval.", cut.Find("[data-testid=preview-ok]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=preview-warning]"));
    }

    [Fact]
    public void APassingRequestActiveAtOnce_ShowsItsWarnings()
    {
        var ok = Outcome<GrantView>.Ok(Grant(GrantStatus.Active)) with
        {
            Warnings = [Rule("IL2-INVESTIGATION", Severity.Warn, "No investigation on record.", ("investigationTier", "None"))],
        };

        var cut = Show(RulePreviewResult.From(ok, GrantRequestDialog.WouldBe));

        Assert.Equal("Would be active at once.", cut.Find("[data-testid=preview-ok]").TextContent.Trim());
        var warning = cut.Find("[data-testid=preview-warning]");
        Assert.Equal("IL2-INVESTIGATION", warning.GetAttribute("data-rule"));
        Assert.Contains("Investigation: No investigation", warning.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidInput_ListsWhatToCorrect_InsteadOfARuleOutcome()
    {
        var invalid = Outcome<GrantView>.Invalid(new Dictionary<string, string[]> { ["EndsOn"] = ["The end date must not be before the start date."] });

        var cut = Show(RulePreviewResult.From(invalid, GrantRequestDialog.WouldBe));

        Assert.Equal("invalid", cut.Find("[data-testid=grant-preview]").GetAttribute("data-state"));
        Assert.Equal("The end date must not be before the start date.", cut.Find("[data-testid=preview-error]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=preview-violation]"));
    }

    [Fact]
    public void WhileTheRulesAreAsked_ItSaysSo_AndBeforeAnythingIsAsked_ItSaysWhatToFillIn()
    {
        var loading = Show(RulePreviewResult.From(Outcome<GrantView>.Ok(Grant(GrantStatus.Active)), GrantRequestDialog.WouldBe), loading: true);
        Assert.Equal("loading", loading.Find("[data-testid=grant-preview]").GetAttribute("data-state"));
        Assert.Equal("true", loading.Find("[data-testid=grant-preview]").GetAttribute("aria-busy"));
        Assert.Contains("Checking the rules", loading.Markup, StringComparison.Ordinal);
        Assert.Empty(loading.FindAll("[data-testid=preview-ok]")); // a stale answer is not shown while a new one is pending

        var idle = Show(null);
        Assert.Equal("idle", idle.Find("[data-testid=grant-preview]").GetAttribute("data-state"));
        Assert.Contains("Fill in the form", idle.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void ANotFoundOrForbiddenAnswer_ShowsItsMessage()
    {
        var cut = Show(RulePreviewResult.From(Outcome<GrantView>.Forbidden("The Auditor role may not request-grant."), GrantRequestDialog.WouldBe));

        Assert.Equal("error", cut.Find("[data-testid=grant-preview]").GetAttribute("data-state"));
        Assert.Equal("The Auditor role may not request-grant.", cut.Find("[data-testid=preview-message]").TextContent.Trim());
    }
}
