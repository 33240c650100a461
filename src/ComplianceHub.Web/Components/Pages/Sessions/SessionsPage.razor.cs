using Microsoft.AspNetCore.Components;
using MudBlazor;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Components.Account;
using ComplianceHub.Web.Components.Shared;
using ComplianceHub.Core.Features.Systems;
using System.Globalization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Vendors;

namespace ComplianceHub.Web.Components.Pages.Sessions;

public partial class SessionsPage
{
    // The address's filters: these parameters make the page hear a change of them (SessionsUrl reads them).
    [SupplyParameterFromQuery(Name = "status")] public string? StatusParameter { get; set; }
    [SupplyParameterFromQuery(Name = "system")] public string? SystemParameter { get; set; }
    [SupplyParameterFromQuery(Name = "vendor")] public string? VendorParameter { get; set; }
    [SupplyParameterFromQuery(Name = "q")] public string? SearchParameter { get; set; }
    [SupplyParameterFromQuery(Name = "from")] public string? FromParameter { get; set; }
    [SupplyParameterFromQuery(Name = "to")] public string? ToParameter { get; set; }

    private MudDataGrid<EscortedSessionRow>? grid;
    private GridLayout gridLayout = default!;
    private EscortedSessionFilter filter = new();
    private bool isRep;
    private bool canWrite;
    private IReadOnlyList<VendorView> vendors = [];
    private IReadOnlyList<SystemView> systems = [];
    private int signOffHours = 24;
    private string? sort;
    private bool desc = true;

    private static readonly IReadOnlyList<ExportColumn<EscortedSessionRow>> exportColumns =
    [
        new("Vendor", s => s.VendorName), new("Escort", s => s.EscortName), new("Person", s => s.PersonName), new("System", s => s.SystemName),
        new("Start (UTC)", s => ReaderClock.Utc(s.StartedAt)), new("End (UTC)", s => ReaderClock.Utc(s.EndedAt)),
        new("Change ticket", s => s.ChangeTicket), new("Summary", s => s.Summary), new("Status", s => StatusText(s.Status)),
        new("Signed off at (UTC)", s => s.SignedOffAt is { } at ? ReaderClock.Utc(at) : ""), new("Signed off recorded by", s => s.SignedOffByName ?? ""),
    ];

    protected override void OnInitialized() =>
        gridLayout = new GridLayout(Navigation, 25, SessionsUrl.SortKeys, SessionsUrl.Columns);

    protected override async Task OnInitializedAsync()
    {
        var actor = await ActorAsync();
        isRep = actor.IsVendorRepresentative;
        if (isRep)
        {
            gridLayout.Offer(SessionsUrl.Columns.Where(c => c.Key != "vendor"));
        }
        canWrite = actor.IsVendorRepresentative || actor.IsContractingOfficer;
        vendors = isRep ? [] : await Vendors.VendorsAsync(actor);
        systems = await Vendors.SystemsAsync();
        signOffHours = await Sessions.SignOffHoursAsync();
    }

    protected override async Task OnParametersSetAsync()
    {
        var next = SessionsUrl.Parse(Navigation.Uri);
        if (next != filter)
        {
            filter = next;
            await grid.FirstPageAsync();
        }
    }

    public static DateOnly? ParseDay(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    public static string StatusText(SessionStatus s) => Words.Of(s);

    private static Color ColorOf(SessionStatus s) => s switch
    {
        SessionStatus.SignedOff => Color.Success,
        SessionStatus.AwaitingSignOff => Color.Warning,
        _ => Color.Error,
    };

    /// <summary>A filter change goes through the address bar, with the grid's layout, so the list can be bookmarked or saved.</summary>
    private Task ApplyAsync(EscortedSessionFilter next)
    {
        Navigation.NavigateTo(gridLayout.With(SessionsUrl.Build(next)), replace: true);
        return Task.CompletedTask;
    }

    private async Task<GridData<EscortedSessionRow>> LoadAsync(GridState<EscortedSessionRow> state, CancellationToken ct)
    {
        gridLayout.Observe(state);
        sort = gridLayout.SortKey(state);
        desc = sort is null || gridLayout.Descending; // the default order: the latest start first
        var actor = await ActorAsync();
        var page = await Sessions.ListAsync(actor, filter, new PageRequest(state.Page + 1, state.PageSize, sort, desc), ct);
        return new GridData<EscortedSessionRow> { Items = page?.Items ?? [], TotalItems = page?.Total ?? 0 };
    }

    private async Task<PagedResult<EscortedSessionRow>> ExportPageAsync(int page, CancellationToken ct)
    {
        var actor = await ActorAsync();
        return await Sessions.ListAsync(actor, filter, PageRequest.ForExport(page, sort, desc), ct) ?? new PagedResult<EscortedSessionRow>([], page, 0, 0);
    }

    private async Task RecordAsync()
    {
        var dialog = await Dialogs.ShowAsync<RecordSessionDialog>((string?)null, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is { Canceled: false })
        {
            Snackbar.Add("Session recorded. The escort signs it off within the policy's hours.", MudBlazor.Severity.Success);
            if (grid is not null) { await grid.ReloadServerData(); }
        }
    }

    private async Task SignOffAsync(EscortedSessionRow row)
    {
        var parameters = new DialogParameters<SignOffDialog> { { d => d.Row, row } };
        var dialog = await Dialogs.ShowAsync<SignOffDialog>(null, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is { Canceled: false })
        {
            Snackbar.Add($"Session of {row.PersonName} signed off.", MudBlazor.Severity.Success);
            if (grid is not null) { await grid.ReloadServerData(); }
        }
    }
}
