using System.Net;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Tests.Shared;

namespace ComplianceHub.IntegrationTests.Pages;

/// <summary>
/// The pages a vendor representative works in, as the server renders them: their own vendor's roster with the write actions,
/// findings without another vendor in sight, their access requests; the officers' pages turn them away, and an auditor reading
/// the same pages is offered no write action.
/// </summary>
public sealed class RepresentativePagesTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private async Task<PortalSession> SignInAsync(string email)
    {
        var session = PortalSession.Open(fixture.Portal);
        Assert.True(await session.SignInAsync(email, DemoSeeder.DemoPassword));
        return session;
    }

    [Fact]
    public async Task TheRoster_IsTheirOwnVendors_WithAddAndImport()
    {
        using var rep = await SignInAsync("rep@acme.demo.local");
        var html = WebUtility.HtmlDecode(await rep.GetHtmlAsync("/roster"));

        Assert.Contains("Acme Cloud Services roster", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"add-person\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/roster/import\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Globex", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Findings_AndRequests_OpenWithoutAVendorPicker()
    {
        using var rep = await SignInAsync("rep@globex.demo.local");
        var findings = WebUtility.HtmlDecode(await rep.GetHtmlAsync("/findings"));
        Assert.Contains("What the rules found wrong with your roster", findings, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"findings-vendor\"", findings, StringComparison.Ordinal);

        var requests = WebUtility.HtmlDecode(await rep.GetHtmlAsync("/requests"));
        Assert.Contains("Access requests", requests, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"grant-requests\"", requests, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dashboard")]
    [InlineData("/vendors")]
    [InlineData("/approvals")]
    [InlineData("/policy")]
    [InlineData("/screening")]
    [InlineData("/audit")]
    [InlineData("/audit/1")]
    [InlineData("/access")]
    public async Task TheOfficersPages_TurnThemAway(string path)
    {
        using var rep = await SignInAsync("rep@acme.demo.local");
        var response = await rep.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/access-denied", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAuditor_ReadsTheSamePages_WithoutAWriteAction()
    {
        using var auditor = await SignInAsync("auditor@demo.local");
        var roster = WebUtility.HtmlDecode(await auditor.GetHtmlAsync("/roster"));
        Assert.DoesNotContain("data-testid=\"add-person\"", roster, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/roster/import\"", roster, StringComparison.Ordinal);

        var person = (Guid)(await TestDatabase.ScalarAsync(fixture.Database.AppConnectionString, "SELECT id FROM people ORDER BY full_name LIMIT 1"))!;
        var page = WebUtility.HtmlDecode(await auditor.GetHtmlAsync($"/people/{person}"));
        foreach (var action in new[] { "request-grant", "assign-escort", "change-facts", "edit-person", "offboard-person" })
        {
            Assert.DoesNotContain($"data-testid=\"{action}\"", page, StringComparison.Ordinal);
        }
    }
}
