using ComplianceHub.Core.Domain;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>The policy lifecycle over HTTP: draft from the active parameters, preview, activation by a second officer.</summary>
public sealed class ApiPolicyTests() : ApiTestBase("apipolicy")
{
    private Guid grant;

    protected override async Task ArrangePeopleAsync()
    {
        var indian = await AddPersonAsync("US,IN"); // a dual national: fine today, refused once the draft adds IN to COVERED
        grant = (await SendAsync(Co1, new RequestGrant(indian, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(60), "Support"))).Value!.Id;
    }

    [Fact]
    public async Task ADraftIsPreviewed_ThenActivatedByASecondOfficer_AndThePreviewMatchesWhatHappened()
    {
        using var co1 = await AsAsync(Co1Email);
        using var co2 = await AsAsync(Co2Email);
        var active = JsonNode.Parse(await co1.GetStringAsync("/api/v1/policy/versions/active"))!;
        Assert.Equal("Active", active["status"]!.GetValue<string>());
        var parameters = active["parameters"]!.DeepClone();
        parameters["countrySets"]!["COVERED"]!.AsArray().Add("IN");

        var drafted = await co1.PostAsJsonAsync("/api/v1/policy/versions", new { name = "Add IN to COVERED (exercise)", parameters });
        Assert.Equal(HttpStatusCode.Created, drafted.StatusCode);
        var draftId = (await BodyAsync(drafted)).GetProperty("id").GetGuid();

        var preview = await BodyAsync(await co1.PostAsync($"/api/v1/policy/versions/{draftId}/preview", null));
        var newly = preview.GetProperty("newlyViolating").EnumerateArray().Select(g => g.GetProperty("grantId").GetGuid()).ToList();
        Assert.Contains(grant, newly);

        Assert.Equal(HttpStatusCode.Forbidden, (await co1.PostAsync($"/api/v1/policy/versions/{draftId}/activate", null)).StatusCode);
        var activated = await co2.PostAsync($"/api/v1/policy/versions/{draftId}/activate", null);
        Assert.Equal(HttpStatusCode.OK, activated.StatusCode);
        var suspended = (await BodyAsync(activated)).GetProperty("consequences").GetProperty("suspendedGrants").EnumerateArray().Select(e => e.GetGuid());
        Assert.Equal(newly.Order(), suspended.Order());
    }

    [Fact]
    public async Task AnIncompleteOrInvalidDraft_Is400_AndARepresentativeCannotDraft()
    {
        using var co1 = await AsAsync(Co1Email);
        var incomplete = await co1.PostAsJsonAsync("/api/v1/policy/versions", new { parameters = new { maxGrantDays = 30 } });
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);

        var active = JsonNode.Parse(await co1.GetStringAsync("/api/v1/policy/versions/active"))!;
        var parameters = active["parameters"]!.DeepClone();
        parameters["countrySets"]!["COVERED"]!.AsArray().Add("XX");
        var unknownCountry = await co1.PostAsJsonAsync("/api/v1/policy/versions", new { parameters });
        Assert.Equal(HttpStatusCode.BadRequest, unknownCountry.StatusCode);
        Assert.Contains("XX", (await unknownCountry.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        using var rep = await AsAsync(AcmeEmail);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostAsJsonAsync("/api/v1/policy/versions", new { parameters })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await rep.GetAsync("/api/v1/policy/versions")).StatusCode); // the rules in force are public to every role
    }
}
