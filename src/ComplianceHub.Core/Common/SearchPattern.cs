namespace ComplianceHub.Core.Common;

/// <summary>Quick-search text as an ILIKE pattern: matches it anywhere, with the user's <c>%</c>, <c>_</c> and <c>\</c> taken literally.</summary>
public static class SearchPattern
{
    public static string Containing(string text) =>
        "%" + text.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
}
