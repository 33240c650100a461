using ComplianceHub.Core.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace ComplianceHub.Web.Components.Account;

/// <summary>The signed-in actor of this circuit, from <see cref="AuthenticationStateProvider"/> (not HttpContext).</summary>
public sealed class CurrentActor(AuthenticationStateProvider authentication, OfficeScopes offices)
{
    /// <summary>
    /// The actor, or null when the principal is anonymous or malformed (fail closed). An officer's or auditor's office scope is
    /// read afresh on every call: a circuit lives for hours, and the vendors its office holds may change meanwhile (ADR 0028).
    /// </summary>
    public async Task<Actor?> GetAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return Actor.FromPrincipal(state.User) is { } actor ? await offices.ResolveAsync(actor) : null;
    }

    /// <summary>The server-side session this circuit belongs to, or null.</summary>
    public async Task<Guid?> SessionIdAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return Guid.TryParse(state.User.FindFirst(ComplianceClaimTypes.SessionId)?.Value, out var id) ? id : null;
    }
}
