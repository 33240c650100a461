namespace ComplianceHub.Web.Components.Pages.AccessReviews;

/// <summary>
/// What a reviewer selected on a campaign's items grid: rows ticked one by one (across pages), or every item the grid's filter
/// matches ("select all N matching"), which is sent as the filter itself with the count the confirmation named, so a
/// selection of 100,000 items never travels as ids.
/// </summary>
public sealed class AccessReviewSelection
{
    private readonly HashSet<Guid> ticked = [];

    /// <summary>Set when the reader chose every matching item: how many the grid's filter matched then.</summary>
    public int? AllMatching { get; private set; }

    /// <summary>The ticked rows (empty when <see cref="AllMatching"/> is set).</summary>
    public IReadOnlyList<Guid> Ids => AllMatching is null ? ticked.ToList() : [];

    /// <summary>How many items an action would be sent for.</summary>
    public int Count => AllMatching ?? ticked.Count;

    public bool IsSelected(Guid id) => AllMatching is not null || ticked.Contains(id);

    /// <summary>Whether every row of the page is selected (then "select all N matching" is offered).</summary>
    public bool AllOf(IReadOnlyCollection<Guid> page) => page.Count > 0 && page.All(IsSelected);

    /// <summary>Ticks or unticks a row; unticking one of "all matching" leaves the rows of the page ticked.</summary>
    public void Toggle(Guid id, bool selected, IReadOnlyCollection<Guid> page)
    {
        Narrow(page);
        if (selected) { ticked.Add(id); } else { ticked.Remove(id); }
    }

    public void TogglePage(IReadOnlyCollection<Guid> page, bool selected)
    {
        Narrow(page);
        foreach (var id in page)
        {
            if (selected) { ticked.Add(id); } else { ticked.Remove(id); }
        }
    }

    /// <summary>Every item the filter matches: <paramref name="matching"/> of them.</summary>
    public void SelectAllMatching(int matching)
    {
        ticked.Clear();
        AllMatching = matching;
    }

    public void Clear()
    {
        ticked.Clear();
        AllMatching = null;
    }

    private void Narrow(IReadOnlyCollection<Guid> page)
    {
        if (AllMatching is not null)
        {
            AllMatching = null;
            ticked.Clear();
            ticked.UnionWith(page);
        }
    }
}
