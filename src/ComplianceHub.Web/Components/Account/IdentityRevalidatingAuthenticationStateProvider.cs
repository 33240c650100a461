using System.Security.Claims;
using ComplianceHub.Core.Authorization;
using ComplianceHub.Web.Hosting;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Web.Components.Account;

/// <summary>
/// Re-checks an open circuit every <see cref="SessionPolicy.CircuitRecheckInterval"/>: its server-side session is still open,
/// the account enabled, not locked out and with the same security stamp, and the circuit has not been idle past the role's
/// limit. Otherwise the circuit loses its authentication state at once (its pages show sign-in), whether or not the browser
/// follows the idle-timeout redirect.
/// </summary>
internal sealed class IdentityRevalidatingAuthenticationStateProvider(ILoggerFactory loggerFactory, UserSessions sessions,
    IOptions<IdentityOptions> options, CircuitActivity activity)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => SessionPolicy.CircuitRecheckInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct)
    {
        var principal = state.User;
        if (activity.Idle >= SessionPolicy.IdleTimeoutFor(Actor.FromPrincipal(principal)?.Role))
        {
            return false;
        }
        if (!Guid.TryParse(principal.FindFirstValue(ComplianceClaimTypes.SessionId), out var sessionId)
            || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return false;
        }
        var stamp = principal.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
        try
        {
            return await sessions.CheckAsync(sessionId, userId, stamp, ct) == SessionState.Valid;
        }
        catch (Exception e) when (Core.Data.DatabaseFaults.IsConnectionFailure(e))
        {
            // The database is restarting (ADR 0042): the session cannot be read, and the circuit can change nothing without the
            // database either. It is checked again at the next interval; signing everyone out of every open page would turn a
            // few seconds' restart into everyone's lost work.
            return true;
        }
    }
}
