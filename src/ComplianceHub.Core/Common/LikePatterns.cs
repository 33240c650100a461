namespace ComplianceHub.Core.Common;

/// <summary>Quick-search patterns for ILIKE: the user's text is matched literally (its %, _ and \ escaped).</summary>
public static class LikePatterns
{
    /// <summary>"%text%" with the text's wildcards escaped, or null when there is nothing to search for.</summary>
    public static string? Containing(string? search) => string.IsNullOrWhiteSpace(search)
        ? null
        : $"%{search.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_")}%";
}
