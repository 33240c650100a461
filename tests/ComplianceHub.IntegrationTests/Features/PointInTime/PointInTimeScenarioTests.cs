using ComplianceHub.Core.Domain.Findings;
using System.Text.Json;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Features.Policy;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.IntegrationTests.Features.PointInTime;

/// <summary>
/// A person's access to IL2 with changes on known days, read back day by day. Day 0 is the start of the test:
/// day 1 the grant (US citizen, working in the US); days 5–20 an escort assignment; day 10 the work location moves to
/// Berlin; day 12 policy version 2 (CIT-CONCERN blocks) is activated; day 15 a second citizenship (VE) is recorded,
/// effective day 11 — the gate suspends the grant that day. Days 11 and 13–14 are the auditor's point: the grant was
/// active, and with the facts as now known it would have passed version 1 (with a warning) but not version 2.
/// </summary>
public sealed class PointInTimeScenarioTests() : CommandPortalTest("pointintime")
{
    private DateOnly day0;
    private Guid person;
    private Guid escort;
    private Guid grant;
    private Guid assignment;

    private DateOnly Day(int n) => day0.AddDays(n);

    protected override async Task ArrangePeopleAsync()
    {
        day0 = Today;
        person = await AddPersonAsync("US");
        escort = await AddPersonAsync("US", qualification: EscortQualification.Engineer);

        Clock.Advance(TimeSpan.FromDays(1));
        var requested = await SendAsync(Co1, new RequestGrant(person, Il2, AccessType.NonPrivileged, false, Day(1), Day(60), "Monitoring"));
        Assert.True(requested.IsOk, requested.Message);
        Assert.Equal(GrantStatus.Active, requested.Value!.Status);
        grant = requested.Value.Id;

        Clock.Advance(TimeSpan.FromDays(4));
        var assigned = await SendAsync(Co1, new AssignEscort(escort, person, Il2, Day(5), Day(20)));
        Assert.True(assigned.IsOk, assigned.Message);
        assignment = assigned.Value!.Id;

        Clock.Advance(TimeSpan.FromDays(5));
        Assert.True((await SendAsync(Co1, new ChangePersonFacts(person, "DE", "Berlin"))).IsOk); // IL2 allows Germany

        Clock.Advance(TimeSpan.FromDays(2));
        var stricter = PolicyDefaults.Baseline2026 with
        {
            Rules = new Dictionary<string, RuleSetting>(PolicyDefaults.Baseline2026.Rules) { ["CIT-CONCERN"] = new(true, Severity.Block) },
        };
        var draft = await SendAsync(Co1, new DraftPolicyVersion("CIT-CONCERN blocks", stricter));
        Assert.True(draft.IsOk, draft.Message);
        var activated = await SendAsync(Co2, new ActivatePolicyVersion(draft.Value!.Id));
        Assert.True(activated.IsOk, activated.Message);
        Assert.Empty(activated.Value!.Consequences.SuspendedGrants); // a US citizen only: nothing to suspend

        Clock.Advance(TimeSpan.FromDays(3));
        var dual = await SendAsync(Co1, new ChangePersonFacts(person, Citizenships: ["US", "VE"], EffectiveOn: Day(11)));
        Assert.True(dual.IsOk, dual.Message);
        Assert.Equal([grant], dual.Value!.Consequences.SuspendedGrants);
    }

    private async Task<SystemAccessOnDay> OnAsync(DateOnly day)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<SystemAccessQuery>().OnDayAsync(Auditor, Il2, day))!;
    }

    private async Task<AccessHolder?> HolderAsync(DateOnly day) => (await OnAsync(day)).Holders.SingleOrDefault(h => h.PersonId == person);

    private static string Text(AccessHolder holder, string fact) => holder.FactsThatDay[fact]!.Value.ValueKind == JsonValueKind.Array
        ? string.Join(",", holder.FactsThatDay[fact]!.Value.EnumerateArray().Select(e => e.GetString()))
        : holder.FactsThatDay[fact]!.Value.GetString()!;

    [Fact]
    public async Task BeforeTheGrant_NobodyFromTheScenarioHeldAccess()
    {
        Assert.Null(await HolderAsync(Day(0)));
        Assert.Equal(1, (await OnAsync(Day(0))).PolicyVersion);
    }

    [Fact]
    public async Task Day3_TheGrantAlone_UnderVersion1_Passes()
    {
        var holder = await HolderAsync(Day(3));
        Assert.NotNull(holder);
        Assert.Equal(grant, holder.GrantId);
        Assert.Equal("US", Text(holder, "workCountry"));
        Assert.Equal("US", Text(holder, "citizenships"));
        Assert.Equal("T5", Text(holder, "investigationTier"));
        Assert.Empty(holder.Escorts);
        Assert.Equal(1, (await OnAsync(Day(3))).PolicyVersion);
        Assert.True(holder.Verdict!.Passed);
        Assert.Equal(1, holder.Verdict.PolicyVersion);
        Assert.Empty(holder.Verdict.Failing);
    }

    [Fact]
    public async Task Day7_TheEscortCoversThem_StillInTheUs()
    {
        var holder = await HolderAsync(Day(7));
        Assert.NotNull(holder);
        var covering = Assert.Single(holder.Escorts);
        Assert.Equal((assignment, escort, Day(5), Day(20)), (covering.AssignmentId, covering.EscortId, covering.StartsOn, covering.EndsOn));
        Assert.Equal("US", Text(holder, "workCountry"));
        Assert.True(holder.Verdict!.Passed);
    }

    [Fact]
    public async Task Day10_TheyWorkFromBerlin_AndStillPassVersion1()
    {
        var holder = await HolderAsync(Day(10));
        Assert.NotNull(holder);
        Assert.Equal("DE", Text(holder, "workCountry"));
        Assert.Equal("Berlin", Text(holder, "workCity"));
        Assert.Equal("US", Text(holder, "citizenships"));
        Assert.Single(holder.Escorts);
        Assert.True(holder.Verdict!.Passed);
    }

    [Fact]
    public async Task Day11_TheBackdatedSecondCitizenship_OnlyWarnsUnderVersion1()
    {
        var holder = await HolderAsync(Day(11));
        Assert.NotNull(holder);
        Assert.Equal("US,VE", Text(holder, "citizenships"));
        Assert.Equal(1, (await OnAsync(Day(11))).PolicyVersion);
        Assert.True(holder.Verdict!.Passed);
        Assert.Equal("CIT-CONCERN", Assert.Single(holder.Verdict.Warnings).RuleId);
    }

    [Fact]
    public async Task Day13_TheGrantWasStillActive_ButWouldHaveFailedVersion2()
    {
        var day = await OnAsync(Day(13));
        Assert.Equal(2, day.PolicyVersion);
        Assert.Equal("CIT-CONCERN blocks", day.PolicyName);
        var holder = Assert.Single(day.Holders, h => h.PersonId == person);
        Assert.Equal("DE", Text(holder, "workCountry"));
        Assert.Equal("US,VE", Text(holder, "citizenships"));
        Assert.Single(holder.Escorts);
        Assert.False(holder.Verdict!.Passed);
        Assert.Equal(2, holder.Verdict.PolicyVersion);
        var failing = Assert.Single(holder.Verdict.Failing);
        Assert.Equal(("CIT-CONCERN", Severity.Block), (failing.RuleId, failing.Severity));
        Assert.Contains("VE", failing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnDay15_TheGrantIsHeldUntilTheSuspension_AndNotAfter()
    {
        // Suspended on day 15 at the scenario's time of day: held from midnight until that instant, not listed from day 16.
        DateTimeOffset suspendedAt;
        await using (var db = await ContextAsync())
        {
            var events = await db.AuditEvents.AsNoTracking().Where(e => e.SubjectType == "grant" && e.SubjectId == grant.ToString()).ToListAsync();
            suspendedAt = events.Single(e => e.Changes.Contains("\"after\": \"Suspended\"", StringComparison.Ordinal)
                                             || e.Changes.Contains("\"after\":\"Suspended\"", StringComparison.Ordinal)).OccurredAt;
        }
        Assert.Equal(Day(15), DateOnly.FromDateTime(suspendedAt.UtcDateTime));
        var holder = await HolderAsync(Day(15));
        Assert.NotNull(holder);
        var held = Assert.Single(holder.Intervals!);
        Assert.Equal((AccessWindow.StartOf(Day(15)), suspendedAt), (held.From, held.To));
        Assert.False(held.Verdict!.Passed); // version 2 blocks the second citizenship recorded for that day
        Assert.Null(await HolderAsync(Day(16)));
        Assert.Null(await HolderAsync(Day(18)));
        Assert.NotNull(await HolderAsync(Day(14)));
    }

    [Fact]
    public async Task ThePersonsTimeline_HasTheScenarioInOrder()
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        var timeline = (await scope.ServiceProvider.GetRequiredService<PersonTimelineQuery>().TimelineAsync(Auditor, person))!;

        int IndexOf(TimelineKind kind, string what, DateOnly on) =>
            timeline.Select((e, i) => (e, i)).Single(x => x.e.Kind == kind && x.e.What == what && x.e.On == on).i;
        var order = new[]
        {
            IndexOf(TimelineKind.Grant, "Grant requested and active", Day(1)),
            IndexOf(TimelineKind.Escort, "Escort assignment starts", Day(5)),
            IndexOf(TimelineKind.Fact, "Work country", Day(10)),
            IndexOf(TimelineKind.Fact, "Citizenships", Day(11)),
            IndexOf(TimelineKind.Grant, "Grant suspended", Day(15)),
            IndexOf(TimelineKind.Escort, "Escort assignment ends", Day(20)),
        };
        Assert.Equal(order.Order().ToArray(), order);
        Assert.Equal(timeline.OrderBy(e => e.On).Select(e => e.On).ToArray(), timeline.Select(e => e.On).ToArray());

        var move = timeline.Single(e => e.Kind == TimelineKind.Fact && e.What == "Work country" && e.On == Day(10));
        Assert.Equal("Germany (DE)", move.Detail);
        Assert.Equal("United States (US), Venezuela (VE)", timeline.Single(e => e.What == "Citizenships" && e.On == Day(11)).Detail);
        var suspended = timeline.Single(e => e.What == "Grant suspended");
        Assert.Equal(grant, suspended.RelatedId);
        Assert.Contains("CIT-CONCERN", suspended.Detail, StringComparison.Ordinal);
        Assert.NotNull(suspended.AuditSequence);
        Assert.Contains("Escorted by", timeline.Single(e => e.What == "Escort assignment starts").Detail, StringComparison.Ordinal);

        var escortsOnly = (await scope.ServiceProvider.GetRequiredService<PersonTimelineQuery>()
            .TimelineAsync(Auditor, person, new HashSet<TimelineKind> { TimelineKind.Escort }))!;
        Assert.Equal(2, escortsOnly.Count);
        Assert.All(escortsOnly, e => Assert.Equal(TimelineKind.Escort, e.Kind));

        var escortsTimeline = (await scope.ServiceProvider.GetRequiredService<PersonTimelineQuery>()
            .TimelineAsync(Auditor, escort, new HashSet<TimelineKind> { TimelineKind.Escort }))!;
        Assert.Equal(["Escort duty starts", "Escort duty ends"], escortsTimeline.Select(e => e.What).ToArray());
    }

    [Fact]
    public async Task TheTimeline_IsVendorScoped()
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        var query = scope.ServiceProvider.GetRequiredService<PersonTimelineQuery>();
        Assert.Null(await query.TimelineAsync(GlobexRep, person));
        var own = await query.TimelineAsync(AcmeRep, person);
        Assert.NotNull(own);
        Assert.Contains(own, e => e.What == "Grant suspended");
        Assert.All(own, e => Assert.Null(e.AuditSequence)); // representatives do not read the audit trail
    }
}
