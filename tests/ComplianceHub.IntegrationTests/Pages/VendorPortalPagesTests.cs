using System.Net;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Tests.Shared;

namespace ComplianceHub.IntegrationTests.Pages;

/// <summary>
/// The attestation and session pages render on the server with the demo data: a representative gets the forms and write
/// actions, an auditor reads without any, another vendor's rows never show, and the bell names its count.
/// </summary>
public sealed class VendorPortalPagesTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private async Task<string> HtmlAsync(string email, string path)
    {
        using var session = PortalSession.Open(fixture.Portal);
        Assert.True(await session.SignInAsync(email, DemoSeeder.DemoPassword));
        return WebUtility.HtmlDecode(await session.GetHtmlAsync(path));
    }

    [Fact]
    public async Task TheRepresentative_GetsTheAttestationForm_ForTheirOwnPeopleOnly()
    {
        var html = await HtmlAsync("rep@acme.demo.local", "/attestations");
        Assert.Contains("Location attestations", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"attestation-due-grid\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"attestation-form\"", html, StringComparison.Ordinal); // the demo has Acme people due
        Assert.Contains("data-testid=\"attestation-statement\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"attestation-submit\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Globex Federal", html, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Notifications: ", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAuditor_ReadsAttestationsAndSessions_WithoutWriteActions()
    {
        var attestations = await HtmlAsync("auditor@demo.local", "/attestations");
        Assert.Contains("data-testid=\"attestation-history-grid\"", attestations, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"attestation-vendor-filter\"", attestations, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"attestation-submit\"", attestations, StringComparison.Ordinal);
        var sessions = await HtmlAsync("auditor@demo.local", "/sessions");
        Assert.Contains("data-testid=\"sessions-grid\"", sessions, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"record-session\"", sessions, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rep@acme.demo.local")]
    [InlineData("co1@demo.local")]
    public async Task RepresentativesAndOfficers_CanRecordSessions(string email)
    {
        var html = await HtmlAsync(email, "/sessions?status=Overdue");
        Assert.Contains("Escorted sessions", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"record-session\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownAttestation_Is404()
    {
        // Another vendor's attestation answers the same (AttestationHistoryQuery.DetailAsync is scoped; AttestationPortalTests).
        using var session = PortalSession.Open(fixture.Portal);
        Assert.True(await session.SignInAsync("rep@globex.demo.local", DemoSeeder.DemoPassword));
        var response = await session.Client.GetAsync($"/attestations/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
