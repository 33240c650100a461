using System.Net;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Tests.Shared;

namespace ComplianceHub.IntegrationTests.Pages;

/// <summary>The person page as each role gets it from the server (prerendered HTML over the demo data).</summary>
public sealed class PersonPageTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private async Task<(Guid Id, string Name, string EmployeeId)> DemoPersonAsync()
    {
        var id = (Guid)(await TestDatabase.ScalarAsync(fixture.Database.AppConnectionString,
            "SELECT id FROM people ORDER BY full_name, id LIMIT 1"))!;
        var name = (string)(await TestDatabase.ScalarAsync(fixture.Database.AppConnectionString, $"SELECT full_name FROM people WHERE id = '{id}'"))!;
        var employeeId = (string)(await TestDatabase.ScalarAsync(fixture.Database.AppConnectionString, $"SELECT employee_id FROM people WHERE id = '{id}'"))!;
        return (id, name, employeeId);
    }

    private async Task<PortalSession> SignInAsync(string email)
    {
        var session = PortalSession.Open(fixture.Portal);
        Assert.True(await session.SignInAsync(email, DemoSeeder.DemoPassword));
        return session;
    }

    [Fact]
    public async Task AnOfficer_SeesTheHeaderFactsAndSections_WithTheWriteActions()
    {
        var (id, name, employeeId) = await DemoPersonAsync();
        using var session = await SignInAsync("co1@demo.local");

        var html = WebUtility.HtmlDecode(await session.GetHtmlAsync($"/people/{id}"));

        Assert.Contains($"{name} · ComplianceHub</title>", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"person-name\"", html, StringComparison.Ordinal);
        Assert.Contains(employeeId, html, StringComparison.Ordinal);
        Assert.Matches("href=\"/vendors/[0-9a-f-]{36}\"", html);
        Assert.Contains("data-testid=\"person-facts\"", html, StringComparison.Ordinal);
        foreach (var heading in new[] { "Facts", "Grants", "Escort relations", "Findings", "Fact history", "Attestations", "Audit timeline" })
        {
            Assert.Matches($"<h2[^>]*>{heading}</h2>", html);
        }
        Assert.Contains("data-testid=\"request-grant\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"assign-escort\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAuditor_ReadsThePage_WithoutAnyWriteAction()
    {
        var (id, name, _) = await DemoPersonAsync();
        using var session = await SignInAsync("auditor@demo.local");

        var html = WebUtility.HtmlDecode(await session.GetHtmlAsync($"/people/{id}"));

        Assert.Contains(name, html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"request-grant\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"assign-escort\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AVendorRepresentative_CannotReachThePage_AndAMissingPersonSaysNotFound()
    {
        var (id, name, _) = await DemoPersonAsync();
        using (var rep = await SignInAsync("rep@acme.demo.local"))
        {
            var response = await rep.Client.GetAsync($"/people/{id}");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("denied", response.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(name, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var officer = await SignInAsync("co2@demo.local");
        var missing = await officer.GetHtmlAsync($"/people/{Guid.NewGuid()}");
        Assert.Contains("data-testid=\"person-not-found\"", missing, StringComparison.Ordinal);
        Assert.Contains("Person not found", missing, StringComparison.Ordinal);
    }
}
