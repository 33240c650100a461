using System.Net;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Tests.Shared;
using ComplianceHub.Web.Hosting;

namespace ComplianceHub.IntegrationTests.Hosting;

/// <summary>
/// Served over HTTPS — in any environment; these tests run the portal as Development, as scripts/run.sh does — the portal
/// sends HSTS and sets only __Host- cookies (Secure, Path=/, no Domain), and it reads no cookie without the prefix. Over
/// plain HTTP, which the local demo uses, neither applies (a browser refuses a __Host- cookie that is not Secure).
/// </summary>
public sealed class HttpsCookiesTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static readonly Uri Https = new("https://portal.example/");
    private static readonly Uri Http = new("http://portal.example/");

    [Fact]
    public async Task OverHttps_EveryResponseSendsHsts_AndEveryCookieIsAHostCookie()
    {
        using var browser = PortalSession.Open(fixture.Portal, Https);
        var consent = await browser.Client.GetAsync("/consent");
        Assert.Equal("max-age=31536000; includeSubDomains", Assert.Single(consent.Headers.GetValues("Strict-Transport-Security")));

        Assert.True(await browser.SignInAsync("co1@demo.local", DemoSeeder.DemoPassword));
        var cookies = browser.Cookies(Https);
        Assert.Contains(cookies, c => c.Name == "__Host-ComplianceHub.Auth");
        Assert.Contains(cookies, c => c.Name.StartsWith("__Host-.AspNetCore.Antiforgery.", StringComparison.Ordinal));
        Assert.All(cookies, c =>
        {
            Assert.StartsWith(HostCookiesMiddleware.Prefix, c.Name, StringComparison.Ordinal);
            Assert.True(c.Secure, $"{c.Name} is not Secure");
            Assert.Equal("/", c.Path);
        });
        // The session works on them: a page and the API.
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/roster")).StatusCode);
    }

    [Fact]
    public async Task OverHttps_ACookieWithoutThePrefix_IsNotRead()
    {
        using var browser = PortalSession.Open(fixture.Portal, Https);
        Assert.True(await browser.SignInAsync("co1@demo.local", DemoSeeder.DemoPassword));
        var signedIn = browser.Cookies(Https).Single(c => c.Name == "__Host-ComplianceHub.Auth").Value;

        // The same valid value under the bare name — as a sibling subdomain or a plain-HTTP response could plant it — opens nothing.
        using var planted = fixture.Portal.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = Https });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Add("Cookie", $"ComplianceHub.Auth={signedIn}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await planted.SendAsync(request)).StatusCode);

        // The prefixed one works, whatever else the host's other applications left beside it (a malformed cookie included).
        using var prefixed = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        prefixed.Headers.TryAddWithoutValidation("Cookie", $"other app=\"unterminated; __Host-ComplianceHub.Auth={signedIn}; =empty-name");
        Assert.Equal(HttpStatusCode.OK, (await planted.SendAsync(prefixed)).StatusCode);
    }

    [Fact]
    public async Task OverPlainHttp_TheNamesStay_AndNoHsts()
    {
        using var browser = PortalSession.Open(fixture.Portal, Http);
        var consent = await browser.Client.GetAsync("/consent");
        Assert.False(consent.Headers.Contains("Strict-Transport-Security"));
        Assert.True(await browser.SignInAsync("co1@demo.local", DemoSeeder.DemoPassword));
        var cookies = browser.Cookies(Http);
        Assert.Contains(cookies, c => c.Name == "ComplianceHub.Auth");
        Assert.DoesNotContain(cookies, c => c.Name.StartsWith(HostCookiesMiddleware.Prefix, StringComparison.Ordinal));
    }
}
