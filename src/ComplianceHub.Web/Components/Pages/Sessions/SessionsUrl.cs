using System.Globalization;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Web.Components.Shared;

namespace ComplianceHub.Web.Components.Pages.Sessions;

/// <summary>
/// The escorted sessions grid's address (<c>/sessions?status=Overdue&amp;system=&lt;id&gt;&amp;vendor=&lt;id&gt;&amp;q=…&amp;from=2026-11-01&amp;to=2026-11-30</c>,
/// then its layout), so a reload, a bookmark or a saved view opens the list as it was.
/// </summary>
public static class SessionsUrl
{
    public const string Path = "/sessions";

    public static EscortedSessionFilter Parse(string uri)
    {
        var query = new FilterQuery(uri);
        return new EscortedSessionFilter(query.Id("vendor"), query.Enum<SessionStatus>("status"), query.Id("system"), query.Text("q"),
            SessionsPage.ParseDay(query.Text("from")), SessionsPage.ParseDay(query.Text("to")));
    }

    public static string Build(EscortedSessionFilter filter) =>
        FilterQuery.Build(Path, ("status", filter.Status?.ToString()), ("system", filter.SystemId?.ToString()), ("vendor", filter.VendorId?.ToString()),
            ("q", filter.Search), ("from", Day(filter.From)), ("to", Day(filter.To)));

    private static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The grid's sortable columns (their property) and their sort key in the address and the query.</summary>
    public static IReadOnlyDictionary<string, string> SortKeys { get; } = new Dictionary<string, string>
    {
        [nameof(EscortedSessionRow.StartedAt)] = "startedAt",
        [nameof(EscortedSessionRow.EndedAt)] = "endedAt",
        [nameof(EscortedSessionRow.ChangeTicket)] = "changeTicket",
    };

    /// <summary>The columns a reader may hide (the person and the actions always show).</summary>
    public static IReadOnlyList<GridColumnChoice> Columns { get; } =
    [
        new("vendor", "Vendor"), new("escort", "Escort"), new("system", "System"), new("start", "Start"), new("end", "End"),
        new("ticket", "Change ticket"), new("status", "Status"),
    ];
}
