using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Features.Retention;
using ComplianceHub.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Features.Retention;

/// <summary>
/// The retention job's disposal of sign-in sessions (ADR 0046): through the command pipeline as the scheduler, it deletes only
/// the sessions that ended (or expired unended) before the retention period, each deletion an audit event of the chain, at most
/// a run's limit at a time, once per interval across instances; open sessions and recent ones stay; a period under a day is
/// refused with a plain message and deletes nothing.
/// </summary>
public sealed class SessionRetentionTests() : CommandPortalTest("retention")
{
    private static readonly TimeSpan Year = TimeSpan.FromDays(365);

    protected override Task ArrangePeopleAsync() => Task.CompletedTask;

    /// <summary>Inserts a session of co1 that began <paramref name="began"/> ago and ended/expired as given (relative to now).</summary>
    private async Task<Guid> SessionAsync(TimeSpan began, TimeSpan expiresIn, TimeSpan? endedAgo)
    {
        var id = Guid.CreateVersion7();
        var now = Clock.GetUtcNow();
        var (co1, _) = await DemoOfficersAsync();
        static string At(DateTimeOffset t) => $"'{t.UtcDateTime:yyyy-MM-dd HH:mm:ss}+00'";
        await TestDatabase.ScalarAsync(Database.AppConnectionString,
            "INSERT INTO user_sessions (id, user_id, method, created_at, expires_at, client_address, user_agent, ended_at, end_reason) VALUES " +
            $"('{id}', '{co1.UserId}', 'password', {At(now - began)}, {At(now + expiresIn)}, '203.0.113.7', 'Firefox', " +
            $"{(endedAgo is { } e ? At(now - e) : "NULL")}, {(endedAgo is null ? "NULL" : "'signed-out'")})");
        return id;
    }

    private async Task<HashSet<Guid>> SessionsLeftAsync(IEnumerable<Guid> ids)
    {
        await using var db = await ContextAsync();
        var wanted = ids.ToList();
        return (await db.UserSessions.AsNoTracking().Where(s => wanted.Contains(s.Id)).Select(s => s.Id).ToListAsync()).ToHashSet();
    }

    [Fact]
    public async Task OnlySessionsEndedBeforeThePeriod_AreDeleted_EachAnAuditEvent_AndTheChainVerifies()
    {
        var endedLongAgo = await SessionAsync(began: Year * 2, expiresIn: -Year * 2 + TimeSpan.FromHours(8), endedAgo: Year * 2 - TimeSpan.FromHours(1));
        var expiredLongAgo = await SessionAsync(began: Year + TimeSpan.FromDays(40), expiresIn: -(Year + TimeSpan.FromDays(30)), endedAgo: null);
        var endedRecently = await SessionAsync(began: TimeSpan.FromDays(40), expiresIn: -TimeSpan.FromDays(30), endedAgo: TimeSpan.FromDays(39));
        // Began long ago but ended only last month: kept a year from its end, not its start.
        var longButRecentEnd = await SessionAsync(began: Year * 2, expiresIn: TimeSpan.FromDays(1), endedAgo: TimeSpan.FromDays(30));
        var open = await SessionAsync(began: TimeSpan.FromHours(2), expiresIn: TimeSpan.FromHours(6), endedAgo: null);

        var outcome = await SendAsync(Actor.Scheduler, new DisposeEndedSessions(Year));

        Assert.True(outcome.IsOk, outcome.Message);
        Assert.Equal((2, false), (outcome.Value!.Deleted, outcome.Value.More));
        var left = await SessionsLeftAsync([endedLongAgo, expiredLongAgo, endedRecently, longButRecentEnd, open]);
        Assert.Equal(new[] { endedRecently, longButRecentEnd, open }.Order(), left.Order());
        await using (var db = await ContextAsync())
        {
            var deletions = await db.AuditEvents.AsNoTracking().Where(e => e.EventType == 1802).ToListAsync();
            Assert.Equal(new[] { endedLongAgo, expiredLongAgo }.Select(i => i.ToString()).Order(), deletions.Select(e => e.SubjectId).Order());
            Assert.All(deletions, e => Assert.Equal(("dispose-ended-sessions", Actor.Scheduler.DisplayName), (e.Operation, e.ActorName)));
            Assert.Single(deletions.Select(e => e.CorrelationId).Distinct());
        }
        Assert.True((await VerifyChainAsync()).Valid);
        Assert.Equal("Ended sessions disposed of (retention)", Words.Operation("dispose-ended-sessions"));
    }

    [Fact]
    public async Task ARunDeletesAtMostItsLimit_SaysMoreAreDue_AndTheNextRunContinues_OncePerInterval()
    {
        var old = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            old.Add(await SessionAsync(began: Year * 3, expiresIn: -Year * 3 + TimeSpan.FromHours(8), endedAgo: null));
        }

        var first = await SendAsync(Actor.Scheduler, new DisposeEndedSessions(Year, UnlessRanWithin: TimeSpan.FromHours(23), MaxPerRun: 3));
        Assert.True(first.IsOk, first.Message);
        Assert.Equal((3, true), (first.Value!.Deleted, first.Value.More));
        Assert.Equal(2, (await SessionsLeftAsync(old)).Count);

        // Another instance's check within the interval: skipped, nothing deleted.
        var again = await SendAsync(Actor.Scheduler, new DisposeEndedSessions(Year, UnlessRanWithin: TimeSpan.FromHours(23), MaxPerRun: 3));
        Assert.Equal(OutcomeKind.Conflict, again.Kind);
        Assert.Equal(2, (await SessionsLeftAsync(old)).Count);

        Clock.Advance(TimeSpan.FromDays(1));
        var next = await SendAsync(Actor.Scheduler, new DisposeEndedSessions(Year, UnlessRanWithin: TimeSpan.FromHours(23), MaxPerRun: 3));
        Assert.Equal((2, false), (next.Value!.Deleted, next.Value.More));
        Assert.Empty(await SessionsLeftAsync(old));
    }

    [Fact]
    public async Task APeriodUnderADay_IsRefusedInWords_AndDeletesNothing_AndOnlyAdministratorsMayRunIt()
    {
        var recent = await SessionAsync(began: TimeSpan.FromHours(5), expiresIn: -TimeSpan.FromHours(2), endedAgo: TimeSpan.FromHours(3));

        var refused = await SendAsync(Actor.Scheduler, new DisposeEndedSessions(TimeSpan.FromHours(1)));
        Assert.Equal(OutcomeKind.Invalid, refused.Kind);
        Assert.Contains("at least a day", refused.Errors![nameof(DisposeEndedSessions.KeepFor)].Single(), StringComparison.Ordinal);

        var officer = await SendAsync(Co1, new DisposeEndedSessions(TimeSpan.FromDays(1)));
        Assert.Equal(OutcomeKind.Forbidden, officer.Kind);
        var auditor = await SendAsync(Auditor, new DisposeEndedSessions(TimeSpan.FromDays(1)));
        Assert.Equal(OutcomeKind.Forbidden, auditor.Kind);
        Assert.Single(await SessionsLeftAsync([recent]));
    }
}
