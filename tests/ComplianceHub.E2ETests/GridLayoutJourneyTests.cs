using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ComplianceHub.E2ETests;

/// <summary>
/// A MudDataGrid list keeps its order, page, page size and hidden columns in the address (GridLayout), in Chromium: an address
/// opens the grid as it says, the grid's sort header, pager and column chooser write the address, a reload keeps it, and a filter
/// change keeps the layout from the first page.
/// </summary>
public sealed class GridLayoutJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task TheContributionsGrid_OpensInTheAddresssOrder_AndWritesItsSortColumnsAndFiltersBack()
    {
        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, "auditor@demo.local");
        await page.GotoAsync("/contributions?sort=date&hide=author");
        await Interactive.WaitAsync(page);
        var rows = page.GetByTestId("contrib-grid").Locator("tbody tr.mud-table-row");

        // Oldest first, as the address says, and no author column.
        await Assertions.Expect(rows).ToHaveCountAsync(10);
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Author" })).ToHaveCountAsync(0);
        var oldestFirst = await MomentsAsync(page);
        Assert.Equal(oldestFirst.Order(StringComparer.Ordinal), oldestFirst);
        Assert.Equal(10, oldestFirst.Distinct().Count());

        // The header's sort button turns it to newest first: the address says so, and a reload keeps it.
        var date = page.GetByRole(AriaRole.Columnheader, new() { Name = "Date" });
        await date.GetByRole(AriaRole.Button, new() { Name = "Sort" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("sort=date&desc=true"));
        await page.ReloadAsync();
        await Interactive.WaitAsync(page);
        await Assertions.Expect(rows).ToHaveCountAsync(10);
        var newestFirst = await MomentsAsync(page);
        Assert.Equal(oldestFirst.AsEnumerable().Reverse(), newestFirst);

        // The column chooser hides the flags too; the address keeps both, in the grid's order.
        await page.GetByTestId("contrib-columns-toggle").ClickAsync();
        await page.GetByTestId("contrib-columns-flags").UncheckAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Flags" })).ToHaveCountAsync(0);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("hide=flags(%2C|,)author"));
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // A filter keeps the order and the columns.
        await page.GetByLabel("Flagged only").CheckAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("flagged=true"));
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("sort=date&desc=true"));
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("hide=flags(%2C|,)author"));
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Author" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task TheAuditTrail_KeepsItsPageAndPageSizeInTheAddress_AcrossAReload()
    {
        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, "auditor@demo.local");
        await page.GotoAsync("/audit?size=25&hide=rules");
        await Interactive.WaitAsync(page);
        var grid = page.GetByTestId("audit-grid");
        await Assertions.Expect(grid.Locator("tbody tr.mud-table-row")).ToHaveCountAsync(25);
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Rules" })).ToHaveCountAsync(0);
        var first = await grid.GetByTestId("audit-row-link").First.InnerTextAsync();

        await grid.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("page=2"));
        await Assertions.Expect(grid.GetByTestId("audit-row-link").First).Not.ToHaveTextAsync(first);
        var second = await grid.GetByTestId("audit-row-link").First.InnerTextAsync();

        await page.ReloadAsync();
        await Interactive.WaitAsync(page);
        await Assertions.Expect(grid.GetByTestId("audit-row-link").First).ToHaveTextAsync(second);
        await Assertions.Expect(grid.Locator("tbody tr.mud-table-row")).ToHaveCountAsync(25);
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Rules" })).ToHaveCountAsync(0);
        // Newest first by default: the second page's first event is older than the first page's.
        Assert.True(long.Parse(second) < long.Parse(first), $"event {second} on page 2 should come before event {first} on page 1");

        // A filter opens the list at its first page, keeping the page size and the columns.
        await page.GetByLabel("Oldest first").CheckAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("oldest=true"));
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("page=2"));
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("size=25"));
        await Assertions.Expect(grid.Locator(".mud-table-pagination-caption").Last).ToHaveTextAsync(new Regex("^1-25 of"));
        await Assertions.Expect(grid.GetByTestId("audit-row-link").First).ToHaveTextAsync("1");
    }

    [Theory]
    [InlineData("co1@demo.local", "/roster", "roster-grid")]
    [InlineData("co1@demo.local", "/contributions", "contrib-grid")]
    [InlineData("auditor@demo.local", "/audit", "audit-grid")]
    public async Task TheGrid_FitsA1280PixelWindow_WithItsDefaultColumns(string account, string path, string grid)
    {
        var page = await browser.NewPageAsync(); // 1280 × 800, as every browser test
        await Session.SignInAsync(page, account);
        await page.GotoAsync(path);
        await Interactive.WaitAsync(page);
        var table = page.GetByTestId(grid);
        await Assertions.Expect(table.Locator("tbody tr.mud-table-row a").First).ToBeVisibleAsync();
        Assert.Equal(1280, await page.EvaluateAsync<int>("() => window.innerWidth"));

        // Neither the page nor the grid scrolls sideways: every default column is in view.
        var (pageOverflow, gridOverflow) = (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth"),
            await table.EvaluateAsync<int>("el => { const c = el.querySelector('.mud-table-container') ?? el; return c.scrollWidth - c.clientWidth; }"));
        Assert.True(pageOverflow <= 0, $"{path} is {pageOverflow} px wider than the window");
        Assert.True(gridOverflow <= 0, $"{path}'s grid scrolls sideways by {gridOverflow} px");
    }

    private static async Task<List<string>> MomentsAsync(IPage page)
    {
        var cells = page.GetByTestId("contrib-grid").Locator("tbody tr.mud-table-row time");
        await Assertions.Expect(cells.First).ToBeVisibleAsync();
        return [.. await Task.WhenAll((await cells.AllAsync()).Select(c => c.GetAttributeAsync("datetime")!)).ContinueWith(t => t.Result.Select(v => v ?? ""))];
    }
}
