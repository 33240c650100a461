using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.IntegrationTests.Features.AccessReviews;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>
/// <c>/api/v1/access-reviews</c> with real tokens: reads scoped as the pages (another vendor's representative and another
/// office's officer get 404, as for a missing record), auditors read and never write (403), anonymous callers 401, bad input 400
/// with the field named, and the campaign report in every format, audited. The campaigns are written straight into the
/// database over real grants (the start command is tested with its handler).
/// </summary>
public sealed class AccessReviewApiTests() : ApiTestBase("arapi")
{
    private const string Base = "/api/v1/access-reviews";
    private Guid mixed;
    private Guid acmeOnly;
    private List<Guid> mixedItems = [];
    private List<Guid> acmeItems = [];
    private Guid definition;
    private Guid co1;

    protected override async Task ArrangePeopleAsync()
    {
        Dictionary<string, Guid> users;
        await using (var db = await ContextAsync())
        {
            users = await db.Users.Where(u => u.Email!.EndsWith("demo.local")).ToDictionaryAsync(u => u.Email!, u => u.Id);
        }
        co1 = users[Co1Email];
        var acme1 = await AddPersonAsync("US", name: "Alice Acme", email: "alice@acme.example");
        var acme2 = await AddPersonAsync("US", name: "Bob Acme", email: "bob@acme.example");
        var globex = await AddPersonAsync("US", name: "Dan Globex", email: "dan@globex.example", vendorId: DemoSeeder.GlobexId);
        async Task<Guid> Grant(Guid person)
        {
            var outcome = await SendAsync(Co1, new RequestGrant(person, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(90), "Support"));
            Assert.True(outcome.IsOk, outcome.Message);
            return outcome.Value!.Id;
        }
        var (g1, g2, g3) = (await Grant(acme1), await Grant(acme2), await Grant(globex));
        await using var context = await ContextAsync();
        definition = await AccessReviewTestData.DefinitionAsync(context, "Quarterly review of Acme and Globex", co1, Clock.GetUtcNow());
        (mixed, mixedItems) = await AccessReviewTestData.CampaignAsync(context, definition, Clock.GetUtcNow(),
        [
            new(acme1, g1, DemoSeeder.AcmeId, Il2, 1, [users[AcmeEmail]]),
            new(acme2, g2, DemoSeeder.AcmeId, Il2, 2, [co1]),
            new(globex, g3, DemoSeeder.GlobexId, Il2, 1, [users[GlobexEmail]]),
        ]);
        (acmeOnly, acmeItems) = await AccessReviewTestData.CampaignAsync(context, definition, Clock.GetUtcNow().AddDays(1),
        [
            new(acme1, g1, DemoSeeder.AcmeId, Il2, 1, [users[AcmeEmail]]),
            new(acme2, g2, DemoSeeder.AcmeId, Il2, 2, [co1], Decision: Core.Domain.AccessReviews.AccessReviewDecision.Keep, DecidedBy: co1),
        ]);
    }

    /// <summary>Every new endpoint on Acme's campaign and item, with a body that binds.</summary>
    private List<(string Method, string Path, string? Body)> Endpoints() =>
    [
        ("GET", $"{Base}/campaigns/{acmeOnly}", null),
        ("GET", $"{Base}/campaigns/{acmeOnly}/items", null),
        ("GET", $"{Base}/campaigns/{acmeOnly}/items/export?format=csv", null),
        ("GET", $"{Base}/campaigns/{acmeOnly}/report?format=pdf", null),
        ("GET", $"{Base}/items/{acmeItems[0]}", null),
        ("POST", $"{Base}/items/{acmeItems[0]}/decision", """{"decision":"Keep","comment":"Still needed"}"""),
        ("POST", $"{Base}/campaigns/{acmeOnly}/decisions", $$"""{"ids":["{{acmeItems[0]}}"],"decision":"Keep","comment":"Still needed"}"""),
        ("POST", $"{Base}/campaigns/{acmeOnly}/reassign", $$"""{"ids":["{{acmeItems[0]}}"],"reviewerId":"{{co1}}","reason":"On leave"}"""),
    ];

    private static HttpRequestMessage Request(string method, string path, string? body) =>
        new(new HttpMethod(method), path) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json") };

    [Fact]
    public async Task AnotherVendorsRepresentative_AndAnotherOfficesOfficer_Get404_OnEveryCampaignAndItemEndpoint()
    {
        var wrong = new List<string>();
        using var globex = await AsAsync(GlobexEmail);
        foreach (var (method, path, body) in Endpoints())
        {
            var response = await globex.SendAsync(Request(method, path, body));
            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                wrong.Add($"Globex {method} {path}: {(int)response.StatusCode}");
            }
        }
        using var navwar = await AsAsync("co3@demo.local"); // NAVWAR holds a Globex contract only
        foreach (var (method, path, body) in Endpoints())
        {
            var response = await navwar.SendAsync(Request(method, path, body));
            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                wrong.Add($"co3 {method} {path}: {(int)response.StatusCode}");
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        // The Globex item of the mixed campaign is theirs; Acme's items of it are not.
        Assert.Equal(HttpStatusCode.OK, (await globex.GetAsync($"{Base}/items/{mixedItems[2]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync($"{Base}/items/{mixedItems[0]}")).StatusCode);
        var list = await BodyAsync(await globex.GetAsync($"{Base}/campaigns/{mixed}/items"));
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        Assert.Equal("Dan Globex", list.GetProperty("items")[0].GetProperty("personName").GetString());
        var campaigns = await BodyAsync(await globex.GetAsync($"{Base}/campaigns"));
        Assert.Equal(1, campaigns.GetProperty("total").GetInt32());
        Assert.Equal(1, campaigns.GetProperty("items")[0].GetProperty("itemCount").GetInt32());
        // Definitions are the officers': a representative is refused.
        Assert.Equal(HttpStatusCode.Forbidden, (await globex.GetAsync($"{Base}/definitions")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await globex.GetAsync($"{Base}/definitions/{definition}")).StatusCode);

        await using var db = await ContextAsync();
        Assert.Equal(1, await db.AccessReviewItems.CountAsync(i => i.CampaignId == acmeOnly && i.Status == Core.Domain.AccessReviews.AccessReviewItemStatus.Pending));
    }

    [Fact]
    public async Task Auditor_ReadsEverything_AndWritesNothing()
    {
        using var auditor = await AsAsync(AuditorEmail);
        foreach (var (method, path, body) in Endpoints().Where(e => e.Method == "GET").Append(("GET", $"{Base}/definitions", null))
                     .Append(("GET", $"{Base}/definitions/{definition}", null)).Append(("GET", $"{Base}/campaigns", null)).Append(("GET", $"{Base}/queue", null)))
        {
            var response = await auditor.SendAsync(Request(method, path, body));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {path}: {(int)response.StatusCode}");
        }
        var writes = Endpoints().Where(e => e.Method != "GET").Concat(
        [
            ("POST", $"{Base}/definitions", DefinitionJson("Auditor's review")),
            ("PUT", $"{Base}/definitions/{definition}", DefinitionJson("Auditor's review")),
            ("POST", $"{Base}/definitions/{definition}/retire", """{"reason":"No longer needed"}"""),
            ("POST", $"{Base}/definitions/{definition}/start?dryRun=true", null),
        ]).ToList();
        foreach (var (method, path, body) in writes)
        {
            var response = await auditor.SendAsync(Request(method, path, body));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path}: {(int)response.StatusCode}");
        }
        using var acme = await AsAsync(AcmeEmail);
        Assert.Equal(HttpStatusCode.Forbidden, (await acme.SendAsync(Request("POST", $"{Base}/definitions", DefinitionJson("Rep's review")))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await acme.SendAsync(Request("POST", $"{Base}/definitions/{definition}/start", null))).StatusCode);
    }

    [Fact]
    public async Task Anonymous_Gets401_OnEveryEndpoint()
    {
        using var anonymous = Anonymous();
        foreach (var (method, path, body) in Endpoints().Append(("GET", $"{Base}/definitions", null)).Append(("GET", $"{Base}/queue", null))
                     .Append(("POST", $"{Base}/definitions", DefinitionJson("x"))).Append(("GET", $"{Base}/campaigns", null)))
        {
            var response = await anonymous.SendAsync(Request(method, path, body));
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task BadInput_Is400_NamingTheField()
    {
        using var co = await AsAsync(Co1Email);
        var definitionErrors = await ErrorsAsync(await co.SendAsync(Request("POST", $"{Base}/definitions",
            DefinitionJson("", durationDays: 0))));
        Assert.True(definitionErrors.TryGetProperty("name", out _), definitionErrors.ToString());
        Assert.True(definitionErrors.TryGetProperty("durationDays", out _), definitionErrors.ToString());

        var bulk = await ErrorsAsync(await co.SendAsync(Request("POST", $"{Base}/campaigns/{mixed}/decisions", """{"decision":"Keep"}""")));
        Assert.True(bulk.TryGetProperty("ids", out _), bulk.ToString());
        var reassign = await ErrorsAsync(await co.SendAsync(Request("POST", $"{Base}/campaigns/{mixed}/reassign",
            $$"""{"ids":["{{mixedItems[1]}}"],"reviewerId":"{{co1}}","reason":""}""")));
        Assert.True(reassign.TryGetProperty("reason", out _), reassign.ToString());
        var retire = await ErrorsAsync(await co.SendAsync(Request("POST", $"{Base}/definitions/{definition}/retire", """{"reason":""}""")));
        Assert.True(retire.TryGetProperty("reason", out _), retire.ToString());

        var format = await ErrorsAsync(await co.GetAsync($"{Base}/campaigns/{mixed}/report?format=docx"));
        Assert.True(format.TryGetProperty("format", out _));
        Assert.True((await ErrorsAsync(await co.GetAsync($"{Base}/campaigns/{mixed}/items/export"))).TryGetProperty("format", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await co.GetAsync($"{Base}/campaigns/{mixed}/items?pageSize=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await co.GetAsync($"{Base}/campaigns/{mixed}/items?status=Maybe")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await co.SendAsync(Request("POST", $"{Base}/items/{mixedItems[1]}/decision", """{"decision":"Perhaps"}"""))).StatusCode);
    }

    private static async Task<JsonElement> ErrorsAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await BodyAsync(response)).GetProperty("errors");
    }

    private string DefinitionJson(string name, int durationDays = 30) => JsonSerializer.Serialize(new
    {
        name, scope = new { vendorIds = new[] { DemoSeeder.AcmeId } }, representativeStage = true, fallbackOfficerId = co1, durationDays,
        reminderDays = new[] { 7 }, deadlineAction = "Escalate", escalationDays = 7, commentRule = "WhenSensitive", recurrence = "None", nextStartOn = (string?)null,
    });

    [Fact]
    public async Task Reads_ListFilterAndPage_AsTheGrid()
    {
        using var co = await AsAsync(Co1Email);
        var campaigns = await BodyAsync(await co.GetAsync($"{Base}/campaigns?status=Open&pageSize=1"));
        Assert.Equal(2, campaigns.GetProperty("total").GetInt32());
        Assert.Equal(1, campaigns.GetProperty("items").GetArrayLength());
        Assert.Equal(1, campaigns.GetProperty("pageSize").GetInt32());

        var summary = await BodyAsync(await co.GetAsync($"{Base}/campaigns/{mixed}"));
        Assert.Equal(3, summary.GetProperty("campaign").GetProperty("itemCount").GetInt32());
        Assert.Equal(2, summary.GetProperty("byVendor").GetArrayLength());

        var stageOne = await BodyAsync(await co.GetAsync($"{Base}/campaigns/{mixed}/items?stage=1&vendorId={DemoSeeder.AcmeId}&vendorId={DemoSeeder.GlobexId}&sort=person&desc=true"));
        Assert.Equal(["Dan Globex", "Alice Acme"], stageOne.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("personName").GetString()));
        var mine = await BodyAsync(await co.GetAsync($"{Base}/campaigns/{mixed}/items?mine=true"));
        var item = Assert.Single(mine.GetProperty("items").EnumerateArray());
        Assert.True(item.GetProperty("canDecide").GetBoolean());
        Assert.Equal("Keep", item.GetProperty("recommendation").GetString());

        var queue = await BodyAsync(await co.GetAsync($"{Base}/queue"));
        Assert.Contains(queue.EnumerateArray(), e => e.GetProperty("campaignId").GetGuid() == mixed && e.GetProperty("pendingForMe").GetInt32() == 1);

        var detail = await BodyAsync(await co.GetAsync($"{Base}/items/{mixedItems[1]}"));
        Assert.Equal("Bob Acme", detail.GetProperty("item").GetProperty("personName").GetString());
        Assert.True(detail.GetProperty("facts").GetArrayLength() > 5);

        var definitions = await BodyAsync(await co.GetAsync($"{Base}/definitions"));
        var only = Assert.Single(definitions.GetProperty("items").EnumerateArray());
        Assert.Equal(2, only.GetProperty("campaigns").GetInt32());
        Assert.Equal("Casey Officer", only.GetProperty("fallbackOfficerName").GetString());
    }

    [Fact]
    public async Task Writes_ReachTheHandlers_ThroughTheExecutor()
    {
        using var acme = await AsAsync(AcmeEmail);
        var confirmed = await acme.SendAsync(Request("POST", $"{Base}/campaigns/{mixed}/decisions",
            $$"""{"ids":["{{mixedItems[0]}}"],"decision":"Keep","comment":"Still on the project","expectedCount":1}"""));
        Assert.True(confirmed.StatusCode == HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
        Assert.Equal(1, (await BodyAsync(confirmed)).GetProperty("movedToStageTwo").GetInt32());

        using var co = await AsAsync(Co1Email);
        var decided = await co.SendAsync(Request("POST", $"{Base}/items/{mixedItems[1]}/decision", """{"decision":"Keep","comment":"Needed"}"""));
        Assert.True(decided.StatusCode == HttpStatusCode.OK, await decided.Content.ReadAsStringAsync());
        Assert.Equal(1, (await BodyAsync(decided)).GetProperty("decided").GetInt32());
        var item = await BodyAsync(await co.GetAsync($"{Base}/items/{mixedItems[1]}"));
        Assert.Equal("Kept", item.GetProperty("item").GetProperty("status").GetString());
        Assert.Equal("Casey Officer", item.GetProperty("item").GetProperty("decidedByName").GetString());

        var preview = await co.SendAsync(Request("POST", $"{Base}/definitions/{definition}/start?dryRun=true", null));
        Assert.True(preview.StatusCode == HttpStatusCode.OK, await preview.Content.ReadAsStringAsync());
        Assert.True((await BodyAsync(preview)).GetProperty("preview").GetBoolean());

        var created = await co.SendAsync(Request("POST", $"{Base}/definitions", DefinitionJson("Monthly review of Acme")));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        Assert.NotNull(created.Headers.Location);
    }

    [Fact]
    public async Task TheCampaignReport_InEveryFormat_IsStreamedAndAudited()
    {
        using var auditor = await AsAsync(AuditorEmail);
        var csv = await auditor.GetAsync($"{Base}/campaigns/{acmeOnly}/report?format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("attachment", csv.Content.Headers.ContentDisposition?.DispositionType);
        var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("\"Item id\",\"Grant id\",\"Person\",\"E-mail\",\"Vendor\",\"System\"", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.Contains("Bob Acme") && l.Contains("Kept") && l.Contains("Casey Officer"));

        var xlsx = await auditor.GetAsync($"{Base}/campaigns/{acmeOnly}/report?format=xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        using (var stream = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()))
        using (var document = SpreadsheetDocument.Open(stream, false))
        {
            var rows = document.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>().Count();
            Assert.Equal(3, rows);
        }

        var pdf = await auditor.GetAsync($"{Base}/campaigns/{acmeOnly}/report?format=pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        var bytes = await pdf.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF", Encoding.ASCII.GetString(bytes, 0, 4));

        var json = await BodyAsync(await auditor.GetAsync($"{Base}/campaigns/{acmeOnly}/report?format=json"));
        Assert.Equal("access-review-report", json.GetProperty("kind").GetString());
        Assert.StartsWith("Quarterly review of Acme and Globex", json.GetProperty("campaign").GetProperty("name").GetString());
        Assert.Equal(2, json.GetProperty("itemCount").GetInt32());
        Assert.Equal(JsonValueKind.Object, json.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("person").GetString() == "Bob Acme")
            .GetProperty("factsSnapshot").ValueKind);

        using var co = await AsAsync(Co1Email);
        var export = await co.GetAsync($"{Base}/campaigns/{mixed}/items/export?format=csv&vendorId={DemoSeeder.GlobexId}");
        var exported = (await export.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, exported.Length);
        Assert.Contains("Dan Globex", exported[1]);
        var exportPdf = await co.GetAsync($"{Base}/campaigns/{mixed}/items/export?format=pdf&stage=1");
        Assert.Equal("%PDF", Encoding.ASCII.GetString(await exportPdf.Content.ReadAsByteArrayAsync(), 0, 4));

        await using var db = await ContextAsync();
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.EventType == AuditEventTypes.Export && e.SubjectType == "access-review-campaign")
            .ToListAsync();
        Assert.Equal(4, events.Count(e => e.SubjectId == acmeOnly.ToString() && e.Changes.Contains("access-review-report")));
        Assert.Equal(2, events.Count(e => e.SubjectId == mixed.ToString() && e.Changes.Contains("access-review-items")));
    }
}
