using Bunit;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Features.AccessReviews;
using ComplianceHub.Web.Components.Pages.AccessReviews;
using ComplianceHub.Web.Components.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ComplianceHub.Web.Tests.AccessReviews;

/// <summary>The review panel: what a reviewer reads about one item, the wording per stage, the comment rule and the keyboard.</summary>
public sealed class AccessReviewItemPanelTests : MudComponentTest
{
    private readonly List<PanelDecision> decided = [];
    private int next;
    private int previous;

    public AccessReviewItemPanelTests()
    {
        Services.AddSingleton<TimeProvider>(new FakeTimeProvider(ReviewSamples.Now));
        Services.AddScoped<ReaderClock>();
    }

    private IRenderedComponent<AccessReviewItemPanel> Panel(AccessReviewItemView item, bool rep = false, bool readOnly = false) =>
        Render<AccessReviewItemPanel>(p => p
            .Add(c => c.Detail, ReviewSamples.Detail(item))
            .Add(c => c.IsRepresentative, rep)
            .Add(c => c.ReadOnly, readOnly)
            .Add(c => c.HasNext, true)
            .Add(c => c.HasPrevious, true)
            .Add(c => c.Decide, d => decided.Add(d))
            .Add(c => c.Next, () => next++)
            .Add(c => c.Previous, () => previous++));

    [Fact]
    public void ShowsTheGrant_TheFactsWithSourceAndAge_WhatIsAgainstIt_AndTheRecommendation()
    {
        var cut = Panel(ReviewSamples.Item(access: AccessType.Privileged, recommendation: AccessReviewRecommendation.Revoke, reason: "Attestation overdue"));

        Assert.Equal("Dana Smith", cut.Find("[data-testid=ar-panel-person]").TextContent.Trim());
        Assert.Equal("Forge (IL5)", cut.Find("[data-testid=ar-panel-system]").TextContent.Trim());
        Assert.Equal("Privileged", cut.Find("[data-testid=ar-panel-access]").TextContent.Trim());
        var facts = cut.Find("[data-testid=ar-panel-facts]").TextContent;
        Assert.Contains("Roster import", facts, StringComparison.Ordinal);
        Assert.Contains("12 days ago", facts, StringComparison.Ordinal);
        Assert.Contains("ATTEST-OVERDUE", cut.Find("[data-testid=ar-panel-rules]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Eve Escort", cut.Find("[data-testid=ar-panel-session]").TextContent, StringComparison.Ordinal);
        Assert.Contains("14, 1 flagged", cut.Find("[data-testid=ar-panel-contributions]").TextContent, StringComparison.Ordinal);
        var recommendation = cut.Find("[data-testid=ar-panel-recommendation]").TextContent;
        Assert.Contains("Recommendation: Revoke.", recommendation, StringComparison.Ordinal);
        Assert.Contains("Attestation overdue", recommendation, StringComparison.Ordinal);
        // Privileged access in stage two can be reduced.
        Assert.NotEmpty(cut.FindAll("[data-testid=ar-reduce]"));
        Assert.DoesNotContain("NonPrivileged", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void ARepresentativeInStageOne_ConfirmsOrSaysNoLongerNeeded_AndCannotReduce()
    {
        var cut = Panel(ReviewSamples.Item(stage: 1, access: AccessType.Privileged), rep: true);

        Assert.Equal("Confirm still needed (k)", cut.Find("[data-testid=ar-keep]").TextContent.Trim());
        Assert.Equal("No longer needed (r)", cut.Find("[data-testid=ar-revoke]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=ar-reduce]"));
    }

    [Fact]
    public void KeyK_Keeps_AndNP_Move_ButTypingInTheCommentBox_DecidesNothing()
    {
        var cut = Panel(ReviewSamples.Item());

        cut.Find("textarea[data-testid=ar-panel-comment]").KeyDown("k");
        cut.Find("textarea[data-testid=ar-panel-comment]").KeyDown("r");
        Assert.Empty(decided);

        cut.Find("[data-testid=ar-panel]").KeyDown("n");
        cut.Find("[data-testid=ar-panel]").KeyDown("ArrowLeft");
        Assert.Equal((1, 1), (next, previous));

        cut.Find("[data-testid=ar-panel]").KeyDown("k");
        Assert.Equal([new PanelDecision(AccessReviewDecision.Keep, null)], decided);
    }

    [Fact]
    public void KeepingAForeignNationalsGrant_NeedsAComment_SaidBesideTheBox()
    {
        var cut = Panel(ReviewSamples.Item(foreign: true, keepNeedsComment: true));
        Assert.Contains("a foreign national's grant is kept only with a comment", cut.Find("[data-testid=ar-panel-comment-box]").TextContent, StringComparison.Ordinal);

        cut.Find("[data-testid=ar-panel]").KeyDown("k");
        Assert.Empty(decided);
        Assert.Contains("Write a comment to keep this grant", cut.Find("[data-testid=ar-panel-comment-box]").TextContent, StringComparison.Ordinal);

        cut.Find("textarea[data-testid=ar-panel-comment]").Input("Needed for the migration until March.");
        cut.Find("[data-testid=ar-keep]").Click();
        Assert.Equal([new PanelDecision(AccessReviewDecision.Keep, "Needed for the migration until March.")], decided);
    }

    [Fact]
    public void ARevoke_NeedsTheReason()
    {
        var cut = Panel(ReviewSamples.Item());
        cut.Find("[data-testid=ar-revoke]").Click();
        Assert.Empty(decided);
        Assert.Contains("Write the reason to revoke", cut.Find("[data-testid=ar-panel-comment-box]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAuditor_SeesTheItem_AndNoDecision()
    {
        var cut = Panel(ReviewSamples.Item(stageOne: AccessReviewDecision.Keep, stale: true), readOnly: true);

        Assert.Empty(cut.FindAll("[data-testid=ar-keep]"));
        Assert.Empty(cut.FindAll("[data-testid=ar-panel-comment-box]"));
        Assert.Contains("Still needed", cut.Find("[data-testid=ar-panel-stage-one]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Work location changed", cut.Find("[data-testid=ar-panel-stale]").TextContent, StringComparison.Ordinal);
        cut.Find("[data-testid=ar-panel]").KeyDown("k");
        Assert.Empty(decided);
    }
}
