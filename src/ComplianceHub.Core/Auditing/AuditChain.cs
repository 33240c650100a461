using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ComplianceHub.Core.Auditing;

/// <summary>
/// The canonical form of an audit event and its SHA-256 hash. The form is a JSON object with a fixed key order
/// and JSON values re-serialised with sorted keys, so it is the same whether the values come from the writer or
/// back out of PostgreSQL's <c>jsonb</c> (which reorders keys). Timestamps are UTC with microseconds.
/// </summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first event.</summary>
    public static readonly string GenesisHash = new('0', 64);

    /// <summary>PostgreSQL keeps microseconds; the writer truncates to them so the hash survives the round trip.</summary>
    public static DateTimeOffset ToStoredPrecision(DateTimeOffset instant) =>
        new(instant.UtcTicks - instant.UtcTicks % 10, TimeSpan.Zero);

    public static string Canonical(AuditEvent e) => Encoding.UTF8.GetString(CanonicalBytes(e));

    /// <summary>The canonical form as UTF-8 into <paramref name="buffer"/> (what the hash is computed over).</summary>
    private static void WriteCanonical(ArrayBufferWriter<byte> buffer, AuditEvent e)
    {
        using var w = new Utf8JsonWriter(buffer);
        WriteCanonical(w, e);
    }

    /// <summary>
    /// The canonical form onto <paramref name="w"/>, which must have the default options (compact, the default encoder): the
    /// evidence package writes each event's canonical line with it.
    /// </summary>
    internal static void WriteCanonical(Utf8JsonWriter w, AuditEvent e)
    {
        w.WriteStartObject();
        WriteFields(w, e, json => WriteSorted(w, json));
        w.WriteEndObject();
    }

    /// <summary>The canonical form's UTF-8 bytes: what <see cref="ComputeHash"/> hashes.</summary>
    public static byte[] CanonicalBytes(AuditEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        WriteCanonical(buffer, e);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The fields of the canonical form, in its order; <paramref name="writeJson"/> writes the <c>changes</c> and
    /// <c>ruleOutcomes</c> values. Shared with the evidence package's event lines, so they carry exactly these fields.
    /// </summary>
    internal static void WriteFields(Utf8JsonWriter w, AuditEvent e, Action<string> writeJson)
    {
        w.WriteNumber("sequence", e.Sequence);
        w.WriteString("occurredAt", e.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        w.WriteString("actorUserId", e.ActorUserId?.ToString());
        w.WriteString("actorName", e.ActorName);
        w.WriteString("actorRole", e.ActorRole);
        w.WriteString("actorVendorId", e.ActorVendorId?.ToString());
        w.WriteString("authenticationMethod", e.AuthenticationMethod);
        w.WriteNumber("eventType", e.EventType);
        w.WriteString("operation", e.Operation);
        w.WriteString("subjectType", e.SubjectType);
        w.WriteString("subjectId", e.SubjectId);
        w.WritePropertyName("changes");
        writeJson(e.Changes);
        w.WritePropertyName("ruleOutcomes");
        writeJson(e.RuleOutcomes);
        w.WriteString("correlationId", e.CorrelationId);
        w.WriteString("previousHash", e.PreviousHash);
        // Where the change came from (issue 18), after the fields every event has, and only when known: an event without them
        // has the canonical form, and so the hash, it had before they existed; taking one away or adding one breaks the hash.
        foreach (var (name, value) in OriginFields(e))
        {
            w.WriteString(name, value);
        }
    }

    /// <summary>The names of the optional fields of the canonical form, in its order.</summary>
    internal static readonly string[] OriginFieldNames = ["sessionId", "apiTokenId", "clientAddress", "userAgent"];

    /// <summary>The optional fields an event has, in the canonical form's order.</summary>
    internal static IEnumerable<(string Name, string Value)> OriginFields(AuditEvent e)
    {
        if (e.SessionId is { } session)
        {
            yield return ("sessionId", session.ToString());
        }
        if (e.ApiTokenId is { } token)
        {
            yield return ("apiTokenId", token.ToString());
        }
        if (e.ClientAddress is { } address)
        {
            yield return ("clientAddress", address);
        }
        if (e.UserAgent is { } agent)
        {
            yield return ("userAgent", agent);
        }
    }

    /// <summary>Lower-case hex SHA-256 of the canonical form.</summary>
    public static string ComputeHash(AuditEvent e)
    {
        var buffer = Buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        WriteCanonical(buffer, e);
        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    /// <summary>One reusable buffer per thread: a verification or an import hashes millions or thousands of events in a row.</summary>
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? Buffer;

    /// <summary>
    /// A JSON value with every object's keys in ordinal order, read through <see cref="JsonDocument"/> (pooled, no tree of
    /// nodes per value): the same text whatever order the writer or <c>jsonb</c> left the keys in.
    /// </summary>
    private static void WriteSorted(Utf8JsonWriter w, string json)
    {
        using var document = JsonDocument.Parse(json);
        WriteSorted(w, document.RootElement);
    }

    private static void WriteSorted(Utf8JsonWriter w, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = new List<JsonProperty>();
                foreach (var property in element.EnumerateObject())
                {
                    properties.Add(property);
                }
                properties.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                w.WriteStartObject();
                foreach (var property in properties)
                {
                    w.WritePropertyName(property.Name);
                    WriteSorted(w, property.Value);
                }
                w.WriteEndObject();
                break;
            case JsonValueKind.Array:
                w.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteSorted(w, item);
                }
                w.WriteEndArray();
                break;
            default:
                element.WriteTo(w);
                break;
        }
    }
}
