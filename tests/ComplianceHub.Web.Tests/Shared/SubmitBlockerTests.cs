using Bunit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Policy;
using ComplianceHub.Web.Components.Pages.People;
using ComplianceHub.Web.Components.Pages.Policy;
using ComplianceHub.Web.Components.Shared;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComplianceHub.Web.Tests.Shared;

/// <summary>
/// Forms preview the rules only once complete, their submit button says why it is disabled, and a preview that would
/// suspend grants or open findings is a warning, not good news.
/// </summary>
public sealed class SubmitBlockerTests : MudComponentTest
{
    private static LivePreview Preview() => new(() => Task.CompletedTask, NullLogger.Instance, TimeSpan.FromMilliseconds(1));

    private static GrantView Grant() => new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), AccessType.NonPrivileged, false,
        new DateOnly(2026, 12, 1), new DateOnly(2027, 2, 28), "Support", GrantStatus.Active, Guid.NewGuid(), null, null);

    [Fact]
    public async Task AnIncompleteForm_AsksNothing_AndTheButtonSaysWhatIsMissing()
    {
        using var preview = Preview();
        await preview.AskAsync<GrantView>(null, _ => "ok", "Choose a system to continue.");

        Assert.Null(preview.Result);
        Assert.Equal("Choose a system to continue.", preview.Missing);
        Assert.Equal("Choose a system to continue.", preview.Blocker);

        var cut = Render<RulePreview>(p => p.Add(x => x.Result, preview.Result).Add(x => x.TestId, "grant-preview"));
        Assert.Equal("idle", cut.Find("[data-testid=grant-preview]").GetAttribute("data-state"));
        Assert.Empty(cut.FindAll("[data-testid=preview-violation]"));
    }

    [Fact]
    public async Task ACompleteFormTheRulesRefuse_CannotBeSubmitted_AndSaysWhichRuleRefusesIt()
    {
        using var preview = Preview();
        await preview.AskAsync(() => Task.FromResult(Outcome<GrantView>.Refused([
            RulePreviewTests.Rule("CIT-COVERED", Severity.Block, "A citizenship is a covered nation.", ("citizenships", "CN")),
            RulePreviewTests.Rule("LOC-COVERED", Severity.Block, "Works in a covered nation.", ("workCountry", "CN")),
        ])), GrantRequestDialog.WouldBe, "Choose a system to continue.");

        Assert.Null(preview.Missing);
        Assert.Equal("Refused by CIT-COVERED and LOC-COVERED: cannot submit. Change the form, or cancel.", preview.Blocker);
    }

    [Fact]
    public async Task InvalidInput_AsksForCorrections_AndAPassingForm_MayBeSubmitted()
    {
        using var preview = Preview();
        await preview.AskAsync(() => Task.FromResult(Outcome<GrantView>.Invalid(new Dictionary<string, string[]> { ["EndsOn"] = ["Too late."] })),
            GrantRequestDialog.WouldBe);
        Assert.Equal("Correct the fields marked in red to continue.", preview.Blocker);

        await preview.AskAsync(() => Task.FromResult(Outcome<GrantView>.Ok(Grant())), GrantRequestDialog.WouldBe);
        Assert.Null(preview.Blocker);
    }

    [Fact]
    public void TheReason_IsShownBesideTheButton_AndNothingWhenItMayBeSubmitted()
    {
        var blocked = Render<SubmitReason>(p => p.Add(x => x.Text, "Give the justification to continue.").Add(x => x.Id, "grant-submit-reason"));
        var reason = blocked.Find("#grant-submit-reason");
        Assert.Equal("Give the justification to continue.", reason.TextContent.Trim());
        Assert.Equal("status", reason.GetAttribute("role"));

        var free = Render<SubmitReason>(p => p.Add(x => x.Text, (string?)null).Add(x => x.Id, "grant-submit-reason"));
        Assert.Empty(free.FindAll("#grant-submit-reason"));
    }

    [Fact]
    public async Task APreviewThatSuspendsOrOpens_IsAWarning_AndOneThatChangesNothing_IsASuccess()
    {
        using var preview = Preview();
        var suspends = new Core.Gate.ConsequencesView([Guid.NewGuid()], [], [Guid.NewGuid()], [], []);
        await preview.AskAsync(() => Task.FromResult(Outcome<Core.Gate.ConsequencesView>.Ok(suspends)), FactChangeDialog.WouldDo, caution: FactChangeDialog.Harms);

        var warning = Render<RulePreview>(p => p.Add(x => x.Result, preview.Result));
        var alert = warning.Find("[data-testid=preview-ok-alert]");
        Assert.Equal("warning", alert.GetAttribute("data-severity"));
        Assert.Contains("mud-alert-text-warning", alert.ClassName, StringComparison.Ordinal);
        Assert.Equal("Saving would suspend 1 grant and open 1 finding.", warning.Find("[data-testid=preview-ok]").TextContent.Trim());

        var nothing = new Core.Gate.ConsequencesView([], [], [], [], []);
        await preview.AskAsync(() => Task.FromResult(Outcome<Core.Gate.ConsequencesView>.Ok(nothing)), FactChangeDialog.WouldDo, caution: FactChangeDialog.Harms);
        var success = Render<RulePreview>(p => p.Add(x => x.Result, preview.Result));
        Assert.Equal("success", success.Find("[data-testid=preview-ok-alert]").GetAttribute("data-severity"));
    }

    [Fact]
    public void APolicyImpactThatSuspends_IsAWarning()
    {
        var row = new ImpactedGrantRow(Guid.NewGuid(), Guid.NewGuid(), "Tatum Li", Guid.NewGuid(), "Globex", "Navy Personnel Records",
            ImpactLevel.IL5, AccessType.NonPrivileged, GrantStatus.Active, ["CIT-COVERED"]);

        Assert.Equal(MudBlazor.Severity.Warning, PolicyPage.ImpactSeverity(new PolicyImpactReport([row], [], [])));
        Assert.Equal(MudBlazor.Severity.Info, PolicyPage.ImpactSeverity(new PolicyImpactReport([], [row], [])));
    }
}
