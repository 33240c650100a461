using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace ComplianceHub.Core.Features.AccessLogs;

/// <summary>
/// Streams the records (objects) of a JSON log: the elements of a top-level array, or of the array under one property of a top-level
/// object (<c>{"value":[...]}</c>, <c>{"Records":[...]}</c>; several such objects one after another are read too). A
/// <see cref="Utf8JsonReader"/> runs over a buffer refilled from the stream; each record is parsed alone once all its bytes are
/// in the buffer, so memory holds one buffer, not the document. The line of each record is counted from the bytes before it.
/// </summary>
internal sealed class JsonRecords(Stream text, ReadCounts counts, string recordsProperty, bool topArray, string formatName)
{
    private const int InitialBuffer = 64 * 1024;
    private const int MaxRecordBytes = 32 * 1024 * 1024;

    private enum Where { Top, TopObject, RecordsNext, SkipValue, InRecords }

    private byte[] buffer = new byte[InitialBuffer];
    private int length;
    private long origin;          // the file offset of buffer[0]
    private long countedTo;       // the file offset up to which new lines are counted
    private int newLines;         // new lines before countedTo
    private JsonReaderState state = new(new JsonReaderOptions { AllowMultipleValues = true });
    private Where where = Where.Top;
    private bool arrayAtTop;
    private bool sawRecords;
    private bool endsWithNewLine;

    /// <summary>Reads the records, mapping each (its line, the record) to items.</summary>
    public async IAsyncEnumerable<AccessLogItem> ReadAsync(Action<int, JsonElement, List<AccessLogItem>> map, [EnumeratorCancellation] CancellationToken ct)
    {
        var pending = new List<AccessLogItem>();
        var final = false;
        while (true)
        {
            if (!final)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= MaxRecordBytes)
                    {
                        throw new AccessLogFileException($"A record starting near line {LineAt(origin)} is larger than {MaxRecordBytes / 1024 / 1024} MB: " +
                                                         $"check the format chosen for this file: {formatName}.");
                    }
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
                // Fill the buffer (a network stream returns a few KB a read): a record that did not fit is scanned again only
                // once the buffer is full, so a large record costs a few passes, not one per read.
                var read = await text.ReadAtLeastAsync(buffer.AsMemory(length), buffer.Length - length, throwOnEndOfStream: false, ct);
                if (read > 0)
                {
                    endsWithNewLine = buffer[length + read - 1] == (byte)'\n';
                }
                length += read;
                final = length < buffer.Length;
            }
            var consumed = Pass(final, map, pending);
            foreach (var item in pending)
            {
                yield return item;
            }
            pending.Clear();
            Discard(consumed);
            if (final)
            {
                break;
            }
        }
        if (where != Where.Top)
        {
            throw new AccessLogFileException($"The file ends in the middle of the JSON (line {LineAt(origin + length)}): it was cut short. Download it again.");
        }
        if (!sawRecords)
        {
            throw new AccessLogFileException(topArray
                ? $"The JSON holds no list of sign-ins (neither [...] nor {{\"{recordsProperty}\": [...]}}). Check the format chosen for this file: {formatName}."
                : $"The JSON holds no \"{recordsProperty}\" list. Check the format chosen for this file: {formatName}.");
        }
        counts.Lines = LineAt(origin + length) - (endsWithNewLine ? 1 : 0);
    }

    /// <summary>Reads the tokens in the buffer as far as they are complete; returns how many bytes are done with.</summary>
    private int Pass(bool final, Action<int, JsonElement, List<AccessLogItem>> map, List<AccessLogItem> pending)
    {
        var reader = new Utf8JsonReader(buffer.AsSpan(0, length), final, state);
        try
        {
            while (true)
            {
                var before = reader.CurrentState;
                var beforeConsumed = reader.BytesConsumed;
                if (!reader.Read())
                {
                    break;
                }
                if (!Token(ref reader, map, pending))
                {
                    // A value not complete in the buffer: read it again, whole, after the next fill.
                    state = before;
                    return (int)beforeConsumed;
                }
            }
            state = reader.CurrentState;
            return (int)reader.BytesConsumed;
        }
        catch (JsonException e)
        {
            var line = e.LineNumber is { } n ? (int)n + 1 : LineAt(origin + reader.BytesConsumed);
            throw new AccessLogFileException($"The JSON is broken at line {line}: it was cut short or edited by hand. Download it again and import that file.");
        }
    }

    /// <summary>Handles one token; false when the value it starts is not all in the buffer yet.</summary>
    private bool Token(ref Utf8JsonReader reader, Action<int, JsonElement, List<AccessLogItem>> map, List<AccessLogItem> pending)
    {
        switch (where)
        {
            case Where.Top when reader.TokenType == JsonTokenType.StartArray && topArray:
                where = Where.InRecords;
                arrayAtTop = true;
                sawRecords = true;
                return true;
            case Where.Top when reader.TokenType == JsonTokenType.StartObject:
                where = Where.TopObject;
                return true;
            case Where.Top:
                throw new AccessLogFileException($"The file does not start with {(topArray ? "[ or {" : "{")}. Check the format chosen for this file: {formatName}.");
            case Where.TopObject when reader.TokenType == JsonTokenType.PropertyName:
                where = reader.ValueTextEquals(recordsProperty) ? Where.RecordsNext : Where.SkipValue;
                return true;
            case Where.TopObject:
                where = Where.Top; // the end of the top-level object
                return true;
            case Where.RecordsNext when reader.TokenType == JsonTokenType.StartArray:
                where = Where.InRecords;
                arrayAtTop = false;
                sawRecords = true;
                return true;
            case Where.RecordsNext when reader.TokenType == JsonTokenType.Null:
                where = Where.TopObject;
                return true;
            case Where.RecordsNext:
                throw new AccessLogFileException($"\"{recordsProperty}\" is not a list of records. Check the format chosen for this file: {formatName}.");
            case Where.SkipValue:
                if (!reader.TrySkip())
                {
                    return false;
                }
                where = Where.TopObject;
                return true;
            case Where.InRecords when reader.TokenType == JsonTokenType.EndArray:
                where = arrayAtTop ? Where.Top : Where.TopObject;
                return true;
            case Where.InRecords:
                var start = reader.TokenStartIndex;
                var isObject = reader.TokenType == JsonTokenType.StartObject;
                if (!reader.TrySkip())
                {
                    return false;
                }
                var line = LineAt(origin + start);
                if (!isObject)
                {
                    pending.Add(new(null, new AccessLogProblem(line, "record", $"This value is not a record (an object in braces). Check the format chosen for this file: {formatName}.")));
                    return true;
                }
                using (var record = JsonDocument.Parse(buffer.AsMemory((int)start, (int)(reader.BytesConsumed - start))))
                {
                    map(line, record.RootElement, pending);
                }
                return true;
            default:
                throw new InvalidOperationException("Unreachable JSON reader state.");
        }
    }

    /// <summary>The 1-based line of a file offset inside the buffer (or at its end).</summary>
    private int LineAt(long offset)
    {
        if (offset > countedTo)
        {
            newLines += buffer.AsSpan((int)(countedTo - origin), (int)(offset - countedTo)).Count((byte)'\n');
            countedTo = offset;
            if (newLines >= AccessLogReader.MaxLines)
            {
                throw ReadCounts.TooManyLines();
            }
        }
        counts.Lines = Math.Max(counts.Lines, newLines + 1);
        return newLines + 1;
    }

    /// <summary>Drops the bytes done with, keeping the rest at the start of the buffer.</summary>
    private void Discard(int consumed)
    {
        LineAt(origin + consumed);
        buffer.AsSpan(consumed, length - consumed).CopyTo(buffer);
        length -= consumed;
        origin += consumed;
    }
}

/// <summary>A compact one-line JSON rendering of a record's key fields, for evidence.</summary>
internal static class JsonExcerpt
{
    public static string Of(params ReadOnlySpan<(string Name, string? Value)> fields)
    {
        var output = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in fields)
            {
                if (value is not null)
                {
                    writer.WriteString(name, value);
                }
            }
            writer.WriteEndObject();
        }
        return LogInput.Excerpt(System.Text.Encoding.UTF8.GetString(output.WrittenSpan));
    }

    /// <summary>A string property, or null when absent or not a string (numbers are returned as written).</summary>
    public static string? Text(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    /// <summary>An object property, or default when absent.</summary>
    public static JsonElement Child(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;
}
