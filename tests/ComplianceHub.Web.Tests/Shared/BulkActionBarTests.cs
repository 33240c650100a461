using Bunit;
using ComplianceHub.Core.Common;
using ComplianceHub.Web.Components.Shared;

namespace ComplianceHub.Web.Tests.Shared;

/// <summary>The queues' bulk bar: the count, "Select all N matching" once the page is selected, and a selection narrowed again by unticking.</summary>
public sealed class BulkActionBarTests : MudComponentTest
{
    private readonly BulkSelectionState selection = new();
    private readonly List<Guid> page = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
    private readonly List<Guid> all = Enumerable.Range(0, 40).Select(_ => Guid.NewGuid()).ToList();
    private int resolved;

    private IRenderedComponent<BulkActionBar> Bar(int matching) => Render<BulkActionBar>(p => p
        .Add(c => c.Selection, selection)
        .Add(c => c.PageIds, page)
        .Add(c => c.Matching, matching)
        .Add(c => c.ResolveAllMatching, () =>
        {
            resolved++;
            return Task.FromResult(new BulkSelection(all, 41));
        })
        .Add(c => c.Actions, [new BulkAction("Approve", "approved", (_, _, _) => throw new InvalidOperationException("Not sent in these tests.")) { TestId = "bulk-approve" }])
        .Add(c => c.Noun, "grant")
        .Add(c => c.Plural, "grants"));

    [Fact]
    public void NothingSelected_ShowsNoBar()
    {
        Assert.Empty(Bar(40).FindAll("[data-testid=bulk-bar]"));
    }

    [Fact]
    public void APartOfThePage_IsCounted_WithoutSelectAllMatching()
    {
        selection.Toggle(page[0], true);
        var bar = Bar(40);
        Assert.Equal("1 grant selected.", bar.Find("[data-testid=bulk-count]").TextContent.Trim());
        Assert.Empty(bar.FindAll("[data-testid=bulk-select-all]"));
    }

    [Fact]
    public void TheWholePage_OffersEveryMatchingItem_ResolvedOnTheServer_AndSaysWhenMoreMatchThanOneActionTakes()
    {
        selection.TogglePage(page, true);
        var bar = Bar(40);
        Assert.Equal("3 grants selected.", bar.Find("[data-testid=bulk-count]").TextContent.Trim());

        bar.Find("[data-testid=bulk-select-all]").Click();

        Assert.Equal(1, resolved);
        Assert.Equal(all, selection.Ids);
        var count = bar.Find("[data-testid=bulk-count]").TextContent;
        Assert.Contains("All 40 matching grants are selected.", count, StringComparison.Ordinal);
        Assert.Contains("41 match; one action takes at most 5,000", count, StringComparison.Ordinal);
        Assert.Empty(bar.FindAll("[data-testid=bulk-select-all]"));
    }

    [Fact]
    public void UntickingOneOfAllMatching_KeepsTheOthers_AsTickedRows()
    {
        selection.SelectAllMatching(new BulkSelection(all, 40));
        selection.Toggle(all[5], false);

        Assert.Null(selection.AllMatching);
        Assert.Equal(39, selection.Count);
        Assert.False(selection.IsSelected(all[5]));
        Assert.True(selection.IsSelected(all[6]));
    }

    [Fact]
    public void TheMatchingCount_IsNotOfferedWhenThePageHoldsEverything()
    {
        selection.TogglePage(page, true);
        Assert.Empty(Bar(3).FindAll("[data-testid=bulk-select-all]"));
    }
}
