using System.Globalization;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using Microsoft.AspNetCore.WebUtilities;

namespace ComplianceHub.Web.Components.Pages.Roster;

/// <summary>
/// The roster's filters as a URL (<c>/roster?group=CoveredNation&amp;escorted=false</c>), in both directions, so every
/// number on the dashboard links to the list behind it and a filtered roster can be bookmarked and shared. Unknown or
/// malformed values are ignored rather than failing the page.
/// </summary>
public static class RosterUrl
{
    public static string Build(RosterFilter filter, string path = "/roster")
    {
        var query = new List<KeyValuePair<string, string?>>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                query.Add(new(key, value));
            }
        }
        Add("q", filter.Search?.Trim());
        Add("vendor", filter.VendorId?.ToString());
        Add("citizenship", string.Join(',', filter.Citizenships));
        Add("group", string.Join(',', filter.Groups));
        Add("country", filter.WorkCountry);
        Add("system", filter.SystemId?.ToString());
        Add("impact", filter.ImpactLevel?.ToString());
        Add("grantStatus", filter.GrantStatus?.ToString());
        Add("escorted", filter.Escorted is { } e ? (e ? "true" : "false") : null);
        Add("usPerson", filter.UsPerson is { } u ? (u ? "true" : "false") : null);
        Add("employer", filter.EmployerType?.ToString());
        Add("attestation", string.Join(',', filter.Attestation));
        Add("status", filter.Status?.ToString());
        Add("suspendedByPolicy", filter.SuspendedByPolicy?.ToString(CultureInfo.InvariantCulture));
        return QueryHelpers.AddQueryString(path, query);
    }

    public static RosterFilter Parse(string uri)
    {
        var queryStart = uri.IndexOf('?', StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(queryStart < 0 ? "" : uri[queryStart..]);
        string? One(string key) => query.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;
        IEnumerable<string> Many(string key) => (One(key) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        static T? Enum<T>(string? value) where T : struct, System.Enum =>
            value is not null && System.Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed) ? parsed : null;

        return new RosterFilter
        {
            Search = One("q"),
            VendorId = Guid.TryParse(One("vendor"), out var vendor) ? vendor : null,
            Citizenships = Many("citizenship").Select(c => c.ToUpperInvariant()).Where(c => c.Length == 2).Distinct().ToList(),
            Groups = Many("group").Select(Enum<CitizenshipGroup>).OfType<CitizenshipGroup>().Distinct().ToList(),
            WorkCountry = One("country") is { Length: 2 } country ? country.ToUpperInvariant() : null,
            SystemId = Guid.TryParse(One("system"), out var system) ? system : null,
            ImpactLevel = Enum<ImpactLevel>(One("impact")),
            GrantStatus = Enum<GrantStatus>(One("grantStatus")),
            Escorted = bool.TryParse(One("escorted"), out var escorted) ? escorted : null,
            UsPerson = bool.TryParse(One("usPerson"), out var usPerson) ? usPerson : null,
            EmployerType = Enum<EmployerType>(One("employer")),
            Attestation = Many("attestation").Select(Enum<AttestationState>).OfType<AttestationState>().Distinct().ToList(),
            Status = Enum<EmploymentStatus>(One("status")),
            SuspendedByPolicy = int.TryParse(One("suspendedByPolicy"), NumberStyles.None, CultureInfo.InvariantCulture, out var policy) && policy > 0
                ? policy : null,
        };
    }

    /// <summary>How many filters are set (the search counts as one).</summary>
    public static int Count(RosterFilter f) =>
        new object?[] { f.Search, f.VendorId, f.WorkCountry, f.SystemId, f.ImpactLevel, f.GrantStatus, f.Escorted, f.UsPerson, f.EmployerType, f.Status, f.SuspendedByPolicy }
            .Count(v => v is not null && (v is not string s || !string.IsNullOrWhiteSpace(s)))
        + (f.Citizenships.Count > 0 ? 1 : 0) + (f.Groups.Count > 0 ? 1 : 0) + (f.Attestation.Count > 0 ? 1 : 0);



    /// <summary>The chip of the <c>suspendedByPolicy</c> filter, in words.</summary>
    public static string SuspendedByPolicyLabel(int policyNumber) => $"Has a grant suspended when policy version {policyNumber} was activated";

    public static string GroupLabel(CitizenshipGroup group) => RosterLabels.Group(group);

    public static string AttestationLabel(AttestationState state) => RosterLabels.Attestation(state);

    public static string FormatDate(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";
}
