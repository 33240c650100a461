using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Policy;
using ComplianceHub.Core.Rules;
using ComplianceHub.Core.Rules.Catalogue;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>
/// Access logs over the API (issue 25): a plain CSV uploaded as multipart (checked, imported, the same file again), the imports,
/// one import, the events and their export, unmatched identities and aliases; another vendor's representative gets 404, an
/// auditor reads but writes nothing, and bad input is a per-field 400 (never a 500). 114.114.114.114 is registered in China and
/// 8.8.8.8 in the United States in the installed geolocation database (scripts/lib/geolocation.sh); 10.1.2.3 is private.
/// </summary>
public sealed class ApiAccessLogsTests() : ApiTestBase("apiacclog")
{
    private const string SystemName = "milCloud Public Portal";
    private Guid alice;
    private Guid aliceGrant;

    protected override async Task ArrangePeopleAsync()
    {
        alice = await AddPersonAsync("US", email: "alice@acme.example", name: "Alice Archer");
        var requested = await SendAsync(Co1, new RequestGrant(alice, Il2, AccessType.NonPrivileged, false, Today.AddDays(-10), Today.AddDays(80), "Operations"));
        Assert.True(requested.IsOk, requested.Message);
        if (requested.Value!.Status != GrantStatus.Active)
        {
            Assert.True((await SendAsync(Co2, new ApproveGrant(requested.Value.Id))).IsOk);
        }
        aliceGrant = requested.Value.Id;
    }

    private string At(int daysAgo, int hour) =>
        new DateTimeOffset(Today.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(-daysAgo).AddHours(hour).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

    private string Log() => "user,time,address,system,id,result\n" +
        $"alice@acme.example,{At(3, 8)},114.114.114.114,{SystemName},e-1,success\n" +
        $"alice@acme.example,{At(3, 9)},8.8.8.8,{SystemName},e-2,failure\n" +
        $"mallory@contractor.example,{At(2, 11)},10.1.2.3,{SystemName},e-3,success\n";

    private static MultipartFormDataContent Upload(string content, string name = "signins.csv", params (string Name, string Value)[] fields)
    {
        var part = new ByteArrayContent(Encoding.UTF8.GetBytes(content));
        part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var form = new MultipartFormDataContent { { part, "file", name } };
        foreach (var (field, value) in fields)
        {
            form.Add(new StringContent(value), field);
        }
        return form;
    }

    private static string ImportUrl(Guid vendor, bool dryRun = false) => $"/api/v1/vendors/{vendor}/access-logs/imports?dryRun={(dryRun ? "true" : "false")}";

    /// <summary>A policy version enabling LOC-EVIDENCE-COVERED, drafted by one officer and activated by another.</summary>
    private async Task EnableEvidenceRulesAsync()
    {
        var parameters = PolicyDefaults.Baseline2026 with
        {
            Rules = PolicyDefaults.Baseline2026.Rules.ToDictionary(r => r.Key, r => r.Value)
                .Concat([new KeyValuePair<string, RuleSetting>(LocEvidenceCovered.RuleId, new RuleSetting(true, Severity.Block))])
                .GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Last().Value),
            Evidence = EvidenceSettings.Recommended,
        };
        var draft = await SendAsync(Co1, new DraftPolicyVersion("Baseline with access-log evidence", parameters));
        Assert.True(draft.IsOk, draft.Message);
        Assert.True((await SendAsync(Co2, new ActivatePolicyVersion(draft.Value!.Id))).IsOk);
    }

    private static void AssertFieldError(JsonElement problem, string field) =>
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error on {field}: {problem}");

    [Fact]
    public async Task APlainCsv_IsCheckedThenImported_SuspendsTheGrant_AndTheSameFileAgainWritesNothing()
    {
        await EnableEvidenceRulesAsync();
        using var rep = await AsAsync(AcmeEmail);
        var dry = await rep.PostAsync(ImportUrl(DemoSeeder.AcmeId, dryRun: true), Upload(Log()));
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        var checkedReport = await BodyAsync(dry);
        Assert.Equal("PlainCsv", checkedReport.GetProperty("format").GetString());
        Assert.False(checkedReport.GetProperty("applied").GetBoolean());
        Assert.Equal(3, checkedReport.GetProperty("added").GetInt32());
        await using (var db = await ContextAsync())
        {
            Assert.Equal(0, await db.AccessEvents.CountAsync(e => e.VendorId == DemoSeeder.AcmeId));
        }

        var applied = await rep.PostAsync(ImportUrl(DemoSeeder.AcmeId), Upload(Log()));
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        var report = await BodyAsync(applied);
        Assert.True(report.GetProperty("applied").GetBoolean());
        Assert.Equal((3, 2, 1), (report.GetProperty("added").GetInt32(), report.GetProperty("matched").GetInt32(), report.GetProperty("unmatched").GetInt32()));
        Assert.Contains(report.GetProperty("countries").EnumerateArray(), c => c.GetProperty("country").GetString() == "CN");
        Assert.Contains(report.GetProperty("countries").EnumerateArray(), c => c.GetProperty("unknown").GetString() == "Private");
        var importId = report.GetProperty("importId").GetString();
        Assert.True(report.GetProperty("consequences").GetProperty("suspendedGrants").EnumerateArray().Any(g => g.GetString() == aliceGrant.ToString()),
            $"the import does not name the grant it suspended: {report}");
        Assert.True(checkedReport.GetProperty("consequences").GetProperty("suspendedGrants").EnumerateArray().Any(g => g.GetString() == aliceGrant.ToString()),
            $"the check does not name the grant the import suspended: {checkedReport}");
        await using (var db = await ContextAsync())
        {
            Assert.Equal(GrantStatus.Suspended, await db.Grants.Where(g => g.Id == aliceGrant).Select(g => g.Status).SingleAsync());
        }

        // The same bytes again, under another name: nothing read or written, and the report says when and by whom.
        var again = await BodyAsync(await rep.PostAsync(ImportUrl(DemoSeeder.AcmeId), Upload(Log(), "again.csv")));
        Assert.False(again.GetProperty("applied").GetBoolean());
        Assert.Equal(importId, again.GetProperty("sameFile").GetProperty("importId").GetString());
        Assert.False(string.IsNullOrWhiteSpace(again.GetProperty("sameFile").GetProperty("importedBy").GetString()));
        await using (var db = await ContextAsync())
        {
            Assert.Equal(3, await db.AccessEvents.CountAsync(e => e.VendorId == DemoSeeder.AcmeId));
            Assert.Equal(1, await db.AccessLogImports.CountAsync(i => i.VendorId == DemoSeeder.AcmeId));
        }

        // Reads: the imports, one import, the events (filtered), the unmatched identities; an officer and an auditor see them too.
        var imports = await BodyAsync(await rep.GetAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/access-logs/imports"));
        Assert.Equal(1, imports.GetProperty("total").GetInt32());
        var one = await BodyAsync(await rep.GetAsync($"/api/v1/access-logs/imports/{importId}"));
        Assert.Equal("PlainCsv", one.GetProperty("source").GetString());
        Assert.Equal(64, one.GetProperty("sha256").GetString()!.Length);
        using var auditor = await AsAsync(AuditorEmail);
        var china = await BodyAsync(await auditor.GetAsync($"/api/v1/access-logs/events?importId={importId}&country=cn"));
        Assert.Equal("114.114.114.114", Assert.Single(china.GetProperty("items").EnumerateArray()).GetProperty("sourceAddress").GetString());
        var unknown = await BodyAsync(await auditor.GetAsync($"/api/v1/access-logs/events?importId={importId}&country=unknown"));
        Assert.Equal("mallory@contractor.example", Assert.Single(unknown.GetProperty("items").EnumerateArray()).GetProperty("identity").GetString());
        var failed = await BodyAsync(await auditor.GetAsync($"/api/v1/access-logs/events?vendorId={DemoSeeder.AcmeId}&succeeded=false&sort=identity&desc=false"));
        Assert.Equal(1, failed.GetProperty("total").GetInt32());
        var unmatched = await BodyAsync(await auditor.GetAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/access-logs/unmatched-identities"));
        Assert.Equal("mallory@contractor.example", unmatched.GetProperty("items")[0].GetProperty("identity").GetString());

        // Naming the person behind the identity matches its events to them.
        var named = await rep.PostAsJsonAsync($"/api/v1/people/{alice}/access-identity-aliases", new { identity = "mallory@contractor.example" });
        Assert.Equal(HttpStatusCode.Created, named.StatusCode);
        Assert.Equal(1, (await BodyAsync(named)).GetProperty("eventsMatched").GetInt32());
        var none = await BodyAsync(await rep.GetAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/access-logs/unmatched-identities"));
        Assert.Equal(0, none.GetProperty("total").GetInt32());

        // The export is what the grid shows, in each format, and audited.
        var csv = await auditor.GetStringAsync($"/api/v1/exports/accessevents?format=csv&importId={importId}&country=CN");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("China (CN)", lines[1], StringComparison.Ordinal);
        var all = (await auditor.GetStringAsync($"/api/v1/exports/accessevents?format=csv&importId={importId}")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var format in new[] { "xlsx", "pdf", "json" })
        {
            var file = await auditor.GetAsync($"/api/v1/exports/accessevents?format={format}&importId={importId}");
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.True((await file.Content.ReadAsByteArrayAsync()).Length > 0);
        }
        // The JSON file parses back with the same rows as the CSV (the grid's rows), the country in words.
        using var json = JsonDocument.Parse(await auditor.GetStringAsync($"/api/v1/exports/accessevents?format=json&importId={importId}"));
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(all.Length - 1, rows.Count);
        var country = json.RootElement.GetProperty("columns").EnumerateArray()
            .Single(c => c.GetProperty("header").GetString() == "Country").GetProperty("name").GetString()!;
        Assert.Equal(json.RootElement.GetProperty("rowCount").GetInt64(), rows.Count);
        Assert.Contains(rows, r => r.GetProperty(country).GetString() == "China (CN)");
        await using var check = await ContextAsync();
        var exports = await check.AuditEvents.AsNoTracking().Where(e => e.EventType == 8100).Select(e => e.Changes).ToListAsync();
        Assert.Contains(exports, c => c.Contains("accessevents", StringComparison.Ordinal) && c.Contains(importId!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnotherVendorsRepresentative_Gets404_AndSeesNoneOfItsEvents()
    {
        using var acme = await AsAsync(AcmeEmail);
        var applied = await BodyAsync(await acme.PostAsync(ImportUrl(DemoSeeder.AcmeId), Upload(Log())));
        var importId = applied.GetProperty("importId").GetString();

        using var globex = await AsAsync(GlobexEmail);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.PostAsync(ImportUrl(DemoSeeder.AcmeId), Upload(Log(), "other.csv"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync($"/api/v1/access-logs/imports/{importId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync($"/api/v1/access-logs/imports/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/access-logs/imports")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/access-logs/unmatched-identities")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await globex.PostAsJsonAsync($"/api/v1/people/{alice}/access-identity-aliases", new { identity = "mallory@contractor.example" })).StatusCode);
        var events = await BodyAsync(await globex.GetAsync($"/api/v1/access-logs/events?vendorId={DemoSeeder.AcmeId}"));
        Assert.Equal(0, events.GetProperty("total").GetInt32());
        var csv = await globex.GetStringAsync($"/api/v1/exports/accessevents?format=csv&importId={importId}");
        Assert.Single(csv.Split('\n', StringSplitOptions.RemoveEmptyEntries)); // the header only
    }

    [Fact]
    public async Task AnAuditor_ReadsButImportsAndNamesNothing()
    {
        using var auditor = await AsAsync(AuditorEmail);
        var import = await auditor.PostAsync(ImportUrl(DemoSeeder.AcmeId), Upload(Log()));
        Assert.Equal(HttpStatusCode.Forbidden, import.StatusCode);
        Assert.Equal("application/problem+json", import.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await auditor.PostAsJsonAsync($"/api/v1/people/{alice}/access-identity-aliases", new { identity = "mallory@contractor.example" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/access-logs/imports")).StatusCode);
        using var admin = await AsAsync(AdminEmail);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsync(ImportUrl(DemoSeeder.AcmeId), Upload(Log()))).StatusCode);
        await using var db = await ContextAsync();
        Assert.Equal(0, await db.AccessLogImports.CountAsync());
        Assert.Equal(0, await db.AccessIdentityAliases.CountAsync());
    }

    [Fact]
    public async Task BadInput_IsAPerField400Or415_NeverA500_AndWritesNothing()
    {
        using var co = await AsAsync(Co1Email);
        var url = ImportUrl(DemoSeeder.AcmeId);
        AssertFieldError(await BodyAsync(await Expect(HttpStatusCode.BadRequest, co.PostAsync(url, Upload(Log(), fields: ("format", "Syslog"))))), "format");
        AssertFieldError(await BodyAsync(await Expect(HttpStatusCode.BadRequest, co.PostAsync(url, Upload(Log(), fields: ("systemId", "not-a-guid"))))), "systemId");
        AssertFieldError(await BodyAsync(await Expect(HttpStatusCode.BadRequest, co.PostAsync(url, Upload(Log(), fields: ("sshdYear", "twenty"))))), "sshdYear");
        var sshd = "Dec  3 08:14:02 bastion sshd[1234]: Accepted publickey for alice from 114.114.114.114 port 52314 ssh2\n";
        AssertFieldError(await BodyAsync(await Expect(HttpStatusCode.BadRequest,
            co.PostAsync(url, Upload(sshd, "auth.log", ("format", "SshdAuthLog"))))), "systemId");
        var noYear = await BodyAsync(await Expect(HttpStatusCode.BadRequest,
            co.PostAsync(url, Upload(sshd, "auth.log", ("format", "SshdAuthLog"), ("systemId", Il2.ToString())))));
        AssertFieldError(noYear, "sshdYear");
        AssertFieldError(noYear, "sshdTimeZone");
        AssertFieldError(await BodyAsync(await Expect(HttpStatusCode.BadRequest, co.PostAsync(url,
            Upload(sshd, "auth.log", ("format", "SshdAuthLog"), ("systemId", Il2.ToString()), ("sshdYear", "2026"), ("sshdTimeZone", "Mars/Olympus_Mons"))))), "sshdTimeZone");
        // A line that cannot be read: 400 with its line and field; nothing written.
        var broken = await BodyAsync(await Expect(HttpStatusCode.BadRequest,
            co.PostAsync(url, Upload($"user,time,address,system\nalice@acme.example,yesterday,114.114.114.114,{SystemName}\n"))));
        var problem = broken.GetProperty("problems")[0];
        Assert.Equal(2, problem.GetProperty("line").GetInt32());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await co.PostAsJsonAsync(url, new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await co.PostAsync(ImportUrl(Guid.NewGuid()), Upload(Log()))).StatusCode);
        AssertFieldError(await BodyAsync(await Expect(HttpStatusCode.BadRequest, co.GetAsync("/api/v1/access-logs/events?country=Atlantis"))), "country");
        Assert.Equal(HttpStatusCode.BadRequest, (await co.GetAsync("/api/v1/access-logs/events?from=yesterday")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await co.GetAsync("/api/v1/access-logs/events?vendorId=acme")).StatusCode);
        AssertFieldError(await BodyAsync(await Expect(HttpStatusCode.BadRequest,
            co.PostAsJsonAsync($"/api/v1/people/{alice}/access-identity-aliases", new { identity = "" }))), "identity");
        Assert.Equal(HttpStatusCode.BadRequest, (await co.GetAsync("/api/v1/exports/accessevents?format=csv&from=31-12-2026")).StatusCode);
        await using var db = await ContextAsync();
        Assert.Equal(0, await db.AccessLogImports.CountAsync());
    }

    private static async Task<HttpResponseMessage> Expect(HttpStatusCode status, Task<HttpResponseMessage> request)
    {
        var response = await request;
        Assert.True(response.StatusCode == status, $"{response.StatusCode} (wanted {status}): {await response.Content.ReadAsStringAsync()}");
        return response;
    }
}
