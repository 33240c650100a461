using System.Net;
using System.Net.Http.Json;
using ComplianceHub.Core.Domain;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>Escort requests over HTTP: a representative asks (422 with the rules when refused), an officer decides, another vendor gets 404.</summary>
public sealed class ApiEscortRequestsTests() : ApiTestBase("apiescortreq")
{
    private Guid engineer;
    private Guid britishEngineer;
    private Guid germanEngineer;

    protected override async Task ArrangePeopleAsync()
    {
        engineer = await AddPersonAsync("US", qualification: EscortQualification.Engineer);
        britishEngineer = await AddPersonAsync("GB", tier: InvestigationTier.T3);
        germanEngineer = await AddPersonAsync("DE", tier: InvestigationTier.T3);
    }

    private object Body(Guid escort) => new
    {
        escortId = escort, personId = britishEngineer, systemId = Il2, startsOn = Today, endsOn = Today.AddDays(60), justification = "Patch night",
    };

    [Fact]
    public async Task ARepresentativeAsks_AnOfficerApproves_AndTheAssignmentExists()
    {
        using var acme = await AsAsync(AcmeEmail);
        var preview = await acme.PostAsJsonAsync("/api/v1/escort-requests?dryRun=true", Body(engineer));
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var created = await acme.PostAsJsonAsync("/api/v1/escort-requests", Body(engineer));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var request = await BodyAsync(created);
        var id = request.GetProperty("id").GetGuid();
        Assert.Equal("Pending", request.GetProperty("status").GetString());

        using var globex = await AsAsync(GlobexEmail);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.PostAsync($"/api/v1/escort-requests/{id}/withdraw", null)).StatusCode);
        Assert.Equal(0, (await BodyAsync(await globex.GetAsync("/api/v1/escort-requests"))).GetProperty("total").GetInt32());

        using var officer = await AsAsync(Co1Email);
        var listed = await BodyAsync(await officer.GetAsync("/api/v1/escort-requests?status=Pending"));
        Assert.Equal(1, listed.GetProperty("total").GetInt32());
        var decided = await officer.PostAsJsonAsync($"/api/v1/escort-requests/{id}/decision", new { approve = true });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        var assignment = (await BodyAsync(decided)).GetProperty("assignmentId").GetGuid();

        var assignments = await BodyAsync(await acme.GetAsync($"/api/v1/escort-assignments?personId={britishEngineer}"));
        Assert.Contains(assignments.GetProperty("items").EnumerateArray(), a => a.GetProperty("id").GetGuid() == assignment);
    }

    [Fact]
    public async Task ARefusedRequest_Is422WithTheRules_AndIsListedAsRefused()
    {
        using var acme = await AsAsync(AcmeEmail);
        var refused = await acme.PostAsJsonAsync("/api/v1/escort-requests", Body(germanEngineer));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("ESCORT-QUALIFIED", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var list = await BodyAsync(await acme.GetAsync("/api/v1/refused-requests"));
        var row = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(britishEngineer, row.GetProperty("personId").GetGuid());
        Assert.Equal("ESCORT-QUALIFIED", row.GetProperty("rules")[0].GetProperty("ruleId").GetString());

        using var globex = await AsAsync(GlobexEmail);
        Assert.Equal(0, (await BodyAsync(await globex.GetAsync("/api/v1/refused-requests"))).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task ADeclineWithoutAReason_Is400_PerField()
    {
        using var acme = await AsAsync(AcmeEmail);
        var id = (await BodyAsync(await acme.PostAsJsonAsync("/api/v1/escort-requests", Body(engineer)))).GetProperty("id").GetGuid();
        using var officer = await AsAsync(Co2Email);
        var response = await officer.PostAsJsonAsync($"/api/v1/escort-requests/{id}/decision", new { approve = false });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await BodyAsync(response)).GetProperty("errors").TryGetProperty("reason", out _));

        var grants = await BodyAsync(await acme.GetAsync("/api/v1/grant-requests?state=Pending"));
        Assert.Equal(0, grants.GetProperty("total").GetInt32());
    }
}
