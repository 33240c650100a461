using ComplianceHub.Core.Auditing;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Domain.Policy;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Policy;

/// <summary>
/// What the re-evaluation started by activating a policy version did to the existing grants (ADR 0029): the findings its batches
/// opened and the grants they suspended — not every finding under that version, nor every suspended grant. Read back from the
/// audit trail, which records each batch as one operation (<see cref="ApplyReevaluationBatch"/>, one correlation id per batch,
/// its run's progress among its events): a finding is the activation's when its creation was recorded by one of the run's
/// batches, a grant when one of them changed its status to suspended. A finding opened afterwards by an ordinary change under the
/// same version, or a grant suspended by one, is not the activation's. Nothing is stored for it beyond what the trail holds.
/// </summary>
public static class ActivationConsequences
{
    /// <summary>The operation a re-evaluation batch's events are recorded under.</summary>
    private static readonly string BatchOperation = CommandExecutor.Describe(typeof(ApplyReevaluationBatch));

    private static readonly string RunSubject = AuditEventTypes.Blocks[typeof(ReevaluationRun)].Subject;
    private static readonly int FindingCreated = AuditEventTypes.For(typeof(Finding), AuditEventTypes.Change.Created).Code;
    private static readonly int GrantChanged = AuditEventTypes.For(typeof(AccessGrant), AuditEventTypes.Change.Changed).Code;

    /// <summary>A grant event whose changes set its status to suspended (jsonb containment).</summary>
    private static readonly string SuspendedChange =
        System.Text.Json.JsonSerializer.Serialize(new { status = new { after = nameof(GrantStatus.Suspended) } });

    /// <summary>The correlation ids of the batches of the run that activating version <paramref name="policyNumber"/> started.</summary>
    private static IQueryable<string> Batches(ComplianceDbContext db, int policyNumber)
    {
        var runs = db.ReevaluationRuns.Where(r => r.PolicyNumber == policyNumber && r.Reason == ReevaluationReason.Activation)
            .Select(r => r.Id.ToString());
        return db.AuditEvents.Where(e => e.SubjectType == RunSubject && e.Operation == BatchOperation && runs.Contains(e.SubjectId))
            .Select(e => e.CorrelationId);
    }

    /// <summary>The ids (as the trail writes them) of the findings the activation of version <paramref name="policyNumber"/> opened.</summary>
    public static IQueryable<string> FindingsOpened(ComplianceDbContext db, int policyNumber)
    {
        var batches = Batches(db, policyNumber);
        return db.AuditEvents.Where(e => e.EventType == FindingCreated && e.Operation == BatchOperation && batches.Contains(e.CorrelationId))
            .Select(e => e.SubjectId);
    }

    /// <summary>The ids (as the trail writes them) of the grants the activation of version <paramref name="policyNumber"/> suspended.</summary>
    public static IQueryable<string> GrantsSuspended(ComplianceDbContext db, int policyNumber)
    {
        var batches = Batches(db, policyNumber);
        return db.AuditEvents.Where(e => e.EventType == GrantChanged && e.Operation == BatchOperation && batches.Contains(e.CorrelationId)
                && EF.Functions.JsonContains(e.Changes, SuspendedChange))
            .Select(e => e.SubjectId);
    }
}
