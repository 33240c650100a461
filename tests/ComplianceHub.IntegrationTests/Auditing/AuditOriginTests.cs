using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Features.Evidence;
using ComplianceHub.IntegrationTests.Api;
using ComplianceHub.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Auditing;

/// <summary>
/// Every audit event a request causes names where it came from (issue 18, NIST 800-53 AU-3): the client address and user
/// agent, the sign-in session of a cookie or bearer token, the personal access token. The fields are hash-chained, so the
/// database owner cannot change them unnoticed; events made without a request (the command line) carry none.
/// </summary>
public sealed class AuditOriginTests() : ApiTestBase("origin")
{
    private const string Address = "203.0.113.9";
    private const string Agent = "OriginTest/1.0 (integration)";
    private WebApplicationFactory<Program>? fromAddress;

    protected override Task ArrangePeopleAsync() => Task.CompletedTask;

    /// <summary>A client whose requests reach the portal from <see cref="Address"/> with <see cref="Agent"/> (the test server has no socket).</summary>
    private HttpClient FromAddress(string? bearer = null)
    {
        fromAddress ??= Portal.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(new RemoteAddress(IPAddress.Parse(Address)))));
        var client = fromAddress.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.UserAgent.ParseAdd(Agent);
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return client;
    }

    private sealed class RemoteAddress(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, inner) =>
            {
                http.Connection.RemoteIpAddress = address;
                return inner(http);
            });
            next(app);
        };
    }

    private async Task<AuditEvent> LastEventAsync(int eventType)
    {
        await using var db = await ContextAsync();
        return await db.AuditEvents.AsNoTracking().Where(e => e.EventType == eventType).OrderByDescending(e => e.Sequence).FirstAsync();
    }

    [Fact]
    public async Task ASignedInCallersChanges_NameTheAddressAgentAndSession()
    {
        using var anonymous = FromAddress();
        var signIn = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = Co1Email, password = DemoSeeder.DemoPassword });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var token = (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        Guid session;
        await using (var db = await ContextAsync())
        {
            var officer = await db.Users.Where(u => u.Email == Co1Email).Select(u => u.Id).SingleAsync();
            session = await db.UserSessions.Where(s => s.UserId == officer).OrderByDescending(s => s.CreatedAt).Select(s => s.Id).FirstAsync();
        }

        using var officerClient = FromAddress(token);
        Assert.Equal(HttpStatusCode.OK, (await officerClient.GetAsync("/api/v1/exports/roster?format=csv")).StatusCode);
        var export = await LastEventAsync(AuditEventTypes.Export);
        Assert.Equal((Address, Agent, (Guid?)session, (Guid?)null), (export.ClientAddress, export.UserAgent, export.SessionId, export.ApiTokenId));

        // The API shows them, and the chain still verifies.
        using var auditor = await AsAsync(AuditorEmail);
        var shown = JsonNode.Parse(await auditor.GetStringAsync($"/api/v1/audit/events/{export.Sequence}"))!["event"]!;
        Assert.Equal((Address, Agent, session.ToString()), (shown["clientAddress"]!.GetValue<string>(), shown["userAgent"]!.GetValue<string>(),
            shown["sessionId"]!.GetValue<string>()));
        var detail = JsonNode.Parse(await auditor.GetStringAsync($"/api/v1/audit/events/{export.Sequence}"))!;
        Assert.NotNull(detail["sessionStartedAt"]?.GetValue<DateTimeOffset>()); // when that sign-in began, for the page to say
        Assert.True((await VerifyAsync()).Valid);
    }

    [Fact]
    public async Task AnAccessTokensChanges_NameTheToken()
    {
        var service = await Portal.CreateAccountAsync("hr-sync@acme.demo.local", Roles.VendorRepresentative, DemoSeeder.AcmeId, serviceAccount: true);
        using var admin = await AsAsync(AdminEmail);
        var created = await admin.PostAsJsonAsync("/api/v1/tokens", new { name = "Acme HR sync", ownerUserId = service, expiresOn = Today.AddDays(30).ToString("yyyy-MM-dd") });
        var body = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        var (id, secret) = (body["token"]!["id"]!.GetValue<Guid>(), body["secret"]!.GetValue<string>());

        using var sync = FromAddress(secret);
        Assert.Equal(HttpStatusCode.OK, (await sync.GetAsync("/api/v1/exports/roster?format=csv")).StatusCode);
        var export = await LastEventAsync(AuditEventTypes.Export);
        Assert.Equal(((Guid?)id, (Guid?)null, Address, Agent), (export.ApiTokenId, export.SessionId, export.ClientAddress, export.UserAgent));
        var detail = JsonNode.Parse(await admin.GetStringAsync($"/api/v1/audit/events/{export.Sequence}"))!;
        Assert.Equal("Acme HR sync", detail["apiTokenName"]!.GetValue<string>()); // the page names the token, not its id
        AuditEvent use;
        await using (var db = await ContextAsync())
        {
            use = await db.AuditEvents.AsNoTracking().Where(e => e.Operation == "api-token.use").OrderByDescending(e => e.Sequence).FirstAsync();
        }
        Assert.Equal(((Guid?)id, Address), (use.ApiTokenId, use.ClientAddress));
    }

    [Fact]
    public async Task AChangeMadeWithoutARequest_NamesNoOrigin_AndAnOriginChangedBehindTheTriggersBack_IsFound()
    {
        using (var officer = FromAddress((await SignInAsync(Co1Email))))
        {
            Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync("/api/v1/exports/roster?format=csv")).StatusCode);
        }
        var withOrigin = await LastEventAsync(AuditEventTypes.Export);
        await AddPersonAsync("US"); // through the executor, as the command line does: no request
        await using (var db = await ContextAsync())
        {
            var added = await db.AuditEvents.AsNoTracking().Where(e => e.SubjectType == "person").OrderByDescending(e => e.Sequence).FirstAsync();
            Assert.Equal((null, null, (Guid?)null, (Guid?)null), (added.ClientAddress, added.UserAgent, added.SessionId, added.ApiTokenId));
        }
        Assert.True((await VerifyAsync()).Valid);

        // The database owner, with the append-only trigger out of the way, moves the export to another address.
        await Database.AsOwnerWithoutTriggerAsync("audit_events", "audit_events_no_update_or_delete",
            $"UPDATE audit_events SET client_address = '198.51.100.1' WHERE sequence = {withOrigin.Sequence}");
        var result = await VerifyAsync();
        Assert.False(result.Valid);
        Assert.Equal(withOrigin.Sequence, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task TheEvidencePackage_CarriesTheOrigins_AndVerifiesOffline_UnlessOneIsChanged()
    {
        using (var officer = FromAddress(await SignInAsync(Co1Email)))
        {
            Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync("/api/v1/exports/roster?format=csv")).StatusCode);
        }
        using var auditor = FromAddress(await SignInAsync(AuditorEmail));
        var response = await auditor.GetAsync($"/api/v1/exports/evidence?from={Today.AddDays(-1):yyyy-MM-dd}&to={Today:yyyy-MM-dd}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var zip = await response.Content.ReadAsByteArrayAsync();
        var verified = EvidenceZip.Verify(zip);
        Assert.True(verified.Valid, string.Join("\n", verified.Problems));
        Assert.Contains($"\"clientAddress\":\"{Address}\"", EvidenceZip.Text(zip, EvidencePackage.AuditEvents), StringComparison.Ordinal);

        var moved = EvidenceZip.ChangeEvents(zip, lines => lines.Select(l => l.Replace($"\"clientAddress\":\"{Address}\"", "\"clientAddress\":\"198.51.100.1\"",
            StringComparison.Ordinal)).ToList());
        Assert.False(EvidenceZip.Verify(moved).Valid);
    }

    private async Task<string> SignInAsync(string email)
    {
        using var anonymous = FromAddress();
        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email, password = DemoSeeder.DemoPassword });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    private async Task<ChainVerification> VerifyAsync()
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AuditChainVerifier>().VerifyAsync(Auditor);
    }

    public override async Task DisposeAsync()
    {
        if (fromAddress is not null)
        {
            await fromAddress.DisposeAsync();
        }
        await base.DisposeAsync();
    }
}
