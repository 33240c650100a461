using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Features.Escorts;

/// <summary>Records the escort's sign-off of a session (API.md <c>POST /escorted-sessions/{id}/sign-off</c>).</summary>
[AllowedRoles(Roles.ContractingOfficer, Roles.VendorRepresentative)]
public sealed record SignOffEscortedSession(Guid SessionId) : ICommand<EscortedSessionView>;

internal sealed class SignOffEscortedSessionHandler : ICommandHandler<SignOffEscortedSession, EscortedSessionView>
{
    public async Task<Outcome<EscortedSessionView>> HandleAsync(SignOffEscortedSession command, CommandContext context, CancellationToken ct)
    {
        var session = await context.Db.EscortedSessions.VisibleTo(context.Actor).SingleOrDefaultAsync(s => s.Id == command.SessionId, ct);
        if (session is null)
        {
            return Outcome<EscortedSessionView>.NotFound("The session");
        }
        if (session.SignedOffAt is not null)
        {
            return Outcome<EscortedSessionView>.Conflict($"The session was already signed off at {session.SignedOffAt:yyyy-MM-dd HH:mm} UTC.");
        }
        session.SignOff(context.Actor.UserId, context.Now);
        return Outcome<EscortedSessionView>.Ok(EscortedSessionView.From(session));
    }
}
