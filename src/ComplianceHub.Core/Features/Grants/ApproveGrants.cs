using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Gate;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Grants;

/// <summary>
/// A contracting officer approves many pending grants at once (the approvals queue's bulk action,
/// <c>POST /api/v1/grants/approve</c>): all of them in one transaction, each checked as <see cref="ApproveGrant"/> checks one
/// and evaluated again by the gate. If any is refused — not pending any more, the officer's own request (two-person rule), not
/// found, or failing a blocking rule — nothing is approved and every refused grant is listed.
/// </summary>
[AllowedRoles(Roles.ContractingOfficer)]
public sealed record ApproveGrants(IReadOnlyList<Guid> Ids, bool DryRun = false) : ICommand<BulkResult>, IBulkCommand, ICanDryRun;

public sealed class ApproveGrantsValidator : AbstractValidator<ApproveGrants>
{
    public ApproveGrantsValidator() => RuleFor(c => c.Ids).ValidIds();
}

internal sealed class ApproveGrantsHandler : ICommandHandler<ApproveGrants, BulkResult>
{
    public async Task<Outcome<BulkResult>> HandleAsync(ApproveGrants command, CommandContext context, CancellationToken ct)
    {
        var batch = await GrantBatch.LoadAsync(context, command.Ids, ct);
        var refused = batch.Refusals(command.Ids, g => GrantApproval.Refusal(g, context.Actor));
        if (refused.Count > 0)
        {
            return Bulk.Refused(refused, batch.Grants.Count < command.Ids.Count);
        }
        var policy = await ActivePolicy.Query(context.Db).Select(v => v.Id).SingleAsync(ct);
        foreach (var grant in batch.Grants.Values)
        {
            GrantApproval.Approve(grant, context, policy);
        }
        // The rules that fail without stopping an approval (warnings) are reported, as a single approval's are; a dry run answers
        // with them too: the decision context of the approvals queue shows them before the officer decides.
        var db = context.Db;
        return Outcome<BulkResult>.OkAfterSave(() => new BulkResult(command.Ids.Count, command.Ids),
            () => batch.Grants.Values.SelectMany(g => db.Outcomes.GetValueOrDefault(g) ?? []).ToList());
    }
}
