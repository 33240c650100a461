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

/// <summary>One column of the roster file: its name, whether it is required, what it holds, its allowed values and an example.</summary>
public sealed record RosterColumn(string Name, bool Required, string Description, string Allowed, string Example);

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

    /// <summary>
    /// What an .xlsx roster may unpack to, all its parts together. A workbook of 100,000 people is 60–160 MB unpacked (the
    /// sheet's XML); a zip bomb — a few megabytes that inflate to gigabytes — is refused before any part is read. The zip's
    /// declared sizes are what is checked, and .NET stops inflating an entry at its declared size (a lying size is a
    /// corrupt file), so the check holds for what is actually read.
    /// </summary>
    public const long MaxXlsxUnpackedBytes = 512L * 1024 * 1024;

    /// <summary>The shared-strings part is held in memory while the sheet is read, so it has a smaller limit of its own.</summary>
    public const long MaxXlsxSharedStringsBytes = 128L * 1024 * 1024;

    /// <summary>A workbook has a dozen parts; a package of thousands is not a roster (and each would cost a lookup).</summary>
    public const int MaxXlsxParts = 1_000;

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

    /// <summary>
    /// The CSV template: the header row only. A sample person in the template would be imported as a real one by whoever
    /// forgets to delete it; examples live in <see cref="CsvExample"/> and the XLSX template's "Columns" sheet.
    /// </summary>
    public static string CsvTemplate => string.Join(',', Columns) + "\r\n";

    /// <summary>
    /// An example file, offered beside the template to show how filled-in rows look: every column's example value, on a row
    /// whose employee id and name say it is an example (EXAMPLE-1, "Example Person"), never a real-looking person.
    /// </summary>
    public static string CsvExample => string.Join(',', Columns) + "\r\n" + string.Join(',', Reference.Select(c => c.Example)) + "\r\n";

    /// <summary>What each column holds, for the template's "Columns" sheet and the page's column reference.</summary>
    public static readonly IReadOnlyList<RosterColumn> Reference =
    [
        new("employeeId", true, "The vendor's own id for the person; a known id changes that person, a new one adds a person.", "Text, up to 64 characters", "EXAMPLE-1"),
        new("fullName", true, "Full name as on the identity document (screened against the restricted-party list).", "Text, up to 200 characters", "Example Person"),
        new("email", true, "Work e-mail address.", "An e-mail address", "example.person@vendor.example"),
        new("employerType", true, "Who employs the person.", string.Join(", ", Enum.GetNames<Domain.EmployerType>()), "VendorEmployee"),
        new("citizenships", true, "Every citizenship, separated by semicolons.", "ISO 3166-1 alpha-2 codes, separated by semicolons", "US;CA"),
        new("countryOfBirth", true, "Country of birth.", "ISO 3166-1 alpha-2 code", "US"),
        new("usLawfulPermanentResident", false, "Holds a US permanent resident card (empty = false).", "true, false", "false"),
        new("workCountry", true, "Country the person works from.", "ISO 3166-1 alpha-2 code", "US"),
        new("workCity", true, "City the person works from.", "Text, up to 100 characters", "Reston"),
        new("investigationTier", false, "Background investigation tier (empty = None).", string.Join(", ", Enum.GetNames<Domain.InvestigationTier>()), "T5"),
        new("adjudicatedOn", false, "Date the investigation was adjudicated; required when a tier is given.", "Date YYYY-MM-DD", "2024-03-01"),
        new("continuousVetting", false, "Enrolled in continuous vetting (empty = false).", "true, false", "true"),
        new("clearance", false, "Security clearance (empty = None).", string.Join(", ", Enum.GetNames<Domain.Clearance>()), "Secret"),
        new("ndaSignedOn", false, "Date the non-disclosure agreement was signed.", "Date YYYY-MM-DD", "2025-01-15"),
        new("escortQualification", false, "Escort qualification (empty = None).", string.Join(", ", Enum.GetNames<Domain.EscortQualification>()), "None"),
        new("escortTrainingOn", false, "Date of the escort training; required with a qualification.", "Date YYYY-MM-DD", ""),
        new("employmentStatus", false, "Terminated offboards a person on the roster (every grant revoked); empty = Active.", string.Join(", ", Enum.GetNames<Domain.EmploymentStatus>()), "Active"),
    ];

    /// <summary>The XLSX template: the header row alone on the first sheet, and a "Columns" sheet describing each column with an example value.</summary>
    public static byte[] XlsxTemplate()
    {
        using var output = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(output, DocumentFormat.OpenXml.SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = new Stylesheet(
                new Fonts(new Font(), new Font(new Bold())),
                new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })),
                new Borders(new Border()),
                new CellFormats(new CellFormat(), new CellFormat { FontId = 1, ApplyFont = true },
                    new CellFormat { NumberFormatId = 49, ApplyNumberFormat = true })); // 49 = text, so ids and dates stay as typed
            var sheets = workbook.Workbook.AppendChild(new Sheets());
            void AddSheet(uint id, string name, double[] widths, IEnumerable<string[]> rows)
            {
                var part = workbook.AddNewPart<WorksheetPart>();
                var data = new SheetData();
                uint index = 0;
                foreach (var values in rows)
                {
                    index++;
                    var row = new Row { RowIndex = index };
                    for (var c = 0; c < values.Length; c++)
                    {
                        row.Append(new Cell
                        {
                            CellReference = ColumnName(c) + index, DataType = CellValues.InlineString, StyleIndex = index == 1 ? 1u : 2u,
                            InlineString = new InlineString(new Text(values[c]) { Space = DocumentFormat.OpenXml.SpaceProcessingModeValues.Preserve }),
                        });
                    }
                    data.Append(row);
                }
                var columns = new DocumentFormat.OpenXml.Spreadsheet.Columns(widths.Select((w, i) =>
                    new Column { Min = (uint)i + 1, Max = (uint)i + 1, Width = w, CustomWidth = true }));
                var view = new SheetViews(new SheetView(new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen })
                    { WorkbookViewId = 0 });
                part.Worksheet = new Worksheet(view, columns, data);
                sheets.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = id, Name = name });
            }
            AddSheet(1, "Roster", Reference.Select(c => (double)Math.Max(c.Name.Length, c.Example.Length) + 4).ToArray(),
                [Columns.ToArray()]);
            AddSheet(2, "Columns", [26, 10, 60, 70, 30],
                [["Column", "Required", "What it holds", "Allowed values", "Example"],
                 .. Reference.Select(c => new[] { c.Name, c.Required ? "Yes" : "No", c.Description, c.Allowed, c.Example })]);
        }
        return output.ToArray();
    }

    private static string ColumnName(int index) => index < 26 ? ((char)('A' + index)).ToString() : ColumnName(index / 26 - 1) + (char)('A' + index % 26);

    /// <summary>Reads a roster file. The content is checked for what it really is (a zip named .csv, a PDF, UTF-16 text) before it is read.</summary>
    public static async Task<ParsedRoster> ParseAsync(Stream content, string fileName, CancellationToken ct = default, IProgress<int>? rowsRead = null)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (extension is not (".csv" or ".xlsx"))
        {
            return Fail($"'{Path.GetFileName(fileName)}' is not a roster: upload a .csv or .xlsx file (see the template).");
        }
        var head = new byte[8];
        var length = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        if (content.CanSeek)
        {
            content.Position = 0;
        }
        else
        {
            content = new ConcatStream(head.AsMemory(0, length), content);
        }
        var kind = Sniff(head.AsSpan(0, length));
        return (extension, kind) switch
        {
            (_, Content.Empty) => Fail("The file is empty."),
            (_, Content.Pdf) => Fail("The file is a PDF, not a roster: upload the roster as .csv or .xlsx (see the template)."),
            (_, Content.Utf16) => Fail("The file is UTF-16 text, not UTF-8. Save it as \"CSV UTF-8\" and upload it again."),
            (".csv", Content.Zip) => Fail("The file is a spreadsheet or zip archive, not CSV text: name a workbook .xlsx, or save it as \"CSV UTF-8\"."),
            (".csv", _) => await ParseCsvAsync(content, rowsRead, ct),
            (".xlsx", Content.Zip) => ParseXlsx(content, rowsRead, ct),
            _ => Fail("The file is not a readable .xlsx workbook (an .xlsx file is a zip package; this one is not)."),
        };
    }

    private enum Content { Empty, Zip, Pdf, Utf16, Other }

    private static Content Sniff(ReadOnlySpan<byte> head) => head switch
    {
        [] => Content.Empty,
        [(byte)'P', (byte)'K', 3, 4, ..] or [(byte)'P', (byte)'K', 5, 6, ..] => Content.Zip,
        [(byte)'%', (byte)'P', (byte)'D', (byte)'F', ..] => Content.Pdf,
        [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..] => Content.Utf16,
        [_, 0, _, 0, ..] or [0, _, 0, _, ..] => Content.Utf16, // UTF-16 without a byte order mark: every other byte is zero
        _ => Content.Other,
    };

    private static ParsedRoster Fail(string message) => new([], [new ImportError(0, "file", message)]);

    private static string TooMany => $"The file has more than {MaxRows:N0} rows; split it into files of at most {MaxRows:N0} rows.";

    /// <summary>Streams the CSV: a strict UTF-8 decoder (an invalid byte anywhere refuses the file), rows read one by one.</summary>
    private static async Task<ParsedRoster> ParseCsvAsync(Stream content, IProgress<int>? rowsRead, CancellationToken ct)
    {
        try
        {
            using var text = new StreamReader(content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true),
                detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16, leaveOpen: true);
            await using var csv = await CsvDataReader.CreateAsync(text, new CsvDataReaderOptions { HasHeaders = true, BufferSize = 1 << 16 }, ct);
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
                var cells = new Dictionary<string, string>(StringComparer.Ordinal);
                for (var i = 0; i < csv.RowFieldCount && i < map.Count; i++)
                {
                    if (map[i] is { } column)
                    {
                        cells[column] = Clean(csv.GetString(i));
                    }
                }
                if (cells.Values.All(v => v.Length == 0))
                {
                    continue; // blank line
                }
                if (rows.Count >= MaxRows)
                {
                    return Fail(TooMany);
                }
                rows.Add(new RosterRow(row, cells));
                if (rows.Count % 1000 == 0)
                {
                    rowsRead?.Report(rows.Count);
                }
            }
            return rows.Count == 0 ? Fail("The file has a header but no people.") : new ParsedRoster(rows, []);
        }
        catch (DecoderFallbackException)
        {
            return Fail("The file is not UTF-8 text (it looks like Latin-1 or another legacy encoding). Save it as \"CSV UTF-8\" and upload it again.");
        }
    }

    /// <summary>Reads the first sheet with the OpenXML SAX reader: rows stream, no DOM of the sheet is built.</summary>
    private static ParsedRoster ParseXlsx(Stream content, IProgress<int>? rowsRead, CancellationToken ct)
    {
        try
        {
            var seekable = content;
            if (!content.CanSeek)
            {
                seekable = new MemoryStream();
                content.CopyTo(seekable);
                seekable.Position = 0;
            }
            if (XlsxTooLarge(seekable) is { } tooLarge)
            {
                return Fail(tooLarge);
            }
            seekable.Position = 0;
            using var document = SpreadsheetDocument.Open(seekable, false);
            return ReadXlsx(document, rowsRead, ct);
        }
        // A part that inflates past its declared size, a broken deflate stream, XML that is not well formed: a corrupt file.
        catch (Exception ex) when (ex is DocumentFormat.OpenXml.Packaging.OpenXmlPackageException or InvalidDataException or FileFormatException
                                       or IOException or System.Xml.XmlException)
        {
            return Fail("The file is not a readable .xlsx workbook.");
        }
    }

    /// <summary>What makes a workbook too large to read (from the zip's directory, before anything is inflated), or null.</summary>
    private static string? XlsxTooLarge(Stream package)
    {
        using var zip = new System.IO.Compression.ZipArchive(package, System.IO.Compression.ZipArchiveMode.Read, leaveOpen: true);
        if (zip.Entries.Count > MaxXlsxParts)
        {
            return $"The workbook has {zip.Entries.Count:N0} parts; a roster workbook has a dozen. Save it again from a spreadsheet program, or upload the roster as CSV.";
        }
        var unpacked = zip.Entries.Sum(e => e.Length);
        if (unpacked > MaxXlsxUnpackedBytes)
        {
            return $"The workbook unpacks to {Megabytes(unpacked):N0} MB, more than the {Megabytes(MaxXlsxUnpackedBytes):N0} MB a roster of {MaxRows:N0} people can need. " +
                   "Remove other sheets and formatting, or upload the roster as CSV.";
        }
        var shared = zip.Entries.Where(e => e.FullName.EndsWith("sharedStrings.xml", StringComparison.OrdinalIgnoreCase)).Sum(e => e.Length);
        if (shared > MaxXlsxSharedStringsBytes)
        {
            return $"The workbook's shared text unpacks to {Megabytes(shared):N0} MB, more than the {Megabytes(MaxXlsxSharedStringsBytes):N0} MB a roster of {MaxRows:N0} people can need. " +
                   "Upload the roster as CSV.";
        }
        return null;
    }

    /// <summary>Whole megabytes, rounded up (a byte over the limit does not read as the limit).</summary>
    private static long Megabytes(long bytes) => (bytes + 1024 * 1024 - 1) / (1024 * 1024);

    private static ParsedRoster ReadXlsx(SpreadsheetDocument document, IProgress<int>? rowsRead, CancellationToken ct)
    {
        var workbook = document.WorkbookPart;
        var sheet = workbook?.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault();
        if (workbook is null || sheet?.Id?.Value is not { } sheetId || workbook.GetPartById(sheetId) is not WorksheetPart sheetPart)
        {
            return Fail("The workbook has no sheet.");
        }
        if (SharedStrings(workbook) is not { } shared)
        {
            return Fail($"The workbook holds more than {MaxSharedStrings:N0} distinct texts, more than a roster of {MaxRows:N0} people can use. " +
                        "Upload the roster as CSV.");
        }
        List<string?>? map = null;
        var rows = new List<RosterRow>();
        using var reader = DocumentFormat.OpenXml.OpenXmlReader.Create(sheetPart);
        while (reader.Read())
        {
            if (reader.ElementType != typeof(Row) || !reader.IsStartElement)
            {
                continue;
            }
            ct.ThrowIfCancellationRequested();
            var sheetRow = (Row)reader.LoadCurrentElement()!;
            var values = Cells(sheetRow, shared);
            if (map is null)
            {
                var width = values.Count == 0 ? 0 : values.Keys.Max() + 1;
                var (header, errors) = Header(Enumerable.Range(0, width).Select(i => values.GetValueOrDefault(i, "")).ToList());
                if (errors.Count > 0)
                {
                    return new ParsedRoster([], errors);
                }
                map = header;
                continue;
            }
            var cells = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (index, value) in values)
            {
                if (index < map.Count && map[index] is { } column)
                {
                    cells[column] = Clean(value);
                }
            }
            if (cells.Values.All(v => v.Length == 0))
            {
                continue;
            }
            if (rows.Count >= MaxRows)
            {
                return Fail(TooMany);
            }
            rows.Add(new RosterRow((int)(sheetRow.RowIndex?.Value ?? (uint)(rows.Count + 2)), cells));
            if (rows.Count % 1000 == 0)
            {
                rowsRead?.Report(rows.Count);
            }
        }
        return map is null ? Fail("The first sheet is empty.")
            : rows.Count == 0 ? Fail("The sheet has a header but no people.")
            : new ParsedRoster(rows, []);
    }

    /// <summary>The most shared strings a roster can use: one per cell of the largest file, and its header.</summary>
    private static readonly int MaxSharedStrings = (MaxRows + 1) * Columns.Count;

    /// <summary>The workbook's shared strings, or null when there are more than a roster can use.</summary>
    private static List<string>? SharedStrings(WorkbookPart workbook)
    {
        var list = new List<string>();
        if (workbook.SharedStringTablePart is not { } part)
        {
            return list;
        }
        using var reader = DocumentFormat.OpenXml.OpenXmlReader.Create(part);
        while (reader.Read())
        {
            if (reader.ElementType == typeof(SharedStringItem) && reader.IsStartElement)
            {
                if (list.Count == MaxSharedStrings)
                {
                    return null;
                }
                list.Add(reader.LoadCurrentElement()!.InnerText);
            }
        }
        return list;
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

    /// <summary>A stream that first returns bytes already read, then the rest of another stream.</summary>
    private sealed class ConcatStream(ReadOnlyMemory<byte> head, Stream rest) : Stream
    {
        private ReadOnlyMemory<byte> head = head;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer)
        {
            if (head.IsEmpty)
            {
                return rest.Read(buffer);
            }
            var n = Math.Min(buffer.Length, head.Length);
            head.Span[..n].CopyTo(buffer);
            head = head[n..];
            return n;
        }
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (head.IsEmpty)
            {
                return await rest.ReadAsync(buffer, cancellationToken);
            }
            var n = Math.Min(buffer.Length, head.Length);
            head[..n].CopyTo(buffer);
            head = head[n..];
            return n;
        }
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Trims a cell, except a leading tab or carriage return, which is kept so the cell is refused as formula-looking.</summary>
    private static string Clean(string raw) => raw.Length > 0 && raw[0] is '\t' or '\r' ? raw.TrimEnd() : raw.Trim();

    internal static bool LooksLikeFormula(string value) => value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    internal static string Describe(int count) => count.ToString("N0", CultureInfo.InvariantCulture);
}
