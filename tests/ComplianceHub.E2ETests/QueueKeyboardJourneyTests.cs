using System.Text.RegularExpressions;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Screening;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace ComplianceHub.E2ETests;

/// <summary>
/// What docs/guides/keyboard-and-bulk-actions.md promises, in Chromium: the approvals queue worked from the keyboard (↓/j, ↑/k,
/// Home/End, Space, Enter, A, R; after a decision the next request opens and takes the focus), the findings queue's W and its bulk
/// acknowledgement, and the screening queue's T and its bulk "clear as false positives". Items are made for this class through
/// the real pipeline; its portal and database are its own (a class fixture), so no other journey's data is touched.
/// </summary>
public sealed class QueueKeyboardJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AnOfficer_WorksTheApprovalsQueue_FromTheKeyboard_AndTheNextRequestTakesTheFocus()
    {
        // In the queue's order (requested at): a, the officer's own request (not theirs to decide), b, c, d.
        var (a, _) = (await browser.RequestPendingAsync("co2@demo.local", 1))[0];
        var (own, _) = (await browser.RequestPendingAsync("co1@demo.local", 1))[0];
        var rest = await browser.RequestPendingAsync("co2@demo.local", 3);
        var ((b, bName), (c, cName), (d, _)) = (rest[0], rest[1], rest[2]);

        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, "co1@demo.local");
        await page.GotoAsync("/approvals");
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByTestId("queue-shortcuts").First).ToContainTextAsync("approves (after a confirmation)");
        ILocator Box(Guid id) => page.Locator($"[data-testid=select-grant-{id}] input, input[data-testid=select-grant-{id}]").First;
        await Assertions.Expect(Box(own)).ToBeDisabledAsync();

        // Moving: ↓ passes over the row that cannot be decided (its checkbox cannot take the focus), j and k step, End and Home jump.
        await Box(a).FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(Box(b)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("j");
        await Assertions.Expect(Box(c)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("k");
        await Assertions.Expect(Box(b)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("End");
        await Assertions.Expect(Box(d)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Home");
        var decidable = page.GetByTestId("approvals-grants-queue").Locator("[data-queue-row] input:not([disabled]), input[data-queue-row]:not([disabled])");
        await Assertions.Expect(decidable.First).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowUp"); // already the first: stays
        await Assertions.Expect(decidable.First).ToBeFocusedAsync();

        // Space selects and deselects the focused row; the bar counts it.
        await Box(b).FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(Box(b)).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByTestId("bulk-count")).ToHaveTextAsync("1 grant selected.");
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(Box(b)).Not.ToBeCheckedAsync();
        await Assertions.Expect(page.GetByTestId("bulk-bar")).ToHaveCountAsync(0);
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(page.GetByTestId("bulk-count")).ToHaveTextAsync("1 grant selected.");

        // Enter opens the row: its decision context.
        await Assertions.Expect(Box(b)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId($"context-grant-{b}")).ToHaveAttributeAsync("aria-expanded", "true");
        await Assertions.Expect(page.GetByTestId("approval-context").GetByTestId("context-rules"))
            .ToContainTextAsync(new Regex("Every rule of the active policy passes|these rules warn"));

        // A approves after a confirmation; the decided request leaves the queue and the selection, and the next one opens with the focus.
        await Box(b).FocusAsync();
        await page.Keyboard.PressAsync("a");
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync($"Approve access for {bName}?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();
        await Dialogs.ExpectClosedAsync(page);
        await Assertions.Expect(page.GetByText($"Access of {bName} to ")).ToBeVisibleAsync();
        await Assertions.Expect(Box(b)).ToHaveCountAsync(0);
        await Assertions.Expect(Box(c)).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByTestId($"context-grant-{c}")).ToHaveAttributeAsync("aria-expanded", "true");
        await Assertions.Expect(page.GetByTestId("bulk-bar")).ToHaveCountAsync(0);

        // R asks the reason, then rejects; the next request takes the focus again.
        await page.Keyboard.PressAsync("r");
        await Assertions.Expect(dialog).ToContainTextAsync($"Reject the request for {cName}");
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Reason" }).FillAsync("Not needed for this contract.");
        await dialog.GetByTestId("reason-submit").ClickAsync();
        await Dialogs.ExpectClosedAsync(page);
        await Assertions.Expect(page.GetByText($"Request for {cName} rejected.")).ToBeVisibleAsync();
        await Assertions.Expect(Box(c)).ToHaveCountAsync(0);
        await Assertions.Expect(Box(d)).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByTestId($"context-grant-{d}")).ToHaveAttributeAsync("aria-expanded", "true");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await using var db = await browser.ContextAsync();
        Assert.Equal(GrantStatus.Active, (await db.Grants.SingleAsync(g => g.Id == b)).Status);
        Assert.Equal(GrantStatus.Revoked, (await db.Grants.SingleAsync(g => g.Id == c)).Status);
        Assert.Equal(GrantStatus.PendingApproval, (await db.Grants.SingleAsync(g => g.Id == a)).Status);
        Assert.Equal(GrantStatus.PendingApproval, (await db.Grants.SingleAsync(g => g.Id == d)).Status);
    }

    [Fact]
    public async Task AnOfficer_AcknowledgesTwoFindings_InOneConfirmedBulkAction_SelectedFromTheKeyboard()
    {
        await MoveToACoveredNationAsync(2);
        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, "co1@demo.local");
        await page.GotoAsync("/findings?status=Open");
        await Interactive.WaitAsync(page);
        var queue = page.GetByTestId("findings-queue");
        var marked = queue.Locator("[data-testid^='select-finding-']");
        await Assertions.Expect(marked.First).ToBeVisibleAsync();
        var total = page.GetByTestId("findings-grid").GetByText(new Regex(@"^\s*\d+-\d+ of \d+\s*$")); // the pager: "1-4 of 4"
        var before = TotalOf(await total.InnerTextAsync());
        Assert.True(before >= 2, $"The demo holds {before} open findings.");
        var ids = new List<Guid>();
        for (var i = 0; i < 2; i++)
        {
            ids.Add(Guid.Parse((await marked.Nth(i).GetAttributeAsync("data-testid"))!["select-finding-".Length..]));
        }
        ILocator Box(Guid id) => page.Locator($"[data-testid=select-finding-{id}] input, input[data-testid=select-finding-{id}]").First;

        // W opens the focused row's actions with the focus on the first; Escape closes them.
        await Box(ids[0]).FocusAsync();
        await page.Keyboard.PressAsync("w");
        await Assertions.Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "Acknowledge…" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "Acknowledge…" })).ToHaveCountAsync(0);

        // Space, j, Space: the first two rows selected.
        await Box(ids[0]).FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await page.Keyboard.PressAsync("j");
        await Assertions.Expect(Box(ids[1])).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(Box(ids[0])).ToBeCheckedAsync();
        await Assertions.Expect(Box(ids[1])).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByTestId("bulk-count")).ToHaveTextAsync("2 findings selected.");

        await page.GetByTestId("bulk-acknowledge").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Acknowledge 2 findings?");
        // The response is required: confirming without one keeps the dialog open and says so.
        await dialog.GetByTestId("bulk-confirm").ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("Fill in the response");
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Response" }).FillAsync("Seen; the vendor is moving these people this week.");
        await dialog.GetByTestId("bulk-confirm").ClickAsync();
        await Dialogs.ExpectClosedAsync(page);
        await Assertions.Expect(page.GetByText("2 findings acknowledged; they stay open until their condition clears.")).ToBeVisibleAsync();
        foreach (var id in ids)
        {
            await Assertions.Expect(Box(id)).ToHaveCountAsync(0);
        }
        await Assertions.Expect(total).ToHaveTextAsync(new Regex($@"of {before - 2}\b"));
        await Assertions.Expect(page.GetByTestId("bulk-bar")).ToHaveCountAsync(0);

        // Each now reads acknowledged, with the response recorded.
        await using var db = await browser.ContextAsync();
        foreach (var id in ids)
        {
            var finding = await db.Findings.AsNoTracking().SingleAsync(f => f.Id == id);
            Assert.Equal(FindingStatus.Acknowledged, finding.Status);
            Assert.Equal("Seen; the vendor is moving these people this week.", finding.Response);
            await page.GotoAsync($"/findings?person={finding.PersonId}&status=Acknowledged");
            await Interactive.WaitAsync(page);
            var row = page.GetByTestId("findings-grid").Locator("tr").Filter(new() { Has = page.GetByTestId($"select-finding-{id}") });
            await Assertions.Expect(row.GetByTestId("finding-status")).ToHaveTextAsync("Acknowledged");
        }
    }

    [Fact]
    public async Task AnOfficer_ClearsTwoScreeningHits_AsFalsePositives_InOneConfirmedBulkAction()
    {
        var hits = new List<Guid>();
        foreach (var (number, name) in new[] { ("KB-1", "Dmitri Volkov"), ("KB-2", "Dima Volkov") })
        {
            hits.Add(await AddMatchedPersonAsync(number, name));
        }

        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, "co1@demo.local");
        await page.GotoAsync("/screening");
        await Interactive.WaitAsync(page);
        ILocator Box(Guid id) => page.Locator($"[data-testid=select-hit-{id}] input, input[data-testid=select-hit-{id}]").First;
        await Assertions.Expect(Box(hits[0])).ToBeVisibleAsync();

        // T on a row asks for the due diligence of a true match; Cancel leaves the hit pending.
        await Box(hits[0]).FocusAsync();
        await page.Keyboard.PressAsync("t");
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("Confirm true match");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Dialogs.ExpectClosedAsync(page);

        foreach (var id in hits)
        {
            await Box(id).CheckAsync();
        }
        await Assertions.Expect(page.GetByTestId("bulk-count")).ToHaveTextAsync("2 hits selected.");
        await page.GetByTestId("bulk-false-positive").ClickAsync();
        await Assertions.Expect(dialog.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Clear as false positives 2 hits?");
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Due diligence" }).FillAsync("Dates of birth and passport numbers differ from the listed party's.");
        await dialog.GetByTestId("bulk-confirm").ClickAsync();
        await Dialogs.ExpectClosedAsync(page);
        await Assertions.Expect(page.GetByText("2 hits cleared as false positives.")).ToBeVisibleAsync();
        foreach (var id in hits)
        {
            await Assertions.Expect(Box(id)).ToHaveCountAsync(0); // no longer awaiting a decision (the default filter)
        }

        await Select.ChooseAsync(page, page.Locator("main"), "Status", "False positive");
        var decided = page.GetByTestId("screening-grid").Locator("tr").Filter(new() { HasText = "Volkov" });
        await Assertions.Expect(decided).ToHaveCountAsync(2);
        for (var i = 0; i < 2; i++)
        {
            await Assertions.Expect(decided.Nth(i).GetByTestId("screening-hit-status")).ToHaveTextAsync("False positive");
        }
        await using var db = await browser.ContextAsync();
        Assert.Equal(2, await db.ScreeningHits.CountAsync(h => hits.Contains(h.Id) && h.Status == HitStatus.FalsePositive));
    }

    private static int TotalOf(string pagerText) =>
        int.Parse(Regex.Match(pagerText, @"of\s+([\d,]+)").Groups[1].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// <paramref name="count"/> people of the demo (which holds no grant) are granted the IL2 system, then move to China (the officer
    /// records the change): their grants are suspended and LOC-COVERED findings open, awaiting an answer. All through the pipeline.
    /// </summary>
    private async Task MoveToACoveredNationAsync(int count)
    {
        var today = browser.Today();
        var officer = await browser.ActorAsync("co1@demo.local", Roles.ContractingOfficer);
        List<Guid> candidates;
        await using (var db = await browser.ContextAsync())
        {
            candidates = await db.People.Where(p => p.EmploymentStatus == EmploymentStatus.Active && p.WorkCountry == "US"
                    && !db.Grants.Any(g => g.PersonId == p.Id))
                .OrderByDescending(p => p.FullName).Select(p => p.Id).Take(40).ToListAsync();
        }
        var moved = 0;
        foreach (var person in candidates)
        {
            var grant = await browser.TrySendAsync(officer, new RequestGrant(person, Arrange.Il2, AccessType.NonPrivileged, false, today, today.AddDays(30),
                "Findings journey"));
            if (grant is not { IsOk: true, Value.Status: GrantStatus.Active })
            {
                continue;
            }
            var outcome = await browser.SendAsync(officer, new ChangePersonFacts(person, "CN", "Shanghai"));
            Assert.NotEmpty(outcome.Value!.Consequences.FindingsOpened);
            if (++moved == count)
            {
                return;
            }
        }
        throw new InvalidOperationException($"Only {moved} of the demo's people could be granted IL2 and moved.");
    }

    /// <summary>Acme's representative adds a person whose name matches the demo's restricted list: screening opens a pending hit.</summary>
    private async Task<Guid> AddMatchedPersonAsync(string employeeId, string name)
    {
        var rep = await browser.ActorAsync("rep@acme.demo.local", Roles.VendorRepresentative, DemoSeeder.AcmeId);
        var outcome = await browser.SendAsync(rep, new AddPerson(DemoSeeder.AcmeId, new PersonFields(employeeId, name,
            $"{employeeId.ToLowerInvariant()}@acme.example", EmployerType.VendorEmployee, ["US"], "US", false, new WorkLocation("US", "Reston"))));
        await using var db = await browser.ContextAsync();
        return await db.ScreeningHits.Where(h => h.PersonId == outcome.Value!.Person.Id && h.Status == HitStatus.Pending).Select(h => h.Id).SingleAsync();
    }
}
