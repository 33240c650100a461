using Microsoft.AspNetCore.Components;
using MudBlazor;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Components.Shared;
using ComplianceHub.Web.Components.Account;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Screening;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Features.Screening;

namespace ComplianceHub.Web.Components.Pages.Screening;

public partial class ScreeningPage
{
    [SupplyParameterFromQuery(Name = "status")] public string? StatusParameter { get; set; }
    [SupplyParameterFromQuery(Name = "q")] public string? SearchParameter { get; set; }

    private MudDataGrid<ScreeningHitRow>? grid;
    private GridLayout gridLayout = default!;
    private HitStatus? status = HitStatus.Pending;
    private string? search;
    private string? sort;
    private bool desc = true;
    private bool isOfficer;
    private bool busy;
    private readonly BulkSelectionState selection = new();
    private IReadOnlyCollection<Guid> pageIds = [];
    private int matching;

    private static readonly IReadOnlyList<(string Key, string What)> hitKeys = [("T", "true match"), ("F", "false positive")];

    private IReadOnlyList<BulkAction> hitActions =>
    [
        new("Clear as false positives", "cleared as false positives", async (ids, notes, dryRun) =>
            await Executor.SendAsync(await ActorAsync(), new AdjudicateScreeningHits(ids, HitDecision.FalsePositive, notes, dryRun)))
        {
            InputLabel = "Due diligence (identifiers compared, sources checked)",
            Explanation = "Each hit is recorded as a false positive with your notes; a person's held grants are released once no other hit of theirs is pending (every other rule is checked again).",
            Color = Color.Success,
            TestId = "bulk-false-positive",
        },
        new("Confirm as true matches", "recorded as true matches; their grants stay held", async (ids, notes, dryRun) =>
            await Executor.SendAsync(await ActorAsync(), new AdjudicateScreeningHits(ids, HitDecision.TrueMatch, notes, dryRun)))
        {
            InputLabel = "Due diligence (identifiers compared, sources checked)",
            Explanation = "Each hit is recorded as a true match: every grant of those people stays held.",
            Color = Color.Error,
            TestId = "bulk-true-match",
        },
    ];

    private readonly IReadOnlyList<ExportColumn<ScreeningHitRow>> columns =
    [
        new("Person", h => h.PersonName), new("Employee id", h => h.EmployeeId), new("Vendor", h => h.VendorName),
        new("Citizenships", h => h.Citizenships), new("Born in", h => h.CountryOfBirth), new("Listed name", h => h.MatchedName),
        new("Entry", h => h.EntryKey), new("List version", h => h.ListVersion), new("Entry countries", h => h.EntryCountries),
        new("Programs", h => h.Programs), new("Score", h => h.Score), new("Status", h => h.Status.ToString()), new("Detected", h => h.DetectedAt),
        new("Adjudicated by", h => h.AdjudicatedBy), new("Adjudicated at", h => h.AdjudicatedAt), new("Notes", h => h.Notes),
    ];

    protected override void OnInitialized() => gridLayout = new GridLayout(Navigation, 25, ScreeningUrl.SortKeys, ScreeningUrl.Columns);

    protected override async Task OnInitializedAsync() => isOfficer = (await CurrentActor.GetAsync())?.IsContractingOfficer == true;

    /// <summary>The filters come from the address: at start (a bookmark, a saved view) and after each change of them.</summary>
    protected override async Task OnParametersSetAsync()
    {
        var (nextStatus, nextSearch) = (ScreeningUrl.Status(StatusParameter), ScreeningUrl.Search(SearchParameter));
        if (nextStatus != status || nextSearch != search)
        {
            (status, search) = (nextStatus, nextSearch);
            selection.Clear();
            if (grid is not null)
            {
                await grid.ReloadServerData();
            }
        }
    }

    public static string StatusLabel(HitStatus status) => status switch
    {
        HitStatus.Pending => "Awaiting decision",
        HitStatus.TrueMatch => "True match",
        HitStatus.FalsePositive => "False positive",
        _ => "Superseded by a later list",
    };

    private static Color StatusColor(HitStatus status) => status switch
    {
        HitStatus.Pending => Color.Warning,
        HitStatus.TrueMatch => Color.Error,
        HitStatus.FalsePositive => Color.Success,
        _ => Color.Default,
    };

    private async Task<GridData<ScreeningHitRow>> LoadAsync(GridState<ScreeningHitRow> state, CancellationToken ct)
    {
        gridLayout.Observe(state); // before any await: a later read (a sort click) must not be overwritten by an earlier one
        var actor = await ActorAsync();
        sort = gridLayout.SortKey(state);
        desc = sort is null || state.SortDefinitions.First().Descending;
        var page = await Hits.ListAsync(actor, status, search, new PageRequest(state.Page + 1, state.PageSize, sort, desc), ct);
        pageIds = page.Items.Where(h => h.Status == HitStatus.Pending).Select(h => h.Id).ToList();
        matching = status is null or HitStatus.Pending && isOfficer ? (await Hits.PendingAsync(actor, search, ct)).Matching : pageIds.Count;
        return new GridData<ScreeningHitRow> { Items = page.Items, TotalItems = page.Total };
    }

    private async Task<PagedResult<ScreeningHitRow>> ExportPageAsync(int page, CancellationToken ct)
    {
        var actor = await ActorAsync();
        return await Hits.ListAsync(actor, status, search, PageRequest.ForExport(page, sort, desc), ct);
    }

    /// <summary>"Select all N matching": the pending hits of the search (the only ones that can be adjudicated).</summary>
    private async Task<BulkSelection> ResolvePendingAsync() => await Hits.PendingAsync(await ActorAsync(), search);

    private async Task AppliedAsync(BulkResult result)
    {
        if (grid is not null)
        {
            await grid.ReloadServerData();
        }
    }

    /// <summary>A filter change goes through the address (kept with the grid's layout), so the queue can be bookmarked and saved.</summary>
    private void Apply(HitStatus? nextStatus, string? nextSearch) =>
        Navigation.NavigateTo(gridLayout.With(ScreeningUrl.Build(nextStatus, nextSearch)), replace: true);

    private void OnStatus(HitStatus? value) => Apply(value, search);

    private void OnSearch(string? value) => Apply(status, value);

    private async Task AdjudicateAsync(ScreeningHitRow hit, HitDecision decision)
    {
        var parameters = new DialogParameters<ReasonDialog>
        {
            { d => d.Title, decision == HitDecision.TrueMatch ? $"{hit.PersonName} is {hit.MatchedName}" : $"{hit.PersonName} is not {hit.MatchedName}" },
            {
                d => d.Text, decision == HitDecision.TrueMatch
                    ? "A true match keeps every grant of the person held. Record the due diligence: identifiers compared, sources checked."
                    : "A false positive releases the grants held for this hit (every other rule is checked again) and stands across later list versions until the name changes. Record the due diligence: identifiers compared, sources checked."
            },
            { d => d.ConfirmText, decision == HitDecision.TrueMatch ? "Confirm true match" : "Confirm false positive" },
        };
        var dialog = await Dialogs.ShowAsync<ReasonDialog>(null, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is not { Canceled: false, Data: string notes })
        {
            return;
        }
        busy = true;
        try
        {
            var actor = await ActorAsync();
            var outcome = await Executor.SendAsync(actor, new AdjudicateScreeningHit(hit.Id, decision, notes));
            if (outcome.IsOk)
            {
                // Decided, the hit leaves the selection (the bar would otherwise count, and act on, a hit no longer pending).
                if (selection.IsSelected(hit.Id))
                {
                    selection.Toggle(hit.Id, false);
                }
                var released = outcome.Value!.Consequences.ReactivatedGrants.Count;
                Snackbar.Add(decision == HitDecision.TrueMatch
                    ? $"{hit.PersonName} recorded as a true match of {hit.MatchedName}; their grants stay held."
                    : $"{hit.PersonName} cleared: false positive recorded, {released} {(released == 1 ? "grant" : "grants")} released.", Severity.Success);
            }
            else
            {
                Snackbar.Add(outcome.Errors is { Count: > 0 } errors ? string.Join(" ", errors.SelectMany(e => e.Value)) : outcome.Message ?? "The decision was not recorded.",
                    Severity.Error);
            }
        }
        finally
        {
            busy = false;
        }
        if (grid is not null)
        {
            await grid.ReloadServerData();
        }
    }
}
