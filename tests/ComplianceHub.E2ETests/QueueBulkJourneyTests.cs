using System.Text.RegularExpressions;
using ComplianceHub.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace ComplianceHub.E2ETests;

/// <summary>
/// The queues' bulk actions in Chromium (issue 21): a second officer opens a request's decision context, selects three pending
/// grants, confirms "Approve 3 grants" and sees them go; an auditor selects two flagged changes of the review queue and
/// records one verdict on both — every step through the real pipeline, every page axe clean.
/// </summary>
public sealed class QueueBulkJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task ASecondOfficer_ApprovesThreePendingGrants_InOneConfirmedBulkAction()
    {
        var pending = (await browser.RequestPendingAsync("co1@demo.local", 3)).Select(p => p.Grant).ToList();
        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, "co2@demo.local");
        await page.GotoAsync("/approvals");
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByTestId("queue-shortcuts").First).ToContainTextAsync("Space selects");

        // The decision context of one request: the person's facts in words, and what the rules say of approving it now.
        await page.GetByTestId($"context-grant-{pending[0]}").ClickAsync();
        var context = page.GetByTestId("approval-context");
        await Assertions.Expect(context.GetByTestId("context-citizenships")).ToContainTextAsync("United States (US)");
        await Assertions.Expect(context.GetByTestId("context-rules")).ToContainTextAsync(new Regex("Every rule of the active policy passes|these rules warn"));
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        foreach (var id in pending)
        {
            await page.Locator($"[data-testid=select-grant-{id}] input, input[data-testid=select-grant-{id}]").First.CheckAsync();
        }
        await Assertions.Expect(page.GetByTestId("bulk-count")).ToHaveTextAsync("3 grants selected.");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.GetByTestId("bulk-approve").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Approve 3 grants?");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await dialog.GetByTestId("bulk-confirm").ClickAsync();
        await Assertions.Expect(page.GetByText("3 grants approved.")).ToBeVisibleAsync();
        foreach (var id in pending)
        {
            await Assertions.Expect(page.GetByTestId($"select-grant-{id}")).ToHaveCountAsync(0);
        }
        await Assertions.Expect(page.GetByTestId("bulk-bar")).ToHaveCountAsync(0);

        await using var db = await browser.ContextAsync();
        Assert.Equal(3, await db.Grants.CountAsync(g => pending.Contains(g.Id) && g.Status == GrantStatus.Active));
        Assert.Equal(3, await db.AuditEvents.CountAsync(e => e.Operation == "approve-grants"));
    }

    [Fact]
    public async Task AnAuditor_RecordsOneVerdictOnTwoFlaggedChanges_FromTheReviewQueue()
    {
        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, "auditor@demo.local");
        await page.GotoAsync("/contributions");
        await Interactive.WaitAsync(page);
        await page.GetByTestId("contrib-view-queue").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("flagged=true"));
        var boxes = page.GetByTestId("contrib-grid").Locator("[data-queue-row] input, input[data-queue-row]");
        await Assertions.Expect(boxes.First).ToBeVisibleAsync();
        var before = await boxes.CountAsync();
        Assert.True(before >= 2, $"The demo review queue holds {before} flagged changes.");

        // The first row ticked; from its checkbox, ↓ moves to the next row's (the queue's keyboard), and that one is ticked too.
        await boxes.First.CheckAsync();
        await Assertions.Expect(page.GetByTestId("bulk-count")).ToHaveTextAsync("1 contribution selected.");
        await boxes.First.FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(boxes.Nth(1)).ToBeFocusedAsync();
        await boxes.Nth(1).CheckAsync();
        await Assertions.Expect(page.GetByTestId("bulk-count")).ToHaveTextAsync("2 contributions selected.");

        await page.GetByTestId("bulk-no-concern").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Mark no concern 2 contributions?");
        await dialog.GetByTestId("bulk-confirm").ClickAsync();
        await Assertions.Expect(page.GetByText("2 contributions marked reviewed, no concern.")).ToBeVisibleAsync();
        // Reviewed, they leave the queue (flagged, not reviewed).
        await Assertions.Expect(boxes).ToHaveCountAsync(before - 2);
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.GotoAsync("/contributions?verdict=NoConcern");
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByTestId("contrib-verdict-chip")).ToHaveCountAsync(2);
    }
}
