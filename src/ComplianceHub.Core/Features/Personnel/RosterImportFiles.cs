using ComplianceHub.Core.Common;
using ComplianceHub.Core.Exports;

namespace ComplianceHub.Core.Features.Personnel;

/// <summary>
/// The downloads of an import report: the error report (row, employee id, field, message) and the full row report. The headers
/// are the roster file's keys (a vendor fixes their file by them); the values read as words.
/// </summary>
public static class RosterImportFiles
{
    private sealed record ErrorLine(int Row, string EmployeeId, string Field, string Message);

    private static readonly IReadOnlyList<ExportColumn<ErrorLine>> ErrorColumns =
    [
        new("row", e => e.Row), new("employeeId", e => e.EmployeeId), new("field", e => e.Field), new("message", e => e.Message),
    ];

    private static readonly IReadOnlyList<ExportColumn<ImportRowReport>> RowColumns =
    [
        new("row", r => r.Row), new("employeeId", r => r.EmployeeId), new("fullName", r => r.FullName), new("action", r => Words.Of(r.Action)),
        new("changedFields", r => string.Join("; ", r.ChangedFields)),
        new("errors", r => string.Join("; ", r.Errors.Select(e => $"{Words.Field(e.Field)}: {e.Message}"))),
        new("ruleOutcomes", r => string.Join("; ", r.Outcomes.Select(o => $"{o.RuleId} ({Words.Of(o.Severity)}): {o.Message}"))),
        new("consequences", r => string.Join("; ", r.Consequences)),
    ];

    /// <summary>Every error of the report, the file's own (row 0 = the file, row 1 = the header) first.</summary>
    public static void WriteErrors(Stream output, RosterImportReport report, TableFormat format = TableFormat.Csv)
    {
        var ids = report.RowReports.ToDictionary(r => r.Row, r => r.EmployeeId);
        var lines = report.Errors.OrderBy(e => e.Row).Select(e => new ErrorLine(e.Row, ids.GetValueOrDefault(e.Row, ""), e.Field, e.Message));
        TableFile.Write(output, format, "Errors", ErrorColumns, lines);
    }

    /// <summary>Every row with what it does, its changed fields, errors, rule outcomes and consequences.</summary>
    public static void WriteRows(Stream output, RosterImportReport report, TableFormat format = TableFormat.Csv) =>
        TableFile.Write(output, format, "Rows", RowColumns, report.RowReports);
}
