using Microsoft.AspNetCore.Components;
using MudBlazor;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Components.Account;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Features.Requests;
using ComplianceHub.Core.Rules;
using ComplianceHub.Web.Api;
using ComplianceHub.Web.Components.Pages.People;
using ComplianceHub.Web.Components.Shared;

namespace ComplianceHub.Web.Components.Pages.Requests;

public partial class RequestsPage
{
    [SupplyParameterFromQuery(Name = "tab")] public string? TabParameter { get; set; }
    [SupplyParameterFromQuery(Name = "state")] public string? StateParameter { get; set; }
    [SupplyParameterFromQuery(Name = "q")] public string? SearchParameter { get; set; }
    [SupplyParameterFromQuery(Name = "escortStatus")] public string? EscortStatusParameter { get; set; }

    private bool isRep;
    private RequestsFilter filter = new();
    private GridLayout grantLayout = default!;
    private GridLayout escortLayout = default!;
    private GridLayout refusedLayout = default!;
    private string? grantSort;
    private bool grantDesc = true;
    private MudDataGrid<GrantRequestRow>? grantGrid;
    private MudDataGrid<EscortRequestRow>? escortGrid;

    private static readonly IReadOnlyList<ExportColumn<EscortRequestRow>> escortColumns =
    [
        new("Vendor", r => r.VendorName), new("Person", r => r.PersonName), new("Escort", r => r.EscortName), new("System", r => r.SystemName),
        new("Starts on", r => r.Request.StartsOn), new("Ends on", r => r.Request.EndsOn), new("Status", r => Words.Of(r.Request.Status)),
        new("Justification", r => r.Request.Justification), new("Requested by", r => r.Request.RequestedBy), new("Requested at", r => r.Request.RequestedAt),
        new("Decided by", r => r.Request.DecidedBy), new("Decided at", r => r.Request.DecidedAt), new("Reason", r => r.Request.DecisionReason),
    ];

    private static readonly IReadOnlyList<ExportColumn<RefusedRequestRow>> refusedColumns =
    [
        new("Audit sequence", r => r.Sequence), new("When", r => r.OccurredAt), new("Asked by", r => r.ActorName), new("Operation", r => r.Operation),
        new("What", r => What(r)), new("Rules", r => string.Join("; ", r.Rules.Select(x => $"{x.RuleId}: {x.Message}"))),
    ];

    protected override void OnInitialized()
    {
        grantLayout = new GridLayout(Navigation, 25, RequestsUrl.GrantSortKeys, RequestsUrl.GrantColumns);
        escortLayout = new GridLayout(Navigation, 25, new Dictionary<string, string>(), RequestsUrl.EscortColumns, prefix: "escorts.");
        refusedLayout = new GridLayout(Navigation, 25, new Dictionary<string, string>(), prefix: "refused.");
    }

    protected override async Task OnInitializedAsync()
    {
        isRep = (await CurrentActor.GetAsync())?.IsVendorRepresentative == true;
        if (isRep)
        {
            escortLayout.Offer(RequestsUrl.EscortColumns.Where(c => c.Key != "vendor"));
        }
    }

    /// <summary>The tab and the filters come from the address: at start (a bookmark, a saved view) and after each change of them.</summary>
    protected override async Task OnParametersSetAsync()
    {
        var next = RequestsUrl.Parse(TabParameter, StateParameter, SearchParameter, EscortStatusParameter);
        var previous = filter;
        filter = next;
        if (grantGrid is not null && (next.State, next.Search) != (previous.State, previous.Search))
        {
            await grantGrid.ReloadServerData();
        }
        if (escortGrid is not null && next.EscortStatus != previous.EscortStatus)
        {
            await escortGrid.ReloadServerData();
        }
    }

    /// <summary>A filter change goes through the address, with the grid's layout from its first page; the tab is kept.</summary>
    private void Apply(GridLayout layout, RequestsFilter next) => Navigation.NavigateTo(layout.With(RequestsUrl.Build(next)), replace: true);

    private void SetTab(int tab)
    {
        if (tab != filter.Tab)
        {
            filter = filter with { Tab = tab };
            Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("tab", RequestsUrl.TabName(tab)), replace: true);
        }
    }

    private async Task<GridData<GrantRequestRow>> LoadGrantsAsync(GridState<GrantRequestRow> state, CancellationToken ct)
    {
        grantLayout.Observe(state); // before any await: a later read (a sort click) must not be overwritten by an earlier one
        var actor = await ActorAsync();
        grantSort = grantLayout.SortKey(state);
        grantDesc = grantSort is null || state.SortDefinitions.First().Descending;
        var page = await Requests.GrantsAsync(actor, filter.State, filter.Search, null, new PageRequest(state.Page + 1, state.PageSize, grantSort, grantDesc), ct);
        return new GridData<GrantRequestRow> { Items = page.Items, TotalItems = page.Total };
    }

    private async Task<GridData<EscortRequestRow>> LoadEscortsAsync(GridState<EscortRequestRow> state, CancellationToken ct)
    {
        escortLayout.Observe(state);
        var actor = await ActorAsync();
        var page = await Requests.EscortRequestsAsync(actor, filter.EscortStatus, null, new PageRequest(state.Page + 1, state.PageSize), ct);
        return new GridData<EscortRequestRow> { Items = page.Items, TotalItems = page.Total };
    }

    private async Task<PagedResult<EscortRequestRow>> ExportEscortsAsync(int page, CancellationToken ct)
    {
        var actor = await ActorAsync();
        return await Requests.EscortRequestsAsync(actor, filter.EscortStatus, null, PageRequest.ForExport(page, null, true), ct);
    }

    private async Task<GridData<RefusedRequestRow>> LoadRefusalsAsync(GridState<RefusedRequestRow> state, CancellationToken ct)
    {
        refusedLayout.Observe(state);
        var actor = await ActorAsync();
        var page = await Requests.RefusalsAsync(actor, new PageRequest(state.Page + 1, state.PageSize), ct);
        return new GridData<RefusedRequestRow> { Items = page.Items, TotalItems = page.Total };
    }

    private async Task<PagedResult<RefusedRequestRow>> ExportRefusalsAsync(int page, CancellationToken ct)
    {
        var actor = await ActorAsync();
        return await Requests.RefusalsAsync(actor, PageRequest.ForExport(page, null, true), ct);
    }

    private async Task WithdrawAsync(EscortRequestRow row)
    {
        var actor = await ActorAsync();
        var outcome = await Executor.SendAsync(actor, new WithdrawEscortRequest(row.Request.Id));
        Snackbar.Add(outcome.IsOk ? $"The escort request for {row.PersonName} on {row.SystemName} was withdrawn." : outcome.Message ?? "The request could not be withdrawn.",
            outcome.IsOk ? MudBlazor.Severity.Success : MudBlazor.Severity.Warning);
        await escortGrid!.ReloadServerData();
    }

    /// <summary>"Grant: Jane Roe on Cloud Ops (Privileged), 2026-12-01 – 2027-03-01".</summary>
    public static string What(RefusedRequestRow r)
    {
        var kind = r.SubjectType switch
        {
            "grant" => "Grant",
            "escort-request" => "Escort request",
            "escort-assignment" => "Escort assignment",
            _ => r.Operation,
        };
        var who = r.PersonName ?? "a person no longer visible";
        var escort = r.EscortName is { } e ? $", escorted by {e}" : "";
        var system = r.SystemName is { } s ? $" on {s}" : "";
        var access = r.AccessType is { } a ? $" ({a})" : "";
        var period = r.StartsOn is { } from ? $", {from:yyyy-MM-dd} – {(r.EndsOn is { } to ? to.ToString("yyyy-MM-dd") : "open-ended")}" : "";
        return $"{kind}: {who}{system}{access}{escort}{period}";
    }

}
