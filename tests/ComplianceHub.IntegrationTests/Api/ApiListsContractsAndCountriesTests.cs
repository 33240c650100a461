using System.Net;
using System.Text.Json;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Features.Policy;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>
/// Issue 22: vendors, systems and policy versions answer in API.md's list shape, paged and sorted in the database; contracts
/// are listed in the caller's scope and a representative reads only the systems their vendor's contracts cover; the countries
/// carry their everyday names and the active policy's country sets.
/// </summary>
public sealed class ApiListsContractsAndCountriesTests() : ApiTestBase("apilists")
{
    private static readonly Guid AcmeContract = Guid.Parse("0199a000-0000-7000-8000-00000000c001");
    private static readonly Guid GlobexContract = Guid.Parse("0199a000-0000-7000-8000-00000000c002");
    private static readonly Guid GlobexSystem = Guid.Parse("0199a000-0000-7000-8000-000000005402");

    protected override Task ArrangePeopleAsync() => Task.CompletedTask;

    private static List<string> Field(JsonElement list, string name) =>
        list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty(name).ToString()).ToList();

    [Fact]
    public async Task VendorsSystemsAndPolicyVersions_AreListShaped_PagedAndSorted()
    {
        using var co = await AsAsync(Co1Email);
        var vendors = await BodyAsync(await co.GetAsync("/api/v1/vendors"));
        Assert.Equal((1, 50, 3), (vendors.GetProperty("page").GetInt32(), vendors.GetProperty("pageSize").GetInt32(), vendors.GetProperty("total").GetInt32()));
        var names = Field(vendors, "name");
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        var last = await BodyAsync(await co.GetAsync("/api/v1/vendors?page=2&pageSize=2&sort=name&desc=true"));
        Assert.Equal([names[0]], Field(last, "name"));
        Assert.Equal(3, last.GetProperty("total").GetInt32());
        Assert.Equal(["Globex Federal"], Field(await BodyAsync(await co.GetAsync("/api/v1/vendors?search=globex")), "name"));

        var systems = await BodyAsync(await co.GetAsync("/api/v1/systems?pageSize=2"));
        Assert.Equal((6, 2), (systems.GetProperty("total").GetInt32(), systems.GetProperty("items").GetArrayLength()));
        var byName = Field(await BodyAsync(await co.GetAsync("/api/v1/systems?sort=name&desc=true")), "name");
        Assert.Equal(byName.OrderDescending(StringComparer.Ordinal), byName);
        Assert.All(Field(await BodyAsync(await co.GetAsync("/api/v1/systems?impactLevel=IL5")), "impactLevel"), l => Assert.Equal("IL5", l));
        Assert.Equal(HttpStatusCode.BadRequest, (await co.GetAsync("/api/v1/systems?impactLevel=IL9")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await co.GetAsync("/api/v1/vendors?page=first")).StatusCode);

        var active = await AskAsync<PolicyVersionsQuery, PolicyVersionView>(q => q.ActiveAsync());
        await SendAsync(Co1, new DraftPolicyVersion("Second", active.Parameters));
        var versions = await BodyAsync(await co.GetAsync("/api/v1/policy/versions"));
        var numbers = Field(versions, "number").Select(int.Parse).ToList();
        Assert.Equal(numbers.OrderDescending(), numbers); // newest first, as before
        Assert.Equal(versions.GetProperty("total").GetInt32(), numbers.Count);
        var drafts = await BodyAsync(await co.GetAsync("/api/v1/policy/versions?status=Draft&pageSize=1"));
        Assert.Equal(["Draft"], Field(drafts, "status"));
        Assert.Equal(JsonValueKind.Object, drafts.GetProperty("items")[0].GetProperty("parameters").GetProperty("countrySets").ValueKind);
    }

    [Fact]
    public async Task ARepresentative_ListsTheirVendorsContracts_AndOnlyTheSystemsTheyCover()
    {
        using var acme = await AsAsync(AcmeEmail);
        var contracts = await BodyAsync(await acme.GetAsync("/api/v1/contracts"));
        Assert.Equal([AcmeContract.ToString()], Field(contracts, "id"));
        Assert.Equal(HttpStatusCode.OK, (await acme.GetAsync($"/api/v1/contracts/{AcmeContract}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await acme.GetAsync($"/api/v1/contracts/{GlobexContract}")).StatusCode);

        var covered = (await BodyAsync(await acme.GetAsync($"/api/v1/contracts/{AcmeContract}"))).GetProperty("systemIds").EnumerateArray()
            .Select(s => s.GetString()!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(3, covered.Count);
        Assert.Equal(covered, Field(await BodyAsync(await acme.GetAsync("/api/v1/systems")), "id").Order(StringComparer.Ordinal));
        Assert.Equal(covered, Field(await BodyAsync(await acme.GetAsync($"/api/v1/systems?contractId={AcmeContract}")), "id").Order(StringComparer.Ordinal));
        Assert.Equal(0, (await BodyAsync(await acme.GetAsync($"/api/v1/systems?contractId={GlobexContract}"))).GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await acme.GetAsync($"/api/v1/systems/{GlobexSystem}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await acme.GetAsync($"/api/v1/systems/{covered[0]}")).StatusCode);

        // An officer of every office sees every contract, and a contract's systems; NAVWAR's officer (co3) those of Globex only.
        using var co = await AsAsync(Co1Email);
        Assert.Equal(4, (await BodyAsync(await co.GetAsync("/api/v1/contracts"))).GetProperty("total").GetInt32());
        Assert.Equal(2, (await BodyAsync(await co.GetAsync($"/api/v1/systems?contractId={GlobexContract}"))).GetProperty("total").GetInt32());
        Assert.Equal([GlobexContract.ToString()], Field(await BodyAsync(await co.GetAsync($"/api/v1/contracts?systemId={GlobexSystem}")), "id"));
        Assert.Equal(HttpStatusCode.OK, (await co.GetAsync($"/api/v1/systems/{GlobexSystem}")).StatusCode);
        using var co3 = await AsAsync("co3@demo.local");
        var navwar = await BodyAsync(await co3.GetAsync("/api/v1/contracts"));
        Assert.All(Field(navwar, "vendorId"), v => Assert.Equal(DemoSeeder.GlobexId.ToString(), v));
        Assert.Equal(HttpStatusCode.NotFound, (await co3.GetAsync($"/api/v1/contracts/{AcmeContract}")).StatusCode);
        using var auditor = await AsAsync(AuditorEmail);
        Assert.Equal(4, (await BodyAsync(await auditor.GetAsync("/api/v1/contracts?pageSize=10"))).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task TheCountries_CarryTheirEverydayNames_AndTheActivePolicysSets_ForEveryRole()
    {
        using var rep = await AsAsync(AcmeEmail);
        var all = await BodyAsync(await rep.GetAsync("/api/v1/countries?pageSize=500"));
        var total = all.GetProperty("total").GetInt32();
        Assert.InRange(total, 240, 260);
        Assert.Equal(total, all.GetProperty("items").GetArrayLength());
        Assert.Equal(50, (await BodyAsync(await rep.GetAsync("/api/v1/countries"))).GetProperty("items").GetArrayLength());

        var uk = (await BodyAsync(await rep.GetAsync("/api/v1/countries?search=UK"))).GetProperty("items")[0];
        Assert.Equal(("GB", "United Kingdom (GB)"), (uk.GetProperty("code").GetString(), uk.GetProperty("label").GetString()));
        Assert.Contains("UK", uk.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        Assert.Empty(uk.GetProperty("sets").EnumerateArray());

        var active = await AskAsync<PolicyVersionsQuery, PolicyVersionView>(q => q.ActiveAsync());
        using var auditor = await AsAsync(AuditorEmail);
        var covered = await BodyAsync(await auditor.GetAsync("/api/v1/countries?set=covered&pageSize=500"));
        Assert.Equal(active.Parameters.CountrySets["COVERED"].Order(StringComparer.Ordinal), Field(covered, "code").Order(StringComparer.Ordinal));
        var china = covered.GetProperty("items").EnumerateArray().Single(c => c.GetProperty("code").GetString() == "CN");
        var sets = china.GetProperty("sets").EnumerateArray().Select(s => s.GetString()).ToList();
        Assert.Contains("COVERED", sets);
        Assert.Contains("ADVERSARY", sets);
        Assert.Contains("PRC", china.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));

        var unknown = await auditor.GetAsync("/api/v1/countries?set=NOWHERE");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("COVERED", (await BodyAsync(unknown)).GetProperty("errors").GetProperty("set")[0].GetString(), StringComparison.Ordinal);
        using var admin = await AsAsync(AdminEmail);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/countries?sort=code&desc=true")).StatusCode);
    }
}
