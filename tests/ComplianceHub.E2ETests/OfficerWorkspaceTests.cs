using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ComplianceHub.E2ETests;

/// <summary>The contracting officer's workspace, clicked through in Chromium against the real portal and demo data.</summary>
public sealed class OfficerWorkspaceTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Roster_FiltersFromTheUrlAndTheForm_ExportsWhatItShows_AndLeadsToTheVendor()
    {
        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, "co1@demo.local");

        await page.GetByTestId("nav-roster").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Roster", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("roster-total")).ToHaveTextAsync("60 people");
        await Screens.CaptureAsync(page, "10-roster");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // A dashboard-style link: covered-nation citizens only.
        await page.GotoAsync("/roster?group=CoveredNation");
        await Interactive.WaitAsync(page);
        var total = page.GetByTestId("roster-total");
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Covered nation" }).First).ToBeVisibleAsync();
        await Assertions.Expect(total).ToHaveTextAsync(new Regex(@"^\d+ people$"));
        var covered = int.Parse(Regex.Match(await total.InnerTextAsync(), @"\d+").Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(covered, 1, 59);
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Covered nation" }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "US citizen" })).ToHaveCountAsync(0);

        // Narrow with the form: the URL keeps the filter.
        await page.GetByLabel("Search name or employee id").FillAsync("GLX-");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("q=GLX-"));
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("group=CoveredNation"));
        await Assertions.Expect(total).Not.ToHaveTextAsync($"{covered} people"); // the three vendors' covered citizens, narrowed to Globex
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "ACME-" })).ToHaveCountAsync(0);
        var shown = int.Parse(Regex.Match(await total.InnerTextAsync(), @"\d+").Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(shown, 0, covered);

        // Export: the CSV holds exactly the rows the grid shows, with the grid's columns.
        await page.GetByTestId("roster-export").ClickAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("roster-export-csv").ClickAsync());
        Assert.Matches(@"^roster-\d{8}-\d{4}\.csv$", download.SuggestedFilename);
        var path = await download.PathAsync();
        var lines = (await File.ReadAllLinesAsync(path)).Where(l => l.Length > 0).ToList();
        Assert.StartsWith("\"Name\",\"Employee id\",\"Vendor\",\"Citizenships\"", lines[0].TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.Equal(shown, lines.Count - 1);
        Assert.All(lines.Skip(1), l => Assert.Contains("\"Covered nation\"", l, StringComparison.Ordinal));
        Assert.All(lines.Skip(1), l => Assert.Contains("\"GLX-", l, StringComparison.Ordinal));

        // Vendors, then a vendor page with its own roster.
        await page.GetByTestId("nav-vendors").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Vendors", Exact = true })).ToBeVisibleAsync();
        await Interactive.WaitAsync(page);
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Globex Federal" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Globex Federal" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("vendor-stat-people")).ToHaveTextAsync("20");
        await Assertions.Expect(page.GetByTestId("roster-total")).ToHaveTextAsync("20 people");
        await Screens.CaptureAsync(page, "11-vendor");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Attestations" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("vendor-attestations")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // The number links to the list behind it.
        await page.GetByTestId("vendor-stat-foreign").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/roster\\?vendor=.*group=OtherForeign,CoveredNation"));
        await Assertions.Expect(page.GetByTestId("roster-total")).Not.ToHaveTextAsync("60 people");
    }

    [Fact]
    public async Task Roster_SortsByAHeader_Pages_AndShowsItsFilters_OpenOrAsChips()
    {
        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, "co1@demo.local");

        // Filters from the URL: the filters stay closed and each one set shows as a chip that removes it.
        await page.GotoAsync("/roster?status=Active&attestation=Overdue,Never");
        await Interactive.WaitAsync(page);
        var more = page.GetByRole(AriaRole.Button, new() { Name = "More filters", Exact = true });
        await Assertions.Expect(more).ToHaveAttributeAsync("aria-expanded", "false");
        await Assertions.Expect(page.GetByTestId("roster-status")).ToHaveCountAsync(0);
        var chips = page.GetByTestId("roster-filter-chip");
        await Assertions.Expect(chips).ToHaveTextAsync(["Attestation: Overdue, Never attested", "Employment: Employed"]);
        await Assertions.Expect(page.GetByTestId("roster-total")).ToHaveTextAsync(new Regex(@"^\d+ (person|people)$"));
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await chips.Filter(new() { HasText = "Attestation" }).GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("attestation="));
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("status=Active"));
        await Assertions.Expect(chips).ToHaveTextAsync(["Employment: Employed"]);

        // Opened, the filters show as their controls with the values set; the chips give way to them.
        await more.ClickAsync();
        await Assertions.Expect(more).ToHaveAttributeAsync("aria-expanded", "true");
        await Assertions.Expect(page.GetByTestId("roster-status")).ToBeVisibleAsync();
        await Assertions.Expect(chips).ToHaveCountAsync(0);
        await Screens.CaptureAsync(page, "12-roster-filters-open");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // Sorting: a header's button, its state on the header (aria-sort); ascending, descending, then the default order.
        await page.GotoAsync("/roster");
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByTestId("roster-total")).ToHaveTextAsync("60 people");
        var header = page.GetByRole(AriaRole.Columnheader, new() { Name = "Employee id" });
        var sortButton = header.GetByRole(AriaRole.Button, new() { Name = "Employee id" });
        var firstId = page.GetByTestId("roster-grid").Locator("tbody tr").First.Locator("td").Nth(1);
        await sortButton.ClickAsync();
        await Assertions.Expect(header).ToHaveAttributeAsync("aria-sort", "ascending");
        await Assertions.Expect(firstId).ToHaveTextAsync("ACME-1001");
        await sortButton.ClickAsync();
        await Assertions.Expect(header).ToHaveAttributeAsync("aria-sort", "descending");
        await Assertions.Expect(firstId).ToHaveTextAsync(new Regex("^INI-"));
        await Screens.CaptureAsync(page, "13-roster-sorted");
        await sortButton.ClickAsync();
        await Assertions.Expect(header).Not.ToHaveAttributeAsync("aria-sort", new Regex("."));

        // Paging: the pager's buttons by their names; the caption says which rows show.
        var pager = page.GetByTestId("roster-pager");
        await Assertions.Expect(pager).ToContainTextAsync("1-25 of 60");
        await Assertions.Expect(pager.GetByRole(AriaRole.Button, new() { Name = "Previous page" })).ToBeDisabledAsync();
        await pager.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
        await Assertions.Expect(pager).ToContainTextAsync("26-50 of 60");
        await pager.GetByRole(AriaRole.Button, new() { Name = "Last page" }).ClickAsync();
        await Assertions.Expect(pager).ToContainTextAsync("51-60 of 60");
        await Assertions.Expect(page.GetByTestId("roster-person")).ToHaveCountAsync(10);
        await Assertions.Expect(pager.GetByRole(AriaRole.Button, new() { Name = "Next page" })).ToBeDisabledAsync();
        await pager.GetByRole(AriaRole.Button, new() { Name = "Previous page" }).ClickAsync();
        await Assertions.Expect(pager).ToContainTextAsync("26-50 of 60");
        await pager.GetByRole(AriaRole.Button, new() { Name = "First page" }).ClickAsync();
        await Assertions.Expect(pager).ToContainTextAsync("1-25 of 60");
        await Assertions.Expect(page.GetByTestId("roster-person")).ToHaveCountAsync(25);
    }

    [Theory]
    [InlineData("co1@demo.local", "/escorts", "Escort board", "30-escort-board")]
    [InlineData("co1@demo.local", "/findings", "Findings", "31-findings")]
    [InlineData("co1@demo.local", "/systems", "Cloud systems", "32-systems")]
    [InlineData("co1@demo.local", "/screening", "Restricted-party screening", "36-screening")]
    [InlineData("co1@demo.local", "/dashboard", "Posture dashboard", "33-dashboard")]
    [InlineData("auditor@demo.local", "/dashboard", "Posture dashboard", "34-dashboard-auditor")]
    [InlineData("auditor@demo.local", "/policy", "Policy", "35-policy-auditor")]
    public async Task EveryWorkspacePage_OpensWithItsHeading_AndIsAccessible(string account, string path, string heading, string screenshot)
    {
        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, account);

        await page.GotoAsync(path);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true, Level = 1 })).ToBeVisibleAsync();
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByText("Loading", new() { Exact = false })).ToHaveCountAsync(0);
        await Screens.CaptureAsync(page, screenshot);
        await Accessibility.AssertNoSeriousViolationsAsync(page);
    }

    [Fact]
    public async Task AnOfficer_ClearsAScreeningHit_AsAFalsePositive_WithTheDueDiligenceRecorded()
    {
        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, "co2@demo.local");
        await page.GetByTestId("nav-screening").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Restricted-party screening" })).ToBeVisibleAsync();
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByTestId("screening-hit-status")).ToHaveTextAsync("Awaiting decision");

        await page.GetByTestId("hit-false-positive").ClickAsync();
        await page.GetByTestId("reason-submit").ClickAsync();
        await Assertions.Expect(page.GetByText("Give the reason; it is recorded on the record and in the audit trail.")).ToBeVisibleAsync();
        await page.GetByLabel("Reason").FillAsync("Date of birth and nationality differ from the listed entry; checked against the SDN record.");
        await page.GetByTestId("reason-submit").ClickAsync();

        await Assertions.Expect(page.GetByText(new Regex("cleared: false positive recorded"))).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("screening-empty")).ToHaveTextAsync("No hit is waiting for a decision.");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
    }

    [Fact]
    public async Task AnAuditor_ReadsTheWorkspace_ButIsOfferedNoWriteAction()
    {
        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, "auditor@demo.local");

        await page.GotoAsync("/roster?q=GLX-1016");
        await Interactive.WaitAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Alex Patel" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Alex Patel", Level = 1 })).ToBeVisibleAsync();
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByTestId("person-facts")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("request-grant")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("change-facts")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("nav-approvals")).ToHaveCountAsync(0);
        await page.GotoAsync("/policy");
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByTestId("policy-history")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("policy-new-draft")).ToHaveCountAsync(0);
        await page.GotoAsync("/approvals");
        await Assertions.Expect(page.GetByText(new Regex("Your role cannot open (this|that) page")).First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ARepresentative_SeesOnlyTheirOwnRoster_AndCannotOpenTheOfficersPages()
    {
        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, "rep@acme.demo.local");

        await page.GotoAsync("/roster");
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Acme Cloud Services roster", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("roster-total")).ToHaveTextAsync("25 people");
        await Assertions.Expect(page.GetByTestId("roster-grid")).Not.ToContainTextAsync("GLX-");

        await page.GotoAsync("/dashboard");
        await Assertions.Expect(page.GetByText(new Regex("Your role cannot open (this|that) page")).First).ToBeVisibleAsync();
    }
}
