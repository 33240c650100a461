using ComplianceHub.Core.Common;
using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Rules;
using ComplianceHub.Core.Features.Contributions;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Findings;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Features.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdfSharp.Pdf.IO;

namespace ComplianceHub.IntegrationTests.Exports;

/// <summary>
/// Each kind in each format parses back with exactly the rows its screen's query returns for the same filter (a filter
/// that leaves some rows out), in the screen's order; the PDF report counts every row in its summaries.
/// </summary>
public sealed class ExportFormatTests() : ExportTestBase("exportfmt")
{
    protected override async Task ArrangePeopleAsync()
    {
        // Signed attestations of two vendors, so a vendor filter leaves some out.
        var relocated = await AddNamedPersonAsync(Acme, "Avery Relocated");
        var dual = await AddNamedPersonAsync(Acme, "Blake Dual");
        await AttestAsync(AcmeRep, relocated, dual);
        await AttestAsync(GlobexRep, await AddNamedPersonAsync(Globex, "Casey Attested"));
        // Two grants, then two findings of different rules.
        foreach (var person in new[] { relocated, dual })
        {
            var grant = await SendAsync(Co1, new RequestGrant(person, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(90), "Support"));
            Assert.True(grant.IsOk, grant.Message);
        }
        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await SendAsync(Co1, new ChangePersonFacts(relocated, "CN", "Shenzhen"))).IsOk); // LOC-COVERED
        Assert.True((await SendAsync(Co1, new ChangePersonFacts(dual, Citizenships: ["US", "CN"]))).IsOk); // CIT-COVERED
        // Code contributions in two repositories, so a repository filter leaves one out.
        Clock.Advance(TimeSpan.FromMinutes(1));
        var at = Clock.GetUtcNow().AddDays(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        var before = Clock.GetUtcNow().AddSeconds(-30).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        var csv = "id,repository,author name,author email,date,title,url\n" +
                  $"PR-1,portal,Nobody Known,ghost@elsewhere.example,{at},Add a debug endpoint,https://git.acme.example/pr/1\n" +
                  $"PR-2,portal,Avery Relocated,export@vendor.example,{before},Rotate keys,\n" +
                  $"PR-3,infra,Nobody Known,ghost@elsewhere.example,{before},Open a port,\n";
        var imported = await SendAsync(AcmeRep, new ImportContributions(Acme, Il2, null, "changes.csv", System.Text.Encoding.UTF8.GetBytes(csv), false));
        Assert.True(imported.IsOk && imported.Value!.Errors.Count == 0, imported.Message);
    }

    /// <summary>
    /// Every kind of a screen's grid. A person's access evidence (a row per country of one person, read whole, no paged screen query)
    /// is checked in every format against <c>AccessEvidenceQuery.PersonAsync</c> by <c>AccessEvidenceReadTests</c>, on imported logs; the
    /// access-log events (rows only an access-log import writes) in every format by <c>ApiAccessLogsTests</c>, on an imported log.
    /// </summary>
    public static TheoryData<ExportKind> Kinds => new(Enum.GetValues<ExportKind>().Where(k => k is not (ExportKind.AccessEvidence or ExportKind.AccessEvents)));

    private static object FilterFor(ExportKind kind) => kind switch
    {
        ExportKind.Findings => new FindingsWorkspaceFilter { RuleId = "LOC-COVERED" },
        ExportKind.Roster => new RosterFilter { VendorId = Acme },
        ExportKind.Grants => new GrantsExportFilter(Search: "avery", VendorId: Acme),
        ExportKind.Escorts => new EscortBoardFilter(VendorId: Acme),
        ExportKind.Attestations => new AttestationsExportFilter(Acme),
        ExportKind.Contributions => new ContributionFilter(Repository: "portal"),
        _ => new AuditFilter(SubjectType: "person"),
    };

    private static object NoFilter(ExportKind kind) => kind switch
    {
        ExportKind.Findings => new FindingsWorkspaceFilter(),
        ExportKind.Roster => new RosterFilter(),
        ExportKind.Grants => new GrantsExportFilter(),
        ExportKind.Escorts => new EscortBoardFilter(),
        ExportKind.Attestations => new AttestationsExportFilter(),
        ExportKind.Contributions => new ContributionFilter(),
        _ => new AuditFilter(),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task EveryFormat_ParsesBack_WithTheScreensRows(ExportKind kind)
    {
        var filter = FilterFor(kind);
        var (headers, expected) = await ScreenAsync(Auditor, kind, filter);
        var (_, unfiltered) = await ScreenAsync(Auditor, kind, NoFilter(kind));
        Assert.NotEmpty(expected);
        Assert.True(expected.Count < unfiltered.Count, $"The {kind} filter leaves rows out ({expected.Count} of {unfiltered.Count}).");

        // CSV: header and every cell, in order.
        var (csv, csvResult) = await ExportAsync(Auditor, new ExportRequest(kind, ExportFormat.Csv, filter));
        var csvRows = ParseCsv(csv);
        Assert.Equal(headers, csvRows[0]);
        Assert.Equal(expected.Count, csvRows.Count - 1);
        for (var r = 0; r < expected.Count; r++)
        {
            Assert.Equal(expected[r].Select(Cell), csvRows[r + 1]);
        }
        Assert.Equal(expected.Count, csvResult.Rows);

        // XLSX: numbers as numbers, text as inline strings.
        var (xlsx, _) = await ExportAsync(Auditor, new ExportRequest(kind, ExportFormat.Xlsx, filter));
        var sheet = ParseXlsx(xlsx);
        Assert.Equal(headers, sheet[0].Select(c => c.Text));
        Assert.Equal(expected.Count, sheet.Count - 1);
        for (var r = 0; r < expected.Count; r++)
        {
            for (var c = 0; c < headers.Count; c++)
            {
                var value = expected[r][c];
                var cell = c < sheet[r + 1].Length ? sheet[r + 1][c] : (Text: "", Number: false);
                var number = value is int or long or short;
                Assert.True(number == cell.Number, $"Row {r + 1}, {headers[c]}: number {number}, cell {cell}");
                Assert.Equal(number ? TableFile.Text(value) : Cell(value), cell.Text);
            }
        }

        // JSON: kind, filters, columns, rows with a property per column, row count.
        var (json, _) = await ExportAsync(Auditor, new ExportRequest(kind, ExportFormat.Json, filter));
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(ExportRequest.Name(kind), root.GetProperty("kind").GetString());
        Assert.Equal(expected.Count, root.GetProperty("rowCount").GetInt64());
        var filters = root.GetProperty("filters");
        Assert.Equal(ExportService.DescribeFilter(filter).Select(f => f.Key), filters.EnumerateObject().Select(p => p.Name));
        var names = root.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToList();
        Assert.Equal(headers, root.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("header").GetString()));
        Assert.Equal(names.Count, names.Distinct().Count());
        var jsonRows = root.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(expected.Count, jsonRows.Count);
        for (var r = 0; r < expected.Count; r++)
        {
            for (var c = 0; c < names.Count; c++)
            {
                Assert.True(JsonEquals(expected[r][c], jsonRows[r].GetProperty(names[c])),
                    $"Row {r + 1}, {names[c]}: expected {TableFile.Text(expected[r][c])}, got {jsonRows[r].GetProperty(names[c]).GetRawText()}");
            }
        }

        // PDF: opens, as many pages as its report lays out, the rows in its detail and its summaries.
        var (pdf, pdfResult) = await ExportAsync(Auditor, new ExportRequest(kind, ExportFormat.Pdf, filter));
        Assert.Equal(expected.Count, pdfResult.Rows);
        var report = await ReportAsync(Auditor, new ExportRequest(kind, ExportFormat.Pdf, filter));
        using var laidOut = new MemoryStream();
        var pages = PdfReport.Render(report, laidOut);
        using (var opened = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import))
        {
            Assert.Equal(pages, opened.PageCount);
            Assert.Equal($"{expected.Count} rows", opened.Info.Subject);
        }
        Assert.Equal(expected.Count, report.TotalRows);
        Assert.False(report.Capped);
        Assert.Equal(expected.Count, report.DetailRows.Count);
        for (var r = 0; r < expected.Count; r++)
        {
            for (var c = 0; c < headers.Count; c++)
            {
                // Long text (an audit event's changes) is cut to 400 characters with an ellipsis in the PDF.
                var text = (TableFile.Text(expected[r][c]) ?? "").ReplaceLineEndings(" ");
                var cell = report.DetailRows[r][c];
                Assert.True(cell == text || (cell.Length == 400 && cell.EndsWith('…') && text.StartsWith(cell[..^1], StringComparison.Ordinal)),
                    $"Row {r + 1}, {headers[c]}: '{cell}' is not '{text}'");
            }
        }
        // The first summary counts the rows per value of one of the columns (vendor, or operation for the audit trail).
        var first = report.Summaries[0];
        var keyColumn = headers.ToList().IndexOf(first.RowHeader);
        Assert.True(keyColumn >= 0, $"{first.RowHeader} is a column.");
        var counted = expected.GroupBy(r => TableFile.Text(r[keyColumn]) ?? "").OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, (long)g.Count())).ToList();
        Assert.Equal(counted, first.Lines.Select(l => (l.Key, l.Total)));
        Assert.All(report.Summaries, s => Assert.Equal(expected.Count, s.Lines.Sum(l => l.Total)));
    }

    [Fact]
    public async Task TheFindingsReport_CountsPerVendorBySeverity_AndPerRuleByStatus()
    {
        var filter = new FindingsWorkspaceFilter { Open = true };
        await using var scope = Portal.Services.CreateAsyncScope();
        var query = scope.ServiceProvider.GetRequiredService<FindingsWorkspaceQuery>();
        var rows = (await query.ListAsync(Auditor, filter, new Core.Common.PageRequest(1, 500))).Items;
        Assert.NotEmpty(rows);

        var report = await ReportAsync(Auditor, new ExportRequest(ExportKind.Findings, ExportFormat.Pdf, filter));

        var perVendor = report.Summaries[0];
        foreach (var vendor in rows.GroupBy(r => r.VendorName))
        {
            var line = perVendor.Lines.Single(l => l.Key == vendor.Key);
            foreach (var severity in vendor.GroupBy(r => Words.Of(r.Severity)))
            {
                Assert.Equal(severity.Count(), line.Counts[perVendor.Columns.ToList().IndexOf(severity.Key)]);
            }
            Assert.Equal(vendor.Count(), line.Total);
        }
        var perRule = report.Summaries[1];
        foreach (var rule in rows.GroupBy(r => r.RuleId))
        {
            var line = perRule.Lines.Single(l => l.Key == rule.Key);
            foreach (var status in rule.GroupBy(r => Words.Of(r.Status)))
            {
                Assert.Equal(status.Count(), line.Counts[perRule.Columns.ToList().IndexOf(status.Key)]);
            }
        }
        Assert.Equal(rows.Count, perRule.Lines.Sum(l => l.Total));
    }

    [Fact]
    public async Task ThePdfDetail_IsCapped_TheSummariesStillCountEveryRow()
    {
        var (_, all) = await ScreenAsync(Auditor, ExportKind.Roster, new RosterFilter());
        await using var scope = Portal.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var roster = services.GetRequiredService<RosterQuery>();
        var source = new ExportSource<RosterGridRow>(ExportKind.Roster, "Roster", ExportColumns.Roster,
            ct => roster.ExportAsync(Auditor, new RosterFilter(), null, false, ct),
            [new("People per vendor", "Vendor", r => r.VendorName, r => r.Status.ToString())]);

        var report = await PdfReport.BuildAsync(source, new ExportHeader("roster", "Roster", DateTimeOffset.UtcNow, "test", []), default, maxDetailRows: 10);

        Assert.True(report.Capped);
        Assert.Equal(10, report.DetailRows.Count);
        Assert.Equal(all.Count, report.TotalRows);
        Assert.Equal(all.Count, report.Summaries[0].Lines.Sum(l => l.Total));
        using var pdf = new MemoryStream();
        Assert.True(PdfReport.Render(report, pdf) >= 1);
    }

    [Fact]
    public async Task AnExport_IsAnAuditEvent_WithTheHashOfTheBytesSent_AndTheChainStillVerifies()
    {
        var filter = new FindingsWorkspaceFilter { VendorId = Acme };
        var (bytes, result) = await ExportAsync(Co1, new ExportRequest(ExportKind.Findings, ExportFormat.Csv, filter));

        var recorded = await SingleEventAsync(e => e.EventType == AuditEventTypes.Export);
        Assert.Equal(result.AuditSequence, recorded.Sequence);
        Assert.Equal("export", recorded.SubjectType);
        Assert.Equal("export", recorded.Operation);
        Assert.Equal(Co1.DisplayName, recorded.ActorName);
        using var changes = JsonDocument.Parse(recorded.Changes);
        string After(string name) => changes.RootElement.GetProperty(name).GetProperty("after").ToString();
        Assert.Equal("findings", After("kind"));
        Assert.Equal("csv", After("format"));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), After("sha256"));
        Assert.Equal(bytes.Length.ToString(), After("bytes"));
        Assert.Equal(result.Rows.ToString(), After("rows"));
        Assert.Equal(ParseCsv(bytes).Count - 1, result.Rows);
        Assert.Equal(Acme.ToString(), changes.RootElement.GetProperty("filters").GetProperty("after").GetProperty("vendorId").GetString());
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task AnAbortedExport_RecordsNothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await using var scope = Portal.Services.CreateAsyncScope();
        var exports = scope.ServiceProvider.GetRequiredService<ExportService>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            exports.ExportAsync(Auditor, new ExportRequest(ExportKind.Roster, ExportFormat.Csv), Stream.Null, cancelled.Token));

        await using var db = await ContextAsync();
        Assert.False(await db.AuditEvents.AnyAsync(e => e.EventType == AuditEventTypes.Export));
    }

    [Fact]
    public async Task ARepresentative_ExportsOnlyTheirVendor_AndNotTheAuditTrail()
    {
        var (bytes, _) = await ExportAsync(GlobexRep, new ExportRequest(ExportKind.Roster, ExportFormat.Csv, new RosterFilter { VendorId = Acme }));
        Assert.Single(ParseCsv(bytes)); // the header only: another vendor's rows stay out
        var (own, _) = await ExportAsync(GlobexRep, new ExportRequest(ExportKind.Roster, ExportFormat.Csv, new RosterFilter()));
        var rows = ParseCsv(own).Skip(1).ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal("Globex Federal", r[2]));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => ExportAsync(GlobexRep, new ExportRequest(ExportKind.Audit, ExportFormat.Csv)));
        Assert.False(ExportService.MayExport(Co1, ExportKind.Audit));
        Assert.True(ExportService.MayExport(Auditor, ExportKind.Audit));
    }
}
