using System.Net;
using System.Net.Http.Json;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.IntegrationTests.Api;
using ComplianceHub.Tests.Shared;
using ComplianceHub.Web.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ComplianceHub.IntegrationTests.Account;

/// <summary>
/// AC-7 and SC-5: request bursts get 429 with Retry-After, at the installation's default limits (the rest of the suite runs
/// under higher ones). The requests of a burst are sent at once, so they all meet the limiter within its one-minute window
/// however busy the machine is.
/// </summary>
public sealed class RateLimitTests() : ApiTestBase("rates")
{
    private static readonly RateLimitOptions Defaults = new();

    protected override Task ArrangePeopleAsync() => Task.CompletedTask;

    /// <summary>The portal with the limits an installation gets when it configures none.</summary>
    private WebApplicationFactory<Program> AtDefaults() => Portal.WithWebHostBuilder(b => b
        .UseSetting("RateLimits:SignInPerAddress", Defaults.SignInPerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .UseSetting("RateLimits:ImportsPerAccount", Defaults.ImportsPerAccount.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .UseSetting("RateLimits:ExportsPerAccount", Defaults.ExportsPerAccount.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .UseSetting("RateLimits:ApiPerCaller", Defaults.ApiPerCaller.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static async Task<HttpClient> BearerClientAsync(WebApplicationFactory<Program> portal, string email)
    {
        var client = portal.CreateClient();
        var token = await client.PostAsJsonAsync("/api/v1/auth/token", new { email, password = DemoSeeder.DemoPassword });
        token.EnsureSuccessStatusCode();
        client.DefaultRequestHeaders.Authorization = new("Bearer", (await token.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("accessToken").GetString());
        return client;
    }

    [Fact]
    public async Task ABurstOfSignIns_FromOneAddress_Gets429WithRetryAfter_AndTheFormIsLimitedToo()
    {
        await using var portal = AtDefaults();
        var burst = Defaults.SignInPerAddress + 5;
        var responses = await Task.WhenAll(Enumerable.Range(0, burst).Select(async i =>
        {
            using var client = portal.CreateClient();
            return await client.PostAsJsonAsync("/api/v1/auth/token", new { email = $"nobody{i}@nowhere.test", password = "Wrong-Password-123!" });
        }));
        Assert.Equal(Defaults.SignInPerAddress, responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(5, refused.Count);
        Assert.All(refused, r => Assert.InRange(int.Parse(r.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60));
        Assert.Contains("Too many requests", await refused[0].Content.ReadAsStringAsync());

        // The sign-in form shares the address's limit: reading it still works, posting is refused in words.
        using var browser = PortalSession.Open(portal);
        await browser.AcknowledgeBannerAsync();
        var post = await browser.PostSignInAsync(Co1Email, DemoSeeder.DemoPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, post.StatusCode);
        Assert.StartsWith("Too many requests: wait", await post.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ABurstOfExports_ByOneAccount_Gets429_WhileAnotherAccountStillExports()
    {
        await using var portal = AtDefaults();
        using var officer = await BearerClientAsync(portal, Co1Email);
        using var auditor = await BearerClientAsync(portal, AuditorEmail);
        var burst = await Task.WhenAll(Enumerable.Range(0, Defaults.ExportsPerAccount + 3)
            .Select(_ => officer.GetAsync("/api/v1/exports/findings?format=csv")));
        Assert.Equal(Defaults.ExportsPerAccount, burst.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(3, burst.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("/api/v1/exports/findings?format=csv")).StatusCode);
    }

    [Fact]
    public async Task ABurstOfImports_ByOneAccount_Gets429()
    {
        await using var portal = AtDefaults();
        using var client = await BearerClientAsync(portal, Co1Email);
        // Files that are refused at once (not a roster file): the limit counts attempts, whatever they hold.
        var burst = await Task.WhenAll(Enumerable.Range(0, Defaults.ImportsPerAccount + 2).Select(_ =>
        {
            var part = new ByteArrayContent([1, 2, 3]);
            part.Headers.ContentType = new("application/pdf");
            return client.PostAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/roster-imports?dryRun=true", new MultipartFormDataContent { { part, "file", "roster.pdf" } });
        }));
        Assert.Equal(2, burst.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(Defaults.ImportsPerAccount, burst.Count(r => r.StatusCode != HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task EveryApiCall_CountsAgainstTheCallersBudget()
    {
        await using var portal = AtDefaults();
        using var client = await BearerClientAsync(portal, AcmeEmail);
        // In batches of 50 at once (all of them at once would only measure the connection pool), well within the minute.
        var responses = new List<HttpResponseMessage>();
        foreach (var batch in Enumerable.Range(0, Defaults.ApiPerCaller + 10).Chunk(50))
        {
            responses.AddRange(await Task.WhenAll(batch.Select(_ => client.GetAsync("/api/v1/me"))));
        }
        var seen = string.Join(", ", responses.GroupBy(r => r.StatusCode).Select(g => $"{g.Key}: {g.Count()}"));
        Assert.True(responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests) == 10, seen);
        Assert.Equal(Defaults.ApiPerCaller, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
    }
}
