using ComplianceHub.Core.Common;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ComplianceHub.Web.Components.Shared;

public partial class BulkActionBar
{
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Parameter, EditorRequired] public BulkSelectionState Selection { get; set; } = default!;

    /// <summary>The selectable rows of the page the grid shows.</summary>
    [Parameter] public IReadOnlyCollection<Guid> PageIds { get; set; } = [];

    /// <summary>How many rows match the grid's filter and can be acted on (what "Select all N matching" offers).</summary>
    [Parameter] public int Matching { get; set; }

    /// <summary>Resolves "all matching" on the server, with the grid's own filter.</summary>
    [Parameter, EditorRequired] public Func<Task<BulkSelection>> ResolveAllMatching { get; set; } = default!;

    [Parameter, EditorRequired] public IReadOnlyList<BulkAction> Actions { get; set; } = [];

    [Parameter] public string Noun { get; set; } = "item";
    [Parameter] public string Plural { get; set; } = "items";

    /// <summary>After the selection changed here (select all matching, clear), so the page redraws its checkboxes.</summary>
    [Parameter] public EventCallback SelectionChanged { get; set; }

    /// <summary>After an action was applied: the page reloads its grid.</summary>
    [Parameter] public EventCallback<BulkResult> Applied { get; set; }

    private string? phase;
    private Outcome<BulkResult>? refusal;
    private bool busy;

    private async Task SelectAllMatchingAsync()
    {
        busy = true;
        try
        {
            Selection.SelectAllMatching(await ResolveAllMatching());
            await SelectionChanged.InvokeAsync();
        }
        finally
        {
            busy = false;
        }
    }

    private async Task ClearAsync()
    {
        Selection.Clear();
        refusal = null;
        await SelectionChanged.InvokeAsync();
    }

    /// <summary>Confirm (naming the count), check (a dry run: the handler's checks and every rule, nothing kept), then apply.</summary>
    private async Task RunAsync(BulkAction action)
    {
        var ids = Selection.Ids;
        var what = $"{ids.Count:N0} {(ids.Count == 1 ? Noun : Plural)}";
        var parameters = new DialogParameters<BulkConfirmDialog>
        {
            { d => d.Title, $"{action.Label} {what}?" },
            { d => d.Text, action.Explanation },
            { d => d.ConfirmText, $"{action.Label} {what}" },
            { d => d.InputLabel, action.InputLabel },
            { d => d.Color, action.Color },
        };
        var dialog = await Dialogs.ShowAsync<BulkConfirmDialog>(null, parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is not { Canceled: false, Data: string input })
        {
            return;
        }
        busy = true;
        refusal = null;
        try
        {
            phase = $"Checking {what} against the rules…";
            StateHasChanged();
            var check = await action.Send(ids, input, true);
            if (!Accept(check))
            {
                return;
            }
            phase = $"Applying to {what}…";
            StateHasChanged();
            var applied = await action.Send(ids, input, false);
            if (!Accept(applied))
            {
                return;
            }
            Snackbar.Add($"{what} {action.Done}.", MudBlazor.Severity.Success);
            Selection.Clear();
            await Applied.InvokeAsync(applied.Value);
        }
        finally
        {
            phase = null;
            busy = false;
        }
    }

    /// <summary>Whether the outcome lets the action go on; a refusal is shown with its items, anything else as a message.</summary>
    private bool Accept(Outcome<BulkResult> outcome)
    {
        if (outcome.IsOk)
        {
            return true;
        }
        if (outcome.RefusedItems.Count > 0)
        {
            refusal = outcome;
        }
        else
        {
            Snackbar.Add(outcome.Errors is { Count: > 0 } errors ? string.Join(" ", errors.SelectMany(e => e.Value)) : outcome.Message ?? "The action failed.",
                MudBlazor.Severity.Error);
        }
        return false;
    }
}
