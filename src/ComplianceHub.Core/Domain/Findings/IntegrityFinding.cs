namespace ComplianceHub.Core.Domain.Findings;

/// <summary>Lifecycle of an integrity finding.</summary>
public enum IntegrityFindingStatus { Open, Closed }

/// <summary>What an integrity finding is about (one open finding of each kind at a time).</summary>
public static class IntegrityFindingKinds
{
    /// <summary>The audit chain failed the check the signer makes before it signs a checkpoint (ADR 0031): no checkpoint is signed.</summary>
    public const string AuditChain = "audit-chain";

    /// <summary>The daily state verification found rows the audit trail does not explain (ADR 0031).</summary>
    public const string StateVerification = "state-verification";

    /// <summary>How each kind is named to people.</summary>
    public static string Title(string kind) => kind switch
    {
        AuditChain => "The audit chain does not check out, so no checkpoint was signed",
        StateVerification => "The tables hold values the audit trail does not explain",
        _ => kind,
    };
}

/// <summary>
/// A finding about the installation's own records, for the administrator: something the portal detected about its data that no
/// rule of the policy covers and no vendor answers — the audit chain failing the check made before a checkpoint is signed (ADR
/// 0031). Unlike a rule's <see cref="Finding"/> it has no person or vendor. Opened through the command pipeline (audited) by the
/// job that detected it, at most one open of each kind; closed by an administrator with what was found and done.
/// </summary>
public sealed class IntegrityFinding
{
    private IntegrityFinding() { }

    public Guid Id { get; private set; }

    /// <summary>What it is about (<see cref="IntegrityFindingKinds"/>).</summary>
    public string Kind { get; private set; } = "";

    /// <summary>What was detected, in words.</summary>
    public string Message { get; private set; } = "";

    /// <summary>The facts behind it (sequence numbers, checkpoint, key id), as a JSON object of strings.</summary>
    public string Facts { get; private set; } = "{}";

    public DateTimeOffset DetectedAt { get; private set; }
    public IntegrityFindingStatus Status { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>The administrator who closed it.</summary>
    public Guid? ClosedBy { get; private set; }

    /// <summary>What was found and done, as the administrator who closed it wrote.</summary>
    public string? Resolution { get; private set; }

    public static IntegrityFinding Open(string kind, string message, IReadOnlyDictionary<string, string> facts, DateTimeOffset at) => new()
    {
        Id = Guid.CreateVersion7(),
        Kind = kind,
        Message = message,
        Facts = System.Text.Json.JsonSerializer.Serialize(new SortedDictionary<string, string>(facts.ToDictionary(f => f.Key, f => f.Value), StringComparer.Ordinal)),
        DetectedAt = at,
        Status = IntegrityFindingStatus.Open,
    };

    /// <summary>An administrator investigated and says what was found and done.</summary>
    public void Close(Guid by, DateTimeOffset at, string resolution)
    {
        if (Status != IntegrityFindingStatus.Open)
        {
            throw new InvalidOperationException($"Only an open integrity finding can be closed; this one is {Status}.");
        }
        Status = IntegrityFindingStatus.Closed;
        ClosedBy = by;
        ClosedAt = at;
        Resolution = resolution;
    }
}
