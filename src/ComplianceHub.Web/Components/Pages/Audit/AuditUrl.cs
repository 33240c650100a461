using System.Globalization;
using ComplianceHub.Core.Auditing;

namespace ComplianceHub.Web.Components.Pages.Audit;

/// <summary>
/// The audit trail's address, so a filtered view can be bookmarked and shared:
/// <c>/audit?vendor=&lt;id&gt;&amp;actor=&lt;id&gt;&amp;actorName=…&amp;subjectType=grant&amp;subjectId=…&amp;operation=grant.request&amp;rule=LOC-COVERED&amp;eventType=4001&amp;from=2026-11-01&amp;to=2026-11-30&amp;correlation=…&amp;oldest=true</c>.
/// Days are UTC; <c>to</c> is the last day included. Unknown values are ignored rather than failing the page.
/// </summary>
public static class AuditUrl
{
    public const string Path = "/audit";

    /// <summary>The trail's filters and order as the address holds them.</summary>
    /// <param name="Filter">The query's filters (days already turned into UTC instants).</param>
    /// <param name="FromDay">The first day included, as picked.</param>
    /// <param name="ToDay">The last day included, as picked.</param>
    /// <param name="OldestFirst">True to list in chain order; newest first otherwise (the default).</param>
    public sealed record State(AuditFilter Filter, DateOnly? FromDay, DateOnly? ToDay, bool OldestFirst)
    {
        /// <summary>No filter, newest first.</summary>
        public static State Empty { get; } = new(new AuditFilter(), null, null, false);

        /// <summary>The same state with other days (the filter's instants follow).</summary>
        public State WithDays(DateOnly? from, DateOnly? to) =>
            this with { FromDay = from, ToDay = to, Filter = Filter with { From = Start(from), To = Start(to?.AddDays(1)) } };
    }

    /// <summary>Reads the address's parameters (by name) into the page's state.</summary>
    public static State Parse(Func<string, string?> get)
    {
        string? Text(string name) => string.IsNullOrWhiteSpace(get(name)) ? null : get(name)!.Trim();
        DateOnly? Day(string name) =>
            DateOnly.TryParseExact(Text(name), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
        var filter = new AuditFilter(
            SubjectType: Text("subjectType"),
            SubjectId: Text("subjectId"),
            ActorUserId: Guid.TryParse(Text("actor"), out var actor) ? actor : null,
            EventType: int.TryParse(Text("eventType"), NumberStyles.None, CultureInfo.InvariantCulture, out var type) ? type : null,
            CorrelationId: Text("correlation"),
            ActorName: Text("actorName"),
            VendorId: Guid.TryParse(Text("vendor"), out var vendor) ? vendor : null,
            Operation: Text("operation"),
            RuleId: Text("rule")?.ToUpperInvariant());
        return new State(filter, null, null, bool.TryParse(Text("oldest"), out var oldest) && oldest).WithDays(Day("from"), Day("to"));
    }

    /// <summary>The address of a state; the empty state is plain <c>/audit</c>.</summary>
    public static string Build(State state)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }
        var f = state.Filter;
        Add("vendor", f.VendorId?.ToString());
        Add("actor", f.ActorUserId?.ToString());
        Add("actorName", f.ActorName);
        Add("subjectType", f.SubjectType);
        Add("subjectId", f.SubjectId);
        Add("operation", f.Operation);
        Add("rule", f.RuleId);
        Add("eventType", f.EventType?.ToString(CultureInfo.InvariantCulture));
        Add("from", state.FromDay?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("to", state.ToDay?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("correlation", f.CorrelationId);
        Add("oldest", state.OldestFirst ? "true" : null);
        return parts.Count == 0 ? Path : Path + "?" + string.Join('&', parts);
    }

    /// <summary>The trail of one operation (its correlation id).</summary>
    public static string ForCorrelation(string correlationId) => Build(State.Empty with { Filter = new AuditFilter(CorrelationId: correlationId), OldestFirst = true });

    /// <summary>The trail of one subject.</summary>
    public static string ForSubject(string subjectType, string subjectId) =>
        Build(State.Empty with { Filter = new AuditFilter(SubjectType: subjectType, SubjectId: subjectId) });

    /// <summary>The page of one event.</summary>
    public static string Event(long sequence) => $"{Path}/{sequence.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>An instant as the trail shows it: <c>2026-11-28 22:31:05Z</c>.</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Start(DateOnly? day) => day is { } d ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;
}
