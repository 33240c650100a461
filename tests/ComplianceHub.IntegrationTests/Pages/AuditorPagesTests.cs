using System.Net;
using System.Text.RegularExpressions;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Tests.Shared;

namespace ComplianceHub.IntegrationTests.Pages;

/// <summary>The auditor's pages as the server renders them: the audit trail with chain verification, an event's detail, and access on a day.</summary>
public sealed class AuditorPagesTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static readonly Guid Il2 = Guid.Parse("0199a000-0000-7000-8000-000000005201");

    private async Task<PortalSession> SignInAsync(string email)
    {
        var session = PortalSession.Open(fixture.Portal);
        Assert.True(await session.SignInAsync(email, DemoSeeder.DemoPassword));
        return session;
    }

    [Fact]
    public async Task TheAuditTrail_OffersFiltersChainVerificationAndStateVerification()
    {
        using var auditor = await SignInAsync("auditor@demo.local");
        var html = WebUtility.HtmlDecode(await auditor.GetHtmlAsync("/audit?rule=LOC-COVERED&from=2026-01-01"));
        Assert.Contains("Audit trail", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"chain-verify\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"state-verify\"", html, StringComparison.Ordinal);
        Assert.Contains("Verify the tables against the trail", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"audit-filters\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"audit-vendor\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"audit-clear\"", html, StringComparison.Ordinal); // filters came from the address
    }

    [Fact]
    public async Task AnEvent_ShowsWhoWhenChangesAndItsPlaceInTheChain()
    {
        using var auditor = await SignInAsync("auditor@demo.local");
        var html = WebUtility.HtmlDecode(await auditor.GetHtmlAsync("/audit/1"));
        Assert.Contains("data-testid=\"audit-event-title\"", html, StringComparison.Ordinal);
        Assert.Contains(new string('0', 64), html, StringComparison.Ordinal); // the first event links to the genesis hash
        Assert.Contains("data-testid=\"audit-event-hash\"", html, StringComparison.Ordinal);
        Assert.True(html.Contains("data-testid=\"audit-changes\"", StringComparison.Ordinal) || html.Contains("data-testid=\"audit-changes-empty\"", StringComparison.Ordinal));

        var missing = WebUtility.HtmlDecode(await auditor.GetHtmlAsync("/audit/999999999"));
        Assert.Contains("data-testid=\"audit-event-not-found\"", missing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccessOnADay_ListsTheHolders_OrSaysNobody()
    {
        using var auditor = await SignInAsync("auditor@demo.local");
        var today = WebUtility.HtmlDecode(await auditor.GetHtmlAsync($"/access?system={Il2}"));
        Assert.Contains("data-testid=\"access-heading\"", today, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"access-policy\"", today, StringComparison.Ordinal);

        var longAgo = WebUtility.HtmlDecode(await auditor.GetHtmlAsync($"/access?system={Il2}&date=1990-01-01"));
        Assert.Contains("data-testid=\"access-empty\"", longAgo, StringComparison.Ordinal);
        Assert.Contains("on 1990-01-01", longAgo, StringComparison.Ordinal);

        var none = WebUtility.HtmlDecode(await auditor.GetHtmlAsync("/access"));
        Assert.Contains("data-testid=\"access-pick\"", none, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOfficer_ReconstructsAccess_ButDoesNotBrowseTheAuditTrail()
    {
        using var co = await SignInAsync("co1@demo.local");
        Assert.Equal(HttpStatusCode.OK, (await co.Client.GetAsync($"/access?system={Il2}")).StatusCode);
        var response = await co.Client.GetAsync("/audit");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/access-denied", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePersonPage_HasTheTimeline()
    {
        using var auditor = await SignInAsync("auditor@demo.local");
        var person = (Guid)(await TestDatabase.ScalarAsync(fixture.Database.AppConnectionString, "SELECT id FROM people ORDER BY full_name LIMIT 1"))!;
        var html = WebUtility.HtmlDecode(await auditor.GetHtmlAsync($"/people/{person}"));
        Assert.Contains("data-testid=\"person-timeline\"", html, StringComparison.Ordinal);
        Assert.Contains("data-kind=\"Fact\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APersonsEvent_ReadsInWords_WithTheVendorByName_AndCountriesByName()
    {
        using var auditor = await SignInAsync("auditor@demo.local");
        var sequence = Convert.ToInt64(await TestDatabase.ScalarAsync(fixture.Database.AppConnectionString,
            "SELECT sequence FROM audit_events WHERE event_type = 3000 AND changes ? 'vendorId' AND changes ? 'workCountry' ORDER BY sequence LIMIT 1"),
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(sequence > 0, "The demo trail records the creation of a person.");
        var vendor = (string)(await TestDatabase.ScalarAsync(fixture.Database.AppConnectionString,
            $"SELECT v.name FROM audit_events e JOIN vendors v ON v.id::text = e.changes->'vendorId'->>'after' WHERE e.sequence = {sequence}"))!;
        var country = (string)(await TestDatabase.ScalarAsync(fixture.Database.AppConnectionString,
            $"SELECT changes->'workCountry'->>'after' FROM audit_events WHERE sequence = {sequence}"))!;

        var html = WebUtility.HtmlDecode(await auditor.GetHtmlAsync($"/audit/{sequence}"));

        Assert.Contains("Person created (3000)", html, StringComparison.Ordinal);
        Assert.Matches($"data-field=\"vendorId\"[^>]*>\\s*<th[^>]*>\\s*Vendor[\\s\\S]*?data-testid=\"audit-after\"[^>]*><span[^>]*>{Regex.Escape(vendor)}</span>", html);
        Assert.Matches($"data-field=\"workCountry\"[^>]*>\\s*<th[^>]*>\\s*Work location[\\s\\S]*?data-testid=\"audit-after\"[^>]*><span[^>]*>{Regex.Escape(ComplianceHub.Core.Common.Words.Country(country))}</span>", html);
    }
}
