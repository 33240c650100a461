using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Systems;
using ComplianceHub.Web.Components.Shared;

namespace ComplianceHub.Web.Components.Pages.Systems;

/// <summary>
/// The systems grid's address (<c>/systems?q=cloud&amp;level=IL5&amp;vendor=&lt;id&gt;</c>, then its layout: <c>sort=provider&amp;desc=true&amp;hide=environment</c>),
/// so a reload, a bookmark or a saved view opens the list as it was.
/// </summary>
public static class SystemsUrl
{
    public const string Path = "/systems";

    public static SystemFilter Parse(string uri)
    {
        var query = new FilterQuery(uri);
        return new SystemFilter(query.Text("q"), query.Enum<ImpactLevel>("level"), query.Id("vendor"));
    }

    public static string Build(SystemFilter filter) =>
        FilterQuery.Build(Path, ("q", filter.Search), ("level", filter.ImpactLevel?.ToString()), ("vendor", filter.VendorId?.ToString()));

    /// <summary>The grid's sortable columns (their property) and their sort key in the address and the query.</summary>
    public static IReadOnlyDictionary<string, string> SortKeys { get; } = new Dictionary<string, string>
    {
        [nameof(SystemRow.Name)] = "name",
        [nameof(SystemRow.ImpactLevel)] = "impactLevel",
        [nameof(SystemRow.Provider)] = "provider",
        [nameof(SystemRow.Environment)] = "environment",
        [nameof(SystemRow.PeopleWithAccess)] = "peopleWithAccess",
    };

    /// <summary>The columns a reader may hide (the name and the actions always show).</summary>
    public static IReadOnlyList<GridColumnChoice> Columns { get; } =
    [
        new("impactLevel", "Impact level"), new("vendors", "Vendors under contract"), new("provider", "Provider"),
        new("environment", "Environment"), new("people", "People with access"),
    ];
}
