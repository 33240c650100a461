using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Contracts;
using ComplianceHub.IntegrationTests.Api;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.Contracts;

/// <summary>
/// Contracting offices (DESIGN.md §2, ADR 0028): an officer or auditor of an office sees and acts on the vendors whose contracts
/// the office holds, read afresh on every request, so moving a contract moves its vendor in or out of sight at the next click;
/// an office-scoped auditor reads the trail of its vendors only and builds no installation-wide evidence package; offices are
/// administrators' reference data, validated and audited.
/// </summary>
public sealed class ContractingOfficeTests() : ApiTestBase("offices")
{
    private static readonly Actor Admin = new(Guid.NewGuid(), "Avery Admin", Roles.Administrator, null, null);
    private static readonly Guid NavwarContract = Guid.Parse("0199a000-0000-7000-8000-00000000c004");
    private Guid acmePerson;

    protected override async Task ArrangePeopleAsync() => acmePerson = await AddPersonAsync("US");

    [Fact]
    public async Task AnOfficesOfficer_SeesTheVendorsItHolds_AndAMovedContractTakesOneOutOfSightOnTheNextRequest()
    {
        using var co3 = await AsAsync("co3@demo.local");
        var vendors = await co3.GetFromJsonAsync<JsonElement>("/api/v1/vendors");
        Assert.Equal([DemoSeeder.GlobexId.ToString()], Ids(vendors));
        Assert.Equal(HttpStatusCode.NotFound, (await co3.GetAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await co3.GetAsync($"/api/v1/personnel/{acmePerson}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await co3.GetAsync($"/api/v1/vendors/{DemoSeeder.GlobexId}")).StatusCode);

        // The administrator moves NAVWAR's only contract to DITCO: the same token no longer sees Globex.
        var moved = await SendAsync(Admin, new MoveContract(NavwarContract, DemoSeeder.DitcoId));
        Assert.True(moved.IsOk, moved.Message);
        Assert.Equal("DITCO-Scott (HC1028)", moved.Value!.OfficeLabel);
        Assert.Equal(HttpStatusCode.NotFound, (await co3.GetAsync($"/api/v1/vendors/{DemoSeeder.GlobexId}")).StatusCode);
        Assert.Empty(Ids(await co3.GetFromJsonAsync<JsonElement>("/api/v1/vendors")));

        // Installation-wide officers are not affected, and the move is in the audit trail.
        using var co1 = await AsAsync(Co1Email);
        Assert.Equal(3, Ids(await co1.GetFromJsonAsync<JsonElement>("/api/v1/vendors")).Count);
        var audited = await SingleEventAsync(e => e.SubjectType == "contract" && e.SubjectId == NavwarContract.ToString() && e.Operation == "move-contract");
        Assert.Contains(DemoSeeder.DitcoId.ToString(), audited.Changes, StringComparison.Ordinal);
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task ChangingAnAccountsOffice_EndsItsSessions_AndTheNewOfficeAppliesAtTheNextSignIn()
    {
        using var co3 = await AsAsync("co3@demo.local");
        Assert.Equal(HttpStatusCode.OK, (await co3.GetAsync("/api/v1/vendors")).StatusCode);
        await using (var db = await ContextAsync())
        {
            var id = await db.Users.Where(u => u.Email == "co3@demo.local").Select(u => u.Id).SingleAsync();
            using var scope = Portal.Services.CreateScope();
            var result = await scope.ServiceProvider.GetRequiredService<AccountService>()
                .ChangeRoleAsync(Admin, id, Roles.ContractingOfficer, null, DemoSeeder.DitcoId);
            Assert.True(result.Succeeded, string.Join(" ", result.Errors.SelectMany(e => e.Value)));
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await co3.GetAsync("/api/v1/vendors")).StatusCode);

        using var anonymous = Anonymous();
        var token = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = "co3@demo.local", password = DemoSeeder.DemoPassword });
        token.EnsureSuccessStatusCode();
        using var again = Anonymous();
        again.DefaultRequestHeaders.Authorization = new("Bearer", (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        Assert.Equal(3, Ids(await again.GetFromJsonAsync<JsonElement>("/api/v1/vendors")).Count); // DITCO holds all three demo vendors
    }

    [Fact]
    public async Task AnOfficeAuditor_ReadsTheTrailOfItsVendorsOnly_AndBuildsNoEvidencePackage()
    {
        using (var scope = Portal.Services.CreateScope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<AccountService>().CreateAsync(Actor.ServerOperator,
                new NewAccount("auditor@navwar.demo.local", "Navwar Auditor", Roles.Auditor, null, DemoSeeder.DemoPassword, OfficeId: DemoSeeder.NavwarId));
            Assert.True(created.Succeeded);
        }
        var aboutAcme = $"/api/v1/audit/events?subjectType=person&subjectId={acmePerson}";
        using var wide = await AsAsync(AuditorEmail);
        var seen = await wide.GetFromJsonAsync<JsonElement>(aboutAcme);
        Assert.True(seen.GetProperty("total").GetInt32() >= 1);
        var sequence = seen.GetProperty("items")[0].GetProperty("sequence").GetInt64();

        using var navwar = await AsAsync("auditor@navwar.demo.local");
        Assert.Equal(0, (await navwar.GetFromJsonAsync<JsonElement>(aboutAcme)).GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await navwar.GetAsync($"/api/v1/audit/events/{sequence}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await wide.GetAsync($"/api/v1/audit/events/{sequence}")).StatusCode);
        var globexEvents = await navwar.GetFromJsonAsync<JsonElement>($"/api/v1/audit/events?subjectType=vendor&subjectId={DemoSeeder.GlobexId}");
        Assert.True(globexEvents.GetProperty("total").GetInt32() >= 1); // the seed recorded Globex: its own vendor is in sight

        var today = Today.ToString("yyyy-MM-dd");
        var evidence = await navwar.GetAsync($"/api/v1/exports/evidence?from={today}&to={today}");
        Assert.Equal(HttpStatusCode.Forbidden, evidence.StatusCode);
        Assert.Contains("installation-wide", await evidence.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OfficesAreAdministratorsReferenceData_ValidatedWithPerFieldMessages()
    {
        var invalid = await SendAsync(Admin, new CreateContractingOffice("hc10", " "));
        Assert.Equal(OutcomeKind.Invalid, invalid.Kind);
        Assert.Contains("6 capital letters or digits", string.Join(" ", invalid.Errors!["Code"]), StringComparison.Ordinal);
        Assert.True(invalid.Errors.ContainsKey("Name"));

        var duplicate = await SendAsync(Admin, new CreateContractingOffice("HC1028", "Another DITCO"));
        Assert.Equal(OutcomeKind.Invalid, duplicate.Kind);
        Assert.Contains("HC1028", string.Join(" ", duplicate.Errors!["Code"]), StringComparison.Ordinal);

        var byOfficer = await SendAsync(Co1, new CreateContractingOffice("W91CRB", "ACC-APG"));
        Assert.Equal(OutcomeKind.Forbidden, byOfficer.Kind);

        var created = await SendAsync(Admin, new CreateContractingOffice("W91CRB", "ACC-APG"));
        Assert.True(created.IsOk, created.Message);
        Assert.Equal("ACC-APG (W91CRB)", created.Value!.Label);
        using var reading = Portal.Services.CreateScope();
        var offices = await reading.ServiceProvider.GetRequiredService<ContractingOfficesQuery>().ListAsync();
        Assert.Contains(offices, o => o.Code == "W91CRB" && o.Contracts == 0);
        Assert.Contains(offices, o => o.Code == "N00039" && o.Contracts == 1 && o.Vendors == 1 && o.Officers == 1);

        using var scope = Portal.Services.CreateScope();
        var rep = await scope.ServiceProvider.GetRequiredService<AccountService>().CreateAsync(Actor.ServerOperator,
            new NewAccount("rep2@globex.demo.local", "Second Globex", Roles.VendorRepresentative, DemoSeeder.GlobexId, DemoSeeder.DemoPassword,
                OfficeId: DemoSeeder.NavwarId));
        Assert.False(rep.Succeeded);
        Assert.Contains("Only a contracting officer or an auditor", string.Join(" ", rep.Errors[nameof(NewAccount.OfficeId)]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheApprovalsQueue_AndThePolicyPreview_ListOnlyTheOfficesVendors_AndCountTheRest()
    {
        var dual = await AddPersonAsync("US,IN"); // refused once a draft adds IN to COVERED
        Assert.True((await SendAsync(Co1, new Core.Features.Grants.RequestGrant(dual, Il2, Core.Domain.AccessType.NonPrivileged, false, Today,
            Today.AddDays(60), "Support"))).IsOk);
        var pending = await SendAsync(Co1, new Core.Features.Grants.RequestGrant(acmePerson, Il5, Core.Domain.AccessType.NonPrivileged, false, Today,
            Today.AddDays(30), "Records"));
        Assert.True(pending.IsOk, pending.Message);

        Guid co3Id;
        await using (var db = await ContextAsync())
        {
            co3Id = await db.Users.Where(u => u.Email == "co3@demo.local").Select(u => u.Id).SingleAsync();
        }
        var co3 = await Portal.Services.GetRequiredService<OfficeScopes>()
            .ResolveAsync(new Actor(co3Id, "Drew Officer", Roles.ContractingOfficer, null, null) { OfficeId = DemoSeeder.NavwarId });
        using (var scope = Portal.Services.CreateScope())
        {
            var approvals = scope.ServiceProvider.GetRequiredService<Core.Features.Approvals.ApprovalsQuery>();
            var wide = await approvals.QueueAsync(Co1);
            Assert.Contains(wide.Grants, g => g.GrantId == pending.Value!.Id);
            var navwar = await approvals.QueueAsync(co3);
            Assert.DoesNotContain(navwar.Grants, g => g.VendorId == DemoSeeder.AcmeId);
            Assert.Equal(navwar.Grants.Count, navwar.GrantCount);
        }

        using var client = await AsAsync("co3@demo.local");
        var active = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync("/api/v1/policy/versions/active"))!;
        var parameters = active["parameters"]!.DeepClone();
        parameters["countrySets"]!["COVERED"]!.AsArray().Add("IN");
        var drafted = await client.PostAsJsonAsync("/api/v1/policy/versions", new { name = "Add IN to COVERED (office exercise)", parameters });
        Assert.Equal(HttpStatusCode.Created, drafted.StatusCode);
        var draftId = (await BodyAsync(drafted)).GetProperty("id").GetGuid();
        var preview = await BodyAsync(await client.PostAsync($"/api/v1/policy/versions/{draftId}/preview", null));
        Assert.DoesNotContain(preview.GetProperty("newlyViolating").EnumerateArray(), g => g.GetProperty("vendorId").GetGuid() == DemoSeeder.AcmeId);
        Assert.True(preview.GetProperty("otherOfficesNewlyViolating").GetInt32() >= 1); // the Acme dual national: counted, not listed
        using var co1 = await AsAsync(Co1Email);
        var wideView = await BodyAsync(await co1.PostAsync($"/api/v1/policy/versions/{draftId}/preview", null));
        Assert.Contains(wideView.GetProperty("newlyViolating").EnumerateArray(), g => g.GetProperty("personId").GetGuid() == dual);
        Assert.Equal(0, wideView.GetProperty("otherOfficesNewlyViolating").GetInt32());
    }

    [Fact]
    public async Task AnEscortOfAVendorOutOfSight_IsNotNamed_AndTheAssignmentsEventsAreNotListed()
    {
        var escort = await AddPersonAsync("US", qualification: Core.Domain.EscortQualification.Engineer, name: "Acme Escort Person");
        Guid globexPerson, co3Id;
        await using (var db = await ContextAsync())
        {
            globexPerson = await db.People.Where(p => p.VendorId == DemoSeeder.GlobexId && p.EmploymentStatus == Core.Domain.EmploymentStatus.Active)
                .OrderBy(p => p.FullName).Select(p => p.Id).FirstAsync();
            co3Id = await db.Users.Where(u => u.Email == "co3@demo.local").Select(u => u.Id).SingleAsync();
        }
        var assigned = await SendAsync(Co1, new Core.Features.Escorts.AssignEscort(escort, globexPerson, Il2, Today, Today.AddDays(30)));
        Assert.True(assigned.IsOk, assigned.Message);

        var co3 = await Portal.Services.GetRequiredService<OfficeScopes>()
            .ResolveAsync(new Actor(co3Id, "Drew Officer", Roles.ContractingOfficer, null, null) { OfficeId = DemoSeeder.NavwarId });
        using var scope = Portal.Services.CreateScope();
        var timeline = scope.ServiceProvider.GetRequiredService<Core.Features.Personnel.PersonTimelineQuery>();
        var kinds = new HashSet<Core.Features.Personnel.TimelineKind> { Core.Features.Personnel.TimelineKind.Escort };
        var seenByCo3 = (await timeline.TimelineAsync(co3, globexPerson, kinds))!;
        Assert.Contains(seenByCo3, e => e.Detail.Contains("an escort of another vendor", StringComparison.Ordinal));
        Assert.DoesNotContain(seenByCo3, e => e.Detail.Contains("Acme Escort Person", StringComparison.Ordinal));
        Assert.Contains((await timeline.TimelineAsync(Co1, globexPerson, kinds))!, e => e.Detail.Contains("Acme Escort Person", StringComparison.Ordinal));

        var workspace = scope.ServiceProvider.GetRequiredService<Core.Features.Personnel.PersonWorkspaceQuery>();
        var audit = (await workspace.AuditAsync(co3, globexPerson, new PageRequest(1, 200)))!;
        Assert.DoesNotContain(audit.Items, e => e.SubjectId == assigned.Value!.Id.ToString());
        Assert.Contains((await workspace.AuditAsync(Co1, globexPerson, new PageRequest(1, 200)))!.Items, e => e.SubjectId == assigned.Value!.Id.ToString());
    }

    [Fact]
    public async Task ADemoDatabaseSeededBeforeOffices_GetsThemOnTheNextSeed()
    {
        // As a demo database from before offices: its contracts held by no office, no NAVWAR contract.
        await TestDatabase.ScalarAsync(Database.OwnerConnectionString, $"DELETE FROM contracts WHERE id = '{NavwarContract}'");
        await TestDatabase.ScalarAsync(Database.OwnerConnectionString, "UPDATE contracts SET office_id = NULL");
        using (var scope = Portal.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync("Development");
        }
        await using var db = await ContextAsync();
        Assert.Equal(3, await db.Contracts.CountAsync(c => c.OfficeId == DemoSeeder.DitcoId));
        Assert.Equal(DemoSeeder.NavwarId, await db.Contracts.Where(c => c.Id == NavwarContract).Select(c => c.OfficeId).SingleAsync());
    }

    [Fact]
    public async Task ThePortalPages_ShowAnOfficesOfficerOnlyItsVendors()
    {
        using var session = PortalSession.Open(Portal);
        Assert.True(await session.SignInAsync("co3@demo.local", DemoSeeder.DemoPassword));
        var globex = System.Net.WebUtility.HtmlDecode(await session.GetHtmlAsync($"/vendors/{DemoSeeder.GlobexId}"));
        Assert.Contains("Globex Federal", globex, StringComparison.Ordinal);
        var account = System.Net.WebUtility.HtmlDecode(await session.GetHtmlAsync("/account"));
        Assert.Contains("NAVWAR: you see the 1 vendor whose contracts it holds", account, StringComparison.Ordinal);
        // Another office's vendor and its people are a 404, as a vendor that does not exist.
        var acme = await session.Client.GetAsync($"/vendors/{DemoSeeder.AcmeId}");
        Assert.Equal(HttpStatusCode.NotFound, acme.StatusCode);
        var acmeBody = await acme.Content.ReadAsStringAsync();
        Assert.Contains("Not found", acmeBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Acme Cloud Services", acmeBody, StringComparison.Ordinal);
        var person = await session.Client.GetAsync($"/people/{acmePerson}");
        Assert.Equal(HttpStatusCode.NotFound, person.StatusCode);
        Assert.DoesNotContain("data-testid=\"person-facts\"", await person.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static List<string> Ids(JsonElement vendors) =>
        vendors.GetProperty("items").EnumerateArray()
            .Select(v => v.GetProperty("id").GetString()!).ToList();
}
