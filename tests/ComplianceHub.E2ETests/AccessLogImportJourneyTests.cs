using System.Text;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Policy;
using ComplianceHub.Core.Rules;
using ComplianceHub.Core.Rules.Catalogue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ComplianceHub.E2ETests;

/// <summary>
/// Issue 25: a representative imports an access log through the wizard and the officer sees the finding. A policy version that
/// enables LOC-EVIDENCE-COVERED is drafted by co1 and activated by co2; an Acme person gets a grant on milCloud Public Portal;
/// rep@acme imports a plain CSV with that person's sign-in from 114.114.114.114 (registered in China in the installed geolocation
/// database); co1 then sees the finding in Findings and the suspended grant on the person's page. axe on the wizard and the pages.
/// </summary>
public sealed class AccessLogImportJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string SystemName = "milCloud Public Portal";

    private async Task<(Guid Person, string Name, string Email, Guid Grant)> ArrangeAsync()
    {
        var co1 = await browser.ActorAsync("co1@demo.local", Roles.ContractingOfficer);
        var co2 = await browser.ActorAsync("co2@demo.local", Roles.ContractingOfficer);
        PolicyVersionView active;
        await using (var scope = browser.Services.CreateAsyncScope())
        {
            active = await scope.ServiceProvider.GetRequiredService<PolicyVersionsQuery>().ActiveAsync();
        }
        var parameters = active.Parameters with
        {
            Rules = active.Parameters.Rules.ToDictionary(r => r.Key, r => r.Value)
                .Concat([new KeyValuePair<string, RuleSetting>(LocEvidenceCovered.RuleId, new RuleSetting(true, Severity.Block))])
                .GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Last().Value),
            Evidence = EvidenceSettings.Recommended,
        };
        var draft = await browser.SendAsync(co1, new DraftPolicyVersion("Access-log evidence (E2E)", parameters));
        await browser.SendAsync(co2, new ActivatePolicyVersion(draft.Value!.Id));

        await using var db = await browser.ContextAsync();
        var people = await db.People.Where(p => p.VendorId == DemoSeeder.AcmeId && p.Citizenships.Contains("US") && p.WorkCountry == "US")
            .OrderBy(p => p.FullName).Select(p => new { p.Id, p.FullName, p.Email }).Take(20).ToListAsync();
        var today = browser.Today();
        foreach (var person in people)
        {
            var requested = await browser.TrySendAsync(co1, new RequestGrant(person.Id, Arrange.Il2, AccessType.NonPrivileged, false, today, today.AddDays(90),
                "Access-log journey"));
            if (requested is { IsOk: true, Value.Status: GrantStatus.Active }
                || (requested is { IsOk: true, Value.Status: GrantStatus.PendingApproval } && (await browser.TrySendAsync(co2, new ApproveGrant(requested.Value.Id))).IsOk))
            {
                return (person.Id, person.FullName, person.Email, requested.Value!.Id);
            }
        }
        throw new InvalidOperationException("No Acme person could be granted access to the IL2 system.");
    }

    [Fact]
    public async Task ARepresentativeImportsALog_AndTheOfficerSeesTheFinding()
    {
        var (person, name, email, grant) = await ArrangeAsync();
        var at = browser.Today().AddDays(-1);
        var csv = $"user,time,address,system,id,result\n{email},{at:yyyy-MM-dd}T08:14:02Z,114.114.114.114,{SystemName},e2e-1,success\n";

        var rep = await browser.NewPageAsync();
        await Session.SignInAsync(rep, "rep@acme.demo.local");
        await rep.GotoAsync("/access-logs/import");
        await Interactive.WaitAsync(rep);
        await Assertions.Expect(rep.GetByTestId("access-import-empty")).ToBeVisibleAsync();
        await Assertions.Expect(rep.GetByTestId("access-import-check")).ToBeDisabledAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(rep);

        await rep.Locator("input[type=file]").Last.SetInputFilesAsync(new FilePayload
        {
            Name = "signins.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv),
        });
        await Assertions.Expect(rep.GetByTestId("access-import-file")).ToContainTextAsync("CSV of user, time, address and system", new() { Timeout = 30_000 });
        await rep.GetByTestId("access-import-check").ClickAsync();
        await Assertions.Expect(rep.GetByTestId("access-import-checked")).ToContainTextAsync("1 grant would be suspended", new() { Timeout = 60_000 });
        await Assertions.Expect(rep.GetByTestId("access-import-countries")).ToContainTextAsync("China (CN)");
        await Accessibility.AssertNoSeriousViolationsAsync(rep);

        await rep.GetByTestId("access-import-apply").ClickAsync();
        await Assertions.Expect(rep.GetByTestId("access-import-applied")).ToContainTextAsync("1 event added", new() { Timeout = 60_000 });
        await Assertions.Expect(rep.GetByTestId("access-import-applied")).ToContainTextAsync("1 grant suspended");
        await Accessibility.AssertNoSeriousViolationsAsync(rep);
        await rep.GetByTestId("access-import-detail-link").ClickAsync();
        await Assertions.Expect(rep.GetByTestId("access-import-title")).ToContainTextAsync("signins.csv");
        await Assertions.Expect(rep.GetByTestId("access-events-grid")).ToContainTextAsync("114.114.114.114", new() { Timeout = 30_000 });
        await Accessibility.AssertNoSeriousViolationsAsync(rep);
        await rep.GotoAsync("/access-logs");
        await Interactive.WaitAsync(rep);
        await Assertions.Expect(rep.GetByTestId("access-imports-grid")).ToContainTextAsync("signins.csv", new() { Timeout = 30_000 });
        await Accessibility.AssertNoSeriousViolationsAsync(rep);
        await rep.GotoAsync("/access-logs/unmatched");
        await Interactive.WaitAsync(rep);
        await Assertions.Expect(rep.GetByTestId("access-unmatched-empty")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Accessibility.AssertNoSeriousViolationsAsync(rep);

        var co1 = await browser.NewPageAsync();
        await Session.SignInAsync(co1, "co1@demo.local");
        await co1.GotoAsync($"/findings?rule={LocEvidenceCovered.RuleId}");
        await Interactive.WaitAsync(co1);
        await Assertions.Expect(co1.Locator(".findings-grid")).ToContainTextAsync(name, new() { Timeout = 30_000 });
        await co1.GotoAsync($"/people/{person}");
        await Interactive.WaitAsync(co1);
        await Assertions.Expect(co1.GetByTestId("person-findings")).ToContainTextAsync(LocEvidenceCovered.RuleId, new() { Timeout = 30_000 });
        await Assertions.Expect(co1.GetByTestId("person-grants")).ToContainTextAsync("Suspended");
        await using var db = await browser.ContextAsync();
        Assert.Equal(GrantStatus.Suspended, await db.Grants.Where(g => g.Id == grant).Select(g => g.Status).SingleAsync());
    }
}
