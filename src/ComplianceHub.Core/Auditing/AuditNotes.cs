using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Auditing;

/// <summary>
/// Records something that changed no data but must stand in the audit trail — a refused access decision, an export, a
/// downloaded evidence package — as one hash-chained event appended in a transaction of its own, under the chain lock.
/// </summary>
public sealed class AuditNotes(IDbContextFactory<ComplianceDbContext> contexts, TimeProvider clock)
{
    /// <summary>
    /// Appends one event. The actor and operation are the ambient <see cref="AuditScope"/>'s when there is one (so a
    /// refusal keeps its command's correlation id), otherwise <paramref name="actor"/> doing <paramref name="operation"/>.
    /// </summary>
    /// <param name="actor">Who did it (used when no scope is current).</param>
    /// <param name="operation">What they did, e.g. <c>export</c> (used when no scope is current).</param>
    /// <param name="eventType">The event code (<see cref="AuditEventTypes"/>).</param>
    /// <param name="subjectType">The subject's kind, e.g. <c>export</c>.</param>
    /// <param name="subjectId">The subject's id.</param>
    /// <param name="changes">A JSON object in the shape of a created row's changes (see <see cref="AuditRecorder.RequestJson"/>).</param>
    /// <param name="ruleOutcomes">A JSON array of rule outcomes (see <see cref="AuditRecorder.OutcomesJson"/>), or null for none.</param>
    /// <param name="ct">Cancels the append (nothing is written).</param>
    public Task<AuditEvent> AppendAsync(Actor actor, string operation, int eventType, string subjectType, string subjectId,
        string changes, string? ruleOutcomes = null, CancellationToken ct = default) =>
        AppendAsync(actor, operation, eventType, subjectType, subjectId, changes, ruleOutcomes, evaluatedUnder: null, ct);

    /// <summary>
    /// Appends one event that records a decision made under a stored policy version (a refusal): under the chain lock, the
    /// version must still be the active one, or <see cref="Gate.PolicyChangedException"/> is thrown and nothing is written.
    /// </summary>
    internal async Task<AuditEvent> AppendAsync(Actor actor, string operation, int eventType, string subjectType, string subjectId,
        string changes, string? ruleOutcomes, Gate.PolicyStamp? evaluatedUnder, CancellationToken ct) =>
        (await AppendAsync(actor, operation, [new AuditRecorder.AuditDraft(eventType, subjectType, subjectId, changes, ruleOutcomes ?? "[]")],
            evaluatedUnder, ct))[0];

    /// <summary>Appends several events in one transaction (a bulk change refused for several subjects: one event each).</summary>
    internal async Task<List<AuditEvent>> AppendAsync(Actor actor, string operation, IReadOnlyList<AuditRecorder.AuditDraft> drafts,
        Gate.PolicyStamp? evaluatedUnder, CancellationToken ct)
    {
        using var scope = AuditScope.Current is null ? AuditScope.Begin(actor, operation) : null;
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var events = await AuditRecorder.AppendAsync(db, drafts, AuditScope.Current!, clock.GetUtcNow(), ct, evaluatedUnder);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return events;
    }
}
