using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Features.Policy;
using ComplianceHub.Web.Components.Pages.Policy;

namespace ComplianceHub.Web.Tests.Policy;

/// <summary>
/// The re-evaluation summary's links on the policy page: an activation's go to exactly what it did (the findings filter
/// <c>openedByPolicy</c>, the roster filter <c>suspendedByPolicy</c>) and say so; the scheduler's daily run, which is not an
/// activation, keeps the general lists and says that.
/// </summary>
public sealed class PolicyReevaluationLinksTests
{
    private static ReevaluationRunView Run(ReevaluationReason reason, int opened, int suspended) => new(Guid.NewGuid(), 7, reason, "Morgan Officer",
        DateTimeOffset.UnixEpoch, 10, 10, 1, suspended, 0, 0, opened, 0, DateTimeOffset.UnixEpoch, null);

    [Fact]
    public void AnActivationsLinks_CarryItsVersion_AndCountWhatItDid()
    {
        var run = Run(ReevaluationReason.Activation, opened: 3, suspended: 2);

        Assert.Equal("/findings?openedByPolicy=7", PolicyPage.FindingsOf(run));
        Assert.Equal("/roster?suspendedByPolicy=7", PolicyPage.SuspendedOf(run));
        Assert.Equal("See the 3 findings it opened", PolicyPage.FindingsLinkText(run));
        Assert.Equal("See the people whose grants it suspended", PolicyPage.SuspendedLinkText(run));
        Assert.Equal("See the finding it opened", PolicyPage.FindingsLinkText(Run(ReevaluationReason.Activation, opened: 1, suspended: 1)));
        Assert.Equal("See the people whose grant it suspended", PolicyPage.SuspendedLinkText(Run(ReevaluationReason.Activation, opened: 1, suspended: 1)));
    }

    [Fact]
    public void TheSchedulersRun_LinksToTheGeneralLists()
    {
        var run = Run(ReevaluationReason.Schedule, opened: 3, suspended: 2);

        Assert.Equal("/findings?severity=Block&open=true", PolicyPage.FindingsOf(run));
        Assert.Equal("/roster?grantStatus=Suspended", PolicyPage.SuspendedOf(run));
        Assert.Equal("See the open blocking findings", PolicyPage.FindingsLinkText(run));
        Assert.Equal("See the people with a suspended grant", PolicyPage.SuspendedLinkText(run));
    }
}
