namespace ComplianceHub.Core.Auditing;

/// <summary>
/// Proof, inside a transaction, that the gate evaluated the policy for a row it writes in a rule-relevant table.
/// A deferred constraint trigger on those tables refuses, at commit, any row changed without a receipt from the same
/// transaction — so raw SQL, bulk updates or a second DbContext that skip the gate fail (Data/Sql/0003).
/// </summary>
public sealed class EvaluationReceipt
{
    private EvaluationReceipt() { }

    public EvaluationReceipt(string subjectTable, Guid subjectId, DateTimeOffset at)
    {
        SubjectTable = subjectTable;
        SubjectId = subjectId;
        EvaluatedAt = at;
    }

    public long Id { get; private set; }

    /// <summary>The transaction that wrote the receipt (filled by PostgreSQL: <c>pg_current_xact_id()</c>).</summary>
    public ulong TransactionId { get; private set; }

    /// <summary>The table of the row the gate evaluated (<c>people</c>, <c>access_grants</c>, <c>escort_assignments</c>).</summary>
    public string SubjectTable { get; private set; } = "";
    public Guid SubjectId { get; private set; }
    public DateTimeOffset EvaluatedAt { get; private set; }
}
