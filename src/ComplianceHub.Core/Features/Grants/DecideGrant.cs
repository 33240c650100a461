using ComplianceHub.Core.Gate;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Rules;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Grants;

/// <summary>An officer's status decision on a grant, with the reason recorded on the grant and in the audit trail.</summary>
public enum GrantDecision { Suspend, Revoke, Reactivate }

/// <summary>
/// Suspend, revoke or reactivate a grant (API.md <c>POST /grants/{id}/suspend|revoke|reactivate</c>). Reactivation is an
/// access decision: the rules run again and a blocking failure refuses it. Which decision a status allows is
/// <see cref="GrantActions"/>, the pages' offer too; a grant waiting for approval is not suspended (it gives no access) but
/// rejected or revoked.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer)]
public sealed record DecideGrant(Guid GrantId, GrantDecision Decision, string Reason) : ICommand<GrantView>;

public sealed class DecideGrantValidator : AbstractValidator<DecideGrant>
{
    public DecideGrantValidator()
    {
        RuleFor(c => c.GrantId).NotEmpty();
        RuleFor(c => c.Decision).IsInEnum();
        RuleFor(c => c.Reason).NotEmpty().WithMessage("Give the reason for the decision.").MaximumLength(2000);
    }
}

internal sealed class DecideGrantHandler : ICommandHandler<DecideGrant, GrantView>
{
    public async Task<Outcome<GrantView>> HandleAsync(DecideGrant command, CommandContext context, CancellationToken ct)
    {
        var grant = await context.Db.Grants.SingleOrDefaultAsync(g => g.Id == command.GrantId, ct);
        if (grant is null || !await context.Db.SeesPersonAsync(context.Actor, grant.PersonId, ct))
        {
            return Outcome<GrantView>.NotFound("The grant");
        }
        var reason = GrantDecisions.Reason(context.Actor, command.Reason);
        if (!GrantActions.Allows(command.Decision, grant.Status))
        {
            return Outcome<GrantView>.Conflict(GrantActions.Refusal(command.Decision, grant.Status));
        }
        switch (command.Decision)
        {
            case GrantDecision.Suspend:
                grant.Suspend(reason);
                break;
            case GrantDecision.Revoke:
                grant.Revoke(reason);
                break;
            default:
                grant.Reactivate(reason,
                    await ActivePolicy.Query(context.Db).Select(v => v.Id).SingleAsync(ct));
                break;
        }
        return Outcome<GrantView>.Ok(GrantView.From(grant));
    }
}

/// <summary>What an officer's decision on a grant records, one grant or many (<see cref="RejectGrants"/>).</summary>
internal static class GrantDecisions
{
    /// <summary>The status reason: who decided, and why.</summary>
    public static string Reason(Actor actor, string why) => $"{actor.DisplayName}: {why.Trim()}";
}
