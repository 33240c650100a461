using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;
using MudBlazor;

namespace ComplianceHub.Web.Components.Shared;

/// <summary>A column a reader may hide: its key in the address (<c>hide=vendor,dueOn</c>) and its title.</summary>
public sealed record GridColumnChoice(string Key, string Title);

/// <summary>
/// Keeps a <see cref="MudDataGrid{T}"/>'s order, page, page size and hidden columns in the address (<see cref="GridUrlState"/>),
/// beside the page's filters, so a reload, a bookmark, a shared link or a saved view (<see cref="SavedViews"/>) opens the grid as
/// it was. The page reads it at start, binds the grid to it (<see cref="PageSize"/>, <see cref="Page"/>, each column's
/// <see cref="Direction"/> and <see cref="IsHidden"/>), tells it what the grid asked for at the start of each read
/// (<see cref="Observe{T}"/>), and builds filter addresses through <see cref="With"/> so a filter change keeps the layout.
/// A second grid on one page takes a <paramref name="prefix"/> (<c>escorts.sort=…</c>) so the two do not share parameters.
/// </summary>
public sealed class GridLayout
{
    private readonly NavigationManager navigation;
    private readonly string path;
    private readonly string prefix;
    private readonly IReadOnlyDictionary<string, string> sortKeys;

    /// <param name="navigation">The circuit's navigation.</param>
    /// <param name="defaultPageSize">The grid's rows per page when the address says nothing.</param>
    /// <param name="sortKeys">The grid's sortable columns: the column's sort property (its <c>SortBy</c>) to the key in the address.</param>
    /// <param name="hideable">The columns a reader may hide, in the grid's order (none: the grid has no column chooser).</param>
    /// <param name="pageSizes">The page sizes the grid's pager offers.</param>
    /// <param name="prefix">The parameters' prefix, for a second grid on a page.</param>
    public GridLayout(NavigationManager navigation, int defaultPageSize, IReadOnlyDictionary<string, string> sortKeys,
        IReadOnlyList<GridColumnChoice>? hideable = null, IReadOnlyList<int>? pageSizes = null, string prefix = "")
    {
        this.navigation = navigation;
        this.prefix = prefix;
        this.sortKeys = sortKeys;
        DefaultPageSize = defaultPageSize;
        PageSizes = pageSizes ?? [10, 25, 50, 100];
        Hideable = hideable ?? [];
        path = new Uri(navigation.Uri).AbsolutePath;
        State = Read(navigation.Uri);
    }

    public int DefaultPageSize { get; }
    public IReadOnlyList<int> PageSizes { get; }
    public IReadOnlyList<GridColumnChoice> Hideable { get; private set; }

    /// <summary>The layout as the address holds it, reduced to what the grid offers.</summary>
    public GridUrlState State { get; private set; }

    public int PageSize => State.PageSize ?? DefaultPageSize;
    public int Page => State.Page;

    /// <summary>The grid's sort key in the address, or null for its default order.</summary>
    public string? Sort => State.Sort;

    public bool Descending => State.Descending;

    /// <summary>A column's initial sort direction (its <c>InitialDirection</c>): the address's order, if it is this column's.</summary>
    public SortDirection Direction(string sortBy) =>
        State.Sort is { } sort && sortKeys.TryGetValue(sortBy, out var key) && key == sort
            ? State.Descending ? SortDirection.Descending : SortDirection.Ascending
            : SortDirection.None;

    /// <summary>
    /// Narrows the columns offered once the page knows its reader (a vendor's representative has no vendor column): a column not
    /// offered is never hidden.
    /// </summary>
    public void Offer(IEnumerable<GridColumnChoice> columns)
    {
        Hideable = columns.ToList();
        State = Read(navigation.Uri);
    }

    public bool IsHidden(string key) => State.Hidden.Contains(key, StringComparer.Ordinal);

    /// <summary>The sort key in the address of what a grid asked for, from its sort definition (null: the default order).</summary>
    public string? SortKey<T>(GridState<T> state) =>
        state.SortDefinitions.FirstOrDefault() is { } definition ? sortKeys.GetValueOrDefault(definition.SortBy) : null;

    /// <summary>
    /// The start of the grid's read: the address follows the order, page and page size the grid asks for. Call it before the read's
    /// first await: two reads in flight (the first page's and a sort click's) must reach the address in the order the grid asked.
    /// </summary>
    public void Observe<T>(GridState<T> state)
    {
        var sort = SortKey(state);
        var descending = sort is not null && state.SortDefinitions.First().Descending;
        Update(new GridUrlState(sort, descending, state.Page, state.PageSize, State.Hidden));
    }

    /// <summary>
    /// A plain table's page or page size changed (a <see cref="MudTable{T}"/>, which has no grid state): the address follows them.
    /// </summary>
    public void Observe(int page, int pageSize) => Update(State with { Page = page, PageSize = pageSize });

    /// <summary>Shows or hides a column (the address keeps the hidden ones).</summary>
    public void Toggle(string key)
    {
        var hidden = IsHidden(key) ? State.Hidden.Where(k => k != key) : State.Hidden.Append(key);
        var set = hidden.ToHashSet(StringComparer.Ordinal);
        Update(State with { Hidden = Hideable.Select(c => c.Key).Where(set.Contains).ToList() });
    }

    /// <summary>
    /// A filter address (the grid's path and its filters) with this layout, from the first page: a new filter keeps the reader's
    /// order, page size and columns. Other grids' parameters on the page are kept as the address has them.
    /// </summary>
    public string With(string filterUri) => With(filterUri, this);

    /// <summary>
    /// A filter address with the layouts of every grid the filter narrows (a vendor filter over a page's two grids), each from its
    /// first page. The parameters of the page's other grids are kept as the address has them.
    /// </summary>
    public static string With(string filterUri, params GridLayout[] layouts)
    {
        foreach (var layout in layouts)
        {
            layout.State = layout.State with { Page = 0 };
        }
        var others = GridUrlState.Query(layouts[0].navigation.Uri)
            .Where(p => IsLayoutKey(p.Key) && !layouts.Any(l => l.Owns(p.Key)))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)));
        return QueryHelpers.AddQueryString(QueryHelpers.AddQueryString(filterUri, others), layouts.SelectMany(l => l.Parameters(l.State)));
    }

    private void Update(GridUrlState next)
    {
        next = next with { PageSize = next.PageSize == DefaultPageSize ? null : next.PageSize };
        if (Same(next, State))
        {
            return;
        }
        State = next;
        // Only while the reader is still on the grid's page: a late read never takes them back from where a link took them.
        if (new Uri(navigation.Uri).AbsolutePath != path)
        {
            return;
        }
        var kept = GridUrlState.Query(navigation.Uri)
            .Where(p => !Owns(p.Key))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)));
        var uri = QueryHelpers.AddQueryString(QueryHelpers.AddQueryString(path, kept), Parameters(next));
        if (navigation.ToAbsoluteUri(uri).PathAndQuery != new Uri(navigation.Uri).PathAndQuery)
        {
            navigation.NavigateTo(uri, replace: true);
        }
    }

    private GridUrlState Read(string uri)
    {
        var query = GridUrlState.Query(uri)
            .Where(p => Owns(p.Key))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key[prefix.Length..], v)));
        return GridUrlState.Parse(QueryHelpers.AddQueryString("", query))
            .For(sortKeys.Values, PageSizes, Hideable.Select(c => c.Key));
    }

    private bool Owns(string key) =>
        key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && GridUrlState.Keys.Contains(key[prefix.Length..]);

    /// <summary>Whether a parameter is any grid's layout on the page (<c>sort</c>, <c>escorts.page</c>), not a filter.</summary>
    private static bool IsLayoutKey(string key) => GridUrlState.Keys.Contains(key[(key.LastIndexOf('.') + 1)..]);

    private IEnumerable<KeyValuePair<string, string?>> Parameters(GridUrlState state) =>
        state.Parameters(DefaultPageSize).Select(p => new KeyValuePair<string, string?>(prefix + p.Key, p.Value));

    private static bool Same(GridUrlState a, GridUrlState b) =>
        a.Sort == b.Sort && a.Descending == b.Descending && a.Page == b.Page && (a.PageSize ?? 0) == (b.PageSize ?? 0)
        && a.Hidden.SequenceEqual(b.Hidden, StringComparer.Ordinal);
}
