using Microsoft.AspNetCore.Components;
using MudBlazor;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Components.Account;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Reference;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Vendors;
using ComplianceHub.Web.Api;
using ComplianceHub.Web.Components.Shared;

namespace ComplianceHub.Web.Components.Pages.Escorts;

public partial class EscortBoardPage
{
    // The address's filters: these parameters make the page hear a change of them (EscortsUrl reads them all; the dashboard links
    // /escorts?vendor=…).
    [SupplyParameterFromQuery(Name = "vendor")] public string? VendorParameter { get; set; }
    [SupplyParameterFromQuery(Name = "q")] public string? SearchParameter { get; set; }
    [SupplyParameterFromQuery(Name = "qualification")] public string? QualificationParameter { get; set; }
    [SupplyParameterFromQuery(Name = "valid")] public string? ValidParameter { get; set; }
    [SupplyParameterFromQuery(Name = "atCapacity")] public string? CapacityParameter { get; set; }
    [SupplyParameterFromQuery(Name = EscortsUrl.Unescorted + "q")] public string? UnescortedSearchParameter { get; set; }

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private MudDataGrid<EscortRow>? escortGrid;
    private MudDataGrid<UnescortedRow>? unescortedGrid;
    private GridLayout escortLayout = default!;
    private GridLayout unescortedLayout = default!;
    private IReadOnlyList<VendorView> vendors = [];
    private EscortBoardFilter filter = new();
    private string? unescortedSearch;
    private (string? Sort, bool Desc) escortSort = ("name", false);
    private (string? Sort, bool Desc) unescortedSort = ("name", false);

    private static readonly IReadOnlyList<ExportColumn<UnescortedRow>> UnescortedColumns =
    [
        new("Person", r => r.FullName),
        new("Employee id", r => r.EmployeeId),
        new("Vendor", r => r.VendorName),
        new("Citizenships", r => Words.Countries(r.Citizenships)),
        new("Work country", r => r.WorkCountry),
        new("Work city", r => r.WorkCity),
        new("Active grants", r => r.ActiveGrants),
        new("Pending grants", r => r.PendingGrants),
        new("Escort", r => EscortText(r)),
    ];

    protected override void OnInitialized()
    {
        escortLayout = new GridLayout(Navigation, 25, EscortsUrl.EscortSortKeys, EscortsUrl.EscortColumns);
        unescortedLayout = new GridLayout(Navigation, 25, EscortsUrl.UnescortedSortKeys, EscortsUrl.UnescortedColumns, prefix: EscortsUrl.Unescorted);
    }

    protected override async Task OnInitializedAsync()
    {
        var actor = await ActorAsync();
        vendors = await VendorList.VendorsAsync(actor);
    }

    protected override async Task OnParametersSetAsync()
    {
        var (next, nextUnescorted) = EscortsUrl.Parse(Navigation.Uri);
        // A vendor the reader does not see is no filter.
        next = next.VendorId is { } id && vendors.All(v => v.Id != id) ? next with { VendorId = null } : next;
        var (escortsChanged, peopleChanged) = (next != filter, next.VendorId != filter.VendorId || nextUnescorted != unescortedSearch);
        (filter, unescortedSearch) = (next, nextUnescorted);
        if (escortsChanged)
        {
            await escortGrid.FirstPageAsync();
        }
        if (peopleChanged)
        {
            await unescortedGrid.FirstPageAsync();
        }
    }

    private EscortBoardFilter EscortFilter => filter;

    private UnescortedFilter PeopleFilter => new(unescortedSearch, filter.VendorId);

    private async Task<GridData<EscortRow>> LoadEscortsAsync(GridState<EscortRow> state, CancellationToken ct)
    {
        escortLayout.Observe(state);
        var before = escortSort;
        escortSort = (escortLayout.SortKey(state) ?? "name", escortLayout.Descending);
        if (before != escortSort)
        {
            StateHasChanged(); // the export's links follow the order
        }
        var actor = await ActorAsync();
        var page = await Board.EscortsAsync(actor, EscortFilter, new PageRequest(state.Page + 1, state.PageSize, escortSort.Sort, escortSort.Desc), ct);
        return new GridData<EscortRow> { Items = page.Items, TotalItems = page.Total };
    }

    private async Task<GridData<UnescortedRow>> LoadUnescortedAsync(GridState<UnescortedRow> state, CancellationToken ct)
    {
        unescortedLayout.Observe(state);
        unescortedSort = (unescortedLayout.SortKey(state) ?? "name", unescortedLayout.Descending);
        var actor = await ActorAsync();
        var page = await Board.UnescortedAsync(actor, PeopleFilter, new PageRequest(state.Page + 1, state.PageSize, unescortedSort.Sort, unescortedSort.Desc), ct);
        return new GridData<UnescortedRow> { Items = page.Items, TotalItems = page.Total };
    }

    private async Task<PagedResult<UnescortedRow>> FetchUnescortedAsync(int page, CancellationToken ct)
    {
        var actor = await ActorAsync();
        return await Board.UnescortedAsync(actor, PeopleFilter, PageRequest.ForExport(page, unescortedSort.Sort, unescortedSort.Desc), ct);
    }

    private static string? YesNo(bool? value) => value switch { true => "yes", false => "no", null => "" };

    private static bool? ParseYesNo(string? value) => value switch { "yes" => true, "no" => false, _ => null };


    private static string GrantsText(UnescortedRow r) =>
        string.Join(" · ", new[] { r.ActiveGrants > 0 ? $"{r.ActiveGrants} active" : null, r.PendingGrants > 0 ? $"{r.PendingGrants} pending" : null }.OfType<string>());

    private static string EscortText(UnescortedRow r) =>
        r.AssignedEscorts > 0 ? "Assigned escort does not qualify" : "No escort assigned";

    /// <summary>
    /// A filter change goes through the address bar, with both grids' layouts, so the board can be bookmarked or saved. The grid
    /// the filter narrows starts again from its first page.
    /// </summary>
    private void Apply(EscortBoardFilter next, string? nextUnescorted, GridLayout narrowed) =>
        Navigation.NavigateTo(narrowed.With(EscortsUrl.Build(next, nextUnescorted)), replace: true);

    private void OnVendorChanged(string? value) =>
        Apply(filter with { VendorId = Guid.TryParse(value, out var id) ? id : null }, unescortedSearch, escortLayout);

    private void OnSearchChanged(string? value) => Apply(filter with { Search = value }, unescortedSearch, escortLayout);

    private void OnQualificationChanged(string? value) =>
        Apply(filter with { Qualification = Enum.TryParse<EscortQualification>(value, out var level) ? level : null }, unescortedSearch, escortLayout);

    private void OnValidChanged(string? value) => Apply(filter with { Valid = ParseYesNo(value) }, unescortedSearch, escortLayout);

    private void OnCapacityChanged(string? value) => Apply(filter with { AtCapacity = ParseYesNo(value) }, unescortedSearch, escortLayout);

    private void OnUnescortedSearchChanged(string? value) => Apply(filter, value, unescortedLayout);
}
