using System.Net;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Tests.Shared;

namespace ComplianceHub.IntegrationTests.Features.Dashboard;

/// <summary>The dashboard and the escort board render on the server for officers and auditors, with the demo data; a vendor representative is turned away.</summary>
public sealed class WorkspacePagesTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Theory]
    [InlineData("co1@demo.local")]
    [InlineData("auditor@demo.local")]
    public async Task TheDashboard_ShowsThePosture_WithLinkedNumbers(string email)
    {
        using var session = PortalSession.Open(fixture.Portal);
        Assert.True(await session.SignInAsync(email, DemoSeeder.DemoPassword));

        var html = WebUtility.HtmlDecode(await session.GetHtmlAsync("/dashboard"));

        Assert.Contains("Posture dashboard", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"dash-covered\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/roster?group=CoveredNation&status=Active\"", html, StringComparison.Ordinal);
        Assert.Contains("People by citizenship group", html, StringComparison.Ordinal);

        var acme = WebUtility.HtmlDecode(await session.GetHtmlAsync($"/dashboard?vendor={DemoSeeder.AcmeId}"));
        Assert.Contains($"href=\"/roster?group=CoveredNation&status=Active&vendor={DemoSeeder.AcmeId}\"", acme, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"dash-vendor-missing\"", await session.GetHtmlAsync($"/dashboard?vendor={Guid.NewGuid()}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheEscortBoard_ListsTheDemoEscorts()
    {
        using var session = PortalSession.Open(fixture.Portal);
        Assert.True(await session.SignInAsync("co2@demo.local", DemoSeeder.DemoPassword));

        var html = WebUtility.HtmlDecode(await session.GetHtmlAsync("/escorts"));

        Assert.Contains("Escort board", html, StringComparison.Ordinal);
        Assert.Contains("Foreign nationals with no qualified escort", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"escorts-grid\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"unescorted-grid\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dashboard")]
    [InlineData("/escorts")]
    public async Task AVendorRepresentative_IsTurnedAway(string path)
    {
        using var session = PortalSession.Open(fixture.Portal);
        Assert.True(await session.SignInAsync("rep@acme.demo.local", DemoSeeder.DemoPassword));

        var response = await session.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/access-denied", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
}
