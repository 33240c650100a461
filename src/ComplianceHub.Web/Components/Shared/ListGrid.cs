using ComplianceHub.Core.Common;
using MudBlazor;

namespace ComplianceHub.Web.Components.Shared;

/// <summary>
/// Server-side paging and sorting for a grid over a list the page already holds on the server (a person's grants or
/// history: tens of rows, read in one query). The grid asks for pages through ServerData like any other; the export
/// reads the same sorted list, so it holds exactly what the grid shows.
/// </summary>
public sealed class ListGrid<T>
{
    private IReadOnlyList<T> items = [];
    private IReadOnlyList<T> sorted = [];

    /// <summary>Replaces the rows (after a reload); the grid's next request sorts them again.</summary>
    public void Set(IReadOnlyList<T> rows)
    {
        items = rows;
        sorted = rows;
    }

    /// <summary>The ServerData callback: sorts by the grid's sort definitions, then returns the requested page.</summary>
    public Task<GridData<T>> LoadAsync(GridState<T> state, CancellationToken ct)
    {
        IEnumerable<T> rows = items;
        IOrderedEnumerable<T>? ordered = null;
        foreach (var sort in state.SortDefinitions.OrderBy(s => s.Index))
        {
            ordered = ordered is null
                ? sort.Descending ? rows.OrderByDescending(sort.SortFunc) : rows.OrderBy(sort.SortFunc)
                : sort.Descending ? ordered.ThenByDescending(sort.SortFunc) : ordered.ThenBy(sort.SortFunc);
        }
        sorted = ordered?.ToList() ?? items;
        return Task.FromResult(new GridData<T>
        {
            Items = sorted.Skip(state.Page * state.PageSize).Take(state.PageSize).ToList(),
            TotalItems = sorted.Count,
        });
    }

    /// <summary>The export's pages: the rows in the grid's current order.</summary>
    public Task<PagedResult<T>> ExportPageAsync(int page, CancellationToken ct)
    {
        var request = PageRequest.ForExport(page, null, false);
        return Task.FromResult(new PagedResult<T>(sorted.Skip(request.Skip).Take(request.SafePageSize).ToList(), request.SafePage,
            request.SafePageSize, sorted.Count));
    }
}
