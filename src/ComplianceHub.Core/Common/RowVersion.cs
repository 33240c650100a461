using System.Globalization;

namespace ComplianceHub.Core.Common;

/// <summary>
/// The row version a client read (the API's and the pages' <c>version</c>: PostgreSQL's xmin, as decimal text), checked
/// against the row's before a change: a stale or unreadable version is a conflict, not a lost update.
/// </summary>
internal static class RowVersion
{
    public static bool TryRead(string? text, out uint version) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out version);

    /// <summary>True when <paramref name="text"/> is not the row's <paramref name="current"/> version.</summary>
    public static bool IsStale(uint current, string? text) => !TryRead(text, out var read) || read != current;
}
