using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>Rosters over HTTP: add, read, replace with optimistic concurrency, per-field errors, vendor isolation.</summary>
public sealed class ApiPersonnelTests() : ApiTestBase("apipeople")
{
    protected override Task ArrangePeopleAsync() => Task.CompletedTask;

    private static JsonObject Jane(string employeeId = "E-1001", string workCountry = "US") => new()
    {
        ["employeeId"] = employeeId, ["fullName"] = "Jane Roe", ["email"] = "jane@acme.example", ["employerType"] = "VendorEmployee",
        ["citizenships"] = new JsonArray("US"), ["countryOfBirth"] = "US", ["usLawfulPermanentResident"] = false,
        ["workLocation"] = new JsonObject { ["country"] = workCountry, ["city"] = "Reston" },
        ["investigationTier"] = "T5", ["adjudicatedOn"] = "2024-03-01", ["continuousVetting"] = true, ["clearance"] = "Secret",
        ["ndaSignedOn"] = "2025-01-15", ["escortQualification"] = "None", ["escortTrainingOn"] = null,
    };

    [Fact]
    public async Task ARepresentativeAddsAPerson_ReadsThem_AndReplacesThemWithTheVersionRead()
    {
        using var acme = await AsAsync(AcmeEmail);
        var created = await acme.PostAsJsonAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/personnel", Jane());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var person = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        var id = person["id"]!.GetValue<Guid>();
        Assert.Equal("Reston", person["workLocation"]!["city"]!.GetValue<string>());
        Assert.Equal("Clear", person["screeningStatus"]!.GetValue<string>());

        var read = JsonNode.Parse(await acme.GetStringAsync($"/api/v1/personnel/{id}"))!;
        var version = read["version"]!.GetValue<string>();
        var roster = JsonNode.Parse(await acme.GetStringAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/personnel?search=jane&pageSize=5"))!;
        Assert.Equal(1, roster["total"]!.GetValue<int>());

        // Attested, granted, then moved to a covered nation through PUT: the grant is suspended in the same change.
        var attested = await acme.PostAsJsonAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/attestations", new
        {
            statement = "I attest that these people work where stated and hold these citizenships.",
            items = new[] { new { personId = id, workLocation = new { country = "US", city = "Reston" }, citizenships = new[] { "US" } } },
        });
        Assert.Equal(HttpStatusCode.Created, attested.StatusCode);
        var attestations = JsonNode.Parse(await acme.GetStringAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/attestations"))!;
        Assert.Equal(1, attestations["total"]!.GetValue<int>());
        var grant = (await SendAsync(Co1, new RequestGrant(id, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(30), "Support"))).Value!;
        read = JsonNode.Parse(await acme.GetStringAsync($"/api/v1/personnel/{id}"))!;
        var moved = Jane(workCountry: "CN");
        moved["version"] = read["version"]!.GetValue<string>();
        var updated = await acme.PutAsJsonAsync($"/api/v1/personnel/{id}", moved);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var body = JsonNode.Parse(await updated.Content.ReadAsStringAsync())!;
        Assert.Equal(grant.Id, body["consequences"]!["suspendedGrants"]![0]!.GetValue<Guid>());
        Assert.NotEqual(version, body["person"]!["version"]!.GetValue<string>());

        // The same stale version again: 409, nothing written.
        var stale = await acme.PutAsJsonAsync($"/api/v1/personnel/{id}", Jane(workCountry: "DE").Also(j => j["version"] = moved["version"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        await using var db = await ContextAsync();
        Assert.Equal("CN", (await db.People.AsNoTracking().SingleAsync(p => p.Id == id)).WorkCountry);
    }

    [Fact]
    public async Task InvalidPeople_Are400_PerField_AndNothingIsWritten()
    {
        using var co = await AsAsync(Co1Email);
        var bad = Jane();
        bad["citizenships"] = new JsonArray();
        bad["countryOfBirth"] = "XX";
        bad["workLocation"]!["city"] = "";
        bad["fullName"] = new string('x', 201);
        var response = await co.PostAsJsonAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/personnel", bad);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject().Select(e => e.Key).Order().ToList();
        Assert.Equal(["citizenships", "countryOfBirth", "fullName", "workLocation.city"], errors);

        Assert.Equal(HttpStatusCode.Created, (await co.PostAsJsonAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/personnel", Jane())).StatusCode);
        var duplicate = await co.PostAsJsonAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/personnel", Jane());
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Contains("employeeId", await duplicate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = await ContextAsync();
        Assert.Equal(1, await db.People.CountAsync(p => p.EmployeeId == "E-1001"));
    }

    [Fact]
    public async Task AnotherVendorsRoster_Is404_AndAnAuditorReadsButCannotWrite()
    {
        using var acme = await AsAsync(AcmeEmail);
        var id = JsonNode.Parse(await (await acme.PostAsJsonAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/personnel", Jane())).Content.ReadAsStringAsync())!["id"]!.GetValue<Guid>();

        using var globex = await AsAsync(GlobexEmail);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/personnel")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.PostAsJsonAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/personnel", Jane("E-2"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync($"/api/v1/personnel/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.PutAsJsonAsync($"/api/v1/personnel/{id}", Jane().Also(j => j["version"] = "1"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync($"/api/v1/personnel/{id}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.PostAsJsonAsync($"/api/v1/personnel/{id}/terminate", new { effectiveOn = Today.ToString("yyyy-MM-dd") })).StatusCode);

        using var auditor = await AsAsync(AuditorEmail);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/personnel")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/v1/personnel/{id}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsJsonAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/personnel", Jane("E-3"))).StatusCode);
        await using var db = await ContextAsync();
        Assert.Equal(1, await db.People.CountAsync(p => p.FullName == "Jane Roe"));
    }
}

internal static class JsonNodeExtensions
{
    public static JsonObject Also(this JsonObject node, Action<JsonObject> change)
    {
        change(node);
        return node;
    }
}
