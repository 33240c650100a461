using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Rules;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>
/// Code contributions over the API: a real git log uploaded as multipart (dry run, then for real), a bad file answered with
/// 400 and every line's errors, the queue and one contribution, a verdict by an auditor, aliases, and the export.
/// </summary>
public sealed class ApiContributionsTests() : ApiTestBase("apicontrib"), IDisposable
{
    private readonly GitRepository git = new();
    private Guid person;

    protected override async Task ArrangePeopleAsync()
    {
        person = await AddPersonAsync("US", email: "pat@acme.example", name: "Pat Park");
        Assert.True((await SendAsync(Co1, new RequestGrant(person, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(30), "Support"))).IsOk);
        Clock.Advance(TimeSpan.FromHours(2));
        git.Commit("Pat Park", "pat@acme.example", Clock.GetUtcNow().AddHours(-1), "Rotate keys");
        git.Commit("Sam Stranger", "sam@elsewhere.example", Clock.GetUtcNow().AddMinutes(-30), "=HYPERLINK(\"http://evil.example\")");
    }

    public void Dispose() => git.Dispose();

    /// <summary>The file in a part named "file", and any form fields (API.md: <c>repository</c>, <c>systemId</c>).</summary>
    private static MultipartFormDataContent Upload(byte[] content, string name, params (string Name, string Value)[] fields)
    {
        var part = new ByteArrayContent(content);
        part.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        var form = new MultipartFormDataContent { { part, "file", name } };
        foreach (var (field, value) in fields)
        {
            form.Add(new StringContent(value), field);
        }
        return form;
    }

    /// <summary>The deprecated address (before 2026-12-06), with the repository and system in the query: it still answers.</summary>
    private string ImportUrl(bool dryRun) => $"/api/v1/vendors/{DemoSeeder.AcmeId}/contribution-imports?systemId={Il2}&repository=portal-infra&dryRun={(dryRun ? "true" : "false")}";

    /// <summary>API.md's address: <c>POST /vendors/{id}/contributions/imports?dryRun=</c>.</summary>
    private static string ImportsUrl(Guid vendor, bool dryRun) => $"/api/v1/vendors/{vendor}/contributions/imports?dryRun={(dryRun ? "true" : "false")}";

    [Fact]
    public async Task AGitLogUpload_IsDryRunThenImported_AndListedRiskiestFirst()
    {
        using var rep = await AsAsync(AcmeEmail);
        var dry = await rep.PostAsync(ImportUrl(dryRun: true), Upload(git.Log(), "log.txt"));
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        var report = await BodyAsync(dry);
        Assert.Equal((2, 1, 1), (report.GetProperty("added").GetInt32(), report.GetProperty("matched").GetInt32(), report.GetProperty("unmatched").GetInt32()));
        await using (var db = await ContextAsync())
        {
            Assert.Equal(0, await db.CodeContributions.CountAsync(c => c.VendorId == DemoSeeder.AcmeId));
        }

        Assert.Equal(HttpStatusCode.OK, (await rep.PostAsync(ImportUrl(dryRun: false), Upload(git.Log(), "log.txt"))).StatusCode);
        using var auditor = await AsAsync(AuditorEmail);
        var list = await BodyAsync(await auditor.GetAsync($"/api/v1/contributions?flagged=true&vendorId={DemoSeeder.AcmeId}"));
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        var first = list.GetProperty("items")[0];
        Assert.Equal("CC-UNMATCHED", first.GetProperty("flags")[0].GetProperty("code").GetString());
        var id = first.GetProperty("id").GetString();

        var detail = await BodyAsync(await auditor.GetAsync($"/api/v1/contributions/{id}"));
        Assert.Equal("sam@elsewhere.example", detail.GetProperty("row").GetProperty("authorEmail").GetString());
        var unmatched = await BodyAsync(await auditor.GetAsync($"/api/v1/contributions/unmatched?vendorId={DemoSeeder.AcmeId}"));
        Assert.Equal("sam@elsewhere.example", unmatched.GetProperty("items")[0].GetProperty("authorEmail").GetString());

        // An auditor's verdict on an unmatched author's change: the one write an auditor may make.
        var reviewed = await auditor.PostAsJsonAsync($"/api/v1/contributions/{id}/review", new { verdict = "Escalated", notes = "Unknown author added a formula-looking title." });
        Assert.Equal(HttpStatusCode.OK, reviewed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostAsJsonAsync($"/api/v1/contributions/{id}/review", new { verdict = "NoConcern" })).StatusCode);
        var missingNotes = await auditor.PostAsJsonAsync($"/api/v1/contributions/{id}/review", new { verdict = "NeedsRemediation" });
        Assert.Equal(HttpStatusCode.BadRequest, missingNotes.StatusCode);
        Assert.True((await BodyAsync(missingNotes)).GetProperty("errors").TryGetProperty("notes", out _));

        // The export is what the queue shows, formula-safe, and is itself audited.
        var csv = await auditor.GetStringAsync("/api/v1/exports/contributions?format=csv&verdict=Escalated");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("'=HYPERLINK", lines[1], StringComparison.Ordinal);
        await using var check = await ContextAsync();
        var exports = await check.AuditEvents.AsNoTracking().Where(e => e.EventType == 8100).Select(e => e.Changes).ToListAsync();
        Assert.Contains(exports, c => c.Contains("\"contributions\"", StringComparison.Ordinal) && c.Contains("Escalated", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ABadFile_Is400_WithEveryLinesErrors_AndWritesNothing()
    {
        using var co = await AsAsync(Co1Email);
        var bad = await co.PostAsync(ImportUrl(dryRun: false), Upload(Encoding.UTF8.GetBytes("zzz\tA\tnot-an-email\t2026\tx\nonly one field\n"), "log.txt"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await BodyAsync(bad)).GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("field").GetString())).ToList();
        Assert.Contains((1, "id"), errors);
        Assert.Contains((1, "authorEmail"), errors);
        Assert.Contains((1, "date"), errors);
        Assert.Contains((2, "line"), errors);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await co.PostAsJsonAsync(ImportUrl(dryRun: false), new { })).StatusCode);
        var noRepository = await co.PostAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/contribution-imports?systemId={Il2}", Upload(git.Log(), "log.txt"));
        Assert.Equal(HttpStatusCode.BadRequest, noRepository.StatusCode);
        Assert.True((await BodyAsync(noRepository)).GetProperty("errors").TryGetProperty("repository", out _));
        await using var db = await ContextAsync();
        Assert.Equal(0, await db.CodeContributions.CountAsync(c => c.VendorId == DemoSeeder.AcmeId));
    }

    [Fact]
    public async Task Aliases_AreAddedListedAndRemoved_OverTheApi()
    {
        using var rep = await AsAsync(AcmeEmail);
        Assert.Equal(HttpStatusCode.OK, (await rep.PostAsync(ImportUrl(dryRun: false), Upload(git.Log(), "log.txt"))).StatusCode);
        var added = await rep.PostAsJsonAsync($"/api/v1/personnel/{person}/aliases", new { email = "sam@elsewhere.example" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var alias = (await BodyAsync(added)).GetProperty("id").GetString();
        Assert.Equal(0, (await BodyAsync(await rep.GetAsync("/api/v1/contributions?unmatched=true"))).GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, (await rep.PostAsJsonAsync($"/api/v1/personnel/{person}/aliases", new { email = "not an address" })).StatusCode);
        Assert.Single((await BodyAsync(await rep.GetAsync($"/api/v1/personnel/{person}/aliases"))).EnumerateArray());
        Assert.Equal(HttpStatusCode.NoContent, (await rep.DeleteAsync($"/api/v1/personnel/{person}/aliases/{alias}")).StatusCode);
        Assert.Equal(1, (await BodyAsync(await rep.GetAsync("/api/v1/contributions?unmatched=true"))).GetProperty("total").GetInt32());
        using var globex = await AsAsync(GlobexEmail);
        Assert.Equal(0, (await BodyAsync(await globex.GetAsync("/api/v1/contributions"))).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task AnAuditor_ImportsAtApiMdsAddress_WithTheFormsFields_AndIsAuditedAsTheAuditor()
    {
        using var auditor = await AsAsync(AuditorEmail);
        var fields = new[] { ("repository", "portal-infra"), ("systemId", Il2.ToString()) };
        var dry = await auditor.PostAsync(ImportsUrl(DemoSeeder.AcmeId, dryRun: true), Upload(git.Log(), "log.txt", fields));
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        Assert.Equal(2, (await BodyAsync(dry)).GetProperty("added").GetInt32());
        var imported = await auditor.PostAsync(ImportsUrl(DemoSeeder.AcmeId, dryRun: false), Upload(git.Log(), "log.txt", fields));
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.True((await BodyAsync(imported)).GetProperty("applied").GetBoolean());

        await using (var db = await ContextAsync())
        {
            var contributions = await db.CodeContributions.AsNoTracking().Where(c => c.VendorId == DemoSeeder.AcmeId).ToListAsync();
            Assert.Equal(2, contributions.Count);
            Assert.All(contributions, c => Assert.Equal("portal-infra", c.Repository));
            // Through the one write path: the rows' audit events name the auditor, with their role.
            var auditorId = await db.Users.Where(u => u.NormalizedEmail == "AUDITOR@DEMO.LOCAL").Select(u => u.Id).SingleAsync();
            var ids = contributions.Select(c => c.Id.ToString()).ToList();
            var events = await db.AuditEvents.AsNoTracking().Where(e => e.SubjectType == "code-contribution" && ids.Contains(e.SubjectId)).ToListAsync();
            Assert.NotEmpty(events);
            Assert.All(events, e => Assert.Equal((auditorId, Core.Authorization.Roles.Auditor), (e.ActorUserId!.Value, e.ActorRole)));
        }

        // The form's fields win; without them the query is read (the deprecated address's way) — re-importing changes nothing.
        using var co = await AsAsync(Co1Email);
        var again = await co.PostAsync(ImportUrl(dryRun: false), Upload(git.Log(), "log.txt"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var report = await BodyAsync(again);
        Assert.Equal((0, 2), (report.GetProperty("added").GetInt32(), report.GetProperty("unchanged").GetInt32()));
        var badSystem = await auditor.PostAsync(ImportsUrl(DemoSeeder.AcmeId, dryRun: true), Upload(git.Log(), "log.txt", ("systemId", "not-a-guid")));
        Assert.Equal(HttpStatusCode.BadRequest, badSystem.StatusCode);
        Assert.True((await BodyAsync(badSystem)).GetProperty("errors").TryGetProperty("systemId", out _));
        var nul = await auditor.PostAsync(ImportsUrl(DemoSeeder.AcmeId, dryRun: true), Upload(git.Log(), "log.txt", ("systemId", Il2.ToString()), ("repository", "a\0b")));
        Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
        Assert.True((await BodyAsync(nul)).GetProperty("errors").TryGetProperty("repository", out _));
        var noRepository = await auditor.PostAsync(ImportsUrl(DemoSeeder.AcmeId, dryRun: true), Upload(git.Log(), "log.txt", ("systemId", Il2.ToString())));
        Assert.True((await BodyAsync(noRepository)).GetProperty("errors").TryGetProperty("repository", out _));
        using var globex = await AsAsync(GlobexEmail);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.PostAsync(ImportsUrl(DemoSeeder.AcmeId, dryRun: true), Upload(git.Log(), "log.txt", fields))).StatusCode);
    }

    [Fact]
    public async Task AVerdict_IsRecordedAtApiMdsAddress_AndTheOldAddressesAreDeprecatedInTheOpenApiDocument()
    {
        using var rep = await AsAsync(AcmeEmail);
        Assert.Equal(HttpStatusCode.OK, (await rep.PostAsync(ImportsUrl(DemoSeeder.AcmeId, dryRun: false),
            Upload(git.Log(), "log.txt", ("repository", "portal-infra"), ("systemId", Il2.ToString())))).StatusCode);
        using var auditor = await AsAsync(AuditorEmail);
        var id = (await BodyAsync(await auditor.GetAsync("/api/v1/contributions?flagged=true"))).GetProperty("items")[0].GetProperty("id").GetString();

        var verdict = await auditor.PostAsJsonAsync($"/api/v1/contributions/{id}/verdict", new { verdict = "NeedsRemediation", notes = "Unknown author." });
        Assert.Equal(HttpStatusCode.OK, verdict.StatusCode);
        Assert.Equal("NeedsRemediation", (await BodyAsync(verdict)).GetProperty("verdict").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostAsJsonAsync($"/api/v1/contributions/{id}/verdict", new { verdict = "NoConcern" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await auditor.PostAsJsonAsync($"/api/v1/contributions/{id}/verdict", new { verdict = "Escalated" })).StatusCode);
        var old = await auditor.PostAsJsonAsync($"/api/v1/contributions/{id}/review", new { verdict = "NoConcern" });
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);

        using var admin = await AsAsync(AdminEmail);
        var paths = (await BodyAsync(await admin.GetAsync("/openapi/v1.json"))).GetProperty("paths");
        bool Deprecated(string path) => paths.GetProperty(path).GetProperty("post").TryGetProperty("deprecated", out var d) && d.GetBoolean();
        Assert.True(Deprecated("/api/v1/contributions/{id}/review"));
        Assert.True(Deprecated("/api/v1/vendors/{vendorId}/contribution-imports"));
        Assert.False(Deprecated("/api/v1/contributions/{id}/verdict"));
        Assert.False(Deprecated("/api/v1/vendors/{vendorId}/contributions/imports"));
    }

    [Fact]
    public async Task AContribution_MadeBeforeItsAuthorsFactsWereRecorded_CarriesThoseFactsAsRecordedLater()
    {
        // Pat's facts are on record from a year ago (AddPersonAsync); this change is from two years ago.
        using var early = new GitRepository();
        early.Commit("Pat Park", "pat@acme.example", Clock.GetUtcNow().AddYears(-2), "Bootstrap the pipeline");
        using var co = await AsAsync(Co1Email);
        Assert.Equal(HttpStatusCode.OK, (await co.PostAsync(ImportsUrl(DemoSeeder.AcmeId, dryRun: false),
            Upload(early.Log(), "log.txt", ("repository", "pipeline"), ("systemId", Il2.ToString())))).StatusCode);
        await using var db = await ContextAsync();
        var id = await db.CodeContributions.Where(c => c.Repository == "pipeline").Select(c => c.Id).SingleAsync();

        using var auditor = await AsAsync(AuditorEmail);
        var detail = await BodyAsync(await auditor.GetAsync($"/api/v1/contributions/{id}"));
        Assert.Equal(person, detail.GetProperty("row").GetProperty("personId").GetGuid());
        Assert.False(detail.GetProperty("authorFactsThen").TryGetProperty("citizenships", out _));
        var later = detail.GetProperty("authorFactsRecordedLater");
        var citizenships = later.GetProperty("citizenships");
        Assert.Equal("US", citizenships.GetProperty("value").EnumerateArray().Single().GetString());
        Assert.Equal(Today.AddYears(-1), DateOnly.Parse(citizenships.GetProperty("since").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        // Every fact first recorded later says so with its value and day, as the page does ("first recorded …, after this change").
        Assert.True(later.EnumerateObject().Count() >= 5);
        Assert.All(later.EnumerateObject(), f => Assert.True(f.Value.ValueKind == JsonValueKind.Object && f.Value.TryGetProperty("value", out _)
            && f.Value.TryGetProperty("since", out _), f.Name));
    }
}
