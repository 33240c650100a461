using Bunit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Features.AccessReviews;
using ComplianceHub.Web.Components.Pages.AccessReviews;
using MudBlazor;

namespace ComplianceHub.Web.Tests.AccessReviews;

/// <summary>
/// The campaign's bulk bar: the count, "select all N matching", a confirmation naming the decision and the count with the
/// comment it needs, the count confirmed sent as the expected count, progress while it runs, and every refused item listed.
/// </summary>
public sealed class AccessReviewBulkBarTests : MudComponentTest
{
    private readonly AccessReviewSelection selection = new();
    private readonly List<Guid> page = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
    private readonly List<(AccessReviewDecision Decision, string? Comment, int Expected)> sent = [];
    private Func<IProgress<AccessReviewProgress>, Task<Outcome<AccessReviewDecisionResult>>> answer =
        _ => Task.FromResult(Outcome<AccessReviewDecisionResult>.Ok(new AccessReviewDecisionResult(3, 0, 3, 0, false)));
    private int applied;

    private (IRenderedComponent<MudDialogProvider> Dialogs, IRenderedComponent<AccessReviewBulkBar> Bar) Render(int matching, bool rep = false)
    {
        var dialogs = Render<MudDialogProvider>();
        var bar = Render<AccessReviewBulkBar>(p => p
            .Add(c => c.Selection, selection)
            .Add(c => c.PageIds, page)
            .Add(c => c.Matching, matching)
            .Add(c => c.IsRepresentative, rep)
            .Add(c => c.Send, (decision, comment, expected, progress) =>
            {
                sent.Add((decision, comment, expected));
                return answer(progress);
            })
            .Add(c => c.Applied, _ => applied++));
        return (dialogs, bar);
    }

    [Fact]
    public void NothingSelected_ShowsNoBar()
    {
        Assert.Empty(Render(10).Bar.FindAll("[data-testid=ar-bulk-bar]"));
    }

    [Fact]
    public void TheWholePage_OffersEveryMatchingItem_AndUntickingOneNarrowsToThePage()
    {
        selection.TogglePage(page, true);
        var (_, bar) = Render(1200);
        Assert.Equal("3 items selected.", bar.Find("[data-testid=ar-bulk-count]").TextContent.Trim());

        bar.Find("[data-testid=ar-bulk-select-all]").Click();
        Assert.Equal("All 1,200 matching items are selected.", bar.Find("[data-testid=ar-bulk-count]").TextContent.Trim());
        Assert.Equal(1200, selection.Count);
        Assert.Empty(selection.Ids);

        selection.Toggle(page[0], false, page);
        Assert.Null(selection.AllMatching);
        Assert.Equal(2, selection.Count);
    }

    [Fact]
    public void ARevoke_IsConfirmedNamingTheCount_NeedsAComment_AndSendsTheCountConfirmed()
    {
        selection.SelectAllMatching(1200);
        answer = async progress =>
        {
            progress.Report(new AccessReviewProgress(600, 1200));
            await Task.Yield();
            return Outcome<AccessReviewDecisionResult>.Ok(new AccessReviewDecisionResult(1200, 0, 1200, 0, true));
        };
        var (dialogs, bar) = Render(1200);

        bar.Find("[data-testid=ar-bulk-revoke]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Revoke: 1,200 items?", dialogs.Markup, StringComparison.Ordinal));
        Assert.Contains("Comment (required)", dialogs.Markup, StringComparison.Ordinal);

        dialogs.Find("[data-testid=decision-confirm]").Click();
        Assert.Empty(sent);
        dialogs.WaitForAssertion(() => Assert.Contains("Write the comment", dialogs.Markup, StringComparison.Ordinal));
        Assert.Contains("Write the comment", dialogs.Markup, StringComparison.Ordinal);

        dialogs.Find("textarea[data-testid=decision-comment]").Input("Contract ended.");
        dialogs.Find("[data-testid=decision-confirm]").Click();

        bar.WaitForAssertion(() => Assert.Equal(1, applied));
        Assert.Equal([(AccessReviewDecision.Revoke, (string?)"Contract ended.", 1200)], sent);
        Assert.Equal(0, selection.Count);
    }

    [Fact]
    public void ARepresentative_ConfirmsStillNeeded_WithoutAComment_AndCannotReduce()
    {
        selection.TogglePage(page, true);
        answer = _ => Task.FromResult(Outcome<AccessReviewDecisionResult>.Ok(new AccessReviewDecisionResult(0, 3, 0, 0, false)));
        var (dialogs, bar) = Render(3, rep: true);
        Assert.Empty(bar.FindAll("[data-testid=ar-bulk-reduce]"));
        Assert.Equal("Still needed…", bar.Find("[data-testid=ar-bulk-keep]").TextContent.Trim());

        bar.Find("[data-testid=ar-bulk-keep]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Still needed: 3 items?", dialogs.Markup, StringComparison.Ordinal));
        dialogs.Find("[data-testid=decision-confirm]").Click();

        bar.WaitForAssertion(() => Assert.Equal(1, applied));
        Assert.Equal([(AccessReviewDecision.Keep, (string?)null, 3)], sent);
    }

    [Fact]
    public void ARefusal_ListsEveryRefusedItem_WithItsReason_AndKeepsTheSelection()
    {
        selection.TogglePage(page, true);
        answer = _ => Task.FromResult(Outcome<AccessReviewDecisionResult>.Conflict("Nothing was decided.") with
        {
            RefusedItems = [new RefusedItem(page[1], "Dana Smith on Forge", "Keeping a foreign national's grant needs a comment.", [])],
        });
        var (dialogs, bar) = Render(3);

        bar.Find("[data-testid=ar-bulk-keep]").Click();
        dialogs.WaitForElement("[data-testid=decision-confirm]");
        dialogs.Find("[data-testid=decision-confirm]").Click();

        bar.WaitForAssertion(() => Assert.NotEmpty(bar.FindAll("[data-testid=ar-bulk-refused]")));
        var refused = bar.Find("[data-testid=ar-bulk-refused-item]").TextContent;
        Assert.Contains("Dana Smith on Forge", refused, StringComparison.Ordinal);
        Assert.Contains("needs a comment", refused, StringComparison.Ordinal);
        Assert.Equal(0, applied);
        Assert.Equal(3, selection.Count);
    }

    [Fact]
    public void TheSuccessMessage_SaysWhatTheDecisionDid()
    {
        Assert.Equal("3 items decided (revoke). 3 grants revoked. Every item is decided: the campaign is closed.",
            AccessReviewBulkBar.Done(AccessReviewDecision.Revoke, new AccessReviewDecisionResult(3, 0, 3, 0, true)));
        Assert.Equal("2 items answered; the contracting officers decide next.",
            AccessReviewBulkBar.Done(AccessReviewDecision.Keep, new AccessReviewDecisionResult(0, 2, 0, 0, false)));
    }
}
