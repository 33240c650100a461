using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ComplianceHub.Core.Data.Seeding;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>
/// The product driven through the API alone, as an acceptance test would: a vendor and systems, people of several
/// nationalities and locations, grants allowed and refused, an escort, a location change that suspends access, a
/// policy change previewed and then activated by a second officer, and the audit chain verified at the end.
/// </summary>
public sealed class ApiScenarioTests() : ApiTestBase("apiscenario")
{
    protected override Task ArrangePeopleAsync() => Task.CompletedTask;

    private static async Task<JsonNode> Expect(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {text}");
        return JsonNode.Parse(text)!;
    }

    private JsonObject PersonBody(string id, string name, string citizenships, string birth, string country, string city,
        string tier = "T5", string escort = "None") => new()
    {
        ["employeeId"] = id, ["fullName"] = name, ["email"] = $"{id.ToLowerInvariant()}@acme.example", ["employerType"] = "VendorEmployee",
        ["citizenships"] = new JsonArray(citizenships.Split(',').Select(c => (JsonNode)c).ToArray()), ["countryOfBirth"] = birth,
        ["usLawfulPermanentResident"] = false, ["workLocation"] = new JsonObject { ["country"] = country, ["city"] = city },
        ["investigationTier"] = tier, ["adjudicatedOn"] = Today.AddYears(-1).ToString("yyyy-MM-dd"), ["continuousVetting"] = true,
        ["clearance"] = "Secret", ["ndaSignedOn"] = Today.AddMonths(-3).ToString("yyyy-MM-dd"), ["escortQualification"] = escort,
        ["escortTrainingOn"] = escort == "None" ? null : Today.AddMonths(-1).ToString("yyyy-MM-dd"),
    };

    private object GrantBody(Guid system, bool escorted = false, string access = "NonPrivileged") => new
    {
        systemId = system, accessType = access, escorted, startsOn = Today.ToString("yyyy-MM-dd"),
        endsOn = Today.AddDays(60).ToString("yyyy-MM-dd"), justification = "Operations support",
    };

    private static IEnumerable<string> RuleIds(JsonNode problem) => problem["violations"]!.AsArray().Select(v => v!["ruleId"]!.GetValue<string>());

    [Fact]
    public async Task FromANewVendorToAVerifiedAuditTrail_ThroughTheApiAlone()
    {
        using var co1 = await AsAsync(Co1Email);
        using var co2 = await AsAsync(Co2Email);
        using var rep = await AsAsync(AcmeEmail);
        using var auditor = await AsAsync(AuditorEmail);

        // A vendor and two systems.
        var vendor = await Expect(await co1.PostAsJsonAsync("/api/v1/vendors", new { name = "Umbrella Systems", cageCode = "9UMB1", uei = "UMBRELLA0001" }), HttpStatusCode.Created);
        Assert.Equal("Umbrella Systems", (await Expect(await auditor.GetAsync($"/api/v1/vendors/{vendor["id"]}"), HttpStatusCode.OK))["name"]!.GetValue<string>());
        var il2 = (await Expect(await co1.PostAsJsonAsync("/api/v1/systems", new { name = "Public portal", provider = "Acme", environment = "Commercial", impactLevel = "IL2" }),
            HttpStatusCode.Created))["id"]!.GetValue<Guid>();
        var il5 = (await Expect(await co1.PostAsJsonAsync("/api/v1/systems", new { name = "Records", provider = "Acme", environment = "DoD-only", impactLevel = "IL5" }),
            HttpStatusCode.Created))["id"]!.GetValue<Guid>();

        // The vendor's representative adds people of several nationalities and locations, and attests them.
        async Task<Guid> Add(JsonObject body) =>
            (await Expect(await rep.PostAsJsonAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/personnel", body), HttpStatusCode.Created))["id"]!.GetValue<Guid>();
        var american = await Add(PersonBody("U-1", "Alex Abbott", "US", "US", "US", "Reston"));
        var escort = await Add(PersonBody("U-2", "Blake Becker", "US", "US", "US", "Arlington", escort: "Engineer"));
        var british = await Add(PersonBody("U-3", "Cameron Chen", "GB", "GB", "US", "Herndon", tier: "T3"));
        var dual = await Add(PersonBody("U-4", "Dana Diaz", "US,CN", "CN", "US", "San Jose"));
        var abroad = await Add(PersonBody("U-5", "Elliot Evans", "US", "US", "IN", "Bengaluru"));
        var attested = new[] { (american, "US", "Reston", "US"), (escort, "US", "Arlington", "US"), (british, "US", "Herndon", "GB"),
            (dual, "US", "San Jose", "US,CN"), (abroad, "IN", "Bengaluru", "US") };
        await Expect(await rep.PostAsJsonAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/attestations", new
        {
            statement = "I attest that these people work where stated and hold these citizenships.",
            items = attested.Select(a => new { personId = a.Item1, workLocation = new { country = a.Item2, city = a.Item3 }, citizenships = a.Item4.Split(',') }),
        }), HttpStatusCode.Created);

        // Grants allowed (two-person on IL5) and refused.
        var il5Grant = await Expect(await co1.PostAsJsonAsync($"/api/v1/personnel/{american}/grants", GrantBody(il5, access: "Privileged")), HttpStatusCode.Created);
        Assert.Equal("PendingApproval", il5Grant["status"]!.GetValue<string>());
        var il5GrantId = il5Grant["id"]!.GetValue<Guid>();
        await Expect(await co1.PostAsync($"/api/v1/grants/{il5GrantId}/approve", null), HttpStatusCode.Forbidden);
        Assert.Equal("Active", (await Expect(await co2.PostAsync($"/api/v1/grants/{il5GrantId}/approve", null), HttpStatusCode.OK))["status"]!.GetValue<string>());
        Assert.Contains("CIT-COVERED", RuleIds(await Expect(await co1.PostAsJsonAsync($"/api/v1/personnel/{dual}/grants", GrantBody(il2)), HttpStatusCode.UnprocessableEntity)));
        Assert.Contains("LOC-US-AREAS", RuleIds(await Expect(await co1.PostAsJsonAsync($"/api/v1/personnel/{abroad}/grants", GrantBody(il5)), HttpStatusCode.UnprocessableEntity)));

        // A foreign national works only escorted.
        Assert.Contains("ESCORT-REQUIRED", RuleIds(await Expect(await co1.PostAsJsonAsync($"/api/v1/personnel/{british}/grants", GrantBody(il2, escorted: true)), HttpStatusCode.UnprocessableEntity)));
        await Expect(await co1.PostAsJsonAsync("/api/v1/escort-assignments", new
        {
            escortId = escort, personId = british, systemId = il2, startsOn = Today.ToString("yyyy-MM-dd"), endsOn = Today.AddDays(90).ToString("yyyy-MM-dd"),
        }), HttpStatusCode.Created);
        var assignments = await Expect(await rep.GetAsync($"/api/v1/escort-assignments?personId={british}"), HttpStatusCode.OK);
        Assert.Equal(escort, assignments["items"]![0]!["escortId"]!.GetValue<Guid>());
        using (var globex = await AsAsync(GlobexEmail))
        {
            Assert.Equal(0, (await Expect(await globex.GetAsync($"/api/v1/escort-assignments?personId={british}"), HttpStatusCode.OK))["total"]!.GetValue<int>());
        }
        var escorted = await Expect(await co1.PostAsJsonAsync($"/api/v1/personnel/{british}/grants", GrantBody(il2, escorted: true)), HttpStatusCode.Created);
        var escortedId = escorted["id"]!.GetValue<Guid>();
        await Expect(await co2.PostAsync($"/api/v1/grants/{escortedId}/approve", null), HttpStatusCode.OK);

        // The American moves to China: the IL5 grant is suspended in the same change.
        var current = await Expect(await rep.GetAsync($"/api/v1/personnel/{american}"), HttpStatusCode.OK);
        var moved = PersonBody("U-1", "Alex Abbott", "US", "US", "CN", "Shenzhen");
        moved["version"] = current["version"]!.GetValue<string>();
        var change = await Expect(await rep.PutAsJsonAsync($"/api/v1/personnel/{american}", moved), HttpStatusCode.OK);
        Assert.Contains(il5GrantId, change["consequences"]!["suspendedGrants"]!.AsArray().Select(g => g!.GetValue<Guid>()));

        // A policy change: GB joins the covered nations. Previewed, refused to its drafter, activated by a second officer.
        var active = await Expect(await co1.GetAsync("/api/v1/policy/versions/active"), HttpStatusCode.OK);
        var parameters = active["parameters"]!.DeepClone();
        parameters["countrySets"]!["COVERED"]!.AsArray().Add("GB");
        var draft = (await Expect(await co1.PostAsJsonAsync("/api/v1/policy/versions", new { name = "Exercise: GB covered", parameters }), HttpStatusCode.Created))["id"]!.GetValue<Guid>();
        var preview = await Expect(await co1.PostAsync($"/api/v1/policy/versions/{draft}/preview", null), HttpStatusCode.OK);
        var newly = preview["newlyViolating"]!.AsArray().Select(g => g!["grantId"]!.GetValue<Guid>()).ToList();
        Assert.Equal([escortedId], newly);
        await Expect(await co1.PostAsync($"/api/v1/policy/versions/{draft}/activate", null), HttpStatusCode.Forbidden);
        var activation = await Expect(await co2.PostAsync($"/api/v1/policy/versions/{draft}/activate", null), HttpStatusCode.OK);
        Assert.Equal(newly, activation["consequences"]!["suspendedGrants"]!.AsArray().Select(g => g!.GetValue<Guid>()).ToList());
        // Applied in batches after the activation (ADR 0029), within the request's wait: the run is done and can be read back.
        Assert.True(activation["run"]!["finished"]!.GetValue<bool>());
        var runId = activation["run"]!["id"]!.GetValue<Guid>();
        var run = await Expect(await auditor.GetAsync($"/api/v1/policy/reevaluations/{runId}"), HttpStatusCode.OK);
        Assert.Equal(1, run["suspended"]!.GetValue<int>());
        Assert.Equal(run["total"]!.GetValue<int>(), run["processed"]!.GetValue<int>());
        await Expect(await rep.GetAsync($"/api/v1/policy/reevaluations/{runId}"), HttpStatusCode.Forbidden);

        // The auditor verifies the chain and reads the escorted grant's whole story.
        var verify = await Expect(await auditor.GetAsync("/api/v1/audit/verify"), HttpStatusCode.OK);
        Assert.True(verify["valid"]!.GetValue<bool>());
        var story = await Expect(await auditor.GetAsync($"/api/v1/audit/events?subjectType=grant&subjectId={escortedId}"), HttpStatusCode.OK);
        Assert.Equal(["request-grant", "approve-grant", "apply-reevaluation-batch"], story["items"]!.AsArray().Select(e => e!["operation"]!.GetValue<string>()));
        var refusals = await Expect(await auditor.GetAsync("/api/v1/audit/events?eventType=8000"), HttpStatusCode.OK);
        Assert.Equal(3, refusals["total"]!.GetValue<int>()); // the three refused grant requests above, each audited
        await Expect(await rep.GetAsync("/api/v1/audit/events"), HttpStatusCode.Forbidden);
    }
}
