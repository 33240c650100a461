using System.Globalization;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Findings;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Features.Requests;
using ComplianceHub.Web.Components.Pages.Contributions;
using ComplianceHub.Web.Components.Pages.Findings;
using ComplianceHub.Web.Components.Pages.Roster;
using Microsoft.AspNetCore.WebUtilities;

namespace ComplianceHub.Web.Api;

/// <summary>
/// The filters of an export as query parameters, in both directions: a screen builds its export links with them
/// (<c>ServerExport</c>) and <c>GET /api/v1/exports/{kind}</c> binds them back into the very filter record the screen's
/// query takes. Names are the screens' own (findings and roster: their address-bar parameters):
/// findings <c>vendor, person, rule, severity, status, open, overdue, q</c>; roster <c>q, vendor, citizenship, group,
/// country, system, impact, grantStatus, escorted, employer, attestation, status</c>; grants <c>state, q, vendor</c>;
/// escorts <c>q, vendor, qualification, valid, atCapacity</c>; attestations <c>vendor</c>; audit <c>subjectType,
/// subjectId, actorUserId, eventType, from, to, correlationId</c>; contributions <c>vendor, system, repository, flag, verdict,
/// flagged, unmatched, q, from, to, person</c>; access events <c>vendorId, personId, importId, systemId, country, identity, unmatched,
/// succeeded, from, to</c>. Every kind also takes <c>sort</c> and <c>desc</c>.
/// </summary>
public static class ExportQuery
{
    /// <summary>The export link of a screen: <c>/api/v1/exports/findings?format=pdf&amp;rule=LOC-COVERED…</c>.</summary>
    public static string Url(ExportKind kind, ExportFormat format, string? filterQuery, string? sort = null, bool desc = false)
    {
        var url = $"/api/v1/exports/{ExportRequest.Name(kind)}?format={ExportRequest.Name(format)}";
        if (!string.IsNullOrEmpty(filterQuery))
        {
            url += "&" + filterQuery.TrimStart('?');
        }
        if (!string.IsNullOrEmpty(sort))
        {
            url += $"&sort={Uri.EscapeDataString(sort)}&desc={(desc ? "true" : "false")}";
        }
        return url;
    }

    public static string Findings(FindingsWorkspaceFilter filter) => QueryOf(FindingsUrl.Build(filter));

    /// <summary>
    /// The OSCAL POA&amp;M download (<c>GET /api/v1/oscal/poam</c>) for the findings grid's vendor, with closed findings when the grid
    /// shows a closed status: <c>/api/v1/oscal/poam?vendorId=…</c>.
    /// </summary>
    public static string OscalPoam(FindingsWorkspaceFilter filter) =>
        OscalPoam(filter.VendorId, null, filter.Status is Core.Domain.Findings.FindingStatus.Remediated or Core.Domain.Findings.FindingStatus.Closed);

    /// <summary>The OSCAL POA&amp;M download for a vendor, a system, both or neither (the portfolio the reader may see).</summary>
    public static string OscalPoam(Guid? vendorId, Guid? systemId, bool includeClosed = false)
    {
        var query = Build(("vendorId", vendorId?.ToString()), ("systemId", systemId?.ToString()), ("includeClosed", includeClosed ? "true" : null));
        return query.Length == 0 ? "/api/v1/oscal/poam" : $"/api/v1/oscal/poam?{query}";
    }

    public static string Roster(RosterFilter filter) => QueryOf(RosterUrl.Build(filter));

    public static string Grants(GrantsExportFilter filter) => Build(
        ("state", filter.State == GrantRequestState.All ? null : filter.State.ToString()), ("q", filter.Search), ("vendor", filter.VendorId?.ToString()));

    public static string Escorts(EscortBoardFilter filter) => Build(
        ("q", filter.Search), ("vendor", filter.VendorId?.ToString()), ("qualification", filter.Qualification?.ToString()),
        ("valid", Bool(filter.Valid)), ("atCapacity", Bool(filter.AtCapacity)));

    public static string Contributions(Core.Features.Contributions.ContributionFilter filter) => ContributionsUrl.Query(filter);

    /// <summary>The access-log events grid's filter, under the names of <c>GET /api/v1/access-logs/events</c>.</summary>
    public static string AccessEvents(Core.Features.AccessLogs.AccessEventFilter filter) => Build(
        ("vendorId", filter.VendorId?.ToString()), ("personId", filter.PersonId?.ToString()), ("importId", filter.ImportId?.ToString()),
        ("systemId", filter.SystemId?.ToString()), ("country", filter.Country), ("identity", filter.Identity), ("unmatched", filter.UnmatchedOnly ? "true" : null),
        ("succeeded", Bool(filter.Succeeded)), ("from", filter.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ("to", filter.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));

    public static string Attestations(AttestationsExportFilter filter) => Build(("vendor", filter.VendorId?.ToString()));

    public static string Audit(AuditFilter filter) => Build(
        ("subjectType", filter.SubjectType), ("subjectId", filter.SubjectId), ("actorUserId", filter.ActorUserId?.ToString()),
        ("eventType", filter.EventType?.ToString(CultureInfo.InvariantCulture)), ("from", filter.From?.ToString("O", CultureInfo.InvariantCulture)),
        ("to", filter.To?.ToString("O", CultureInfo.InvariantCulture)), ("correlationId", filter.CorrelationId), ("actorName", filter.ActorName),
        ("vendorId", filter.VendorId?.ToString()), ("operation", filter.Operation), ("ruleId", filter.RuleId));

    /// <summary>
    /// The filter record of <paramref name="kind"/> from the query string. Findings and roster values are read as their
    /// screens read their addresses (an unknown value is ignored); for the other kinds a malformed id, state, number or
    /// date is an error under its parameter's name.
    /// </summary>
    public static object Bind(ExportKind kind, IQueryCollection query, IDictionary<string, string[]> errors)
    {
        string? One(string key) => query.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;
        Guid? Id(string key)
        {
            if (One(key) is not { } text) { return null; }
            if (Guid.TryParse(text, out var id)) { return id; }
            errors[key] = [$"'{text}' is not an id."];
            return null;
        }
        T? Enum<T>(string key) where T : struct, System.Enum
        {
            if (One(key) is not { } text) { return null; }
            if (System.Enum.TryParse<T>(text, true, out var value) && System.Enum.IsDefined(value) && !int.TryParse(text, out _)) { return value; }
            errors[key] = [$"'{text}' is not one of {string.Join(", ", System.Enum.GetNames<T>())}."];
            return null;
        }
        bool? Flag(string key)
        {
            if (One(key) is not { } text) { return null; }
            if (bool.TryParse(text, out var value)) { return value; }
            errors[key] = [$"'{text}' is not true or false."];
            return null;
        }
        DateTimeOffset? Instant(string key)
        {
            if (One(key) is not { } text) { return null; }
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)) { return value; }
            errors[key] = [$"'{text}' is not a date and time (ISO 8601)."];
            return null;
        }
        DateOnly? Day(string key)
        {
            if (One(key) is not { } text) { return null; }
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)) { return value; }
            errors[key] = [$"'{text}' is not a date (YYYY-MM-DD)."];
            return null;
        }
        int? Number(string key)
        {
            if (One(key) is not { } text) { return null; }
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)) { return value; }
            errors[key] = [$"'{text}' is not a number."];
            return null;
        }

        return kind switch
        {
            ExportKind.Findings => FindingsUrl.Parse(One("vendor"), One("rule"), One("severity"), One("status"), One("open"), One("overdue"), One("q"),
                One("person"), One("openedByPolicy")),
            ExportKind.Roster => RosterUrl.Parse(QueryString.Create(query.SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v))))
                .ToUriComponent()),
            ExportKind.Grants => new GrantsExportFilter(Enum<GrantRequestState>("state") ?? GrantRequestState.All, One("q"), Id("vendor")),
            ExportKind.Escorts => new EscortBoardFilter(One("q"), Id("vendor"), Enum<EscortQualification>("qualification"), Flag("valid"), Flag("atCapacity")),
            ExportKind.Attestations => new AttestationsExportFilter(Id("vendor")),
            ExportKind.Contributions => ContributionsUrl.Parse(query.ToDictionary(p => p.Key, p => (string?)p.Value.ToString())),
            ExportKind.AccessEvents => new Core.Features.AccessLogs.AccessEventFilter(Id("vendorId"), Id("personId"), Id("importId"), Id("systemId"),
                One("country"), One("identity"), Flag("unmatched") ?? false, Flag("succeeded"), Day("from"), Day("to")),
            ExportKind.AccessEvidence => BindEvidence(Id, Number, errors),
            _ => BindAudit(One, Id, Number, Instant),
        };
    }

    /// <summary>A person's access evidence: <c>person</c> (required) and <c>days</c> (1 to 3,650; 90 when left out).</summary>
    private static AccessEvidenceExportFilter BindEvidence(Func<string, Guid?> id, Func<string, int?> number, IDictionary<string, string[]> errors)
    {
        var person = id("person");
        if (person is null && !errors.ContainsKey("person"))
        {
            errors["person"] = ["Name the person whose access evidence to export (person=<id>)."];
        }
        var days = number("days");
        if (days is < 1 or > 3650)
        {
            errors["days"] = ["The period is 1 to 3,650 days."];
        }
        // Without a person the errors answer the request; the filter is not used.
        return new AccessEvidenceExportFilter(person ?? Guid.Empty, days ?? Core.Features.AccessLogs.AccessEvidenceQuery.DefaultDays);
    }

    /// <summary>The access evidence export's query: <c>person=…&amp;days=…</c>.</summary>
    public static string AccessEvidence(AccessEvidenceExportFilter filter) =>
        Build(("person", filter.PersonId.ToString()), ("days", filter.Days.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The audit trail's filter, under the parameter names of <c>GET /api/v1/audit/events</c>.</summary>
    private static AuditFilter BindAudit(Func<string, string?> one, Func<string, Guid?> id, Func<string, int?> number, Func<string, DateTimeOffset?> instant) =>
        new(one("subjectType"), one("subjectId"), id("actorUserId"), number("eventType"), instant("from"), instant("to"), one("correlationId"),
            one("actorName"), id("vendorId"), one("operation"), one("ruleId")?.ToUpperInvariant());

    private static string? Bool(bool? value) => value is { } v ? (v ? "true" : "false") : null;

    private static string QueryOf(string url) => url.IndexOf('?', StringComparison.Ordinal) is var at and >= 0 ? url[(at + 1)..] : "";

    private static string Build(params (string Key, string? Value)[] parameters) =>
        QueryOf(QueryHelpers.AddQueryString("", parameters.Where(p => !string.IsNullOrWhiteSpace(p.Value))
            .Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))));
}
