using System.Text.Json;
using System.Text.Json.Serialization;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Features.AccessLogs;
using ComplianceHub.Core.Features.Attestations;
using ComplianceHub.Core.Features.Contributions;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Findings;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Features.Requests;

namespace ComplianceHub.Core.Exports;

/// <summary>
/// Exports what a screen shows — findings, roster, grant requests, escorts, signed attestations, audit events — as CSV,
/// XLSX, PDF or JSON, streamed: each kind runs the screen's own query with the screen's filter and sort once, reads it as
/// it streams in (no OFFSET pages), and writes each batch of rows before reading the next (<see cref="StreamedBatches"/>). The queries scope the rows to
/// the actor (a representative gets their own vendor's); the audit trail is for auditors and administrators only.
/// Every export that completes is itself an audit event (<see cref="AuditEventTypes.Export"/>) carrying the kind, the
/// format, the filters, the row count and the SHA-256 of the bytes written; an export that fails or is aborted (the
/// client went away) records nothing, since nothing complete left the server.
/// </summary>
public sealed class ExportService(FindingsWorkspaceQuery findings, RosterQuery roster, AccessRequestsQuery requests, EscortBoardQuery escorts,
    AttestationHistoryQuery attestations, AuditTrailQuery audit, ContributionsQuery contributions, AuditNotes notes, TimeProvider clock, AccessEvidenceQuery accessEvidence)
{
    private static readonly JsonSerializerOptions FilterJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Whether <paramref name="actor"/> may export <paramref name="kind"/> (the audit trail: auditors and administrators).</summary>
    public static bool MayExport(Actor actor, ExportKind kind) =>
        kind != ExportKind.Audit || actor.IsAuditor || actor.IsAdministrator;

    /// <summary>The file name an export started now gets.</summary>
    public string FileName(ExportRequest request) => request.FileName(clock.GetUtcNow());

    /// <summary>
    /// Writes the export to <paramref name="output"/> (which need not be seekable) and then records it in the audit trail.
    /// Throws <see cref="UnauthorizedAccessException"/> when the actor may not export the kind, before writing anything.
    /// </summary>
    public async Task<ExportResult> ExportAsync(Actor actor, ExportRequest request, Stream output, CancellationToken ct = default)
    {
        if (!MayExport(actor, request.Kind))
        {
            throw new UnauthorizedAccessException("The audit trail is for auditors and administrators.");
        }
        var at = clock.GetUtcNow();
        var header = new ExportHeader(ExportRequest.Name(request.Kind), Title(request.Kind), at, $"{actor.DisplayName} ({Words.SplitWords(actor.Role).ToLowerInvariant()})",
            DescribeFilter(request.Filter));
        return request.Kind switch
        {
            ExportKind.Findings => await RunAsync(actor, request, header, FindingsSource(actor, request), output, ct),
            ExportKind.Roster => await RunAsync(actor, request, header, RosterSource(actor, request), output, ct),
            ExportKind.Grants => await RunAsync(actor, request, header, GrantsSource(actor, request), output, ct),
            ExportKind.Escorts => await RunAsync(actor, request, header, EscortsSource(actor, request), output, ct),
            ExportKind.Attestations => await RunAsync(actor, request, header, AttestationsSource(actor, request), output, ct),
            ExportKind.Contributions => await RunAsync(actor, request, header, ContributionsSource(actor, request), output, ct),
            ExportKind.AccessEvents => await RunAsync(actor, request, header, AccessEventsSource(actor, request), output, ct),
            ExportKind.AccessEvidence => await RunAsync(actor, request, header, EvidenceSource(actor, request), output, ct),
            _ => await RunAsync(actor, request, header, AuditSource(actor, request), output, ct),
        };
    }

    /// <summary>The PDF report's content (summaries over every row, the first detail rows) without rendering it.</summary>
    public async Task<PdfReportModel> ReportAsync(Actor actor, ExportRequest request, CancellationToken ct = default)
    {
        if (!MayExport(actor, request.Kind))
        {
            throw new UnauthorizedAccessException("The audit trail is for auditors and administrators.");
        }
        var header = new ExportHeader(ExportRequest.Name(request.Kind), Title(request.Kind), clock.GetUtcNow(), $"{actor.DisplayName} ({Words.SplitWords(actor.Role).ToLowerInvariant()})",
            DescribeFilter(request.Filter));
        return request.Kind switch
        {
            ExportKind.Findings => await PdfReport.BuildAsync(FindingsSource(actor, request), header, ct),
            ExportKind.Roster => await PdfReport.BuildAsync(RosterSource(actor, request), header, ct),
            ExportKind.Grants => await PdfReport.BuildAsync(GrantsSource(actor, request), header, ct),
            ExportKind.Escorts => await PdfReport.BuildAsync(EscortsSource(actor, request), header, ct),
            ExportKind.Attestations => await PdfReport.BuildAsync(AttestationsSource(actor, request), header, ct),
            ExportKind.Contributions => await PdfReport.BuildAsync(ContributionsSource(actor, request), header, ct),
            ExportKind.AccessEvents => await PdfReport.BuildAsync(AccessEventsSource(actor, request), header, ct),
            ExportKind.AccessEvidence => await PdfReport.BuildAsync(EvidenceSource(actor, request), header, ct),
            _ => await PdfReport.BuildAsync(AuditSource(actor, request), header, ct),
        };
    }

    public static string Title(ExportKind kind) => kind switch
    {
        ExportKind.Findings => "Findings",
        ExportKind.Roster => "Roster",
        ExportKind.Grants => "Grant requests",
        ExportKind.Escorts => "Escorts",
        ExportKind.Attestations => "Signed attestations",
        ExportKind.Contributions => "Code contributions",
        ExportKind.AccessEvents => "Access-log events",
        ExportKind.AccessEvidence => "Where access came from",
        _ => "Audit events",
    };

    /// <summary>The filters that are set, by their JSON name (<c>vendorId</c>, <c>severity</c>…), for the file and the audit event.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> DescribeFilter(object? filter)
    {
        if (filter is null)
        {
            return [];
        }
        var element = JsonSerializer.SerializeToElement(filter, filter.GetType(), FilterJson);
        var set = new List<KeyValuePair<string, string>>();
        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value;
            var text = value.ValueKind switch
            {
                JsonValueKind.Null or JsonValueKind.Undefined or JsonValueKind.False => null,
                JsonValueKind.True => "true",
                JsonValueKind.Array => value.GetArrayLength() == 0 ? null : string.Join(", ", value.EnumerateArray().Select(v => v.ToString())),
                JsonValueKind.String => string.IsNullOrWhiteSpace(value.GetString()) ? null : value.GetString(),
                _ => value.ToString(),
            };
            if (text is not null)
            {
                set.Add(new(property.Name, text));
            }
        }
        return set;
    }

    private static TFilter FilterOf<TFilter>(ExportRequest request, TFilter none) where TFilter : class => request.Filter switch
    {
        null => none,
        TFilter filter => filter,
        _ => throw new ArgumentException($"A {request.Kind} export takes a {typeof(TFilter).Name}, not a {request.Filter.GetType().Name}.", nameof(request)),
    };

    private ExportSource<FindingRow> FindingsSource(Actor actor, ExportRequest request)
    {
        var filter = FilterOf(request, new FindingsWorkspaceFilter());
        return new(ExportKind.Findings, Title(ExportKind.Findings), ExportColumns.Findings,
            ct => findings.ExportAsync(actor, filter, request.Sort, request.Desc, ct),
            [
                new("Findings per vendor, by severity", "Vendor", f => f.VendorName, f => Words.Of(f.Severity)),
                new("Findings per rule, by status", "Rule", f => f.RuleId, f => Words.Of(f.Status)),
            ]);
    }

    private ExportSource<RosterGridRow> RosterSource(Actor actor, ExportRequest request)
    {
        var filter = FilterOf(request, new RosterFilter());
        return new(ExportKind.Roster, Title(ExportKind.Roster), ExportColumns.Roster,
            ct => roster.ExportAsync(actor, filter, request.Sort, request.Desc, ct),
            [
                new("People per vendor, by employment status", "Vendor", r => r.VendorName, r => Words.Of(r.Status)),
                new("People per citizenship group, by attestation", "Citizenship group", r => RosterLabels.Group(r.Group), r => RosterLabels.Attestation(r.Attestation)),
            ]);
    }

    private ExportSource<GrantRequestRow> GrantsSource(Actor actor, ExportRequest request)
    {
        var filter = FilterOf(request, new GrantsExportFilter());
        return new(ExportKind.Grants, Title(ExportKind.Grants), ExportColumns.Grants,
            ct => requests.ExportGrantsAsync(actor, filter.State, filter.Search, filter.VendorId, request.Sort, request.Desc, ct),
            [
                new("Grants per vendor, by status", "Vendor", g => g.VendorName, g => Words.Of(g.Status)),
                new("Grants per system, by status", "System", g => $"{g.SystemName} ({Words.Of(g.ImpactLevel)})", g => Words.Of(g.Status)),
            ]);
    }

    private ExportSource<EscortRow> EscortsSource(Actor actor, ExportRequest request)
    {
        var filter = FilterOf(request, new EscortBoardFilter());
        return new(ExportKind.Escorts, Title(ExportKind.Escorts), ExportColumns.Escorts,
            ct => escorts.ExportEscortsAsync(actor, filter, request.Sort, request.Desc, ct),
            [
                new("Escorts per vendor", "Vendor", e => e.VendorName, e => e.Valid ? "Valid" : "Not valid"),
                new("Escorts per qualification", "Qualification", e => Words.Of(e.Qualification), e => e.Valid ? "Valid" : "Not valid"),
            ]);
    }

    private ExportSource<AttestationHistoryRow> AttestationsSource(Actor actor, ExportRequest request)
    {
        var filter = FilterOf(request, new AttestationsExportFilter());
        // As the Attestations page reads it: a representative always their own vendor's.
        var vendor = actor.IsVendorRepresentative ? actor.VendorId : filter.VendorId;
        return new(ExportKind.Attestations, Title(ExportKind.Attestations), ExportColumns.Attestations,
            ct => attestations.ExportAsync(actor, vendor, request.Sort, request.Desc, ct),
            [
                new("Attestations per vendor, by month signed", "Vendor", a => a.VendorName, a => a.SubmittedAt.UtcDateTime.ToString("yyyy-MM")),
            ]);
    }

    private ExportSource<ContributionRow> ContributionsSource(Actor actor, ExportRequest request)
    {
        var filter = FilterOf(request, new ContributionFilter());
        return new(ExportKind.Contributions, Title(ExportKind.Contributions), ExportColumns.Contributions,
            ct => contributions.ExportAsync(actor, filter, request.Sort, request.Desc, ct),
            [
                new("Contributions per vendor, by verdict", "Vendor", c => c.VendorName, c => Words.Of(c.Verdict)),
                new("Contributions per repository, by highest flag", "Repository", c => c.Repository,
                    c => c.Flags.OrderByDescending(f => f.Weight).FirstOrDefault()?.Code ?? "No flag"),
            ]);
    }

    private ExportSource<AccessEventRow> AccessEventsSource(Actor actor, ExportRequest request)
    {
        var filter = FilterOf(request, new AccessEventFilter());
        return new(ExportKind.AccessEvents, Title(ExportKind.AccessEvents), ExportColumns.AccessEvents,
            ct => accessEvidence.ExportAsync(actor, filter, request.Sort, request.Desc, ct),
            [
                new("Events per country, by result", "Country", e => Words.EventCountry(e.Country, e.Unknown), e => e.Succeeded ? "Succeeded" : "Failed"),
                new("Events per person, by country", "Person", e => e.PersonName ?? $"Matched to nobody ({e.Identity})", e => Words.EventCountry(e.Country, e.Unknown)),
            ]);
    }

    /// <summary>
    /// One person's countries over the window, as the person page shows them (a row per country, a handful: read whole). Another
    /// vendor's person, or one that does not exist, gives no row, as a filter on another vendor gives none in the other kinds.
    /// </summary>
    private ExportSource<CountrySeen> EvidenceSource(Actor actor, ExportRequest request)
    {
        var filter = FilterOf<AccessEvidenceExportFilter>(request, null!) ?? throw new ArgumentException("An access evidence export names the person.", nameof(request));
        return new(ExportKind.AccessEvidence, Title(ExportKind.AccessEvidence), ExportColumns.AccessEvidence,
            ct => OneBatch(accessEvidence.PersonAsync(actor, filter.PersonId, filter.Days, clock.GetUtcNow(), ct)),
            [
                new("Countries by agreement with the attested location", "Agreement", c => Words.Of(c.Agreement), c => c.Egress ? "Known egress" : "Direct"),
            ]);

        static async IAsyncEnumerable<IReadOnlyList<CountrySeen>> OneBatch(Task<PersonEvidenceView?> view)
        {
            if (await view is { Countries.Count: > 0 } found)
            {
                yield return found.Countries;
            }
        }
    }

    private ExportSource<AuditEventView> AuditSource(Actor actor, ExportRequest request)
    {
        var filter = FilterOf(request, new AuditFilter());
        return new(ExportKind.Audit, Title(ExportKind.Audit), ExportColumns.Audit,
            ct => audit.ExportAsync(actor, filter, request.Desc, ct),
            [
                new("Events per operation, by actor role", "Operation", e => e.Operation, e => e.ActorRole),
                new("Events per subject type, by actor role", "Subject type", e => e.SubjectType, e => e.ActorRole),
            ]);
    }

    private async Task<ExportResult> RunAsync<T>(Actor actor, ExportRequest request, ExportHeader header, ExportSource<T> source, Stream output,
        CancellationToken ct)
    {
        await using var hashing = new HashingStream(output);
        var rows = request.Format switch
        {
            ExportFormat.Csv => await ExportWriters.CsvAsync(source, hashing, ct),
            ExportFormat.Xlsx => await ExportWriters.XlsxAsync(source, hashing, ct),
            ExportFormat.Json => await ExportWriters.JsonAsync(source, header, hashing, ct),
            _ => await PdfReport.WriteAsync(source, header, hashing, ct),
        };
        await hashing.FlushAsync(ct);
        Telemetry.Exported(ExportRequest.Name(request.Kind), ExportRequest.Name(request.Format), rows);
        var fileName = request.FileName(header.GeneratedAt);
        var sha256 = hashing.Sha256();
        // The file has left in full: the record of it must not be lost to a client that disconnects now.
        var recorded = await notes.AppendAsync(actor, "export", AuditEventTypes.Export, "export", Guid.CreateVersion7().ToString(),
            AuditRecorder.RequestJson(new Dictionary<string, object?>
            {
                ["kind"] = header.Kind,
                ["format"] = ExportRequest.Name(request.Format),
                ["filters"] = header.Filters.ToDictionary(f => f.Key, f => f.Value),
                ["sort"] = request.Sort is null ? null : $"{request.Sort} {(request.Desc ? "desc" : "asc")}",
                ["rows"] = rows,
                ["bytes"] = hashing.Written,
                ["sha256"] = sha256,
                ["fileName"] = fileName,
            }), ct: CancellationToken.None);
        return new ExportResult(fileName, rows, hashing.Written, sha256, recorded.Sequence);
    }
}
