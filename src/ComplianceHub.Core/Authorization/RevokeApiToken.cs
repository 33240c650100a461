using ComplianceHub.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Authorization;

/// <summary>An administrator revokes a personal access token; it stops working at once.</summary>
[AllowedRoles(Roles.Administrator)]
public sealed record RevokeApiToken(Guid TokenId) : ICommand<ApiTokenView>;

internal sealed class RevokeApiTokenHandler : ICommandHandler<RevokeApiToken, ApiTokenView>
{
    public async Task<Outcome<ApiTokenView>> HandleAsync(RevokeApiToken command, CommandContext context, CancellationToken ct)
    {
        var token = await context.Db.ApiTokens.SingleOrDefaultAsync(t => t.Id == command.TokenId, ct);
        if (token is null)
        {
            return Outcome<ApiTokenView>.NotFound("The token");
        }
        token.Revoke(context.Actor.UserId, context.Now);
        return Outcome<ApiTokenView>.Ok(ApiTokenView.From(token));
    }
}
