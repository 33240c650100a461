using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using ComplianceHub.Web.Components.Pages.Roster;
using ComplianceHub.Web.Components.Shared;

namespace ComplianceHub.Web.Tests.Shared;

/// <summary>A grid's order, page, rows per page and hidden columns survive the address bar, beside its filters, and a saved view keeps all but the page.</summary>
public sealed class GridUrlStateTests
{
    [Fact]
    public void SortPageSizeAndHiddenColumns_RoundTripThroughTheRosterAddress()
    {
        var state = new RosterGridState(new RosterFilter { Groups = [CitizenshipGroup.CoveredNation], Search = "Li" },
            new GridUrlState("workCountry", true, 2, 50, [RosterColumns.EmployeeId, RosterColumns.Employer]));

        var url = state.Url(withVendor: true);
        var back = GridUrlState.Parse("https://portal.example" + url);

        Assert.Equal("/roster?q=Li&group=CoveredNation&sort=workCountry&desc=true&page=3&size=50&hide=employeeId,employer", Uri.UnescapeDataString(url));
        Assert.Equal(("workCountry", true, 2, (int?)50), (back.Sort, back.Descending, back.Page, back.PageSize));
        Assert.Equal(state.Layout.Hidden, back.Hidden);
        Assert.Equal(["CoveredNation"], RosterUrl.Parse(url).Groups.Select(g => g.ToString()));
    }

    [Fact]
    public void TheDefaults_KeepAPlainAddress()
    {
        var url = new RosterGridState(new RosterFilter(), new GridUrlState(null, true, 0, RosterGrid.DefaultPageSize, [])).Url(withVendor: true);

        Assert.Equal("/roster", url);
    }

    [Theory]
    [InlineData("?sort=nonsense&desc=true&page=-4&size=13&hide=name,grants,bogus", null, false, 0, null, "grants")]
    [InlineData("?sort=status&page=x&size=100", "status", false, 0, 100, "")]
    [InlineData("?sort=fullName&desc=yes&page=2", "fullName", false, 1, null, "")]
    public void WhatTheGridDoesNotOffer_FallsBackToItsDefaults(string query, string? sort, bool desc, int page, int? size, string hidden)
    {
        var state = GridUrlState.Parse(query).For(RosterColumns.SortKeys, [10, 25, 50, 100], RosterColumns.Hideable);

        Assert.Equal((sort, desc, page, size), (state.Sort, state.Descending, state.Page, state.PageSize));
        Assert.Equal(hidden, string.Join(',', state.Hidden));
    }

    [Fact]
    public void AView_KeepsTheQueryWithoutThePage_AndTheHiddenColumnsApart_AndOpensTheSameList()
    {
        var (query, hidden) = GridUrlState.ForView("https://portal.example/roster?sort=fullName&q=Li&page=4&hide=grants,employer&desc=true");

        Assert.Equal("desc=true&q=Li&sort=fullName", query);
        Assert.Equal(["grants", "employer"], hidden);
        var opened = GridUrlState.ViewUrl("/roster", query, hidden);
        Assert.Equal("/roster?desc=true&q=Li&sort=fullName&hide=grants,employer", Uri.UnescapeDataString(opened));
        var again = GridUrlState.ForView(opened);
        Assert.Equal(query, again.Query);
        Assert.Equal(hidden, again.Hidden);
    }
}
