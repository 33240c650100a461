using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Components.Shared;
using ComplianceHub.Web.Components.Account;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Features.Approvals;
using ComplianceHub.Core.Features.Findings;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Requests;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Rules;
using ComplianceHub.Web.Components.Pages.Findings;

namespace ComplianceHub.Web.Components.Pages.Approvals;

public partial class ApprovalsPage
{
    /// <summary>The explanation beside a disabled Approve button.</summary>
    public const string OwnRequest = "You requested this; another officer must approve it";

    private ApprovalsQueue? queue;
    private MudTable<PendingGrantApproval>? grantsTable;
    private readonly BulkSelectionState selection = new();
    private BulkSelection? decidable;
    private Guid? expanded;
    private Outcome<BulkResult>? contextCheck;
    private IReadOnlyList<BulkAction> grantActions = [];

    private static readonly IReadOnlyList<(string Key, string What)> grantKeys =
        [("A", "approves (after a confirmation)"), ("R", "rejects (asks the reason)")];

    [Inject] private IJSRuntime Js { get; set; } = default!;

    /// <summary>The grants of the table's page the reader can decide (not their own requests).</summary>
    private IReadOnlyCollection<Guid> GrantPageIds => queue is null || grantsTable is null
        ? []
        : queue.Grants.Skip(grantsTable.CurrentPage * grantsTable.RowsPerPage).Take(grantsTable.RowsPerPage)
            .Where(g => !g.RequestedByActor).Select(g => g.GrantId).ToList();
    private PagedResult<EscortRequestRow>? escortRequests;
    private string refusedText = "The grant was not approved: the policy refuses it now. These rules fail:";
    private Outcome<object>? failure;
    private bool busy;

    private static readonly IReadOnlyList<ComplianceHub.Core.Exports.ExportColumn<PendingGrantApproval>> grantColumns =
    [
        new("Person", g => g.PersonName),
        new("Vendor", g => g.VendorName),
        new("System", g => g.SystemName),
        new("Impact level", g => g.ImpactLevel.ToString()),
        new("Access", g => g.AccessType.ToString()),
        new("Escorted", g => g.Escorted ? "yes" : "no"),
        new("Starts", g => FindingsUrl.Day(g.StartsOn)),
        new("Ends", g => g.EndsOn is { } end ? FindingsUrl.Day(end) : ""),
        new("Requested by", g => g.RequestedByName),
        new("Requested", g => FindingsUrl.Day(g.RequestedAt)),
        new("Justification", g => g.Justification),
    ];

    /// <summary>
    /// Each list's page and rows per page in the address (<c>page=2&amp;size=25&amp;escorts.size=50&amp;waivers.page=2</c>), read at start:
    /// a reload, a bookmark or a saved view opens the queue as it was. The queue has no filters; its lists have no sort or columns to choose.
    /// </summary>
    private GridLayout grantsLayout = default!;
    private GridLayout escortsLayout = default!;
    private GridLayout waiversLayout = default!;

    private static readonly IReadOnlyList<int> PageSizes = [10, 25, 50];
    private static readonly IReadOnlyDictionary<string, string> Unsorted = new Dictionary<string, string>();

    protected override void OnInitialized()
    {
        grantsLayout = new GridLayout(Navigation, 10, Unsorted, pageSizes: PageSizes);
        escortsLayout = new GridLayout(Navigation, 10, Unsorted, pageSizes: PageSizes, prefix: "escorts.");
        waiversLayout = new GridLayout(Navigation, 10, Unsorted, pageSizes: PageSizes, prefix: "waivers.");
    }

    protected override Task OnInitializedAsync()
    {
        grantActions =
        [
            new BulkAction("Approve", "approved", async (ids, _, dryRun) => await Executor.SendAsync(await ActorAsync(), new ApproveGrants(ids, dryRun)))
            {
                Explanation = "Each grant becomes active now; every rule of the active policy runs again for each.",
                TestId = "bulk-approve",
            },
            new BulkAction("Reject", "rejected", async (ids, reason, dryRun) => await Executor.SendAsync(await ActorAsync(), new RejectGrants(ids, reason, dryRun)))
            {
                InputLabel = "Reason",
                Explanation = "Each request is revoked: it cannot be approved afterwards, and a new request starts over. The requesters read your reason.",
                Color = Color.Error,
                TestId = "bulk-reject",
            },
        ];
        return LoadAsync();
    }

    private async Task<BulkSelection> ResolveDecidableAsync() => decidable = await Approvals.DecidableGrantsAsync(await ActorAsync());

    private async Task AppliedAsync(BulkResult result)
    {
        expanded = null;
        await LoadAsync();
    }

    /// <summary>Opens or closes a row's decision context; opening dry-runs the approval for the rule outcomes.</summary>
    private async Task ToggleContextAsync(PendingGrantApproval grant)
    {
        if (expanded == grant.GrantId)
        {
            expanded = null;
            return;
        }
        await OpenContextAsync(grant);
    }

    private async Task OpenContextAsync(PendingGrantApproval grant)
    {
        expanded = grant.GrantId;
        contextCheck = null;
        StateHasChanged();
        contextCheck = await Executor.SendAsync(await ActorAsync(), new ApproveGrants([grant.GrantId], DryRun: true));
    }

    /// <summary>
    /// After a decision on one row, the decided request leaves the selection (the bar would otherwise count, and act on, an item
    /// that is gone), and the next item opens (its context) and its row takes the focus.
    /// </summary>
    private async Task OpenNextAsync(int index, Guid decided)
    {
        if (selection.IsSelected(decided))
        {
            selection.Toggle(decided, false);
        }
        if (queue is null || queue.Grants.Count == 0)
        {
            expanded = null;
            return;
        }
        var next = queue.Grants[Math.Min(index, queue.Grants.Count - 1)];
        StateHasChanged();
        var onPage = grantsTable is null ? index : index - grantsTable.CurrentPage * grantsTable.RowsPerPage;
        await Js.InvokeAsync<bool>("complianceHubQueue.focusRow", "[data-testid=approvals-grants-queue]", onPage);
        await OpenContextAsync(next);
    }

    private async Task LoadAsync()
    {
        var actor = await ActorAsync();
        queue = await Approvals.QueueAsync(actor);
        decidable = await Approvals.DecidableGrantsAsync(actor);
        escortRequests = await Requests.EscortRequestsAsync(actor, EscortRequestStatus.Pending, null, new PageRequest(1, ApprovalsQuery.MaxItems, "requestedAt", false));
    }

    private static PagedResult<T> All<T>(IReadOnlyList<T> items, int page) =>
        new(page == 1 ? items : [], page, Math.Max(1, items.Count), items.Count);

    private static string Who(string name, bool you) => you ? $"{(name.Length == 0 ? "You" : name)} (you)" : name.Length == 0 ? "Unknown account" : name;

    private async Task ApproveEscortAsync(EscortRequestRow row)
    {
        refusedText = "The escort was not assigned: the policy refuses it now. These rules fail:";
        await SendAsync(new DecideEscortRequest(row.Request.Id, true, null),
            $"{row.EscortName} now escorts {row.PersonName} on {row.SystemName} until {FindingsUrl.Day(row.Request.EndsOn)}.");
    }

    private async Task DeclineEscortAsync(EscortRequestRow row)
    {
        var parameters = new DialogParameters<ReasonDialog>
        {
            { d => d.Title, $"Decline the escort request for {row.PersonName}" },
            { d => d.Text, $"{row.VendorName} asked for {row.EscortName} to escort {row.PersonName} on {row.SystemName}. The representative reads your reason." },
            { d => d.ConfirmText, "Decline request" },
        };
        var dialog = await Dialogs.ShowAsync<ReasonDialog>(null, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is { Canceled: false, Data: string reason })
        {
            await SendAsync(new DecideEscortRequest(row.Request.Id, false, reason), $"Escort request for {row.PersonName} declined.");
        }
    }

    private async Task ApproveGrantAsync(PendingGrantApproval grant)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync($"Approve access for {grant.PersonName}?",
            $"{Words.Of(grant.AccessType)} access to {grant.SystemName} ({Words.Of(grant.ImpactLevel)}) becomes active now; the rules run again first. " +
            "Open the row's context to see the person's facts and what the rules say.",
            yesText: "Approve", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }
        refusedText = "The grant was not approved: the policy refuses it now. These rules fail:";
        var index = IndexOf(grant);
        if (await SendAsync(new ApproveGrant(grant.GrantId), $"Access of {grant.PersonName} to {grant.SystemName} approved and active."))
        {
            await OpenNextAsync(index, grant.GrantId);
        }
    }

    private int IndexOf(PendingGrantApproval grant) => queue?.Grants.ToList().FindIndex(g => g.GrantId == grant.GrantId) ?? 0;

    private async Task ApproveWaiverAsync(PendingWaiverApproval waiver) =>
        await SendAsync(new ApproveWaiver(waiver.WaiverId), $"Waiver of {waiver.RuleId} for {waiver.PersonName} approved until {FindingsUrl.Day(waiver.ExpiresOn)}.");

    private async Task RejectGrantAsync(PendingGrantApproval grant)
    {
        refusedText = "The grant was not approved: the policy refuses it now. These rules fail:";
        var parameters = new DialogParameters<ReasonDialog>
        {
            { d => d.Title, $"Reject the request for {grant.PersonName}" },
            { d => d.Text, $"The request for {grant.AccessType} access to {grant.SystemName} is revoked: it cannot be approved afterwards, and a new request starts over." },
            { d => d.ConfirmText, "Reject request" },
        };
        var dialog = await Dialogs.ShowAsync<ReasonDialog>(null, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is { Canceled: false, Data: string reason })
        {
            var index = IndexOf(grant);
            if (await SendAsync(new DecideGrant(grant.GrantId, GrantDecision.Revoke, $"Request rejected: {reason}"), $"Request for {grant.PersonName} rejected."))
            {
                await OpenNextAsync(index, grant.GrantId);
            }
        }
    }

    /// <summary>Sends a single-item decision; whether it was applied.</summary>
    private async Task<bool> SendAsync<T>(ICommand<T> command, string done)
    {
        busy = true;
        failure = null;
        try
        {
            var actor = await ActorAsync();
            var outcome = await Executor.SendAsync(actor, command);
            if (outcome.IsOk)
            {
                Snackbar.Add(done, MudBlazor.Severity.Success);
                expanded = null;
            }
            else
            {
                failure = outcome.As<object>();
                if (outcome.Kind == OutcomeKind.Invalid)
                {
                    Snackbar.Add(string.Join(" ", outcome.Errors!.SelectMany(e => e.Value)), MudBlazor.Severity.Error);
                }
            }
            await LoadAsync();
            return outcome.IsOk;
        }
        finally
        {
            busy = false;
        }
    }
}
