using ComplianceHub.Core.Gate;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Rules;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Grants;

/// <summary>A second contracting officer approves a pending grant; the rules run again at approval.</summary>
[AllowedRoles(Roles.ContractingOfficer)]
public sealed record ApproveGrant(Guid GrantId) : ICommand<GrantView>;

internal sealed class ApproveGrantHandler : ICommandHandler<ApproveGrant, GrantView>
{
    public async Task<Outcome<GrantView>> HandleAsync(ApproveGrant command, CommandContext context, CancellationToken ct)
    {
        var grant = await context.Db.Grants.SingleOrDefaultAsync(g => g.Id == command.GrantId, ct);
        if (grant is null || !await context.Db.SeesPersonAsync(context.Actor, grant.PersonId, ct))
        {
            return Outcome<GrantView>.NotFound("The grant");
        }
        if (GrantApproval.OwnRequest(grant, context.Actor))
        {
            return Outcome<GrantView>.Forbidden(GrantApproval.OwnRequestReason);
        }
        if (grant.Status != GrantStatus.PendingApproval)
        {
            return Outcome<GrantView>.Conflict($"The grant is {grant.Status}, not pending approval.");
        }
        GrantApproval.Approve(grant, context, await ActivePolicy.Query(context.Db).Select(v => v.Id).SingleAsync(ct));
        return Outcome<GrantView>.Ok(GrantView.From(grant));
    }
}

/// <summary>What approving a pending grant checks and does, one grant or many (<see cref="ApproveGrants"/>).</summary>
internal static class GrantApproval
{
    public const string NotPending = "It is no longer pending approval; reload the queue.";

    public const string OwnRequestReason = "You requested this grant; a different contracting officer must approve it (two-person rule).";

    /// <summary>The two-person rule: nobody approves their own request.</summary>
    public static bool OwnRequest(AccessGrant grant, Actor actor) => grant.RequestedBy == actor.UserId;

    /// <summary>Why the actor cannot approve the grant, in words, or null when they can (the rules run at the save).</summary>
    public static string? Refusal(AccessGrant grant, Actor actor) =>
        OwnRequest(grant, actor) ? OwnRequestReason
        : grant.Status != GrantStatus.PendingApproval ? NotPending
        : null;

    /// <summary>Approves: the grant becomes active, decided under the policy in force (the gate evaluates it again).</summary>
    public static void Approve(AccessGrant grant, CommandContext context, Guid policyVersionId) =>
        grant.Approve(context.Actor.UserId, context.Now, policyVersionId);
}
