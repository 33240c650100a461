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

namespace ComplianceHub.Web.Components.Pages.Requests;

public partial class RequestsPage
{
    private bool isRep;
    private GrantRequestState grantState = GrantRequestState.All;
    private string? grantSearch;
    private string? grantSort;
    private bool grantDesc = true;
    private EscortRequestStatus? escortStatus;
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

    protected override async Task OnInitializedAsync() => isRep = (await CurrentActor.GetAsync())?.IsVendorRepresentative == true;

    private async Task<GridData<GrantRequestRow>> LoadGrantsAsync(GridState<GrantRequestRow> state, CancellationToken ct)
    {
        var actor = await ActorAsync();
        var sort = state.SortDefinitions.FirstOrDefault();
        grantSort = sort?.SortBy switch
        {
            nameof(GrantRequestRow.PersonName) => "personName",
            nameof(GrantRequestRow.SystemName) => "systemName",
            nameof(GrantRequestRow.Status) => "status",
            nameof(GrantRequestRow.RequestedAt) => "requestedAt",
            _ => null,
        };
        grantDesc = sort?.Descending ?? true;
        var page = await Requests.GrantsAsync(actor, grantState, grantSearch, null, new PageRequest(state.Page + 1, state.PageSize, grantSort, grantDesc), ct);
        return new GridData<GrantRequestRow> { Items = page.Items, TotalItems = page.Total };
    }

    private async Task<GridData<EscortRequestRow>> LoadEscortsAsync(GridState<EscortRequestRow> state, CancellationToken ct)
    {
        var actor = await ActorAsync();
        var page = await Requests.EscortRequestsAsync(actor, escortStatus, null, new PageRequest(state.Page + 1, state.PageSize), ct);
        return new GridData<EscortRequestRow> { Items = page.Items, TotalItems = page.Total };
    }

    private async Task<PagedResult<EscortRequestRow>> ExportEscortsAsync(int page, CancellationToken ct)
    {
        var actor = await ActorAsync();
        return await Requests.EscortRequestsAsync(actor, escortStatus, null, PageRequest.ForExport(page, null, true), ct);
    }

    private async Task<GridData<RefusedRequestRow>> LoadRefusalsAsync(GridState<RefusedRequestRow> state, CancellationToken ct)
    {
        var actor = await ActorAsync();
        var page = await Requests.RefusalsAsync(actor, new PageRequest(state.Page + 1, state.PageSize), ct);
        return new GridData<RefusedRequestRow> { Items = page.Items, TotalItems = page.Total };
    }

    private async Task<PagedResult<RefusedRequestRow>> ExportRefusalsAsync(int page, CancellationToken ct)
    {
        var actor = await ActorAsync();
        return await Requests.RefusalsAsync(actor, PageRequest.ForExport(page, null, true), ct);
    }

    private async Task SetGrantStateAsync(GrantRequestState state)
    {
        grantState = state;
        await grantGrid!.ReloadServerData();
    }

    private async Task SetGrantSearchAsync(string? search)
    {
        grantSearch = string.IsNullOrWhiteSpace(search) ? null : search;
        await grantGrid!.ReloadServerData();
    }

    private async Task SetEscortStatusAsync(EscortRequestStatus? status)
    {
        escortStatus = status;
        await escortGrid!.ReloadServerData();
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
