using System.Net;
using System.Text;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Features.Contributions;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Pages;

/// <summary>
/// The code contribution pages as the server renders them, for each role: Acme's contributions are Acme's (Globex's
/// representative sees none, and one of Acme's is a 404 to them), reviewers get the verdict form, representatives and
/// auditors no import or resolve action they may not take, and the dashboard and person page carry the numbers.
/// </summary>
public sealed class ContributionPagesTests() : CommandPortalTest("contribpages")
{
    private Guid contribution;
    private Guid person;

    protected override async Task ArrangePeopleAsync()
    {
        person = await AddPersonAsync("US", email: "quinn@acme.example", name: "Quinn Quill");
        var at = Clock.GetUtcNow().AddHours(-2).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        var csv = $"id,repository,author name,author email,date,title\nPR-9,acme-portal,Quinn Quill,quinn@acme.example,{at},Unreviewed change by Quinn\n" +
                  $"PR-10,acme-portal,Ghost,ghost@nowhere.example,{at},Change by a ghost\n";
        var imported = await SendAsync(AcmeRep, new ImportContributions(DemoSeeder.AcmeId, Il2, null, "c.csv", Encoding.UTF8.GetBytes(csv), false));
        Assert.True(imported.IsOk && imported.Value!.Added == 2, imported.Message);
        await using var db = await ContextAsync();
        contribution = await db.CodeContributions.Where(c => c.ExternalId == "PR-9").Select(c => c.Id).SingleAsync();
    }

    private async Task<PortalSession> SignInAsync(string email)
    {
        var session = PortalSession.Open(Portal);
        Assert.True(await session.SignInAsync(email, DemoSeeder.DemoPassword));
        return session;
    }

    [Fact]
    public async Task AnotherVendorsRepresentative_SeesNone_AndGets404ForOne()
    {
        using var globex = await SignInAsync("rep@globex.demo.local");
        var list = WebUtility.HtmlDecode(await globex.GetHtmlAsync("/contributions"));
        Assert.Contains("Code contributions", list, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"contrib-vendor\"", list, StringComparison.Ordinal); // scoped to Globex: no vendor picker (the rows: ContributionImportTests)
        var detail = await globex.Client.GetAsync($"/contributions/{contribution}");
        Assert.Equal(HttpStatusCode.NotFound, detail.StatusCode);
        Assert.DoesNotContain("Unreviewed change by Quinn", await detail.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheVendorsRepresentative_ReadsTheirs_ImportsAndResolves_ButRecordsNoVerdict()
    {
        using var rep = await SignInAsync("rep@acme.demo.local");
        var detail = WebUtility.HtmlDecode(await rep.GetHtmlAsync($"/contributions/{contribution}"));
        Assert.Contains("Unreviewed change by Quinn", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"review-save\"", detail, StringComparison.Ordinal);
        Assert.Contains("href=\"/contributions/import\"", WebUtility.HtmlDecode(await rep.GetHtmlAsync("/contributions")), StringComparison.Ordinal);
        var unmatched = WebUtility.HtmlDecode(await rep.GetHtmlAsync("/contributions/unmatched"));
        Assert.Contains("Resolve an address by choosing the person", unmatched, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"unmatched-vendor\"", unmatched, StringComparison.Ordinal);
        var import = WebUtility.HtmlDecode(await rep.GetHtmlAsync("/contributions/import"));
        Assert.Contains(ContributionFile.GitLogCommand, import, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"contrib-import-vendor\"", import, StringComparison.Ordinal); // their own vendor, no picker
    }

    [Fact]
    public async Task AnAuditor_GetsTheVerdictForm_AndImports_ButDoesNotResolve()
    {
        using var auditor = await SignInAsync("auditor@demo.local");
        var detail = WebUtility.HtmlDecode(await auditor.GetHtmlAsync($"/contributions/{contribution}"));
        Assert.Contains("data-testid=\"review-save\"", detail, StringComparison.Ordinal);
        Assert.Contains("Quinn Quill", detail, StringComparison.Ordinal);
        // API.md: an outside audit brings the repository's history — the auditor imports as an officer does, for any vendor in scope.
        var list = WebUtility.HtmlDecode(await auditor.GetHtmlAsync("/contributions"));
        Assert.Contains("href=\"/contributions/import\"", list, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"unmatched-resolve\"", WebUtility.HtmlDecode(await auditor.GetHtmlAsync("/contributions/unmatched")), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"contrib-import-vendor\"", WebUtility.HtmlDecode(await auditor.GetHtmlAsync("/contributions/import")), StringComparison.Ordinal);
        var page = WebUtility.HtmlDecode(await auditor.GetHtmlAsync($"/people/{person}"));
        Assert.Contains("data-testid=\"person-contributions\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"person-alias-add\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOfficer_ImportsForAnyVendor_AndTheDashboardCountsTheQueue()
    {
        using var co = await SignInAsync("co1@demo.local");
        Assert.Contains("data-testid=\"contrib-import-vendor\"", WebUtility.HtmlDecode(await co.GetHtmlAsync("/contributions/import")), StringComparison.Ordinal);
        var dashboard = WebUtility.HtmlDecode(await co.GetHtmlAsync($"/dashboard?vendor={DemoSeeder.AcmeId}"));
        Assert.Contains("data-testid=\"dash-contributions\"", dashboard, StringComparison.Ordinal);
        Assert.Matches("data-testid=\"dash-contrib-unmatched\"[^>]*>1<", dashboard);
        var page = WebUtility.HtmlDecode(await co.GetHtmlAsync($"/people/{person}"));
        Assert.Contains("data-testid=\"person-alias-add\"", page, StringComparison.Ordinal);
        Assert.Contains("1 contribution", page, StringComparison.Ordinal);
    }
}
