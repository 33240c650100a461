using System.Text;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.AccessLogs;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Features.AccessLogs;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Policy;
using ComplianceHub.Core.Rules;
using ComplianceHub.Core.Rules.Catalogue;
using Microsoft.EntityFrameworkCore;
using ComplianceHub.Tests.Shared;
using Npgsql;

namespace ComplianceHub.IntegrationTests.Features.AccessLogs;

/// <summary>
/// Access logs imported through the executor and checked against attestations (issue 25), on the demo data with a policy
/// version that enables the evidence rules, activated by a second officer. Addresses are looked up in the geolocation database
/// the scripts install (scripts/lib/geolocation.sh): 114.114.114.114 is registered in China, 193.0.6.139 (RIPE NCC) in the
/// Netherlands, 8.8.8.8 in the United States; 10.1.2.3 is private and 192.0.2.7 documentation (both "unknown", never a country).
/// <list type="bullet">
/// <item>Alice — US citizen attested in Reston with a direct IL2 grant; a sign-in from China;</item>
/// <item>Carol — US citizen attested in Reston with a direct IL2 grant; a sign-in from the Netherlands (and a failed one from China);</item>
/// <item>Bruno — Indian citizen with an escorted IL2 grant under Eve; access at 15:00 that no session covers.</item>
/// </list>
/// </summary>
public sealed class AccessLogImportTests() : CommandPortalTest("acclog")
{
    private const string SystemName = "milCloud Public Portal";
    private Guid alice, carol, bruno, eve;
    private Guid aliceGrant, carolGrant, brunoGrant;

    private DateTimeOffset At(int daysAgo, int hour) =>
        new DateTimeOffset(Today.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(-daysAgo).AddHours(hour);

    protected override async Task ArrangePeopleAsync()
    {
        alice = await AddPersonAsync("US", email: "alice@acme.example", name: "Alice Archer");
        carol = await AddPersonAsync("US", email: "carol@acme.example", name: "Carol Chen");
        bruno = await AddPersonAsync("IN", tier: Core.Domain.InvestigationTier.T3, email: "bruno@acme.example", name: "Bruno Bose");
        eve = await AddPersonAsync("US", qualification: EscortQualification.Engineer, email: "eve@acme.example", name: "Eve Escort");
        aliceGrant = await GrantAsync(alice, escorted: false);
        carolGrant = await GrantAsync(carol, escorted: false);
        var assignment = await SendAsync(Co1, new AssignEscort(eve, bruno, Il2, Today.AddDays(-10), Today.AddDays(60)));
        Assert.True(assignment.IsOk, assignment.Message);
        brunoGrant = await GrantAsync(bruno, escorted: true);
        // Bruno's morning session two days ago covers his 09:00 access, not his 15:00 one.
        var session = await SendAsync(AcmeRep, new RecordEscortedSession(assignment.Value!.Id, At(2, 8), At(2, 10), "CHG-1", "Patching"));
        Assert.True(session.IsOk, session.Message);
    }

    private async Task<Guid> GrantAsync(Guid person, bool escorted)
    {
        var requested = await SendAsync(Co1, new RequestGrant(person, Il2, AccessType.NonPrivileged, escorted, Today.AddDays(-10), Today.AddDays(50), "Operations"));
        Assert.True(requested.IsOk, requested.Message);
        if (requested.Value!.Status != GrantStatus.Active)
        {
            var approved = await SendAsync(Co2, new ApproveGrant(requested.Value.Id));
            Assert.True(approved.IsOk, approved.Message);
        }
        return requested.Value.Id;
    }

    /// <summary>A policy version enabling the evidence rules (and the session half), drafted by one officer and activated by another.</summary>
    private async Task EnableEvidenceRulesAsync()
    {
        var parameters = PolicyDefaults.Baseline2026 with
        {
            Rules = PolicyDefaults.Baseline2026.Rules.ToDictionary(r => r.Key, r => r.Value)
                .Concat([
                    new KeyValuePair<string, RuleSetting>(LocEvidenceCovered.RuleId, new RuleSetting(true, Severity.Block)),
                    new KeyValuePair<string, RuleSetting>(LocEvidenceMismatch.RuleId, new RuleSetting(true, Severity.Warn)),
                ]).GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Last().Value),
            Evidence = EvidenceSettings.Recommended,
        };
        var draft = await SendAsync(Co1, new DraftPolicyVersion("Baseline with access-log evidence", parameters));
        Assert.True(draft.IsOk, draft.Message);
        var activated = await SendAsync(Co2, new ActivatePolicyVersion(draft.Value!.Id));
        Assert.True(activated.IsOk, activated.Message);
    }

    private string Csv(params string[] lines) => "user,time,address,system,id,result\n" + string.Join("\n", lines) + "\n";

    private string Line(string user, DateTimeOffset at, string address, string id, string result = "success") =>
        $"{user},{at.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'},{address},{SystemName},{id},{result}";

    private string SampleLog() => Csv(
        Line("alice@acme.example", At(3, 8), "114.114.114.114", "e-1"),
        Line("carol@acme.example", At(3, 9), "193.0.6.139", "e-2"),
        Line("carol@acme.example", At(3, 10), "114.114.114.114", "e-3", "failure"),
        Line("bruno@acme.example", At(2, 9), "8.8.8.8", "e-4"),
        Line("bruno@acme.example", At(2, 15), "8.8.8.8", "e-5"),
        Line("mallory@contractor.example", At(1, 11), "10.1.2.3", "e-6"),
        Line("ALICE@acme.example", At(1, 12), "192.0.2.7", "e-7"));

    private static ImportAccessLog Import(string content, string name = "signins.csv", bool dryRun = false, Guid? vendor = null) =>
        new(vendor ?? DemoSeeder.AcmeId, null, name, Encoding.UTF8.GetBytes(content), AccessLogFormat.PlainCsv, DryRun: dryRun);

    private async Task<GrantStatus> StatusAsync(Guid grant)
    {
        await using var db = await ContextAsync();
        return await db.Grants.Where(g => g.Id == grant).Select(g => g.Status).SingleAsync();
    }

    private async Task<List<Finding>> FindingsAsync(string ruleId)
    {
        await using var db = await ContextAsync();
        return await db.Findings.AsNoTracking().Where(f => f.RuleId == ruleId && f.Status == FindingStatus.Open).ToListAsync();
    }

    private static Dictionary<string, string> Facts(Finding finding) =>
        System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(finding.Facts)!;

    [Fact]
    public async Task ASignInFromChina_SuspendsTheGrantsOfAPersonAttestedInReston_AndTheFindingNamesTheLine()
    {
        await EnableEvidenceRulesAsync();
        var outcome = await SendAsync(AcmeRep, Import(SampleLog()));
        Assert.True(outcome.IsOk, outcome.Message);
        var report = outcome.Value!;
        Assert.Empty(report.Problems);
        Assert.True(report.Applied);
        Assert.Equal((7, 7, 0, 1, 6, 1, 2), (report.Entries, report.Added, report.AlreadyImported, report.Failed, report.Matched, report.Unmatched, report.UnknownLocation));
        Assert.Equal("mallory@contractor.example", Assert.Single(report.UnmatchedIdentities).Identity);
        Assert.Contains(report.Countries, c => c is { Country: "CN", Events: 2 });
        Assert.Contains(report.Countries, c => c is { Country: null, Unknown: LocationUnknown.Private });
        Assert.Contains(report.Countries, c => c is { Country: null, Unknown: LocationUnknown.Reserved });
        Assert.Contains(aliceGrant, report.Consequences.SuspendedGrants);

        Assert.Equal(GrantStatus.Suspended, await StatusAsync(aliceGrant));
        var covered = Assert.Single(await FindingsAsync(LocEvidenceCovered.RuleId));
        Assert.Equal(aliceGrant, covered.SubjectId);
        Assert.Equal(Severity.Block, covered.Severity);
        var facts = Facts(covered);
        Assert.Equal("CN", facts["evidenceCountries"]);
        Assert.Equal("1", facts["signIns"]);
        Assert.Contains("114.114.114.114", facts["latestSignIn"]);
        Assert.Contains("line 2 of signins.csv", facts["latestSignIn"]); // line 1 is the header
        Assert.Contains("geo-whois-asn-country", facts["latestSignIn"]); // the database and its version, on the outcome

        // Carol: one sign-in from the Netherlands (her failed one from China is not access): a warning, her grant stays active.
        Assert.Equal(GrantStatus.Active, await StatusAsync(carolGrant));
        var mismatch = Assert.Single(await FindingsAsync(LocEvidenceMismatch.RuleId), f => f.SubjectId == carolGrant);
        Assert.Equal("NL", Facts(mismatch)["evidenceCountries"]);

        // Bruno: his 15:00 access has no session record; the 09:00 one is covered.
        var session = Assert.Single(await FindingsAsync("ESCORT-SESSION-LOG"), f => f.SubjectId == brunoGrant);
        Assert.Equal("1", Facts(session)["accessWithoutSession"]);
        Assert.Equal(GrantStatus.Active, await StatusAsync(brunoGrant));

        // One audited import record carrying both hashes; the events are not rows of the trail.
        var recorded = await SingleEventAsync(e => e.SubjectType == "access-log-import");
        Assert.Equal(7300, recorded.EventType);
        Assert.Contains("entriesSha256", recorded.Changes);
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task TheSameFileAgain_AddsNothing_AndAnotherFileWithTheSameEvents_AddsOnlyTheNewOnes()
    {
        await EnableEvidenceRulesAsync();
        Assert.True((await SendAsync(AcmeRep, Import(SampleLog()))).IsOk);
        var again = (await SendAsync(AcmeRep, Import(SampleLog(), "copy.csv"))).Value!;
        Assert.NotNull(again.SameFile);
        Assert.Equal("signins.csv", again.SameFile.FileName);
        Assert.False(again.Applied);

        var more = SampleLog() + Line("carol@acme.example", At(1, 9), "8.8.8.8", "e-8") + "\n";
        var second = (await SendAsync(Co1, Import(more, "more.csv"))).Value!;
        Assert.Equal((8, 1, 7), (second.Entries, second.Added, second.AlreadyImported));
        await using var db = await ContextAsync();
        Assert.Equal(8, await db.AccessEvents.CountAsync());
        Assert.Single(await FindingsAsync(LocEvidenceCovered.RuleId)); // no second finding for the same grant
    }

    [Fact]
    public async Task ABadLine_WritesNothing_AndTheReportNamesEveryLine()
    {
        await EnableEvidenceRulesAsync();
        var log = Csv(
            Line("alice@acme.example", At(3, 8), "114.114.114.114", "e-1"),
            "carol@acme.example,yesterday,8.8.8.8,milCloud Public Portal,e-2,success",
            Line("carol@acme.example", At(3, 9), "8.8.8.8", "e-3").Replace(SystemName, "Unknown System"));
        var report = (await SendAsync(AcmeRep, Import(log))).Value!;
        Assert.False(report.Applied);
        Assert.Equal([3, 4], report.Problems.Select(p => p.Line).ToList());
        Assert.Contains("milCloud Public Portal", report.Problems.Single(p => p.Line == 4).Message); // says which systems to use
        await using var db = await ContextAsync();
        Assert.Equal(0, await db.AccessEvents.CountAsync());
        Assert.Equal(0, await db.AccessLogImports.CountAsync());
        Assert.Equal(GrantStatus.Active, await StatusAsync(aliceGrant));
    }

    [Fact]
    public async Task ADryRun_ReportsTheConsequences_AndWritesNothing()
    {
        await EnableEvidenceRulesAsync();
        var report = (await SendAsync(AcmeRep, Import(SampleLog(), dryRun: true))).Value!;
        Assert.True(report.DryRun);
        Assert.False(report.Applied);
        Assert.Equal(7, report.Added);
        Assert.Contains(aliceGrant, report.Consequences.SuspendedGrants);
        await using var db = await ContextAsync();
        Assert.Equal(0, await db.AccessEvents.CountAsync());
        Assert.Equal(GrantStatus.Active, await StatusAsync(aliceGrant));
    }

    [Fact]
    public async Task WithoutAPolicyThatEnablesThem_TheEvidenceRulesDoNothing()
    {
        var report = (await SendAsync(AcmeRep, Import(SampleLog()))).Value!;
        Assert.True(report.Applied);
        Assert.Empty(report.Consequences.SuspendedGrants);
        Assert.Equal(GrantStatus.Active, await StatusAsync(aliceGrant));
        Assert.Empty(await FindingsAsync(LocEvidenceCovered.RuleId));

        // Activating a version that enables them applies them to the evidence already imported.
        await EnableEvidenceRulesAsync();
        Assert.Equal(GrantStatus.Suspended, await StatusAsync(aliceGrant));
        Assert.Single(await FindingsAsync(LocEvidenceCovered.RuleId));
    }

    [Fact]
    public async Task AnotherVendorsRepresentative_GetsNotFound_AndAnAuditorCannotImport()
    {
        var globex = await SendAsync(GlobexRep, Import(SampleLog()));
        Assert.Equal(OutcomeKind.NotFound, globex.Kind);
        var auditor = await SendAsync(Auditor, Import(SampleLog()));
        Assert.False(auditor.IsOk);
        Assert.NotEqual(OutcomeKind.Ok, auditor.Kind);
        // Another vendor's person is not theirs to alias either.
        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(GlobexRep, new AddAccessIdentityAlias(alice, "alice"))).Kind);
        await using var db = await ContextAsync();
        Assert.Equal(0, await db.AccessEvents.CountAsync());
    }

    [Fact]
    public async Task AnSshdLog_NeedsItsYearAndZone_AndAnAliasResolvesItsUserName()
    {
        await EnableEvidenceRulesAsync();
        var day = At(3, 0);
        var line = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{day:MMM} {day.Day,2} 03:14:02 bastion sshd[4242]: Accepted publickey for alice from 114.114.114.114 port 52144 ssh2: ED25519 SHA256:abc\n");
        var expected = new DateTimeOffset(day.Year, day.Month, day.Day, 3, 14, 2, TimeSpan.Zero);
        var missing = await SendAsync(AcmeRep, new ImportAccessLog(DemoSeeder.AcmeId, Il2, "auth.log", Encoding.UTF8.GetBytes(line), AccessLogFormat.SshdAuthLog));
        Assert.Equal(OutcomeKind.Invalid, missing.Kind);
        Assert.Contains(nameof(ImportAccessLog.SshdYear), missing.Errors!.Keys);

        var report = (await SendAsync(AcmeRep, new ImportAccessLog(DemoSeeder.AcmeId, Il2, "auth.log", Encoding.UTF8.GetBytes(line), AccessLogFormat.SshdAuthLog,
            day.Year, "America/New_York"))).Value!;
        Assert.True(report.Applied, string.Join("; ", report.Problems.Select(p => p.Message)));
        Assert.Equal(1, report.Unmatched);
        Assert.Equal(GrantStatus.Active, await StatusAsync(aliceGrant)); // "alice" is nobody yet

        var alias = await SendAsync(AcmeRep, new AddAccessIdentityAlias(alice, "Alice"));
        Assert.True(alias.IsOk, alias.Message);
        Assert.Equal(1, alias.Value!.EventsMatched);
        Assert.Equal(GrantStatus.Suspended, await StatusAsync(aliceGrant));
        await using var db = await ContextAsync();
        var stored = await db.AccessEvents.SingleAsync();
        Assert.Equal(alice, stored.PersonId);
        var offset = TimeZoneInfo.FindSystemTimeZoneById("America/New_York").GetUtcOffset(expected.DateTime);
        Assert.Equal(expected.UtcDateTime - offset, stored.OccurredAt.UtcDateTime); // the server's local time, read in its zone
    }

    [Fact]
    public async Task AKnownEgressRange_TakesItsSignInsOutOfTheEvidence()
    {
        await EnableEvidenceRulesAsync();
        Assert.True((await SendAsync(AcmeRep, Import(SampleLog()))).IsOk);
        Assert.Equal(GrantStatus.Suspended, await StatusAsync(aliceGrant));
        var added = await SendAsync(Co1, new AddKnownEgressRange("114.114.114.0/24", "The vendor's cloud NAT (ticket 42)"));
        Assert.True(added.IsOk, added.Message);
        Assert.Empty(await FindingsAsync(LocEvidenceCovered.RuleId)); // closed: the sign-in no longer counts
    }

    [Fact]
    public async Task AppendOnly_TheDatabaseRefusesARewriteOfAnEvent()
    {
        Assert.True((await SendAsync(AcmeRep, Import(SampleLog()))).IsOk);
        await using var db = await ContextAsync();
        var error = await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync("UPDATE access_events SET country = 'US' WHERE country = 'CN'"));
        Assert.Contains("append-only", error.MessageText);
        await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM access_events"));
        // The owner too: the trigger refuses every change but matching an unmatched event's person.
        foreach (var sql in new[] { "UPDATE access_events SET country = 'US'", "DELETE FROM access_events", "TRUNCATE access_events",
                     "UPDATE access_events SET person_id = NULL WHERE person_id IS NOT NULL" })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => TestDatabase.ScalarAsync(Database.OwnerConnectionString, sql));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }
        Assert.Equal(7, await db.AccessEvents.CountAsync());
    }
}
