using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Data;

namespace ComplianceHub.Core.Features.Grants;

/// <summary>
/// Re-evaluates every current grant under the active policy on today's date, for the rules that change with time
/// alone (attestations falling due, adjudications ageing). Sent by the scheduler (<see cref="Actor.Scheduler"/>) through
/// the same executor as any change, so its suspensions, findings and audit events look exactly like the others.
/// </summary>
[AllowedRoles(Roles.Administrator)]
public sealed record ReevaluateGrants : ICommand<ConsequencesView>;

internal sealed class ReevaluateGrantsHandler : ICommandHandler<ReevaluateGrants, ConsequencesView>
{
    public Task<Outcome<ConsequencesView>> HandleAsync(ReevaluateGrants command, CommandContext context, CancellationToken ct)
    {
        context.Db.ReevaluateAllGrants = true;
        var db = context.Db;
        return Task.FromResult(Outcome<ConsequencesView>.OkAfterSave(() => db.Consequences.ToView()));
    }
}
