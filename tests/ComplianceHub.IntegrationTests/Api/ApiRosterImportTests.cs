using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ComplianceHub.Core.Data.Seeding;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Rules;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.IntegrationTests.Api;

/// <summary>Roster imports: dry run equals the real run, all or nothing, a row-by-row report, CSV and XLSX, vendor isolation.</summary>
public sealed class ApiRosterImportTests() : ApiTestBase("apiimport")
{
    private const string Header = "employeeId,fullName,email,employerType,citizenships,countryOfBirth,usLawfulPermanentResident,workCountry,workCity," +
                                  "investigationTier,adjudicatedOn,continuousVetting,clearance,ndaSignedOn,escortQualification,escortTrainingOn,employmentStatus\n";
    private string moverId = "";
    private string leaverId = "";
    private Guid moverGrant;
    private Guid leaverGrant;

    protected override async Task ArrangePeopleAsync()
    {
        var mover = await AddPersonAsync("US");
        var leaver = await AddPersonAsync("US");
        moverGrant = (await SendAsync(Co1, new RequestGrant(mover, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(30), "Support"))).Value!.Id;
        leaverGrant = (await SendAsync(Co1, new RequestGrant(leaver, Il2, AccessType.NonPrivileged, false, Today, Today.AddDays(30), "Support"))).Value!.Id;
        await using var db = await ContextAsync();
        moverId = (await db.People.SingleAsync(p => p.Id == mover)).EmployeeId;
        leaverId = (await db.People.SingleAsync(p => p.Id == leaver)).EmployeeId;
    }

    private string GoodFile() => Header +
        "N-1,Nadia Novak,nadia@acme.example,VendorEmployee,US;PL,PL,false,US,Reston,T3,2025-02-01,true,None,2025-03-01,None,,Active\n" +
        "N-2,Omar Ortiz,omar@acme.example,Subcontractor,MX,MX,true,US,Austin,T1,2024-11-11,false,None,,None,,Active\n" +
        $"{moverId},Test Person,test@acme.example,VendorEmployee,US,US,false,CN,Shenzhen,T5,{Today.AddYears(-1):yyyy-MM-dd},true,Secret,{Today.AddMonths(-6):yyyy-MM-dd},None,,Active\n" +
        $"{leaverId},Test Person,test@acme.example,VendorEmployee,US,US,false,US,Reston,T5,{Today.AddYears(-1):yyyy-MM-dd},true,Secret,{Today.AddMonths(-6):yyyy-MM-dd},None,,Terminated\n";

    private static MultipartFormDataContent Upload(byte[] content, string name, string type = "text/csv")
    {
        var part = new ByteArrayContent(content);
        part.Headers.ContentType = new MediaTypeHeaderValue(type);
        return new MultipartFormDataContent { { part, "file", name } };
    }

    private async Task<int> PeopleAsync()
    {
        await using var db = await ContextAsync();
        return await db.People.CountAsync(p => p.VendorId == DemoSeeder.AcmeId);
    }

    [Fact]
    public async Task ADryRun_ReportsExactlyWhatTheImportThenDoes_AndWritesNothing()
    {
        using var rep = await AsAsync(AcmeEmail);
        var before = await PeopleAsync();

        var dry = await rep.PostAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/roster-imports?dryRun=true", Upload(Encoding.UTF8.GetBytes(GoodFile()), "roster.csv"));
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        var preview = JsonNode.Parse(await dry.Content.ReadAsStringAsync())!;
        Assert.Equal((4, 2, 1, 1, false), (preview["rows"]!.GetValue<int>(), preview["added"]!.GetValue<int>(), preview["updated"]!.GetValue<int>(),
            preview["terminated"]!.GetValue<int>(), preview["applied"]!.GetValue<bool>()));
        Assert.Equal([moverGrant], preview["consequences"]!["suspendedGrants"]!.AsArray().Select(g => g!.GetValue<Guid>()));
        Assert.Equal([leaverGrant], preview["consequences"]!["revokedGrants"]!.AsArray().Select(g => g!.GetValue<Guid>()));
        Assert.Contains(preview["violations"]!.AsArray(), v => v!["ruleId"]!.GetValue<string>() == "LOC-COVERED" && v["row"]!.GetValue<int>() == 4);
        var rows = preview["rowReports"]!.AsArray();
        Assert.Equal([2, 3, 4, 5], rows.Select(r => r!["row"]!.GetValue<int>()));
        Assert.Contains(rows[2]!["outcomes"]!.AsArray(), o => o!["ruleId"]!.GetValue<string>() == "LOC-COVERED");
        Assert.Contains("workCountry", rows[2]!["changedFields"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(before, await PeopleAsync());
        await using (var db = await ContextAsync())
        {
            Assert.Equal(GrantStatus.Active, (await db.Grants.AsNoTracking().SingleAsync(g => g.Id == moverGrant)).Status);
        }
        Assert.True((await VerifyChainAsync()).Valid); // the rolled-back dry run left no gap or fork in the chain

        var real = await rep.PostAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/roster-imports", Upload(Encoding.UTF8.GetBytes(GoodFile()), "roster.csv"));
        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
        var applied = JsonNode.Parse(await real.Content.ReadAsStringAsync())!;
        Assert.True(applied["applied"]!.GetValue<bool>());
        Assert.Equal(preview["consequences"]!["suspendedGrants"]!.ToJsonString(), applied["consequences"]!["suspendedGrants"]!.ToJsonString());
        Assert.Equal(preview["consequences"]!["revokedGrants"]!.ToJsonString(), applied["consequences"]!["revokedGrants"]!.ToJsonString());
        Assert.Equal(before + 2, await PeopleAsync());
        await using var after = await ContextAsync();
        Assert.Equal(Core.Domain.Personnel.FactSource.Imported, (await after.PersonFactChanges.AsNoTracking()
            .Where(c => c.Attribute == "workCountry").OrderByDescending(c => c.RecordedAt).FirstAsync()).Source);
        Assert.True((await VerifyChainAsync()).Valid);
    }

    [Fact]
    public async Task AFileWithEveryKindOfBadRow_IsRefusedRowByRow_AndNothingIsWritten()
    {
        using var co = await AsAsync(Co1Email);
        var before = await PeopleAsync();
        var file = Header +
            "B-1,Good Row,good@acme.example,VendorEmployee,US,US,false,US,Reston,None,,false,None,,None,,Active\n" +
            "B-2,Bad Enum,b2@acme.example,Contractor,US,US,false,US,Reston,None,,false,None,,None,,Active\n" +
            "B-3,Bad Date,b3@acme.example,VendorEmployee,US,US,false,US,Reston,T3,03/01/2024,false,None,,None,,Active\n" +
            "B-4,Bad Country,b4@acme.example,VendorEmployee,US;XX,US,false,ZZ,Reston,None,,false,None,,None,,Active\n" +
            "B-5,No Citizenship,b5@acme.example,VendorEmployee,,US,false,US,Reston,None,,false,None,,None,,Active\n" +
            "B-6,=HYPERLINK(\"http://evil\"),b6@acme.example,VendorEmployee,US,US,false,US,Reston,None,,false,None,,None,,Active\n" +
            "B-1,Duplicate Id,dup@acme.example,VendorEmployee,US,US,false,US,Reston,None,,false,None,,None,,Active\n" +
            "B-8,Bad Bool,b8@acme.example,VendorEmployee,US,US,yes,US,Reston,None,,false,None,,None,,Active\n" +
            "B-9,Nul\0Byte,b9@acme.example,VendorEmployee,US,US,false,US,Reston,None,,false,None,,None,,Active\n";

        var response = await co.PostAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/roster-imports", Upload(Encoding.UTF8.GetBytes(file), "roster.csv"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var report = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var errors = report["errors"]!.AsArray().Select(e => (e!["row"]!.GetValue<int>(), e["field"]!.GetValue<string>())).ToHashSet();
        Assert.Contains((3, "employerType"), errors);
        Assert.Contains((4, "adjudicatedOn"), errors);
        Assert.Contains((5, "citizenships"), errors);
        Assert.Contains((5, "workCountry"), errors);
        Assert.Contains((6, "citizenships"), errors);
        Assert.Contains((7, "fullName"), errors);
        Assert.Contains((8, "employeeId"), errors);
        Assert.Contains((9, "usLawfulPermanentResident"), errors);
        Assert.Contains((10, "fullName"), errors); // a NUL character, which PostgreSQL cannot store: said per cell, not a 500
        Assert.DoesNotContain(errors, e => e.Item1 == 2);
        Assert.Equal((9, 1, 8), (report["rows"]!.GetValue<int>(), report["accepted"]!.GetValue<int>(), report["rejected"]!.GetValue<int>()));
        Assert.Equal(before, await PeopleAsync());
    }

    [Theory]
    [InlineData("employeeId,fullName,email,employerType,citizenships,countryOfBirth,workCountry\n", "workCity")]
    [InlineData("employeeId,fullName,email,employerType,citizenships,countryOfBirth,workCountry,workCity,shoeSize\n", "shoeSize")]
    public async Task UnknownOrMissingColumns_RefuseTheFile(string header, string field)
    {
        using var co = await AsAsync(Co1Email);
        var response = await co.PostAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/roster-imports?dryRun=true",
            Upload(Encoding.UTF8.GetBytes(header + "X-1,A,a@b.example,VendorEmployee,US,US,US,Reston,42\n"), "roster.csv"));
        var report = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains(report["errors"]!.AsArray(), e => e!["row"]!.GetValue<int>() == 1 && e["field"]!.GetValue<string>() == field);
    }

    [Fact]
    public async Task WrongEncodingAndWrongType_GetClearAnswers()
    {
        using var co = await AsAsync(Co1Email);
        var latin1 = Encoding.Latin1.GetBytes(Header + "L-1,José Pérez,jose@acme.example,VendorEmployee,ES,ES,false,US,Reston,None,,false,None,,None,,Active\n");
        var encoding = JsonNode.Parse(await (await co.PostAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/roster-imports?dryRun=true", Upload(latin1, "roster.csv"))).Content.ReadAsStringAsync())!;
        Assert.Contains("UTF-8", encoding["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var pdf = await co.PostAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/roster-imports", Upload([1, 2, 3], "roster.pdf", "application/pdf"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, pdf.StatusCode);
    }

    [Fact]
    public async Task AnXlsxRoster_Imports_LikeTheCsv()
    {
        using var rep = await AsAsync(AcmeEmail);
        var response = await rep.PostAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/roster-imports", Upload(Workbook(
            ["employeeId", "fullName", "email", "employerType", "citizenships", "countryOfBirth", "workCountry", "workCity"],
            ["X-1", "Xavier Xu", "xavier@acme.example", "VendorEmployee", "US", "US", "US", "Reston"],
            ["X-2", "Yara Young", "yara@acme.example", "StaffingAgency", "CA", "CA", "CA", "Ottawa"]),
            "roster.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["added"]!.GetValue<int>());
        await using var db = await ContextAsync();
        Assert.Equal("Ottawa", (await db.People.AsNoTracking().SingleAsync(p => p.EmployeeId == "X-2")).WorkCity);
    }

    [Fact]
    public async Task AnotherVendorsRoster_Is404_AndAnAuditorCannotImport()
    {
        using var globex = await AsAsync(GlobexEmail);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.PostAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/roster-imports?dryRun=true",
            Upload(Encoding.UTF8.GetBytes(GoodFile()), "roster.csv"))).StatusCode);
        using var auditor = await AsAsync(AuditorEmail);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsync($"/api/v1/vendors/{DemoSeeder.AcmeId}/roster-imports?dryRun=true",
            Upload(Encoding.UTF8.GetBytes(GoodFile()), "roster.csv"))).StatusCode);
        using var anonymous = Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await (await AsAsync(AcmeEmail)).GetAsync("/api/v1/roster-template.csv")).StatusCode);
    }

    private static byte[] Workbook(params string[][] rows)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            for (var r = 0; r < rows.Length; r++)
            {
                var row = new Row { RowIndex = (uint)(r + 1) };
                for (var c = 0; c < rows[r].Length; c++)
                {
                    row.Append(new Cell
                    {
                        CellReference = $"{(char)('A' + c)}{r + 1}", DataType = CellValues.InlineString,
                        InlineString = new InlineString(new Text(rows[r][c])),
                    });
                }
                data.Append(row);
            }
            sheetPart.Worksheet = new Worksheet(data);
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = "Roster" }));
        }
        return stream.ToArray();
    }
}
