using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

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

    public static string Canonical(AuditEvent e)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            WriteFields(w, e, json => WriteSorted(w, JsonNode.Parse(json)));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
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
    }

    /// <summary>Lower-case hex SHA-256 of the canonical form.</summary>
    public static string ComputeHash(AuditEvent e) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(e))));

    private static void WriteSorted(Utf8JsonWriter w, JsonNode? node)
    {
        switch (node)
        {
            case null:
                w.WriteNullValue();
                break;
            case JsonObject obj:
                w.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    w.WritePropertyName(key);
                    WriteSorted(w, value);
                }
                w.WriteEndObject();
                break;
            case JsonArray array:
                w.WriteStartArray();
                foreach (var item in array)
                {
                    WriteSorted(w, item);
                }
                w.WriteEndArray();
                break;
            default:
                node.WriteTo(w);
                break;
        }
    }
}
