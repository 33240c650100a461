using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Contributions;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Findings;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Features.Policy;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>
/// API.md is the contract: every operation of its Resources table is served. Each row is called, with real ids, as a role its
/// "Who" column names, and must not be 404 or 405 (the route is there) nor a 5xx; the lists answer in API.md's list shape
/// <c>{items, page, pageSize, total}</c>. A write's body is often incomplete on purpose: a 400, 403 or 422 still proves the route.
/// </summary>
public sealed class ApiContractTests() : ApiTestBase("apicontract")
{
    /// <summary>
    /// The first two columns of the Resources table of shared/design/API.md ("Method and path" | "Who"), copied verbatim on
    /// 2026-12-06. When API.md's table changes, copy it here again: a row nobody serves fails this test.
    /// </summary>
    private const string ResourcesTable = """
        | `GET/POST /vendors`, `GET/PUT /vendors/{id}` | CO, admin write; auditor read; rep reads own |
        | `GET/POST /systems`, `GET/PUT /systems/{id}` | CO, admin write |
        | `GET/POST /vendors/{vendorId}/personnel` | CO; rep of that vendor |
        | `GET/PUT /personnel/{id}` | CO; rep of its vendor |
        | `POST /personnel/{id}/terminate` | CO; rep of its vendor |
        | `GET /personnel/{id}/history` | CO, auditor, own rep |
        | `GET/POST /personnel/{id}/grants` | CO; rep of its vendor may request |
        | `POST /grants/{id}/approve` | a CO other than the requester |
        | `POST /grants/{id}/suspend`, `/revoke`, `/reactivate` | CO |
        | `GET/POST /escort-assignments` | CO |
        | `GET/POST /escorted-sessions`, `POST /escorted-sessions/{id}/sign-off` | rep of the vendor; CO |
        | `POST /vendors/{id}/roster-imports?dryRun=true` | CO; rep of that vendor |
        | `GET/POST /vendors/{id}/attestations` | rep of that vendor (submit); CO, auditor (read) |
        | `GET /findings`, `GET /findings/{id}`, `POST /findings/{id}/acknowledge` / `remediate` | CO, auditor (read), rep (own vendor) |
        | `POST /waivers`, `POST /waivers/{id}/approve` | CO (approver ≠ requester) |
        | `GET /policy/versions`, `GET /policy/versions/active` | all roles |
        | `POST /policy/versions` | CO |
        | `POST /policy/versions/{id}/preview` | CO |
        | `POST /policy/versions/{id}/activate` | a CO other than the drafter |
        | `GET /systems/{id}/access?asOf=YYYY-MM-DD` | CO, auditor |
        | `POST /vendors/{id}/contributions/imports?dryRun=true` | CO, auditor; rep of that vendor |
        | `GET /contributions?flagged=true`, `POST /contributions/{id}/verdict` | CO, auditor |
        | `GET /audit/events`, `GET /audit/verify` | auditor, admin |
        | `GET /exports/{kind}?format={format}` | CO, auditor; rep for own vendor |
        | `GET /exports/evidence?from&to` | auditor |
        """;

    /// <summary>
    /// Who calls each operation: an account whose role the row's "Who" names (checked below). The officer calls the writes whose
    /// second officer matters as the first one (co1 drafted the version, so its activation is refused — the route still answers).
    /// </summary>
    private static readonly Dictionary<string, string> Callers = new()
    {
        ["GET /vendors"] = AuditorEmail, ["POST /vendors"] = Co1Email, ["GET /vendors/{id}"] = AcmeEmail, ["PUT /vendors/{id}"] = Co1Email,
        ["GET /systems"] = Co1Email, ["POST /systems"] = Co1Email, ["GET /systems/{id}"] = Co1Email, ["PUT /systems/{id}"] = Co1Email,
        ["GET /vendors/{vendorId}/personnel"] = AcmeEmail, ["POST /vendors/{vendorId}/personnel"] = AcmeEmail,
        ["GET /personnel/{id}"] = AcmeEmail, ["PUT /personnel/{id}"] = AcmeEmail, ["POST /personnel/{id}/terminate"] = Co1Email,
        ["GET /personnel/{id}/history"] = AuditorEmail,
        ["GET /personnel/{id}/grants"] = AcmeEmail, ["POST /personnel/{id}/grants"] = AcmeEmail,
        ["POST /grants/{id}/approve"] = Co2Email,
        ["POST /grants/{id}/suspend"] = Co1Email, ["POST /grants/{id}/revoke"] = Co1Email, ["POST /grants/{id}/reactivate"] = Co1Email,
        ["GET /escort-assignments"] = Co1Email, ["POST /escort-assignments"] = Co1Email,
        ["GET /escorted-sessions"] = AcmeEmail, ["POST /escorted-sessions"] = AcmeEmail, ["POST /escorted-sessions/{id}/sign-off"] = Co1Email,
        ["POST /vendors/{id}/roster-imports"] = AcmeEmail,
        ["GET /vendors/{id}/attestations"] = AuditorEmail, ["POST /vendors/{id}/attestations"] = AcmeEmail,
        ["GET /findings"] = AcmeEmail, ["GET /findings/{id}"] = AuditorEmail, ["POST /findings/{id}/acknowledge"] = AcmeEmail,
        ["POST /findings/{id}/remediate"] = AcmeEmail,
        ["POST /waivers"] = Co1Email, ["POST /waivers/{id}/approve"] = Co2Email,
        ["GET /policy/versions"] = AcmeEmail, ["GET /policy/versions/active"] = AuditorEmail,
        ["POST /policy/versions"] = Co1Email, ["POST /policy/versions/{id}/preview"] = Co1Email, ["POST /policy/versions/{id}/activate"] = Co1Email,
        ["GET /systems/{id}/access"] = AuditorEmail,
        ["POST /vendors/{id}/contributions/imports"] = AuditorEmail,
        ["GET /contributions"] = AuditorEmail, ["POST /contributions/{id}/verdict"] = AuditorEmail,
        ["GET /audit/events"] = AuditorEmail, ["GET /audit/verify"] = AdminEmail,
        ["GET /exports/{kind}"] = Co1Email, ["GET /exports/evidence"] = AuditorEmail,
    };

    /// <summary>The GET operations API.md's conventions make lists: they answer <c>{items, page, pageSize, total}</c>.</summary>
    private static readonly HashSet<string> Lists =
    [
        "GET /vendors", "GET /systems", "GET /vendors/{vendorId}/personnel", "GET /escort-assignments", "GET /escorted-sessions",
        "GET /vendors/{id}/attestations", "GET /findings", "GET /policy/versions", "GET /contributions", "GET /audit/events",
    ];

    private readonly Dictionary<string, string> ids = [];

    protected override async Task ArrangePeopleAsync()
    {
        var person = await AddPersonAsync("US");
        var escort = await AddPersonAsync("US", qualification: EscortQualification.Engineer);
        var engineer = await AddPersonAsync("GB", tier: InvestigationTier.T3);
        var grant = (await SendAsync(Co1, new RequestGrant(person, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(30), "Support"))).Value!;
        await SendAsync(Co1, new ChangePersonFacts(person, "CN", "Shenzhen")); // a finding on the grant
        var assignment = (await SendAsync(Co1, new AssignEscort(escort, engineer, Il2, Today.AddDays(-1), Today.AddDays(30)))).Value!;
        var session = (await SendAsync(AcmeRep, new RecordEscortedSession(assignment.Id, Clock.GetUtcNow().AddHours(-3), Clock.GetUtcNow().AddHours(-1), "CHG-1", "Work"))).Value!;
        var csv = $"id,repository,author email,date,title\nPR-1,portal,test@acme.example,{Clock.GetUtcNow().AddDays(-1):yyyy-MM-dd'T'HH:mm:ss'Z'},Fix\n";
        Assert.True((await SendAsync(AcmeRep, new ImportContributions(DemoSeeder.AcmeId, Il2, null, "c.csv", Encoding.UTF8.GetBytes(csv), false))).IsOk);
        var active = await AskAsync<PolicyVersionsQuery, PolicyVersionView>(q => q.ActiveAsync());
        var draft = (await SendAsync(Co1, new DraftPolicyVersion("Contract test", active.Parameters))).Value!;
        // A warning's finding (no investigation), which may be waived, unlike the covered nation's.
        var unvetted = await AddPersonAsync("US", tier: InvestigationTier.None, name: "Uma Unvetted", email: "uma@acme.example");
        Assert.True((await SendAsync(Co1, new RequestGrant(unvetted, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(30), "Support"))).IsOk);
        await using var db = await ContextAsync();
        var finding = await db.Findings.Where(f => f.SubjectId == grant.Id).Select(f => f.Id).FirstAsync();
        var warning = await db.Findings.Where(f => f.PersonId == unvetted).Select(f => f.Id).SingleAsync();
        var waiver = await SendAsync(Co1, new RequestWaiver(warning, "Contract test", Today.AddDays(30)));
        Assert.True(waiver.IsOk, waiver.Message);
        ids["vendor"] = DemoSeeder.AcmeId.ToString();
        ids["system"] = Il2.ToString();
        ids["person"] = person.ToString();
        ids["grant"] = grant.Id.ToString();
        ids["finding"] = finding.ToString();
        ids["waiver"] = waiver.Value!.Id.ToString();
        ids["session"] = session.Id.ToString();
        ids["policy"] = draft.Id.ToString();
        ids["contribution"] = (await db.CodeContributions.Where(c => c.VendorId == DemoSeeder.AcmeId).Select(c => c.Id).SingleAsync()).ToString();
    }

    /// <summary>Every operation of the table: its methods, its path (a relative "/revoke" or "remediate" is a sibling of the one before) and query, and its "Who".</summary>
    private static List<(string Method, string Path, string Query, string Who)> Operations()
    {
        var operations = new List<(string, string, string, string)>();
        foreach (var line in ResourcesTable.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var columns = line.Trim('|').Split('|');
            var who = columns[1].Trim();
            string[] methods = [];
            var previous = "";
            foreach (Match segment in Regex.Matches(columns[0], "`([^`]+)`"))
            {
                var text = segment.Groups[1].Value;
                string target;
                if (Regex.Match(text, @"^([A-Z/]+) (\S+)$") is { Success: true } full)
                {
                    methods = full.Groups[1].Value.Split('/');
                    target = full.Groups[2].Value;
                }
                else
                {
                    target = previous[..previous.LastIndexOf('/')] + "/" + text.TrimStart('/');
                }
                previous = target.Split('?')[0];
                var query = target.Contains('?', StringComparison.Ordinal) ? target[(target.IndexOf('?', StringComparison.Ordinal) + 1)..] : "";
                operations.AddRange(methods.Select(m => (m, previous, query, who)));
            }
        }
        return operations;
    }

    [Fact]
    public void TheCopiedTable_IsParsedIntoEveryOperation_AndEachHasACallerItsWhoNames()
    {
        var operations = Operations();
        Assert.Equal(47, operations.Count);
        Assert.Contains(("POST", "/grants/{id}/reactivate", "", "CO"), operations);
        Assert.Contains(("POST", "/findings/{id}/remediate", "", "CO, auditor (read), rep (own vendor)"), operations);
        Assert.Equal(operations.Select(o => $"{o.Method} {o.Path}").Order(StringComparer.Ordinal), Callers.Keys.Order(StringComparer.Ordinal));
        foreach (var (method, path, _, who) in operations)
        {
            var caller = Callers[$"{method} {path}"];
            var named = caller switch
            {
                AuditorEmail => who.Contains("auditor", StringComparison.Ordinal),
                AcmeEmail => who.Contains("rep", StringComparison.Ordinal),
                AdminEmail => who.Contains("admin", StringComparison.Ordinal),
                _ => who.Contains("CO", StringComparison.Ordinal),
            };
            Assert.True(named || who == "all roles", $"{method} {path} is called as {caller}, whom \"{who}\" does not name.");
        }
    }

    [Fact]
    public async Task EveryOperationOfApiMd_IsServed_AndEveryListAnswersInTheListShape()
    {
        var wrong = new List<string>();
        foreach (var (method, path, query, _) in Operations())
        {
            using var client = await AsAsync(Callers[$"{method} {path}"]);
            var address = "/api/v1" + Concrete(path) + (query.Length > 0 ? "?" + Concrete(query) : "");
            using var request = new HttpRequestMessage(new HttpMethod(method), address) { Content = method == "GET" ? null : Body(path) };
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed || status >= 500)
            {
                wrong.Add($"{method} {address} → {status} {await response.Content.ReadAsStringAsync()}");
                continue;
            }
            if (Lists.Contains($"{method} {path}"))
            {
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    wrong.Add($"{method} {address} → {status}, a list expected");
                    continue;
                }
                var body = await BodyAsync(response);
                if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array
                    || !body.TryGetProperty("page", out _) || !body.TryGetProperty("pageSize", out _) || !body.TryGetProperty("total", out _))
                {
                    wrong.Add($"{method} {address}: not {{items, page, pageSize, total}}");
                }
            }
        }
        Assert.True(wrong.Count == 0, "Operations of API.md not served as written:\n" + string.Join("\n", wrong));
    }

    /// <summary>The path or query with real ids and values: the parameter's name says which record (or value) it is.</summary>
    private string Concrete(string template) => Regex.Replace(template.Replace("YYYY-MM-DD", $"{Today:yyyy-MM-dd}", StringComparison.Ordinal)
            .Replace("from&to", $"from={Today.AddDays(-7):yyyy-MM-dd}&to={Today:yyyy-MM-dd}", StringComparison.Ordinal), @"\{(\w+)\}", m => m.Groups[1].Value switch
        {
            "kind" => "findings",
            "format" => "csv",
            "vendorId" => ids["vendor"],
            _ => ids[Resource(template, m.Index)],
        });

    /// <summary>Which record an <c>{id}</c> names: the resource before it ("/grants/{id}" is a grant).</summary>
    private static string Resource(string template, int index) => template[..index].TrimEnd('/').Split('/')[^1] switch
    {
        "vendors" => "vendor",
        "systems" => "system",
        "personnel" => "person",
        "grants" => "grant",
        "findings" => "finding",
        "waivers" => "waiver",
        "escorted-sessions" => "session",
        "versions" => "policy",
        "contributions" => "contribution",
        var other => throw new InvalidOperationException($"No id for {other}."),
    };

    /// <summary>A body for the write: the uploads as multipart, a verdict in full; otherwise an empty object (a 400 still shows the route).</summary>
    private HttpContent Body(string path)
    {
        if (path.EndsWith("/roster-imports", StringComparison.Ordinal) || path.EndsWith("/contributions/imports", StringComparison.Ordinal))
        {
            var roster = path.EndsWith("/roster-imports", StringComparison.Ordinal);
            var file = new ByteArrayContent(Encoding.UTF8.GetBytes(roster ? RosterFile.CsvTemplate : ContributionFile.CsvTemplate));
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            var form = new MultipartFormDataContent { { file, "file", roster ? "roster.csv" : "contributions.csv" } };
            if (!roster)
            {
                form.Add(new StringContent(ids["system"]), "systemId");
                form.Add(new StringContent("portal"), "repository");
            }
            return form;
        }
        var json = path.EndsWith("/verdict", StringComparison.Ordinal) ? """{"verdict":"NoConcern","notes":"Contract test"}""" : "{}";
        return new StringContent(json, Encoding.UTF8, "application/json");
    }
}
