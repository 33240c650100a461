using Bunit;
using ComplianceHub.Core.Features.Notifications;
using ComplianceHub.Web.Components.Layout;
using MudBlazor;

namespace ComplianceHub.Web.Tests.Layout;

/// <summary>The bell's rendering: the count in the accessible name and the badge, each item a link to the page that resolves it.</summary>
public sealed class NotificationBellTests : MudComponentTest
{
    private static readonly Notifications Some = new(
    [
        new NotificationItem("attestation-overdue", 2, "2 people overdue for attestation", "/attestations?state=Overdue", NotificationLevel.Urgent),
        new NotificationItem("sessions-unsigned", 1, "1 escorted session unsigned past the sign-off deadline", "/sessions?status=Overdue", NotificationLevel.Urgent),
        new NotificationItem("findings-open", 4, "4 open findings to respond to", "/findings", NotificationLevel.Info),
    ]);

    private IRenderedComponent<MudPopoverProvider>? popovers;

    private IRenderedComponent<NotificationBellView> RenderBell(Notifications? notifications)
    {
        popovers = Render<MudPopoverProvider>();
        return Render<NotificationBellView>(p => p.Add(b => b.Notifications, notifications));
    }

    [Fact]
    public void TheCount_IsInTheAccessibleName_AndTheBadge()
    {
        var cut = RenderBell(Some);
        var button = cut.Find("[data-testid=notification-bell] button");
        Assert.Equal("Notifications: 7 items need your attention", button.GetAttribute("aria-label"));
        Assert.Contains("7", cut.Find(".mud-badge").TextContent);
    }

    [Fact]
    public void OpeningTheBell_ListsEachItem_LinkingToItsPage()
    {
        var cut = RenderBell(Some);
        var provider = popovers!;
        cut.Find("[data-testid=notification-bell] button").Click();
        provider.WaitForAssertion(() =>
        {
            var overdue = provider.Find("[data-testid=notification-attestation-overdue]");
            Assert.Contains("2 people overdue", overdue.TextContent);
            Assert.Equal("/attestations?state=Overdue", overdue.GetAttribute("href") ?? overdue.QuerySelector("a")?.GetAttribute("href"));
            var sessions = provider.Find("[data-testid=notification-sessions-unsigned]");
            Assert.Equal("/sessions?status=Overdue", sessions.GetAttribute("href") ?? sessions.QuerySelector("a")?.GetAttribute("href"));
        });
    }

    [Fact]
    public void NothingToDo_SaysSo_WithoutABadge()
    {
        var cut = RenderBell(new Notifications([]));
        Assert.Equal("Notifications: nothing needs your attention", cut.Find("[data-testid=notification-bell] button").GetAttribute("aria-label"));
        Assert.Empty(cut.FindAll(".mud-badge-badge"));
        Assert.Equal("Notifications: 1 item needs your attention",
            NotificationBellView.LabelFor(new Notifications([new NotificationItem("approvals", 1, "1 approval waiting", "/approvals", NotificationLevel.Warning)])));
    }

    [Fact]
    public void NoNotifications_RenderNoBell()
    {
        var cut = RenderBell(null);
        Assert.Empty(cut.FindAll("[data-testid=notification-bell-button]"));
    }

    [Fact]
    public void AnOfficersCounts_EachLinkToTheirPartOfTheApprovalsQueue()
    {
        var officer = new Notifications(
        [
            new NotificationItem("grant-approvals", 2, "2 grants to approve or reject", ApprovalsQueueLinks.Grants, NotificationLevel.Warning),
            new NotificationItem("escort-requests", 1, "1 escort request from vendors to decide", ApprovalsQueueLinks.Escorts, NotificationLevel.Warning),
        ]);
        var cut = RenderBell(officer);
        cut.Find("[data-testid=notification-bell] button").Click();
        var provider = popovers!;
        provider.WaitForAssertion(() =>
        {
            foreach (var (kind, href) in new[] { ("grant-approvals", "/approvals#grants"), ("escort-requests", "/approvals#escort-requests") })
            {
                var item = provider.Find($"[data-testid=notification-{kind}]");
                Assert.Equal(href, item.GetAttribute("href") ?? item.QuerySelector("a")?.GetAttribute("href"));
            }
            Assert.Contains("1 escort request from vendors to decide", provider.Markup, StringComparison.Ordinal);
        });
        Assert.Equal("Notifications: 3 items need your attention", cut.Find("[data-testid=notification-bell] button").GetAttribute("aria-label"));
    }
}
