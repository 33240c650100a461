using System.Text;
using System.Text.Json.Nodes;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Features.AccessLogs;
using ComplianceHub.Core.Features.Evidence;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Policy;
using ComplianceHub.Core.Rules;
using ComplianceHub.Core.Rules.Catalogue;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.AccessLogs;

/// <summary>
/// Where each fact came from (issue 25): a person's countries over a window beside the attested location, the dashboard's counts
/// per vendor, the person's evidence as an audited export, the evidence package's access-log files, and the policy preview of a
/// draft that enables the evidence rules — on access logs imported through the executor (the installed geolocation database:
/// 114.114.114.114 China, 193.0.6.139 the Netherlands, 8.8.8.8 the United States, 10.1.2.3 private).
/// <list type="bullet">
/// <item>Alice — attested in the US, with a grant: sign-ins from the US (5 days ago) and China (3 days ago, and 100 days ago);</item>
/// <item>Carol — attested in the US: a sign-in from the Netherlands, a failed one from China, one from a private address;</item>
/// <item>Dan — attested in the US: no log names him.</item>
/// </list>
/// </summary>
public sealed class AccessEvidenceReadTests() : CommandPortalTest("accevid")
{
    private const string SystemName = "milCloud Public Portal";
    private Guid alice, carol, dan, aliceGrant;

    private DateTimeOffset At(int daysAgo, int hour) =>
        new DateTimeOffset(Today.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(-daysAgo).AddHours(hour);

    protected override async Task ArrangePeopleAsync()
    {
        alice = await AddPersonAsync("US", email: "alice@acme.example", name: "Alice Archer");
        carol = await AddPersonAsync("US", email: "carol@acme.example", name: "Carol Chen");
        dan = await AddPersonAsync("US", email: "dan@acme.example", name: "Dan Dorsey");
        var requested = await SendAsync(Co1, new RequestGrant(alice, Il2, AccessType.NonPrivileged, false, Today.AddDays(-10), Today.AddDays(80), "Operations"));
        Assert.True(requested.IsOk, requested.Message);
        if (requested.Value!.Status != GrantStatus.Active)
        {
            Assert.True((await SendAsync(Co2, new ApproveGrant(requested.Value.Id))).IsOk);
        }
        aliceGrant = requested.Value.Id;
    }

    private string Line(string user, DateTimeOffset at, string address, string id, string result = "success") =>
        $"{user},{at.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'},{address},{SystemName},{id},{result}";

    private async Task<AccessLogImportReport> ImportAsync()
    {
        var log = "user,time,address,system,id,result\n" + string.Join("\n",
            Line("alice@acme.example", At(100, 9), "114.114.114.114", "e-0"),
            Line("alice@acme.example", At(5, 8), "8.8.8.8", "e-1"),
            Line("alice@acme.example", At(3, 8), "114.114.114.114", "e-2"),
            Line("carol@acme.example", At(2, 9), "193.0.6.139", "e-3"),
            Line("carol@acme.example", At(2, 10), "114.114.114.114", "e-4", "failure"),
            Line("carol@acme.example", At(1, 10), "10.1.2.3", "e-5")) + "\n";
        var outcome = await SendAsync(AcmeRep, new ImportAccessLog(DemoSeeder.AcmeId, null, "signins.csv", Encoding.UTF8.GetBytes(log), AccessLogFormat.PlainCsv));
        Assert.True(outcome.IsOk, outcome.Message);
        Assert.True(outcome.Value!.Applied, string.Join("; ", outcome.Value.Problems.Select(p => p.Message)));
        return outcome.Value;
    }

    private Task<PersonEvidenceView?> EvidenceAsync(Core.Authorization.Actor actor, Guid person, int days) =>
        AskAsync<AccessEvidenceQuery, PersonEvidenceView?>(q => q.PersonAsync(actor, person, days, Clock.GetUtcNow()));

    [Fact]
    public async Task APersonsEvidence_NamesEachCountryOfTheWindow_WithItsAgreement_AndTheDatabase()
    {
        await ImportAsync();

        var ninety = (await EvidenceAsync(Co1, alice, 90))!;
        Assert.Equal(("US", 90), (ninety.WorkCountry, ninety.Days));
        Assert.Equal([("CN", EvidenceAgreement.Covered, 1), ("US", EvidenceAgreement.Agrees, 1)],
            ninety.Countries.Select(c => (c.Country, c.Agreement, c.SignIns)).OrderBy(c => c.Country).ToList());
        Assert.Equal(2, ninety.SignIns);
        Assert.True(ninety.FromCoveredNation);
        Assert.True(ninety.Disagrees);
        Assert.Contains(ninety.Databases, d => d.Contains("geo-whois-asn-country", StringComparison.Ordinal));
        var china = ninety.Countries.Single(c => c.Country == "CN");
        Assert.Equal(At(3, 8), china.FirstAt);
        Assert.Equal([SystemName], china.Systems);

        // The window: the sign-in 100 days ago counts over a year, not over 90 or 30 days.
        var year = (await EvidenceAsync(Co1, alice, 365))!;
        Assert.Equal((2, At(100, 9)), (year.Countries.Single(c => c.Country == "CN").SignIns, year.Countries.Single(c => c.Country == "CN").FirstAt));
        Assert.Equal(2, (await EvidenceAsync(Co1, alice, 30))!.SignIns);

        // Carol: another country (differs, not covered); her failed sign-in from China is counted as failed, not as access; a private address names no country.
        var carolSeen = (await EvidenceAsync(Co1, carol, 90))!;
        Assert.Equal(EvidenceAgreement.Differs, carolSeen.Countries.Single(c => c.Country == "NL").Agreement);
        Assert.Equal((0, 1), (carolSeen.Countries.Single(c => c.Country == "CN").SignIns, carolSeen.Countries.Single(c => c.Country == "CN").FailedSignIns));
        var unknown = carolSeen.Countries.Single(c => c.Country is null);
        Assert.Equal((EvidenceAgreement.Unknown, Core.Domain.AccessLogs.LocationUnknown.Private), (unknown.Agreement, unknown.Unknown));
        Assert.True(carolSeen.Disagrees);
        Assert.False(carolSeen.FromCoveredNation);
        Assert.Equal(1, carolSeen.UnknownLocation);

        // Dan: nothing names him, and the view says so rather than failing.
        var nobody = (await EvidenceAsync(Co1, dan, 90))!;
        Assert.Empty(nobody.Countries);
        Assert.False(nobody.Disagrees);
    }

    [Fact]
    public async Task AnotherVendorsRepresentative_GetsNothing_WhileTheOwnRepresentativeAndAnAuditorRead()
    {
        await ImportAsync();

        Assert.Null(await EvidenceAsync(GlobexRep, alice, 90));
        Assert.Equal(2, (await EvidenceAsync(AcmeRep, alice, 90))!.SignIns);
        Assert.Equal(2, (await EvidenceAsync(Auditor, alice, 90))!.SignIns);
        Assert.Null(await EvidenceAsync(Auditor, Guid.NewGuid(), 90));
    }

    [Fact]
    public async Task TheDashboardCounts_PeopleWithEvidence_Disagreeing_AndFromCoveredNations_PerVendorInScope()
    {
        await ImportAsync();

        var all = await AskAsync<AccessEvidenceQuery, IReadOnlyList<VendorEvidenceCount>>(q => q.ByVendorAsync(Co1, 90, Clock.GetUtcNow()));
        var acme = Assert.Single(all, r => r.VendorId == DemoSeeder.AcmeId);
        // Alice (China, covered) and Carol (the Netherlands) disagree; only Alice signed in from a covered nation (Carol's was a failure).
        Assert.Equal((2, 2, 1), (acme.PeopleWithEvidence, acme.PeopleDisagreeing, acme.PeopleFromCoveredNations));
        Assert.Equal("Acme Cloud Services", acme.VendorName);

        var globex = await AskAsync<AccessEvidenceQuery, IReadOnlyList<VendorEvidenceCount>>(q => q.ByVendorAsync(GlobexRep, 90, Clock.GetUtcNow()));
        Assert.DoesNotContain(globex, r => r.VendorId == DemoSeeder.AcmeId);
        var beforeTheWindow = await AskAsync<AccessEvidenceQuery, IReadOnlyList<VendorEvidenceCount>>(q => q.ByVendorAsync(Co1, 1, Clock.GetUtcNow()));
        Assert.DoesNotContain(beforeTheWindow, r => r.VendorId == DemoSeeder.AcmeId && r.PeopleFromCoveredNations > 0);
    }

    [Fact]
    public async Task APolicyDraftThatEnablesTheEvidenceRules_PreviewsTheSuspensionOfThePersonWithAChinaSignIn()
    {
        await ImportAsync(); // no rule reads the evidence yet: nothing happens
        await using (var db = await ContextAsync())
        {
            Assert.Equal(GrantStatus.Active, await db.Grants.Where(g => g.Id == aliceGrant).Select(g => g.Status).SingleAsync());
        }

        var parameters = PolicyDefaults.Baseline2026;
        var rules = parameters.Rules.ToDictionary(r => r.Key, r => r.Value);
        rules[LocEvidenceCovered.RuleId] = new RuleSetting(true, Severity.Block);
        rules[LocEvidenceMismatch.RuleId] = new RuleSetting(true, Severity.Warn);
        var draft = await SendAsync(Co1, new DraftPolicyVersion("Check access-log evidence", parameters with { Rules = rules, Evidence = EvidenceSettings.Recommended }));
        Assert.True(draft.IsOk, draft.Message);

        var impact = (await AskAsync<PolicyImpactQuery, PolicyImpact?>(q => q.PreviewAsync(Co2, draft.Value!.Id)))!;
        var suspended = Assert.Single(impact.NewlyViolating, g => g.GrantId == aliceGrant);
        Assert.Contains(LocEvidenceCovered.RuleId, suspended.RuleIds);
        Assert.DoesNotContain(impact.NewlyViolating, g => g.PersonId == dan);
    }

    [Fact]
    public async Task APersonsEvidence_ExportsInEveryFormat_AndEachExportIsAudited()
    {
        await ImportAsync();
        await using var scope = Portal.Services.CreateAsyncScope();
        var exports = scope.ServiceProvider.GetRequiredService<ExportService>();

        using var csv = new MemoryStream();
        var result = await exports.ExportAsync(AcmeRep, new ExportRequest(ExportKind.AccessEvidence, ExportFormat.Csv, new AccessEvidenceExportFilter(alice, 90)), csv);
        Assert.Equal(2, result.Rows);
        var text = Encoding.UTF8.GetString(csv.ToArray());
        Assert.Contains("China (CN)", text, StringComparison.Ordinal);
        Assert.Contains("A covered nation", text, StringComparison.Ordinal);
        Assert.Contains("Agrees with the attested location", text, StringComparison.Ordinal);

        foreach (var format in new[] { ExportFormat.Xlsx, ExportFormat.Pdf, ExportFormat.Json })
        {
            using var file = new MemoryStream();
            var other = await exports.ExportAsync(Co1, new ExportRequest(ExportKind.AccessEvidence, format, new AccessEvidenceExportFilter(alice, 90)), file);
            Assert.Equal(2, other.Rows);
            Assert.True(file.Length > 0);
        }
        using var json = new MemoryStream();
        await exports.ExportAsync(Auditor, new ExportRequest(ExportKind.AccessEvidence, ExportFormat.Json, new AccessEvidenceExportFilter(carol, 90)), json);
        Assert.Contains("Differs from the attested location", Encoding.UTF8.GetString(json.ToArray()), StringComparison.Ordinal);

        // Another vendor's representative gets no row of Acme's person.
        using var none = new MemoryStream();
        Assert.Equal(0, (await exports.ExportAsync(GlobexRep, new ExportRequest(ExportKind.AccessEvidence, ExportFormat.Csv, new AccessEvidenceExportFilter(alice, 90)), none)).Rows);

        var recorded = await SingleEventAsync(e => e.EventType == AuditEventTypes.Export && e.Sequence == result.AuditSequence);
        Assert.Contains("accessevidence", recorded.Changes, StringComparison.Ordinal);
        Assert.Contains(result.Sha256, recorded.Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheEvidencePackage_HoldsTheLinesAndImportsOfItsRange_AndStillVerifies()
    {
        var report = await ImportAsync();
        var range = new EvidenceRange(Today.AddDays(-30), Today);
        await using var scope = Portal.Services.CreateAsyncScope();
        using var output = new MemoryStream();
        await scope.ServiceProvider.GetRequiredService<EvidencePackageBuilder>().BuildAsync(Auditor, range, output);
        var zip = output.ToArray();

        var verified = EvidenceZip.Verify(zip, PortalFactory.TestKeys.PublicKey);
        Assert.True(verified.Valid, string.Join("\n", verified.Problems));
        Assert.Equal(EvidencePackage.ContentFiles.Count, verified.Files);

        // Five lines in the range (the first, 100 days ago, is not), in time order, each naming its file, line (the header is line 1),
        // country and database.
        var lines = EvidenceZip.Text(zip, EvidencePackage.AccessLogEvents).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal([3, 4, 5, 6, 7], lines.Select(l => (int)l["line"]!).ToList());
        var china = lines.Single(l => (int)l["line"]! == 4);
        Assert.Equal(("alice@acme.example", "CN", "114.114.114.114", "signins.csv", SystemName, "Alice Archer"),
            ((string?)china["identity"], (string?)china["country"], (string?)china["sourceAddress"], (string?)china["fileName"], (string?)china["systemName"],
             (string?)china["personName"]));
        Assert.Contains("geo-whois-asn-country", (string?)china["geolocationDatabase"], StringComparison.Ordinal);
        Assert.Contains("114.114.114.114", (string?)china["excerpt"], StringComparison.Ordinal);
        Assert.Equal("Private", (string?)lines.Single(l => (int)l["line"]! == 7)["locationUnknown"]);

        var import = Assert.Single(JsonNode.Parse(EvidenceZip.File(zip, EvidencePackage.AccessLogImports))!.AsArray())!;
        Assert.Equal(report.ImportId.ToString(), (string?)import["id"]);
        await using var db = await ContextAsync();
        var stored = await db.AccessLogImports.SingleAsync();
        Assert.Equal((stored.Sha256, stored.EntriesSha256), ((string?)import["sha256"], (string?)import["entriesSha256"]));

        // Tampering with a line is caught like any other file.
        var tampered = EvidenceZip.Replace(zip, EvidencePackage.AccessLogEvents, bytes => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("\"CN\"", "\"US\"")));
        Assert.False(EvidenceZip.Verify(tampered, PortalFactory.TestKeys.PublicKey).Valid);
    }
}
