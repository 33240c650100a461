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
        using var writer = CsvWriter(output);
        WriteCsvHeader(writer, columns);
        foreach (var row in rows)
        {
            WriteCsvRow(writer, columns, row);
        }
    }

    /// <summary>A writer of CSV text: UTF-8 with a byte order mark (so spreadsheets read it as UTF-8); leaves the stream open.</summary>
    public static StreamWriter CsvWriter(Stream output, bool byteOrderMark = true) =>
        new(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: byteOrderMark), 1 << 16, leaveOpen: true);

    /// <summary>The header line of a CSV table.</summary>
    public static void WriteCsvHeader<T>(TextWriter writer, IReadOnlyList<ExportColumn<T>> columns)
    {
        writer.Write(string.Join(',', columns.Select(c => CsvCell(c.Header))));
        writer.Write("\r\n");
    }

    /// <summary>One row of a CSV table, every cell quoted and neutralised.</summary>
    public static void WriteCsvRow<T>(TextWriter writer, IReadOnlyList<ExportColumn<T>> columns, T row)
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

    public static void WriteXlsx<T>(Stream output, string sheetName, IReadOnlyList<ExportColumn<T>> columns, IEnumerable<T> rows)
    {
        using var sheet = new XlsxSheetWriter(output, sheetName, columns.Select(c => c.Header));
        foreach (var row in rows)
        {
            sheet.WriteRow(columns.Select(c => c.Value(row)));
        }
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
        System.Text.Json.JsonElement json => json.GetRawText(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>Quotes a CSV cell and neutralises spreadsheet formulas (see <see cref="Neutralise"/>).</summary>
    public static string CsvCell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        return "\"" + Neutralise(value).Replace("\"", "\"\"") + "\"";
    }

    /// <summary>
    /// The one rule against formula injection, for CSV and XLSX alike: text starting with <c>= + - @</c>, a tab or a
    /// carriage return gets a leading quote mark, so no spreadsheet evaluates it.
    /// </summary>
    public static string Neutralise(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    /// <summary>
    /// Writes one sheet of an XLSX workbook row by row with the OpenXML SAX writer (no DOM): header row frozen, numbers as
    /// numbers, everything else inline strings (never formulas), neutralised. The output must be seekable (a file);
    /// disposing finishes the workbook.
    /// </summary>
    public sealed class XlsxSheetWriter : IDisposable
    {
        private readonly SpreadsheetDocument document;
        private readonly WorkbookPart workbookPart;
        private readonly WorksheetPart sheetPart;
        private readonly OpenXmlWriter writer;
        private readonly string sheetName;
        private bool finished;

        public XlsxSheetWriter(Stream output, string sheetName, IEnumerable<string> headers)
        {
            this.sheetName = sheetName;
            document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
            workbookPart = document.AddWorkbookPart();
            sheetPart = workbookPart.AddNewPart<WorksheetPart>();
            writer = OpenXmlWriter.Create(sheetPart);
            writer.WriteStartElement(new Worksheet());
            writer.WriteStartElement(new SheetViews());
            writer.WriteStartElement(new SheetView { WorkbookViewId = 0 });
            writer.WriteElement(new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen });
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteStartElement(new SheetData());
            WriteRow(headers);
        }

        /// <summary>Appends one row of cell values.</summary>
        public void WriteRow(IEnumerable<object?> values) => TableFile.WriteRow(writer, values);

        public void Dispose()
        {
            if (finished)
            {
                return;
            }
            finished = true;
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.Dispose();
            var sheets = new Sheets(new Sheet { Id = workbookPart.GetIdOfPart(sheetPart), SheetId = 1, Name = SafeSheetName(sheetName) });
            workbookPart.Workbook = new Workbook(sheets);
            workbookPart.Workbook.Save();
            document.Dispose();
        }
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
                    writer.WriteElement(new Cell(new InlineString(new Text(FitCell(Neutralise(Clean(Text(value) ?? "")))) { Space = SpaceProcessingModeValues.Preserve }))
                    {
                        DataType = CellValues.InlineString,
                    });
                    break;
            }
        }
        writer.WriteEndElement();
    }

    /// <summary>XML 1.0 cannot carry most control characters; they are dropped from XLSX text.</summary>
    /// <summary>Excel refuses a cell longer than this (a file with one is "repaired" by dropping content).</summary>
    public const int XlsxCellLimit = 32_767;

    /// <summary>
    /// A value cut to Excel's cell limit, saying so (an import chunk's audit event records thousands of people in one
    /// <c>changes</c> value; the CSV and JSON exports carry it whole).
    /// </summary>
    public static string FitCell(string text)
    {
        const string Cut = "… [cut at Excel's 32,767-character cell limit: export as CSV for the whole value]";
        return text.Length <= XlsxCellLimit ? text : string.Concat(text.AsSpan(0, XlsxCellLimit - Cut.Length), Cut);
    }

    private static string Clean(string text) =>
        text.Any(c => c < ' ' && c is not '\t' and not '\n' and not '\r') ? new string(text.Where(c => c >= ' ' || c is '\t' or '\n' or '\r').ToArray()) : text;

    private static string SafeSheetName(string name)
    {
        var cleaned = new string(name.Where(c => c is not ('\\' or '/' or '?' or '*' or '[' or ']' or ':')).ToArray()).Trim();
        return cleaned.Length == 0 ? "Export" : cleaned[..Math.Min(31, cleaned.Length)];
    }
}
