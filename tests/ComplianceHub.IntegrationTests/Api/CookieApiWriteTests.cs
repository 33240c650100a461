using System.Net;
using System.Net.Http.Json;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>A signed-in browser's cookie writes to the API only with the portal's antiforgery token; bearer callers are exempt.</summary>
public sealed class CookieApiWriteTests() : ApiTestBase("cookiewrites")
{
    private Guid acmeRep;

    protected override async Task ArrangePeopleAsync()
    {
        acmeRep = await Portal.CreateAccountAsync("hr-sync@acme.demo.local", Core.Authorization.Roles.VendorRepresentative, DemoSeeder.AcmeId,
            serviceAccount: true);
    }

    private object TokenBody(string name) => new { name, ownerUserId = acmeRep, expiresOn = Today.AddDays(30).ToString("yyyy-MM-dd") };

    private async Task<long> TokensAsync() => (long)(await TestDatabase.ScalarAsync(Database.AppConnectionString, "SELECT count(*) FROM api_tokens"))!;

    [Fact]
    public async Task ACookieWrite_WithoutTheToken_IsRefused_AndWritesNothing_WithItOrABearerTokenItWorks()
    {
        using var browser = PortalSession.Open(Portal);
        Assert.True(await browser.SignInAsync(AdminEmail, DemoSeeder.DemoPassword));
        // Reads with the cookie are fine.
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/api/v1/tokens")).StatusCode);

        // What a forged cross-site post amounts to: the cookie, no token.
        var forged = await browser.Client.PostAsJsonAsync("/api/v1/tokens", TokenBody("forged"));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("Antiforgery token missing", await forged.Content.ReadAsStringAsync());
        var form = await browser.Client.PostAsync("/api/v1/tokens", new FormUrlEncodedContent([new("name", "forged")]));
        Assert.Equal(HttpStatusCode.BadRequest, form.StatusCode);
        // An Authorization header that is not a bearer token does not make the cookie a token.
        using (var basic = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tokens") { Content = JsonContent.Create(TokenBody("basic")) })
        {
            basic.Headers.Authorization = new("Basic", "eDp5");
            Assert.Equal(HttpStatusCode.BadRequest, (await browser.Client.SendAsync(basic)).StatusCode);
        }
        Assert.Equal(0L, await TokensAsync());

        using var withToken = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tokens") { Content = JsonContent.Create(TokenBody("from the portal")) };
        withToken.Headers.Add("RequestVerificationToken", await browser.AntiforgeryTokenAsync("/account/password"));
        Assert.Equal(HttpStatusCode.Created, (await browser.Client.SendAsync(withToken)).StatusCode);

        using var bearer = await AsAsync(AdminEmail);
        Assert.Equal(HttpStatusCode.Created, (await bearer.PostAsJsonAsync("/api/v1/tokens", TokenBody("HR sync"))).StatusCode);
        Assert.Equal(2L, await TokensAsync());
    }
}
