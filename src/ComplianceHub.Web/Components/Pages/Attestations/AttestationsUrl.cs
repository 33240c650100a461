using ComplianceHub.Core.Features.Attestations;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Web.Components.Shared;

namespace ComplianceHub.Web.Components.Pages.Attestations;

/// <summary>
/// The attestations page in the address (<c>/attestations?state=Overdue&amp;vendor=&lt;id&gt;</c>), the contract the notifications
/// link with, read when the page starts. The due dates grid's layout is unprefixed, the signed attestations' is <c>history.</c>.
/// Unknown values are ignored.
/// </summary>
public static class AttestationsUrl
{
    public const string Path = "/attestations";

    public static AttestationState? State(string? state) => UrlValue.Enum<AttestationState>(state);

    public static Guid? Vendor(string? vendor) => Guid.TryParse(vendor, out var v) ? v : null;

    public static string Build(AttestationState? state, Guid? vendor) => UrlValue.Build(Path, ("state", state?.ToString()), ("vendor", vendor?.ToString()));

    /// <summary>The due dates grid's sortable columns and their sort key in the address and the query.</summary>
    public static IReadOnlyDictionary<string, string> DueSortKeys { get; } = new Dictionary<string, string>
    {
        [nameof(AttestationDueRow.FullName)] = "fullName",
        [nameof(AttestationDueRow.EmployeeId)] = "employeeId",
        [nameof(AttestationDueRow.LocationAttestedOn)] = "attestedOn",
    };

    /// <summary>The due dates grid's columns a reader may hide (the person always shows).</summary>
    public static IReadOnlyList<GridColumnChoice> DueColumns { get; } =
    [
        new("vendor", "Vendor"), new("employeeId", "Employee id"), new("worksIn", "Works in"), new("attestedOn", "Last attested"),
        new("dueOn", "Next due"), new("state", "State"), new("warning", "Warning"),
    ];

    /// <summary>The signed attestations' sortable columns and their sort key in the address and the query.</summary>
    public static IReadOnlyDictionary<string, string> HistorySortKeys { get; } = new Dictionary<string, string>
    {
        [nameof(AttestationHistoryRow.SubmittedByName)] = "submittedByName",
        [nameof(AttestationHistoryRow.SubmittedAt)] = "submittedAt",
    };

    /// <summary>The signed attestations' columns a reader may hide (when it was signed, and its details link, always show).</summary>
    public static IReadOnlyList<GridColumnChoice> HistoryColumns { get; } =
    [
        new("vendor", "Vendor"), new("signedBy", "Signed by"), new("people", "People"), new("hash", "SHA-256"),
    ];
}
