namespace ComplianceHub.Core.Common.Idempotency;

/// <summary>
/// The <c>Idempotency-Key</c> claimed for the request in progress on this logical call (an <see cref="AsyncLocal{T}"/>, like
/// <see cref="Auditing.AuditScope"/>): the <see cref="CommandExecutor"/> marks it applied inside the transaction that commits the
/// request's change, so no command needs to carry it (ADR 0041).
/// </summary>
public sealed class IdempotencyScope
{
    private static readonly AsyncLocal<IdempotencyScope?> Ambient = new();

    public IdempotencyScope(Guid callerId, string key, Guid claimToken)
    {
        CallerId = callerId;
        Key = key;
        ClaimToken = claimToken;
    }

    /// <summary>The scope of the current call, or null.</summary>
    public static IdempotencyScope? Current => Ambient.Value;

    public Guid CallerId { get; }
    public string Key { get; }
    public Guid ClaimToken { get; }

    /// <summary>
    /// True once a transaction that marked the key applied has committed: from then on the request's change exists, and the key is
    /// never released again, whatever happens to the response.
    /// </summary>
    public bool Committed { get; private set; }

    /// <summary>A transaction has marked the key applied and is about to commit (its commit may still fail).</summary>
    internal bool MarkPending { get; set; }

    internal void CommitSucceeded()
    {
        if (MarkPending)
        {
            Committed = true;
        }
        MarkPending = false;
    }

    /// <summary>Makes <paramref name="scope"/> current until the result is disposed.</summary>
    public static IDisposable Begin(IdempotencyScope scope)
    {
        var previous = Ambient.Value;
        Ambient.Value = scope;
        return new Restore(previous);
    }

    private sealed class Restore(IdempotencyScope? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
