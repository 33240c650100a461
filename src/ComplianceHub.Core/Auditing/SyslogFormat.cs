using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ComplianceHub.Core.Auditing;

/// <summary>
/// An audit event as an RFC 5424 syslog message, framed by octet counting (RFC 6587 3.4.1: <c>LENGTH SP MESSAGE</c>), as the
/// off-load sends it (ADR 0039):
/// <c>&lt;109&gt;1 TIMESTAMP HOSTNAME APP-NAME - MSGID [compliancehub@32473 seq="…" hash="…" type="…" op="…"] BOM{json}</c>.
/// The priority is facility 13 (log audit) at severity 5 (notice); TIMESTAMP is the event's occurred-at in UTC with microseconds;
/// MSGID and <c>type</c> are the event's numeric type; <c>seq</c> and <c>hash</c> let a receiver drop the duplicates an
/// at-least-once sender may deliver and check its copy against the chain. The body is the event's fields as the chain hashes
/// them (<see cref="AuditChain.WriteFields"/>, secrets already redacted by the recorder) plus its hash. A message longer than
/// <see cref="MaxMessageBytes"/> has its body cut, never its header or structured data: the body ends in
/// <see cref="TruncationMarker"/> and the structured data gains <c>truncated="N"</c>, the body's full length in bytes.
/// </summary>
public sealed class SyslogFormat
{
    /// <summary>The structured-data ID: private to ComplianceHub under the enterprise number RFC 5612 reserves for examples.</summary>
    public const string StructuredDataId = "compliancehub@32473";

    /// <summary>Facility 13 (log audit) × 8 + severity 5 (notice).</summary>
    public const int Priority = 13 * 8 + 5;

    /// <summary>What a cut body ends with.</summary>
    public const string TruncationMarker = "…[truncated]";

    /// <summary>The smallest maximum accepted: RFC 5425 4.3.1 has every receiver take 2,048 octets; a header fits in well under that.</summary>
    public const int MinimumMessageBytes = 2048;

    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    public SyslogFormat(string hostName, string appName, int maxMessageBytes)
    {
        if (!IsPrintableAscii(hostName, 255))
        {
            throw new ArgumentException("A syslog HOSTNAME is 1 to 255 printable US-ASCII characters without spaces.", nameof(hostName));
        }
        if (!IsPrintableAscii(appName, 48))
        {
            throw new ArgumentException("A syslog APP-NAME is 1 to 48 printable US-ASCII characters without spaces.", nameof(appName));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageBytes, MinimumMessageBytes);
        HostName = hostName;
        AppName = appName;
        MaxMessageBytes = maxMessageBytes;
    }

    public string HostName { get; }
    public string AppName { get; }

    /// <summary>The longest message (without its frame's length prefix) this format writes.</summary>
    public int MaxMessageBytes { get; }

    /// <summary>Whether <paramref name="value"/> is 1 to <paramref name="max"/> characters of PRINTUSASCII (RFC 5424: 33 to 126).</summary>
    public static bool IsPrintableAscii(string? value, int max) =>
        value is { Length: > 0 } && value.Length <= max && value.All(c => c is >= '!' and <= '~');

    /// <summary>Appends the octet-counted frame of <paramref name="e"/> to <paramref name="frames"/>.</summary>
    public void WriteFrame(ArrayBufferWriter<byte> frames, AuditEvent e)
    {
        var message = Message(e);
        var prefix = Encoding.ASCII.GetBytes(message.Length.ToString(CultureInfo.InvariantCulture) + " ");
        frames.Write(prefix);
        frames.Write(message);
    }

    /// <summary>The RFC 5424 message of <paramref name="e"/>, at most <see cref="MaxMessageBytes"/> bytes.</summary>
    public byte[] Message(AuditEvent e)
    {
        var body = Body(e);
        var header = Header(e, truncatedFrom: null);
        if (header.Length + Bom.Length + body.Length <= MaxMessageBytes)
        {
            return [.. header, .. Bom, .. body];
        }
        header = Header(e, truncatedFrom: body.Length);
        var marker = Encoding.UTF8.GetBytes(TruncationMarker);
        var room = MaxMessageBytes - header.Length - Bom.Length - marker.Length;
        if (room < 0)
        {
            throw new InvalidOperationException($"The syslog header of audit event {e.Sequence} does not fit in {MaxMessageBytes} bytes.");
        }
        // Cut on a character boundary: never inside a UTF-8 sequence (continuation bytes are 10xxxxxx).
        var cut = room;
        while (cut > 0 && (body[cut] & 0xC0) == 0x80)
        {
            cut--;
        }
        return [.. header, .. Bom, .. body.AsSpan(0, cut), .. marker];
    }

    /// <summary>PRI, VERSION, TIMESTAMP, HOSTNAME, APP-NAME, PROCID, MSGID and the structured data, each followed by a space.</summary>
    private byte[] Header(AuditEvent e, int? truncatedFrom)
    {
        var type = e.EventType.ToString(CultureInfo.InvariantCulture);
        var text = new StringBuilder(256)
            .Append('<').Append(Priority.ToString(CultureInfo.InvariantCulture)).Append(">1 ")
            .Append(e.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)).Append(' ')
            .Append(HostName).Append(' ')
            .Append(AppName).Append(" - ")
            .Append(type).Append(" [").Append(StructuredDataId);
        Param(text, "seq", e.Sequence.ToString(CultureInfo.InvariantCulture));
        Param(text, "hash", e.Hash);
        Param(text, "type", type);
        Param(text, "op", e.Operation);
        if (truncatedFrom is { } length)
        {
            Param(text, "truncated", length.ToString(CultureInfo.InvariantCulture));
        }
        return Encoding.UTF8.GetBytes(text.Append("] ").ToString());

        // RFC 5424 6.3.3: inside PARAM-VALUE, '"', '\' and ']' are escaped with a backslash.
        static void Param(StringBuilder text, string name, string value)
        {
            text.Append(' ').Append(name).Append("=\"");
            foreach (var c in value)
            {
                if (c is '"' or '\\' or ']')
                {
                    text.Append('\\');
                }
                text.Append(c);
            }
            text.Append('"');
        }
    }

    /// <summary>The event's fields as compact JSON, in the canonical form's order, then its hash.</summary>
    private static byte[] Body(AuditEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            AuditChain.WriteFields(w, e, json => w.WriteRawValue(json));
            w.WriteString("hash", e.Hash);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
