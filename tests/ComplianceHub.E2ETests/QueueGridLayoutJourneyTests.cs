using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ComplianceHub.E2ETests;

/// <summary>
/// The queues' grids kept in the address, in Chromium (issue 21): the attestation due dates, the screening hits, the access
/// requests and the approvals queue's lists open with the sort, page size, page and hidden columns their address says; paging,
/// sorting and a filter change keep the rest of the layout; a reload brings it back; a saved view reopens it.
/// </summary>
public sealed class QueueGridLayoutJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AnOfficer_KeepsTheAttestationDueDatesLayout_ThroughPagingSortingAReloadAFilter_AndASavedView()
    {
        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, "co3@demo.local");

        // The address's layout: ten rows, the highest employee ids first, no warning column (co3's office sees Globex's 20 people).
        await page.GotoAsync("/attestations?sort=employeeId&desc=true&size=10&hide=warning");
        await Interactive.WaitAsync(page);
        var grid = page.GetByTestId("attestation-due-grid");
        var rows = grid.Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(10);
        await Assertions.Expect(grid.GetByRole(AriaRole.Columnheader, new() { Name = "Employee id" })).ToHaveAttributeAsync("aria-sort", "descending");
        await Assertions.Expect(rows.First).ToContainTextAsync("GLX-1020");
        await Assertions.Expect(grid.GetByRole(AriaRole.Columnheader, new() { Name = "Warning" })).ToHaveCountAsync(0);
        await Assertions.Expect(grid.GetByRole(AriaRole.Columnheader, new() { Name = "Next due" })).ToBeVisibleAsync();

        // The pager's next page lands in the address (1-based) and shows the next ten ids.
        await grid.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"[?&]page=2(&|$)"));
        await Assertions.Expect(rows.First).ToContainTextAsync("GLX-1010");

        // Sorting by the person: the address follows.
        var person = grid.GetByRole(AriaRole.Columnheader, new() { Name = "Person" });
        await person.GetByRole(AriaRole.Button, new() { Name = "Sort" }).ClickAsync();
        await Assertions.Expect(person).ToHaveAttributeAsync("aria-sort", "ascending");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("sort=fullName"));
        Assert.DoesNotContain("desc=true", page.Url);

        // A reload shows the same grid.
        await page.ReloadAsync();
        await Interactive.WaitAsync(page);
        await Assertions.Expect(person).ToHaveAttributeAsync("aria-sort", "ascending");
        await Assertions.Expect(rows).ToHaveCountAsync(10);
        await Assertions.Expect(grid.GetByRole(AriaRole.Columnheader, new() { Name = "Warning" })).ToHaveCountAsync(0);

        // A filter keeps the layout and starts from the first page.
        await Select.ChooseAsync(page, page.Locator("main"), "State", "Current");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("state=Current"));
        var url = page.Url;
        Assert.Contains("sort=fullName", url);
        Assert.Contains("size=10", url);
        Assert.Contains("hide=warning", url);
        Assert.DoesNotMatch(@"[?&]page=", url);
        await Assertions.Expect(grid.GetByTestId("attestation-state").First).ToHaveTextAsync("Current");
        await Assertions.Expect(person).ToHaveAttributeAsync("aria-sort", "ascending");

        // The column chooser shows the warning again: the address drops hide=.
        await page.GetByTestId("attestation-due-columns-toggle").ClickAsync();
        await page.GetByTestId("attestation-due-columns-warning").CheckAsync();
        await Assertions.Expect(grid.GetByRole(AriaRole.Columnheader, new() { Name = "Warning" })).ToBeVisibleAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("hide="));
        await page.GetByTestId("attestation-due-columns-employeeId").UncheckAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("hide=employeeId"));
        await Assertions.Expect(grid.GetByRole(AriaRole.Columnheader, new() { Name = "Employee id" })).ToHaveCountAsync(0);

        // Saved as a view, it comes back from the menu on a plain visit.
        await page.GetByTestId("saved-views-menu").GetByRole(AriaRole.Button).First.ClickAsync();
        await page.GetByTestId("saved-views-save").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name of the view").FillAsync("Current by name");
        await page.GetByTestId("saved-view-submit").ClickAsync();
        await Dialogs.ExpectClosedAsync(page);
        await Assertions.Expect(page.GetByTestId("saved-views-current")).ToContainTextAsync("Current by name");

        await page.GotoAsync("/attestations");
        await Interactive.WaitAsync(page);
        await Assertions.Expect(rows).ToHaveCountAsync(20);
        await page.GetByTestId("saved-views-menu").GetByRole(AriaRole.Button).First.ClickAsync();
        await page.GetByTestId("saved-view").Filter(new() { HasText = "Current by name" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("state=Current"));
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByTestId("saved-views-current")).ToContainTextAsync("Current by name");
        Assert.Contains("sort=fullName", page.Url);
        Assert.Contains("hide=employeeId", page.Url);
        await Assertions.Expect(person).ToHaveAttributeAsync("aria-sort", "ascending");
        await Assertions.Expect(grid.GetByRole(AriaRole.Columnheader, new() { Name = "Employee id" })).ToHaveCountAsync(0);
        await Assertions.Expect(grid.GetByTestId("attestation-state").First).ToHaveTextAsync("Current");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
    }

    [Fact]
    public async Task TheScreeningHits_TheApprovalsLists_AndTheRequestsTabs_OpenAsTheirAddressSays_AndAFilterOrATabKeepsTheLayout()
    {
        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, "co1@demo.local");

        // Every hit, by person, without the score column: the demo's one hit shows.
        await page.GotoAsync("/screening?status=all&sort=personName&size=10&hide=score");
        await Interactive.WaitAsync(page);
        var grid = page.GetByTestId("screening-grid");
        await Assertions.Expect(grid.GetByTestId("screening-hit-status")).ToHaveCountAsync(1);
        await Assertions.Expect(grid.GetByRole(AriaRole.Columnheader, new() { Name = "Score" })).ToHaveCountAsync(0);
        var person = grid.GetByRole(AriaRole.Columnheader, new() { Name = "Person" });
        await Assertions.Expect(person).ToHaveAttributeAsync("aria-sort", "ascending");

        // A status filter keeps the layout; the queue's default status (awaiting a decision) needs no parameter.
        await Select.ChooseAsync(page, page.Locator("main"), "Status", "True match");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("status=TrueMatch"));
        Assert.Contains("sort=personName", page.Url);
        Assert.Contains("size=10", page.Url);
        Assert.Contains("hide=score", page.Url);
        await Assertions.Expect(page.GetByTestId("screening-empty")).ToBeVisibleAsync();
        await Select.ChooseAsync(page, page.Locator("main"), "Status", "Awaiting decision");
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("status="));
        await Assertions.Expect(grid.GetByTestId("screening-hit-status")).ToHaveTextAsync("Awaiting decision");
        Assert.Contains("hide=score", page.Url);

        // A reload keeps all of it.
        await page.ReloadAsync();
        await Interactive.WaitAsync(page);
        await Assertions.Expect(grid.GetByTestId("screening-hit-status")).ToHaveTextAsync("Awaiting decision");
        await Assertions.Expect(person).ToHaveAttributeAsync("aria-sort", "ascending");
        await Assertions.Expect(grid.GetByRole(AriaRole.Columnheader, new() { Name = "Score" })).ToHaveCountAsync(0);
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // The approvals queue's lists keep their rows per page in the address: the grants' unprefixed, the waivers' as waivers.size.
        await page.GotoAsync("/approvals?size=25&waivers.size=50");
        await Interactive.WaitAsync(page);
        var grantsSize = page.GetByTestId("approvals-grants").Locator(".mud-table-pagination-select input").First;
        var waiversSize = page.GetByTestId("approvals-waivers").Locator(".mud-table-pagination-select input").First;
        await Assertions.Expect(grantsSize).ToHaveValueAsync("25");
        await Assertions.Expect(waiversSize).ToHaveValueAsync("50");
        await Assertions.Expect(page.GetByTestId("approvals-escorts").Locator(".mud-table-pagination-select input").First).ToHaveValueAsync("10");
        await page.GetByTestId("approvals-grants").Locator(".mud-table-pagination-select").First.ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "10", Exact = true }).ClickAsync();
        await Assertions.Expect(grantsSize).ToHaveValueAsync("10");
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex(@"[?&]size="));
        Assert.Contains("waivers.size=50", page.Url);
        await page.ReloadAsync();
        await Interactive.WaitAsync(page);
        await Assertions.Expect(grantsSize).ToHaveValueAsync("10");
        await Assertions.Expect(waiversSize).ToHaveValueAsync("50");
        await Assertions.Expect(page.GetByTestId("saved-views-menu")).ToBeVisibleAsync();

        // A representative's requests: the escort requests' tab and its own layout (escorts.…) from the address.
        var rep = await browser.NewPageAsync();
        await Session.SignInAsync(rep, "rep@acme.demo.local");
        await rep.GotoAsync("/requests?tab=escorts&escorts.size=10&escorts.hide=asked");
        await Interactive.WaitAsync(rep);
        await Assertions.Expect(rep.GetByRole(AriaRole.Tab, new() { Name = "Escort requests" })).ToHaveAttributeAsync("aria-selected", "true");
        var escorts = rep.GetByTestId("escort-requests");
        await Assertions.Expect(escorts.GetByRole(AriaRole.Columnheader, new() { Name = "Escort", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(escorts.GetByRole(AriaRole.Columnheader, new() { Name = "Asked" })).ToHaveCountAsync(0);

        // Another tab lands in the address; the escort requests' layout stays.
        await rep.GetByRole(AriaRole.Tab, new() { Name = "Refused" }).ClickAsync();
        await Assertions.Expect(rep).ToHaveURLAsync(new Regex("tab=refused"));
        Assert.Contains("escorts.hide=asked", rep.Url);
        await rep.ReloadAsync();
        await Interactive.WaitAsync(rep);
        await Assertions.Expect(rep.GetByTestId("refused-requests")).ToBeVisibleAsync();
        await rep.GetByRole(AriaRole.Tab, new() { Name = "Escort requests" }).ClickAsync();
        await Assertions.Expect(rep).ToHaveURLAsync(new Regex("tab=escorts"));
        await Assertions.Expect(escorts.GetByRole(AriaRole.Columnheader, new() { Name = "Asked" })).ToHaveCountAsync(0);

        // The grants' sort is the unprefixed one: sorting them leaves the escort requests' parameters alone.
        await rep.GetByRole(AriaRole.Tab, new() { Name = "Grants" }).ClickAsync();
        var system = rep.GetByTestId("grant-requests").GetByRole(AriaRole.Columnheader, new() { Name = "System" });
        await system.GetByRole(AriaRole.Button, new() { Name = "Sort" }).ClickAsync();
        await Assertions.Expect(rep).ToHaveURLAsync(new Regex("[?&]sort=systemName"));
        Assert.DoesNotContain("tab=", rep.Url);
        Assert.Contains("escorts.size=10", rep.Url);
    }
}
