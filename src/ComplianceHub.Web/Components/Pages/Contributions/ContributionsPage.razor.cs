using Microsoft.AspNetCore.Components;
using MudBlazor;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Components.Account;
using ComplianceHub.Core.Features.Systems;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Contributions;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Features.Contributions;
using ComplianceHub.Core.Features.Vendors;
using ComplianceHub.Core.Rules.Contributions;
using ComplianceHub.Web.Api;
using ComplianceHub.Web.Components.Shared;

namespace ComplianceHub.Web.Components.Pages.Contributions;

public partial class ContributionsPage
{
    [SupplyParameterFromQuery(Name = "vendor")] public string? VendorParameter { get; set; }
    [SupplyParameterFromQuery(Name = "system")] public string? SystemParameter { get; set; }
    [SupplyParameterFromQuery(Name = "repository")] public string? RepositoryParameter { get; set; }
    [SupplyParameterFromQuery(Name = "flag")] public string? FlagParameter { get; set; }
    [SupplyParameterFromQuery(Name = "verdict")] public string? VerdictParameter { get; set; }
    [SupplyParameterFromQuery(Name = "flagged")] public string? FlaggedParameter { get; set; }
    [SupplyParameterFromQuery(Name = "unmatched")] public string? UnmatchedParameter { get; set; }
    [SupplyParameterFromQuery(Name = "q")] public string? SearchParameter { get; set; }
    [SupplyParameterFromQuery(Name = "from")] public string? FromParameter { get; set; }
    [SupplyParameterFromQuery(Name = "to")] public string? ToParameter { get; set; }
    [SupplyParameterFromQuery(Name = "person")] public string? PersonParameter { get; set; }

    private MudDataGrid<ContributionRow>? grid;
    private ContributionFilter filter = new();
    private IReadOnlyList<VendorView> vendors = [];
    private IReadOnlyList<SystemView> systems = [];
    private IReadOnlyList<string> repositories = [];
    private bool isRep;
    private bool canReview;
    private bool canImport;
    private string? sort;
    private bool desc = true;
    private readonly BulkSelectionState selection = new();
    private IReadOnlyCollection<Guid> pageIds = [];
    private int matching;
    private IReadOnlyList<BulkAction> reviewActions = [];

    private GridLayout gridLayout = default!;

    protected override void OnInitialized() =>
        gridLayout = new GridLayout(Navigation, 25, ContributionsUrl.SortKeys, ContributionsUrl.Columns);

    protected override async Task OnInitializedAsync()
    {
        var actor = await CurrentActor.GetAsync();
        if (actor is null)
        {
            return;
        }
        isRep = actor.IsVendorRepresentative;
        canReview = actor.IsContractingOfficer || actor.IsAuditor;
        canImport = actor.IsContractingOfficer || actor.IsAuditor || isRep;
        reviewActions =
        [
            Verdict("Mark no concern", "marked reviewed, no concern", ReviewVerdict.NoConcern, null, "bulk-no-concern", Color.Success),
            Verdict("Needs remediation", "marked as needing remediation", ReviewVerdict.NeedsRemediation, "What needs remediation", "bulk-remediation", Color.Warning),
            Verdict("Escalate", "escalated", ReviewVerdict.Escalated, "Why they are escalated", "bulk-escalate", Color.Error),
        ];
        vendors = isRep ? [] : await Vendors.VendorsAsync(actor);
        systems = await Vendors.SystemsAsync();
        repositories = await Contributions.RepositoriesAsync(actor);
    }

    protected override async Task OnParametersSetAsync()
    {
        var next = ContributionsUrl.Parse(new Dictionary<string, string?>
        {
            ["vendor"] = VendorParameter, ["system"] = SystemParameter, ["repository"] = RepositoryParameter, ["flag"] = FlagParameter,
            ["verdict"] = VerdictParameter, ["flagged"] = FlaggedParameter, ["unmatched"] = UnmatchedParameter, ["q"] = SearchParameter,
            ["from"] = FromParameter, ["to"] = ToParameter, ["person"] = PersonParameter,
        });
        if (next != filter)
        {
            filter = next;
            selection.Clear();
            await grid.FirstPageAsync(); // a new filter opens at its first page
        }
    }

    /// <summary>A filter change goes through the address bar, so the list can be bookmarked and Back works.</summary>
    private Task ApplyAsync(ContributionFilter next)
    {
        Navigation.NavigateTo(gridLayout.With(ContributionsUrl.Build(next)), replace: true);
        return Task.CompletedTask;
    }

    private async Task<GridData<ContributionRow>> LoadAsync(GridState<ContributionRow> state, CancellationToken ct)
    {
        gridLayout.Observe(state); // before any await: a later read (a sort click) must not be overwritten by an earlier one
        var actor = await ActorAsync();
        sort = gridLayout.SortKey(state);
        desc = sort is null || gridLayout.Descending;
        var page = await Contributions.ListAsync(actor, filter, new PageRequest(state.Page + 1, state.PageSize, sort, desc), ct);
        pageIds = page.Items.Select(i => i.Id).ToList();
        matching = page.Total;
        return new GridData<ContributionRow> { Items = page.Items, TotalItems = page.Total };
    }

    /// <summary>A bulk verdict: the same verdict and notes on every selected contribution (notes required unless no concern).</summary>
    private BulkAction Verdict(string label, string done, ReviewVerdict verdict, string? notes, string testId, Color color) =>
        new(label, done, async (ids, text, dryRun) =>
            await Executor.SendAsync(await ActorAsync(), new ReviewContributions(ids, verdict, text.Length == 0 ? null : text, dryRun)))
        {
            InputLabel = notes,
            Explanation = $"Each selected contribution gets the verdict “{Words.Of(verdict)}”, recorded with your name and audited.",
            Color = color,
            TestId = testId,
        };

    private async Task<BulkSelection> ResolveMatchingAsync() => await Contributions.MatchingAsync(await ActorAsync(), filter, sort, desc);

    private async Task AppliedAsync(BulkResult result)
    {
        if (grid is not null)
        {
            await grid.ReloadServerData();
        }
    }

    private static DateTime? ToDate(DateOnly? day) => day?.ToDateTime(TimeOnly.MinValue);

    private static DateOnly? ToDay(DateTime? date) => date is { } d ? DateOnly.FromDateTime(d) : null;

    public static string VerdictText(ReviewVerdict verdict) => verdict switch
    {
        ReviewVerdict.NoConcern => "Reviewed — no concern",
        ReviewVerdict.NeedsRemediation => "Needs remediation",
        ReviewVerdict.Escalated => "Escalated",
        _ => "Not reviewed",
    };

    public static Color VerdictColor(ReviewVerdict verdict) => verdict switch
    {
        ReviewVerdict.NoConcern => Color.Success,
        ReviewVerdict.NeedsRemediation => Color.Warning,
        ReviewVerdict.Escalated => Color.Error,
        _ => Color.Default,
    };

    public static Color RiskColor(int score) => score switch
    {
        >= 100 => Color.Error,
        >= 60 => Color.Warning,
        > 0 => Color.Info,
        _ => Color.Success,
    };
}
