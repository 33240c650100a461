using ComplianceHub.Core.Gate;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Policy;
using ComplianceHub.Core.Domain;
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
        if (grant.RequestedBy == context.Actor.UserId)
        {
            return Outcome<GrantView>.Forbidden("You requested this grant; a different contracting officer must approve it (two-person rule).");
        }
        if (grant.Status != GrantStatus.PendingApproval)
        {
            return Outcome<GrantView>.Conflict($"The grant is {grant.Status}, not pending approval.");
        }
        var policy = await ActivePolicy.Query(context.Db).Select(v => v.Id).SingleAsync(ct);
        grant.Approve(context.Actor.UserId, context.Now, policy);
        return Outcome<GrantView>.Ok(GrantView.From(grant));
    }
}
