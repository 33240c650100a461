using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Gate;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Policy;

/// <summary>The result of an activation: the new active version and what it caused.</summary>
/// <summary>
/// An activation: the version now active, and the run that applies it to the existing grants in batches (ADR 0029) with the
/// consequences applied so far — none when the command returns; the caller that drives the run gathers them.
/// </summary>
public sealed record PolicyActivationResult(PolicyVersionView Version, ConsequencesView Consequences, ReevaluationRunView? Run = null);

/// <summary>
/// A contracting officer other than the drafter activates a draft. The previous version is retired and every current
/// grant is re-evaluated under the new one in the same transaction: grants that now fail a blocking rule are suspended.
/// With <c>Version</c> (the draft's <see cref="PolicyVersionView.Version"/> the officer reviewed), a draft changed since
/// is a conflict: nobody activates content they did not see.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer)]
public sealed record ActivatePolicyVersion(Guid PolicyVersionId, string? Version = null) : ICommand<PolicyActivationResult>;

internal sealed class ActivatePolicyVersionHandler : ICommandHandler<ActivatePolicyVersion, PolicyActivationResult>
{
    public async Task<Outcome<PolicyActivationResult>> HandleAsync(ActivatePolicyVersion command, CommandContext context, CancellationToken ct)
    {
        var db = context.Db;
        var draft = await db.PolicyVersions.SingleOrDefaultAsync(v => v.Id == command.PolicyVersionId, ct);
        if (draft is null)
        {
            return Outcome<PolicyActivationResult>.NotFound("The policy version");
        }
        if (draft.DraftedBy == context.Actor.UserId)
        {
            return Outcome<PolicyActivationResult>.Forbidden("You drafted this version; a different contracting officer must activate it (two-person rule).");
        }
        if (draft.Status != PolicyStatus.Draft)
        {
            return Outcome<PolicyActivationResult>.Conflict($"Version {draft.Number} is {draft.Status}, not a draft.");
        }
        if (PolicyVersionToken.Mismatch(context, draft, command.Version) is { } changed)
        {
            return Outcome<PolicyActivationResult>.Conflict(changed);
        }
        var active = await ActivePolicy.Query(db).SingleAsync(ct);
        active.Retire(context.Now);
        // One active version at a time (a unique index): retire first, in its own save inside the same transaction.
        await db.SaveChangesAsync(ct);
        draft.Activate(context.Actor.UserId, context.Now);
        return Outcome<PolicyActivationResult>.OkAfterSave(() => new PolicyActivationResult(PolicyVersionView.From(draft), db.Consequences.ToView(),
            db.ChangeTracker.Entries<ReevaluationRun>().Select(e => e.Entity).Where(r => r.PolicyVersionId == draft.Id).Select(ReevaluationRunView.From).FirstOrDefault()));
    }
}
