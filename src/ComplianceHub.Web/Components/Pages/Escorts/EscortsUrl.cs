using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Web.Api;
using ComplianceHub.Web.Components.Shared;

namespace ComplianceHub.Web.Components.Pages.Escorts;

/// <summary>
/// The escort board's address: the escorts' filters as their export names them (<c>/escorts?vendor=&lt;id&gt;&amp;q=…&amp;qualification=Qualified&amp;valid=false&amp;atCapacity=true</c>),
/// the second grid's search (<c>unescorted.q=…</c>), then each grid's layout (the second one's prefixed: <c>unescorted.sort=vendor</c>).
/// </summary>
public static class EscortsUrl
{
    public const string Path = "/escorts";

    /// <summary>The prefix of the second grid's (the unescorted foreign nationals') parameters.</summary>
    public const string Unescorted = "unescorted.";

    public static (EscortBoardFilter Escorts, string? UnescortedSearch) Parse(string uri)
    {
        var query = new FilterQuery(uri);
        return (new EscortBoardFilter(query.Text("q"), query.Id("vendor"), query.Enum<EscortQualification>("qualification"), query.Flag("valid"),
            query.Flag("atCapacity")), query.Text(Unescorted + "q"));
    }

    /// <summary>The board's address for its filters: the escorts' under the names their export takes (<see cref="ExportQuery.Escorts"/>).</summary>
    public static string Build(EscortBoardFilter escorts, string? unescortedSearch) =>
        FilterQuery.Build(Path, ("q", escorts.Search), ("vendor", escorts.VendorId?.ToString()), ("qualification", escorts.Qualification?.ToString()),
            ("valid", FilterQuery.Flag(escorts.Valid)), ("atCapacity", FilterQuery.Flag(escorts.AtCapacity)), (Unescorted + "q", unescortedSearch));

    /// <summary>The escorts grid's sortable columns (their property) and their sort key in the address and the query.</summary>
    public static IReadOnlyDictionary<string, string> EscortSortKeys { get; } = new Dictionary<string, string>
    {
        [nameof(EscortRow.FullName)] = "name",
        [nameof(EscortRow.VendorName)] = "vendor",
        [nameof(EscortRow.Qualification)] = "qualification",
        [nameof(EscortRow.TrainedOn)] = "trainedOn",
        [nameof(EscortRow.Supervising)] = "supervising",
        [nameof(EscortRow.Valid)] = "valid",
    };

    /// <summary>The escorts' columns a reader may hide (the escort always shows).</summary>
    public static IReadOnlyList<GridColumnChoice> EscortColumns { get; } =
    [
        new("vendor", "Vendor"), new("qualification", "Qualification"), new("trainedOn", "Trained on"), new("capacity", "Capacity used"),
        new("valid", "Valid escort"),
    ];

    /// <summary>The unescorted foreign nationals' sortable columns.</summary>
    public static IReadOnlyDictionary<string, string> UnescortedSortKeys { get; } = new Dictionary<string, string>
    {
        [nameof(UnescortedRow.FullName)] = "name",
        [nameof(UnescortedRow.VendorName)] = "vendor",
        [nameof(UnescortedRow.WorkCountry)] = "workCountry",
        [nameof(UnescortedRow.ActiveGrants)] = "grants",
    };

    /// <summary>The unescorted foreign nationals' columns a reader may hide (the person and the action always show).</summary>
    public static IReadOnlyList<GridColumnChoice> UnescortedColumns { get; } =
    [
        new("vendor", "Vendor"), new("citizenships", "Citizenships"), new("work", "Work location"), new("grants", "Grants"), new("escort", "Escort"),
    ];
}
