using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Sylvan.Data.Csv;

namespace ComplianceHub.Core.Features.Personnel;

/// <summary>A problem with one cell of a roster file (row 1 is the header; row 0 is the file as a whole).</summary>
public sealed record ImportError(int Row, string Field, string Message);

/// <summary>One data row of a roster file: its row number in the file and its cells by (canonical) column name.</summary>
public sealed record RosterRow(int Row, IReadOnlyDictionary<string, string> Cells);

/// <summary>The rows of a roster file, or what is wrong with the file itself.</summary>
public sealed record ParsedRoster(IReadOnlyList<RosterRow> Rows, IReadOnlyList<ImportError> Errors);

/// <summary>
/// Reads a roster file (API.md "Roster file"): CSV in UTF-8, or XLSX with the same columns on the first sheet. Columns
/// are found by name in any order; unknown, duplicated or missing required columns are errors, and so is a file that is
/// not UTF-8, not the type its name says, empty, or longer than <see cref="MaxRows"/> rows.
/// </summary>
public static class RosterFile
{
    public const int MaxRows = 100_000;
    public const int MaxBytes = 64 * 1024 * 1024;

    public static readonly IReadOnlyList<string> Columns =
    [
        "employeeId", "fullName", "email", "employerType", "citizenships", "countryOfBirth", "usLawfulPermanentResident", "workCountry",
        "workCity", "investigationTier", "adjudicatedOn", "continuousVetting", "clearance", "ndaSignedOn", "escortQualification",
        "escortTrainingOn", "employmentStatus",
    ];

    public static readonly IReadOnlySet<string> Required = new HashSet<string>(StringComparer.Ordinal)
    {
        "employeeId", "fullName", "email", "employerType", "citizenships", "countryOfBirth", "workCountry", "workCity",
    };

    /// <summary>The header row of the template (CSV).</summary>
    public static string CsvTemplate => string.Join(',', Columns) + "\r\n" +
        "E-1001,Jane Roe,jane.roe@vendor.example,VendorEmployee,US,US,false,US,Reston,T5,2024-03-01,true,Secret,2025-01-15,None,,Active\r\n";

    public static async Task<ParsedRoster> ParseAsync(Stream content, string fileName, CancellationToken ct = default)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        return extension switch
        {
            ".csv" => await ParseCsvAsync(content, ct),
            ".xlsx" => ParseXlsx(content),
            _ => Fail("The file must be a .csv or .xlsx roster (see the template)."),
        };
    }

    private static ParsedRoster Fail(string message) => new([], [new ImportError(0, "file", message)]);

    private static async Task<ParsedRoster> ParseCsvAsync(Stream content, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, ct);
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            return Fail("The file is not UTF-8 text. Save it as \"CSV UTF-8\" and upload it again.");
        }
        text = text.TrimStart('\uFEFF');
        if (text.StartsWith("PK", StringComparison.Ordinal))
        {
            return Fail("The file is a spreadsheet, not CSV: name it .xlsx or save it as CSV.");
        }
        using var reader = new StringReader(text);
        await using var csv = await CsvDataReader.CreateAsync(reader, new CsvDataReaderOptions { HasHeaders = true });
        var header = Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetName(i)).ToList();
        var (map, errors) = Header(header);
        if (errors.Count > 0)
        {
            return new ParsedRoster([], errors);
        }
        var rows = new List<RosterRow>();
        var row = 1;
        while (await csv.ReadAsync(ct))
        {
            row++;
            if (rows.Count >= MaxRows)
            {
                return Fail($"The file has more than {MaxRows:N0} rows; split it into smaller files.");
            }
            var cells = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < csv.RowFieldCount && i < map.Count; i++)
            {
                if (map[i] is { } column)
                {
                    cells[column] = csv.GetString(i).Trim();
                }
            }
            if (cells.Values.All(v => v.Length == 0))
            {
                continue; // blank line
            }
            rows.Add(new RosterRow(row, cells));
        }
        return rows.Count == 0 ? Fail("The file has a header but no people.") : new ParsedRoster(rows, []);
    }

    private static ParsedRoster ParseXlsx(Stream content)
    {
        SpreadsheetDocument document;
        try
        {
            var buffer = new MemoryStream();
            content.CopyTo(buffer);
            buffer.Position = 0;
            document = SpreadsheetDocument.Open(buffer, false);
        }
        catch (Exception ex) when (ex is OpenXmlPackageException or InvalidDataException or FileFormatException or IOException)
        {
            return Fail("The file is not a readable .xlsx workbook.");
        }
        using (document)
        {
            var workbook = document.WorkbookPart;
            var sheet = workbook?.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault();
            if (workbook is null || sheet?.Id?.Value is not { } sheetId)
            {
                return Fail("The workbook has no sheet.");
            }
            var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToList() ?? [];
            var data = ((WorksheetPart)workbook.GetPartById(sheetId)).Worksheet.GetFirstChild<SheetData>();
            var sheetRows = data?.Elements<Row>().ToList() ?? [];
            if (sheetRows.Count == 0)
            {
                return Fail("The first sheet is empty.");
            }
            var header = Cells(sheetRows[0], shared);
            var width = header.Count == 0 ? 0 : header.Keys.Max() + 1;
            var (map, errors) = Header(Enumerable.Range(0, width).Select(i => header.GetValueOrDefault(i, "")).ToList());
            if (errors.Count > 0)
            {
                return new ParsedRoster([], errors);
            }
            if (sheetRows.Count - 1 > MaxRows)
            {
                return Fail($"The file has more than {MaxRows:N0} rows; split it into smaller files.");
            }
            var rows = new List<RosterRow>();
            foreach (var sheetRow in sheetRows.Skip(1))
            {
                var values = Cells(sheetRow, shared);
                var cells = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (index, value) in values)
                {
                    if (index < map.Count && map[index] is { } column)
                    {
                        cells[column] = value.Trim();
                    }
                }
                if (cells.Values.All(v => v.Length == 0))
                {
                    continue;
                }
                rows.Add(new RosterRow((int)(sheetRow.RowIndex?.Value ?? (uint)(rows.Count + 2)), cells));
            }
            return rows.Count == 0 ? Fail("The sheet has a header but no people.") : new ParsedRoster(rows, []);
        }
    }

    /// <summary>Cell values by zero-based column index; shared strings resolved, formulas reported by their formula text.</summary>
    private static Dictionary<int, string> Cells(Row row, List<string> shared)
    {
        var values = new Dictionary<int, string>();
        foreach (var cell in row.Elements<Cell>())
        {
            var index = ColumnIndex(cell.CellReference?.Value);
            if (index < 0)
            {
                continue;
            }
            if (cell.CellFormula is { } formula)
            {
                values[index] = "=" + formula.Text; // refused later as a formula, never evaluated
                continue;
            }
            var raw = cell.CellValue?.Text ?? cell.InlineString?.InnerText ?? "";
            values[index] = cell.DataType?.Value == CellValues.SharedString && int.TryParse(raw, out var i) && i < shared.Count ? shared[i]
                : cell.DataType?.Value == CellValues.Boolean ? (raw == "1" ? "true" : "false")
                : raw;
        }
        return values;
    }

    private static int ColumnIndex(string? reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return -1;
        }
        var index = 0;
        foreach (var c in reference.TakeWhile(char.IsLetter))
        {
            index = index * 26 + (char.ToUpperInvariant(c) - 'A' + 1);
        }
        return index - 1;
    }

    /// <summary>Maps header cells to canonical column names (case-insensitive), and reports unknown, duplicated and missing columns.</summary>
    private static (List<string?> Map, List<ImportError> Errors) Header(IReadOnlyList<string> header)
    {
        var errors = new List<ImportError>();
        var map = new List<string?>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in header.Select(h => h.Trim().TrimStart('\uFEFF')))
        {
            var column = Columns.FirstOrDefault(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
            if (name.Length == 0)
            {
                map.Add(null);
                continue;
            }
            if (column is null)
            {
                errors.Add(new ImportError(1, name, $"'{name}' is not a roster column. The columns are: {string.Join(", ", Columns)}."));
            }
            else if (!seen.Add(column))
            {
                errors.Add(new ImportError(1, column, $"The column '{column}' appears twice."));
                column = null;
            }
            map.Add(column);
        }
        errors.AddRange(Required.Where(r => !seen.Contains(r)).Order(StringComparer.Ordinal)
            .Select(r => new ImportError(1, r, $"The required column '{r}' is missing.")));
        return (map, errors);
    }

    internal static bool LooksLikeFormula(string value) => value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    internal static string Describe(int count) => count.ToString("N0", CultureInfo.InvariantCulture);
}
