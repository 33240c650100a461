using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ComplianceHub.E2ETests;

/// <summary>
/// A roster kept the way its reader works, in Chromium: a column hidden and a sort set land in the address, saved as a view that
/// opens by default; a reload and a plain visit to the roster both bring it back — keyboard-reachable, axe clean.
/// </summary>
public sealed class SavedViewsJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AnOfficer_HidesAColumn_SortsTheRoster_SavesItAsTheDefaultView_AndGetsItBack()
    {
        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, "co2@demo.local");
        await page.GotoAsync("/roster");
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByTestId("roster-total")).ToHaveTextAsync("60 people");

        // Hide the employer column: its header goes, and the address says so.
        await page.GetByTestId("roster-columns").ClickAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Employer" }).UncheckAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Employer" })).ToHaveCountAsync(0);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("hide=employer"));
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // Sort by employee id, descending: the address keeps it too.
        var header = page.GetByRole(AriaRole.Columnheader, new() { Name = "Employee id" });
        await header.GetByRole(AriaRole.Button).ClickAsync();
        await header.GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(header).ToHaveAttributeAsync("aria-sort", "descending");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("sort=employeeId&desc=true"));

        // A reload shows the same list.
        await page.ReloadAsync();
        await Interactive.WaitAsync(page);
        await AssertSortedAndHiddenAsync(page);

        // Save it as a view that opens by default, by keyboard from the menu.
        await page.GetByTestId("saved-views-menu").GetByRole(AriaRole.Button).First.ClickAsync();
        await page.GetByTestId("saved-views-save").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name of the view").FillAsync("Newest ids, no employer");
        await dialog.GetByLabel("Open this view when I visit the roster without filters").CheckAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.GetByTestId("saved-view-submit").ClickAsync();
        await Dialogs.ExpectClosedAsync(page);
        await Assertions.Expect(page.GetByTestId("saved-views-current")).ToContainTextAsync("Newest ids, no employer");

        // The roster visited without a query opens the default view.
        await page.GotoAsync("/roster");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("sort=employeeId"));
        await Interactive.WaitAsync(page);
        await AssertSortedAndHiddenAsync(page);
        await Assertions.Expect(page.GetByTestId("saved-views-current")).ToContainTextAsync("Newest ids, no employer");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // Another officer has no such view.
        var other = await browser.NewPageAsync();
        await Session.SignInAsync(other, "co1@demo.local");
        await other.GotoAsync("/roster");
        await Interactive.WaitAsync(other);
        await Assertions.Expect(other).Not.ToHaveURLAsync(new Regex("sort="));
        await Assertions.Expect(other.GetByRole(AriaRole.Columnheader, new() { Name = "Employer" })).ToBeVisibleAsync();
    }

    private static async Task AssertSortedAndHiddenAsync(IPage page)
    {
        var header = page.GetByRole(AriaRole.Columnheader, new() { Name = "Employee id" });
        await Assertions.Expect(header).ToHaveAttributeAsync("aria-sort", "descending");
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Employer" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("roster-grid").Locator("tbody tr").First.Locator("td").Nth(1)).ToHaveTextAsync(new Regex("^INI-"));
    }
}
