using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>Personal access tokens for service accounts: created by administrators, hashed, scoped as their owner, revocable, expiring.</summary>
public sealed class ApiTokenTests() : ApiTestBase("apitokens")
{
    private Guid acmeRep;
    private Guid admin;
    private Guid acmeSync;

    protected override async Task ArrangePeopleAsync()
    {
        await using var db = await ContextAsync();
        acmeRep = await db.Users.Where(u => u.Email == AcmeEmail).Select(u => u.Id).SingleAsync();
        admin = await db.Users.Where(u => u.Email == AdminEmail).Select(u => u.Id).SingleAsync();
        acmeSync = await Portal.CreateAccountAsync("hr-sync@acme.demo.local", Roles.VendorRepresentative, DemoSeeder.AcmeId, serviceAccount: true);
    }

    private HttpClient With(string secret)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    private async Task<(Guid Id, string Secret)> CreateAsync(HttpClient adminClient, int days = 90)
    {
        var created = await adminClient.PostAsJsonAsync("/api/v1/tokens", new { name = "Acme HR sync", ownerUserId = acmeSync, expiresOn = Today.AddDays(days).ToString("yyyy-MM-dd"), scope = "ReadWrite" });
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
        Assert.Equal(("api-token", acmeSync), (export.AuthenticationMethod, export.ActorUserId!.Value));
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
    public async Task OnlyAdministratorsCreateTokens_OnlyForServiceAccounts_AndForAtMost90Days()
    {
        using var adminClient = await AsAsync(AdminEmail);
        // Never for a person — not an administrator, not a representative, not an officer (the two-person rule would be a token away).
        foreach (var person in new[] { admin, acmeRep })
        {
            var forPerson = await adminClient.PostAsJsonAsync("/api/v1/tokens", new { name = "root", ownerUserId = person, expiresOn = Today.AddDays(30).ToString("yyyy-MM-dd") });
            Assert.Equal(HttpStatusCode.BadRequest, forPerson.StatusCode);
            Assert.Contains("only for service accounts", await forPerson.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var tooLong = await adminClient.PostAsJsonAsync("/api/v1/tokens", new { name = "forever", ownerUserId = acmeSync, expiresOn = Today.AddDays(91).ToString("yyyy-MM-dd") });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("expiresOn", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, (await adminClient.PostAsJsonAsync("/api/v1/tokens",
            new { name = "quarterly", ownerUserId = acmeSync, expiresOn = Today.AddDays(90).ToString("yyyy-MM-dd") })).StatusCode);
        await using (var db = await ContextAsync())
        {
            Assert.Equal(ApiTokenScope.ReadOnly, await db.ApiTokens.Select(t => t.Scope).SingleAsync()); // least privilege when not asked
        }

        using var co = await AsAsync(Co1Email);
        Assert.Equal(HttpStatusCode.Forbidden, (await co.PostAsJsonAsync("/api/v1/tokens", new { name = "x", ownerUserId = acmeRep, expiresOn = Today.AddDays(30).ToString("yyyy-MM-dd") })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await co.GetAsync("/api/v1/tokens")).StatusCode);
        Assert.Equal(1L, await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT count(*) FROM api_tokens"));
    }

    [Fact]
    public async Task ATokenScopedToNamedOperations_PerformsThoseOnly_AndIsCheckedWhenCreated()
    {
        using var adminClient = await AsAsync(AdminEmail);
        var catalogue = JsonNode.Parse(await adminClient.GetStringAsync("/api/v1/tokens/operations"))!.AsArray();
        Assert.Contains(catalogue, o => o!["operation"]!.GetValue<string>() == "import-roster"
            && o["roles"]!.AsArray().Any(r => r!.GetValue<string>() == Roles.VendorRepresentative));
        Assert.DoesNotContain(catalogue, o => o!["operation"]!.GetValue<string>() == "approve-grant"); // an officer's: never a service account's

        async Task<HttpResponseMessage> Create(string scope, string[]? operations) => await adminClient.PostAsJsonAsync("/api/v1/tokens",
            new { name = "Acme HR sync", ownerUserId = acmeSync, expiresOn = Today.AddDays(30).ToString("yyyy-MM-dd"), scope, operations });
        foreach (var (scope, operations, says) in new (string, string[]?, string)[]
        {
            ("Operations", null, "Name the operations"),
            ("Operations", ["import-rooster"], "No such operation: import-rooster"),
            ("Operations", ["approve-grant"], "may not perform: approve-grant"),
            ("ReadWrite", ["import-roster"], "only for a token of scope Operations"),
        })
        {
            var refused = await Create(scope, operations);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(says, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var created = await Create("Operations", ["import-roster", "import-roster"]);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        Assert.Equal(["import-roster"], body["token"]!["operations"]!.AsArray().Select(o => o!.GetValue<string>()));
        using var sync = With(body["secret"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await sync.GetAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/personnel")).StatusCode);

        var part = new ByteArrayContent("employeeId,fullName\n"u8.ToArray());
        part.Headers.ContentType = new("text/csv");
        var import = await sync.PostAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/roster-imports?dryRun=true", new MultipartFormDataContent { { part, "file", "roster.csv" } });
        Assert.NotEqual(HttpStatusCode.Forbidden, import.StatusCode); // the named operation runs (its report is about the file)

        var add = await sync.PostAsJsonAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/personnel", new
        {
            employeeId = "OPS-1", fullName = "Ops Person", email = "ops@acme.example", employerType = "VendorEmployee", citizenships = new[] { "US" },
            countryOfBirth = "US", usLawfulPermanentResident = false, workLocation = new { country = "US", city = "Reston" },
            investigationTier = "None", continuousVetting = false, clearance = "None", escortQualification = "None",
        });
        Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
        Assert.Contains("may not add-person; it may only read and import-roster", await add.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = await ContextAsync();
        Assert.False(await db.People.AnyAsync(p => p.EmployeeId == "OPS-1"));
    }

    [Fact]
    public async Task AReadOnlyToken_Reads_AndIsRefusedEveryWrite()
    {
        using var adminClient = await AsAsync(AdminEmail);
        var created = await adminClient.PostAsJsonAsync("/api/v1/tokens", new { name = "Acme evidence pull", ownerUserId = acmeSync, expiresOn = Today.AddDays(30).ToString("yyyy-MM-dd"), scope = "ReadOnly" });
        var secret = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["secret"]!.GetValue<string>();
        using var pull = With(secret);
        Assert.Equal(HttpStatusCode.OK, (await pull.GetAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/personnel")).StatusCode);
        var part = new ByteArrayContent("employeeId,fullName\n"u8.ToArray());
        part.Headers.ContentType = new("text/csv");
        var write = await pull.PostAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/roster-imports", new MultipartFormDataContent { { part, "file", "roster.csv" } });
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Contains("read-only", await write.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServiceAccount_NeverSignsIn_AndIsNeverAnOfficer()
    {
        using var anonymous = Anonymous();
        var token = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = "hr-sync@acme.demo.local", password = DemoSeeder.DemoPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
        await using var scope = Portal.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var officer = await accounts.CreateAsync(Actor.ServerOperator, new NewAccount("robot@agency.test", "Robot", Roles.ContractingOfficer, null, "", ServiceAccount: true));
        Assert.Contains("Role", officer.Errors.Keys);
        Assert.Contains("Role", (await accounts.ChangeRoleAsync(Actor.ServerOperator, acmeSync, Roles.ContractingOfficer, null)).Errors.Keys);
        // Nor can an administrator give it a password to sign in with.
        var reset = await accounts.ResetPasswordAsync(Actor.ServerOperator, acmeSync, "Temporary-Pass-2026!");
        Assert.False(reset.Succeeded);
        Assert.Contains("never signs in", reset.Errors["Account"].Single(), StringComparison.Ordinal);
        var retry = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = "hr-sync@acme.demo.local", password = "Temporary-Pass-2026!" });
        Assert.Equal(HttpStatusCode.Unauthorized, retry.StatusCode);
    }
}
