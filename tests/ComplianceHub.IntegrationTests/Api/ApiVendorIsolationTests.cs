using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>
/// Vendor isolation on every vendor-owned endpoint, generated from the endpoint list: each route is filled with the ids of
/// real Acme records (vendor, person, grant, finding, session), and Globex's representative — where their role may call the
/// endpoint at all — gets 404, exactly as for a record that does not exist. Nothing of Acme's changes.
/// </summary>
public sealed class ApiVendorIsolationTests() : ApiTestBase("apiisolation")
{
    private readonly Dictionary<string, Guid> ids = [];

    protected override async Task ArrangePeopleAsync()
    {
        var person = await AddPersonAsync("US");
        var escort = await AddPersonAsync("US", qualification: Core.Domain.EscortQualification.Engineer);
        var engineer = await AddPersonAsync("GB", tier: Core.Domain.InvestigationTier.T3);
        var grant = (await SendAsync(Co1, new RequestGrant(person, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(30), "Support"))).Value!;
        await SendAsync(Co1, new ChangePersonFacts(person, "CN", "Shenzhen")); // a finding on Acme's grant
        var assignment = (await SendAsync(Co1, new AssignEscort(escort, engineer, Il2, Today.AddDays(-1), Today.AddDays(30)))).Value!; // from yesterday: the sessions recorded hours ago fall in it at any time of day
        var session = (await SendAsync(AcmeRep, new RecordEscortedSession(assignment.Id, Clock.GetUtcNow().AddHours(-3), Clock.GetUtcNow().AddHours(-1), "CHG-1", "Work"))).Value!;
        var csv = $"id,repository,author email,date,title\nPR-1,portal,test@acme.example,{Clock.GetUtcNow().AddDays(-1):yyyy-MM-dd'T'HH:mm:ss'Z'},Fix\n";
        var imported = await SendAsync(AcmeRep, new Core.Features.Contributions.ImportContributions(DemoSeeder.AcmeId, Il2, null, "c.csv", Encoding.UTF8.GetBytes(csv), false));
        Assert.True(imported.IsOk && imported.Value!.Added == 1, imported.Message);
        await using var db = await ContextAsync();
        ids["contributions"] = await db.CodeContributions.Where(c => c.VendorId == DemoSeeder.AcmeId).Select(c => c.Id).SingleAsync();
        ids["vendors"] = DemoSeeder.AcmeId;
        ids["personnel"] = person;
        ids["grants"] = grant.Id;
        ids["findings"] = await db.Findings.Where(f => f.SubjectId == grant.Id).Select(f => f.Id).FirstAsync();
        ids["escorted-sessions"] = session.Id;
        ids["contracts"] = await db.Contracts.Where(c => c.VendorId == DemoSeeder.AcmeId).Select(c => c.Id).FirstAsync();
        // A system only Acme's contract covers: to another vendor's representative it is not there (issue 22).
        ids["systems"] = await db.Systems.Where(s => db.Contracts.Any(c => c.VendorId == DemoSeeder.AcmeId && c.SystemIds.Contains(s.Id))
            && !db.Contracts.Any(c => c.VendorId == DemoSeeder.GlobexId && c.SystemIds.Contains(s.Id))).Select(s => s.Id).FirstAsync();
    }

    [Fact]
    public async Task AnotherVendorsRepresentative_Gets404_OnEveryVendorOwnedEndpoint()
    {
        using var client = Anonymous();
        var endpoints = Portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Pattern: e.RoutePattern.RawText ?? "", Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"],
                Roles: e.Metadata.GetMetadata<Core.Common.AllowedRolesAttribute>()?.Roles))
            .Where(e => Regex.IsMatch(e.Pattern, @"^/api/v1/(vendors|personnel|grants|findings|escorted-sessions|contributions|contracts|systems)/\{"))
            .Where(e => e.Roles is null || e.Roles.Contains(Roles.VendorRepresentative))
            .ToList();
        Assert.True(endpoints.Count >= 15, $"Only {endpoints.Count} vendor-owned endpoints were found.");

        using var globex = await AsAsync(GlobexEmail);
        var checkedCount = 0;
        var wrong = new List<string>();
        foreach (var (pattern, methods, _) in endpoints)
        {
            var resource = pattern.Split('/')[3];
            var path = Regex.Replace(pattern, @"\{[^}]+\}", ids[resource].ToString());
            foreach (var method in methods)
            {
                var request = new HttpRequestMessage(new HttpMethod(method), path)
                {
                    Content = method == "GET" ? null : new StringContent(Body(pattern), Encoding.UTF8, "application/json"),
                };
                var response = await globex.SendAsync(request);
                checkedCount++;
                if (response.StatusCode != HttpStatusCode.NotFound)
                {
                    wrong.Add($"{method} {pattern}: {(int)response.StatusCode}");
                }
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.True(checkedCount >= 15);

        await using var db = await ContextAsync();
        Assert.Equal(GrantStatus.Suspended, (await db.Grants.AsNoTracking().SingleAsync(g => g.Id == ids["grants"])).Status);
        Assert.Equal(Core.Domain.Findings.FindingStatus.Open, (await db.Findings.AsNoTracking().SingleAsync(f => f.Id == ids["findings"])).Status);
        Assert.False(await db.ContributorAliases.AnyAsync());
    }

    /// <summary>
    /// Contracting offices (ADR 0028): NAVWAR's officer (co3, whose office holds a Globex contract only) and an auditor scoped to
    /// NAVWAR get 404 for Acme's records on every vendor-owned endpoint their role may call, as for a record that does not exist;
    /// nothing of Acme's changes.
    /// </summary>
    [Fact]
    public async Task AnotherOfficesOfficerAndAuditor_Get404_OnEveryVendorOwnedEndpoint()
    {
        await using (var db = await ContextAsync())
        {
            Assert.False(await db.Contracts.AnyAsync(c => c.VendorId == DemoSeeder.AcmeId && c.OfficeId == DemoSeeder.NavwarId));
        }
        var accounts = Portal.Services.CreateScope();
        var created = await accounts.ServiceProvider.GetRequiredService<AccountService>().CreateAsync(Actor.ServerOperator,
            new NewAccount("auditor@navwar.demo.local", "Navwar Auditor", Roles.Auditor, null, DemoSeeder.DemoPassword, OfficeId: DemoSeeder.NavwarId));
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.SelectMany(e => e.Value)));

        var endpoints = Portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Pattern: e.RoutePattern.RawText ?? "", Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"],
                Roles: e.Metadata.GetMetadata<Core.Common.AllowedRolesAttribute>()?.Roles))
            .Where(e => Regex.IsMatch(e.Pattern, @"^/api/v1/(vendors|personnel|grants|findings|escorted-sessions|contributions|contracts)/\{"))
            .ToList();
        var wrong = new List<string>();
        var checkedCount = 0;
        foreach (var (email, role) in new[] { ("co3@demo.local", Roles.ContractingOfficer), ("auditor@navwar.demo.local", Roles.Auditor) })
        {
            using var client = await AsAsync(email);
            foreach (var (pattern, methods, roles) in endpoints.Where(e => e.Roles is null || e.Roles.Contains(role)))
            {
                var resource = pattern.Split('/')[3];
                var path = Regex.Replace(pattern, @"\{[^}]+\}", ids[resource].ToString());
                foreach (var method in methods.Where(m => role == Roles.ContractingOfficer || m == "GET"))
                {
                    var request = new HttpRequestMessage(new HttpMethod(method), path)
                    {
                        Content = method == "GET" ? null : new StringContent(Body(pattern), Encoding.UTF8, "application/json"),
                    };
                    var response = await client.SendAsync(request);
                    checkedCount++;
                    if (response.StatusCode != HttpStatusCode.NotFound)
                    {
                        wrong.Add($"{email}: {method} {pattern}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                }
            }
            // What the office does hold stays in sight: Globex, through NAVWAR's contract.
            var vendors = await client.GetStringAsync("/api/v1/vendors");
            Assert.Contains(DemoSeeder.GlobexId.ToString(), vendors);
            Assert.DoesNotContain(DemoSeeder.AcmeId.ToString(), vendors);
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.True(checkedCount >= 25, $"Only {checkedCount} requests were checked.");

        await using var after = await ContextAsync();
        Assert.Equal(GrantStatus.Suspended, (await after.Grants.AsNoTracking().SingleAsync(g => g.Id == ids["grants"])).Status);
        Assert.Equal(Core.Domain.Findings.FindingStatus.Open, (await after.Findings.AsNoTracking().SingleAsync(f => f.Id == ids["findings"])).Status);
    }

    /// <summary>
    /// The OSCAL POA&amp;M (<c>GET /oscal/poam</c>) names its vendor in the query, not the route: Globex's representative and NAVWAR's
    /// officer (co3) get 404 for Acme's, as for a vendor that does not exist, and their own portfolio documents hold no Acme finding.
    /// </summary>
    [Fact]
    public async Task AnotherVendorsRepresentativeAndAnotherOfficesOfficer_Get404_ForTheOscalPoamOfAVendor()
    {
        foreach (var email in new[] { GlobexEmail, "co3@demo.local" })
        {
            using var client = await AsAsync(email);
            var response = await client.GetAsync($"/api/v1/oscal/poam?vendorId={DemoSeeder.AcmeId}");
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{email}: {(int)response.StatusCode}");
            var own = await client.GetStringAsync("/api/v1/oscal/poam");
            Assert.DoesNotContain(ids["findings"].ToString(), own, StringComparison.Ordinal);
            Assert.DoesNotContain(DemoSeeder.AcmeId.ToString(), own, StringComparison.Ordinal);
        }
        using var acme = await AsAsync(AcmeEmail);
        Assert.Contains(ids["findings"].ToString(), await acme.GetStringAsync($"/api/v1/oscal/poam?vendorId={DemoSeeder.AcmeId}"), StringComparison.Ordinal);
    }

    /// <summary>A well-formed body for the endpoint, so the answer is about the record, not the input.</summary>
    private string Body(string pattern) => pattern switch
    {
        _ when pattern.EndsWith("/grants", StringComparison.Ordinal) =>
            $$"""{"systemId":"{{Il2}}","accessType":"NonPrivileged","escorted":false,"startsOn":"{{Today:yyyy-MM-dd}}","endsOn":"{{Today.AddDays(10):yyyy-MM-dd}}","justification":"x"}""",
        _ when pattern.EndsWith("/suspend", StringComparison.Ordinal) || pattern.EndsWith("/revoke", StringComparison.Ordinal)
            || pattern.EndsWith("/reactivate", StringComparison.Ordinal) => """{"reason":"Not ours"}""",
        _ when pattern.EndsWith("/review", StringComparison.Ordinal) || pattern.EndsWith("/verdict", StringComparison.Ordinal) =>
            """{"verdict":"NoConcern","notes":"Not ours"}""",
        "/api/v1/vendors/{id:guid}" => """{"version":"1","name":"Acme Renamed","cageCode":"9ZZZZ","uei":"ZZZZZZZZZZZ9"}""",
        _ when pattern.EndsWith("/terminate", StringComparison.Ordinal) => $$"""{"effectiveOn":"{{Today:yyyy-MM-dd}}"}""",
        _ when pattern.EndsWith("/acknowledge", StringComparison.Ordinal) => """{"response":"Not ours"}""",
        _ when pattern.EndsWith("/remediate", StringComparison.Ordinal) => """{"resolution":"Not ours"}""",
        _ when pattern.EndsWith("/attestations", StringComparison.Ordinal) =>
            $$"""{"statement":"x","items":[{"personId":"{{ids["personnel"]}}","workLocation":{"country":"US","city":"Reston"},"citizenships":["US"]}]}""",
        _ when pattern.EndsWith("/personnel", StringComparison.Ordinal) || pattern.StartsWith("/api/v1/personnel/{", StringComparison.Ordinal) =>
            $$"""{"version":"1","employeeId":"G-1","fullName":"Glen Globex","email":"glen@globex.example","employerType":"VendorEmployee","citizenships":["US"],"countryOfBirth":"US","usLawfulPermanentResident":false,"workLocation":{"country":"US","city":"Reston"},"investigationTier":"None","continuousVetting":false,"clearance":"None","escortQualification":"None"}""",
        _ => "{}",
    };
}
