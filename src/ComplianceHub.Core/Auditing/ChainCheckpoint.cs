using System.Globalization;
using System.Text;
using System.Text.Json;
using ComplianceHub.Core.Security;

namespace ComplianceHub.Core.Auditing;

/// <summary>
/// A signed statement that the audit chain's event <see cref="Sequence"/> had the hash <see cref="Hash"/> at
/// <see cref="SignedAt"/> (issue 19, ADR 0031). The signature is made with the audit signing key, a file the database never
/// holds, so a database owner who rewrites history and recomputes every hash cannot make the checkpoints agree: the first
/// checkpoint whose hash is no longer the chain's names where the forged range begins. Append-only, like the trail; not an
/// audit event itself (it would move the head it signs), and self-authenticating.
/// </summary>
public sealed class ChainCheckpoint
{
    /// <summary>The first line of the signed text: a new form gets a new number.</summary>
    public const string Format = "compliancehub-checkpoint/1";

    private ChainCheckpoint() { }

    /// <summary>The sequence number of the event signed (the chain head at the time).</summary>
    public long Sequence { get; private init; }

    /// <summary>That event's hash (lower-case hex SHA-256).</summary>
    public string Hash { get; private init; } = "";

    /// <summary>When it was signed (UTC, microseconds, as PostgreSQL keeps it).</summary>
    public DateTimeOffset SignedAt { get; private init; }

    /// <summary>The signing key's id (<see cref="AuditSigningKey.KeyId"/>), to pick the public key that verifies it.</summary>
    public string KeyId { get; private init; } = "";

    /// <summary>The DER ECDSA signature of <see cref="SignedText"/>.</summary>
    public byte[] Signature { get; private init; } = [];

    /// <summary>
    /// The exact text signed, UTF-8, each line ending in a line feed: <c>compliancehub-checkpoint/1</c>, the sequence number,
    /// the hash, the instant (<c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>). What <c>openssl dgst -sha256 -verify</c> is given.
    /// </summary>
    public static string SignedText(long sequence, string hash, DateTimeOffset signedAt) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Format}\n{sequence}\n{hash}\n{signedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)}\n");

    /// <summary>This checkpoint's signed text.</summary>
    public string Text => SignedText(Sequence, Hash, SignedAt);

    /// <summary>Signs event <paramref name="sequence"/>'s <paramref name="hash"/> now (<paramref name="signedAt"/>, cut to microseconds).</summary>
    public static ChainCheckpoint Sign(AuditSigningKey key, long sequence, string hash, DateTimeOffset signedAt)
    {
        var at = AuditChain.ToStoredPrecision(signedAt);
        return new ChainCheckpoint
        {
            Sequence = sequence,
            Hash = hash,
            SignedAt = at,
            KeyId = key.KeyId,
            Signature = key.Sign(Encoding.UTF8.GetBytes(SignedText(sequence, hash, at))),
        };
    }

    /// <summary>A checkpoint as read back from elsewhere (the append-only file, an evidence package).</summary>
    public static ChainCheckpoint Of(long sequence, string hash, DateTimeOffset signedAt, string keyId, byte[] signature) =>
        new() { Sequence = sequence, Hash = hash, SignedAt = signedAt, KeyId = keyId, Signature = signature };

    /// <summary>True when <paramref name="key"/> is the key named by <see cref="KeyId"/> and the signature is its signature of <see cref="Text"/>.</summary>
    public bool IsSignedBy(AuditSigningKey key) =>
        key.KeyId == KeyId && key.Verify(Encoding.UTF8.GetBytes(Text), Signature);

    /// <summary>
    /// One line of JSON (keys sequence, hash, signedAt, keyId, signature in base64): the form of the append-only checkpoint
    /// file and of the evidence package's manifest.
    /// </summary>
    public string ToJsonLine()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("sequence", Sequence);
            w.WriteString("hash", Hash);
            w.WriteString("signedAt", SignedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            w.WriteString("keyId", KeyId);
            w.WriteString("signature", Convert.ToBase64String(Signature));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads a line written by <see cref="ToJsonLine"/>; null when it is not one.</summary>
    public static ChainCheckpoint? FromJsonLine(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (!DateTimeOffset.TryParseExact(root.GetProperty("signedAt").GetString(), "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            {
                return null;
            }
            return Of(root.GetProperty("sequence").GetInt64(), root.GetProperty("hash").GetString() ?? "", at,
                root.GetProperty("keyId").GetString() ?? "", Convert.FromBase64String(root.GetProperty("signature").GetString() ?? ""));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
