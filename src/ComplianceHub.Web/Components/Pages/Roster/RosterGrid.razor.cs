using Microsoft.AspNetCore.Components;
using MudBlazor;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Components.Shared;
using ComplianceHub.Web.Components.Account;
using ComplianceHub.Core.Features.Systems;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Reference;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Features.Vendors;
using ComplianceHub.Core.Rules;
using ComplianceHub.Web.Api;

namespace ComplianceHub.Web.Components.Pages.Roster;

public partial class RosterGrid
{
    /// <summary>The filters the grid opens with (from the URL on the roster page).</summary>
    [Parameter] public RosterFilter Initial { get; set; } = new();

    /// <summary>A vendor page's roster: the vendor filter is fixed and hidden.</summary>
    [Parameter] public Guid? FixedVendorId { get; set; }

    /// <summary>The order, page, rows per page and hidden columns the grid opens with (from the URL on the roster page).</summary>
    [Parameter] public GridUrlState InitialLayout { get; set; } = GridUrlState.Empty;

    /// <summary>Told whenever the filters or the layout change (the roster page mirrors them in the URL).</summary>
    [Parameter] public EventCallback<RosterGridState> Changed { get; set; }

    private const string DefaultSort = "fullName";

    /// <summary>Rows per page when the address does not say.</summary>
    public const int DefaultPageSize = 25;
    private static readonly int[] PageSizes = [10, 25, 50, 100];

    private RosterFilter filter = new();
    private IReadOnlyList<VendorView> vendors = [];
    private IReadOnlyList<SystemView> systems = [];
    private IReadOnlyList<MarkupString> rows = [];
    private int? total;
    private int page;
    private int pageSize = DefaultPageSize;
    private IReadOnlyList<string> hidden = [];
    private bool columnsOpen;
    private string? sort;
    private bool desc;
    private bool loading;
    private bool moreOpen;
    private CancellationTokenSource? load;
    private RosterFilter? appliedInitial;

    /// <summary>The columns this grid has (a vendor's roster has no vendor column).</summary>
    private IEnumerable<(string Key, string Title, string? Sort)> Offered =>
        RosterColumns.All.Where(c => FixedVendorId is null || c.Key != RosterColumns.Vendor);

    /// <summary>The columns shown: those offered that the reader did not hide.</summary>
    private IReadOnlyList<(string Key, string Title, string? Sort)> Columns => [.. Offered.Where(c => !hidden.Contains(c.Key))];

    private GridUrlState Layout => new(sort, sort is not null && desc, page, pageSize, hidden);

    private int LastPage => total is > 0 and var t ? (t - 1) / pageSize : 0;

    private string PageInfo => total is > 0 and var t
        ? $"{page * pageSize + 1}-{Math.Min((page + 1) * pageSize, t)} of {t}"
        : "0-0 of 0";

    protected override async Task OnInitializedAsync()
    {
        var actor = await ActorAsync();
        vendors = await Vendors.VendorsAsync(actor);
        systems = await Vendors.SystemsAsync();
    }

    protected override async Task OnParametersSetAsync()
    {
        if (!ReferenceEquals(appliedInitial, Initial))
        {
            appliedInitial = Initial;
            filter = Initial with { VendorId = FixedVendorId ?? Initial.VendorId };
            var layout = InitialLayout.For(RosterColumns.SortKeys, PageSizes, Offered.Select(c => c.Key).Where(RosterColumns.Hideable.Contains));
            (sort, desc, page, pageSize, hidden) = (layout.Sort, layout.Descending, layout.Page, layout.PageSize ?? DefaultPageSize, layout.Hidden);
            // Prerendering shows the page without its rows; the circuit reads them once it is interactive (as the grid did).
            if (RendererInfo.IsInteractive)
            {
                await ReadAsync();
            }
        }
    }

    private async Task SetAsync(RosterFilter next)
    {
        filter = next with { VendorId = FixedVendorId ?? next.VendorId };
        page = 0;
        await LoadAsync();
    }

    /// <summary>Shows or hides a column; the rows are read again, as the markup of a row holds only the cells shown.</summary>
    private Task ToggleColumnAsync(string key)
    {
        hidden = hidden.Contains(key) ? [.. hidden.Where(k => k != key)] : [.. RosterColumns.Hideable.Where(k => k == key || hidden.Contains(k))];
        return LoadAsync();
    }

    private Task ClearAsync() => SetAsync(new RosterFilter());

    private Task AddCitizenshipAsync(string? code) =>
        code is null || filter.Citizenships.Contains(code) ? Task.CompletedTask : SetAsync(filter with { Citizenships = [.. filter.Citizenships, code] });

    /// <summary>As the grid sorted: a column's first click ascending, the second descending, the third back to the default order.</summary>
    private Task SortAsync(string key)
    {
        (sort, desc) = sort != key ? (key, false) : desc ? (null, false) : (key, true);
        page = 0;
        return LoadAsync();
    }

    private string? AriaSort(string key) => sort == key ? (desc ? "descending" : "ascending") : null;

    private Task PageSizeChangedAsync(ChangeEventArgs e) =>
        int.TryParse(e.Value?.ToString(), out var size) && PageSizes.Contains(size) ? PageSizeAsync(size) : Task.CompletedTask;

    private Task PageSizeAsync(int size)
    {
        pageSize = size;
        page = 0;
        return LoadAsync();
    }

    private Task GoAsync(int to)
    {
        if (to < 0 || to > LastPage || to == page)
        {
            return Task.CompletedTask;
        }
        page = to;
        return LoadAsync();
    }

    /// <summary>
    /// Reads the page the filters, sort and pager ask for; a newer read cancels an older one, whose rows never show. The address
    /// first, then the rows: a click on a row's link after the rows show is never undone by a late address update navigating back
    /// to the roster.
    /// </summary>
    private async Task LoadAsync()
    {
        if (RendererInfo.IsInteractive)
        {
            await Changed.InvokeAsync(new RosterGridState(filter, Layout));
        }
        await ReadAsync();
    }

    private async Task ReadAsync()
    {
        load?.Cancel();
        load?.Dispose();
        var mine = load = new CancellationTokenSource();
        loading = true;
        try
        {
            var actor = await ActorAsync();
            var result = await Roster.ListAsync(actor, filter, new PageRequest(page + 1, pageSize, sort ?? DefaultSort, desc), mine.Token);
            if (ReferenceEquals(load, mine))
            {
                rows = [.. result.Items.Select(r => RosterRowMarkup.Row(r, showVendor: FixedVendorId is null, hidden))];
                total = result.Total;
            }
        }
        catch (OperationCanceledException) when (mine.IsCancellationRequested)
        {
            // A newer read replaced this one.
        }
        finally
        {
            if (ReferenceEquals(load, mine))
            {
                loading = false;
            }
        }
    }

    public void Dispose()
    {
        load?.Cancel();
        load?.Dispose();
    }

    /// <summary>The filters set other than the search, each with the filter without it: chips while the filters are closed.</summary>
    private IEnumerable<(string Text, RosterFilter Without)> FiltersSet()
    {
        if (FixedVendorId is null && filter.VendorId is { } vendor)
        {
            yield return ($"Vendor: {VendorName(vendor)}", filter with { VendorId = null });
        }
        if (filter.Groups.Count > 0)
        {
            yield return ($"Citizenship group: {string.Join(", ", filter.Groups.Select(RosterUrl.GroupLabel))}", filter with { Groups = [] });
        }
        foreach (var c in filter.Citizenships)
        {
            yield return ($"Holds citizenship: {Iso3166.NameOf(c)} ({c})", filter with { Citizenships = [.. filter.Citizenships.Where(x => x != c)] });
        }
        if (filter.WorkCountry is { } country)
        {
            yield return ($"Works in: {Iso3166.NameOf(country)} ({country})", filter with { WorkCountry = null });
        }
        if (filter.SystemId is { } system)
        {
            yield return ($"System: {SystemName(system)}", filter with { SystemId = null });
        }
        if (filter.ImpactLevel is { } level)
        {
            yield return ($"Impact level: {Words.Of(level)}", filter with { ImpactLevel = null });
        }
        if (filter.GrantStatus is { } grant)
        {
            yield return ($"Has a grant that is: {StatusStyle.Label(grant)}", filter with { GrantStatus = null });
        }
        if (filter.Escorted is { } escorted)
        {
            yield return ($"Escorted: {EscortedLabel(escorted)}", filter with { Escorted = null });
        }
        if (filter.UsPerson is { } usPerson)
        {
            yield return (usPerson ? "US persons (citizens, nationals, permanent residents)" : "Not US persons (need an escort)", filter with { UsPerson = null });
        }
        if (filter.EmployerType is { } employer)
        {
            yield return ($"Employer type: {EmployerLabel(employer)}", filter with { EmployerType = null });
        }
        if (filter.Attestation.Count > 0)
        {
            yield return ($"Attestation: {string.Join(", ", filter.Attestation.Select(RosterUrl.AttestationLabel))}", filter with { Attestation = [] });
        }
        if (filter.Status is { } status)
        {
            yield return ($"Employment: {Words.Of(status)}", filter with { Status = null });
        }
        if (filter.SuspendedByPolicy is { } policy)
        {
            yield return (RosterUrl.SuspendedByPolicyLabel(policy), filter with { SuspendedByPolicy = null });
        }
    }

    private static string EscortedLabel(bool escorted) => escorted ? "Under an active escort" : "Not escorted";

    private string VendorName(Guid? id) => id is { } v ? vendors.FirstOrDefault(x => x.Id == v)?.Name ?? "" : "";

    private string SystemName(Guid? id) => id is { } v && systems.FirstOrDefault(x => x.Id == v) is { } s ? $"{s.Name} ({s.ImpactLevel})" : "";

    private Task<IEnumerable<Guid?>> SearchVendorsAsync(string? text, CancellationToken ct) =>
        Task.FromResult(Search(vendors.Select(v => (v.Id, v.Name)), text));

    private Task<IEnumerable<Guid?>> SearchSystemsAsync(string? text, CancellationToken ct) =>
        Task.FromResult(Search(systems.Select(s => (s.Id, $"{s.Name} ({s.ImpactLevel})")), text));

    /// <summary>The entries whose name contains the text; all of them when it is empty or is a whole name (the one already chosen).</summary>
    private static IEnumerable<Guid?> Search(IEnumerable<(Guid Id, string Name)> entries, string? text)
    {
        var all = entries.ToList();
        var term = text?.Trim() ?? "";
        var whole = term.Length == 0 || all.Exists(e => e.Name == term);
        return all.Where(e => whole || e.Name.Contains(term, StringComparison.OrdinalIgnoreCase)).Select(e => (Guid?)e.Id).ToList();
    }

    // The grid's icons, as markup inside this component's tree rather than a MudIcon component each.
    private static readonly MarkupString SortIcon = new(Icons.Material.Filled.ArrowUpward);
    private static readonly MarkupString FirstPageIcon = new(Icons.Material.Filled.FirstPage);
    private static readonly MarkupString PreviousPageIcon = new(Icons.Material.Filled.NavigateBefore);
    private static readonly MarkupString NextPageIcon = new(Icons.Material.Filled.NavigateNext);
    private static readonly MarkupString LastPageIcon = new(Icons.Material.Filled.LastPage);


    public static string EmployerLabel(EmployerType type) => RosterLabels.Employer(type);
}

/// <summary>What the roster grid shows: its filters and its layout (order, page, rows per page, hidden columns).</summary>
public sealed record RosterGridState(RosterFilter Filter, GridUrlState Layout)
{
    /// <summary>The roster's address for this state, on the roster page or on the page that embeds the grid (a vendor's).</summary>
    public string Url(bool withVendor, string path = "/roster") =>
        Layout.AppendTo(RosterUrl.Build(withVendor ? Filter : Filter with { VendorId = null }, path), RosterGrid.DefaultPageSize);
}
