using ComplianceHub.Core.Domain.Screening;
using ComplianceHub.Core.Features.Screening;
using ComplianceHub.Web.Components.Shared;

namespace ComplianceHub.Web.Components.Pages.Screening;

/// <summary>
/// The screening queue's filters in the address (<c>/screening?status=all&amp;q=ivanov</c>), read when the page starts, so a
/// reload, a bookmark or a saved view opens the queue as it was. No status means the hits awaiting a decision (the queue's
/// default); <c>status=all</c> shows every hit. Unknown values fall back to the defaults.
/// </summary>
public static class ScreeningUrl
{
    public const string Path = "/screening";

    /// <summary>The status parameter of the list without a status filter.</summary>
    public const string AllStatuses = "all";

    public static HitStatus? Status(string? status) =>
        string.Equals(status?.Trim(), AllStatuses, StringComparison.OrdinalIgnoreCase) ? null : UrlValue.Enum<HitStatus>(status) ?? HitStatus.Pending;

    public static string? Search(string? q) => UrlValue.Text(q);

    public static string Build(HitStatus? status, string? search) => UrlValue.Build(Path,
        ("status", status switch { HitStatus.Pending => null, null => AllStatuses, { } s => s.ToString() }), ("q", Search(search)));

    /// <summary>The grid's sortable columns and their sort key in the address and the query.</summary>
    public static IReadOnlyDictionary<string, string> SortKeys { get; } = new Dictionary<string, string>
    {
        [nameof(ScreeningHitRow.PersonName)] = "personName",
        [nameof(ScreeningHitRow.Score)] = "score",
        [nameof(ScreeningHitRow.DetectedAt)] = "detectedAt",
    };

    /// <summary>The columns a reader may hide (the person and the decision always show).</summary>
    public static IReadOnlyList<GridColumnChoice> Columns { get; } =
    [
        new("listedParty", "Listed party"), new("score", "Score"), new("status", "Status"), new("detectedAt", "Detected"),
    ];
}
