using System.Net;
using System.Net.Http.Json;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Features.Personnel;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>Bearer tokens, problem details and the grant and finding resources over HTTP.</summary>
public sealed class ApiAuthAndGrantsTests() : ApiTestBase("api")
{
    private Guid person;
    private Guid movedAbroad;

    protected override async Task ArrangePeopleAsync()
    {
        person = await AddPersonAsync("US");
        movedAbroad = await AddPersonAsync("US");
        await SendAsync(Co1, new ChangePersonFacts(movedAbroad, "CN", "Shanghai"));
    }

    private object Grant(string accessType = "NonPrivileged", int days = 90) => new
    {
        systemId = Il2, accessType, escorted = false, startsOn = Today.ToString("yyyy-MM-dd"),
        endsOn = Today.AddDays(days).ToString("yyyy-MM-dd"), justification = "Patch management",
    };

    [Fact]
    public async Task AToken_CarriesTheRoleAndVendorScope_AndBadCredentialsGetOneAnswer()
    {
        using var anonymous = Anonymous();
        var issued = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = AcmeEmail, password = DemoSeeder.DemoPassword });
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var body = await BodyAsync(issued);
        var expiresAt = body.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(13), TimeSpan.FromMinutes(16));

        using var acme = await AsAsync(AcmeEmail);
        var me = await BodyAsync(await acme.GetAsync("/api/v1/me"));
        Assert.Equal("VendorRepresentative", me.GetProperty("role").GetString());
        Assert.Equal(DemoSeeder.AcmeId, me.GetProperty("vendorId").GetGuid());

        var wrong = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = AcmeEmail, password = "not-the-password" });
        var unknown = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = "nobody@demo.local", password = "not-the-password" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal((await BodyAsync(wrong)).GetProperty("detail").GetString(), (await BodyAsync(unknown)).GetProperty("detail").GetString());

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/findings")).StatusCode);
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "forged-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/findings")).StatusCode);
    }

    [Fact]
    public async Task ThreeWrongPasswords_LockTheAccount_ForTokensToo()
    {
        using var anonymous = Anonymous();
        for (var i = 0; i < 3; i++)
        {
            await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = GlobexEmail, password = "wrong" });
        }
        var locked = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = GlobexEmail, password = DemoSeeder.DemoPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
    }

    [Fact]
    public async Task AGrantRequest_Is201_OrA422WithEveryViolation_AndWritesNothingWhenRefused()
    {
        using var co = await AsAsync(Co1Email);

        var created = await co.PostAsJsonAsync($"/api/v1/personnel/{person}/grants", Grant());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var grant = await BodyAsync(created);
        Assert.Equal("Active", grant.GetProperty("status").GetString());
        Assert.Equal($"/api/v1/grants/{grant.GetProperty("id").GetGuid()}", created.Headers.Location!.OriginalString);

        var refused = await co.PostAsJsonAsync($"/api/v1/personnel/{movedAbroad}/grants", Grant());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        var violations = (await BodyAsync(refused)).GetProperty("violations").EnumerateArray().ToList();
        var covered = Assert.Single(violations, v => v.GetProperty("ruleId").GetString() == "LOC-COVERED");
        Assert.Equal("Block", covered.GetProperty("severity").GetString());
        Assert.Equal("CN", covered.GetProperty("facts").GetProperty("workCountry").GetString());
        Assert.Contains("4872", covered.GetProperty("citation").GetString(), StringComparison.Ordinal);
        Assert.Equal("Work location in a covered nation", covered.GetProperty("title").GetString());
        Assert.StartsWith("Refused: The person works in China (CN), a covered nation", covered.GetProperty("sentence").GetString(), StringComparison.Ordinal);
        await using var db = await ContextAsync();
        Assert.False(await db.Grants.AnyAsync(g => g.PersonId == movedAbroad));
    }

    [Fact]
    public async Task InvalidInput_Is400_WithPerFieldMessages()
    {
        using var co = await AsAsync(Co1Email);

        var unknownEnum = await co.PostAsJsonAsync($"/api/v1/personnel/{person}/grants", Grant(accessType: "Root"));
        Assert.Equal(HttpStatusCode.BadRequest, unknownEnum.StatusCode);
        var errors = (await BodyAsync(unknownEnum)).GetProperty("errors");
        Assert.Contains("Privileged, NonPrivileged, Data, Physical", errors.GetProperty("accessType")[0].GetString(), StringComparison.Ordinal);

        var tooLong = await co.PostAsJsonAsync($"/api/v1/personnel/{person}/grants", Grant(days: 400));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode); // GRANT-TERMS: a policy refusal, not an input error

        var backwards = await co.PostAsJsonAsync($"/api/v1/personnel/{person}/grants", Grant(days: -5));
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.True((await BodyAsync(backwards)).GetProperty("errors").TryGetProperty("endsOn", out _));
        await using var db = await ContextAsync();
        Assert.False(await db.Grants.AnyAsync(g => g.PersonId == person));
    }

    [Fact]
    public async Task AnotherVendorsRepresentative_Gets404_AndAnAuditorCannotWrite()
    {
        using var co = await AsAsync(Co1Email);
        var grant = await BodyAsync(await co.PostAsJsonAsync($"/api/v1/personnel/{person}/grants", Grant()));
        var grantId = grant.GetProperty("id").GetGuid();

        using var globex = await AsAsync(GlobexEmail);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync($"/api/v1/personnel/{person}/grants")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync($"/api/v1/grants/{grantId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.PostAsJsonAsync($"/api/v1/personnel/{person}/grants", Grant())).StatusCode);

        using var acme = await AsAsync(AcmeEmail);
        Assert.Equal(HttpStatusCode.OK, (await acme.GetAsync($"/api/v1/grants/{grantId}")).StatusCode);

        using var auditor = await AsAsync(AuditorEmail);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/v1/grants/{grantId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsJsonAsync($"/api/v1/personnel/{person}/grants", Grant())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsJsonAsync($"/api/v1/grants/{grantId}/revoke", new { reason = "No" })).StatusCode);
        await using var db = await ContextAsync();
        Assert.Equal(1, await db.Grants.CountAsync(g => g.PersonId == person));
    }

    [Fact]
    public async Task TheFindingsList_IsScopedToTheVendor_AndAFindingCanBeAnswered()
    {
        using var co = await AsAsync(Co1Email);
        await co.PostAsJsonAsync($"/api/v1/personnel/{person}/grants", Grant());
        await SendAsync(Co1, new ChangePersonFacts(person, "CN", "Beijing"));

        using var acme = await AsAsync(AcmeEmail);
        var page = await BodyAsync(await acme.GetAsync($"/api/v1/findings?personId={person}&status=Open&pageSize=10"));
        Assert.Equal(1, page.GetProperty("total").GetInt32());
        var finding = page.GetProperty("items")[0];
        Assert.Equal("LOC-COVERED", finding.GetProperty("ruleId").GetString());
        var id = finding.GetProperty("id").GetGuid();

        using var globex = await AsAsync(GlobexEmail);
        Assert.Equal(0, (await BodyAsync(await globex.GetAsync($"/api/v1/findings?personId={person}"))).GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync($"/api/v1/findings/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.PostAsJsonAsync($"/api/v1/findings/{id}/acknowledge", new { response = "x" })).StatusCode);

        var answered = await acme.PostAsJsonAsync($"/api/v1/findings/{id}/acknowledge", new { response = "Relocating to Reston next week." });
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal("Acknowledged", (await BodyAsync(answered)).GetProperty("status").GetString());
        var remediate = await acme.PostAsJsonAsync($"/api/v1/findings/{id}/remediate", new { resolution = "Done" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, remediate.StatusCode);
    }
}
