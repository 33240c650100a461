using ComplianceHub.Core.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace ComplianceHub.Web.Components.Account;

/// <summary>The signed-in actor of this circuit, from <see cref="AuthenticationStateProvider"/> (not HttpContext).</summary>
public sealed class CurrentActor(AuthenticationStateProvider authentication)
{
    /// <summary>The actor, or null when the principal is anonymous or malformed (fail closed).</summary>
    public async Task<Actor?> GetAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return Actor.FromPrincipal(state.User);
    }

    /// <summary>The server-side session this circuit belongs to, or null.</summary>
    public async Task<Guid?> SessionIdAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return Guid.TryParse(state.User.FindFirst(ComplianceClaimTypes.SessionId)?.Value, out var id) ? id : null;
    }
}
