using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Features.AccessReviews;
using ComplianceHub.Core.Features.Contracts;
using ComplianceHub.Core.Features.Systems;
using ComplianceHub.Core.Features.Vendors;
using ComplianceHub.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ComplianceHub.Web.Components.Pages.AccessReviews;

/// <summary>The access reviews: campaigns (open and closed), the definitions, and an officer's start, edit and retire.</summary>
public partial class AccessReviewsPage
{
    [Inject] private VendorsQuery Vendors { get; set; } = default!;
    [Inject] private SystemsQuery Systems { get; set; } = default!;
    [Inject] private ContractsQuery Contracts { get; set; } = default!;

    private static readonly IReadOnlyDictionary<string, string> SortKeys = new Dictionary<string, string>
    {
        ["Name"] = "name",
        ["StartedAt"] = "startedAt",
        ["Deadline"] = "deadline",
    };

    private MudDataGrid<AccessReviewCampaignView>? campaignGrid;
    private MudDataGrid<AccessReviewDefinitionView>? definitionGrid;
    private GridLayout gridLayout = default!;
    private CampaignStatus? status;

    /// <summary>Only the campaigns holding items of this vendor (the dashboard's vendor view links here with <c>?vendor=</c>).</summary>
    [SupplyParameterFromQuery(Name = "vendor")]
    public Guid? Vendor { get; set; }

    private string? vendorName;
    private bool includeRetired;
    private bool isOfficer;
    private bool isRep;
    private bool canDecide;
    private bool busy;
    private string? starting;
    private int waiting;
    private Dictionary<Guid, string> names = [];

    protected override void OnInitialized() => gridLayout = new GridLayout(Navigation, 25, SortKeys);

    protected override async Task OnInitializedAsync()
    {
        var actor = await ActorAsync();
        vendorName = Vendor is { } vendor ? (await Vendors.VendorsAsync(actor)).FirstOrDefault(v => v.Id == vendor)?.Name ?? "a vendor you cannot see" : null;
        isOfficer = actor.IsContractingOfficer;
        isRep = actor.IsVendorRepresentative;
        canDecide = isOfficer || isRep;
        if (canDecide)
        {
            waiting = (await Reviews.QueueAsync(actor)).Sum(q => q.PendingForMe);
        }
        if (!isRep)
        {
            names = await ScopeNamesAsync(actor, Vendors, Systems, Contracts);
        }
    }

    /// <summary>Vendors', systems' and contracts' names by id, for scopes in words.</summary>
    internal static async Task<Dictionary<Guid, string>> ScopeNamesAsync(Core.Authorization.Actor actor, VendorsQuery vendors, SystemsQuery systems,
        ContractsQuery contracts)
    {
        var result = new Dictionary<Guid, string>();
        foreach (var v in await vendors.VendorsAsync(actor))
        {
            result[v.Id] = v.Name;
        }
        foreach (var s in (await systems.ListAsync(actor, new SystemFilter(), new PageRequest(1, PageRequest.MaxPageSize))).Items)
        {
            result[s.Id] = s.Name;
        }
        foreach (var c in (await contracts.ListAsync(actor, new ContractFilter(), new PageRequest(1, PageRequest.MaxPageSize))).Items)
        {
            result[c.Id] = c.Number;
        }
        return result;
    }

    private async Task<GridData<AccessReviewCampaignView>> LoadCampaignsAsync(GridState<AccessReviewCampaignView> state, CancellationToken ct)
    {
        gridLayout.Observe(state); // before any await
        var actor = await ActorAsync();
        var sort = gridLayout.SortKey(state);
        var desc = sort is null || state.SortDefinitions.First().Descending;
        var page = await Reviews.CampaignsAsync(actor, new CampaignListFilter(status, VendorId: Vendor), new PageRequest(state.Page + 1, state.PageSize, sort, desc), ct);
        return new GridData<AccessReviewCampaignView> { Items = page.Items, TotalItems = page.Total };
    }

    private async Task<GridData<AccessReviewDefinitionView>> LoadDefinitionsAsync(GridState<AccessReviewDefinitionView> state, CancellationToken ct)
    {
        var actor = await ActorAsync();
        var page = await Reviews.DefinitionsAsync(actor, includeRetired, new PageRequest(state.Page + 1, state.PageSize), ct);
        return new GridData<AccessReviewDefinitionView> { Items = page.Items, TotalItems = page.Total };
    }

    private async Task StatusChangedAsync(CampaignStatus? value)
    {
        status = value;
        if (campaignGrid is not null)
        {
            await campaignGrid.ReloadServerData();
        }
    }

    private async Task RetiredChangedAsync(bool value)
    {
        includeRetired = value;
        if (definitionGrid is not null)
        {
            await definitionGrid.ReloadServerData();
        }
    }

    /// <summary>Start now: a dry run counts the grants it would freeze, the officer confirms, then it starts with progress shown.</summary>
    private async Task StartAsync(AccessReviewDefinitionView definition)
    {
        busy = true;
        try
        {
            var actor = await ActorAsync();
            starting = $"Counting the grants in the scope of {definition.Name}…";
            StateHasChanged();
            var preview = await Executor.SendAsync(actor, new StartAccessReviewCampaign(definition.Id, DryRun: true));
            starting = null;
            if (!preview.IsOk || preview.Value is null)
            {
                Snackbar.Add(Problem(preview.Message, preview.Errors), Severity.Error);
                return;
            }
            var count = preview.Value.ItemCount;
            var confirmed = await Dialogs.ShowMessageBoxAsync(new MessageBoxOptions
            {
                Title = $"Start {definition.Name}?",
                Message = count == 0
                    ? "No current grant is in this review's scope: the campaign would hold nothing. Start anyway?"
                    : $"This will freeze {count:N0} current {(count == 1 ? "grant" : "grants")} into a campaign; reviewers are told. Start?",
                YesText = $"Start with {count:N0} {(count == 1 ? "grant" : "grants")}",
                CancelText = "Cancel",
            });
            if (confirmed != true)
            {
                return;
            }
            starting = $"Starting {definition.Name}: freezing {count:N0} grants and routing them to their reviewers…";
            StateHasChanged();
            var started = await Executor.SendAsync(actor, new StartAccessReviewCampaign(definition.Id));
            starting = null;
            if (started.IsOk && started.Value is { } campaign)
            {
                Snackbar.Add($"{campaign.Name} started with {campaign.ItemCount:N0} items.", Severity.Success);
                Navigation.NavigateTo($"/access-reviews/campaigns/{campaign.Id}");
            }
            else
            {
                Snackbar.Add(Problem(started.Message, started.Errors), Severity.Error);
            }
        }
        finally
        {
            starting = null;
            busy = false;
        }
    }

    private async Task RetireAsync(AccessReviewDefinitionView definition)
    {
        var parameters = new DialogParameters<ReasonDialog>
        {
            { d => d.Title, $"Retire {definition.Name}?" },
            { d => d.Text, "It starts no more campaigns; its campaigns stay, and so does their evidence." },
            { d => d.ConfirmText, "Retire" },
        };
        var dialog = await Dialogs.ShowAsync<ReasonDialog>(null, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is not { Canceled: false, Data: string reason })
        {
            return;
        }
        var outcome = await Executor.SendAsync(await ActorAsync(), new RetireAccessReviewDefinition(definition.Id, reason));
        if (outcome.IsOk)
        {
            Snackbar.Add($"{definition.Name} retired.", Severity.Success);
            if (definitionGrid is not null)
            {
                await definitionGrid.ReloadServerData();
            }
        }
        else
        {
            Snackbar.Add(Problem(outcome.Message, outcome.Errors), Severity.Error);
        }
    }

    /// <summary>A refusal in one sentence.</summary>
    internal static string Problem(string? message, IReadOnlyDictionary<string, string[]>? errors) =>
        errors is { Count: > 0 } ? string.Join(" ", errors.SelectMany(e => e.Value)) : message ?? "That did not work.";
}
