namespace ComplianceHub.Core.Common;

/// <summary>A page of a server-side list, in the API's list shape (<c>items, page, pageSize, total</c>).</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

/// <summary>Which page of a list to read; pages are 1-based and at most <see cref="MaxPageSize"/> long.</summary>
public sealed record PageRequest(int Page = 1, int PageSize = 25, string? Sort = null, bool Desc = false)
{
    public const int MaxPageSize = 500;

    /// <summary>The page size an export reads with (larger than a screen's; set only through <see cref="ForExport"/>).</summary>
    public const int ExportPageSize = 5000;

    /// <summary>At most this many rows leave in one export (the roster's 200,000 people fit).</summary>
    public const int MaxExportRows = 250_000;

    private bool export;

    /// <summary>A page of an export: the same filters and sort as the grid, read in large pages.</summary>
    public static PageRequest ForExport(int page, string? sort, bool desc) => new(page, ExportPageSize, sort, desc) { export = true };

    public int SafePage => Math.Max(1, Page);
    public int SafePageSize => Math.Clamp(PageSize, 1, export ? ExportPageSize : MaxPageSize);
    /// <summary>Rows before the page; a page beyond any list (page 2,147,483,647) skips everything rather than overflowing.</summary>
    public int Skip => (int)Math.Min(int.MaxValue, (long)(SafePage - 1) * SafePageSize);
}
