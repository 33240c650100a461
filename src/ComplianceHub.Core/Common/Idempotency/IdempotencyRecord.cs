namespace ComplianceHub.Core.Common.Idempotency;

/// <summary>
/// An <c>Idempotency-Key</c> of one caller (ADR 0041): claimed before the request runs, marked applied in the transaction
/// that commits the request's change (with that change's audit sequence), and holding the response once it is produced.
/// Operational bookkeeping, not compliance data: the change it guards is audited by its own events. Written with SQL by
/// <see cref="IdempotencyStore"/> (claims race across instances), read by EF only in tests.
/// </summary>
public sealed class IdempotencyRecord
{
    private IdempotencyRecord() { }

    /// <summary>The account the key belongs to: a key is never shared between callers.</summary>
    public Guid CallerId { get; private set; }

    /// <summary>The key as the client sent it (1 to 255 characters).</summary>
    public string Key { get; private set; } = "";

    /// <summary>SHA-256 (hex) of the method, the path with its query, and the body's SHA-256.</summary>
    public string Fingerprint { get; private set; } = "";

    public string Method { get; private set; } = "";
    public string Path { get; private set; } = "";

    /// <summary>Who holds the claim now (a new value per request run); the applied mark needs it to match.</summary>
    public Guid ClaimToken { get; private set; }

    /// <summary>When the claim was taken or last renewed by the request holding it.</summary>
    public DateTimeOffset ClaimedAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>When the request's change committed (set in the same transaction), or null.</summary>
    public DateTimeOffset? AppliedAt { get; private set; }

    /// <summary>The last audit sequence the change appended, when it appended one.</summary>
    public long? AuditSequence { get; private set; }

    /// <summary>The response, once stored: status, content type, Location, body (null when larger than the kept maximum).</summary>
    public int? ResponseStatus { get; private set; }
    public string? ResponseContentType { get; private set; }
    public string? ResponseLocation { get; private set; }
    public byte[]? ResponseBody { get; private set; }
    public bool ResponseBodyKept { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
}
