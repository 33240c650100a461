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
    public async Task ARepresentative_WorksTheirOwnPeople_AndGets404ForAnotherVendorsOrAMissingOne()
    {
        var acme = (Guid)(await TestDatabase.ScalarAsync(fixture.Database.AppConnectionString,
            $"SELECT id FROM people WHERE vendor_id = '{DemoSeeder.AcmeId}' AND employment_status = 'Active' ORDER BY full_name LIMIT 1"))!;
        var globex = (Guid)(await TestDatabase.ScalarAsync(fixture.Database.AppConnectionString,
            $"SELECT id FROM people WHERE vendor_id = '{DemoSeeder.GlobexId}' ORDER BY full_name LIMIT 1"))!;
        var globexName = (string)(await TestDatabase.ScalarAsync(fixture.Database.AppConnectionString, $"SELECT full_name FROM people WHERE id = '{globex}'"))!;
        using var rep = await SignInAsync("rep@acme.demo.local");

        var own = WebUtility.HtmlDecode(await rep.GetHtmlAsync($"/people/{acme}"));
        foreach (var action in new[] { "request-grant", "assign-escort", "change-facts", "edit-person", "offboard-person" })
        {
            Assert.Contains($"data-testid=\"{action}\"", own, StringComparison.Ordinal);
        }
        Assert.Contains("Request escort", own, StringComparison.Ordinal);
        Assert.DoesNotMatch("href=\"/vendors/", own); // the vendor pages are the officers'

        foreach (var id in new[] { globex, Guid.NewGuid() })
        {
            var response = await rep.Client.GetAsync($"/people/{id}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(globexName, body, StringComparison.Ordinal);
            Assert.Contains("Not found", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AMissingPerson_Is404_ForAnOfficerToo()
    {
        using var officer = await SignInAsync("co2@demo.local");
        var response = await officer.Client.GetAsync($"/people/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
