using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Features.Requests;
using ComplianceHub.Web.Components.Shared;

namespace ComplianceHub.Web.Components.Pages.Requests;

/// <summary>The requests page's tab and filters: the grants' state and search, the escort requests' status.</summary>
public sealed record RequestsFilter(int Tab = 0, GrantRequestState State = GrantRequestState.All, string? Search = null, EscortRequestStatus? EscortStatus = null);

/// <summary>
/// The requests page in the address (<c>/requests?tab=escorts&amp;escortStatus=Pending</c>), read when the page starts, so a reload, a
/// bookmark or a saved view opens the tab and its list as they were. The grants grid's layout is unprefixed; the escort requests'
/// is <c>escorts.</c>, the refused requests' <c>refused.</c>. Unknown values fall back to the defaults.
/// </summary>
public static class RequestsUrl
{
    public const string Path = "/requests";

    /// <summary>The tabs in their order, by their name in the address (the first, the grants, has none).</summary>
    private static readonly string?[] Tabs = [null, "escorts", "refused"];

    public static string? TabName(int tab) => Tabs.ElementAtOrDefault(tab);

    public static RequestsFilter Parse(string? tab, string? state, string? q, string? escortStatus) => new(
        Math.Max(0, Array.FindIndex(Tabs, t => t is not null && string.Equals(t, tab?.Trim(), StringComparison.OrdinalIgnoreCase))),
        UrlValue.Enum<GrantRequestState>(state) ?? GrantRequestState.All,
        UrlValue.Text(q),
        UrlValue.Enum<EscortRequestStatus>(escortStatus));

    public static string Build(RequestsFilter filter) => UrlValue.Build(Path,
        ("tab", TabName(filter.Tab)),
        ("state", filter.State == GrantRequestState.All ? null : filter.State.ToString()),
        ("q", UrlValue.Text(filter.Search)),
        ("escortStatus", filter.EscortStatus?.ToString()));

    /// <summary>The grants grid's sortable columns and their sort key in the address and the query.</summary>
    public static IReadOnlyDictionary<string, string> GrantSortKeys { get; } = new Dictionary<string, string>
    {
        [nameof(GrantRequestRow.PersonName)] = "personName",
        [nameof(GrantRequestRow.SystemName)] = "systemName",
        [nameof(GrantRequestRow.Status)] = "status",
        [nameof(GrantRequestRow.RequestedAt)] = "requestedAt",
    };

    /// <summary>The grants grid's columns a reader may hide (the person always shows).</summary>
    public static IReadOnlyList<GridColumnChoice> GrantColumns { get; } =
    [
        new("system", "System"), new("access", "Access"), new("period", "Period"), new("status", "Status"), new("requested", "Requested"),
        new("decidedBy", "Decided by"),
    ];

    /// <summary>The escort requests' columns a reader may hide (the person and the actions always show).</summary>
    public static IReadOnlyList<GridColumnChoice> EscortColumns { get; } =
    [
        new("vendor", "Vendor"), new("escort", "Escort"), new("system", "System"), new("period", "Period"), new("status", "Status"), new("asked", "Asked"),
    ];
}
