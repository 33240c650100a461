using System.Reflection;
using ComplianceHub.Core.Authorization;

namespace ComplianceHub.Web.Api;

/// <summary>
/// The caller of an <c>/api/v1</c> endpoint, bound once: a handler takes an <see cref="ApiCaller"/> parameter instead of
/// reading the principal itself. A principal that is not exactly one valid role (and vendor binding) never reaches such a
/// handler: <see cref="RequireActor"/>, a filter on the whole API group, answers it with <see cref="ApiResults.NoActor"/>.
/// Bound from the request, it is no parameter of the OpenAPI document.
/// </summary>
public sealed class ApiCaller : IBindableFromHttpContext<ApiCaller>
{
    private readonly Actor? actor;

    private ApiCaller(Actor? actor) => this.actor = actor;

    /// <summary>The caller; present in every handler that runs (the filter refused the others).</summary>
    public Actor Actor => actor ?? throw new InvalidOperationException("The API group's RequireActor filter lets no request without an actor through.");

    public static ValueTask<ApiCaller?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult<ApiCaller?>(new ApiCaller(Actor.FromPrincipal(context.User)));

    /// <summary>
    /// Endpoint filter factory: for a handler with an <see cref="ApiCaller"/> parameter, answers 403 (<see cref="ApiResults.NoActor"/>)
    /// when the principal is no actor. A request whose binding already failed keeps its 400.
    /// </summary>
    public static EndpointFilterDelegate RequireActor(EndpointFilterFactoryContext factory, EndpointFilterDelegate next)
    {
        if (!factory.MethodInfo.GetParameters().Any(p => p.ParameterType == typeof(ApiCaller)))
        {
            return next;
        }
        return async context =>
        {
            if (context.HttpContext.Response.StatusCode < StatusCodes.Status400BadRequest && Actor.FromPrincipal(context.HttpContext.User) is null)
            {
                return ApiResults.NoActor();
            }
            return await next(context);
        };
    }
}
