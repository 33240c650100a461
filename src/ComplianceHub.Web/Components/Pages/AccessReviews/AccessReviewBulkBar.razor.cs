using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Features.AccessReviews;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ComplianceHub.Web.Components.Pages.AccessReviews;

/// <summary>
/// Sends one decision for the selected items of a campaign (<see cref="Send"/> builds <c>DecideAccessReviewItems</c> with the ids,
/// or the grid's filter and the count confirmed), reporting its progress while it runs.
/// </summary>
/// <param name="Decision">The decision.</param>
/// <param name="Comment">The comment the confirmation asked for (null when none was written).</param>
/// <param name="ExpectedCount">The count the confirmation named.</param>
/// <param name="Progress">Where the decision reports items done of the total.</param>
public delegate Task<Outcome<AccessReviewDecisionResult>> SendDecision(AccessReviewDecision Decision, string? Comment, int ExpectedCount,
    IProgress<AccessReviewProgress> Progress);

public partial class AccessReviewBulkBar
{
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Parameter, EditorRequired] public AccessReviewSelection Selection { get; set; } = default!;

    /// <summary>The rows of the page the grid shows that the reader may decide.</summary>
    [Parameter] public IReadOnlyCollection<Guid> PageIds { get; set; } = [];

    /// <summary>How many items the grid's filter matches that the reader may decide.</summary>
    [Parameter] public int Matching { get; set; }

    /// <summary>A representative in stage one: the buttons say "Still needed" / "No longer needed", and there is no reduce.</summary>
    [Parameter] public bool IsRepresentative { get; set; }

    /// <summary>Whether the campaign asks a comment for every decision (otherwise a keep may go without one).</summary>
    [Parameter] public bool CommentAlways { get; set; }

    [Parameter, EditorRequired] public SendDecision Send { get; set; } = default!;

    /// <summary>Reassigns the ticked rows (the page asks to whom and why); none: no Reassign button.</summary>
    [Parameter] public EventCallback<IReadOnlyList<Guid>> Reassign { get; set; }

    [Parameter] public EventCallback SelectionChanged { get; set; }

    /// <summary>After a decision was applied: the page reloads its grid and counts.</summary>
    [Parameter] public EventCallback<AccessReviewDecisionResult> Applied { get; set; }

    private bool running;
    private string? phase;
    private double percent;
    private AccessReviewProgress? progress;
    private Outcome<AccessReviewDecisionResult>? refusal;

    private string CountText => Selection.AllMatching is { } all
        ? $"All {all:N0} matching items are selected."
        : $"{Selection.Count:N0} {(Selection.Count == 1 ? "item" : "items")} selected.";

    /// <summary>The button's words for a decision: the representatives' stage-one wording, or the officers'.</summary>
    public string Label(AccessReviewDecision decision) => IsRepresentative ? Words.StageOneAnswer(decision) : Words.Of(decision);

    /// <summary>Whether a decision needs a comment whatever the items: every revoke and reduce, and every keep when the campaign says so.</summary>
    public bool NeedsComment(AccessReviewDecision decision) => decision != AccessReviewDecision.Keep || CommentAlways;

    /// <summary>What follows from a decision, said in the confirmation.</summary>
    public string Explanation(AccessReviewDecision decision, int count) => (IsRepresentative, decision) switch
    {
        (true, AccessReviewDecision.Keep) => count == 1
            ? "You confirm that the person still needs the access and that their facts are current. The contracting officers decide next."
            : $"You confirm that each of the {count:N0} people still needs the access and that their facts are current. The contracting officers decide next.",
        (true, _) => count == 1
            ? "You tell the contracting officers that the grant is no longer needed. They decide next."
            : $"You tell the contracting officers that the {count:N0} grants are no longer needed. They decide next.",
        (false, AccessReviewDecision.Keep) => (count == 1 ? "The grant is kept" : $"Each of the {count:N0} grants is kept")
            + "; the decision is recorded with the facts it was made on. Keeping a foreign national's or an escorted grant needs a comment.",
        (false, AccessReviewDecision.Revoke) => count == 1
            ? "The grant is revoked at once, and the revocation is recorded in the audit trail with your comment."
            : $"The {count:N0} grants are revoked at once, in one change, and each revocation is recorded in the audit trail with your comment.",
        _ => (count == 1 ? "The privileged grant is revoked" : $"Each of the {count:N0} privileged grants is revoked")
            + " and non-privileged access is requested instead; the requests follow the usual approval rules.",
    };

    private async Task SelectAllMatchingAsync()
    {
        Selection.SelectAllMatching(Matching);
        await SelectionChanged.InvokeAsync();
    }

    private async Task ClearAsync()
    {
        Selection.Clear();
        refusal = null;
        await SelectionChanged.InvokeAsync();
    }

    /// <summary>Confirm (naming the decision and the count), then send once with progress; a refusal lists every refused item.</summary>
    private async Task RunAsync(AccessReviewDecision decision)
    {
        var count = Selection.Count;
        var what = $"{count:N0} {(count == 1 ? "item" : "items")}";
        var label = Label(decision);
        var parameters = new DialogParameters<DecisionConfirmDialog>
        {
            { d => d.Title, $"{label}: {what}?" },
            { d => d.Text, Explanation(decision, count) },
            { d => d.ConfirmText, $"{label}: {what}" },
            { d => d.CommentRequired, NeedsComment(decision) },
            { d => d.CommentHint, NeedsComment(decision) ? "Required: say why; each item records it." : "Needed to keep a foreign national's or an escorted grant." },
            { d => d.Color, decision == AccessReviewDecision.Keep ? Color.Success : Color.Error },
        };
        var dialog = await Dialogs.ShowAsync<DecisionConfirmDialog>(null, parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is not { Canceled: false, Data: string comment })
        {
            return;
        }
        running = true;
        refusal = null;
        progress = null;
        percent = 0;
        phase = new AccessReviewProgress(0, count).Describe();
        StateHasChanged();
        try
        {
            var reporter = new Reporter(p =>
            {
                progress = p;
                percent = p.Total == 0 ? 0 : 100.0 * p.Done / p.Total;
                phase = p.Describe();
                _ = InvokeAsync(StateHasChanged);
            });
            var outcome = await Send(decision, string.IsNullOrWhiteSpace(comment) ? null : comment, count, reporter);
            if (outcome.IsOk && outcome.Value is { } result)
            {
                Snackbar.Add(Done(decision, result), Severity.Success);
                Selection.Clear();
                await Applied.InvokeAsync(result);
            }
            else if (outcome.RefusedItems.Count > 0 || outcome.Kind is OutcomeKind.Invalid or OutcomeKind.Conflict)
            {
                refusal = outcome;
            }
            else
            {
                Snackbar.Add(outcome.Message ?? "The decision failed.", Severity.Error);
            }
        }
        finally
        {
            running = false;
            phase = null;
        }
    }

    /// <summary>The success message: what the decision did.</summary>
    public static string Done(AccessReviewDecision decision, AccessReviewDecisionResult result)
    {
        var items = $"{result.Decided + result.MovedToStageTwo:N0} {(result.Decided + result.MovedToStageTwo == 1 ? "item" : "items")}";
        var text = result.MovedToStageTwo > 0 && result.Decided == 0
            ? $"{items} answered; the contracting officers decide next."
            : $"{items} decided ({Words.Of(decision).ToLowerInvariant()}).";
        if (result.GrantsRevoked > 0)
        {
            text += $" {result.GrantsRevoked:N0} {(result.GrantsRevoked == 1 ? "grant" : "grants")} revoked.";
        }
        if (result.GrantsRequested > 0)
        {
            text += $" {result.GrantsRequested:N0} non-privileged {(result.GrantsRequested == 1 ? "request" : "requests")} made.";
        }
        if (result.CampaignClosed)
        {
            text += " Every item is decided: the campaign is closed.";
        }
        return text;
    }

    private sealed class Reporter(Action<AccessReviewProgress> report) : IProgress<AccessReviewProgress>
    {
        public void Report(AccessReviewProgress value) => report(value);
    }
}
