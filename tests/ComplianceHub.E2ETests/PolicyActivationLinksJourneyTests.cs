using System.Text.RegularExpressions;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Attestations;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Features.Attestations;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Features.Policy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace ComplianceHub.E2ETests;

/// <summary>
/// After a policy activation, the policy page says what it did and links to exactly that: two dual nationals (US and India) hold
/// IL2 grants, a draft adds India to the covered nations, a second officer activates it in the browser; "See the … findings it
/// opened" lists their findings only, and "See the people whose grants it suspended" lists the two of them only — not the person
/// an ordinary change moved to China the same day, whose grant is suspended too.
/// </summary>
public sealed class PolicyActivationLinksJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task TheReevaluationsLinks_OpenExactlyTheFindingsItOpened_AndThePeopleWhoseGrantsItSuspended()
    {
        var duals = new List<Guid>();
        for (var i = 0; i < 2; i++)
        {
            duals.Add(await GrantedPersonAsync($"PA-{i}", $"Priya Dual {i}", ["US", "IN"]));
        }
        var moved = await GrantedPersonAsync("PA-9", "Morgan Moved", ["US"]);
        var co1 = await browser.ActorAsync("co1@demo.local", Roles.ContractingOfficer);
        await browser.SendAsync(co1, new ChangePersonFacts(moved, "CN", "Shenzhen"));
        var draft = (await browser.SendAsync(co1, new DraftPolicyVersion("India is covered", Tests.Shared.PolicyDrafts.BaselineCovering("IN")))).Value!;

        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, "co2@demo.local");
        await page.GotoAsync($"/policy?draft={draft.Id}");
        await Interactive.WaitAsync(page);
        await page.GetByTestId("policy-activate").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        var summary = page.GetByTestId("policy-reevaluation");
        await Assertions.Expect(summary).ToHaveAttributeAsync("data-finished", "true");
        await Assertions.Expect(summary).ToContainTextAsync($"Policy version {draft.Number} applies to every grant");
        await Assertions.Expect(summary).ToContainTextAsync("2 suspended");

        int opened;
        await using (var db = await browser.ContextAsync())
        {
            opened = await db.ReevaluationRuns.Where(r => r.PolicyNumber == draft.Number && r.Reason == ReevaluationReason.Activation).Select(r => r.FindingsOpened).SingleAsync();
        }
        Assert.True(opened >= 2, $"The activation opened {opened} findings.");
        var findingsLink = page.GetByTestId("policy-reevaluation-findings");
        await Assertions.Expect(findingsLink).ToHaveTextAsync($"See the {opened} findings it opened");
        await Assertions.Expect(findingsLink).ToHaveAttributeAsync("href", $"/findings?openedByPolicy={draft.Number}");
        var grantsLink = page.GetByTestId("policy-reevaluation-grants");
        await Assertions.Expect(grantsLink).ToHaveTextAsync("See the people whose grants it suspended");
        await Assertions.Expect(grantsLink).ToHaveAttributeAsync("href", $"/roster?suspendedByPolicy={draft.Number}");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        var suspendedHref = await grantsLink.GetAttributeAsync("href");

        // The findings it opened: the two dual nationals', under the new version, and no other.
        await findingsLink.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($@"/findings\?openedByPolicy={draft.Number}$"));
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByTestId("findings-opened-by-policy")).ToContainTextAsync($"Opened when policy version {draft.Number} was activated");
        var rows = page.GetByTestId("findings-grid").Locator("tbody tr").Filter(new() { Has = page.GetByTestId("finding-status") });
        await Assertions.Expect(rows).ToHaveCountAsync(opened);
        await Assertions.Expect(rows.Filter(new() { HasText = "Priya Dual" })).ToHaveCountAsync(opened);
        await Assertions.Expect(page.GetByTestId("findings-grid")).Not.ToContainTextAsync("Morgan Moved");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // The people whose grants it suspended: the two of them, not the person the move suspended.
        // (The summary is the activation's answer on the page that made it: the link is followed from there, as a reader would in
        // a new tab.)
        await page.GotoAsync(suspendedHref!);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($@"/roster\?suspendedByPolicy={draft.Number}$"));
        await Interactive.WaitAsync(page);
        await Assertions.Expect(page.GetByTestId("roster-filter-chip")).ToHaveTextAsync($"Has a grant suspended when policy version {draft.Number} was activated");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Priya Dual 0" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Priya Dual 1" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Morgan Moved" })).ToHaveCountAsync(0);
        await Accessibility.AssertNoSeriousViolationsAsync(page);
    }

    /// <summary>Acme's representative adds and attests a vetted person working in the US; the first officer grants them the IL2 system.</summary>
    private async Task<Guid> GrantedPersonAsync(string employeeId, string name, IReadOnlyList<string> citizenships)
    {
        var today = browser.Today();
        var rep = await browser.ActorAsync("rep@acme.demo.local", Roles.VendorRepresentative, DemoSeeder.AcmeId);
        var person = (await browser.SendAsync(rep, new AddPerson(DemoSeeder.AcmeId, new PersonFields(employeeId, name, $"{employeeId.ToLowerInvariant()}@acme.example",
            EmployerType.VendorEmployee, citizenships, "US", false, new WorkLocation("US", "Reston"), InvestigationTier.T3, today.AddYears(-1), true,
            Clearance.None, today.AddMonths(-1))))).Value!.Person.Id;
        await browser.SendAsync(rep, new SubmitAttestation(DemoSeeder.AcmeId, "I attest.", [new AttestedPerson(person, "US", "Reston", citizenships)]));
        var grant = await browser.SendAsync(await browser.ActorAsync("co1@demo.local", Roles.ContractingOfficer),
            new RequestGrant(person, Arrange.Il2, AccessType.NonPrivileged, false, today, today.AddDays(30), "Operations"));
        Assert.Equal(GrantStatus.Active, grant.Value!.Status);
        return person;
    }
}
