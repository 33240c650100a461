using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ComplianceHub.Core.Exports;

/// <summary>
/// The streamed formats: each page of rows is written and sent before the next is read, so memory holds one page
/// whatever the row count. CSV and JSON go straight to the output; XLSX needs a seekable stream and is built in a
/// temporary file (deleted on close) that is then copied out.
/// </summary>
internal static class ExportWriters
{
    /// <summary>CSV as <see cref="TableFile"/> writes it (UTF-8 with BOM, RFC 4180, formulas neutralised); returns the row count.</summary>
    public static async Task<long> CsvAsync<T>(ExportSource<T> source, Stream output, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await using var writer = TableFile.CsvWriter(buffer);
        TableFile.WriteCsvHeader(writer, source.Columns);
        await SendAsync(writer, buffer, output, ct);
        long rows = 0;
        await foreach (var page in source.PagesAsync(ct))
        {
            foreach (var row in page)
            {
                TableFile.WriteCsvRow(writer, source.Columns, row);
                rows++;
            }
            await SendAsync(writer, buffer, output, ct);
        }
        return rows;
    }

    /// <summary>Moves what the writer holds to the output and empties the page buffer.</summary>
    private static async Task SendAsync(StreamWriter writer, MemoryStream buffer, Stream output, CancellationToken ct)
    {
        await writer.FlushAsync(ct);
        buffer.Position = 0;
        await buffer.CopyToAsync(output, ct);
        buffer.SetLength(0);
        await output.FlushAsync(ct);
    }

    /// <summary>XLSX with the SAX writer of <see cref="TableFile.XlsxSheetWriter"/>, in a temporary file; returns the row count.</summary>
    public static async Task<long> XlsxAsync<T>(ExportSource<T> source, Stream output, CancellationToken ct)
    {
        await using var file = TemporaryFile();
        long rows = 0;
        using (var sheet = new TableFile.XlsxSheetWriter(file, source.Title, source.Columns.Select(c => c.Header)))
        {
            await foreach (var page in source.PagesAsync(ct))
            {
                foreach (var row in page)
                {
                    sheet.WriteRow(source.Values(row));
                    rows++;
                }
            }
        }
        file.Position = 0;
        await file.CopyToAsync(output, ct);
        return rows;
    }

    /// <summary>A temporary file that is deleted when closed (also when the export fails or is aborted).</summary>
    public static FileStream TemporaryFile() =>
        new(Path.Combine(Path.GetTempPath(), $"compliancehub-export-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None,
            1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);

    /// <summary>
    /// One JSON document: <c>kind, title, generatedAt, generatedBy, filters, columns, rows, rowCount</c>; each row an object
    /// with a property per column (<see cref="JsonName"/>). Flushed after every page.
    /// </summary>
    public static async Task<long> JsonAsync<T>(ExportSource<T> source, ExportHeader header, Stream output, CancellationToken ct)
    {
        var names = source.Columns.Select(c => JsonName(c.Header)).ToArray();
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false, SkipValidation = false });
        json.WriteStartObject();
        json.WriteString("kind", header.Kind);
        json.WriteString("title", header.Title);
        json.WriteString("generatedAt", header.GeneratedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        json.WriteString("generatedBy", header.GeneratedBy);
        json.WriteStartObject("filters");
        foreach (var (name, value) in header.Filters)
        {
            json.WriteString(name, value);
        }
        json.WriteEndObject();
        json.WriteStartArray("columns");
        for (var i = 0; i < names.Length; i++)
        {
            json.WriteStartObject();
            json.WriteString("name", names[i]);
            json.WriteString("header", source.Columns[i].Header);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("rows");
        long rows = 0;
        await foreach (var page in source.PagesAsync(ct))
        {
            foreach (var row in page)
            {
                json.WriteStartObject();
                for (var i = 0; i < names.Length; i++)
                {
                    json.WritePropertyName(names[i]);
                    WriteValue(json, source.Columns[i].Value(row));
                }
                json.WriteEndObject();
                rows++;
            }
            await json.FlushAsync(ct);
        }
        json.WriteEndArray();
        json.WriteNumber("rowCount", rows);
        json.WriteEndObject();
        await json.FlushAsync(ct);
        return rows;
    }

    /// <summary>A column header as a JSON property name: "Employee id" → <c>employeeId</c>, "SHA-256" → <c>sha256</c>.</summary>
    public static string JsonName(string header)
    {
        var words = header.Split((char[])[' ', '-', '(', ')', '/', '.', '_'], StringSplitOptions.RemoveEmptyEntries);
        var name = new StringBuilder();
        foreach (var word in words)
        {
            var clean = new string(word.Where(char.IsLetterOrDigit).ToArray());
            if (clean.Length == 0)
            {
                continue;
            }
            name.Append(name.Length == 0
                ? clean.ToLowerInvariant()
                : char.ToUpperInvariant(clean[0]) + clean[1..].ToLowerInvariant());
        }
        return name.Length == 0 ? "value" : name.ToString();
    }

    /// <summary>Numbers and booleans as such, lists as arrays, JSON as JSON, dates ISO 8601, everything else text.</summary>
    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string s:
                json.WriteStringValue(s);
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case int or long or short:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case decimal d:
                json.WriteNumberValue(d);
                break;
            case double or float:
                json.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            case JsonElement element:
                element.WriteTo(json);
                break;
            case IEnumerable<string> list:
                json.WriteStartArray();
                foreach (var item in list)
                {
                    json.WriteStringValue(item);
                }
                json.WriteEndArray();
                break;
            default:
                json.WriteStringValue(TableFile.Text(value));
                break;
        }
    }
}
