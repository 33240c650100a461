using System.Security.Claims;
using ComplianceHub.Core.Authorization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Serves a cookie or sign-in bearer token only while its server-side session is open and its account enabled, not locked
/// out and unchanged (the security stamp): checked on <b>every</b> request, so signing out, disabling an account, changing its
/// role or password, or an administrator ending its sessions refuses a copied credential on its next request. A refused
/// credential makes the request anonymous (a page then redirects to sign-in, the API answers 401) and the cookie is deleted.
/// An account holding a temporary password may only change it (pages redirect to <c>/account/password</c>), and one without
/// the second factor the installation requires may only enrol one (<c>/account/second-factor</c>); the API answers 403. Personal access tokens have no session; <see cref="ApiTokenAuthenticator"/> checks their account on each request.
/// </summary>
internal sealed class SessionValidationMiddleware(RequestDelegate next, UserSessions sessions, IOptions<IdentityOptions> identity,
    OfficeScopes offices, ILogger<SessionValidationMiddleware> log)
{
    /// <summary>Where an account with a temporary password is sent.</summary>
    public const string ChangePasswordPath = "/account/password";

    /// <summary>Where an account without the second factor the installation requires is sent.</summary>
    public const string SecondFactorPath = "/account/second-factor";

    public async Task InvokeAsync(HttpContext context)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            await next(context);
            return;
        }
        // An officer or auditor of a contracting office sees the vendors it holds contracts with, read for this request (ADR 0028).
        context.User = user = await offices.WithScopeAsync(user, context.RequestAborted);
        if (user.HasClaim(c => c.Type == ComplianceClaimTypes.ApiTokenId))
        {
            await next(context);
            return;
        }
        var state = await CheckAsync(user, context.RequestAborted);
        switch (state)
        {
            case SessionState.Valid:
                await next(context);
                return;
            case SessionState.PasswordChangeRequired:
                await OnlyAsync(context, ChangePasswordPath, "Password change required",
                    "This account's password was set by an administrator and must be changed before it is used: " +
                    "sign in to the portal and choose a new password.");
                return;
            case SessionState.SecondFactorEnrolmentRequired:
                await OnlyAsync(context, SecondFactorPath, "Second factor required",
                    "This installation requires a second factor and the account has none: sign in to the portal and set up an " +
                    "authenticator app.");
                return;
            default:
                log.LogInformation("Credential refused for account {UserId}: session {State}",
                    user.FindFirstValue(ClaimTypes.NameIdentifier), state);
                if (string.IsNullOrEmpty(context.Request.Headers.Authorization))
                {
                    await context.SignOutAsync(IdentityConstants.ApplicationScheme);
                }
                context.User = new ClaimsPrincipal(new ClaimsIdentity());
                await next(context);
                return;
        }
    }

    private Task<SessionState> CheckAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        // A credential without a session (issued before sessions were kept on the server, or forged) is refused: fail closed.
        if (!Guid.TryParse(user.FindFirstValue(ComplianceClaimTypes.SessionId), out var sessionId)
            || !Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return Task.FromResult(SessionState.Unknown);
        }
        return sessions.CheckAsync(sessionId, userId, user.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType), ct);
    }

    /// <summary>A session that may do one thing first: that page (and sign-out, and anonymous endpoints) only.</summary>
    private Task OnlyAsync(HttpContext context, string allowedPath, string title, string detail)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments(allowedPath) || path.StartsWithSegments("/account/logout")
            || context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return next(context);
        }
        if (path.StartsWithSegments("/api"))
        {
            return Results.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: title).ExecuteAsync(context);
        }
        var returnUrl = path + context.Request.QueryString;
        context.Response.Redirect($"{allowedPath}?returnUrl={Uri.EscapeDataString(returnUrl)}");
        return Task.CompletedTask;
    }
}
