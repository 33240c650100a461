using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Vendors;

namespace ComplianceHub.Web.Api;

/// <summary>A vendor (API.md <c>{name, cageCode, uei}</c>); <c>version</c> on update.</summary>
public sealed record VendorBody(string Name, string CageCode, string Uei, string? Version);

/// <summary>A cloud system (API.md <c>{name, provider, impactLevel}</c>, plus its environment); <c>version</c> on update.</summary>
public sealed record SystemBody(string Name, string Provider, string? Environment, ImpactLevel ImpactLevel, string? Version);

/// <summary>Vendors and cloud systems: read by every role (a representative sees only their vendor), written by officers and administrators.</summary>
internal static class VendorEndpoints
{
    public static void MapVendorEndpoints(this RouteGroupBuilder api)
    {
        var vendors = api.MapGroup("/vendors").WithTags("Vendors");
        vendors.MapGet("", async (HttpContext http, VendorsQuery query) =>
                Actor.FromPrincipal(http.User) is not { } actor ? ApiResults.NoActor() : TypedResults.Ok(await query.VendorsAsync(actor, http.RequestAborted)))
            .WithName("ListVendors").WithSummary("Vendors (a representative sees only their own)").Produces<IReadOnlyList<VendorView>>();
        vendors.MapGet("/{id:guid}", async (Guid id, HttpContext http, VendorsQuery query) =>
                Actor.FromPrincipal(http.User) is not { } actor ? ApiResults.NoActor()
                : await query.VendorAsync(actor, id, http.RequestAborted) is { } vendor ? TypedResults.Ok(vendor)
                : ApiResults.NotFound("The vendor was not found."))
            .WithName("GetVendor").WithSummary("One vendor").Produces<VendorView>().ProducesProblem(StatusCodes.Status404NotFound);
        vendors.MapPost("", (VendorBody body, HttpContext http) =>
                ApiResults.SendAsync(http, new CreateVendor(body.Name ?? "", body.CageCode ?? "", body.Uei ?? ""),
                    v => TypedResults.Created($"/api/v1/vendors/{v.Id}", v)))
            .Sends<CreateVendor>().WithName("CreateVendor").WithSummary("Record a vendor").Produces<VendorView>(StatusCodes.Status201Created).ProducesValidationProblem();
        vendors.MapPut("/{id:guid}", (Guid id, VendorBody body, HttpContext http) =>
                ApiResults.SendAsync(http, new UpdateVendor(id, body.Version ?? "", body.Name ?? "", body.CageCode ?? "", body.Uei ?? ""),
                    v => TypedResults.Ok(v)))
            .Sends<UpdateVendor>().WithName("UpdateVendor").WithSummary("Correct a vendor's name and identifiers (send the version read; stale is 409)")
            .Produces<VendorView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        var systems = api.MapGroup("/systems").WithTags("Systems");
        systems.MapGet("", async (VendorsQuery query, CancellationToken ct) => TypedResults.Ok(await query.SystemsAsync(ct)))
            .WithName("ListSystems").WithSummary("Every cloud system, by impact level").Produces<IReadOnlyList<SystemView>>();
        systems.MapGet("/{id:guid}", async (Guid id, VendorsQuery query, CancellationToken ct) =>
                await query.SystemAsync(id, ct) is { } system ? TypedResults.Ok(system) : ApiResults.NotFound("The system was not found."))
            .WithName("GetSystem").WithSummary("One cloud system").Produces<SystemView>().ProducesProblem(StatusCodes.Status404NotFound);
        systems.MapGet("/{id:guid}/access", async (Guid id, DateOnly? asOf, HttpContext http, Core.Features.Grants.SystemAccessQuery query, TimeProvider clock) =>
            {
                if (Actor.FromPrincipal(http.User) is not { } actor)
                {
                    return ApiResults.NoActor();
                }
                if (actor.IsVendorRepresentative)
                {
                    return ApiResults.Forbidden("Access reconstruction is for contracting officers, auditors and administrators.");
                }
                var day = asOf ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
                return await query.OnDayAsync(actor, id, day, http.RequestAborted) is { } access
                    ? TypedResults.Ok(access)
                    : ApiResults.NotFound("The system was not found.");
            })
            .ForRoles(ComplianceHub.Core.Authorization.Roles.ContractingOfficer, ComplianceHub.Core.Authorization.Roles.Auditor, ComplianceHub.Core.Authorization.Roles.Administrator).WithName("GetSystemAccess")
            .WithSummary("Who could touch the system on a day: grants active that day, each holder's facts as of that day, escorts, policy version")
            .WithDescription("Rebuilt from history (grant audit events and the attribute history), not from today's state. asOf defaults to today.")
            .Produces<Core.Features.Grants.SystemAccessOnDay>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        systems.MapPost("", (SystemBody body, HttpContext http) =>
                ApiResults.SendAsync(http, new CreateSystem(body.Name ?? "", body.Provider ?? "", body.Environment ?? "Default", body.ImpactLevel),
                    s => TypedResults.Created($"/api/v1/systems/{s.Id}", s)))
            .Sends<CreateSystem>().WithName("CreateSystem").WithSummary("Record a cloud system").Produces<SystemView>(StatusCodes.Status201Created).ProducesValidationProblem();
        systems.MapPut("/{id:guid}", (Guid id, SystemBody body, HttpContext http) =>
                ApiResults.SendAsync(http, new UpdateSystem(id, body.Version ?? "", body.Name ?? "", body.Provider ?? "", body.Environment ?? "Default",
                    body.ImpactLevel), s => TypedResults.Ok(s)))
            .Sends<UpdateSystem>().WithName("UpdateSystem").WithSummary("Change a cloud system; a new impact level re-evaluates every grant on it")
            .Produces<SystemSaved>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
    }
}
