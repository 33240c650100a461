using System.Globalization;
using System.Text;
using System.Text.Json;
using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Attestations;
using ComplianceHub.Core.Domain.Personnel;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Features.Attestations;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Findings;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Features.Requests;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Extensions.DependencyInjection;
using Sylvan.Data.Csv;

namespace ComplianceHub.IntegrationTests.Exports;

/// <summary>
/// Exports on the demo data, and what a screen shows for the same filter: each kind's query read the way its grid
/// reads it (pages of 100), mapped through the shared column list. Readers for each format parse the files back.
/// </summary>
public abstract class ExportTestBase(string prefix) : CommandPortalTest(prefix)
{
    /// <summary>A person of <paramref name="vendorId"/> named <paramref name="name"/>, added as the roster import would (through the gate).</summary>
    protected async Task<Guid> AddNamedPersonAsync(Guid vendorId, string name, string citizenship = "US")
    {
        await using var db = await ContextAsync();
        using var scope = AuditScope.Begin(Actor.ServerOperator, "test.add-person");
        var person = new Person(Guid.NewGuid(), vendorId, $"X-{Guid.NewGuid():N}"[..12], name, "export@vendor.example",
                EmployerType.VendorEmployee, [citizenship], citizenship, false, "US", "Reston")
            .WithVetting(InvestigationTier.T5, Today.AddYears(-1), true, Clearance.Secret, Today.AddMonths(-6))
            .WithAttestation(Today.AddDays(-3));
        db.People.Add(person);
        db.FactsEffectiveOn = Today.AddYears(-1);
        await db.SaveChangesAsync();
        return person.Id;
    }

    /// <summary>Runs an export as <paramref name="actor"/> into memory.</summary>
    protected async Task<(byte[] Bytes, ExportResult Result)> ExportAsync(Actor actor, ExportRequest request)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        using var output = new MemoryStream();
        var result = await scope.ServiceProvider.GetRequiredService<ExportService>().ExportAsync(actor, request, output);
        return (output.ToArray(), result);
    }

    protected async Task<PdfReportModel> ReportAsync(Actor actor, ExportRequest request)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ExportService>().ReportAsync(actor, request);
    }

    /// <summary>What the screen shows for the filter: its query page by page (as its grid pages), each row's column values.</summary>
    protected async Task<(IReadOnlyList<string> Headers, List<object?[]> Rows)> ScreenAsync(Actor actor, ExportKind kind, object filter)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        return kind switch
        {
            ExportKind.Findings => await ReadAsync(ExportColumns.Findings,
                page => services.GetRequiredService<FindingsWorkspaceQuery>().ListAsync(actor, (FindingsWorkspaceFilter)filter, page)!),
            ExportKind.Roster => await ReadAsync(ExportColumns.Roster,
                page => services.GetRequiredService<RosterQuery>().ListAsync(actor, (RosterFilter)filter, page)!),
            ExportKind.Grants => await ReadAsync(ExportColumns.Grants, page =>
            {
                var f = (GrantsExportFilter)filter;
                return services.GetRequiredService<AccessRequestsQuery>().GrantsAsync(actor, f.State, f.Search, f.VendorId, page)!;
            }),
            ExportKind.Escorts => await ReadAsync(ExportColumns.Escorts,
                page => services.GetRequiredService<EscortBoardQuery>().EscortsAsync(actor, (EscortBoardFilter)filter, page)!),
            ExportKind.Attestations => await ReadAsync(ExportColumns.Attestations,
                page => services.GetRequiredService<AttestationHistoryQuery>().ListAsync(actor, ((AttestationsExportFilter)filter).VendorId, page)),
            ExportKind.Contributions => await ReadAsync(ExportColumns.Contributions,
                page => services.GetRequiredService<Core.Features.Contributions.ContributionsQuery>().ListAsync(actor, (Core.Features.Contributions.ContributionFilter)filter, page)!),
            _ => await ReadAsync(ExportColumns.Audit,
                page => services.GetRequiredService<AuditTrailQuery>().ListAsync(actor, (AuditFilter)filter, page)!),
        };
    }

    private static async Task<(IReadOnlyList<string>, List<object?[]>)> ReadAsync<T>(IReadOnlyList<ExportColumn<T>> columns,
        Func<PageRequest, Task<PagedResult<T>?>> read)
    {
        var rows = new List<object?[]>();
        for (var number = 1; ; number++)
        {
            var page = await read(new PageRequest(number, 100));
            if (page is null || page.Items.Count == 0)
            {
                break;
            }
            rows.AddRange(page.Items.Select(item => columns.Select(c => c.Value(item)).ToArray()));
            if (rows.Count >= page.Total)
            {
                break;
            }
        }
        return (columns.Select(c => c.Header).ToList(), rows);
    }

    /// <summary>A value as a CSV or XLSX text cell must hold it.</summary>
    protected static string Cell(object? value) => TableFile.Neutralise(TableFile.Text(value) ?? "");

    protected static List<string[]> ParseCsv(byte[] bytes)
    {
        Assert.True(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), "The CSV starts with a UTF-8 byte order mark.");
        using var reader = CsvDataReader.Create(new StringReader(Encoding.UTF8.GetString(bytes.AsSpan(3))),
            new CsvDataReaderOptions { HasHeaders = false });
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray());
        }
        return rows;
    }

    /// <summary>The sheet's rows as (text, is-number) cells; asserts no cell is a formula or a shared string.</summary>
    protected static List<(string Text, bool Number)[]> ParseXlsx(byte[] bytes)
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var sheet = document.WorkbookPart!.WorksheetParts.Single().Worksheet;
        Assert.Empty(sheet.Descendants<CellFormula>());
        return sheet.Descendants<Row>().Select(row => row.Elements<Cell>().Select(cell =>
        {
            if (cell.DataType?.Value == CellValues.Number)
            {
                return (cell.CellValue!.Text, true);
            }
            Assert.True(cell.DataType is null || cell.DataType.Value == CellValues.InlineString, "Every text cell is an inline string.");
            return (cell.InlineString?.Text?.Text ?? "", false);
        }).ToArray()).ToList();
    }

    /// <summary>Whether a JSON value is the column value as the JSON export must write it.</summary>
    protected static bool JsonEquals(object? expected, JsonElement actual) => expected switch
    {
        null => actual.ValueKind == JsonValueKind.Null,
        string s => actual.ValueKind == JsonValueKind.String && actual.GetString() == s,
        bool b => actual.ValueKind == (b ? JsonValueKind.True : JsonValueKind.False),
        int or long or short => actual.ValueKind == JsonValueKind.Number && actual.GetInt64() == Convert.ToInt64(expected, CultureInfo.InvariantCulture),
        JsonElement element => JsonElement.DeepEquals(element, actual),
        IEnumerable<string> list => actual.ValueKind == JsonValueKind.Array && actual.EnumerateArray().Select(e => e.GetString()).SequenceEqual(list),
        _ => actual.ValueKind == JsonValueKind.String && actual.GetString() == TableFile.Text(expected),
    };

    /// <summary>Submits a signed attestation of <paramref name="people"/> for the representative's vendor.</summary>
    protected async Task AttestAsync(Actor rep, params Guid[] people)
    {
        var outcome = await SendAsync(rep, new SubmitAttestation(rep.VendorId!.Value,
            "I attest that the people below work where stated and hold exactly the citizenships listed.",
            people.Select(p => new AttestedPerson(p, "US", "Reston", ["US"])).ToList()));
        Assert.True(outcome.IsOk, outcome.Message);
    }

    protected static readonly Guid Acme = DemoSeeder.AcmeId;
    protected static readonly Guid Globex = DemoSeeder.GlobexId;
}
