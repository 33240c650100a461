using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Findings;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Features.Requests;

namespace ComplianceHub.Core.Exports;

/// <summary>What can be exported: the row set of one screen each.</summary>
public enum ExportKind { Findings, Roster, Grants, Escorts, Attestations, Audit, Contributions, AccessEvents, AccessEvidence }

/// <summary>The file formats of an export.</summary>
public enum ExportFormat { Csv, Xlsx, Pdf, Json }

/// <summary>The Requests page's Grants tab filters: which requests, a person search, a vendor.</summary>
public sealed record GrantsExportFilter(GrantRequestState State = GrantRequestState.All, string? Search = null, Guid? VendorId = null);

/// <summary>The Attestations page's history filter: one vendor, or every vendor the actor may read.</summary>
public sealed record AttestationsExportFilter(Guid? VendorId = null);

/// <summary>The person page's "Where access came from": one person's countries over the last <paramref name="Days"/> days (issue 25).</summary>
public sealed record AccessEvidenceExportFilter(Guid PersonId, int Days = Features.AccessLogs.AccessEvidenceQuery.DefaultDays);

/// <summary>
/// One export: the kind, the format, the screen's filter (the same record the screen's query takes:
/// <see cref="FindingsWorkspaceFilter"/>, <see cref="RosterFilter"/>, <see cref="GrantsExportFilter"/>,
/// <see cref="EscortBoardFilter"/>, <see cref="AttestationsExportFilter"/>, <see cref="AuditFilter"/>,
/// <see cref="Features.Contributions.ContributionFilter"/>; null for none) and
/// the screen's sort.
/// </summary>
public sealed record ExportRequest(ExportKind Kind, ExportFormat Format, object? Filter = null, string? Sort = null, bool Desc = false)
{
    /// <summary>The kind's name in URLs, file names and the audit trail (<c>findings</c>, <c>roster</c>…).</summary>
    public static string Name(ExportKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The format's name and file extension (<c>csv</c>, <c>xlsx</c>, <c>pdf</c>, <c>json</c>).</summary>
    public static string Name(ExportFormat format) => format.ToString().ToLowerInvariant();

    public static bool TryParseKind(string? value, out ExportKind kind) => TryParse(value, out kind);

    public static bool TryParseFormat(string? value, out ExportFormat format) => TryParse(value, out format);

    /// <summary>Only the exact lower-case names (any case) count: no numbers, no combined flags.</summary>
    private static bool TryParse<T>(string? value, out T parsed) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(candidate.ToString(), value?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                parsed = candidate;
                return true;
            }
        }
        parsed = default;
        return false;
    }

    public static string ContentType(ExportFormat format) => format switch
    {
        ExportFormat.Csv => TableFile.ContentType(TableFormat.Csv),
        ExportFormat.Xlsx => TableFile.ContentType(TableFormat.Xlsx),
        ExportFormat.Pdf => "application/pdf",
        _ => "application/json; charset=utf-8",
    };

    /// <summary><c>findings-20261128-2215.pdf</c>: the kind, the UTC minute, the format.</summary>
    public string FileName(DateTimeOffset at) => $"{Name(Kind)}-{at.UtcDateTime:yyyyMMdd-HHmm}.{Name(Format)}";
}

/// <summary>What an export wrote: the rows, the bytes and their SHA-256 (lower-case hex), and its audit event.</summary>
public sealed record ExportResult(string FileName, long Rows, long Bytes, string Sha256, long AuditSequence);
