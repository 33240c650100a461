using System.Globalization;
using ComplianceHub.Core.Domain.Contributions;
using ComplianceHub.Core.Features.Contributions;
using ComplianceHub.Web.Components.Shared;
using Microsoft.AspNetCore.WebUtilities;

namespace ComplianceHub.Web.Components.Pages.Contributions;

/// <summary>
/// The contributions grid's address (<c>/contributions?vendor=&amp;system=&amp;repository=&amp;flag=CC-NO-GRANT&amp;verdict=Unreviewed&amp;flagged=true&amp;unmatched=true&amp;q=&amp;from=&amp;to=&amp;person=</c>),
/// which the dashboard links with and the export binds back. Unknown values are ignored rather than failing the page.
/// </summary>
public static class ContributionsUrl
{
    public const string Path = "/contributions";

    /// <summary>The review queue: flagged contributions not yet reviewed.</summary>
    public static ContributionFilter Queue { get; } = new(FlaggedOnly: true, Verdict: ReviewVerdict.Unreviewed);

    public static ContributionFilter Parse(IReadOnlyDictionary<string, string?> q)
    {
        string? One(string key) => q.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        Guid? Id(string key) => Guid.TryParse(One(key), out var id) ? id : null;
        DateOnly? Day(string key) => DateOnly.TryParseExact(One(key), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
        return new ContributionFilter(Id("vendor"), Id("system"), One("repository"), One("flag")?.ToUpperInvariant(),
            Enum.TryParse<ReviewVerdict>(One("verdict"), true, out var verdict) && Enum.IsDefined(verdict) && !int.TryParse(One("verdict"), out _) ? verdict : null,
            bool.TryParse(One("flagged"), out var flagged) && flagged, bool.TryParse(One("unmatched"), out var unmatched) && unmatched, One("q"), Day("from"),
            Day("to"), Id("person"));
    }

    /// <summary>The filter as query parameters (no leading <c>?</c>).</summary>
    public static string Query(ContributionFilter f) => QueryHelpers.AddQueryString("", new (string Key, string? Value)[]
        {
            ("system", f.SystemId?.ToString()), ("repository", f.Repository), ("flag", f.Flag),
            ("verdict", f.Verdict?.ToString()), ("flagged", f.FlaggedOnly ? "true" : null), ("unmatched", f.UnmatchedOnly ? "true" : null), ("q", f.Search),
            ("from", f.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("to", f.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("person", f.PersonId?.ToString()), ("vendor", f.VendorId?.ToString()), // the vendor last, like the dashboard's other links
        }.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).TrimStart('?');

    public static string Build(ContributionFilter filter) => Query(filter) is { Length: > 0 } query ? $"{Path}?{query}" : Path;

    /// <summary>The unmatched authors, of one vendor or of every vendor in scope.</summary>
    public static string Unmatched(Guid? vendor) => vendor is { } v ? $"{Path}/unmatched?vendor={v}" : $"{Path}/unmatched";

    /// <summary>The grid's sortable columns (their property) and their sort key in the address and the query.</summary>
    public static IReadOnlyDictionary<string, string> SortKeys { get; } = new Dictionary<string, string>
    {
        [nameof(ContributionRow.RiskScore)] = "risk",
        [nameof(ContributionRow.ContributedAt)] = "date",
        [nameof(ContributionRow.AuthorEmail)] = "author",
        [nameof(ContributionRow.Repository)] = "repository",
        [nameof(ContributionRow.Verdict)] = "verdict",
    };

    /// <summary>The columns a reader may hide (the risk and the change always show).</summary>
    public static IReadOnlyList<GridColumnChoice> Columns { get; } =
    [
        new("flags", "Flags"), new("date", "Date"), new("author", "Author"), new("system", "System and vendor"), new("verdict", "Verdict"),
    ];
}
