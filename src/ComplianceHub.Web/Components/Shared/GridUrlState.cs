using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace ComplianceHub.Web.Components.Shared;

/// <summary>
/// How a grid is laid out, beside its filters in the address: <c>sort=fullName&amp;desc=true&amp;page=3&amp;size=50&amp;hide=employer,grants</c>.
/// The same five parameters on every grid, so a reload, a bookmark or a shared link opens the list as it was, and a saved view
/// (<see cref="SavedViews"/>) keeps all of it but the page. Unknown or malformed values fall back to the grid's defaults rather than
/// failing the page; a column or sort key the grid does not know is dropped by the grid (<see cref="For"/>).
/// </summary>
/// <param name="Sort">The sort key, or null for the grid's default order.</param>
/// <param name="Descending">Whether the sort is descending.</param>
/// <param name="Page">The page, from 0.</param>
/// <param name="PageSize">Rows per page, or null for the grid's default.</param>
/// <param name="Hidden">The column keys the reader hid.</param>
public sealed record GridUrlState(string? Sort, bool Descending, int Page, int? PageSize, IReadOnlyList<string> Hidden)
{
    /// <summary>The parameters this record owns; every other parameter is a filter of the grid.</summary>
    public static IReadOnlySet<string> Keys { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "sort", "desc", "page", "size", "hide" };

    public static GridUrlState Empty { get; } = new(null, false, 0, null, []);

    /// <summary>Reads the layout from an address (absolute or relative) or a bare query.</summary>
    public static GridUrlState Parse(string? uriOrQuery)
    {
        var query = Query(uriOrQuery);
        string? One(string key) => query.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;
        var page = int.TryParse(One("page"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p >= 1 ? p - 1 : 0;
        int? size = int.TryParse(One("size"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s is >= 1 and <= 500 ? s : null;
        var hidden = (One("hide") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        return new GridUrlState(One("sort"), bool.TryParse(One("desc"), out var d) && d, page, size, hidden);
    }

    /// <summary>
    /// The state as the grid can use it: a sort key it does not offer is dropped (with its direction), a page size it does not offer
    /// is its default, hidden columns are those it has and lets a reader hide, in the grid's order.
    /// </summary>
    public GridUrlState For(IEnumerable<string> sortKeys, IEnumerable<int> pageSizes, IEnumerable<string> hideableColumns)
    {
        var sort = Sort is not null && sortKeys.Contains(Sort, StringComparer.Ordinal) ? Sort : null;
        var size = PageSize is { } s && pageSizes.Contains(s) ? s : (int?)null;
        var hidden = hideableColumns.Where(Hidden.Contains).ToList();
        return new GridUrlState(sort, sort is not null && Descending, Page, size, hidden);
    }

    /// <summary>
    /// The layout's parameters, to append to the grid's filter query (without <c>?</c>): nothing for a default, so a plain list
    /// keeps a plain address. <paramref name="defaultPageSize"/> is left out, and the first page.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string?>> Parameters(int defaultPageSize)
    {
        if (Sort is not null)
        {
            yield return new("sort", Sort);
            if (Descending)
            {
                yield return new("desc", "true");
            }
        }
        if (Page > 0)
        {
            yield return new("page", (Page + 1).ToString(CultureInfo.InvariantCulture));
        }
        if (PageSize is { } size && size != defaultPageSize)
        {
            yield return new("size", size.ToString(CultureInfo.InvariantCulture));
        }
        if (Hidden.Count > 0)
        {
            yield return new("hide", string.Join(',', Hidden));
        }
    }

    /// <summary>Appends the layout's parameters to an address that holds the grid's filters.</summary>
    public string AppendTo(string uri, int defaultPageSize) => QueryHelpers.AddQueryString(uri, Parameters(defaultPageSize));

    /// <summary>An address's query as parameters (no leading <c>?</c> needed).</summary>
    public static Dictionary<string, StringValues> Query(string? uriOrQuery)
    {
        var text = uriOrQuery ?? "";
        var start = text.IndexOf('?', StringComparison.Ordinal);
        var query = start >= 0 ? text[start..] : text.Contains('=', StringComparison.Ordinal) ? "?" + text : "";
        var fragment = query.IndexOf('#', StringComparison.Ordinal);
        return QueryHelpers.ParseQuery(fragment >= 0 ? query[..fragment] : query);
    }

    /// <summary>
    /// What a saved view keeps of an address: its query without the page (a view opens at the first page), parameters in a stable
    /// order, and the hidden columns apart.
    /// </summary>
    public static (string Query, IReadOnlyList<string> Hidden) ForView(string uri)
    {
        var query = Query(uri);
        // A second grid's page (escorts.page) is left out as the first grid's is; its hidden columns stay in the query.
        var kept = query.Where(p => !p.Key.Equals("page", StringComparison.OrdinalIgnoreCase) && !p.Key.EndsWith(".page", StringComparison.OrdinalIgnoreCase)
                && !p.Key.Equals("hide", StringComparison.OrdinalIgnoreCase))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)));
        return (QueryHelpers.AddQueryString("", kept).TrimStart('?'), Parse(uri).Hidden);
    }

    /// <summary>The address a saved view opens: the grid's path, the view's query and its hidden columns.</summary>
    public static string ViewUrl(string path, string query, IReadOnlyList<string> hidden)
    {
        var url = query.Length == 0 ? path : $"{path}?{query}";
        return hidden.Count == 0 ? url : QueryHelpers.AddQueryString(url, "hide", string.Join(',', hidden));
    }
}
