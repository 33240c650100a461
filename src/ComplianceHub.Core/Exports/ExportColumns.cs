using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Features.AccessLogs;
using ComplianceHub.Core.Features.Attestations;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Findings;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Features.Requests;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Core.Exports;

/// <summary>
/// The columns of the screens' tables that can be exported, defined once: a screen's in-grid export
/// (<c>GridExport</c>) and the file export of <see cref="ExportService"/> (CSV, XLSX, PDF, JSON) both use these lists.
/// </summary>
public static class ExportColumns
{
    /// <summary>The findings grid (<c>/findings</c>).</summary>
    public static IReadOnlyList<ExportColumn<FindingRow>> Findings { get; } =
    [
        new("Vendor", f => f.VendorName),
        new("Person", f => f.PersonName),
        new("Rule", f => f.RuleId),
        new("Severity", f => Words.Of(f.Severity)),
        new("Status", f => Words.Of(f.Status)),
        new("Detected", f => DateOnly.FromDateTime(f.DetectedAt.UtcDateTime)),
        new("Due", f => f.DueOn),
        new("Overdue", f => f.Overdue),
        new("Message", f => f.Message),
        new("Facts", f => string.Join("; ", f.Facts.Select(x => $"{Words.Field(x.Key)}: {Words.FactValue(x.Key, x.Value)}"))),
        new("Policy version", f => f.PolicyVersion),
        new("Answer", f => f.Response),
        new("Resolution", f => f.Resolution),
        new("Citation", f => f.Citation),
        new("How to respond", f => RuleCatalogue.GuidanceFor(f.RuleId)),
    ];

    /// <summary>The roster grid (<c>/roster</c> and a vendor's roster).</summary>
    public static IReadOnlyList<ExportColumn<RosterGridRow>> Roster { get; } =
    [
        new("Name", r => r.FullName),
        new("Employee id", r => r.EmployeeId),
        new("Vendor", r => r.VendorName),
        new("Citizenships", r => Words.Countries(r.Citizenships)),
        new("US permanent resident", r => r.UsLawfulPermanentResident),
        new("Citizenship group", r => RosterLabels.Group(r.Group)),
        new("Work country", r => Words.Country(r.WorkCountry)),
        new("Work city", r => r.WorkCity),
        new("Employer type", r => RosterLabels.Employer(r.EmployerType)),
        new("Active grants", r => r.ActiveGrants),
        new("Suspended grants", r => r.SuspendedGrants),
        new("Pending grants", r => r.PendingGrants),
        new("Escorted", r => r.Escorted),
        new("Attestation", r => RosterLabels.Attestation(r.Attestation)),
        new("Attested on", r => r.LocationAttestedOn),
        new("Attestation due", r => r.AttestationDueOn),
        new("Open findings", r => r.OpenFindings),
        new("Employment", r => Words.Of(r.Status)),
        new("Screening", r => Words.Of(r.Screening)),
    ];

    /// <summary>The grant requests (the Requests page, Grants tab).</summary>
    public static IReadOnlyList<ExportColumn<GrantRequestRow>> Grants { get; } =
    [
        new("Vendor", g => g.VendorName), new("Person", g => g.PersonName), new("Employee id", g => g.EmployeeId), new("System", g => g.SystemName),
        new("Impact level", g => Words.Of(g.ImpactLevel)), new("Access type", g => Words.Of(g.AccessType)), new("Escorted", g => g.Escorted),
        new("Starts on", g => g.StartsOn), new("Ends on", g => g.EndsOn), new("Status", g => Words.Of(g.Status)), new("Reason", g => g.StatusReason),
        new("Justification", g => g.Justification), new("Requested by", g => g.RequestedBy), new("Requested at (UTC)", g => g.RequestedAt),
        new("Approved by", g => g.ApprovedBy), new("Approved at (UTC)", g => g.ApprovedAt),
    ];

    /// <summary>The escorts of the escort board.</summary>
    public static IReadOnlyList<ExportColumn<EscortRow>> Escorts { get; } =
    [
        new("Escort", e => e.FullName),
        new("Employee id", e => e.EmployeeId),
        new("Vendor", e => e.VendorName),
        new("Qualification", e => Words.Of(e.Qualification)),
        new("Trained on", e => e.TrainedOn),
        new("Supervising today", e => e.Supervising),
        new("Maximum", e => e.MaxSupervised),
        new("Upcoming assignments", e => e.Upcoming),
        new("Valid escort", e => e.Valid),
        new("Problems", e => string.Join("; ", e.Problems)),
    ];

    /// <summary>The signed attestations (the Attestations page's history).</summary>
    public static IReadOnlyList<ExportColumn<AttestationHistoryRow>> Attestations { get; } =
    [
        new("Vendor", r => r.VendorName), new("Signed by", r => r.SubmittedByName), new("Signed at (UTC)", r => r.SubmittedAt),
        new("People", r => r.People), new("SHA-256", r => r.ContentHash),
    ];

    /// <summary>The audit trail: every field of an event, the changes and rule outcomes as JSON.</summary>
    public static IReadOnlyList<ExportColumn<AuditEventView>> Audit { get; } =
    [
        new("Sequence", e => e.Sequence), new("Occurred at (UTC)", e => e.OccurredAt), new("Actor", e => e.ActorName), new("Actor role", e => Words.SplitWords(e.ActorRole)),
        new("Actor account", e => e.ActorUserId?.ToString()), new("Actor vendor", e => e.ActorVendorId?.ToString()),
        new("Authentication", e => e.AuthenticationMethod), new("Event type", e => e.EventType), new("Event", e => Words.EventTypeWords(e.EventType)),
        new("Operation", e => e.Operation), new("What happened", e => Words.Operation(e.Operation)),
        new("Subject type", e => e.SubjectType), new("Subject", e => Words.SubjectType(e.SubjectType)), new("Subject id", e => e.SubjectId), new("Changes", e => e.Changes),
        new("Rule outcomes", e => e.RuleOutcomes), new("Correlation id", e => e.CorrelationId), new("Previous hash", e => e.PreviousHash),
        new("Hash", e => e.Hash),
    ];

    /// <summary>The code contributions grid and review queue (<c>/contributions</c>).</summary>
    public static IReadOnlyList<ExportColumn<Features.Contributions.ContributionRow>> Contributions { get; } =
    [
        new("Risk", c => c.RiskScore),
        new("Flags", c => c.FlagCodes),
        new("Vendor", c => c.VendorName),
        new("System", c => c.SystemName),
        new("Repository", c => c.Repository),
        new("Id", c => c.ExternalId),
        new("Date (UTC)", c => c.ContributedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)),
        new("Title", c => c.Title),
        new("Author", c => c.AuthorName),
        new("Author e-mail", c => c.AuthorEmail),
        new("Person", c => c.PersonName),
        new("Match", c => Words.Of(c.Match)),
        new("Verdict", c => Words.Of(c.Verdict)),
        new("Reviewed by", c => c.ReviewedBy),
        new("Reviewed", c => c.ReviewedAt is { } at ? DateOnly.FromDateTime(at.UtcDateTime) : (DateOnly?)null),
        new("Notes", c => c.ReviewNotes),
        new("Why flagged", c => string.Join(" | ", c.Flags.Select(f => f.Message))),
        new("Link", c => c.Url),
    ];

    /// <summary>The access-log events grid (<c>/access-logs/imports/{id}</c>): one row per sign-in or access, with its line and database.</summary>
    public static IReadOnlyList<ExportColumn<Features.AccessLogs.AccessEventRow>> AccessEvents { get; } =
    [
        new("Time (UTC)", e => e.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)),
        new("Identity", e => e.Identity),
        new("Person", e => e.PersonName ?? "Matched to nobody"),
        new("Vendor", e => e.VendorName),
        new("System", e => e.SystemName),
        new("Source address", e => e.SourceAddress),
        new("Country", e => Words.EventCountry(e.Country, e.Unknown)),
        new("Country code", e => e.Country),
        new("Known egress", e => Words.YesNo(e.Egress)),
        new("Result", e => e.Succeeded ? "Succeeded" : "Failed"),
        new("File", e => e.FileName),
        new("Line", e => e.Line),
        new("Geolocation database", e => e.GeolocationDatabase),
        new("Import", e => e.ImportId.ToString()),
        new("Log line", e => e.Excerpt),
    ];

    /// <summary>A person's countries of access (the person page's "Where access came from"); times in UTC, as every export carries them.</summary>
    public static IReadOnlyList<ExportColumn<CountrySeen>> AccessEvidence { get; } =
    [
        new("Country", c => c.Country is null ? $"Unknown location: {Words.Of((Enum)c.Unknown).ToLowerInvariant()}" : Words.Country(c.Country)),
        new("Country code", c => c.Country),
        new("Agreement with the attested location", c => Words.Of(c.Agreement)),
        new("Known egress range", c => c.Egress),
        new("Sign-ins", c => c.SignIns),
        new("Failed sign-ins", c => c.FailedSignIns),
        new("First seen (UTC)", c => c.FirstAt),
        new("Last seen (UTC)", c => c.LastAt),
        new("Systems", c => string.Join("; ", c.Systems)),
    ];
}
