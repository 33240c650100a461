using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>Personal access tokens for service accounts: created by administrators, hashed, scoped as their owner, revocable, expiring.</summary>
public sealed class ApiTokenTests() : ApiTestBase("apitokens")
{
    private Guid acmeRep;
    private Guid admin;

    protected override async Task ArrangePeopleAsync()
    {
        await using var db = await ContextAsync();
        acmeRep = await db.Users.Where(u => u.Email == AcmeEmail).Select(u => u.Id).SingleAsync();
        admin = await db.Users.Where(u => u.Email == AdminEmail).Select(u => u.Id).SingleAsync();
    }

    private HttpClient With(string secret)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    private async Task<(Guid Id, string Secret)> CreateAsync(HttpClient adminClient, int days = 90)
    {
        var created = await adminClient.PostAsJsonAsync("/api/v1/tokens", new { name = "Acme HR sync", ownerUserId = acmeRep, expiresOn = Today.AddDays(days).ToString("yyyy-MM-dd") });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        return (body["token"]!["id"]!.GetValue<Guid>(), body["secret"]!.GetValue<string>());
    }

    [Fact]
    public async Task AToken_ActsAsItsOwner_IsStoredHashed_AndStopsWorkingWhenRevoked()
    {
        using var adminClient = await AsAsync(AdminEmail);
        var (id, secret) = await CreateAsync(adminClient);
        Assert.StartsWith("chp_", secret, StringComparison.Ordinal);

        using var sync = With(secret);
        var me = JsonNode.Parse(await sync.GetStringAsync("/api/v1/me"))!;
        Assert.Equal(("VendorRepresentative", DemoSeeder.AcmeId), (me["role"]!.GetValue<string>(), me["vendorId"]!.GetValue<Guid>()));
        Assert.Equal(HttpStatusCode.OK, (await sync.GetAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/personnel")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sync.GetAsync($"/api/v1/vendors/{DemoSeeder.GlobexId}/personnel")).StatusCode);

        Assert.Equal(0L, await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT count(*) FROM api_tokens WHERE hash = '{secret}' OR name = '{secret}'"));
        Assert.NotNull(await TestDatabase.ScalarAsync(Database.AppConnectionString, $"SELECT last_used_at FROM api_tokens WHERE id = '{id}'"));
        var created = await SingleEventAsync(e => e.EventType == 1700 && e.SubjectId == id.ToString());
        Assert.Contains("[redacted]", created.Changes, StringComparison.Ordinal);
        Assert.Equal("bearer-token", created.AuthenticationMethod); // the administrator called with a POST /auth/token bearer token

        // What a token does is recorded as done with a token.
        Assert.Equal(HttpStatusCode.OK, (await sync.GetAsync("/api/v1/exports/roster?format=csv")).StatusCode);
        var export = await SingleEventAsync(e => e.EventType == 8100);
        Assert.Equal(("api-token", acmeRep), (export.AuthenticationMethod, export.ActorUserId!.Value));
        var listed = await adminClient.GetStringAsync("/api/v1/tokens");
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await adminClient.PostAsync($"/api/v1/tokens/{id}/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await sync.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await With("chp_forged").GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task ATokenExpires()
    {
        using var adminClient = await AsAsync(AdminEmail);
        var (_, secret) = await CreateAsync(adminClient, days: 2);
        using var sync = With(secret);
        Assert.Equal(HttpStatusCode.OK, (await sync.GetAsync("/api/v1/me")).StatusCode);
        Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(HttpStatusCode.Unauthorized, (await sync.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task OnlyAdministratorsCreateTokens_NeverForAnAdministrator_AndForAtMostAYear()
    {
        using var adminClient = await AsAsync(AdminEmail);
        var forAdmin = await adminClient.PostAsJsonAsync("/api/v1/tokens", new { name = "root", ownerUserId = admin, expiresOn = Today.AddDays(30).ToString("yyyy-MM-dd") });
        Assert.Equal(HttpStatusCode.BadRequest, forAdmin.StatusCode);
        var tooLong = await adminClient.PostAsJsonAsync("/api/v1/tokens", new { name = "forever", ownerUserId = acmeRep, expiresOn = Today.AddDays(400).ToString("yyyy-MM-dd") });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("expiresOn", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var co = await AsAsync(Co1Email);
        Assert.Equal(HttpStatusCode.Forbidden, (await co.PostAsJsonAsync("/api/v1/tokens", new { name = "x", ownerUserId = acmeRep, expiresOn = Today.AddDays(30).ToString("yyyy-MM-dd") })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await co.GetAsync("/api/v1/tokens")).StatusCode);
        Assert.Equal(0L, await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT count(*) FROM api_tokens"));
    }
}
