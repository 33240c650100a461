using Bunit;
using Bunit.TestDoubles;
using ComplianceHub.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ComplianceHub.Web.Tests.Shared;

/// <summary>
/// A MudDataGrid's layout in the address (GridLayout): read at start and reduced to what the grid offers, written back (replacing
/// the history entry) when the grid asks for another order, page or size or a column is hidden, kept across a filter change from
/// the first page, a second grid's parameters apart from the first's, and never written once the reader has left the page.
/// </summary>
public sealed class GridLayoutTests : MudComponentTest
{
    private static readonly Dictionary<string, string> SortKeys = new() { ["PersonName"] = "person", ["DueOn"] = "dueOn" };
    private static readonly GridColumnChoice[] Columns = [new("vendor", "Vendor"), new("status", "Status"), new("dueOn", "Due")];

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    private sealed record Row(string PersonName, DateOnly DueOn);

    private GridLayout At(string uri, string prefix = "")
    {
        Navigation.NavigateTo(uri);
        return new GridLayout(Navigation, 25, SortKeys, Columns, prefix: prefix);
    }

    private static GridState<Row> Asked(int page, int size, string? sortBy = null, bool descending = false)
    {
        var state = new GridState<Row> { Page = page, PageSize = size };
        if (sortBy is not null)
        {
            state.SortDefinitions.Add(new SortDefinition<Row>(sortBy, descending, 0, _ => ""));
        }
        return state;
    }

    private string Address => "/" + Navigation.ToBaseRelativePath(Navigation.Uri);

    [Fact]
    public void TheAddress_SetsTheGridsOrderPageSizeAndColumns_AndWhatItDoesNotOfferIsDropped()
    {
        var layout = At("/findings?open=true&sort=dueOn&desc=true&page=3&size=50&hide=status,bogus");

        Assert.Equal((2, 50), (layout.Page, layout.PageSize));
        Assert.Equal(SortDirection.Descending, layout.Direction("DueOn"));
        Assert.Equal(SortDirection.None, layout.Direction("PersonName"));
        Assert.True(layout.IsHidden("status"));
        Assert.Equal(["status"], layout.State.Hidden);

        var fallback = At("/findings?sort=message&size=13&page=0");
        Assert.Equal((0, 25, (string?)null), (fallback.Page, fallback.PageSize, fallback.Sort));
    }

    [Fact]
    public void WhatTheGridAsksFor_IsWrittenToTheAddress_BesideTheFilters_ReplacingTheHistoryEntry()
    {
        var layout = At("/findings?open=true");
        var history = ((BunitNavigationManager)Navigation).History;

        layout.Observe(Asked(page: 1, size: 50, sortBy: "PersonName"));

        Assert.Equal("/findings?open=true&sort=person&page=2&size=50", Address);
        Assert.True(history.First().Options.ReplaceHistoryEntry);
        Assert.Equal("person", layout.SortKey(Asked(0, 25, "PersonName")));
        Assert.Null(layout.SortKey(Asked(0, 25, "Message")));

        // The same request again writes nothing; the default size and the first page are left out.
        var count = history.Count;
        layout.Observe(Asked(page: 1, size: 50, sortBy: "PersonName"));
        Assert.Equal(count, history.Count);
        layout.Observe(Asked(page: 0, size: 25));
        Assert.Equal("/findings?open=true", Address);
    }

    [Fact]
    public void HidingAColumn_KeepsTheHiddenOnesInTheGridsOrder_AndShowingItAgainDropsIt()
    {
        var layout = At("/findings");

        layout.Toggle("dueOn");
        layout.Toggle("vendor");
        Assert.Equal("/findings?hide=vendor,dueOn", Uri.UnescapeDataString(Address));

        layout.Toggle("dueOn");
        layout.Toggle("vendor");
        Assert.Equal("/findings", Address);
    }

    [Fact]
    public void AFilterChange_KeepsTheOrderSizeAndColumns_FromTheFirstPage()
    {
        var layout = At("/findings?open=true&sort=dueOn&page=4&size=50&hide=vendor");

        var next = layout.With("/findings?overdue=true");

        Assert.Equal("/findings?overdue=true&sort=dueOn&size=50&hide=vendor", next);
        Assert.Equal(0, layout.Page);
    }

    [Fact]
    public void ASecondGridsParameters_ArePrefixed_AndNeitherGridTouchesTheOthers()
    {
        var first = At("/escorts?q=Li&sort=person&unescorted.page=2&unescorted.sort=dueOn");
        var second = new GridLayout(Navigation, 25, SortKeys, Columns, prefix: "unescorted.");

        Assert.Equal(("person", 0), (first.Sort, first.Page));
        Assert.Equal(("dueOn", 1), (second.Sort, second.Page));

        second.Observe(Asked(page: 2, size: 25, sortBy: "DueOn", descending: true));
        Assert.Equal("/escorts?q=Li&sort=person&unescorted.sort=dueOn&unescorted.desc=true&unescorted.page=3", Address);

        // A filter change of the page keeps the other grid's layout as it is.
        Assert.Equal("/escorts?q=Lee&unescorted.sort=dueOn&unescorted.desc=true&unescorted.page=3&sort=person", first.With("/escorts?q=Lee"));
    }

    [Fact]
    public void AReadFinishingAfterTheReaderLeft_NeverTakesThemBack()
    {
        var layout = At("/findings?open=true");
        Navigation.NavigateTo("/people/0199a000-0000-7000-8000-000000000001");

        layout.Observe(Asked(page: 1, size: 25, sortBy: "PersonName"));

        Assert.Equal("/people/0199a000-0000-7000-8000-000000000001", Address);
        Assert.Equal(("person", 1), (layout.Sort, layout.Page));
    }
}
