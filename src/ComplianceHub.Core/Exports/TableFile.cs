using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace ComplianceHub.Core.Exports;

/// <summary>One column of an exported table: its header and how a row gives its value.</summary>
public sealed record ExportColumn<T>(string Header, Func<T, object?> Value);

/// <summary>The file formats a grid exports to.</summary>
public enum TableFormat { Csv, Xlsx }

/// <summary>
/// Writes a table (columns and rows, exactly as a grid shows them) as CSV (UTF-8 with BOM, RFC 4180, spreadsheet
/// formulas neutralised) or XLSX (one sheet, header row frozen, numbers as numbers). Rows stream: XLSX is written with
/// the OpenXML SAX writer, so 200,000 rows do not build a DOM.
/// </summary>
public static class TableFile
{
    public static string ContentType(TableFormat format) => format switch
    {
        TableFormat.Csv => "text/csv; charset=utf-8",
        _ => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    };

    public static string Extension(TableFormat format) => format == TableFormat.Csv ? "csv" : "xlsx";

    public static void Write<T>(Stream output, TableFormat format, string sheetName, IReadOnlyList<ExportColumn<T>> columns, IEnumerable<T> rows)
    {
        if (format == TableFormat.Csv)
        {
            WriteCsv(output, columns, rows);
        }
        else
        {
            WriteXlsx(output, sheetName, columns, rows);
        }
    }

    public static void WriteCsv<T>(Stream output, IReadOnlyList<ExportColumn<T>> columns, IEnumerable<T> rows)
    {
        using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 1 << 16, leaveOpen: true);
        writer.Write(string.Join(',', columns.Select(c => CsvCell(c.Header))));
        writer.Write("\r\n");
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                if (i > 0)
                {
                    writer.Write(',');
                }
                writer.Write(CsvCell(Text(columns[i].Value(row))));
            }
            writer.Write("\r\n");
        }
    }

    public static void WriteXlsx<T>(Stream output, string sheetName, IReadOnlyList<ExportColumn<T>> columns, IEnumerable<T> rows)
    {
        using var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        var workbookPart = document.AddWorkbookPart();
        var sheetPart = workbookPart.AddNewPart<WorksheetPart>();
        using (var writer = OpenXmlWriter.Create(sheetPart))
        {
            writer.WriteStartElement(new Worksheet());
            writer.WriteStartElement(new SheetViews());
            writer.WriteStartElement(new SheetView { WorkbookViewId = 0 });
            writer.WriteElement(new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen });
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteStartElement(new SheetData());
            WriteRow(writer, columns.Select(c => (object?)c.Header));
            foreach (var row in rows)
            {
                WriteRow(writer, columns.Select(c => c.Value(row)));
            }
            writer.WriteEndElement();
            writer.WriteEndElement();
        }
        var sheets = new Sheets(new Sheet { Id = workbookPart.GetIdOfPart(sheetPart), SheetId = 1, Name = SafeSheetName(sheetName) });
        workbookPart.Workbook = new Workbook(sheets);
        workbookPart.Workbook.Save();
    }

    /// <summary>A value as the CSV and the XLSX text cells show it: dates ISO 8601, lists joined with a space.</summary>
    public static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        bool b => b ? "yes" : "no",
        IEnumerable<string> list => string.Join(' ', list),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>Quotes a CSV cell and neutralises spreadsheet formulas (a leading = + - @, tab or CR gets a quote mark).</summary>
    public static string CsvCell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return "\"" + value.Replace("\"", "\"\"") + "\"";
    }

    private static void WriteRow(OpenXmlWriter writer, IEnumerable<object?> values)
    {
        writer.WriteStartElement(new Row());
        foreach (var value in values)
        {
            switch (value)
            {
                case null:
                    writer.WriteElement(new Cell());
                    break;
                case int or long or decimal or double or float or short:
                    writer.WriteElement(new Cell
                    {
                        DataType = CellValues.Number,
                        CellValue = new CellValue(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture)),
                    });
                    break;
                default:
                    // Inline strings are never evaluated as formulas.
                    writer.WriteElement(new Cell(new InlineString(new Text(Clean(Text(value) ?? "")) { Space = SpaceProcessingModeValues.Preserve }))
                    {
                        DataType = CellValues.InlineString,
                    });
                    break;
            }
        }
        writer.WriteEndElement();
    }

    /// <summary>XML 1.0 cannot carry most control characters; they are dropped from XLSX text.</summary>
    private static string Clean(string text) =>
        text.Any(c => c < ' ' && c is not '\t' and not '\n' and not '\r') ? new string(text.Where(c => c >= ' ' || c is '\t' or '\n' or '\r').ToArray()) : text;

    private static string SafeSheetName(string name)
    {
        var cleaned = new string(name.Where(c => c is not ('\\' or '/' or '?' or '*' or '[' or ']' or ':')).ToArray()).Trim();
        return cleaned.Length == 0 ? "Export" : cleaned[..Math.Min(31, cleaned.Length)];
    }
}
