using System.Net;
using System.Net.Http.Json;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>The bulk endpoints: 200 with what was applied, or 422/404 with every refused item and nothing applied; 403 for a role that may not; 400 per field.</summary>
public sealed class ApiBulkTests() : ApiTestBase("apibulk")
{
    private Guid alice;
    private Guid bob;

    protected override async Task ArrangePeopleAsync()
    {
        alice = await AddPersonAsync("US", name: "Alice Able");
        bob = await AddPersonAsync("US", name: "Bob Baker");
    }

    private object Grant() => new
    {
        systemId = Il5, accessType = "NonPrivileged", escorted = false, startsOn = Today.ToString("yyyy-MM-dd"),
        endsOn = Today.AddDays(30).ToString("yyyy-MM-dd"), justification = "Bulk API",
    };

    [Fact]
    public async Task BulkApproval_Is422WithEveryRefusedGrant_ThenAppliesAll_OnceNoneIsRefused()
    {
        using var co1 = await AsAsync(Co1Email);
        using var co2 = await AsAsync(Co2Email);
        var mine = await IdAsync(await co2.PostAsJsonAsync($"/api/v1/personnel/{alice}/grants", Grant()));
        var theirs = await IdAsync(await co1.PostAsJsonAsync($"/api/v1/personnel/{bob}/grants", Grant()));

        var refused = await co2.PostAsJsonAsync("/api/v1/grants/approve", new { ids = new[] { mine, theirs } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var item = Assert.Single((await BodyAsync(refused)).GetProperty("refused").EnumerateArray());
        Assert.Equal(mine, item.GetProperty("id").GetGuid());
        Assert.StartsWith("Alice Able on ", item.GetProperty("label").GetString(), StringComparison.Ordinal);
        Assert.Contains("two-person rule", item.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("PendingApproval", (await BodyAsync(await co2.GetAsync($"/api/v1/grants/{theirs}"))).GetProperty("status").GetString());

        var applied = await co2.PostAsJsonAsync("/api/v1/grants/approve", new { ids = new[] { theirs } });
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        Assert.Equal(1, (await BodyAsync(applied)).GetProperty("applied").GetInt32());
        Assert.Equal("Active", (await BodyAsync(await co2.GetAsync($"/api/v1/grants/{theirs}"))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task BulkEndpoints_Are404ForAnotherVendorsItems_403ForAnAuditor_And400PerField()
    {
        using var co1 = await AsAsync(Co1Email);
        var grant = await IdAsync(await co1.PostAsJsonAsync($"/api/v1/personnel/{alice}/grants", Grant()));
        using var globex = await AsAsync(GlobexEmail);
        using var auditor = await AsAsync(AuditorEmail);

        var other = await globex.PostAsJsonAsync("/api/v1/findings/acknowledge", new { ids = new[] { Guid.NewGuid() }, response = "Ours?" });
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Single((await BodyAsync(other)).GetProperty("refused").EnumerateArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsJsonAsync("/api/v1/grants/approve", new { ids = new[] { grant } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await globex.PostAsJsonAsync("/api/v1/grants/reject", new { ids = new[] { grant }, reason = "x" })).StatusCode);

        var invalid = await co1.PostAsJsonAsync("/api/v1/grants/reject", new { ids = new[] { grant, grant }, reason = "" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await BodyAsync(invalid)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("ids", out _));
        Assert.True(errors.TryGetProperty("reason", out _));
        Assert.Equal("PendingApproval", (await BodyAsync(await co1.GetAsync($"/api/v1/grants/{grant}"))).GetProperty("status").GetString());
    }

    private static async Task<Guid> IdAsync(HttpResponseMessage created)
    {
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await BodyAsync(created)).GetProperty("id").GetGuid();
    }
}
