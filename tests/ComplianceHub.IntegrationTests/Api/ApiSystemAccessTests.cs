using ComplianceHub.Core.Domain;
using System.Net;
using System.Text.Json.Nodes;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>"Who could touch system S on day D, from where": rebuilt from grant and attribute history, not today's state.</summary>
public sealed class ApiSystemAccessTests() : ApiTestBase("apiaccess")
{
    private Guid person;
    private Guid grant;
    private DateOnly start;

    protected override async Task ArrangePeopleAsync()
    {
        start = Today;
        person = await AddPersonAsync("US");
        grant = (await SendAsync(Co1, new RequestGrant(person, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(60), "Support"))).Value!.Id;
        Clock.Advance(TimeSpan.FromDays(5));
        Assert.True((await SendAsync(Co1, new ChangePersonFacts(person, "DE", "Berlin"))).IsOk); // IL2 allows it: the grant stays
        Clock.Advance(TimeSpan.FromDays(5));
        Assert.True((await SendAsync(Co1, new DecideGrant(grant, GrantDecision.Revoke, "Contract ended"))).IsOk);
    }

    private async Task<JsonNode> OnAsync(HttpClient client, DateOnly day) =>
        JsonNode.Parse(await client.GetStringAsync($"/api/v1/systems/{Il2}/access?asOf={day:yyyy-MM-dd}"))!;

    [Fact]
    public async Task EachDay_ShowsWhoHeldAccess_AndFromWhere_AsItWasThen()
    {
        using var auditor = await AsAsync(AuditorEmail);

        var first = await OnAsync(auditor, start.AddDays(1));
        var holder = Assert.Single(first["holders"]!.AsArray(), h => h!["grantId"]!.GetValue<Guid>() == grant)!;
        Assert.Equal("US", holder["factsThatDay"]!["workCountry"]!.GetValue<string>());
        Assert.Equal(1, first["policyVersion"]!.GetValue<int>());
        Assert.True(holder["verdict"]!["passed"]!.GetValue<bool>());
        Assert.Equal(1, holder["verdict"]!["policyVersion"]!.GetValue<int>());
        Assert.Empty(holder["verdict"]!["failing"]!.AsArray());
        Assert.Equal("Acme Cloud Services", holder["vendorName"]!.GetValue<string>());

        var afterMove = await OnAsync(auditor, start.AddDays(6));
        Assert.Equal("DE", Assert.Single(afterMove["holders"]!.AsArray(), h => h!["grantId"]!.GetValue<Guid>() == grant)!["factsThatDay"]!["workCountry"]!.GetValue<string>());

        var afterRevocation = await OnAsync(auditor, start.AddDays(11));
        Assert.DoesNotContain(afterRevocation["holders"]!.AsArray(), h => h!["grantId"]!.GetValue<Guid>() == grant);
        var beforeTheGrant = await OnAsync(auditor, start.AddDays(-1));
        Assert.DoesNotContain(beforeTheGrant["holders"]!.AsArray(), h => h!["grantId"]!.GetValue<Guid>() == grant);
    }

    [Fact]
    public async Task RepresentativesMayNotReconstructAccess_AndAnUnknownSystemIs404()
    {
        using var acme = await AsAsync(AcmeEmail);
        Assert.Equal(HttpStatusCode.Forbidden, (await acme.GetAsync($"/api/v1/systems/{Il2}/access?asOf={start:yyyy-MM-dd}")).StatusCode);
        using var co = await AsAsync(Co1Email);
        Assert.Equal(HttpStatusCode.NotFound, (await co.GetAsync($"/api/v1/systems/{Guid.NewGuid()}/access")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await co.GetAsync($"/api/v1/systems/{Il2}/access?asOf=yesterday")).StatusCode);
    }
}
