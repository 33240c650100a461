using System.IO.Compression;
using System.Text;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Features.Personnel;
using ComplianceHub.Core.Rules;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Features.Personnel;

/// <summary>The import wizard's command: a row-by-row report, all or nothing, file-level refusals, the XLSX template, progress, isolation.</summary>
public sealed class RosterImportTests() : CommandPortalTest("rosterimport")
{
    private static readonly string Header = string.Join(',', RosterFile.Columns) + "\n";
    private string moverId = "";
    private string leaverId = "";
    private string stayerId = "";
    private Guid moverGrant;
    private Guid leaverGrant;

    protected override async Task ArrangePeopleAsync()
    {
        var mover = await AddPersonAsync("US");
        var leaver = await AddPersonAsync("US");
        var stayer = await AddPersonAsync("US");
        moverGrant = (await SendAsync(Co1, new RequestGrant(mover, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(30), "Support"))).Value!.Id;
        leaverGrant = (await SendAsync(Co1, new RequestGrant(leaver, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(30), "Support"))).Value!.Id;
        await using var db = await ContextAsync();
        var ids = await db.People.Where(p => p.Id == mover || p.Id == leaver || p.Id == stayer).ToDictionaryAsync(p => p.Id, p => p.EmployeeId);
        (moverId, leaverId, stayerId) = (ids[mover], ids[leaver], ids[stayer]);
    }

    /// <summary>A row as AddPersonAsync stores a person (so the stayer's row is unchanged), with the given overrides.</summary>
    private string Existing(string id, string work = "US", string city = "Reston", string status = "Active") =>
        $"{id},Test Person,test@acme.example,VendorEmployee,US,US,false,{work},{city},T5,{Today.AddYears(-1):yyyy-MM-dd},true,Secret,{Today.AddMonths(-6):yyyy-MM-dd},None,{Today.AddMonths(-2):yyyy-MM-dd},{status}\n";

    private static ImportRoster Csv(string text, bool dryRun = false, string name = "roster.csv") =>
        new(DemoSeeder.AcmeId, name, Encoding.UTF8.GetBytes(text), dryRun);

    private async Task<(int People, int Events, int Facts)> CountsAsync()
    {
        await using var db = await ContextAsync();
        return (await db.People.CountAsync(), await db.AuditEvents.CountAsync(), await db.PersonFactChanges.CountAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EveryKindOfBadRow_IsReportedRowByRow_AndNothingIsWritten(bool dryRun)
    {
        var before = await CountsAsync();
        var file = Header +
            "B-1,Good Row,good@acme.example,VendorEmployee,US,US,false,US,Reston,None,,false,None,,None,,Active\n" +            // 2
            "B-2,Bad Enum,b2@acme.example,Contractor,US,US,false,US,Reston,None,,false,None,,None,,Active\n" +                  // 3
            "B-3,Bad Date,b3@acme.example,VendorEmployee,US,US,false,US,Reston,T3,03/01/2024,false,None,,None,,Active\n" +      // 4
            "B-4,Bad Country,b4@acme.example,VendorEmployee,US;XX,US,false,ZZ,Reston,None,,false,None,,None,,Active\n" +       // 5
            "B-5,No Citizenship,b5@acme.example,VendorEmployee,,US,false,US,Reston,None,,false,None,,None,,Active\n" +         // 6
            "B-6,=HYPERLINK(\"http://evil\"),b6@acme.example,VendorEmployee,US,US,false,US,Reston,None,,false,None,,None,,Active\n" + // 7
            "B-1,Duplicate Id,dup@acme.example,VendorEmployee,US,US,false,US,Reston,None,,false,None,,None,,Active\n" +         // 8
            "B-8,Bad Bool,b8@acme.example,VendorEmployee,US,US,yes,US,Reston,None,,false,None,,None,,Active\n" +               // 9
            "B-9,Unknown Leaver,b9@acme.example,VendorEmployee,US,US,false,US,Reston,None,,false,None,,None,,Terminated\n" +   // 10
            "B-10,\tTabbed,b10@acme.example,VendorEmployee,US,US,false,US,Reston,None,,false,None,,None,,Active\n" +           // 11
            "B-11,Plus Sign,+1 555 0100,VendorEmployee,US,US,false,US,Reston,None,,false,None,,None,,Active\n" +               // 12
            "B-12,,b12@acme.example,VendorEmployee,US,US,false,US,Reston,None,,false,None,,None,,Active\n";                    // 13

        var outcome = await SendAsync(AcmeRep, Csv(file, dryRun));

        Assert.True(outcome.IsOk, outcome.Message);
        var report = outcome.Value!;
        var errors = report.Errors.Select(e => (e.Row, e.Field)).ToHashSet();
        Assert.Subset(errors, new HashSet<(int, string)>
        {
            (3, "employerType"), (4, "adjudicatedOn"), (5, "citizenships"), (5, "workCountry"), (6, "citizenships"), (7, "fullName"),
            (8, "employeeId"), (9, "usLawfulPermanentResident"), (10, "employmentStatus"), (11, "fullName"), (12, "email"), (13, "fullName"),
        });
        Assert.DoesNotContain(report.Errors, e => e.Row == 2);
        Assert.Equal((12, 1, 11, false), (report.Rows, report.Accepted, report.Rejected, report.Applied));
        Assert.Equal(Enumerable.Range(2, 12), report.RowReports.Select(r => r.Row));
        Assert.Equal(ImportAction.Add, report.RowReports[0].Action);
        Assert.All(report.RowReports.Skip(1), r => Assert.Equal(ImportAction.Error, r.Action));
        Assert.Contains("row 2", report.RowReports.Single(r => r.Row == 8).Errors.Single().Message, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());

        using var csv = new MemoryStream();
        RosterImportFiles.WriteErrors(csv, report);
        var lines = Encoding.UTF8.GetString(csv.ToArray()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("\"row\",\"employeeId\",\"field\",\"message\"", lines[0]);
        Assert.Equal(report.Errors.Count + 1, lines.Length);
        Assert.Contains("B-2\",\"employerType\"", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheReport_SaysWhatEveryRowDoes_WithChangedFieldsRuleOutcomesAndConsequences()
    {
        var file = Header +
            "N-1,Nadia Novak,nadia@acme.example,VendorEmployee,US;PL,PL,false,US,Reston,T3,2025-02-01,true,None,2025-03-01,None,,Active\n" +
            Existing(moverId, "CN", "Shenzhen") + Existing(leaverId, status: "Terminated") + Existing(stayerId);

        var dry = (await SendAsync(AcmeRep, Csv(file, dryRun: true))).Value!;
        var applied = (await SendAsync(AcmeRep, Csv(file))).Value!;

        foreach (var report in new[] { dry, applied })
        {
            Assert.Equal((1, 1, 1, 1), (report.Added, report.Updated, report.Terminated, report.Unchanged));
            var rows = report.RowReports.ToDictionary(r => r.EmployeeId);
            Assert.Equal(ImportAction.Add, rows["N-1"].Action);
            Assert.Equal(ImportAction.Change, rows[moverId].Action);
            Assert.Equal(["workCountry", "workCity"], rows[moverId].ChangedFields);
            Assert.Contains(rows[moverId].Outcomes, o => o.RuleId == "LOC-COVERED");
            Assert.Contains(rows[moverId].Consequences, c => c.StartsWith("Suspends the non-privileged grant on", StringComparison.Ordinal));
            Assert.Contains(rows[moverId].Consequences, c => c == "Opens a LOC-COVERED finding");
            Assert.Equal(ImportAction.Terminate, rows[leaverId].Action);
            Assert.Contains(rows[leaverId].Consequences, c => c.StartsWith("Revokes", StringComparison.Ordinal));
            Assert.Equal(ImportAction.Unchanged, rows[stayerId].Action);
            Assert.Empty(rows[stayerId].Consequences);
            Assert.Equal([moverGrant], report.Consequences.SuspendedGrants);
            Assert.Equal([leaverGrant], report.Consequences.RevokedGrants);
        }
        Assert.True(applied.Applied);
        using var csv = new MemoryStream();
        RosterImportFiles.WriteRows(csv, applied);
        Assert.Contains("LOC-COVERED", Encoding.UTF8.GetString(csv.ToArray()), StringComparison.Ordinal);
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task ADryRunWithErrors_StillSaysWhatTheValidRowsWouldDo_AndTheFileIsNotApplied()
    {
        var before = await CountsAsync();
        var file = Header +
            "B-2,Bad Enum,b2@acme.example,Contractor,US,US,false,US,Reston,None,,false,None,,None,,Active\n" +       // 2: an error
            Existing(moverId, "CN", "Shenzhen") +                                                                      // 3: a move the rules suspend
            "N-2,Nora North,nora@acme.example,VendorEmployee,US,US,false,US,Reston,None,,false,None,,None,,Active\n"; // 4: a new person

        var dry = (await SendAsync(AcmeRep, Csv(file, dryRun: true))).Value!;

        Assert.Equal((3, 2, 1, false), (dry.Rows, dry.Accepted, dry.Rejected, dry.Applied));
        Assert.Contains(dry.Errors, e => e is { Row: 2, Field: "employerType" });
        Assert.Equal((1, 1, 0), (dry.Added, dry.Updated, dry.Terminated));
        var rows = dry.RowReports.ToDictionary(r => r.EmployeeId);
        Assert.Equal(ImportAction.Error, rows["B-2"].Action);
        Assert.Equal(ImportAction.Add, rows["N-2"].Action);
        Assert.Equal(ImportAction.Change, rows[moverId].Action);
        Assert.Contains(rows[moverId].Outcomes, o => o.RuleId == "LOC-COVERED");
        Assert.Contains(rows[moverId].Consequences, c => c.StartsWith("Suspends the non-privileged grant on", StringComparison.Ordinal));
        Assert.Equal([moverGrant], dry.Consequences.SuspendedGrants);
        Assert.Equal(before, await CountsAsync());

        // Applying the same file is still all or nothing: refused with its errors, nothing written.
        var applied = (await SendAsync(AcmeRep, Csv(file))).Value!;
        Assert.False(applied.Applied);
        Assert.Equal((0, 0), (applied.Added, applied.Updated));
        Assert.Contains(applied.Errors, e => e is { Row: 2, Field: "employerType" });
        Assert.Equal(before, await CountsAsync());
        await using var db = await ContextAsync();
        Assert.Equal(GrantStatus.Active, (await db.Grants.AsNoTracking().SingleAsync(g => g.Id == moverGrant)).Status);
    }

    [Fact]
    public void TheCsvTemplate_IsTheHeaderRowAlone_AndTheExampleSaysItIsAnExample()
    {
        Assert.Equal(string.Join(',', RosterFile.Columns) + "\r\n", RosterFile.CsvTemplate);
        var example = RosterFile.CsvExample.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, example.Length);
        Assert.StartsWith("EXAMPLE-1,Example Person,", example[1], StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[], string> BadFiles()
    {
        var row = "L-1,José Pérez,jose@acme.example,VendorEmployee,ES,ES,false,US,Reston,None,,false,None,,None,,Active\n";
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(archive.CreateEntry("roster.csv").Open());
            writer.Write(Header + row);
        }
        var many = new StringBuilder(Header);
        for (var i = 0; i <= RosterFile.MaxRows; i++)
        {
            many.Append("M-").Append(i).Append(",A,a@b.example,VendorEmployee,US,US,false,US,Reston,,,,,,,,\n");
        }
        return new()
        {
            { "roster.pdf", Encoding.ASCII.GetBytes("%PDF-1.7\n"), "is not a roster" },
            { "roster.csv", Encoding.ASCII.GetBytes("%PDF-1.7\n" + Header), "is a PDF" },
            { "roster.csv", zip.ToArray(), "zip archive, not CSV" },
            { "roster.xlsx", Encoding.UTF8.GetBytes(Header + row), "not a readable .xlsx" },
            { "roster.csv", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Header + row)).ToArray(), "UTF-16" },
            { "roster.csv", Encoding.BigEndianUnicode.GetBytes(Header + row), "UTF-16" },
            { "roster.csv", Encoding.Latin1.GetBytes(Header + row), "not UTF-8" },
            { "roster.csv", Encoding.UTF8.GetBytes(Header.Replace(",workCity", "") + row), "'workCity' is missing" },
            { "roster.csv", Encoding.UTF8.GetBytes(Header.TrimEnd() + ",shoeSize\n" + row), "'shoeSize' is not a roster column" },
            { "roster.csv", Encoding.UTF8.GetBytes(Header.TrimEnd() + ",Email\n" + row), "'email' appears twice" },
            { "roster.csv", Encoding.UTF8.GetBytes(Header), "no people" },
            { "roster.csv", Encoding.UTF8.GetBytes(many.ToString()), "more than 100,000 rows" },
        };
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task AFileThatIsNotARoster_IsRefusedWithAClearMessage_AndNothingIsWritten(string name, byte[] content, string message)
    {
        var before = await CountsAsync();
        var outcome = await SendAsync(AcmeRep, new ImportRoster(DemoSeeder.AcmeId, name, content, DryRun: false));

        Assert.True(outcome.IsOk, outcome.Message);
        Assert.Contains(outcome.Value!.Errors, e => e.Row <= 1 && e.Message.Contains(message, StringComparison.Ordinal));
        Assert.False(outcome.Value.Applied);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task TheXlsxTemplate_DescribesItsColumns_AndImportsOnceFilledIn()
    {
        var template = RosterFile.XlsxTemplate();
        using var stream = new MemoryStream();
        stream.Write(template);
        using (var document = SpreadsheetDocument.Open(stream, isEditable: true))
        {
            var workbook = document.WorkbookPart!;
            var sheets = workbook.Workbook.Sheets!.Elements<Sheet>().ToList();
            Assert.Equal(["Roster", "Columns"], sheets.Select(s => s.Name!.Value));
            var columns = ((WorksheetPart)workbook.GetPartById(sheets[1].Id!)).Worksheet.Descendants<Row>().ToList();
            Assert.Equal(RosterFile.Columns.Count + 1, columns.Count);
            Assert.Contains(columns, r => r.InnerText.StartsWith("employerTypeYes", StringComparison.Ordinal));

            var data = ((WorksheetPart)workbook.GetPartById(sheets[0].Id!)).Worksheet.GetFirstChild<SheetData>()!;
            Assert.Single(data.Elements<Row>()); // the header row alone: no sample person to import by mistake
            Assert.Contains(columns, r => r.InnerText.EndsWith("VendorEmployee", StringComparison.Ordinal)); // the examples are on the Columns sheet
            data.Append(Row(2, "X-1", "Xavier Xu", "xavier@acme.example", "VendorEmployee", "US", "US", "false", "US", "Reston", "T3", "2025-02-01"));
            data.Append(Row(3, "X-2", "Yara Young", "yara@acme.example", "StaffingAgency", "CA", "CA", "", "CA", "Ottawa"));
        }

        var outcome = await SendAsync(AcmeRep, new ImportRoster(DemoSeeder.AcmeId, "filled.xlsx", stream.ToArray(), DryRun: false));

        Assert.True(outcome.IsOk, outcome.Message);
        Assert.Empty(outcome.Value!.Errors);
        Assert.Equal(2, outcome.Value.Added);
        await using var db = await ContextAsync();
        Assert.Equal("Ottawa", (await db.People.AsNoTracking().SingleAsync(p => p.EmployeeId == "X-2")).WorkCity);
    }

    private static Row Row(uint index, params string[] values)
    {
        var row = new Row { RowIndex = index };
        for (var c = 0; c < values.Length; c++)
        {
            row.Append(new Cell { CellReference = $"{(char)('A' + c)}{index}", DataType = CellValues.InlineString, InlineString = new InlineString(new Text(values[c])) });
        }
        return row;
    }

    [Fact]
    public async Task TheImport_ReportsItsProgressByPhase()
    {
        var seen = new List<ImportProgress>();
        using (ImportProgressScope.Begin(new SyncProgress(seen.Add)))
        {
            Assert.True((await SendAsync(AcmeRep, Csv(Header + Existing(stayerId), dryRun: true))).IsOk);
        }
        Assert.Equal([ImportPhase.Reading, ImportPhase.Matching, ImportPhase.Saving, ImportPhase.Done], seen.Select(p => p.Phase).Distinct());
        Assert.Equal(new ImportProgress(ImportPhase.Done, 1, 1), seen[^1]);
    }

    private sealed class SyncProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }

    [Fact]
    public async Task ARepresentative_ImportingIntoAnotherVendor_GetsNotFound_AndAnAuditorIsForbidden()
    {
        var before = await CountsAsync();
        var file = Header + "G-1,Gil Gray,gil@acme.example,VendorEmployee,US,US,false,US,Reston,None,,false,None,,None,,Active\n";

        Assert.Equal(OutcomeKind.NotFound, (await SendAsync(GlobexRep, Csv(file))).Kind);
        Assert.Equal(OutcomeKind.Forbidden, (await SendAsync(Auditor, Csv(file, dryRun: true))).Kind);
        Assert.Equal(before, await CountsAsync());
    }
}
