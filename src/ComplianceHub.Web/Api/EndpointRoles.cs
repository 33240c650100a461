using System.Reflection;
using ComplianceHub.Core.Common;

namespace ComplianceHub.Web.Api;

/// <summary>
/// Who may call an endpoint, as endpoint metadata: a write endpoint declares the command it sends (whose
/// <see cref="AllowedRolesAttribute"/> the executor enforces), a restricted read declares its roles. The role matrix test
/// reads this metadata from every mapped endpoint, so an endpoint cannot be added without saying who may call it.
/// </summary>
internal static class EndpointRoles
{
    /// <summary>The endpoint sends <typeparamref name="TCommand"/>: its roles are the command's.</summary>
    public static RouteHandlerBuilder Sends<TCommand>(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(typeof(TCommand).GetCustomAttribute<AllowedRolesAttribute>()
            ?? throw new InvalidOperationException($"{typeof(TCommand).Name} declares no [AllowedRoles]."));

    /// <summary>The endpoint is for these roles only (checked in its handler or query as well).</summary>
    public static RouteHandlerBuilder ForRoles(this RouteHandlerBuilder builder, params string[] roles) =>
        builder.WithMetadata(new AllowedRolesAttribute(roles));

    /// <summary>
    /// The endpoint is for these roles only, enforced here once: a principal that is no actor gets <see cref="ApiResults.NoActor"/>,
    /// an actor of another role 403 with <paramref name="refusal"/>; the handler runs only for the roles named.
    /// </summary>
    public static RouteHandlerBuilder RequireRoles(this RouteHandlerBuilder builder, string refusal, params string[] roles) =>
        builder.ForRoles(roles).AddEndpointFilter(async (context, next) =>
        {
            if (context.HttpContext.Response.StatusCode >= StatusCodes.Status400BadRequest)
            {
                return await next(context);
            }
            return Core.Authorization.Actor.FromPrincipal(context.HttpContext.User) switch
            {
                null => ApiResults.NoActor(),
                { } actor when !roles.Contains(actor.Role) => ApiResults.Forbidden(refusal),
                _ => await next(context),
            };
        });
}
