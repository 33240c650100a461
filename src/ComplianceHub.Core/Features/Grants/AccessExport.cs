using System.Globalization;
using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Features.Personnel;

namespace ComplianceHub.Core.Features.Grants;

/// <summary>What an access export wrote: its file name, rows (one per holder and interval), size and SHA-256, and its audit event.</summary>
public sealed record AccessExportResult(string FileName, long Rows, long Bytes, string Sha256, long AuditSequence);

/// <summary>
/// "Who could touch the system" as a CSV file, streamed from <see cref="SystemAccessQuery.StreamAsync"/> as the cursor reads it:
/// one row per holder and interval in which their grant was active, with the facts of the day, the escorts covering them then
/// and the verdict under the policy version then in force. Like every export, completing it is an audit event
/// (<see cref="AuditEventTypes.Export"/>) with the file's SHA-256.
/// </summary>
public sealed class AccessExport(SystemAccessQuery query, AuditNotes notes)
{
    /// <summary>The row of the file: the answer's header, one holder, one of their intervals.</summary>
    public sealed record Row(SystemAccessStream Answer, AccessHolder Holder, AccessInterval Interval);

    /// <summary>The file's columns (plain words; instants in UTC, as the span is a UTC day).</summary>
    public static IReadOnlyList<ExportColumn<Row>> Columns { get; } =
    [
        new("System", r => r.Answer.SystemName),
        new("Span", r => Span(r.Answer)),
        new("Person", r => r.Holder.FullName),
        new("Vendor", r => r.Holder.VendorName),
        new("Access", r => PersonTimelineQuery.Humanize(r.Holder.AccessType.ToString()) + (r.Holder.Escorted ? ", escorted" : "")),
        new("Grant period", r => $"{Day(r.Holder.StartsOn)} to {(r.Holder.EndsOn is { } end ? Day(end) : "open-ended")}"),
        new("Held from (UTC)", r => Instant(r.Interval.From)),
        new("Held until (UTC)", r => Instant(r.Interval.To)),
        new("Policy version", r => r.Interval.PolicyVersion),
        new("Impact level", r => r.Interval.ImpactLevel.ToString()),
        new("Citizenships", r => Fact(r.Holder, "citizenships")),
        new("Country of birth", r => Fact(r.Holder, "countryOfBirth")),
        new("Works in", r => Fact(r.Holder, "workCity") is var city && city.Length > 0 ? $"{city}, {Fact(r.Holder, "workCountry")}" : Fact(r.Holder, "workCountry")),
        new("Investigation", r => Fact(r.Holder, "investigationTier")),
        new("Clearance", r => Fact(r.Holder, "clearance")),
        new("Escorts then", r => string.Join("; ", r.Holder.Escorts.Where(e => r.Interval.EscortAssignmentIds.Contains(e.AssignmentId)).Select(e => e.FullName))),
        new("Would have passed", r => r.Interval.Verdict is { } v ? (v.Passed ? "yes" : "no") : "no policy in force"),
        new("Failing rules", r => string.Join(" ", r.Interval.Verdict?.Failing.Select(f => f.RuleId) ?? [])),
        new("Why", r => string.Join(" ", r.Interval.Verdict?.Failing.Select(f => f.Message) ?? [])),
        new("Waived rules", r => string.Join(" ", r.Interval.Verdict?.Waived ?? [])),
        new("Grant id", r => r.Holder.GrantId.ToString()),
        new("Person id", r => r.Holder.PersonId.ToString()),
    ];

    /// <summary>The file's name: <c>access-&lt;system&gt;-&lt;day or instant&gt;.csv</c>.</summary>
    public static string FileName(string systemName, AccessWindow window) =>
        $"access-{new string(systemName.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray())}-" +
        (window.At is { } at ? at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) : Day(window.Day)) + ".csv";

    /// <summary>Writes the file to <paramref name="output"/> as it is rebuilt; null when the system does not exist (nothing written).</summary>
    public async Task<AccessExportResult?> WriteCsvAsync(Actor actor, Guid systemId, AccessWindow window, Stream output, CancellationToken ct)
    {
        if (await query.StreamAsync(actor, systemId, window, ct) is not { } answer)
        {
            return null;
        }
        var fileName = FileName(answer.SystemName, window);
        long rows = 0;
        await using var hashing = new HashingStream(output);
        await using (var writer = TableFile.CsvWriter(hashing))
        {
            TableFile.WriteCsvHeader(writer, Columns);
            await foreach (var holder in answer.Holders.WithCancellation(ct))
            {
                foreach (var interval in holder.Intervals ?? [])
                {
                    TableFile.WriteCsvRow(writer, Columns, new Row(answer, holder, interval));
                    rows++;
                }
                if (rows % 1_000 == 0)
                {
                    await writer.FlushAsync(ct);
                }
            }
            await writer.FlushAsync(ct);
        }
        await hashing.FlushAsync(ct);
        var sha256 = hashing.Sha256();
        // The file has left in full: its record must not be lost to a client that disconnects now.
        var recorded = await notes.AppendAsync(actor, "export", AuditEventTypes.Export, "export", Guid.CreateVersion7().ToString(),
            AuditRecorder.RequestJson(new Dictionary<string, object?>
            {
                ["kind"] = "access",
                ["format"] = "csv",
                ["filters"] = new Dictionary<string, string>
                {
                    ["system"] = answer.SystemName,
                    ["systemId"] = systemId.ToString(),
                    [window.At is null ? "day" : "at"] = Span(answer),
                },
                ["rows"] = rows,
                ["bytes"] = hashing.Written,
                ["sha256"] = sha256,
                ["fileName"] = fileName,
            }), ct: CancellationToken.None);
        return new AccessExportResult(fileName, rows, hashing.Written, sha256, recorded.Sequence);
    }

    private static string Span(SystemAccessStream answer) => answer.At is { } at ? Instant(at) + " (instant)" : Day(answer.AsOf) + " (UTC day)";

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Fact(AccessHolder holder, string name) =>
        holder.FactsThatDay.TryGetValue(name, out var value) && value is { ValueKind: not JsonValueKind.Null } v ? PersonTimelineQuery.FactText(v) : "";
}
