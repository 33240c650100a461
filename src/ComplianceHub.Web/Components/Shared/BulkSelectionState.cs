using ComplianceHub.Core.Common;

namespace ComplianceHub.Web.Components.Shared;

/// <summary>
/// What a queue's reader has selected for a bulk action: rows ticked one by one (across pages), or — after "Select all N
/// matching" — the ids the server resolved with the grid's own filter (<see cref="BulkSelection"/>).
/// </summary>
public sealed class BulkSelectionState
{
    private readonly HashSet<Guid> ticked = [];
    private HashSet<Guid>? matching;

    /// <summary>The server's answer to "select all N matching", when the reader chose it.</summary>
    public BulkSelection? AllMatching { get; private set; }

    /// <summary>The ids the action is sent with.</summary>
    public IReadOnlyList<Guid> Ids => AllMatching?.Ids ?? ticked.ToList();

    public int Count => AllMatching?.Ids.Count ?? ticked.Count;

    public bool IsSelected(Guid id) => matching?.Contains(id) ?? ticked.Contains(id);

    /// <summary>Whether every row of the page is selected (then "select all N matching" is offered).</summary>
    public bool AllOf(IReadOnlyCollection<Guid> page) => page.Count > 0 && page.All(IsSelected);

    public void Toggle(Guid id, bool selected)
    {
        Narrow();
        if (selected) { ticked.Add(id); } else { ticked.Remove(id); }
    }

    public void TogglePage(IReadOnlyCollection<Guid> page, bool selected)
    {
        Narrow();
        foreach (var id in page)
        {
            if (selected) { ticked.Add(id); } else { ticked.Remove(id); }
        }
    }

    public void SelectAllMatching(BulkSelection selection)
    {
        AllMatching = selection;
        matching = selection.Ids.ToHashSet();
    }

    public void Clear()
    {
        ticked.Clear();
        AllMatching = null;
        matching = null;
    }

    /// <summary>Unticking one row of "all matching" turns it back into a list of ticked rows.</summary>
    private void Narrow()
    {
        if (AllMatching is { } all)
        {
            ticked.Clear();
            ticked.UnionWith(all.Ids);
            AllMatching = null;
            matching = null;
        }
    }
}

/// <summary>
/// One bulk action of a queue: its button, the question its confirmation asks (a required text when <see cref="InputLabel"/> is
/// set: a reason, a response, notes), and how it is sent — with <c>dryRun</c> first (checking), then for real (applying).
/// </summary>
/// <param name="Label">The verb on the button and in the confirmation, e.g. "Approve".</param>
/// <param name="Done">The past participle in the success message, e.g. "approved".</param>
/// <param name="Send">Sends the bulk command for these ids, with the text asked for, as a dry run or not.</param>
public sealed record BulkAction(string Label, string Done, Func<IReadOnlyList<Guid>, string, bool, Task<Outcome<BulkResult>>> Send)
{
    /// <summary>The label of the text the confirmation asks for; null when it asks for none.</summary>
    public string? InputLabel { get; init; }

    /// <summary>What the confirmation says the action does, besides naming the count.</summary>
    public string? Explanation { get; init; }

    public MudBlazor.Color Color { get; init; } = MudBlazor.Color.Primary;

    public string TestId { get; init; } = "";
}
