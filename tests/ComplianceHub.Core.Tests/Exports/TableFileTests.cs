using ComplianceHub.Core.Exports;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace ComplianceHub.Core.Tests.Exports;

/// <summary>An XLSX cell never exceeds Excel's limit (Excel would "repair" the file by dropping content): it is cut and says so.</summary>
public sealed class TableFileTests
{
    [Fact]
    public void AValueLongerThanExcelAllows_IsCutToTheLimit_AndSaysSo_ShortOnesAreUntouched()
    {
        var big = new string('x', 40_000);
        var columns = new List<ExportColumn<string>> { new("Value", v => v) };
        using var stream = new MemoryStream();
        TableFile.WriteXlsx(stream, "Test", columns, ["short", big]);

        stream.Position = 0;
        using var document = SpreadsheetDocument.Open(stream, false);
        var texts = document.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<Row>().Skip(1)
            .Select(r => r.Descendants<Text>().Single().Text).ToList();
        Assert.Equal("short", texts[0]);
        Assert.Equal(TableFile.XlsxCellLimit, texts[1].Length);
        Assert.StartsWith(new string('x', 30_000), texts[1], StringComparison.Ordinal);
        Assert.EndsWith("export as CSV for the whole value]", texts[1], StringComparison.Ordinal);
        Assert.Equal(new string('y', TableFile.XlsxCellLimit), TableFile.FitCell(new string('y', TableFile.XlsxCellLimit)));
    }
}
