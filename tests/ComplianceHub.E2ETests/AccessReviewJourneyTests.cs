using System.Text.RegularExpressions;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Exports;
using ComplianceHub.Web.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace ComplianceHub.E2ETests;

/// <summary>
/// Access reviews in Chromium (issue 23): co1 defines a review of Acme's grants and starts it (the dry run
/// names how many grants it freezes); rep@acme confirms stage one from the queue with the keyboard; co2 revokes what waits for
/// them in one bulk decision whose confirmation names the count; the auditor sees the campaign read-only with its report's
/// downloads. Every page axe clean.
/// </summary>
public sealed class AccessReviewJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AnOfficerStartsAReview_TheRepresentativeConfirms_ASecondOfficerRevokesInBulk_TheAuditorReadsIt()
    {
        var name = $"Review of Acme {Guid.NewGuid():N}"[..40];
        var grants = await ActiveAcmeGrantsAsync(3);

        // co1 defines the review and starts it.
        var co1 = await browser.NewPageAsync();
        await Session.SignInAsync(co1, "co1@demo.local");
        await co1.GotoAsync("/access-reviews/definitions/new");
        await Interactive.WaitAsync(co1);
        await co1.GetByTestId("ar-def-save").ClickAsync();
        await Assertions.Expect(co1.GetByTestId("ar-def-error")).ToBeVisibleAsync();
        await Assertions.Expect(co1.GetByText("Name the review")).ToBeVisibleAsync();
        await co1.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await co1.GetByLabel("Vendors (none: every vendor)", new() { Exact = true }).ClickAsync();
        await co1.GetByRole(AriaRole.Option, new() { NameRegex = new Regex("^Acme") }).First.ClickAsync();
        await CloseListAsync(co1);
        await Assertions.Expect(co1.GetByTestId("ar-def-scope-words")).ToContainTextAsync("Acme");
        await Accessibility.AssertNoSeriousViolationsAsync(co1);
        await co1.GetByTestId("ar-def-save").ClickAsync();
        await Assertions.Expect(co1).ToHaveURLAsync(new Regex("/access-reviews$"));
        await Interactive.WaitAsync(co1);
        var row = co1.GetByTestId("ar-definitions").Locator("tr").Filter(new() { HasText = name });
        await row.GetByTestId("ar-start").ClickAsync();
        var confirm = co1.Locator(".mud-dialog");
        await Assertions.Expect(confirm).ToContainTextAsync(new Regex(@"This will freeze \d+ current grants? into a campaign; reviewers are told\. Start\?"));
        await Accessibility.AssertNoSeriousViolationsAsync(co1);
        await Screens.CaptureAsync(co1, "access-review-1-definition");
        await confirm.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Start with") }).ClickAsync();
        await Assertions.Expect(co1).ToHaveURLAsync(new Regex("/access-reviews/campaigns/"));
        var campaignId = Guid.Parse(co1.Url.Split('/').Last());
        await Interactive.WaitAsync(co1);
        await Assertions.Expect(co1.GetByTestId("ar-campaign-progress-text")).ToContainTextAsync("decided");
        await Accessibility.AssertNoSeriousViolationsAsync(co1);
        await Screens.CaptureAsync(co1, "access-review-2-campaign-started");

        int stageOne;
        await using (var db = await browser.ContextAsync())
        {
            stageOne = await db.AccessReviewItems.CountAsync(i => i.CampaignId == campaignId && i.Stage == 1 && i.Status == AccessReviewItemStatus.Pending);
        }
        Assert.True(stageOne > 0, "The review of Acme's grants holds no item for the representative.");

        // rep@acme confirms the first item with the keyboard: k, after a comment where the item needs one.
        var rep = await browser.NewPageAsync();
        await Session.SignInAsync(rep, "rep@acme.demo.local");
        await rep.GotoAsync("/access-reviews/queue");
        await Interactive.WaitAsync(rep);
        await Assertions.Expect(rep.GetByTestId("ar-shortcuts")).ToContainTextAsync("confirms still needed");
        var panel = rep.GetByTestId("ar-panel");
        await Assertions.Expect(panel).ToBeVisibleAsync();
        await Assertions.Expect(rep.GetByTestId("ar-keep")).ToHaveTextAsync("Confirm still needed (k)");
        await Accessibility.AssertNoSeriousViolationsAsync(rep);
        await Screens.CaptureAsync(rep, "access-review-3-rep-queue");
        await Assertions.Expect(rep.GetByTestId("ar-panel-error")).ToHaveCountAsync(0); // no error before anything was tried
        var first = await panel.GetAttributeAsync("data-item");
        var comment = rep.Locator("textarea[data-testid=ar-panel-comment]");
        // Typing a "k" in the comment box decides nothing.
        await comment.FillAsync("");
        await comment.PressSequentiallyAsync("keep");
        await Assertions.Expect(panel).ToHaveAttributeAsync("data-item", first!);
        await comment.FillAsync("Still on the Acme operations team; facts checked today.");
        await panel.FocusAsync();
        await rep.Keyboard.PressAsync("k");
        await Assertions.Expect(rep.GetByText(new Regex("still needed\\.$"))).ToBeVisibleAsync();
        await using (var db = await browser.ContextAsync())
        {
            var item = await db.AccessReviewItems.SingleAsync(i => i.Id == Guid.Parse(first!));
            Assert.Equal(AccessReviewDecision.Keep, item.StageOneDecision);
            Assert.Equal(2, item.Stage);
        }

        // co2 revokes every item waiting for them, in one confirmed bulk decision.
        var co2 = await browser.NewPageAsync();
        await Session.SignInAsync(co2, "co2@demo.local");
        await co2.GotoAsync($"/access-reviews/campaigns/{campaignId}?mine=true");
        await Interactive.WaitAsync(co2);
        var boxes = co2.Locator("input[data-testid=ar-select-page], [data-testid=ar-select-page] input");
        await Assertions.Expect(boxes.First).ToBeEnabledAsync();
        await boxes.First.CheckAsync();
        if (await co2.GetByTestId("ar-bulk-select-all").CountAsync() > 0)
        {
            await co2.GetByTestId("ar-bulk-select-all").ClickAsync();
        }
        var countText = await co2.GetByTestId("ar-bulk-count").TextContentAsync();
        var count = int.Parse(Regex.Match(countText!, @"[\d,]+").Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        await Accessibility.AssertNoSeriousViolationsAsync(co2);
        await Screens.CaptureAsync(co2, "access-review-4-officer-selection");
        await co2.GetByTestId("ar-bulk-revoke").ClickAsync();
        var dialog = co2.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog.GetByRole(AriaRole.Heading)).ToHaveTextAsync($"Revoke: {count:N0} {(count == 1 ? "item" : "items")}?");
        await dialog.Locator("textarea[data-testid=decision-comment]").FillAsync("Access review: no longer justified.");
        await Accessibility.AssertNoSeriousViolationsAsync(co2);
        await Screens.CaptureAsync(co2, "access-review-5-after-revoke");
        await dialog.GetByTestId("decision-confirm").ClickAsync();
        await Assertions.Expect(co2.GetByText(new Regex($"{count:N0} items? decided \\(revoke\\)"))).ToBeVisibleAsync();
        await using (var db = await browser.ContextAsync())
        {
            Assert.Equal(count, await db.AccessReviewItems.CountAsync(i => i.CampaignId == campaignId && i.Status == AccessReviewItemStatus.Revoked));
            var revoked = await db.AccessReviewItems.Where(i => i.Id == Guid.Parse(first!)).Select(i => i.Status).SingleAsync();
            Assert.Equal(AccessReviewItemStatus.Revoked, revoked);
        }

        // The auditor reads the campaign: no selection, no bulk bar, the report's downloads.
        var auditor = await browser.NewPageAsync();
        await Session.SignInAsync(auditor, "auditor@demo.local");
        await auditor.GotoAsync($"/access-reviews/campaigns/{campaignId}");
        await Interactive.WaitAsync(auditor);
        await Assertions.Expect(auditor.GetByTestId("ar-campaign-name")).ToContainTextAsync(name);
        await Assertions.Expect(auditor.GetByTestId("ar-summary-revoked")).ToHaveTextAsync(count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(auditor.Locator("[data-testid^=ar-select-]")).ToHaveCountAsync(0);
        await Assertions.Expect(auditor.GetByTestId("ar-bulk-bar")).ToHaveCountAsync(0);
        await auditor.GetByTestId("ar-report").ClickAsync();
        await Assertions.Expect(auditor.GetByTestId("ar-report-pdf")).ToHaveAttributeAsync("href", AccessReviewUrls.Report(campaignId, ExportFormat.Pdf));
        await Accessibility.AssertNoSeriousViolationsAsync(auditor);
        await Screens.CaptureAsync(auditor, "access-review-6-auditor");
        // The auditor downloads the campaign report: a PDF, sent with the sign-in cookie.
        var download = await auditor.RunAndWaitForDownloadAsync(() => auditor.GetByTestId("ar-report-pdf").ClickAsync());
        var pdf = await File.ReadAllBytesAsync(await download.PathAsync());
        Assert.True(pdf.Length > 1000, $"the report has {pdf.Length} bytes");
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));
        Assert.EndsWith(".pdf", download.SuggestedFilename, StringComparison.Ordinal);

        // An unknown campaign is the portal's not-found page.
        await auditor.GotoAsync($"/access-reviews/campaigns/{Guid.NewGuid()}");
        await Assertions.Expect(auditor.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
    }

    /// <summary>
    /// The demo holds no grant: co1 requests non-privileged access to the IL2 system (under Acme's contract) for Acme's people
    /// whom every rule allows there, and co3 approves; they are the review's grants (stage one: rep@acme; stage two: co2, co3).
    /// </summary>
    private async Task<List<Guid>> ActiveAcmeGrantsAsync(int count)
    {
        var co1 = await browser.ActorAsync("co1@demo.local", Core.Authorization.Roles.ContractingOfficer);
        var co3 = await browser.ActorAsync("co3@demo.local", Core.Authorization.Roles.ContractingOfficer);
        List<Guid> people;
        await using (var db = await browser.ContextAsync())
        {
            people = await db.People.Where(p => p.VendorId == Core.Data.Seeding.DemoSeeder.AcmeId && p.EmploymentStatus == Core.Domain.EmploymentStatus.Active)
                .OrderBy(p => p.FullName).Select(p => p.Id).Take(30).ToListAsync();
        }
        var today = browser.Today();
        var granted = new List<Guid>();
        foreach (var person in people)
        {
            var requested = await browser.TrySendAsync(co1, new Core.Features.Grants.RequestGrant(person, Arrange.Il2, Core.Domain.AccessType.NonPrivileged, false,
                today, today.AddDays(90), "Access review journey"));
            if (requested is { IsOk: true, Value.Status: Core.Domain.GrantStatus.Active }
                || (requested is { IsOk: true, Value.Status: Core.Domain.GrantStatus.PendingApproval }
                    && (await browser.TrySendAsync(co3, new Core.Features.Grants.ApproveGrant(requested.Value.Id))).IsOk))
            {
                granted.Add(requested.Value.Id);
            }
            if (granted.Count == count)
            {
                return granted;
            }
        }
        throw new InvalidOperationException($"Only {granted.Count} of Acme's {people.Count} people could be granted access to IL2.");
    }

    /// <summary>A multi-select's list stays open after a choice: a click beside it (on its overlay) closes it.</summary>
    private static async Task CloseListAsync(IPage page)
    {
        await page.Locator("h1").ClickAsync(new() { Force = true });
        await Assertions.Expect(page.GetByRole(AriaRole.Listbox)).ToHaveCountAsync(0);
    }
}
