using System.Reflection;
using System.Security.Claims;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Domain.Attestations;
using ComplianceHub.Core.Features.AccessReviews;
using ComplianceHub.Core.Features.Attestations;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Data.Seeding;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ComplianceHub.E2ETests;

/// <summary>
/// Every page the portal routes, opened by each role that may open it (as the page's own [Authorize] decides, asked of the
/// portal's authorization service), plus the API reference (Scalar): axe finds no violation at all. The pages are found by
/// reflection, so a new page is swept from the day it exists; one with a route parameter needs a sample id here, or the test
/// says which.
/// </summary>
public sealed class AccessibilitySweepTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>Pages that are not a signed-in person's workspace: the sign-in flow (swept by SignInJourneyTests) and the error page.</summary>
    private static readonly HashSet<string> NotSwept = ["/consent", "/account/login", "/account/login/code", "/error"];

    public static TheoryData<string, string> Roles() => new()
    {
        { "co1@demo.local", Core.Authorization.Roles.ContractingOfficer },
        { "rep@acme.demo.local", Core.Authorization.Roles.VendorRepresentative },
        { "auditor@demo.local", Core.Authorization.Roles.Auditor },
        { "admin@demo.local", Core.Authorization.Roles.Administrator },
    };

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task EveryPageTheRoleMayOpen_AndTheApiReference_HaveNoAxeViolation(string email, string role)
    {
        var routes = await RoutesAsync(role);
        Assert.Contains("/", routes);
        var page = await browser.NewPageAsync();
        await Session.SignInAsync(page, email);
        var failures = new List<string>();
        foreach (var route in routes)
        {
            await page.GotoAsync(route);
            // The static account pages (AccountLayout: password, second factor, access denied) have no circuit to wait for.
            await Assertions.Expect(page.Locator("main")).ToBeVisibleAsync();
            if (await page.Locator("main[data-interactive]").CountAsync() > 0)
            {
                await Interactive.WaitAsync(page);
            }
            await SettledAsync(page);
            failures.AddRange(await Accessibility.ViolationsAsync(page, seriousOnly: false));
        }

        // The API reference is Scalar's page, not a Blazor one: it is ready when the operations are listed.
        await page.GotoAsync("/scalar/v1");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(page.GetByText("ComplianceHub", new() { Exact = false }).First).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        failures.AddRange(await Accessibility.ViolationsAsync(page, seriousOnly: false));

        Assert.True(failures.Count == 0, $"axe, as {email}, over {routes.Count + 1} pages:\n{string.Join("\n", failures)}");
    }

    /// <summary>Waits until the page has read its rows: no busy table, no progress bar, no "Loading…" text (at most ten seconds).</summary>
    private static async Task SettledAsync(IPage page)
    {
        await page.WaitForFunctionAsync("""
            () => !document.querySelector('[aria-busy="true"], .mud-progress-linear, .mud-progress-circular')
                && !/Loading/.test(document.querySelector('main')?.innerText ?? '')
            """, null, new() { Timeout = 10_000 }).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>Every routed page the role's principal is authorized for, with a sample id for each route parameter.</summary>
    private async Task<IReadOnlyList<string>> RoutesAsync(string role)
    {
        var samples = await SamplesAsync();
        var authorization = browser.Services.GetRequiredService<IAuthorizationService>();
        var policies = browser.Services.GetRequiredService<IAuthorizationPolicyProvider>();
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()), new(ClaimTypes.Role, role) };
        if (role == Core.Authorization.Roles.VendorRepresentative)
        {
            claims.Add(new Claim(ComplianceClaimTypes.VendorId, DemoSeeder.AcmeId.ToString()));
        }
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, "sweep", ClaimTypes.Name, ClaimTypes.Role));
        var routes = new List<string>();
        foreach (var type in typeof(Program).Assembly.GetTypes())
        {
            foreach (var template in type.GetCustomAttributes<RouteAttribute>().Select(r => r.Template))
            {
                if (NotSwept.Contains(template))
                {
                    continue;
                }
                var policy = await AuthorizationPolicy.CombineAsync(policies, type.GetCustomAttributes<AuthorizeAttribute>(inherit: true).ToList());
                if (policy is not null && !(await authorization.AuthorizeAsync(principal, null, policy)).Succeeded)
                {
                    continue;
                }
                var route = template;
                foreach (var (parameter, value) in samples)
                {
                    route = route.Replace(parameter, value, StringComparison.Ordinal);
                }
                Assert.False(route.Contains('{', StringComparison.Ordinal), $"{type.Name} ({template}) has a route parameter with no sample id in the sweep.");
                routes.Add(route);
            }
        }
        return [.. routes.Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>The demo has no attestation: the Acme representative attests one person's facts as they stand, through the pipeline.</summary>
    private async Task<Guid> AttestAsync(ComplianceDbContext db, Guid personId)
    {
        var person = await db.People.Where(p => p.Id == personId).Select(p => new { p.WorkCountry, p.WorkCity, p.Citizenships }).SingleAsync();
        var (_, name, role, vendor) = DemoSeeder.Accounts.Single(a => a.Email == "rep@acme.demo.local");
        var userId = await db.Users.Where(u => u.NormalizedEmail == "REP@ACME.DEMO.LOCAL").Select(u => u.Id).SingleAsync();
        await using var scope = browser.Services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<CommandExecutor>().SendAsync(new Actor(userId, name, role, vendor, "Acme"),
            new SubmitAttestation(DemoSeeder.AcmeId, "I attest.", [new AttestedPerson(personId, person.WorkCountry, person.WorkCity, [.. person.Citizenships])]));
        Assert.True(outcome.IsOk, outcome.Message);
        return outcome.Value!.AttestationId;
    }

    /// <summary>The demo has no access log: co1 imports a plain CSV of one Acme sign-in to the IL2 system, through the pipeline.</summary>
    private async Task<Guid> ImportAccessLogAsync()
    {
        var officer = await browser.ActorAsync("co1@demo.local", Core.Authorization.Roles.ContractingOfficer);
        var csv = $"user,time,address\nsweep@elsewhere.example,{browser.Today():yyyy-MM-dd}T08:00:00Z,8.8.8.8\n";
        var outcome = await browser.TrySendAsync(officer, new Core.Features.AccessLogs.ImportAccessLog(DemoSeeder.AcmeId, Arrange.Il2, "sweep.csv",
            System.Text.Encoding.UTF8.GetBytes(csv), Core.Features.AccessLogs.AccessLogFormat.PlainCsv));
        Assert.True(outcome.IsOk && outcome.Value!.ImportId is not null, outcome.Message);
        return outcome.Value!.ImportId!.Value;
    }

    /// <summary>The demo has no access review: co1 defines one of Acme's grants and starts it, through the pipeline.</summary>
    private async Task<Guid> StartReviewAsync()
    {
        var officer = await browser.ActorAsync("co1@demo.local", Core.Authorization.Roles.ContractingOfficer);
        var second = await browser.ActorAsync("co3@demo.local", Core.Authorization.Roles.ContractingOfficer);
        await using (var db = await browser.ContextAsync())
        {
            // The demo holds no grant: one Acme person gets non-privileged access to the IL2 system (Acme's contract covers it).
            foreach (var person in await db.People.Where(p => p.VendorId == DemoSeeder.AcmeId).OrderBy(p => p.FullName).Select(p => p.Id).Take(20).ToListAsync())
            {
                var today = browser.Today();
                var requested = await browser.TrySendAsync(officer, new Core.Features.Grants.RequestGrant(person, Arrange.Il2, Core.Domain.AccessType.NonPrivileged,
                    false, today, today.AddDays(90), "Accessibility sweep"));
                if (requested is { IsOk: true, Value.Status: Core.Domain.GrantStatus.Active }
                    || (requested is { IsOk: true, Value.Status: Core.Domain.GrantStatus.PendingApproval }
                        && (await browser.TrySendAsync(second, new Core.Features.Grants.ApproveGrant(requested.Value.Id))).IsOk))
                {
                    break;
                }
            }
        }
        var definition = await browser.SendAsync(officer, new SaveAccessReviewDefinition(null, $"Sweep review of Acme {Guid.NewGuid():N}"[..32],
            new AccessReviewScope { VendorIds = [DemoSeeder.AcmeId] }, true, officer.UserId, 30, [7, 1], DeadlineAction.Escalate, 7,
            CommentRule.WhenSensitive, Recurrence.None, null));
        return (await browser.SendAsync(officer, new StartAccessReviewCampaign(definition.Value!.Id))).Value!.Id;
    }

    /// <summary>A record of each kind a page opens by id, Acme's where it has one (the representative's vendor, so every role sees them).</summary>
    private async Task<IReadOnlyList<(string Parameter, string Value)>> SamplesAsync()
    {
        await using var db = await browser.Services.GetRequiredService<IDbContextFactory<ComplianceDbContext>>().CreateDbContextAsync();
        var acme = DemoSeeder.AcmeId;
        var person = await db.People.Where(p => p.VendorId == acme).OrderBy(p => p.FullName).Select(p => p.Id).FirstAsync();
        var attestation = await db.LocationAttestations.Where(a => a.VendorId == acme).Select(a => (Guid?)a.Id).FirstOrDefaultAsync()
            ?? await AttestAsync(db, person);
        var contribution = await db.CodeContributions.OrderBy(c => c.VendorId == acme ? 0 : 1).Select(c => c.Id).FirstAsync();
        var sequence = await db.AuditEvents.MinAsync(e => e.Sequence);
        var campaign = await db.AccessReviewCampaigns.Select(c => (Guid?)c.Id).FirstOrDefaultAsync() ?? await StartReviewAsync();
        var definition = await db.AccessReviewCampaigns.Where(c => c.Id == campaign).Select(c => c.DefinitionId).SingleAsync();
        var accessLog = await db.AccessLogImports.Where(i => i.VendorId == acme).Select(i => (Guid?)i.Id).FirstOrDefaultAsync() ?? await ImportAccessLogAsync();
        return
        [
            ("/access-logs/imports/{Id:guid}", $"/access-logs/imports/{accessLog}"),
            ("/vendors/{Id:guid}", $"/vendors/{acme}"), ("/people/{Id:guid}", $"/people/{person}"),
            ("/attestations/{Id:guid}", $"/attestations/{attestation}"), ("/contributions/{Id:guid}", $"/contributions/{contribution}"),
            ("/audit/{Sequence:long}", $"/audit/{sequence}"),
            ("/access-reviews/definitions/{Id:guid}", $"/access-reviews/definitions/{definition}"),
            ("/access-reviews/campaigns/{Id:guid}", $"/access-reviews/campaigns/{campaign}"),
        ];
    }
}
