using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using MudBlazor;

namespace ComplianceHub.Web.Components.Shared;

/// <summary>
/// A grid page's filters in its address, in both directions: read leniently (an unknown or malformed value is no filter rather
/// than a failed page) and built without the filters left empty, so a plain list keeps a plain address. The grid's layout
/// (<see cref="GridLayout"/>) is added to the filters' address by the page.
/// </summary>
public sealed class FilterQuery(string uri)
{
    private readonly Dictionary<string, StringValues> query = GridUrlState.Query(uri);

    public string? Text(string key) => query.TryGetValue(key, out var value) ? UrlValue.Text(value.ToString()) : null;

    public Guid? Id(string key) => Guid.TryParse(Text(key), out var id) ? id : null;

    public bool? Flag(string key) => bool.TryParse(Text(key), out var flag) ? flag : null;

    /// <summary>An enum value by its name (any case); a number or an unknown name is no filter.</summary>
    public T? Enum<T>(string key) where T : struct, System.Enum => UrlValue.Enum<T>(Text(key));

    /// <summary>One of a fixed set of values (as the set spells it), or null.</summary>
    public string? OneOf(string key, IEnumerable<string> values) =>
        Text(key) is { } text ? values.FirstOrDefault(v => string.Equals(v, text, StringComparison.OrdinalIgnoreCase)) : null;

    /// <summary>The page's address with the filters that are set: <c>/systems?q=cloud&amp;level=IL5</c>.</summary>
    public static string Build(string path, params (string Key, string? Value)[] filters) =>
        QueryHelpers.AddQueryString(path, filters.Where(f => !string.IsNullOrWhiteSpace(f.Value))
            .Select(f => new KeyValuePair<string, string?>(f.Key, f.Value!.Trim())));

    public static string? Flag(bool? value) => value switch { true => "true", false => "false", null => null };
}

/// <summary>Reading a server-data grid again after its filters changed.</summary>
public static class GridReload
{
    /// <summary>
    /// Reads the grid again from its first page: a new filter never opens on a page the new list may not have. (The grid's page
    /// follows into the address through <see cref="GridLayout.Observe{T}"/>.)
    /// </summary>
    public static async Task FirstPageAsync<T>(this MudDataGrid<T>? grid)
    {
        if (grid is null)
        {
            return;
        }
        if (grid.CurrentPage == 0)
        {
            await grid.ReloadServerData();
        }
        else
        {
            grid.NavigateTo(Page.First);
        }
    }
}
