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

namespace ComplianceHub.Web.Components.Pages.Escorts;

public partial class EscortBoardPage
{
    /// <summary>An initial vendor filter from the address (<c>/escorts?vendor=…</c>), as the dashboard links.</summary>
    [SupplyParameterFromQuery(Name = "vendor")] public string? VendorParameter { get; set; }

    private MudDataGrid<EscortRow>? escortGrid;
    private MudDataGrid<UnescortedRow>? unescortedGrid;
    private IReadOnlyList<VendorView> vendors = [];
    private Guid? vendorId;
    private string? search;
    private EscortQualification? qualification;
    private bool? valid;
    private bool? atCapacity;
    private string? unescortedSearch;
    private (string? Sort, bool Desc) escortSort;
    private (string? Sort, bool Desc) unescortedSort;

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

    protected override async Task OnInitializedAsync()
    {
        var actor = await ActorAsync();
        vendors = await VendorList.VendorsAsync(actor);
        vendorId = Guid.TryParse(VendorParameter, out var id) && vendors.Any(v => v.Id == id) ? id : null;
    }

    private EscortBoardFilter EscortFilter => new(search, vendorId, qualification, valid, atCapacity);

    private UnescortedFilter PeopleFilter => new(unescortedSearch, vendorId);

    private async Task<GridData<EscortRow>> LoadEscortsAsync(GridState<EscortRow> state, CancellationToken ct)
    {
        var actor = await ActorAsync();
        var sort = state.SortDefinitions.FirstOrDefault();
        escortSort = (sort?.SortBy switch
        {
            nameof(EscortRow.VendorName) => "vendor",
            nameof(EscortRow.Qualification) => "qualification",
            nameof(EscortRow.TrainedOn) => "trainedOn",
            nameof(EscortRow.Supervising) => "supervising",
            nameof(EscortRow.Valid) => "valid",
            _ => "name",
        }, sort?.Descending ?? false);
        var page = await Board.EscortsAsync(actor, EscortFilter, new PageRequest(state.Page + 1, state.PageSize, escortSort.Sort, escortSort.Desc), ct);
        return new GridData<EscortRow> { Items = page.Items, TotalItems = page.Total };
    }

    private async Task<GridData<UnescortedRow>> LoadUnescortedAsync(GridState<UnescortedRow> state, CancellationToken ct)
    {
        var actor = await ActorAsync();
        var sort = state.SortDefinitions.FirstOrDefault();
        unescortedSort = (sort?.SortBy switch
        {
            nameof(UnescortedRow.VendorName) => "vendor",
            nameof(UnescortedRow.WorkCountry) => "workCountry",
            nameof(UnescortedRow.ActiveGrants) => "grants",
            _ => "name",
        }, sort?.Descending ?? false);
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

    private async Task ReloadAsync(bool escorts = true, bool people = true)
    {
        if (escorts && escortGrid is not null) { await escortGrid.ReloadServerData(); }
        if (people && unescortedGrid is not null) { await unescortedGrid.ReloadServerData(); }
    }

    private Task OnVendorChanged(string? value)
    {
        vendorId = Guid.TryParse(value, out var id) ? id : null;
        return ReloadAsync();
    }

    private Task OnSearchChanged(string? value)
    {
        search = value;
        return ReloadAsync(people: false);
    }

    private Task OnQualificationChanged(string? value)
    {
        qualification = Enum.TryParse<EscortQualification>(value, out var level) ? level : null;
        return ReloadAsync(people: false);
    }

    private Task OnValidChanged(string? value)
    {
        valid = ParseYesNo(value);
        return ReloadAsync(people: false);
    }

    private Task OnCapacityChanged(string? value)
    {
        atCapacity = ParseYesNo(value);
        return ReloadAsync(people: false);
    }

    private Task OnUnescortedSearchChanged(string? value)
    {
        unescortedSearch = value;
        return ReloadAsync(escorts: false);
    }
}
