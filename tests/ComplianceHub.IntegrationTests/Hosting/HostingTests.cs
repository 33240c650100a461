using System.Net;
using System.Text.Json;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Tests.Shared;

namespace ComplianceHub.IntegrationTests.Hosting;

public sealed class HostingTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Healthz_IsHealthy_WhenTheDatabaseIsMigrated()
    {
        using var client = fixture.Portal.CreateClient();
        var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Healthz_IsUnhealthy_WhenTheDatabaseIsNotMigrated()
    {
        // A reachable server with an empty database is not healthy: the deploy step was skipped.
        await using var empty = await TestDatabase.CreateAsync("empty");
        await using (var conn = new Npgsql.NpgsqlConnection(empty.OwnerConnectionString))
        {
            await conn.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand("DROP TABLE countries CASCADE", conn);
            await drop.ExecuteNonQueryAsync();
        }
        await using var portal = new PortalFactory(empty);
        using var client = portal.CreateClient();
        var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Unhealthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SecurityHeaders_AreOnEveryResponse()
    {
        using var client = fixture.Portal.CreateClient();
        var response = await client.GetAsync("/consent");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.True(response.Headers.CacheControl?.NoStore, "a page holds people's data: never stored by a browser or proxy");
    }

    [Fact]
    public async Task StaticFiles_KeepTheirOwnCaching_WhilePagesAreNotStored()
    {
        using var client = fixture.Portal.CreateClient();
        var page = await client.GetStringAsync("/consent");
        var script = System.Text.RegularExpressions.Regex.Match(page, "src=\"(_framework/blazor\\.web[^\"]*\\.js)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(script), "the page loads Blazor's script");
        var asset = await client.GetAsync("/" + script);
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.NotEqual(true, asset.Headers.CacheControl?.NoStore);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://localhost.evil.example")]
    [InlineData("http://localhost:8080")]
    [InlineData("null")]
    public async Task TheCircuitsConnection_IsRefusedToAnotherSitesPage(string origin)
    {
        using var client = fixture.Portal.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", origin);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task TheCircuitsConnection_IsOpenToThePortalsOwnPages()
    {
        using var client = fixture.Portal.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", "http://localhost");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_AndApiReference_AreServedToSignedInUsers()
    {
        using var session = PortalSession.Open(fixture.Portal);
        Assert.True(await session.SignInAsync("co1@demo.local", DemoSeeder.DemoPassword));
        var doc = await session.GetHtmlAsync("/openapi/v1.json");
        using var json = JsonDocument.Parse(doc);
        Assert.StartsWith("3.", json.RootElement.GetProperty("openapi").GetString());
        Assert.True(json.RootElement.GetProperty("paths").TryGetProperty("/api/v1/me", out _));
        var reference = await session.GetHtmlAsync("/scalar/v1");
        Assert.Contains("ComplianceHub API reference", reference);
    }

    [Fact]
    public async Task DataProtectionKeys_LiveInTheDatabase_SoASecondInstanceAcceptsTheFirstOnesCookie()
    {
        // Sign in on the first instance, keeping the cookies where the test can read them.
        var jar = new CookieContainer();
        using var first = new HttpClient(new CookieJar(jar, fixture.Portal.Server.CreateHandler())) { BaseAddress = new Uri("http://localhost") };
        using var session = new PortalSession(first);
        Assert.True(await session.SignInAsync("co2@demo.local", DemoSeeder.DemoPassword));
        var keys = (long)(await TestDatabase.ScalarAsync(fixture.Database.AppConnectionString, "SELECT count(*) FROM data_protection_keys"))!;
        Assert.True(keys >= 1);

        // A second, independent instance of the portal on the same database accepts that cookie.
        await using var second = new PortalFactory(fixture.Database);
        using var client = second.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Add("Cookie", jar.GetCookieHeader(new Uri("http://localhost/")));
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"role\":\"ContractingOfficer\"", await response.Content.ReadAsStringAsync());
    }

    /// <summary>Keeps cookies in a container the test can read (the factory's own cookie handling is private).</summary>
    private sealed class CookieJar(CookieContainer container, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var header = container.GetCookieHeader(request.RequestUri!);
            if (!string.IsNullOrEmpty(header))
            {
                request.Headers.Remove("Cookie");
                request.Headers.Add("Cookie", header);
            }
            var response = await base.SendAsync(request, ct);
            if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
            {
                foreach (var c in cookies)
                {
                    container.SetCookies(request.RequestUri!, c);
                }
            }
            return response;
        }
    }
}
