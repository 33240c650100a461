using System.Net;
using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Features.Findings;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.IntegrationTests.Api;
using Json.Schema;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Exports;

/// <summary>
/// <c>GET /api/v1/oscal/poam</c> (ADR 0038) over findings arranged through the real commands for two vendors on two systems: every
/// document (portfolio, vendor, system, an empty scope, closed findings included) validates against NIST's official OSCAL 1.0.6
/// POA&amp;M schema (Exports/Oscal, unchanged), holds exactly the findings of its scope as observations, risks and POA&amp;M items with
/// the same UUIDs in every export, and is scoped to the caller as the Findings page is.
/// </summary>
public sealed class OscalPoamTests() : ApiTestBase("oscal")
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromFile(Path.Combine(AppContext.BaseDirectory, "Exports", "Oscal", "oscal_poam_schema.json")));

    private Guid acknowledged;
    private Guid il2Acme;
    private Guid il5Acme;

    protected override async Task ArrangePeopleAsync()
    {
        var avery = await AddPersonAsync("US", name: "Avery Acme");
        var blake = await AddPersonAsync("US", name: "Blake Acme");
        var casey = await AddPersonAsync("US", name: "Cody Globex", vendorId: DemoSeeder.GlobexId);
        var dana = await AddPersonAsync("US", name: "Dana Acme");
        il2Acme = await GrantAsync(avery, Il2);
        il5Acme = await GrantAsync(blake, Il5);
        await GrantAsync(casey, Il5);
        await GrantAsync(dana, Il2);
        foreach (var person in new[] { avery, blake, casey, dana })
        {
            Assert.True((await SendAsync(Co1, new ChangePersonFacts(person, "CN", "Shenzhen"))).IsOk); // works in a covered nation: findings
        }
        // Dana is back in Reston: the gate closes Dana's findings.
        Assert.True((await SendAsync(Co1, new ChangePersonFacts(dana, "US", "Reston"))).IsOk);
        await using var db = await ContextAsync();
        acknowledged = await db.Findings.Where(f => f.PersonId == blake && f.Status == FindingStatus.Open).Select(f => f.Id).FirstAsync();
        Assert.True((await SendAsync(AcmeRep, new AcknowledgeFinding(acknowledged, "Blake moves back to Reston on Monday."))).IsOk);
        Assert.True(await db.Findings.AnyAsync(f => f.PersonId == dana && f.Status == FindingStatus.Closed));
    }

    private async Task<Guid> GrantAsync(Guid person, Guid system)
    {
        var grant = await SendAsync(Co1, new RequestGrant(person, system, AccessType.NonPrivileged, false, Today, Today.AddDays(60), "Operations"));
        Assert.True(grant.IsOk, grant.Message);
        if (grant.Value!.Status == GrantStatus.PendingApproval)
        {
            Assert.True((await SendAsync(Co2, new ApproveGrant(grant.Value.Id))).IsOk);
        }
        return grant.Value.Id;
    }

    [Fact]
    public void TheValidator_AcceptsAKnownGoodDocument_AndRejectsWhatTheSchemaForbids()
    {
        const string good = """
            { "plan-of-action-and-milestones": {
                "uuid": "4a202b62-38e0-40ac-9bf0-d595d5df7c28",
                "metadata": { "title": "Known good", "last-modified": "2026-12-06T10:00:00Z", "version": "1", "oscal-version": "1.0.6",
                  "props": [ { "name": "ünïcode_token", "value": "letters of any script" } ] },
                "poam-items": [ { "uuid": "e174dfb9-0ae3-4a8f-8e7c-081527b84337", "title": "Item", "description": "An item." } ] } }
            """;
        Assert.True(Validate(good).Count == 0, string.Join("\n", Validate(good)));
        // A version 7 UUID (the portal's own ids), a token starting with a digit (\p{L} pattern), a date without a zone, an unknown key.
        var bad = good.Replace("e174dfb9-0ae3-4a8f", "e174dfb9-0ae3-7a8f", StringComparison.Ordinal);
        Assert.NotEmpty(Validate(bad));
        Assert.NotEmpty(Validate(good.Replace("ünïcode_token", "1token", StringComparison.Ordinal)));
        Assert.NotEmpty(Validate(good.Replace("2026-12-06T10:00:00Z", "2026-12-06T10:00:00", StringComparison.Ordinal)));
        Assert.NotEmpty(Validate(good.Replace("\"title\": \"Item\"", "\"titel\": \"Item\"", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PortfolioVendorAndSystem_EachValidate_AndHoldExactlyTheirFindings()
    {
        using var admin = await AsAsync(AdminEmail);
        var scopes = new (string Query, Guid? Vendor, Guid? System)[]
        {
            ("", null, null),
            ($"?vendorId={DemoSeeder.AcmeId}", DemoSeeder.AcmeId, null),
            ($"?systemId={Il5}", null, Il5),
            ($"?vendorId={DemoSeeder.AcmeId}&systemId={Il2}", DemoSeeder.AcmeId, Il2),
        };
        foreach (var (query, vendor, system) in scopes)
        {
            var (document, response) = await PoamAsync(admin, query);
            Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
            Assert.Matches(@"^poam-\d{8}-\d{4}\.json$", response.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
            var expected = await ExpectedAsync(vendor, system, includeClosed: false);
            Assert.NotEmpty(expected);
            var poam = document.GetProperty("plan-of-action-and-milestones");
            Assert.Equal(expected.Order(), FindingIds(poam, "poam-items").Order());
            Assert.Equal(expected.Order(), FindingIds(poam, "observations").Order());
            Assert.Equal(expected.Order(), FindingIds(poam, "risks").Order());
            Assert.Equal("1.0.6", poam.GetProperty("metadata").GetProperty("oscal-version").GetString());
            var components = poam.GetProperty("local-definitions").GetProperty("components").EnumerateArray()
                .Select(c => c.GetProperty("uuid").GetGuid()).ToList();
            Assert.Contains(OscalIds.PortalTool, components);
            if (system is { } s)
            {
                Assert.Equal(s.ToString(), poam.GetProperty("system-id").GetProperty("id").GetString());
                Assert.Contains(OscalIds.System(s), components);
            }
            else
            {
                Assert.False(poam.TryGetProperty("system-id", out _));
            }
        }

        // The scope in words, and the export in the audit trail like every other export.
        var (acme, _) = await PoamAsync(admin, $"?vendorId={DemoSeeder.AcmeId}&systemId={Il5}");
        Assert.Equal("Plan of action and milestones: personnel access findings of Acme Cloud Services on Navy Personnel Records (IL5)",
            acme.GetProperty("plan-of-action-and-milestones").GetProperty("metadata").GetProperty("title").GetString());
        await using var db = await ContextAsync();
        var exports = await db.AuditEvents.AsNoTracking().Where(e => e.EventType == AuditEventTypes.Export).Select(e => e.Changes).ToListAsync();
        Assert.Equal(scopes.Length + 1, exports.Count(c => c.Contains("oscal-poam", StringComparison.Ordinal)));
        Assert.Single(exports, c => c.Contains(Il5.ToString(), StringComparison.Ordinal) && c.Contains(DemoSeeder.AcmeId.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFinding_IsMappedWithItsRuleFactsStatusAndResponse()
    {
        using var admin = await AsAsync(AdminEmail);
        var (document, _) = await PoamAsync(admin, $"?vendorId={DemoSeeder.AcmeId}");
        var poam = document.GetProperty("plan-of-action-and-milestones");
        await using var db = await ContextAsync();
        var finding = await db.Findings.AsNoTracking().SingleAsync(f => f.Id == acknowledged);

        var observation = Single(poam, "observations", OscalIds.Observation(finding.Id));
        Assert.Equal("EXAMINE", observation.GetProperty("methods")[0].GetString());
        Assert.Equal(finding.DetectedAt, observation.GetProperty("collected").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.Equal(finding.RuleId, Prop(observation, "rule-id"));
        Assert.Equal("CN", Prop(observation, "workCountry")); // the fact the rule read, as recorded
        Assert.Contains("Blake Acme", observation.GetProperty("description").GetString(), StringComparison.Ordinal);
        var subject = observation.GetProperty("subjects")[0];
        Assert.Equal(("party", OscalIds.Person(finding.PersonId)), (subject.GetProperty("type").GetString(), subject.GetProperty("subject-uuid").GetGuid()));
        Assert.Contains(poam.GetProperty("metadata").GetProperty("parties").EnumerateArray(), p => p.GetProperty("uuid").GetGuid() == OscalIds.Person(finding.PersonId));

        var risk = Single(poam, "risks", OscalIds.Risk(finding.Id));
        Assert.Equal(Core.Rules.RuleCatalogue.Find(finding.RuleId)!.Title, risk.GetProperty("title").GetString());
        Assert.Equal("investigating", risk.GetProperty("status").GetString()); // acknowledged: answered, the condition still there
        Assert.Equal($"{finding.DueOn:yyyy-MM-dd}T23:59:59Z", risk.GetProperty("deadline").GetString());
        Assert.Contains(risk.GetProperty("remediations").EnumerateArray(),
            r => r.GetProperty("description").GetString() == "Blake moves back to Reston on Monday." && r.GetProperty("lifecycle").GetString() == "planned");
        Assert.Equal(finding.Citation, Prop(risk, "citation"));
        Assert.Equal(il5Acme.ToString(), Prop(risk, "grant-id"));

        var item = Single(poam, "poam-items", OscalIds.PoamItem(finding.Id));
        Assert.Equal(OscalIds.Observation(finding.Id), item.GetProperty("related-observations")[0].GetProperty("observation-uuid").GetGuid());
        Assert.Equal(OscalIds.Risk(finding.Id), item.GetProperty("related-risks")[0].GetProperty("risk-uuid").GetGuid());
    }

    [Fact]
    public async Task AWaivedFinding_AndOneAwaitingItsWaiver_AreRisksWithTheirDeviation()
    {
        // Two people without an investigation on IL2: a warning each, which a waiver may set aside (a covered nation's may not).
        var eli = await AddPersonAsync("US", tier: InvestigationTier.None, name: "Eli Unvetted", email: "eli@acme.example");
        var finn = await AddPersonAsync("US", tier: InvestigationTier.None, name: "Finn Unvetted", email: "finn@acme.example");
        await GrantAsync(eli, Il2);
        await GrantAsync(finn, Il2);
        Guid waived, requested;
        await using (var db = await ContextAsync())
        {
            waived = await db.Findings.Where(f => f.PersonId == eli && f.Status == FindingStatus.Open).Select(f => f.Id).SingleAsync();
            requested = await db.Findings.Where(f => f.PersonId == finn && f.Status == FindingStatus.Open).Select(f => f.Id).SingleAsync();
        }
        var waiver = await SendAsync(Co1, new RequestWaiver(waived, "Investigation scheduled next week.", Today.AddDays(20)));
        Assert.True(waiver.IsOk, waiver.Message);
        Assert.True((await SendAsync(Co2, new ApproveWaiver(waiver.Value!.Id))).IsOk);
        Assert.True((await SendAsync(Co1, new RequestWaiver(requested, "Adjudication is pending.", Today.AddDays(15)))).IsOk);

        using var officer = await AsAsync(Co1Email);
        var (document, _) = await PoamAsync(officer, $"?vendorId={DemoSeeder.AcmeId}"); // validates against the schema
        var poam = document.GetProperty("plan-of-action-and-milestones");

        var approved = Single(poam, "risks", OscalIds.Risk(waived));
        Assert.Equal("deviation-approved", approved.GetProperty("status").GetString());
        Assert.Contains(approved.GetProperty("remediations").EnumerateArray(), r =>
            r.GetProperty("lifecycle").GetString() == "completed" && r.GetProperty("description").GetString() == "Investigation scheduled next week.");
        Assert.Contains(approved.GetProperty("risk-log").GetProperty("entries").EnumerateArray(), e =>
            e.GetProperty("status-change").GetString() == "deviation-approved");

        var pending = Single(poam, "risks", OscalIds.Risk(requested));
        Assert.Equal("deviation-requested", pending.GetProperty("status").GetString());
        Assert.Contains(pending.GetProperty("remediations").EnumerateArray(), r =>
            r.GetProperty("lifecycle").GetString() == "planned" && r.GetProperty("description").GetString() == "Adjudication is pending.");
        Assert.Equal(2, new[] { waived, requested }.Intersect(FindingIds(poam, "poam-items")).Count());
    }

    [Fact]
    public async Task TheUuids_OfAFindingsEntries_AreTheSameInEveryExport_TheDocumentsAreNot()
    {
        using var officer = await AsAsync(Co1Email);
        var (first, _) = await PoamAsync(officer, $"?systemId={Il2}");
        var (second, _) = await PoamAsync(officer, $"?systemId={Il2}");
        string[] Uuids(JsonElement d, string array) => [.. d.GetProperty("plan-of-action-and-milestones").GetProperty(array).EnumerateArray()
            .Select(e => e.GetProperty("uuid").GetString()!).Order()];
        foreach (var array in new[] { "observations", "risks", "poam-items" })
        {
            Assert.Equal(Uuids(first, array), Uuids(second, array));
        }
        Assert.NotEqual(first.GetProperty("plan-of-action-and-milestones").GetProperty("uuid").GetString(),
            second.GetProperty("plan-of-action-and-milestones").GetProperty("uuid").GetString());
        Assert.Contains(OscalIds.PoamItem(await FirstFindingOfAsync(il2Acme)).ToString(), Uuids(first, "poam-items"));
    }

    [Fact]
    public async Task ClosedFindings_AreListedOnlyWhenAskedFor_AndAnEmptyScopeStillValidates()
    {
        using var admin = await AsAsync(AdminEmail);
        var (all, _) = await PoamAsync(admin, $"?vendorId={DemoSeeder.AcmeId}&includeClosed=true");
        var withClosed = await ExpectedAsync(DemoSeeder.AcmeId, null, includeClosed: true);
        var poam = all.GetProperty("plan-of-action-and-milestones");
        Assert.Equal(withClosed.Order(), FindingIds(poam, "poam-items").Order());
        Assert.True(withClosed.Count > (await ExpectedAsync(DemoSeeder.AcmeId, null, includeClosed: false)).Count);
        Assert.Contains(poam.GetProperty("risks").EnumerateArray(), r => r.GetProperty("status").GetString() == "closed");

        // Initech has no findings: the schema wants one POA&M item at least, and the one there says there is nothing to plan.
        var (empty, _) = await PoamAsync(admin, $"?vendorId={DemoSeeder.InitechId}");
        var emptyPoam = empty.GetProperty("plan-of-action-and-milestones");
        Assert.False(emptyPoam.TryGetProperty("observations", out _));
        var only = Assert.Single(emptyPoam.GetProperty("poam-items").EnumerateArray());
        Assert.Equal("true", Prop(only, "no-findings"));
    }

    [Fact]
    public async Task EachCaller_GetsWhatTheyMaySee()
    {
        using (var acme = await AsAsync(AcmeEmail))
        {
            var (own, _) = await PoamAsync(acme, "");
            Assert.Equal((await ExpectedAsync(DemoSeeder.AcmeId, null, false)).Order(),
                FindingIds(own.GetProperty("plan-of-action-and-milestones"), "poam-items").Order());
            Assert.Equal(HttpStatusCode.NotFound, (await acme.GetAsync($"/api/v1/oscal/poam?vendorId={DemoSeeder.GlobexId}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await acme.GetAsync($"/api/v1/oscal/poam?systemId={Guid.NewGuid()}")).StatusCode);
        }
        using (var globex = await AsAsync(GlobexEmail))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync($"/api/v1/oscal/poam?vendorId={DemoSeeder.AcmeId}")).StatusCode);
            var (own, _) = await PoamAsync(globex, $"?systemId={Il5}");
            Assert.Equal((await ExpectedAsync(DemoSeeder.GlobexId, Il5, false)).Order(),
                FindingIds(own.GetProperty("plan-of-action-and-milestones"), "poam-items").Order());
        }
        using (var auditor = await AsAsync(AuditorEmail))
        {
            var (read, _) = await PoamAsync(auditor, $"?vendorId={DemoSeeder.GlobexId}");
            Assert.NotEmpty(FindingIds(read.GetProperty("plan-of-action-and-milestones"), "poam-items"));
        }
        using (var anonymous = Anonymous())
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/oscal/poam")).StatusCode);
        }
        using var officer = await AsAsync(Co1Email);
        var bad = await officer.GetAsync("/api/v1/oscal/poam?vendorId=acme&systemId=12&includeClosed=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await BodyAsync(bad)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("vendorId", out _) && errors.TryGetProperty("systemId", out _) && errors.TryGetProperty("includeClosed", out _));
    }

    /// <summary>The document, after checking it is a 200 and valid against the official schema (its errors printed otherwise).</summary>
    private static async Task<(JsonElement Document, HttpResponseMessage Response)> PoamAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/api/v1/oscal/poam" + query);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {(int)response.StatusCode} {text}");
        var errors = Validate(text);
        Assert.True(errors.Count == 0, $"{query}: the document does not validate against oscal_poam_schema.json 1.0.6:\n{string.Join("\n", errors)}");
        return (JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    private static List<string> Validate(string json)
    {
        using var document = JsonDocument.Parse(json);
        var results = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid ? [] : [.. (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}")).Take(50)];
    }

    /// <summary>The findings of the scope, read from the tables as the export promises: open, acknowledged, waived (and closed when asked).</summary>
    private async Task<List<Guid>> ExpectedAsync(Guid? vendor, Guid? system, bool includeClosed)
    {
        await using var db = await ContextAsync();
        var findings = db.Findings.AsNoTracking();
        if (vendor is { } v) { findings = findings.Where(f => f.VendorId == v); }
        if (system is { } s) { findings = findings.Where(f => db.Grants.Any(g => g.Id == f.SubjectId && g.SystemId == s)); }
        if (!includeClosed) { findings = findings.Where(f => f.Status == FindingStatus.Open || f.Status == FindingStatus.Acknowledged || f.Status == FindingStatus.Waived); }
        return await findings.Select(f => f.Id).ToListAsync();
    }

    private async Task<Guid> FirstFindingOfAsync(Guid grant)
    {
        await using var db = await ContextAsync();
        return await db.Findings.Where(f => f.SubjectId == grant && f.Status == FindingStatus.Open).Select(f => f.Id).FirstAsync();
    }

    private static List<Guid> FindingIds(JsonElement poam, string array) => poam.TryGetProperty(array, out var entries)
        ? [.. entries.EnumerateArray().Select(e => Guid.Parse(Prop(e, "finding-id")!))]
        : [];

    private static JsonElement Single(JsonElement poam, string array, Guid uuid) =>
        Assert.Single(poam.GetProperty(array).EnumerateArray(), e => e.GetProperty("uuid").GetGuid() == uuid);

    private static string? Prop(JsonElement entry, string name) => entry.GetProperty("props").EnumerateArray()
        .Where(p => p.GetProperty("name").GetString() == name).Select(p => p.GetProperty("value").GetString()).FirstOrDefault();
}
