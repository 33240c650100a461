using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Screening;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Features.Requests;
using ComplianceHub.Web.Components.Pages.Attestations;
using ComplianceHub.Web.Components.Pages.Requests;
using ComplianceHub.Web.Components.Pages.Screening;
using ComplianceHub.Web.Components.Shared;
using Microsoft.AspNetCore.Components;

namespace ComplianceHub.Web.Tests.Shared;

/// <summary>
/// The queues' filters in the address, both ways, so a saved view (a full page load) opens them as they were; and the layouts of a
/// page's several grids kept apart when a filter or a table's pager changes one of them.
/// </summary>
public sealed class QueueAddressesTests
{
    [Theory]
    [InlineData(null, HitStatus.Pending, "/screening")]
    [InlineData("all", null, "/screening?status=all")]
    [InlineData("TRUEMATCH", HitStatus.TrueMatch, "/screening?status=TrueMatch")]
    [InlineData("2", HitStatus.Pending, "/screening")]
    [InlineData("bogus", HitStatus.Pending, "/screening")]
    public void TheScreeningStatus_DefaultsToTheHitsAwaitingADecision_AndAllIsSaidInTheAddress(string? parameter, HitStatus? status, string url)
    {
        Assert.Equal(status, ScreeningUrl.Status(parameter));
        Assert.Equal(url, ScreeningUrl.Build(ScreeningUrl.Status(parameter), null));
    }

    [Fact]
    public void TheScreeningSearch_RoundTrips_Trimmed()
    {
        var url = ScreeningUrl.Build(null, "  Ivanova & co ");

        Assert.Equal("/screening?status=all&q=Ivanova%20%26%20co", url);
        var query = GridUrlState.Query(url);
        Assert.Equal("Ivanova & co", ScreeningUrl.Search(query["q"]));
    }

    [Fact]
    public void TheRequestsTabAndFilters_RoundTrip_AndTheDefaultsKeepAPlainAddress()
    {
        var filter = new RequestsFilter(1, GrantRequestState.Pending, "Li", EscortRequestStatus.Declined);

        var url = RequestsUrl.Build(filter);
        var query = GridUrlState.Query(url);

        Assert.Equal("/requests?tab=escorts&state=Pending&q=Li&escortStatus=Declined", url);
        Assert.Equal(filter, RequestsUrl.Parse(query["tab"], query["state"], query["q"], query["escortStatus"]));
        Assert.Equal("/requests", RequestsUrl.Build(new RequestsFilter()));
        Assert.Equal(new RequestsFilter(), RequestsUrl.Parse("nowhere", "7", " ", "Nonsense"));
        Assert.Equal(2, RequestsUrl.Parse("REFUSED", null, null, null).Tab);
    }

    [Fact]
    public void TheAttestationsFilters_AreTheNotificationsContract()
    {
        var vendor = Guid.Parse("0199a000-0000-7000-8000-000000000001");

        Assert.Equal("/attestations?state=Overdue", AttestationsUrl.Build(AttestationState.Overdue, null));
        Assert.Equal($"/attestations?state=DueSoon&vendor={vendor}", AttestationsUrl.Build(AttestationsUrl.State("duesoon"), AttestationsUrl.Vendor(vendor.ToString())));
        Assert.Null(AttestationsUrl.State("1"));
        Assert.Null(AttestationsUrl.Vendor("acme"));
    }

    [Fact]
    public void AFilterOverTwoGrids_StartsBothFromTheirFirstPage_AndKeepsTheirOrderAndAThirdGridsPage()
    {
        var navigation = new TestNavigation("https://portal.example/attestations?state=Overdue&sort=fullName&page=3&history.sort=submittedByName&history.page=2&other.page=4");
        var due = new GridLayout(navigation, 25, AttestationsUrl.DueSortKeys, AttestationsUrl.DueColumns);
        var history = new GridLayout(navigation, 10, AttestationsUrl.HistorySortKeys, AttestationsUrl.HistoryColumns, [10, 25, 50], "history.");

        var url = GridLayout.With(AttestationsUrl.Build(null, Guid.Empty), due, history);

        Assert.Equal($"/attestations?vendor={Guid.Empty}&other.page=4&sort=fullName&history.sort=submittedByName", url);
        Assert.Equal((0, 0), (due.Page, history.Page));
        // One grid's filter leaves the other grid's page as it was.
        Assert.Equal("/attestations?history.sort=submittedByName&history.page=2&other.page=4&sort=fullName",
            new GridLayout(navigation, 25, AttestationsUrl.DueSortKeys, AttestationsUrl.DueColumns).With("/attestations"));
    }

    [Fact]
    public void ATablesPager_LandsInTheAddress_UnderItsPrefix_WithTheOtherListsKept()
    {
        var navigation = new TestNavigation("https://portal.example/approvals?size=25");
        var waivers = new GridLayout(navigation, 10, new Dictionary<string, string>(), pageSizes: [10, 25, 50], prefix: "waivers.");

        waivers.Observe(2, 50);
        Assert.Equal("https://portal.example/approvals?size=25&waivers.page=3&waivers.size=50", navigation.Uri);

        waivers.Observe(0, 10);
        Assert.Equal("https://portal.example/approvals?size=25", navigation.Uri);
        Assert.Equal(2, navigation.Visits);
    }

    private sealed class TestNavigation : NavigationManager
    {
        public TestNavigation(string uri) => Initialize("https://portal.example/", uri);

        public int Visits { get; private set; }

        protected override void NavigateToCore(string uri, NavigationOptions options)
        {
            Assert.True(options.ReplaceHistoryEntry);
            Visits++;
            Uri = ToAbsoluteUri(uri).ToString();
        }
    }
}
