using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Features.Personnel;

namespace ComplianceHub.IntegrationTests.Exports;

/// <summary>
/// Names that a spreadsheet would run as formulas (= + - @, a tab or a carriage return first) leave in CSV and XLSX as
/// text with a leading quote mark; XLSX cells are inline strings, never formulas. JSON and the PDF carry the text as is.
/// </summary>
public sealed class FormulaInjectionTests() : ExportTestBase("exportinj")
{
    private static readonly string[] Dangerous =
        ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\tTabbed Name", "\rReturned Name"];

    protected override async Task ArrangePeopleAsync()
    {
        foreach (var name in Dangerous)
        {
            await AddNamedPersonAsync(Globex, name);
        }
    }

    private static readonly RosterFilter GlobexOnly = new() { VendorId = Globex };

    [Fact]
    public async Task Csv_NeutralisesEveryDangerousCell()
    {
        var (bytes, _) = await ExportAsync(Auditor, new ExportRequest(ExportKind.Roster, ExportFormat.Csv, GlobexOnly));
        var names = ParseCsv(bytes).Skip(1).Select(r => r[0]).ToList();
        foreach (var name in Dangerous)
        {
            Assert.Contains("'" + name, names);
            Assert.DoesNotContain(name, names);
        }
        Assert.All(names, n => Assert.False(n[0] is '=' or '+' or '-' or '@' or '\t' or '\r', $"'{n}' starts a formula"));
    }

    [Fact]
    public async Task Xlsx_WritesInlineStrings_NeverFormulas_Neutralised()
    {
        var (bytes, _) = await ExportAsync(Auditor, new ExportRequest(ExportKind.Roster, ExportFormat.Xlsx, GlobexOnly));
        var names = ParseXlsx(bytes).Skip(1).Select(r => r[0]).ToList(); // ParseXlsx asserts there is no formula at all
        Assert.All(names, n => Assert.False(n.Number));
        foreach (var name in Dangerous)
        {
            // XML reads a bare carriage return back as a line feed; the cell still starts with the quote mark.
            Assert.Contains("'" + name.Replace('\r', '\n'), names.Select(n => n.Text));
        }
    }

    [Fact]
    public void OneRule_ForCsvAndXlsx()
    {
        foreach (var name in Dangerous)
        {
            Assert.Equal("'" + name, TableFile.Neutralise(name));
            Assert.Equal("\"'" + name.Replace("\"", "\"\"") + "\"", TableFile.CsvCell(name));
        }
        Assert.Equal("Plain Name", TableFile.Neutralise("Plain Name"));
        Assert.Equal("", TableFile.CsvCell(null));
    }
}
