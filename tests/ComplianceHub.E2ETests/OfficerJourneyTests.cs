using System.Text.RegularExpressions;
using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ComplianceHub.E2ETests;

/// <summary>
/// Issue 5's journey as two contracting officers in Chromium: find a person by filter, open their page, request a
/// grant the rules refuse (shown before submitting), request one that needs a second officer, approve it as the other
/// officer, move a person to a covered nation and see the grants suspended and the finding on the dashboard, then
/// draft a policy change, preview its impact and activate it as the other officer. Every page is checked with axe.
/// </summary>
public sealed class OfficerJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static ILocator Dialog(IPage page) => page.GetByRole(AriaRole.Dialog);

    private static Task ChooseAsync(IPage page, ILocator scope, string label, string option) => Select.ChooseAsync(page, scope, label, option);

    private static async Task OpenPersonAsync(IPage page, string employeeId, string name)
    {
        await page.GotoAsync("/roster");
        await Interactive.WaitAsync(page);
        await page.GetByLabel("Search name or employee id").FillAsync(employeeId);
        await Assertions.Expect(page.GetByTestId("roster-total")).ToHaveTextAsync("1 person");
        await page.GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = name, Level = 1 })).ToBeVisibleAsync();
        await Interactive.WaitAsync(page);
    }

    [Fact]
    public async Task TwoOfficers_RefuseApproveSuspendAndChangeThePolicy()
    {
        var co1 = await browser.NewPageAsync();
        await Session.SignInAsync(co1, "co1@demo.local");

        // Find a person by filter: covered-nation citizens, then by name.
        await co1.GotoAsync("/roster?group=CoveredNation");
        await Interactive.WaitAsync(co1);
        await co1.GetByLabel("Search name or employee id").FillAsync("GLX-1015");
        await Assertions.Expect(co1.GetByTestId("roster-total")).ToHaveTextAsync("1 person");
        await co1.GetByRole(AriaRole.Link, new() { Name = "Tatum Li" }).ClickAsync();
        await Assertions.Expect(co1.GetByRole(AriaRole.Heading, new() { Name = "Tatum Li", Level = 1 })).ToBeVisibleAsync();
        await Interactive.WaitAsync(co1);
        await Screens.CaptureAsync(co1, "20-person");
        await Accessibility.AssertNoSeriousViolationsAsync(co1);

        // A grant the rules refuse: nothing is previewed until the form is complete (the submit button says what is missing),
        // then the refusal is shown live, before anything is submitted, and the button says why it cannot be submitted.
        await co1.GetByTestId("request-grant").ClickAsync();
        var dialog = Dialog(co1);
        await ChooseAsync(co1, dialog, "System", "Navy Personnel Records (IL5)");
        var preview = co1.GetByTestId("grant-preview");
        await Assertions.Expect(preview).ToHaveAttributeAsync("data-state", "idle");
        await Assertions.Expect(co1.GetByTestId("grant-submit-reason")).ToHaveTextAsync("Give the justification to continue.");
        await Assertions.Expect(co1.GetByTestId("grant-submit")).ToBeDisabledAsync();
        await dialog.GetByLabel("Justification", new() { Exact = true }).FillAsync("Database maintenance");
        await Assertions.Expect(preview).ToHaveAttributeAsync("data-state", "refused");
        await Assertions.Expect(preview.Locator("[data-testid=preview-violation][data-rule=CIT-COVERED]")).ToBeVisibleAsync();
        await Assertions.Expect(preview).ToContainTextAsync("Would be refused by CIT-COVERED"); // and NDA: no agreement on record
        await Assertions.Expect(preview).ToContainTextAsync("Citizenships: China (CN), United States (US)");
        await Assertions.Expect(co1.GetByTestId("grant-submit-reason")).ToHaveTextAsync(new Regex("^Refused by CIT-COVERED( and [A-Z-]+)?: cannot submit\\."));
        await Assertions.Expect(co1.GetByTestId("grant-submit")).ToBeDisabledAsync();
        await Screens.CaptureAsync(co1, "21-grant-refused-preview");
        await Accessibility.AssertNoSeriousViolationsAsync(co1);
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Assertions.Expect(co1.GetByTestId("person-grants")).ToContainTextAsync("Tatum Li holds no grant.");

        // A grant that needs a second officer: a US citizen on IL5.
        await OpenPersonAsync(co1, "GLX-1016", "Alex Patel");
        await co1.GetByTestId("request-grant").ClickAsync();
        dialog = Dialog(co1);
        await ChooseAsync(co1, dialog, "System", "Navy Personnel Records (IL5)");
        await dialog.GetByLabel("Justification", new() { Exact = true }).FillAsync("Records platform on-call");
        await dialog.GetByLabel("Justification", new() { Exact = true }).BlurAsync();
        await Preview.ExpectOkAsync(co1, "grant-preview", "Would be created pending a second officer's approval.");
        await co1.GetByTestId("grant-submit").ClickAsync();
        await Assertions.Expect(co1.GetByText(new Regex("pending a second officer's approval in the approvals queue"))).ToBeVisibleAsync();
        await Assertions.Expect(co1.GetByTestId("person-grants")).ToContainTextAsync("Pending approval");
        // A change made on a page names where it came from: the circuit's browser, its address and its sign-in session.
        await using (var db = await browser.Services.GetRequiredService<IDbContextFactory<ComplianceDbContext>>().CreateDbContextAsync())
        {
            var requested = await db.AuditEvents.AsNoTracking().Where(e => e.Operation == "request-grant" && e.SubjectType == "grant")
                .OrderByDescending(e => e.Sequence).FirstAsync();
            Assert.NotNull(requested.SessionId);
            Assert.Matches("^(127\\.0\\.0\\.1|::1|::ffff:127\\.0\\.0\\.1)$", requested.ClientAddress ?? "");
            Assert.Contains("Chrom", requested.UserAgent ?? "", StringComparison.Ordinal);
        }

        // And one that is active at once: a US citizen on IL2.
        await co1.GetByTestId("request-grant").ClickAsync();
        dialog = Dialog(co1);
        await ChooseAsync(co1, dialog, "System", "milCloud Public Portal (IL2)");
        await dialog.GetByLabel("Justification", new() { Exact = true }).FillAsync("Portal content updates");
        await dialog.GetByLabel("Justification", new() { Exact = true }).BlurAsync();
        await Preview.ExpectOkAsync(co1, "grant-preview", "Would be active at once.");
        await co1.GetByTestId("grant-submit").ClickAsync();
        await Assertions.Expect(co1.GetByTestId("person-grants").GetByText("Active", new() { Exact = true })).ToBeVisibleAsync();

        // The requester cannot approve their own request; the second officer can.
        await co1.GetByTestId("nav-approvals").ClickAsync();
        await Interactive.WaitAsync(co1);
        var co1Row = co1.GetByRole(AriaRole.Row).Filter(new() { HasText = "Alex Patel" });
        await Assertions.Expect(co1Row.GetByRole(AriaRole.Button, new() { Name = "Approve" })).ToBeDisabledAsync();
        await Assertions.Expect(co1Row).ToContainTextAsync("You requested this; another officer must approve it");
        await Accessibility.AssertNoSeriousViolationsAsync(co1);

        var co2 = await browser.NewPageAsync();
        await Session.SignInAsync(co2, "co2@demo.local");
        await co2.GetByTestId("nav-approvals").ClickAsync();
        await Assertions.Expect(co2.GetByRole(AriaRole.Heading, new() { Name = "Approvals" })).ToBeVisibleAsync();
        await Interactive.WaitAsync(co2);
        var co2Row = co2.GetByRole(AriaRole.Row).Filter(new() { HasText = "Alex Patel" });
        await Screens.CaptureAsync(co2, "24-approvals");
        await Accessibility.AssertNoSeriousViolationsAsync(co2);
        await co2Row.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        // Approving asks for a confirmation first (issue 21).
        await co2.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();
        await Assertions.Expect(co2.GetByText("Access of Alex Patel to Navy Personnel Records approved and active.")).ToBeVisibleAsync();
        await Assertions.Expect(co2.GetByRole(AriaRole.Row).Filter(new() { HasText = "Alex Patel" })).ToHaveCountAsync(0);

        await OpenPersonAsync(co1, "GLX-1016", "Alex Patel");
        await Assertions.Expect(co1.GetByTestId("person-grants").GetByText("Active", new() { Exact = true })).ToHaveCountAsync(2);

        // The person moves to China: the facts are recorded, their grants are suspended and findings open.
        await co1.GetByTestId("change-facts").ClickAsync();
        dialog = Dialog(co1);
        await Autocomplete.ChooseAsync(co1, co1.GetByTestId("facts-country"), "China", new() { Name = "China (CN)" },
            () => Assertions.Expect(co1.GetByTestId("facts-country")).ToHaveValueAsync("China (CN)", new() { Timeout = 10_000 }));
        await dialog.GetByLabel("City or site").FillAsync("Shanghai");
        await Accessibility.AssertNoSeriousViolationsAsync(co1);
        await co1.GetByTestId("facts-submit").ClickAsync();
        await Assertions.Expect(co1.GetByText(new Regex(@"Change recorded: \d+ grants? suspended, \d+ findings? opened\."))).ToBeVisibleAsync();
        await Assertions.Expect(co1.GetByTestId("person-grants").GetByText("Suspended", new() { Exact = true }).First).ToBeVisibleAsync();
        await Assertions.Expect(co1.GetByTestId("person-findings")).ToContainTextAsync("LOC-COVERED");
        await Screens.CaptureAsync(co1, "22-person-after-move");

        // The finding on the dashboard, and the number leads to it.
        await co1.GetByTestId("nav-dashboard").ClickAsync();
        await Assertions.Expect(co1.GetByRole(AriaRole.Heading, new() { Name = "Posture dashboard" })).ToBeVisibleAsync();
        await Interactive.WaitAsync(co1);
        await Assertions.Expect(co1.GetByTestId("dash-rule-LOC-COVERED")).ToBeVisibleAsync();
        await Assertions.Expect(co1.GetByTestId("dash-suspended-grants")).Not.ToHaveTextAsync("0");
        await Screens.CaptureAsync(co1, "23-dashboard");
        await Accessibility.AssertNoSeriousViolationsAsync(co1);

        // A policy change: drafted by co1 with the country picker, its impact previewed, activated by co2.
        await co1.GetByTestId("nav-policy").ClickAsync();
        await Assertions.Expect(co1.GetByRole(AriaRole.Heading, new() { Name = "Policy", Exact = true })).ToBeVisibleAsync();
        await Interactive.WaitAsync(co1);
        await Screens.CaptureAsync(co1, "25-policy");
        await Accessibility.AssertNoSeriousViolationsAsync(co1);
        await co1.GetByTestId("policy-new-draft").ClickAsync();
        var covered = co1.GetByTestId("country-picker-COVERED");
        await Autocomplete.ChooseAsync(co1, co1.GetByTestId("country-picker-COVERED-add"), "Belarus", new() { Name = "Belarus (BY)" },
            () => Assertions.Expect(covered).ToContainTextAsync("Belarus (BY)", new() { Timeout = 10_000 }));
        await co1.GetByTestId("policy-save-draft").ClickAsync();
        await Assertions.Expect(co1.GetByRole(AriaRole.Heading, new() { Name = "Draft v2" })).ToBeVisibleAsync();
        await co1.GetByTestId("policy-preview").ClickAsync();
        await Assertions.Expect(co1.GetByTestId("policy-impact")).ToBeVisibleAsync();
        await Assertions.Expect(co1.GetByTestId("policy-activate")).ToBeDisabledAsync();
        await Assertions.Expect(co1.GetByTestId("policy-activate-note")).ToContainTextAsync("another officer must activate it");
        await Screens.CaptureAsync(co1, "26-policy-draft-impact");
        await Accessibility.AssertNoSeriousViolationsAsync(co1);

        await co2.GetByTestId("nav-policy").ClickAsync();
        await Interactive.WaitAsync(co2);
        await co2.GetByTestId("policy-open-draft-2").ClickAsync();
        await co2.GetByTestId("policy-preview").ClickAsync();
        await Assertions.Expect(co2.GetByTestId("policy-impact")).ToBeVisibleAsync();
        await co2.GetByTestId("policy-activate").ClickAsync();
        await Dialog(co2).GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        await Assertions.Expect(co2.GetByTestId("policy-history")).ToContainTextAsync("Morgan Officer");
        // Its consequences on the existing grants are applied in batches right after, with their progress on the page (ADR 0029).
        await Assertions.Expect(co2.GetByTestId("policy-reevaluation")).ToHaveAttributeAsync("data-finished", "true");
        await Assertions.Expect(co2.GetByTestId("policy-reevaluation")).ToContainTextAsync("applies to every grant");
        await Assertions.Expect(co2.GetByText(new Regex("Belarus \\(BY\\)")).First).ToBeVisibleAsync();
        await Screens.CaptureAsync(co2, "27-policy-activated");
    }
}
