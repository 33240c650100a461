using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Features.AccessReviews;
using ComplianceHub.Core.Features.Dashboard;
using ComplianceHub.Core.Features.Notifications;
using ComplianceHub.IntegrationTests.Features.Notifications;
using ComplianceHub.Web.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComplianceHub.IntegrationTests.Features.AccessReviews;

/// <summary>
/// What tells a reviewer that access review items wait for them (issue 23, "Notifications" and "the dashboard shows open
/// campaigns, overdue reviewers and decisions due"): the bell, the dashboard and the daily e-mail digest — for a campaign
/// started by the real command, with its stage-one items waiting for Acme's representative.
/// </summary>
public sealed class ReviewerNotificationTests() : AccessReviewArrange("arnotify")
{
    private Guid campaignId;
    private int items;

    protected override async Task ArrangePeopleAsync()
    {
        var alice = await AddPersonAsync("US", name: "Alice Able", email: "alice@acme.example");
        var bob = await AddPersonAsync("US", name: "Bob Baker", email: "bob@acme.example");
        await GrantAsync(Casey, alice, Il2);
        await GrantAsync(Casey, bob, Il2);
        await GrantAsync(Casey, bob, AcmeIl4, AccessType.Privileged);
        var definition = Ok(await SendAsync(Casey, new SaveAccessReviewDefinition(null, "Quarterly review of Acme",
            new AccessReviewScope { VendorIds = [Core.Data.Seeding.DemoSeeder.AcmeId] }, RepresentativeStage: true, FallbackOfficerId: Morgan.UserId,
            DurationDays: 30, ReminderDays: [7, 1], DeadlineAction.Escalate, EscalationDays: 7, CommentRule.WhenSensitive, Recurrence.None, null)));
        var campaign = Ok(await SendAsync(Casey, new StartAccessReviewCampaign(definition.Id)));
        (campaignId, items) = (campaign.Id, campaign.ItemCount);
        Assert.Equal(3, items);
    }

    private T Service<T>() where T : notnull => Portal.Services.CreateScope().ServiceProvider.GetRequiredService<T>();

    [Fact]
    public async Task TheBell_NamesTheItemsWaitingForTheReader_AndTurnsUrgentAsTheDeadlineNears()
    {
        var bell = await Service<NotificationsQuery>().ForAsync(Riley);
        var reviews = Assert.Single(bell.Items, i => i.Kind == "access-reviews");
        Assert.Equal(items, reviews.Count);
        Assert.Equal("/access-reviews/queue", reviews.Href);
        Assert.Equal(NotificationLevel.Warning, reviews.Level);
        Assert.StartsWith("3 access review items waiting for your decision — the earliest deadline is in 30 days", reviews.Text);

        // Nothing waits yet for the officers (stage one first), nor for another vendor's representative or an auditor.
        Assert.DoesNotContain((await Service<NotificationsQuery>().ForAsync(Casey)).Items, i => i.Kind == "access-reviews");
        Assert.DoesNotContain((await Service<NotificationsQuery>().ForAsync(Taylor)).Items, i => i.Kind == "access-reviews");
        Assert.Empty((await Service<NotificationsQuery>().ForAsync(Jordan)).Items);

        Clock.Advance(TimeSpan.FromDays(29));
        var late = Assert.Single((await Service<NotificationsQuery>().ForAsync(Riley)).Items, i => i.Kind == "access-reviews");
        Assert.Equal(NotificationLevel.Urgent, late.Level);
        Assert.True(late.Text.EndsWith("the earliest deadline is in 1 day", StringComparison.Ordinal) || late.Text.EndsWith("the earliest deadline is today", StringComparison.Ordinal), late.Text);

        // The representative confirms everything: the items move to the officers responsible for Acme's contract.
        Ok(await SendAsync(Riley, new DecideAccessReviewItems(campaignId, null, new AccessReviewItemFilter { Mine = true }, AccessReviewDecision.Keep,
            "Still on the operations team", ExpectedCount: items)));
        Assert.DoesNotContain((await Service<NotificationsQuery>().ForAsync(Riley)).Items, i => i.Kind == "access-reviews");
        var officers = new[] { Casey, Morgan };
        var forOfficers = 0;
        foreach (var officer in officers)
        {
            forOfficers += (await Service<NotificationsQuery>().ForAsync(officer)).Items.Where(i => i.Kind == "access-reviews").Sum(i => i.Count);
        }
        Assert.True(forOfficers >= items, $"the officers' bells name {forOfficers} items, expected at least {items}");
    }

    [Fact]
    public async Task TheDashboard_CountsOpenCampaigns_DecisionsDue_AndReviewersBehind_InTheReadersScope()
    {
        var officer = (await Service<DashboardQuery>().GetAsync(Casey, null))!.AccessReviews;
        Assert.Equal(1, officer.OpenCampaigns);
        Assert.Equal(items, officer.DecisionsDue);
        Assert.Equal(0, officer.DueWithinWeek);
        Assert.Equal(0, officer.ReviewersBehind);
        Assert.True(officer.ReaderReviews);
        Assert.Equal(0, officer.Mine);

        var rep = (await Service<DashboardQuery>().GetAsync(Riley, null))!.AccessReviews;
        Assert.Equal(items, rep.Mine);

        // Globex's representative and a Globex-only view see no campaign; the auditor sees it and reviews nothing.
        Assert.Equal(0, (await Service<DashboardQuery>().GetAsync(Taylor, null))!.AccessReviews.OpenCampaigns);
        Assert.Equal(0, (await Service<DashboardQuery>().GetAsync(Casey, Core.Data.Seeding.DemoSeeder.GlobexId))!.AccessReviews.OpenCampaigns);
        var auditor = (await Service<DashboardQuery>().GetAsync(Jordan, null))!.AccessReviews;
        Assert.Equal(1, auditor.OpenCampaigns);
        Assert.False(auditor.ReaderReviews);

        Clock.Advance(TimeSpan.FromDays(24));
        var late = (await Service<DashboardQuery>().GetAsync(Casey, null))!.AccessReviews;
        Assert.Equal(items, late.DueWithinWeek);
        Assert.Equal((await Service<AccessReviewsQuery>().ItemsAsync(Casey, campaignId, new AccessReviewItemFilter(), new PageRequest(1, 50)))
            .Items.SelectMany(i => i.ReviewerNames).Distinct().Count(), late.ReviewersBehind);
        Assert.True(late.ReviewersBehind >= 1);
    }

    [Fact]
    public async Task TheDailyDigest_MailsEachReviewerTheirWaitingItems_OnceADay()
    {
        await using var smtp = new SmtpCapture();
        var settings = new Dictionary<string, string?>
        {
            ["Notifications:Email:Enabled"] = "true",
            ["Notifications:Email:PortalUrl"] = "https://portal.example",
            ["Notifications:Email:Smtp:Host"] = "127.0.0.1",
            ["Notifications:Email:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notifications:Email:Smtp:UseTls"] = "false",
            ["Notifications:Email:Smtp:From"] = "compliancehub@portal.example",
        };
        AttestationDigestJob Job()
        {
            var scope = Portal.Services.CreateAsyncScope();
            return new AttestationDigestJob(scope.ServiceProvider.GetRequiredService<CommandExecutor>(),
                scope.ServiceProvider.GetRequiredService<AttestationDigestQuery>(), scope.ServiceProvider.GetRequiredService<AccessReviewDigestQuery>(),
                new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), NullLogger<AttestationDigestJob>.Instance);
        }

        var digests = await Service<AccessReviewDigestQuery>().DigestsAsync(Core.Authorization.Actor.Scheduler);
        var riley = Assert.Single(digests);
        Assert.Equal("rep@acme.demo.local", riley.Email);
        Assert.Equal(items, riley.Total);
        Assert.Empty(await Service<AccessReviewDigestQuery>().DigestsAsync(Casey)); // only the scheduler reads every reviewer's digest

        Assert.True(await Job().RunOnceAsync(CancellationToken.None) >= 1);
        var mail = Assert.Single(smtp.Messages, m => m.To.Contains("rep@acme.demo.local") && m.Data.Contains("access review", StringComparison.Ordinal));
        Assert.Contains("Quarterly review of Acme", mail.Data);
        Assert.Contains("3 items", mail.Data);
        Assert.Contains("https://portal.example/access-reviews/queue", mail.Data);
        var sent = smtp.Messages.Count;
        Assert.Equal(0, await Job().RunOnceAsync(CancellationToken.None)); // once a day
        Assert.Equal(sent, smtp.Messages.Count);
    }
}
