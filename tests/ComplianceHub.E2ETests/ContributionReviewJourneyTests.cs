using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ComplianceHub.E2ETests;

/// <summary>
/// The code review in Chromium, as auditor@demo.local: the review queue holds the demo's flagged changes to Initech's IL6
/// enclave, riskiest first; one change shows why it is flagged and its author's facts that day; the auditor escalates it
/// with notes, sees it in the history, and exports the escalated changes — every page axe clean.
/// </summary>
public sealed class ContributionReviewJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AnAuditor_OpensTheQueue_EscalatesAChange_AndExportsIt()
    {
        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, "auditor@demo.local");

        // The queue: flagged, not yet reviewed, riskiest first.
        await page.GotoAsync("/contributions");
        await Interactive.WaitAsync(page);
        await page.GetByTestId("contrib-view-queue").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("flagged=true"));
        var rows = page.GetByTestId("contrib-grid").Locator("tbody tr").Filter(new() { Has = page.GetByTestId("contrib-open") });
        await Assertions.Expect(rows.First).ToContainTextAsync("enclave-infra");
        var risks = await page.GetByTestId("contrib-risk").AllInnerTextsAsync();
        Assert.True(risks.Count >= 2, $"The demo queue holds {risks.Count} flagged changes.");
        Assert.Equal(risks.Select(int.Parse).OrderByDescending(r => r), risks.Select(int.Parse));
        await Screens.CaptureAsync(page, "80-contribution-queue");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // The riskiest change: why it is flagged, who made it and their facts on that day.
        var title = (await rows.First.Locator(".mud-text-secondary").First.InnerTextAsync()).Trim();
        await rows.First.GetByTestId("contrib-open").ClickAsync();
        await Assertions.Expect(page.GetByTestId("contribution-title")).ToHaveTextAsync(title);
        await Assertions.Expect(page.GetByTestId("contribution-flag").First).ToContainTextAsync("CC-");
        await Assertions.Expect(page.GetByTestId("contribution-verdict")).ToHaveTextAsync("Not reviewed");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // Escalated: the notes are required, then the verdict stands, with its history from the audit trail.
        await page.GetByTestId("review-escalated").ClickAsync();
        await page.GetByTestId("review-save").ClickAsync();
        await Assertions.Expect(page.GetByText("Say what needs remediation or why it is escalated.")).ToBeVisibleAsync();
        await page.GetByTestId("review-notes").FillAsync("Change made from outside the US under no escort; referred to the program office.");
        await page.GetByTestId("review-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("contribution-verdict")).ToHaveTextAsync("Escalated");
        await Assertions.Expect(page.GetByTestId("contribution-current-review")).ToContainTextAsync("referred to the program office");
        await Assertions.Expect(page.GetByTestId("review-history").Locator("tbody tr")).ToHaveCountAsync(1);
        await Screens.CaptureAsync(page, "81-contribution-escalated");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // The escalated changes, exported as the grid shows them.
        await page.GotoAsync("/contributions?verdict=Escalated");
        await Interactive.WaitAsync(page);
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await page.GetByTestId("export-contributions").GetByRole(AriaRole.Button).First.ClickAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-contributions-csv").ClickAsync());
        Assert.Matches(@"^contributions-\d{8}-\d{4}\.csv$", download.SuggestedFilename);
        var csv = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(await download.PathAsync())).TrimStart('\uFEFF');
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("\"Risk\",\"Flags\",\"Vendor\"", lines[0], StringComparison.Ordinal);
        Assert.Contains(title, lines[1], StringComparison.Ordinal);
        Assert.Contains("Escalated", lines[1], StringComparison.Ordinal);
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // The export is on record.
        await page.GotoAsync("/audit?operation=export");
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByTestId("audit-grid").Locator("tbody tr")).ToHaveCountAsync(1);
    }
}
