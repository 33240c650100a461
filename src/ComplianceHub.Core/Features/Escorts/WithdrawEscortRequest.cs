using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Access;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Escorts;

/// <summary>The representative who asked (or another of the vendor's) withdraws a pending escort request.</summary>
[AllowedRoles(Roles.VendorRepresentative)]
public sealed record WithdrawEscortRequest(Guid RequestId) : ICommand<EscortRequestView>;

internal sealed class WithdrawEscortRequestHandler : ICommandHandler<WithdrawEscortRequest, EscortRequestView>
{
    public async Task<Outcome<EscortRequestView>> HandleAsync(WithdrawEscortRequest command, CommandContext context, CancellationToken ct)
    {
        var request = await context.Db.EscortRequests.SingleOrDefaultAsync(r => r.Id == command.RequestId && r.VendorId == context.Actor.VendorId, ct);
        if (request is null)
        {
            return Outcome<EscortRequestView>.NotFound("The escort request");
        }
        if (request.Status != EscortRequestStatus.Pending)
        {
            return Outcome<EscortRequestView>.Conflict($"The request was already {request.Status.ToString().ToLowerInvariant()}.");
        }
        request.Withdraw(context.Actor.UserId, context.Actor.DisplayName, context.Now);
        return Outcome<EscortRequestView>.Ok(EscortRequestView.From(request));
    }
}
