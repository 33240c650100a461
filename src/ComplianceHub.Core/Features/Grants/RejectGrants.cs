using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using FluentValidation;

namespace ComplianceHub.Core.Features.Grants;

/// <summary>
/// A contracting officer rejects many pending requests at once, with one reason (<c>POST /api/v1/grants/reject</c>): each is
/// revoked as <see cref="DecideGrant"/> revokes one, so it cannot be approved afterwards. All or nothing: a grant no longer
/// pending or not found refuses the whole batch, and every such grant is listed.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer)]
public sealed record RejectGrants(IReadOnlyList<Guid> Ids, string Reason, bool DryRun = false) : ICommand<BulkResult>, IBulkCommand, ICanDryRun;

public sealed class RejectGrantsValidator : AbstractValidator<RejectGrants>
{
    public RejectGrantsValidator()
    {
        RuleFor(c => c.Ids).ValidIds();
        RuleFor(c => c.Reason).NotEmpty().WithMessage("Give the reason for rejecting; the requesters read it.").MaximumLength(2000);
    }
}

internal sealed class RejectGrantsHandler : ICommandHandler<RejectGrants, BulkResult>
{
    public async Task<Outcome<BulkResult>> HandleAsync(RejectGrants command, CommandContext context, CancellationToken ct)
    {
        var batch = await GrantBatch.LoadAsync(context, command.Ids, ct);
        var refused = batch.Refusals(command.Ids, g => g.Status == GrantStatus.PendingApproval ? null : GrantApproval.NotPending);
        if (refused.Count > 0)
        {
            return Bulk.Refused(refused, batch.Grants.Count < command.Ids.Count);
        }
        var reason = GrantDecisions.Reason(context.Actor, $"Request rejected: {command.Reason.Trim()}");
        foreach (var grant in batch.Grants.Values)
        {
            grant.Revoke(reason);
        }
        return Outcome<BulkResult>.Ok(new BulkResult(command.Ids.Count, command.Ids));
    }
}
