using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Features.AccessReviews;
using ComplianceHub.Core.Features.Contracts;
using ComplianceHub.Core.Features.Systems;
using ComplianceHub.Core.Features.Vendors;
using ComplianceHub.Web.Api;
using ComplianceHub.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ComplianceHub.Web.Components.Pages.AccessReviews;

/// <summary>
/// One campaign: its status, deadline, progress, decisions per vendor, and its items — filtered, sorted and paged on the server,
/// with the filters in the address — with the bulk decisions of reviewers (never of auditors) and the report's downloads.
/// </summary>
public partial class CampaignPage
{
    [Inject] private AccessReviewsQuery Reviews { get; set; } = default!;
    [Inject] private VendorsQuery Vendors { get; set; } = default!;
    [Inject] private SystemsQuery Systems { get; set; } = default!;
    [Inject] private ContractsQuery Contracts { get; set; } = default!;
    [Inject] private CommandExecutor Executor { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Parameter] public Guid Id { get; set; }

    internal static readonly (ExportFormat Format, string Text)[] Formats =
    [
        (ExportFormat.Pdf, "PDF report"),
        (ExportFormat.Csv, "CSV"),
        (ExportFormat.Xlsx, "Excel (XLSX)"),
        (ExportFormat.Json, "JSON"),
    ];

    private static readonly IReadOnlyDictionary<string, string> SortKeys = new Dictionary<string, string>
    {
        [nameof(AccessReviewItemView.PersonName)] = "person",
        [nameof(AccessReviewItemView.VendorName)] = "vendor",
        [nameof(AccessReviewItemView.SystemName)] = "system",
        [nameof(AccessReviewItemView.Status)] = "status",
        [nameof(AccessReviewItemView.Recommendation)] = "recommendation",
        [nameof(AccessReviewItemView.DecidedAt)] = "decidedAt",
    };

    private MudDataGrid<AccessReviewItemView>? grid;
    private GridLayout gridLayout = default!;
    private AccessReviewCampaignView? campaign;
    private AccessReviewCampaignSummary? summary;
    private AccessReviewItemFilter filter = new();
    private Dictionary<Guid, string> scopeNames = [];
    private readonly AccessReviewSelection selection = new();
    private IReadOnlyCollection<Guid> pageIds = [];
    private int matching;
    private bool isRep;
    private bool canDecide;
    private string? sort;
    private bool desc;

    private Guid? FirstVendor => filter.VendorIds.Count > 0 ? filter.VendorIds[0] : null;
    private Guid? FirstSystem => filter.SystemIds.Count > 0 ? filter.SystemIds[0] : null;

    protected override void OnInitialized() => gridLayout = new GridLayout(Navigation, 25, SortKeys);

    protected override async Task OnParametersSetAsync()
    {
        var actor = await ActorAsync();
        isRep = actor.IsVendorRepresentative;
        canDecide = actor.IsContractingOfficer || isRep;
        var next = Parse(Navigation.Uri);
        var changed = !Same(next, filter);
        filter = next;
        if (campaign is null || campaign.Id != Id)
        {
            campaign = await Reviews.CampaignAsync(actor, Id);
            if (campaign is null)
            {
                // Missing, or holding nothing the reader may see: the same 404, so nobody learns that it exists.
                Navigation.NotFound();
                return;
            }
            if (!isRep)
            {
                scopeNames = await AccessReviewsPage.ScopeNamesAsync(actor, Vendors, Systems, Contracts);
            }
            await RefreshAsync();
        }
        else if (changed)
        {
            selection.Clear();
            await CountMatchingAsync();
            await grid.FirstPageAsync();
        }
    }

    private async Task RefreshAsync()
    {
        var actor = await ActorAsync();
        campaign = await Reviews.CampaignAsync(actor, Id) ?? campaign;
        summary = await Reviews.SummaryAsync(actor, Id);
        await CountMatchingAsync();
    }

    /// <summary>How many items the grid's filter matches that the reader may decide now ("select all N matching").</summary>
    private async Task CountMatchingAsync()
    {
        matching = canDecide && campaign?.Status == CampaignStatus.Open
            ? (await Reviews.SelectAsync(await ActorAsync(), Id, filter with { Mine = true })).Matching
            : 0;
    }

    private async Task<GridData<AccessReviewItemView>> LoadAsync(GridState<AccessReviewItemView> state, CancellationToken ct)
    {
        gridLayout.Observe(state); // before any await: a later read (a sort click) must not be overwritten by an earlier one
        var actor = await ActorAsync();
        sort = gridLayout.SortKey(state);
        desc = sort is not null && state.SortDefinitions.First().Descending;
        var page = await Reviews.ItemsAsync(actor, Id, filter, new PageRequest(state.Page + 1, state.PageSize, sort, desc), ct);
        pageIds = page.Items.Where(i => i.CanDecide).Select(i => i.Id).ToList();
        return new GridData<AccessReviewItemView> { Items = page.Items, TotalItems = page.Total };
    }

    /// <summary>A filter change goes through the address bar, so the list can be bookmarked and Back works.</summary>
    private Task ApplyAsync(AccessReviewItemFilter next)
    {
        var query = string.Join('&', AccessReviewUrls.Query(next));
        Navigation.NavigateTo(gridLayout.With($"/access-reviews/campaigns/{Id}{(query.Length == 0 ? "" : "?" + query)}"), replace: true);
        return Task.CompletedTask;
    }

    /// <summary>Sends the decision for the ticked ids, or for every item the filter matches with the count confirmed.</summary>
    private async Task<Outcome<AccessReviewDecisionResult>> SendAsync(AccessReviewDecision decision, string? comment, int expected,
        IProgress<AccessReviewProgress> progress)
    {
        var actor = await ActorAsync();
        var command = selection.AllMatching is not null
            ? new DecideAccessReviewItems(Id, null, filter with { Mine = true }, decision, comment, expected)
            : new DecideAccessReviewItems(Id, selection.Ids, null, decision, comment, expected);
        // The decision runs off the circuit's thread so its progress (chunks of one transaction) reaches the page as it goes.
        return await Task.Run(async () =>
        {
            using var scope = AccessReviewProgressScope.Begin(progress);
            return await Executor.SendAsync(actor, command);
        });
    }

    private async Task AppliedAsync(AccessReviewDecisionResult result)
    {
        await RefreshAsync();
        if (grid is not null)
        {
            await grid.ReloadServerData();
        }
    }

    private async Task ReassignAsync(IReadOnlyList<Guid> ids)
    {
        if (ids.Count == 0)
        {
            return;
        }
        var actor = await ActorAsync();
        var options = await Reviews.ReviewerOptionsAsync(actor, ids[0]);
        var parameters = new DialogParameters<ReassignDialog> { { d => d.Options, options }, { d => d.Count, ids.Count } };
        var dialog = await Dialogs.ShowAsync<ReassignDialog>(null, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is not { Canceled: false, Data: ReassignChoice choice })
        {
            return;
        }
        var outcome = await Executor.SendAsync(actor, new ReassignAccessReviewItems(Id, ids, choice.ReviewerId, choice.Reason));
        if (outcome.IsOk)
        {
            Snackbar.Add($"{ids.Count:N0} {(ids.Count == 1 ? "item" : "items")} reassigned.", Severity.Success);
            selection.Clear();
            await AppliedAsync(new AccessReviewDecisionResult(0, 0, 0, 0, false));
        }
        else
        {
            Snackbar.Add(outcome.RefusedItems.Count > 0
                ? string.Join(" ", outcome.RefusedItems.Select(r => $"{r.Label}: {r.Reason}"))
                : AccessReviewsPage.Problem(outcome.Message, outcome.Errors), Severity.Error);
        }
    }

    /// <summary>Whether a filter selects everything (records with lists do not compare by content).</summary>
    internal static bool IsEmpty(AccessReviewItemFilter f) => Same(f, new AccessReviewItemFilter());

    internal static bool Same(AccessReviewItemFilter a, AccessReviewItemFilter b) =>
        a.VendorIds.SequenceEqual(b.VendorIds) && a.SystemIds.SequenceEqual(b.SystemIds)
        && a.Status == b.Status && a.Stage == b.Stage && a.Recommendation == b.Recommendation && a.AccessType == b.AccessType
        && a.Escorted == b.Escorted && a.ForeignNational == b.ForeignNational && a.Stale == b.Stale && a.Mine == b.Mine
        && string.Equals(a.Search, b.Search, StringComparison.Ordinal);

    /// <summary>The filter the address holds (as <see cref="AccessReviewUrls.Query"/> writes it).</summary>
    internal static AccessReviewItemFilter Parse(string uri)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(uri).Query);
        string? One(string key) => query.TryGetValue(key, out var v) ? v.ToString() : null;
        List<Guid> Ids(string key) => query.TryGetValue(key, out var v) ? v.Select(x => Guid.TryParse(x, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).ToList() : [];
        bool? Bool(string key) => bool.TryParse(One(key), out var b) ? b : null;
        T? Enum<T>(string key) where T : struct, System.Enum => System.Enum.TryParse<T>(One(key), true, out var e) && System.Enum.IsDefined(e) ? e : null;
        return new AccessReviewItemFilter
        {
            VendorIds = Ids("vendorId"),
            SystemIds = Ids("systemId"),
            Status = Enum<AccessReviewItemStatus>("status"),
            Stage = int.TryParse(One("stage"), out var stage) && stage is 1 or 2 ? stage : null,
            Recommendation = Enum<AccessReviewRecommendation>("recommendation"),
            AccessType = Enum<AccessType>("accessType"),
            Escorted = Bool("escorted"),
            ForeignNational = Bool("foreignNational"),
            Stale = Bool("stale"),
            Mine = Bool("mine") == true,
            Search = string.IsNullOrWhiteSpace(One("search")) ? null : One("search"),
        };
    }
}
