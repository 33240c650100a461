using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Features.AccessReviews;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ComplianceHub.Web.Components.Pages.AccessReviews;

/// <summary>
/// The reader's queue: each open campaign with items for them (waiting, decided by them, the campaign's progress, the deadline),
/// and the review panel of one item at a time, keyboard-driven.
/// </summary>
public partial class QueuePage
{
    /// <summary>The items of a campaign the panel walks through, read at once (the rest after these are decided).</summary>
    private const int Batch = 200;

    [Inject] private AccessReviewsQuery Reviews { get; set; } = default!;
    [Inject] private CommandExecutor Executor { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private IReadOnlyList<ReviewerQueueEntry>? queue;
    private Guid? campaignId;
    private AccessReviewCampaignView? campaign;
    private List<Guid> ids = [];
    private int total;
    private int index;
    private AccessReviewItemDetail? detail;
    private bool isRep;
    private bool busy;
    private string? error;

    protected override async Task OnInitializedAsync()
    {
        var actor = await ActorAsync();
        isRep = actor.IsVendorRepresentative;
        queue = await Reviews.QueueAsync(actor);
        if (queue.FirstOrDefault(q => q.PendingForMe > 0) is { } first)
        {
            await OpenAsync(first.CampaignId);
        }
    }

    private async Task OpenAsync(Guid id)
    {
        var actor = await ActorAsync();
        campaignId = id;
        campaign = await Reviews.CampaignAsync(actor, id);
        await LoadIdsAsync(0);
    }

    private async Task LoadIdsAsync(int at)
    {
        var actor = await ActorAsync();
        var page = await Reviews.ItemsAsync(actor, campaignId!.Value, new AccessReviewItemFilter { Mine = true }, new PageRequest(1, Batch));
        ids = page.Items.Select(i => i.Id).ToList();
        total = page.Total;
        index = Math.Clamp(at, 0, Math.Max(0, ids.Count - 1));
        await ShowAsync();
    }

    private async Task ShowAsync()
    {
        error = null;
        detail = ids.Count == 0 ? null : await Reviews.ItemAsync(await ActorAsync(), ids[index]);
    }

    private async Task MoveAsync(int by)
    {
        var next = index + by;
        if (next >= 0 && next < ids.Count)
        {
            index = next;
            await ShowAsync();
        }
    }

    private async Task DecideAsync(PanelDecision decision)
    {
        if (detail is null || busy)
        {
            return;
        }
        busy = true;
        error = null;
        try
        {
            var actor = await ActorAsync();
            var item = detail.Item;
            var outcome = await Executor.SendAsync(actor, new DecideAccessReviewItems(item.CampaignId, [item.Id], null, decision.Decision, decision.Comment, 1));
            if (outcome.IsOk && outcome.Value is { } result)
            {
                Snackbar.Add($"{item.PersonName} on {item.SystemName}: {(item.Stage == 1 && isRep ? Words.StageOneAnswer(decision.Decision).ToLowerInvariant() : Words.Of(decision.Decision).ToLowerInvariant())}.",
                    MudBlazor.Severity.Success);
                queue = await Reviews.QueueAsync(actor);
                await LoadIdsAsync(index);
            }
            else
            {
                error = outcome.RefusedItems.Count > 0
                    ? string.Join(" ", outcome.RefusedItems.Select(r => r.Reason ?? string.Join(" ", r.Violations.Select(v => v.Message))))
                    : AccessReviewsPage.Problem(outcome.Message, outcome.Errors);
            }
        }
        finally
        {
            busy = false;
        }
    }

    private async Task ReassignAsync(AccessReviewItemView item)
    {
        var actor = await ActorAsync();
        var options = await Reviews.ReviewerOptionsAsync(actor, item.Id);
        var parameters = new DialogParameters<ReassignDialog> { { d => d.Options, options }, { d => d.Count, 1 } };
        var dialog = await Dialogs.ShowAsync<ReassignDialog>(null, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is not { Canceled: false, Data: ReassignChoice choice })
        {
            return;
        }
        var outcome = await Executor.SendAsync(actor, new ReassignAccessReviewItems(item.CampaignId, [item.Id], choice.ReviewerId, choice.Reason));
        if (outcome.IsOk)
        {
            Snackbar.Add($"{item.PersonName} on {item.SystemName} reassigned.", MudBlazor.Severity.Success);
            queue = await Reviews.QueueAsync(actor);
            await LoadIdsAsync(index);
        }
        else
        {
            error = outcome.RefusedItems.Count > 0
                ? string.Join(" ", outcome.RefusedItems.Select(r => r.Reason))
                : AccessReviewsPage.Problem(outcome.Message, outcome.Errors);
        }
    }
}
