using ComplianceHub.Core.Domain.Findings;
using Severity = ComplianceHub.Core.Domain.Findings.Severity;

namespace ComplianceHub.Core.Features.Findings;

/// <summary>A finding as the API shows it.</summary>
public sealed record FindingView(Guid Id, string RuleId, string SubjectType, Guid SubjectId, Guid PersonId, Guid VendorId, Severity Severity,
    string Message, IReadOnlyDictionary<string, string> Facts, string Citation, int PolicyVersion, DateTimeOffset DetectedAt, DateOnly DueOn,
    FindingStatus Status, string? Response, DateTimeOffset? AcknowledgedAt, string? Resolution, DateTimeOffset? ClosedAt)
{
    public static FindingView From(Finding f) => new(f.Id, f.RuleId, f.SubjectType, f.SubjectId, f.PersonId, f.VendorId, f.Severity, f.Message,
        System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(f.Facts) ?? [], f.Citation, f.PolicyVersion, f.DetectedAt, f.DueOn,
        f.Status, f.Response, f.AcknowledgedAt, f.Resolution, f.ClosedAt);
}
