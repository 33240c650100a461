using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Features.AccessReviews;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Features.AccessReviews;

/// <summary>
/// The scheduler's tick under a fake clock: recurring starts, reminders once per reminder day to reviewers with pending items,
/// and the deadline's actions — revoke, escalate (then revoke at the second deadline), keep where no comment is needed — each
/// an audit event, the campaign closing at its deadline.
/// </summary>
public sealed class ScheduleTests() : EngineReviewTest("arsched")
{
    private Guid aliceIl2;
    private Guid bobEscorted;
    private Guid carolIl2;
    private Guid ginaIl4;

    protected override async Task ArrangeReviewAsync()
    {
        var alice = await AddPersonAsync("US", name: "Alice Able", email: "alice@acme.example");
        var bob = await AddPersonAsync("US", name: "Bob Baker", email: "bob@acme.example");
        var carol = await AddPersonAsync("US", name: "Carol Clark", email: "carol@acme.example");
        var gina = await AddPersonAsync("US", name: "Gina Gold", email: "gina@globex.example", vendorId: DemoSeeder.GlobexId);
        aliceIl2 = await ActiveGrantAsync(Casey, alice, Il2);
        bobEscorted = await ActiveGrantAsync(Casey, bob, Il2, escorted: true);
        carolIl2 = await ActiveGrantAsync(Casey, carol, Il2);
        ginaIl4 = await ActiveGrantAsync(Casey, gina, GlobexIl4);
    }

    [Fact]
    public async Task ARecurringDefinition_StartsOnItsDay_AsTheScheduler_AndItsNextStartMovesOn()
    {
        var first = Today.AddDays(2);
        var definition = await DefineAsync(Casey, "Monthly Acme", Scope(vendors: [DemoSeeder.AcmeId]),
            adjust: c => c with { Recurrence = Recurrence.Monthly, NextStartOn = first });

        Assert.Equal(0, (await RunAsync()).CampaignsStarted);
        Clock.Advance(TimeSpan.FromDays(2));
        var tick = await RunAsync();

        Assert.Equal(1, tick.CampaignsStarted);
        await using var db = await ContextAsync();
        var campaign = await db.AccessReviewCampaigns.AsNoTracking().SingleAsync(c => c.DefinitionId == definition);
        Assert.Equal(Guid.Empty, campaign.StartedBy);
        Assert.Equal("scheduler", campaign.StartedByName);
        Assert.Equal(3, campaign.ItemCount);
        Assert.Equal(first.AddMonths(1), (await db.AccessReviewDefinitions.AsNoTracking().SingleAsync(d => d.Id == definition)).NextStartOn);
        Assert.Equal(0, (await RunAsync()).CampaignsStarted);
        Assert.Equal(1L, await CountAsync($"SELECT count(*) FROM audit_events WHERE subject_type = 'access-review-campaign' AND subject_id = '{campaign.Id}' AND event_type = 4500 AND operation = 'run-access-review-schedule'"));
    }

    [Fact]
    public async Task Reminders_GoOncePerReminderDay_OnlyToReviewersWithPendingItems()
    {
        var campaign = await StartAsync(Scope(vendors: [DemoSeeder.AcmeId]), DeadlineAction.Escalate);

        Assert.Empty((await RunAsync()).Reminders);
        Clock.Advance(TimeSpan.FromDays(23).Add(TimeSpan.FromMinutes(1))); // 7 days before the deadline

        var tick = await RunAsync();

        var reminder = Assert.Single(tick.Reminders);
        Assert.Equal(AcmeRiley.UserId, reminder.ReviewerId);
        Assert.Equal("rep@acme.demo.local", reminder.Email);
        Assert.Equal(3, reminder.Pending);
        Assert.Equal(campaign, reminder.CampaignId);
        Assert.Contains("/access-reviews/queue", reminder.Body("https://portal.example"), StringComparison.Ordinal);
        Assert.Equal(1, tick.RemindersSent);
        Assert.Equal([7], (await CampaignAsync(campaign)).RemindersSent);
        Assert.Empty((await RunAsync()).Reminders);

        Clock.Advance(TimeSpan.FromDays(6)); // 1 day before
        Assert.Single((await RunAsync()).Reminders);
        Assert.Equal([7, 1], (await CampaignAsync(campaign)).RemindersSent);
        Assert.Empty((await RunAsync()).Reminders);
        Assert.Equal(2L, await CountAsync($"SELECT count(*) FROM audit_events WHERE subject_type = 'access-review-campaign' AND subject_id = '{campaign}' AND event_type = 4501 AND operation = 'run-access-review-schedule'"));
    }

    [Fact]
    public async Task AtTheDeadline_Escalate_GivesUndecidedItemsToTheFallbackOfficer_AndTheSecondDeadlineRevokes()
    {
        var campaign = await StartAsync(Scope(vendors: [DemoSeeder.AcmeId]), DeadlineAction.Escalate);
        Clock.Advance(TimeSpan.FromDays(30).Add(TimeSpan.FromMinutes(1)));

        var tick = await RunAsync();

        Assert.Equal(3, tick.ItemsEscalated);
        Assert.Equal(0, tick.ItemsRevoked);
        var escalated = await CampaignAsync(campaign);
        Assert.Equal(CampaignStatus.Open, escalated.Status);
        Assert.NotNull(escalated.Escalated);
        Assert.Equal(Clock.GetUtcNow().AddDays(7), escalated.Deadline, TimeSpan.FromMilliseconds(1));
        Assert.All(await ItemsAsync(campaign), i =>
        {
            Assert.Equal(AccessReviewItemStatus.Pending, i.Status);
            Assert.Equal(2, i.Stage);
            Assert.Equal([Morgan.UserId], i.ReviewerIds);
            Assert.Equal(RunAccessReviewScheduleHandler.EscalationNote, i.Note);
        });
        Assert.Equal(3L, await CountAsync($"SELECT count(*) FROM audit_events e JOIN access_review_items i ON e.subject_id = i.id::text WHERE e.subject_type = 'access-review-item' AND e.event_type = 4601 AND e.operation = 'run-access-review-schedule' AND i.campaign_id = '{campaign}'"));

        Clock.Advance(TimeSpan.FromDays(7).Add(TimeSpan.FromMinutes(1)));
        var second = await RunAsync();

        Assert.Equal(3, second.ItemsRevoked);
        Assert.Equal(1, second.CampaignsClosed);
        var closed = await CampaignAsync(campaign);
        Assert.Equal(CampaignStatus.Closed, closed.Status);
        Assert.Equal(CampaignCloseReason.Deadline, closed.CloseReason);
        Assert.Equal(0, closed.PendingCount);
        Assert.All(await ItemsAsync(campaign), i =>
        {
            Assert.Equal(AccessReviewItemStatus.Revoked, i.Status);
            Assert.True(i.DecidedAtDeadline);
            Assert.Equal(RunAccessReviewScheduleHandler.RevokedAfterEscalation, i.Comment);
        });
        Assert.Equal(3L, await CountAsync($"SELECT count(*) FROM access_grants WHERE status = 'Revoked' AND id IN ('{aliceIl2}', '{bobEscorted}', '{carolIl2}')"));
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task AtTheDeadline_Revoke_RevokesEveryUndecidedItem_AndClosesTheCampaign()
    {
        var campaign = await StartAsync(Scope(), DeadlineAction.Revoke);
        Clock.Advance(TimeSpan.FromDays(30).Add(TimeSpan.FromMinutes(1)));

        var tick = await RunAsync();

        Assert.Equal(4, tick.ItemsRevoked);
        Assert.Equal(1, tick.CampaignsClosed);
        var closed = await CampaignAsync(campaign);
        Assert.Equal(CampaignCloseReason.Deadline, closed.CloseReason);
        Assert.All(await ItemsAsync(campaign), i =>
        {
            Assert.Equal(AccessReviewItemStatus.Revoked, i.Status);
            Assert.True(i.DecidedAtDeadline);
            Assert.Equal(Guid.Empty, i.DecidedBy);
        });
        Assert.Equal(4L, await CountAsync($"SELECT count(*) FROM access_grants WHERE status = 'Revoked' AND id IN ('{aliceIl2}', '{bobEscorted}', '{carolIl2}', '{ginaIl4}')"));
        Assert.Equal(4L, await CountAsync($"SELECT count(*) FROM audit_events WHERE subject_type = 'grant' AND operation = 'run-access-review-schedule'"));
        Assert.Equal(0, (await RunAsync()).ItemsRevoked); // closed: nothing more happens
    }

    [Fact]
    public async Task AtTheDeadline_Keep_KeepsItemsThatNeedNoComment_AndEscalatesTheRest()
    {
        var campaign = await StartAsync(Scope(vendors: [DemoSeeder.AcmeId]), DeadlineAction.Keep);
        Clock.Advance(TimeSpan.FromDays(30).Add(TimeSpan.FromMinutes(1)));

        var tick = await RunAsync();

        Assert.Equal(2, tick.ItemsKept);
        Assert.Equal(1, tick.ItemsEscalated);
        var items = (await ItemsAsync(campaign)).ToDictionary(i => i.GrantId);
        Assert.Equal(AccessReviewItemStatus.Kept, items[aliceIl2].Status);
        Assert.True(items[aliceIl2].DecidedAtDeadline);
        Assert.False(string.IsNullOrWhiteSpace(items[aliceIl2].DecisionSnapshot));
        Assert.Equal(AccessReviewItemStatus.Kept, items[carolIl2].Status);
        // Keeping an escorted grant needs a comment: the fallback officer decides it.
        Assert.Equal(AccessReviewItemStatus.Pending, items[bobEscorted].Status);
        Assert.Equal([Morgan.UserId], items[bobEscorted].ReviewerIds);
        var escalated = await CampaignAsync(campaign);
        Assert.Equal(CampaignStatus.Open, escalated.Status);
        Assert.Equal(1, escalated.PendingCount);
        Assert.NotNull(escalated.Escalated);
        Assert.Equal(2L, await CountAsync($"SELECT count(*) FROM access_grants WHERE status = 'Active' AND id IN ('{aliceIl2}', '{carolIl2}')"));

        Clock.Advance(TimeSpan.FromDays(7).Add(TimeSpan.FromMinutes(1)));
        var second = await RunAsync();

        Assert.Equal(1, second.ItemsRevoked);
        Assert.Equal(AccessReviewItemStatus.Revoked, (await ItemsAsync(campaign)).Single(i => i.GrantId == bobEscorted).Status);
        Assert.Equal(CampaignCloseReason.Deadline, (await CampaignAsync(campaign)).CloseReason);
    }

    [Fact]
    public async Task AtTheDeadline_Keep_ClosesTheCampaign_WhenNothingNeedsAComment()
    {
        var campaign = await StartAsync(Scope(systems: [GlobexIl4]), DeadlineAction.Keep);
        Clock.Advance(TimeSpan.FromDays(30).Add(TimeSpan.FromMinutes(1)));

        var tick = await RunAsync();

        Assert.Equal(1, tick.ItemsKept);
        Assert.Equal(0, tick.ItemsEscalated);
        var closed = await CampaignAsync(campaign);
        Assert.Equal(CampaignStatus.Closed, closed.Status);
        Assert.Equal(CampaignCloseReason.Deadline, closed.CloseReason);
        Assert.Equal(1L, await CountAsync($"SELECT count(*) FROM access_grants WHERE status = 'Active' AND id = '{ginaIl4}'"));
    }

    private async Task<Guid> StartAsync(AccessReviewScope scope, DeadlineAction action)
    {
        var definition = await DefineAsync(Casey, $"Deadline {Guid.NewGuid():N}", scope, adjust: c => c with { DeadlineAction = action });
        var outcome = await SendAsync(Casey, new StartAccessReviewCampaign(definition));
        Assert.True(outcome.IsOk, outcome.Message);
        return outcome.Value!.Id;
    }

    private async Task<AccessReviewScheduleResult> RunAsync()
    {
        var outcome = await SendAsync(Actor.Scheduler, new RunAccessReviewSchedule());
        Assert.True(outcome.IsOk, outcome.Message);
        return outcome.Value!;
    }
}
