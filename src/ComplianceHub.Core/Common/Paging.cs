namespace ComplianceHub.Core.Common;

/// <summary>A page of a server-side list, in the API's list shape (<c>items, page, pageSize, total</c>).</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

/// <summary>Which page of a list to read; pages are 1-based and at most <see cref="MaxPageSize"/> long.</summary>
public sealed record PageRequest(int Page = 1, int PageSize = 25, string? Sort = null, bool Desc = false)
{
    public const int MaxPageSize = 500;

    public int SafePage => Math.Max(1, Page);
    public int SafePageSize => Math.Clamp(PageSize, 1, MaxPageSize);
    public int Skip => (SafePage - 1) * SafePageSize;
}
