namespace ComplianceHub.Core.Auditing;

/// <summary>
/// One entry of the append-only, hash-chained audit trail (DESIGN.md section 6). Written by the DbContext gate in
/// the same transaction as the change it records; the application role may insert and read it, never change it.
/// </summary>
public sealed class AuditEvent
{
    /// <summary>Position in the chain: 1, 2, 3… with no gaps.</summary>
    public long Sequence { get; init; }

    /// <summary>When the change was saved (UTC, microsecond precision as PostgreSQL stores it).</summary>
    public DateTimeOffset OccurredAt { get; init; }

    public Guid? ActorUserId { get; init; }
    public string ActorName { get; init; } = "";
    public string ActorRole { get; init; } = "";
    public Guid? ActorVendorId { get; init; }

    /// <summary>How the actor authenticated: <c>password</c>, <c>cookie</c>, <c>cli</c>.</summary>
    public string AuthenticationMethod { get; init; } = "";

    /// <summary>Stable numeric code (<see cref="AuditEventTypes"/>).</summary>
    public int EventType { get; init; }

    /// <summary>The command or use case that caused the change, e.g. <c>account.create</c>.</summary>
    public string Operation { get; init; } = "";

    public string SubjectType { get; init; } = "";
    public string SubjectId { get; init; } = "";

    /// <summary>JSON object: property name → <c>{"before": …, "after": …}</c>; secrets are redacted.</summary>
    public string Changes { get; init; } = "{}";

    /// <summary>JSON array of the rule outcomes evaluated for this change.</summary>
    public string RuleOutcomes { get; init; } = "[]";

    /// <summary>Ties together the events of one operation.</summary>
    public string CorrelationId { get; init; } = "";

    /// <summary>The server-side session of the actor's sign-in (portal cookie or sign-in bearer token), if any.</summary>
    public Guid? SessionId { get; init; }

    /// <summary>The personal access token the change was made with, if any.</summary>
    public Guid? ApiTokenId { get; init; }

    /// <summary>The client address of the request the change came from (none at the command line or in the scheduler).</summary>
    public string? ClientAddress { get; init; }

    /// <summary>The user agent of the request the change came from, cut to <see cref="RequestOrigin.MaxUserAgentLength"/>.</summary>
    public string? UserAgent { get; init; }

    /// <summary>Hash of the previous event (64 zeros for the first).</summary>
    public string PreviousHash { get; init; } = "";

    /// <summary>SHA-256 over the canonical form of this event, which includes <see cref="PreviousHash"/>.</summary>
    public string Hash { get; internal set; } = "";
}
