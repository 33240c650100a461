using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ComplianceHub.Core.Features.Personnel;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace ComplianceHub.Core.Tests.Features.Personnel;

/// <summary>
/// An .xlsx roster is a zip: a few megabytes can inflate to gigabytes (a decompression bomb). The roster reader refuses a
/// workbook whose parts unpack past what a roster of 100,000 people can need, before inflating anything, and a workbook
/// whose declared sizes lie is a corrupt file — each with a message that says what to do, never an exception.
/// </summary>
public sealed class RosterXlsxLimitsTests
{
    [Fact]
    public async Task AWorkbookThatUnpacksPastTheLimit_IsRefused_WithWhatToDo()
    {
        var bomb = Zip(("[Content_Types].xml", 1024), ("xl/worksheets/sheet1.xml", RosterFile.MaxXlsxUnpackedBytes + 1));
        Assert.True(bomb.Length < RosterFile.MaxBytes, "the bomb itself is within the upload limit");

        var parsed = await RosterFile.ParseAsync(new MemoryStream(bomb), "roster.xlsx");

        var error = Assert.Single(parsed.Errors);
        Assert.Equal(0, error.Row);
        Assert.Contains("unpacks to 513 MB, more than the 512 MB", error.Message, StringComparison.Ordinal);
        Assert.Contains("upload the roster as CSV", error.Message, StringComparison.Ordinal);
        Assert.Empty(parsed.Rows);
    }

    [Fact]
    public async Task SharedTextPastItsOwnLimit_IsRefused()
    {
        var bomb = Zip(("[Content_Types].xml", 1024), ("xl/sharedStrings.xml", RosterFile.MaxXlsxSharedStringsBytes + 1));

        var parsed = await RosterFile.ParseAsync(new MemoryStream(bomb), "roster.xlsx");

        Assert.Contains("shared text unpacks to 129 MB, more than the 128 MB", Assert.Single(parsed.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APackageOfThousandsOfParts_IsRefused()
    {
        var parts = Enumerable.Range(0, RosterFile.MaxXlsxParts + 1).Select(i => ($"xl/media/part{i}.bin", 1L)).ToArray();

        var parsed = await RosterFile.ParseAsync(new MemoryStream(Zip(parts)), "roster.xlsx");

        Assert.Contains("1,001 parts", Assert.Single(parsed.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWorkbookWhoseDeclaredSizeLies_IsACorruptFile_NotAPartialRoster()
    {
        var workbook = Filled(3);
        Assert.Equal(3, (await RosterFile.ParseAsync(new MemoryStream(workbook), "roster.xlsx")).Rows.Count); // as written, it reads

        // The sheet says it unpacks to 100 bytes (in its local header and in the central directory, which must agree).
        var sheet = SheetEntryName(workbook);
        DeclareSize(workbook, sheet, 100);
        var parsed = await RosterFile.ParseAsync(new MemoryStream(workbook), "roster.xlsx");

        Assert.Equal("The file is not a readable .xlsx workbook.", Assert.Single(parsed.Errors).Message);
        Assert.Empty(parsed.Rows);
    }

    [Fact]
    public async Task MoreSharedTextsThanARosterCanUse_AreRefused_BeforeTheSheetIsRead()
    {
        using var output = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(output, DocumentFormat.OpenXml.SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            sheetPart.Worksheet = new Worksheet(new SheetData());
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = "Roster" }));
            var shared = workbook.AddNewPart<SharedStringTablePart>();
            var max = (RosterFile.MaxRows + 1) * RosterFile.Columns.Count;
            var xml = new StringBuilder("<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">");
            for (var i = 0; i <= max; i++)
            {
                xml.Append("<si><t>a</t></si>");
            }
            xml.Append("</sst>");
            shared.FeedData(new MemoryStream(Encoding.UTF8.GetBytes(xml.ToString())));
        }

        var parsed = await RosterFile.ParseAsync(new MemoryStream(output.ToArray()), "roster.xlsx");

        Assert.Contains($"more than {(RosterFile.MaxRows + 1) * RosterFile.Columns.Count:N0} distinct texts", Assert.Single(parsed.Errors).Message,
            StringComparison.Ordinal);
    }

    /// <summary>A zip of entries that each inflate to the given number of zero bytes (deflate: a thousandth of that on disk).</summary>
    private static byte[] Zip(params (string Name, long Bytes)[] entries)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            foreach (var (name, bytes) in entries)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                for (var left = bytes; left > 0; left -= zeros.Length)
                {
                    stream.Write(zeros, 0, (int)Math.Min(left, zeros.Length));
                }
            }
        }
        return output.ToArray();
    }

    /// <summary>The template with some people filled in (every required column).</summary>
    private static byte[] Filled(int people)
    {
        using var stream = new MemoryStream();
        stream.Write(RosterFile.XlsxTemplate());
        using (var document = SpreadsheetDocument.Open(stream, true))
        {
            // The template is the header row alone: each person is the columns' example values under an id of their own.
            var sheet = document.WorkbookPart!.WorksheetParts.First(p => p.Worksheet.Descendants<Row>().Count() == 1);
            var data = sheet.Worksheet.GetFirstChild<SheetData>()!;
            for (var i = 0; i < people; i++)
            {
                var index = (uint)(i + 2);
                var row = new Row { RowIndex = index };
                var values = RosterFile.Reference.Select(c => c.Example).ToArray();
                values[0] = $"E-{2000 + i}";
                for (var c = 0; c < values.Length; c++)
                {
                    row.Append(new Cell { CellReference = $"{(char)('A' + c)}{index}", DataType = CellValues.InlineString, InlineString = new InlineString(new Text(values[c])) });
                }
                data.Append(row);
            }
        }
        return stream.ToArray();
    }

    /// <summary>The zip entry of the first sheet (the one the roster is read from).</summary>
    private static string SheetEntryName(byte[] workbook)
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(workbook), false);
        var first = document.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().First();
        return document.WorkbookPart.GetPartById(first.Id!.Value!).Uri.OriginalString.TrimStart('/');
    }

    /// <summary>Rewrites an entry's uncompressed size in its local file header and its central directory record.</summary>
    private static void DeclareSize(byte[] zip, string entry, uint size)
    {
        var name = Encoding.UTF8.GetBytes(entry);
        var patched = 0;
        for (var i = 0; i + 46 < zip.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i));
            if (signature == 0x04034b50 && zip.AsSpan(i + 30, name.Length).SequenceEqual(name)
                && BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(i + 26)) == name.Length)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 22), size);
                patched++;
            }
            else if (signature == 0x02014b50 && zip.AsSpan(i + 46, name.Length).SequenceEqual(name)
                     && BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(i + 28)) == name.Length)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 24), size);
                patched++;
            }
        }
        Assert.Equal(2, patched);
    }
}
