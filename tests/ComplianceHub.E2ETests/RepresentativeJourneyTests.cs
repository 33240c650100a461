using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ComplianceHub.E2ETests;

/// <summary>
/// Issue 6's journey as Acme's representative in Chromium: add a person (the rules answer before saving), request an
/// escort for a foreign national (an officer approves it), follow it under Access requests, record a supervised session
/// and sign it off, and open the findings. (The import wizard and the attestation have their own journeys.)
/// Every page and dialog is checked with axe.
/// </summary>
public sealed class RepresentativeJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static ILocator Dialog(IPage page) => page.GetByRole(AriaRole.Dialog);

    private static Task CountryAsync(IPage page, string testId, string search, string option, Func<Task> chosen) =>
        Autocomplete.ChooseAsync(page, page.GetByTestId(testId), search, new() { Name = option }, chosen);

    [Fact]
    public async Task TheRepresentative_AddsAPerson_RequestsAnEscort_AndFollowsIt()
    {
        var rep = await browser.NewPageAsync();
        await Session.SignInAsync(rep, "rep@acme.demo.local");

        // The roster is Acme's alone.
        await rep.GetByTestId("nav-roster").ClickAsync();
        await Assertions.Expect(rep.GetByRole(AriaRole.Heading, new() { Name = "Acme Cloud Services roster", Level = 1 })).ToBeVisibleAsync();
        await Interactive.WaitAsync(rep);
        await Assertions.Expect(rep.GetByTestId("roster-total")).ToHaveTextAsync("25 people");
        await Accessibility.AssertNoSeriousViolationsAsync(rep);

        // Add a person: the rules answer before saving.
        await rep.GetByTestId("add-person").ClickAsync();
        var dialog = Dialog(rep);
        await rep.GetByTestId("person-employee-id").FillAsync("ACME-2001");
        await rep.GetByTestId("person-full-name").FillAsync("Jordan Quill");
        await rep.GetByTestId("person-email").FillAsync("jordan.quill@acme.example");
        await CountryAsync(rep, "person-add-citizenship", "Canada", "Canada (CA)",
            () => Assertions.Expect(rep.GetByTestId("person-citizenship-CA")).ToBeVisibleAsync(new() { Timeout = 10_000 }));
        await CountryAsync(rep, "person-work-country", "Canada", "Canada (CA)",
            () => Assertions.Expect(rep.GetByTestId("person-work-country")).ToHaveValueAsync("Canada (CA)", new() { Timeout = 10_000 }));
        await rep.GetByTestId("person-work-city").FillAsync("Ottawa");
        await rep.GetByTestId("person-work-city").BlurAsync();
        await Assertions.Expect(rep.GetByTestId("person-preview").GetByTestId("preview-ok"))
            .ToHaveTextAsync("Would be added to the roster. Saving would change no grant and no finding.");
        await Screens.CaptureAsync(rep, "30-rep-add-person");
        await Accessibility.AssertNoSeriousViolationsAsync(rep);
        await rep.GetByTestId("person-save").ClickAsync();
        await Assertions.Expect(rep.GetByRole(AriaRole.Heading, new() { Name = "Jordan Quill", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(rep.GetByTestId("fact-citizenships")).ToContainTextAsync("CA");
        await Interactive.WaitAsync(rep);

        // Editing shows the consequences first: a move to China would suspend nothing here (no grant), but open no finding either.
        await rep.GetByTestId("edit-person").ClickAsync();
        dialog = Dialog(rep);
        await rep.GetByTestId("person-work-city").FillAsync("Toronto");
        await rep.GetByTestId("person-work-city").BlurAsync();
        await Assertions.Expect(rep.GetByTestId("person-preview").GetByTestId("preview-ok")).ToHaveTextAsync("Saving would change no grant and no finding.");
        await rep.GetByTestId("person-save").ClickAsync();
        await Assertions.Expect(rep.GetByTestId("fact-work-location")).ToContainTextAsync("Toronto");

        // Request an escort for a foreign national (Harper Ivanova, GB) with a qualified US escort (Alex Abbott).
        await rep.GotoAsync("/roster");
        await Interactive.WaitAsync(rep);
        await rep.GetByLabel("Search name or employee id").FillAsync("ACME-1008");
        await Assertions.Expect(rep.GetByTestId("roster-total")).ToHaveTextAsync("1 person");
        await rep.GetByRole(AriaRole.Link, new() { Name = "Harper Ivanova" }).ClickAsync();
        await Assertions.Expect(rep.GetByRole(AriaRole.Heading, new() { Name = "Harper Ivanova", Level = 1 })).ToBeVisibleAsync();
        await Interactive.WaitAsync(rep);
        await rep.GetByTestId("assign-escort").ClickAsync();
        dialog = Dialog(rep);
        await Assertions.Expect(dialog.GetByRole(AriaRole.Heading, new() { Name = "Request an escort for Harper Ivanova" })).ToBeVisibleAsync();
        await Autocomplete.ChooseAsync(rep, rep.GetByTestId("escort-person"), "ACME-1001", new() { NameRegex = new Regex(@"Alex Abbott \(ACME-1001\)") },
            () => Assertions.Expect(rep.GetByTestId("escort-person")).ToHaveValueAsync(new Regex("Alex Abbott"), new() { Timeout = 10_000 }));
        await dialog.GetByLabel("System", new() { Exact = true }).ClickAsync();
        await rep.GetByRole(AriaRole.Option, new() { Name = "milCloud Public Portal (IL2)" }).ClickAsync();
        // The new system re-reads who may escort (a server round trip): type the reason once the picker says so, and see it kept
        // (the preview alone proves nothing about the reason: it previews an empty one as "(preview)").
        await Assertions.Expect(dialog.GetByText(new Regex("Offered: people who may supervise .* on milCloud Public Portal"))).ToBeVisibleAsync();
        await rep.GetByTestId("escort-justification").FillAsync("Patch nights on the public portal");
        await rep.GetByTestId("escort-justification").BlurAsync();
        await Assertions.Expect(rep.GetByTestId("escort-justification")).ToHaveValueAsync("Patch nights on the public portal");
        await Assertions.Expect(rep.GetByTestId("escort-preview").GetByTestId("preview-ok")).ToContainTextAsync("Would be sent to a contracting officer");
        await Accessibility.AssertNoSeriousViolationsAsync(rep);
        await rep.GetByTestId("escort-submit").ClickAsync();
        await Dialogs.ExpectClosedAsync(rep);
        await Assertions.Expect(rep.GetByText(new Regex("Escort request sent"))).ToBeVisibleAsync();

        // Follow it under Access requests.
        await rep.GetByTestId("nav-requests").ClickAsync();
        await Assertions.Expect(rep.GetByRole(AriaRole.Heading, new() { Name = "Access requests", Level = 1 })).ToBeVisibleAsync();
        await Interactive.WaitAsync(rep);
        await rep.GetByRole(AriaRole.Tab, new() { Name = "Escort requests" }).ClickAsync();
        await Assertions.Expect(rep.GetByTestId("escort-requests")).ToContainTextAsync("Harper Ivanova");
        await Assertions.Expect(rep.GetByTestId("escort-request-status").First).ToHaveTextAsync("Pending");
        await Screens.CaptureAsync(rep, "31-rep-access-requests");
        await Accessibility.AssertNoSeriousViolationsAsync(rep);

        // An officer approves it on the Approvals page; the representative sees it approved.
        var co = await browser.NewPageAsync();
        await Session.SignInAsync(co, "co1@demo.local");
        await co.GotoAsync("/approvals");
        await Interactive.WaitAsync(co);
        await Assertions.Expect(co.GetByTestId("approvals-escorts")).ToContainTextAsync("Harper Ivanova");
        await co.GetByTestId("approvals-escorts").GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Assertions.Expect(co.GetByText(new Regex("Alex Abbott now escorts Harper Ivanova"))).ToBeVisibleAsync();

        await rep.ReloadAsync();
        await Interactive.WaitAsync(rep);
        await rep.GetByRole(AriaRole.Tab, new() { Name = "Escort requests" }).ClickAsync();
        await Assertions.Expect(rep.GetByTestId("escort-request-status").First).ToHaveTextAsync("Approved");

        // The escort now supervises: record a session under the assignment, and the escort signs it off.
        await rep.GetByTestId("nav-sessions").ClickAsync();
        await Assertions.Expect(rep.GetByRole(AriaRole.Heading, new() { Name = "Escorted sessions", Level = 1 })).ToBeVisibleAsync();
        await Interactive.WaitAsync(rep);
        await rep.GetByTestId("record-session").ClickAsync();
        dialog = Dialog(rep);
        // Click the select itself, not its text input: once the dialog has loaded a single assignment it preselects it, and
        // MudSelect then shows the choice in place of the (hidden) input — on a busy machine the load wins the race.
        await dialog.Locator(".mud-select").Filter(new() { Has = rep.GetByTestId("record-session-assignment") }).First.ClickAsync();
        await rep.GetByRole(AriaRole.Option, new() { NameRegex = new Regex("Alex Abbott → Harper Ivanova on milCloud Public Portal") }).ClickAsync();
        var day = DateTime.UtcNow.ToString("yyyy-MM-dd");
        await rep.GetByTestId("record-session-start").FillAsync($"{day}T01:00");
        await rep.GetByTestId("record-session-end").FillAsync($"{day}T02:30");
        await rep.GetByTestId("record-session-ticket").FillAsync("CHG-4711");
        await rep.GetByTestId("record-session-summary").FillAsync("Applied the November OS patches to the portal web tier");
        await rep.GetByTestId("record-session-summary").BlurAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(rep);
        await rep.GetByTestId("record-session-submit").ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(rep.GetByTestId("sessions-grid")).ToContainTextAsync("CHG-4711");
        await Assertions.Expect(rep.GetByTestId("session-status").First).ToHaveTextAsync("Waiting for sign-off");
        await rep.GetByTestId("session-sign-off").First.ClickAsync();
        await rep.GetByTestId("sign-off-confirm").ClickAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(rep);
        await rep.GetByTestId("sign-off-submit").ClickAsync();
        await Assertions.Expect(rep.GetByTestId("session-status").First).ToHaveTextAsync("Signed off");
        await Screens.CaptureAsync(rep, "32-rep-session-signed");

        // Findings: Acme's only, each with how to respond.
        await rep.GetByTestId("nav-findings").ClickAsync();
        await Assertions.Expect(rep.GetByRole(AriaRole.Heading, new() { Name = "Findings", Level = 1 })).ToBeVisibleAsync();
        await Interactive.WaitAsync(rep);
        await Assertions.Expect(rep.GetByTestId("findings-vendor")).ToHaveCountAsync(0);
        await Accessibility.AssertNoSeriousViolationsAsync(rep);
    }
}
