using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Findings;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Findings;

/// <summary>A second contracting officer approves a waiver; its finding is then waived until the waiver expires.</summary>
[AllowedRoles(Roles.ContractingOfficer)]
public sealed record ApproveWaiver(Guid WaiverId) : ICommand<WaiverView>;

internal sealed class ApproveWaiverHandler : ICommandHandler<ApproveWaiver, WaiverView>
{
    public async Task<Outcome<WaiverView>> HandleAsync(ApproveWaiver command, CommandContext context, CancellationToken ct)
    {
        var waiver = await context.Db.Waivers.SingleOrDefaultAsync(w => w.Id == command.WaiverId, ct);
        if (waiver is null || !await context.Db.Findings.VisibleTo(context.Actor).AnyAsync(f => f.Id == waiver.FindingId, ct))
        {
            return Outcome<WaiverView>.NotFound("The waiver");
        }
        if (waiver.RequestedBy == context.Actor.UserId)
        {
            return Outcome<WaiverView>.Forbidden("You requested this waiver; a different contracting officer must approve it (two-person rule).");
        }
        if (waiver.Status != WaiverStatus.PendingApproval)
        {
            return Outcome<WaiverView>.Conflict("The waiver is already approved.");
        }
        waiver.Approve(context.Actor.UserId, context.Now);
        var finding = await context.Db.Findings.SingleAsync(f => f.Id == waiver.FindingId, ct);
        finding.MarkWaived();
        return Outcome<WaiverView>.Ok(WaiverView.From(waiver));
    }
}
