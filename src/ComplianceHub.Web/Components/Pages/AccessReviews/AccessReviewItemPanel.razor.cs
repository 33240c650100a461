using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.AccessReviews;
using ComplianceHub.Core.Features.AccessReviews;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace ComplianceHub.Web.Components.Pages.AccessReviews;

/// <summary>A decision the panel asks for: what, and the comment written (null for none).</summary>
public sealed record PanelDecision(AccessReviewDecision Decision, string? Comment);

public partial class AccessReviewItemPanel
{
    [Parameter, EditorRequired] public AccessReviewItemDetail Detail { get; set; } = default!;

    /// <summary>A representative answering stage one: "Confirm still needed" / "No longer needed".</summary>
    [Parameter] public bool IsRepresentative { get; set; }

    /// <summary>An auditor's view (or a closed campaign's): no decision buttons at all.</summary>
    [Parameter] public bool ReadOnly { get; set; }

    /// <summary>Whether the campaign asks a comment for every decision.</summary>
    [Parameter] public bool CommentAlways { get; set; }

    /// <summary>Whether the campaign has a representatives' stage (the stage's words say "of 2").</summary>
    [Parameter] public bool RepresentativeStage { get; set; } = true;

    /// <summary>While a decision is sent.</summary>
    [Parameter] public bool Busy { get; set; }

    /// <summary>Why the last decision was refused, in words.</summary>
    [Parameter] public string? Error { get; set; }

    /// <summary>"Item 3 of 12".</summary>
    [Parameter] public string? Position { get; set; }

    [Parameter] public bool HasNext { get; set; }
    [Parameter] public bool HasPrevious { get; set; }

    [Parameter] public EventCallback<PanelDecision> Decide { get; set; }
    [Parameter] public EventCallback<AccessReviewItemView> Reassign { get; set; }
    [Parameter] public EventCallback Next { get; set; }
    [Parameter] public EventCallback Previous { get; set; }

    private ElementReference panel;
    private MudTextField<string>? commentBox;
    private string comment = "";
    private string? commentError;
    private Guid shownItem;

    private AccessReviewItemView Item => Detail.Item;

    private string KeepLabel => IsRepresentative && Item.Stage == 1 ? "Confirm still needed" : "Keep";
    private string RevokeLabel => IsRepresentative && Item.Stage == 1 ? "No longer needed" : "Revoke";
    private string CommentLabel => Item.KeepNeedsComment || CommentAlways ? "Comment (required for every decision on this item)" : "Comment";

    /// <summary>When a comment is needed for this item, said beside the box.</summary>
    public string CommentHelp => CommentAlways
        ? "This review asks a comment for every decision."
        : Item.KeepNeedsComment
            ? $"Required: {(Item.ForeignNational ? "a foreign national's" : "an escorted")} grant is kept only with a comment; a revoke needs the reason."
            : "Required to revoke or reduce (the reason); optional to keep.";

    /// <summary>Whether <paramref name="decision"/> on this item needs a comment.</summary>
    public bool NeedsComment(AccessReviewDecision decision) =>
        CommentAlways || decision != AccessReviewDecision.Keep || Item.KeepNeedsComment;

    protected override void OnParametersSet()
    {
        if (Item.Id != shownItem)
        {
            comment = "";
            commentError = null;
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (Item.Id != shownItem)
        {
            // A new item: the panel takes the focus, so the shortcuts work without a click.
            shownItem = Item.Id;
            try
            {
                await panel.FocusAsync();
            }
            catch (InvalidOperationException)
            {
                // Not attached to a browser (prerendering, tests).
            }
        }
    }

    private async Task OnKeyAsync(KeyboardEventArgs e)
    {
        if (e.CtrlKey || e.AltKey || e.MetaKey || Busy)
        {
            return;
        }
        switch (e.Key)
        {
            case "k" or "K" when Item.CanDecide && !ReadOnly:
                await DecideAsync(AccessReviewDecision.Keep);
                break;
            case "r" or "R" when Item.CanDecide && !ReadOnly:
                await DecideAsync(AccessReviewDecision.Revoke);
                break;
            case "n" or "N" or "ArrowRight" when HasNext:
                await Next.InvokeAsync();
                break;
            case "p" or "P" or "ArrowLeft" when HasPrevious:
                await Previous.InvokeAsync();
                break;
        }
    }

    private async Task DecideAsync(AccessReviewDecision decision)
    {
        if (NeedsComment(decision) && string.IsNullOrWhiteSpace(comment))
        {
            commentError = decision == AccessReviewDecision.Keep
                ? "Write a comment to keep this grant: " + CommentHelp
                : $"Write the reason to {(decision == AccessReviewDecision.Reduce ? "reduce" : "revoke")} this grant.";
            if (commentBox is not null)
            {
                try
                {
                    await commentBox.FocusAsync();
                }
                catch (InvalidOperationException)
                {
                }
            }
            return;
        }
        commentError = null;
        await Decide.InvokeAsync(new PanelDecision(decision, string.IsNullOrWhiteSpace(comment) ? null : comment.Trim()));
    }

    /// <summary>"today", "3 days ago", "2 months ago".</summary>
    private string Age(DateTimeOffset recorded)
    {
        var days = (int)Math.Floor((Clock.GetUtcNow() - recorded).TotalDays);
        return days switch
        {
            < 1 => "today",
            1 => "1 day ago",
            < 60 => $"{days} days ago",
            < 730 => $"{days / 30} months ago",
            _ => $"{days / 365} years ago",
        };
    }
}
