using System.Net;
using System.Text.Json.Nodes;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Features.Policy;
using ComplianceHub.Core.Features.Systems;
using ComplianceHub.Core.Rules;
using ComplianceHub.IntegrationTests.Api;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.PointInTime;

/// <summary>
/// "Who could touch S at any moment of day D, or at instant T", exact within the day (issue 17). On a new IL2 system, with
/// changes at known instants (UTC): day 1 08:00 Pat and Robin are granted access; day 2 09:00 policy version 2 is
/// activated; 10:00 the system becomes IL4; 11:00 an escort is assigned to Robin from that day; 14:00 Pat moves to Shanghai
/// and the gate suspends Pat's grant; 15:00 reactivating it is refused. Read by end-of-day status, Pat would not be listed on
/// day 2 at all. On a second system, Sam holds a 200-day grant from day 1 08:00 while the attestation made three days before
/// day 1 falls due (a warning from day 171, overdue from day 178): read over a run of days, the verdict changes on those days.
/// </summary>
public sealed class ExactPointInTimeTests() : ApiTestBase("exactday")
{
    private DateOnly day1;
    private DateOnly day2;
    private Guid system;
    private Guid pat;
    private Guid robin;
    private Guid escort;
    private Guid patGrant;
    private Guid robinGrant;
    private Guid assignment;
    private Guid longSystem;
    private Guid sam;
    private Guid samGrant;

    private DateTimeOffset At(DateOnly day, int hour) => new(day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero);

    private void AdvanceTo(DateTimeOffset instant) => Clock.Advance(instant - Clock.GetUtcNow());

    protected override async Task ArrangePeopleAsync()
    {
        day1 = Today.AddDays(1);
        day2 = day1.AddDays(1);
        pat = await AddPersonAsync("US", name: "Pat Exact");
        robin = await AddPersonAsync("US", name: "Robin Exact");
        escort = await AddPersonAsync("US", qualification: EscortQualification.Engineer, name: "Eli Escort");
        sam = await AddPersonAsync("US", name: "Sam Long");
        var created = await SendAsync(Co1, new CreateSystem("Exact day system", "AWS GovCloud", "Default", ImpactLevel.IL2));
        Assert.True(created.IsOk, created.Message);
        system = created.Value!.Id;
        var other = await SendAsync(Co1, new CreateSystem("Long grant system", "AWS GovCloud", "Default", ImpactLevel.IL2));
        Assert.True(other.IsOk, other.Message);
        longSystem = other.Value!.Id;

        AdvanceTo(At(day1, 8));
        patGrant = await GrantAsync(pat);
        robinGrant = await GrantAsync(robin);
        var longGrant = await SendAsync(Co1, new RequestGrant(sam, longSystem, AccessType.NonPrivileged, false, day1, day1.AddDays(199), "Operations"));
        Assert.True(longGrant.IsOk, longGrant.Message);
        Assert.Equal(GrantStatus.Active, longGrant.Value!.Status);
        samGrant = longGrant.Value.Id;

        AdvanceTo(At(day2, 9));
        var stricter = PolicyDefaults.Baseline2026 with
        {
            Rules = new Dictionary<string, RuleSetting>(PolicyDefaults.Baseline2026.Rules) { ["CIT-CONCERN"] = new(true, Severity.Block) },
        };
        var draft = await SendAsync(Co1, new DraftPolicyVersion("CIT-CONCERN blocks", stricter));
        Assert.True(draft.IsOk, draft.Message);
        var activated = await SendAsync(Co2, new ActivatePolicyVersion(draft.Value!.Id));
        Assert.True(activated.IsOk, activated.Message);

        AdvanceTo(At(day2, 10));
        var updated = await SendAsync(Co1, new UpdateSystem(system, created.Value.Version, "Exact day system", "AWS GovCloud", "Default", ImpactLevel.IL4));
        Assert.True(updated.IsOk, updated.Message);
        Assert.Empty(updated.Value!.Consequences.SuspendedGrants);

        AdvanceTo(At(day2, 11));
        var assigned = await SendAsync(Co1, new AssignEscort(escort, robin, system, day2, day2.AddDays(10)));
        Assert.True(assigned.IsOk, assigned.Message);
        assignment = assigned.Value!.Id;

        AdvanceTo(At(day2, 14));
        var moved = await SendAsync(Co1, new ChangePersonFacts(pat, "CN", "Shanghai"));
        Assert.True(moved.IsOk, moved.Message);
        Assert.Equal([patGrant], moved.Value!.Consequences.SuspendedGrants);

        // 15:00 an officer tries to reactivate Pat's grant: refused (Pat works in China). The refusal is in the trail with the
        // status it asked for; it must not read as access held.
        AdvanceTo(At(day2, 15));
        var reactivation = await SendAsync(Co1, new DecideGrant(patGrant, GrantDecision.Reactivate, "Back at work"));
        Assert.Equal(OutcomeKind.Refused, reactivation.Kind);
        AdvanceTo(At(day2.AddDays(1), 12));
    }

    private async Task<Guid> GrantAsync(Guid person)
    {
        var requested = await SendAsync(Co1, new RequestGrant(person, system, AccessType.NonPrivileged, false, day1, day1.AddDays(60), "Operations"));
        Assert.True(requested.IsOk, requested.Message);
        Assert.Equal(GrantStatus.Active, requested.Value!.Status);
        return requested.Value.Id;
    }

    private async Task<SystemAccessOnDay> OnAsync(DateOnly day, Actor? actor = null)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<SystemAccessQuery>().OnDayAsync(actor ?? Auditor, system, day))!;
    }

    private async Task<SystemAccessOnDay> AtAsync(DateTimeOffset at)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<SystemAccessQuery>().AtAsync(Auditor, system, at))!;
    }

    [Fact]
    public async Task ThePersonMovedToChinaAt14_IsListedOnThatDay_UntilTheSuspension_FailingUnderEachVersion()
    {
        var holder = Assert.Single((await OnAsync(day2)).Holders, h => h.PersonId == pat);
        Assert.Equal(patGrant, holder.GrantId);
        Assert.Equal("CN", holder.FactsThatDay["workCountry"]!.Value.GetString());
        var intervals = holder.Intervals!;
        Assert.Equal(
            [(At(day2, 0), At(day2, 9), (int?)1, ImpactLevel.IL2), (At(day2, 9), At(day2, 10), 2, ImpactLevel.IL2), (At(day2, 10), At(day2, 14), 2, ImpactLevel.IL4)],
            intervals.Select(i => (i.From, i.To, i.PolicyVersion, i.ImpactLevel)).ToArray());
        Assert.All(intervals, i => Assert.Contains(i.Verdict!.Failing, f => f.RuleId == "LOC-COVERED"));
        Assert.Equal(1, holder.Verdict!.PolicyVersion); // the first interval that failed
        Assert.False(holder.Verdict.Passed);

        // At an instant: held at 13:00 (under version 2, on IL4), gone at 15:00 and the day after.
        var before = Assert.Single((await AtAsync(At(day2, 13))).Holders, h => h.PersonId == pat);
        var only = Assert.Single(before.Intervals!);
        Assert.Equal((2, ImpactLevel.IL4), (only.PolicyVersion, only.ImpactLevel));
        Assert.DoesNotContain((await AtAsync(At(day2, 15))).Holders, h => h.PersonId == pat);
        Assert.DoesNotContain((await OnAsync(day2.AddDays(1))).Holders, h => h.PersonId == pat);

        // Day 1: from the grant's instant to the end of the day, in the US, passing version 1.
        var first = Assert.Single((await OnAsync(day1)).Holders, h => h.PersonId == pat);
        var held = Assert.Single(first.Intervals!);
        Assert.Equal((At(day1, 8), At(day2, 0), (int?)1), (held.From, held.To, held.PolicyVersion));
        Assert.True(held.Verdict!.Passed);
        Assert.Equal("US", first.FactsThatDay["workCountry"]!.Value.GetString());
        Assert.Empty((await AtAsync(At(day1, 7))).Holders);
    }

    private async Task<SystemAccessOnDay> OverAsync(Guid on, DateOnly first, DateOnly last)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<SystemAccessQuery>().OverDaysAsync(Auditor, on, first, last))!;
    }

    private static string? Country(AccessInterval interval) => interval.Facts!["workCountry"]!.Value.GetString();

    [Fact]
    public async Task OverARunOfDays_EachIntervalCarriesItsFacts_CutWhereTheyTakeEffect()
    {
        var run = await OverAsync(system, day1, day2);
        Assert.Equal((At(day1, 0), At(day2.AddDays(1), 0), (DateTimeOffset?)null), (run.From, run.To, run.At));
        Assert.Equal([(1, At(day1, 0), At(day2, 9)), (2, At(day2, 9), At(day2.AddDays(1), 0))], run.Policies.Select(p => (p.Number, p.From, p.To)).ToArray());

        // Pat: in the US and passing on day 1; from day 2 (the move's effective day) in China and failing, until the suspension.
        var patRun = Assert.Single(run.Holders, h => h.PersonId == pat);
        Assert.Equal(
            [(At(day1, 8), At(day2, 0), (int?)1, ImpactLevel.IL2, "US", true), (At(day2, 0), At(day2, 9), 1, ImpactLevel.IL2, "CN", false),
             (At(day2, 9), At(day2, 10), 2, ImpactLevel.IL2, "CN", false), (At(day2, 10), At(day2, 14), 2, ImpactLevel.IL4, "CN", false)],
            patRun.Intervals!.Select(i => (i.From, i.To, i.PolicyVersion, i.ImpactLevel, Country(i), i.Verdict!.Passed)).ToArray());
        Assert.Equal("CN", patRun.FactsThatDay["workCountry"]!.Value.GetString()); // as in its last interval
        Assert.False(patRun.Verdict!.Passed);

        // Robin: nothing changed at midnight, so day 1 and day 2 until the activation are one interval.
        var robinRun = Assert.Single(run.Holders, h => h.PersonId == robin);
        Assert.Equal(
            [(At(day1, 8), At(day2, 9), 0), (At(day2, 9), At(day2, 10), 0), (At(day2, 10), At(day2, 11), 0), (At(day2, 11), At(day2.AddDays(1), 0), 1)],
            robinRun.Intervals!.Select(i => (i.From, i.To, i.EscortAssignmentIds.Count)).ToArray());
        Assert.All(robinRun.Intervals!, i => Assert.Equal(("US", true), (Country(i), i.Verdict!.Passed)));

        // One day read as a run of one is the day itself: no facts on the intervals, the holder's facts of the day instead.
        var oneDay = await OverAsync(system, day2, day2);
        Assert.Equal((await OnAsync(day2)).Holders.Select(h => (h.GrantId, h.Intervals!.Count)), oneDay.Holders.Select(h => (h.GrantId, h.Intervals!.Count)));
        Assert.All(oneDay.Holders.SelectMany(h => h.Intervals!), i => Assert.Null(i.Facts));
    }

    [Fact]
    public async Task OverARunOfDays_AnAttestationFallingDue_ChangesTheVerdictOnTheExactDays()
    {
        // Attested three days before the arrangement's day (day 1 - 1) with a 180-day interval and a 7-day warning: due on day 1 + 176.
        var (warnFrom, overdueFrom, end) = (AccessWindow.StartOf(day1.AddDays(170)), AccessWindow.StartOf(day1.AddDays(177)), AccessWindow.StartOf(day1.AddDays(200)));
        var run = await OverAsync(longSystem, day1, day1.AddDays(199));
        var holder = Assert.Single(run.Holders);
        Assert.Equal((samGrant, sam), (holder.GrantId, holder.PersonId));
        static string Rules(IEnumerable<VerdictOutcome> outcomes) => string.Join(",", outcomes.Select(o => o.RuleId));
        Assert.Equal(
            [(At(day1, 8), At(day2, 9), (int?)1, "", ""), (At(day2, 9), warnFrom, 2, "", ""), (warnFrom, overdueFrom, 2, "", "ATTEST-FRESH"),
             (overdueFrom, end, 2, "ATTEST-FRESH", "")],
            holder.Intervals!.Select(i => (i.From, i.To, i.PolicyVersion, Rules(i.Verdict!.Failing), Rules(i.Verdict.Warnings))).ToArray());
        Assert.False(holder.Verdict!.Passed);
        Assert.Equal("ATTEST-FRESH", holder.Verdict.Failing.Single().RuleId);

        // Any day inside agrees with the run (the day before the warning, the first warned, the first overdue).
        foreach (var (day, failing, warned) in new[] { (day1.AddDays(169), "", ""), (day1.AddDays(170), "", "ATTEST-FRESH"), (day1.AddDays(177), "ATTEST-FRESH", "") })
        {
            var verdict = Assert.Single((await OverAsync(longSystem, day, day)).Holders).Verdict!;
            Assert.Equal((failing, warned), (Rules(verdict.Failing), Rules(verdict.Warnings)));
        }
    }

    [Fact]
    public async Task TheEvidencePackage_HoldsTheRangesAccess_FromTheSameReconstruction()
    {
        using var auditor = await AsAsync(AuditorEmail);
        var response = await auditor.GetAsync($"/api/v1/exports/evidence?from={day1:yyyy-MM-dd}&to={day2:yyyy-MM-dd}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var zip = await response.Content.ReadAsByteArrayAsync();
        var verified = ComplianceHub.Tests.Shared.EvidenceZip.Verify(zip);
        Assert.True(verified.Valid, string.Join("\n", verified.Problems));

        var lines = ComplianceHub.Tests.Shared.EvidenceZip.Text(zip, Core.Features.Evidence.EvidencePackage.Access).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!).ToList();
        var patLine = Assert.Single(lines, l => l["grantId"]!.GetValue<Guid>() == patGrant);
        Assert.Equal(("Exact day system", "Pat Exact", "NonPrivileged"),
            (patLine["systemName"]!.GetValue<string>(), patLine["personName"]!.GetValue<string>(), patLine["accessType"]!.GetValue<string>()));
        var expected = (await OverAsync(system, day1, day2)).Holders.Single(h => h.GrantId == patGrant).Intervals!;
        Assert.Equal(
            expected.Select(i => (Core.Features.Evidence.EvidencePackage.Instant(i.From), Core.Features.Evidence.EvidencePackage.Instant(i.To), i.PolicyVersion, i.ImpactLevel.ToString(),
                Country(i), (bool?)i.Verdict!.Passed)).ToArray(),
            patLine["intervals"]!.AsArray().Select(i => (i!["from"]!.GetValue<string>(), i["to"]!.GetValue<string>(), i["policyVersion"]!.GetValue<int?>(),
                i["impactLevel"]!.GetValue<string>(), (string?)i["facts"]!["workCountry"], i["passed"]!.GetValue<bool?>())).ToArray());
        Assert.Contains(patLine["intervals"]![1]!["failing"]!.AsArray(), f => f!["ruleId"]!.GetValue<string>() == "LOC-COVERED");

        var robinLine = Assert.Single(lines, l => l["grantId"]!.GetValue<Guid>() == robinGrant);
        Assert.Equal(assignment, robinLine["escorts"]![0]!["assignmentId"]!.GetValue<Guid>());
        Assert.Equal(assignment, robinLine["intervals"]![3]!["escortAssignmentIds"]![0]!.GetValue<Guid>());
        // Sam's grant on the other system is listed too (the range holds every system).
        Assert.Single(lines, l => l["grantId"]!.GetValue<Guid>() == samGrant);
    }

    [Fact]
    public async Task TheDay_NamesEveryPolicyVersionAndImpactLevel_AndTheEscortFromTheInstantOfAssignment()
    {
        var day = await OnAsync(day2);
        Assert.Equal([(1, At(day2, 0), At(day2, 9)), (2, At(day2, 9), At(day2.AddDays(1), 0))],
            day.Policies.Select(p => (p.Number, p.From, p.To)).ToArray());
        Assert.Equal((2, "CIT-CONCERN blocks"), (day.PolicyVersion, day.PolicyName)); // the version in force at the end of the day
        Assert.Equal([(ImpactLevel.IL2, At(day2, 0), At(day2, 10)), (ImpactLevel.IL4, At(day2, 10), At(day2.AddDays(1), 0))],
            day.ImpactLevels.Select(l => (l.ImpactLevel, l.From, l.To)).ToArray());

        var holder = Assert.Single(day.Holders, h => h.PersonId == robin);
        Assert.Equal(robinGrant, holder.GrantId);
        Assert.Equal(
            [(At(day2, 0), At(day2, 9), 0), (At(day2, 9), At(day2, 10), 0), (At(day2, 10), At(day2, 11), 0), (At(day2, 11), At(day2.AddDays(1), 0), 1)],
            holder.Intervals!.Select(i => (i.From, i.To, i.EscortAssignmentIds.Count)).ToArray());
        Assert.Equal(assignment, holder.Intervals![^1].EscortAssignmentIds.Single());
        Assert.Equal((escort, "Eli Escort"), (holder.Escorts.Single().EscortId, holder.Escorts.Single().FullName));
        Assert.All(holder.Intervals!, i => Assert.True(i.Verdict!.Passed));
        Assert.True(holder.Verdict!.Passed);
        Assert.Equal(["Pat Exact", "Robin Exact"], day.Holders.Select(h => h.FullName).ToArray()); // in name order

        // An officer of another office (NAVWAR holds Globex's contract, not Acme's) sees none of these holders.
        var navwar = await Portal.Services.GetRequiredService<OfficeScopes>()
            .ResolveAsync(new Actor(Guid.NewGuid(), "Drew Officer", Roles.ContractingOfficer, null, null) { OfficeId = DemoSeeder.NavwarId });
        Assert.Empty((await OnAsync(day2, navwar)).Holders);
    }

    [Fact]
    public async Task TheApi_AnswersForAnInstant_StreamsTheDay_AndExportsItAsCsv_Audited()
    {
        using var auditor = await AsAsync(AuditorEmail);
        async Task<JsonNode> GetAsync(string query) => JsonNode.Parse(await auditor.GetStringAsync($"/api/v1/systems/{system}/access?{query}"))!;

        var at13 = await GetAsync($"at={At(day2, 13):yyyy-MM-dd'T'HH:mm:ss'Z'}");
        Assert.Contains(at13["holders"]!.AsArray(), h => h!["personId"]!.GetValue<Guid>() == pat);
        Assert.Equal(At(day2, 13), at13["at"]!.GetValue<DateTimeOffset>());
        // The same instant with an offset (15:00 at UTC+2 is 13:00 UTC), and without one (read as UTC).
        var atOffset = await GetAsync($"at={Uri.EscapeDataString(At(day2, 13).ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:sszzz"))}");
        Assert.Equal(At(day2, 13), atOffset["at"]!.GetValue<DateTimeOffset>());
        Assert.Contains(atOffset["holders"]!.AsArray(), h => h!["personId"]!.GetValue<Guid>() == pat);
        Assert.Equal(At(day2, 13), (await GetAsync($"at={At(day2, 13):yyyy-MM-dd'T'HH:mm:ss}"))["at"]!.GetValue<DateTimeOffset>());
        var at15 = await GetAsync($"at={At(day2, 15):yyyy-MM-dd'T'HH:mm:ss'Z'}");
        Assert.DoesNotContain(at15["holders"]!.AsArray(), h => h!["personId"]!.GetValue<Guid>() == pat);

        var day = await GetAsync($"asOf={day2:yyyy-MM-dd}");
        Assert.Equal(2, day["policies"]!.AsArray().Count);
        var patThen = Assert.Single(day["holders"]!.AsArray(), h => h!["personId"]!.GetValue<Guid>() == pat)!;
        Assert.Equal(3, patThen["intervals"]!.AsArray().Count);
        Assert.Equal("IL4", patThen["intervals"]![2]!["impactLevel"]!.GetValue<string>());

        var both = await auditor.GetAsync($"/api/v1/systems/{system}/access?asOf={day2:yyyy-MM-dd}&at={At(day2, 13):yyyy-MM-dd'T'HH:mm:ss'Z'}");
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        Assert.Contains("either asOf", await both.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var export = await auditor.GetAsync($"/api/v1/systems/{system}/access/export?asOf={day2:yyyy-MM-dd}");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal($"access-exact-day-system-{day2:yyyy-MM-dd}.csv", export.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        var lines = (await export.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("\"System\",\"Span\",\"Person\",\"Vendor\",\"Access\"", lines[0], StringComparison.Ordinal);
        Assert.Equal(1 + 3 + 4, lines.Length); // Pat's three intervals, Robin's four
        Assert.Contains(lines, l => l.Contains("Pat Exact", StringComparison.Ordinal) && l.Contains("Shanghai, CN", StringComparison.Ordinal)
                                    && l.Contains($"\"{day2:yyyy-MM-dd} 10:00:00\",\"{day2:yyyy-MM-dd} 14:00:00\"", StringComparison.Ordinal) && l.Contains("LOC-COVERED", StringComparison.Ordinal));
        var recorded = await SingleEventAsync(e => e.EventType == AuditEventTypes.Export && e.SubjectType == "export");
        Assert.Contains("\"rows\"", recorded.Changes, StringComparison.Ordinal);
        Assert.Contains("Exact day system", recorded.Changes, StringComparison.Ordinal);

        using var acme = await AsAsync(AcmeEmail);
        Assert.Equal(HttpStatusCode.Forbidden, (await acme.GetAsync($"/api/v1/systems/{system}/access/export?asOf={day2:yyyy-MM-dd}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await auditor.GetAsync($"/api/v1/systems/{Guid.NewGuid()}/access/export")).StatusCode);

        // The NAVWAR office's officer (it holds Globex's contract, not Acme's): the same system, none of Acme's holders, in the
        // answer or in the file.
        using var navwar = await AsAsync("co3@demo.local");
        var theirs = JsonNode.Parse(await navwar.GetStringAsync($"/api/v1/systems/{system}/access?asOf={day2:yyyy-MM-dd}"))!;
        Assert.Empty(theirs["holders"]!.AsArray());
        var theirFile = await navwar.GetAsync($"/api/v1/systems/{system}/access/export?asOf={day2:yyyy-MM-dd}");
        Assert.Equal(HttpStatusCode.OK, theirFile.StatusCode);
        var theirLines = (await theirFile.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lines[0], Assert.Single(theirLines)); // the header only
    }
}
