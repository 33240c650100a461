using ComplianceHub.Core.Domain.Contributions;
using ComplianceHub.Core.Features.Contributions;
using ComplianceHub.Web.Components.Pages.Contributions;

namespace ComplianceHub.Web.Tests.Contributions;

/// <summary>The contributions grid's address: every filter survives the round trip, and a bad value is ignored, not fatal.</summary>
public sealed class ContributionsUrlTests
{
    private static IReadOnlyDictionary<string, string?> QueryOf(string url) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri("http://x" + url).Query).ToDictionary(p => p.Key, p => (string?)p.Value.ToString());

    [Fact]
    public void EveryFilter_SurvivesTheRoundTrip()
    {
        var filter = new ContributionFilter(Guid.NewGuid(), Guid.NewGuid(), "portal infra", "CC-NO-GRANT", ReviewVerdict.NeedsRemediation, true, true,
            "key & rotate", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), Guid.NewGuid());
        var url = ContributionsUrl.Build(filter);
        Assert.StartsWith("/contributions?", url, StringComparison.Ordinal);
        Assert.EndsWith($"vendor={filter.VendorId}", url, StringComparison.Ordinal);
        Assert.Equal(filter, ContributionsUrl.Parse(QueryOf(url)));
        Assert.Equal("/contributions", ContributionsUrl.Build(new ContributionFilter()));
    }

    [Fact]
    public void BadValues_AreIgnored()
    {
        var parsed = ContributionsUrl.Parse(QueryOf("/contributions?vendor=nope&verdict=7&from=30/11/2026&flagged=maybe&flag=cc-no-grant"));
        Assert.Equal(new ContributionFilter(Flag: "CC-NO-GRANT"), parsed);
    }

    [Fact]
    public void TheQueue_IsFlaggedAndUnreviewed() =>
        Assert.Equal("/contributions?verdict=Unreviewed&flagged=true", ContributionsUrl.Build(ContributionsUrl.Queue));
}
