using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Web.Components.Pages.Dashboard;

/// <summary>
/// The lists behind the dashboard's numbers. Roster links use the URL contract of <see cref="RosterFilter"/> and add
/// <c>status=Active</c>, because the dashboard counts people in active employment; findings links use the findings
/// list's parameters (<c>open=true</c> is every status but Closed, as the dashboard counts). Every link carries the
/// dashboard's vendor filter when there is one.
/// </summary>
public static class DashboardLinks
{

    public static string Dashboard(Guid? vendor) => vendor is { } v ? $"/dashboard?vendor={v}" : "/dashboard";

    /// <summary>The access reviews page: every campaign the reader sees, or those holding items of the vendor.</summary>
    public static string AccessReviews(Guid? vendor) => vendor is { } v ? $"/access-reviews?vendor={v}" : "/access-reviews";

    public static string People(Guid? vendor) => Roster(vendor);

    public static string Group(Guid? vendor, CitizenshipGroup group) => Roster(vendor, ("group", group.ToString()));

    /// <summary>The dashboard's foreign nationals: people who are not US persons (<see cref="Population.NotUsPerson"/>).</summary>
    public static string ForeignNationals(Guid? vendor, bool escorted) =>
        Roster(vendor, ("usPerson", "false"), ("escorted", escorted ? "true" : "false"));

    /// <summary>Every person in active employment who is not a US person, escorted or not (home's "Not US persons").</summary>
    public static string NotUsPersons(Guid? vendor) => Roster(vendor, ("usPerson", "false"));

    public static string Country(Guid? vendor, string country) => Roster(vendor, ("country", country));

    public static string Grants(Guid? vendor, GrantStatus status) => Roster(vendor, ("grantStatus", status.ToString()));

    public static string Attestation(Guid? vendor, AttestationState state) => Roster(vendor, ("attestation", state.ToString()));

    public static string OpenFindings(Guid? vendor) => Findings(vendor, ("open", "true"));

    public static string OpenFindings(Guid? vendor, Severity severity) => Findings(vendor, ("severity", severity.ToString()), ("open", "true"));

    public static string OpenFindings(Guid? vendor, string ruleId) => Findings(vendor, ("rule", ruleId), ("open", "true"));

    public static string OverdueFindings(Guid? vendor) => Findings(vendor, ("overdue", "true"));

    private static string Roster(Guid? vendor, params (string Key, string Value)[] filters) =>
        Build("/roster", vendor, [.. filters, ("status", nameof(EmploymentStatus.Active))]);

    private static string Findings(Guid? vendor, params (string Key, string Value)[] filters) => Build("/findings", vendor, filters);

    private static string Build(string path, Guid? vendor, IEnumerable<(string Key, string Value)> filters)
    {
        var all = vendor is { } v ? filters.Append((Key: "vendor", Value: v.ToString())) : filters;
        // Commas separate the values of a list filter; each value is escaped on its own.
        return path + "?" + string.Join("&", all.Select(f =>
            $"{f.Key}={string.Join(",", f.Value.Split(',').Select(Uri.EscapeDataString))}"));
    }
}
