using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Rules;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>Vendors and systems over HTTP; a system's impact level is a fact every grant on it depends on.</summary>
public sealed class ApiVendorAndSystemTests() : ApiTestBase("apivendors")
{
    protected override Task ArrangePeopleAsync() => Task.CompletedTask;

    [Fact]
    public async Task AnOfficerRecordsAVendor_DuplicatesAndBadIdentifiersAre400_AndAStaleVersionIs409()
    {
        using var co = await AsAsync(Co1Email);
        var created = await co.PostAsJsonAsync("/api/v1/vendors", new { name = "Umbrella Systems", cageCode = "9UMB1", uei = "UMBRELLA0001" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var vendor = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;

        var duplicate = await co.PostAsJsonAsync("/api/v1/vendors", new { name = "Umbrella Two", cageCode = "9UMB1", uei = "bad" });
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        var errors = JsonNode.Parse(await duplicate.Content.ReadAsStringAsync())!["errors"]!.AsObject().Select(e => e.Key).Order();
        Assert.Equal(["uei"], errors); // the format is checked first; the duplicate CAGE code is reported once the input is well formed

        var id = vendor["id"]!.GetValue<Guid>();
        var version = vendor["version"]!.GetValue<string>();
        var renamed = await co.PutAsJsonAsync($"/api/v1/vendors/{id}", new { name = "Umbrella Systems LLC", cageCode = "9UMB1", uei = "UMBRELLA0001", version });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        var stale = await co.PutAsJsonAsync($"/api/v1/vendors/{id}", new { name = "Umbrella", cageCode = "9UMB1", uei = "UMBRELLA0001", version });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);

        var clash = await co.PutAsJsonAsync($"/api/v1/vendors/{id}", new
        {
            name = "Acme Cloud Services", cageCode = "9UMB1", uei = "UMBRELLA0001",
            version = JsonNode.Parse(await renamed.Content.ReadAsStringAsync())!["version"]!.GetValue<string>(),
        });
        Assert.Equal(HttpStatusCode.BadRequest, clash.StatusCode);
    }

    [Fact]
    public async Task ARepresentativeSeesOnlyTheirVendor_AndNeitherRepresentativesNorAuditorsWrite()
    {
        using var acme = await AsAsync(AcmeEmail);
        var vendors = JsonNode.Parse(await acme.GetStringAsync("/api/v1/vendors"))!;
        Assert.Equal(DemoSeeder.AcmeId, Assert.Single(vendors["items"]!.AsArray())!["id"]!.GetValue<Guid>());
        Assert.Equal(1, vendors["total"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, (await acme.GetAsync($"/api/v1/vendors/{DemoSeeder.GlobexId}")).StatusCode);
        // The systems Acme's contract covers (three of the demo's six), not every system.
        Assert.Equal(3, JsonNode.Parse(await acme.GetStringAsync("/api/v1/systems"))!["total"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Forbidden, (await acme.PostAsJsonAsync("/api/v1/systems", new { name = "X", provider = "Y", impactLevel = "IL2" })).StatusCode);

        using var auditor = await AsAsync(AuditorEmail);
        Assert.Equal(3, JsonNode.Parse(await auditor.GetStringAsync("/api/v1/vendors"))!["items"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsJsonAsync("/api/v1/vendors", new { name = "V", cageCode = "1AAAA", uei = "AAAAAAAAAAAA" })).StatusCode);
    }

    [Fact]
    public async Task RaisingASystemToIl4_SuspendsTheEscortedForeignNationalsGrant_InTheSameChange()
    {
        var escort = await AddPersonAsync("US", qualification: Core.Domain.EscortQualification.Engineer);
        var engineer = await AddPersonAsync("GB", tier: Core.Domain.InvestigationTier.T3);
        Assert.True((await SendAsync(Co1, new AssignEscort(escort, engineer, Il2, Today, Today.AddDays(90)))).IsOk);
        var grant = (await SendAsync(Co1, new RequestGrant(engineer, Il2, AccessType.NonPrivileged, true, Today, Today.AddDays(60), "Tuning"))).Value!;
        Assert.True((await SendAsync(Co2, new ApproveGrant(grant.Id))).IsOk);

        using var co = await AsAsync(Co1Email);
        var system = JsonNode.Parse(await co.GetStringAsync($"/api/v1/systems/{Il2}"))!;
        var raised = await co.PutAsJsonAsync($"/api/v1/systems/{Il2}", new
        {
            name = system["name"]!.GetValue<string>(), provider = system["provider"]!.GetValue<string>(),
            environment = system["environment"]!.GetValue<string>(), impactLevel = "IL4", version = system["version"]!.GetValue<string>(),
        });

        Assert.Equal(HttpStatusCode.OK, raised.StatusCode);
        var body = JsonNode.Parse(await raised.Content.ReadAsStringAsync())!;
        Assert.Equal(grant.Id, Assert.Single(body["consequences"]!["suspendedGrants"]!.AsArray())!.GetValue<Guid>());
        await using var db = await ContextAsync();
        Assert.Contains(await db.Findings.AsNoTracking().Where(f => f.SubjectId == grant.Id).Select(f => f.RuleId).ToListAsync(), r => r == "IL45-US-PERSON");
    }

    [Fact]
    public async Task ChangingAnImpactLevelAroundTheGate_FailsAtCommit()
    {
        var ex = await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() =>
            TestDatabase.ScalarAsync(Database.AppConnectionString, $"UPDATE cloud_systems SET impact_level = 'IL2' WHERE id = '{Il5}'"));
        Assert.Contains("not evaluated by the compliance gate", ex.MessageText, StringComparison.Ordinal);
    }
}
