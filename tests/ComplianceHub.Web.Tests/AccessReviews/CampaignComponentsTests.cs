using Bunit;
using ComplianceHub.Core.Features.AccessReviews;
using ComplianceHub.Web.Components.Pages.AccessReviews;

namespace ComplianceHub.Web.Tests.AccessReviews;

/// <summary>A campaign's progress bar and its chart of decisions per vendor.</summary>
public sealed class CampaignComponentsTests : MudComponentTest
{
    [Fact]
    public void Progress_SaysDecidedOfTotal()
    {
        var cut = Render<ReviewProgress>(p => p.Add(c => c.Decided, 1234).Add(c => c.Total, 5000));
        Assert.Equal("1,234 of 5,000 decided", cut.Find("[data-testid=review-progress-text]").TextContent.Trim());
        Assert.Equal(24.7, cut.Instance.Percent);
    }

    [Fact]
    public void Chart_DescribesItself_AndListsEveryVendor()
    {
        var rows = new[]
        {
            new SummaryRow(Guid.NewGuid(), "Acme Corp", 10, 2, 5, 3, 0, 0, 1),
            new SummaryRow(Guid.NewGuid(), "Borealis", 4, 4, 0, 0, 0, 0, 0),
        };
        var cut = Render<CampaignChart>(p => p.Add(c => c.Rows, rows));
        Assert.Equal(2, cut.FindAll("[data-testid=ar-chart-row]").Count);
        Assert.Contains("5 kept, 3 revoked, 0 reduced and 6 waiting", cut.Find("[data-testid=ar-chart]").GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public void Chart_OfNothing_SaysSo()
    {
        var cut = Render<CampaignChart>(p => p.Add(c => c.Rows, Array.Empty<SummaryRow>()));
        Assert.NotEmpty(cut.FindAll("[data-testid=ar-chart-empty]"));
    }
}
