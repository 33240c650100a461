using System.Globalization;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Features.Findings;
using ComplianceHub.Web.Components.Shared;

namespace ComplianceHub.Web.Components.Pages.Findings;

/// <summary>
/// The findings grid's address (<c>/findings?vendor=&lt;id&gt;&amp;person=&lt;id&gt;&amp;rule=LOC-COVERED&amp;severity=Block&amp;status=Open&amp;open=true&amp;overdue=true&amp;q=…&amp;openedByPolicy=7</c>),
/// the contract the dashboard and the vendor pages link with. Unknown values are ignored rather than failing the page.
/// </summary>
public static class FindingsUrl
{
    public const string Path = "/findings";

    public static FindingsWorkspaceFilter Parse(string? vendor, string? rule, string? severity, string? status, string? open, string? overdue, string? q,
        string? person = null, string? openedByPolicy = null) => new()
    {
        VendorId = Guid.TryParse(vendor, out var v) ? v : null,
        PersonId = Guid.TryParse(person, out var p) ? p : null,
        RuleId = string.IsNullOrWhiteSpace(rule) ? null : rule.Trim().ToUpperInvariant(),
        Severity = Enum.TryParse<Core.Domain.Findings.Severity>(severity, true, out var s) && Enum.IsDefined(s) ? s : null,
        Status = Enum.TryParse<FindingStatus>(status, true, out var st) && Enum.IsDefined(st) ? st : null,
        Open = bool.TryParse(open, out var o) && o,
        Overdue = bool.TryParse(overdue, out var d) && d,
        Search = string.IsNullOrWhiteSpace(q) ? null : q.Trim(),
        OpenedByPolicy = int.TryParse(openedByPolicy, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null,
    };

    public static string Build(FindingsWorkspaceFilter filter)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }
        Add("vendor", filter.VendorId?.ToString());
        Add("person", filter.PersonId?.ToString());
        Add("rule", filter.RuleId);
        Add("severity", filter.Severity?.ToString());
        Add("status", filter.Status?.ToString());
        Add("open", filter.Open ? "true" : null);
        Add("overdue", filter.Overdue ? "true" : null);
        Add("q", filter.Search);
        Add("openedByPolicy", filter.OpenedByPolicy?.ToString(CultureInfo.InvariantCulture));
        return parts.Count == 0 ? Path : Path + "?" + string.Join('&', parts);
    }

    /// <summary>The grid's sortable columns (their property) and their sort key in the address and the query.</summary>
    public static IReadOnlyDictionary<string, string> SortKeys { get; } = new Dictionary<string, string>
    {
        [nameof(FindingRow.VendorName)] = "vendor",
        [nameof(FindingRow.PersonName)] = "person",
        [nameof(FindingRow.RuleId)] = "ruleId",
        [nameof(FindingRow.Severity)] = "severity",
        [nameof(FindingRow.Status)] = "status",
        [nameof(FindingRow.DueOn)] = "dueOn",
        [nameof(FindingRow.DetectedAt)] = "detectedAt",
    };

    /// <summary>The columns a reader may hide (the person and the rule always show).</summary>
    public static IReadOnlyList<GridColumnChoice> Columns { get; } =
    [
        new("vendor", "Vendor"), new("on", "System and grant"), new("severity", "Severity"), new("status", "Status"),
        new("detectedAt", "Detected"), new("dueOn", "Due"),
    ];

    /// <summary>The chip of the <c>openedByPolicy</c> filter, in words.</summary>
    public static string OpenedByPolicyLabel(int policyNumber) => $"Opened when policy version {policyNumber} was activated";

    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
