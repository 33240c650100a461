using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Systems;
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
        vendors.MapGet("", async Task<IResult> (ApiCaller caller, HttpContext http, VendorsQuery query, string? search, int? page, int? pageSize, string? sort,
                bool? desc) =>
                TypedResults.Ok(await query.ListVendorsAsync(caller.Actor, new VendorFilter(search),
                    new PageRequest(page ?? 1, pageSize ?? 50, sort, desc ?? false), http.RequestAborted)))
            .WithName("ListVendors").WithSummary("Vendors, filtered and paged (a representative sees only their own)")
            .WithDescription("search matches the name, CAGE code or UEI; sort by name (default), cageCode, uei or status.")
            .Produces<PagedResult<VendorView>>();
        vendors.MapGet("/{id:guid}", async (Guid id, ApiCaller caller, HttpContext http, VendorsQuery query) =>
                await query.VendorAsync(caller.Actor, id, http.RequestAborted) is { } vendor ? TypedResults.Ok(vendor)
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
        systems.MapGet("", async Task<IResult> (ApiCaller caller, HttpContext http, VendorsQuery query, string? search, ImpactLevel? impactLevel,
                Guid? contractId, Guid? vendorId, int? page, int? pageSize, string? sort, bool? desc) =>
                TypedResults.Ok(await query.ListSystemsAsync(caller.Actor, new SystemListFilter(search, impactLevel, contractId, vendorId),
                    new PageRequest(page ?? 1, pageSize ?? 50, sort, desc ?? false), http.RequestAborted)))
            .WithName("ListSystems").WithSummary("Cloud systems, by impact level, filtered and paged (a representative sees those their vendor's contracts cover)")
            .WithDescription("search matches the name, provider or environment; contractId the systems one contract covers, vendorId those a " +
                             "vendor's contracts cover (a contract or vendor outside the caller's scope selects nothing); sort by impactLevel " +
                             "(default), name, provider or environment.")
            .Produces<PagedResult<SystemView>>();
        systems.MapGet("/{id:guid}", async (Guid id, ApiCaller caller, HttpContext http, VendorsQuery query) =>
                await query.SystemAsync(caller.Actor, id, http.RequestAborted) is { } system ? TypedResults.Ok(system) : ApiResults.NotFound("The system was not found."))
            .WithName("GetSystem").WithSummary("One cloud system").Produces<SystemView>().ProducesProblem(StatusCodes.Status404NotFound);
        systems.MapGet("/{id:guid}/access", async (Guid id, DateOnly? asOf, DateTimeOffset? at, HttpContext http, Core.Features.Grants.SystemAccessQuery query,
                TimeProvider clock) =>
            {
                if (AccessSpan(http, asOf, at, clock) is var (actor, window, problem) && problem is not null)
                {
                    return problem;
                }
                // The holders are streamed into the response as the cursor reads them (a system may have ~100,000 on a day).
                return await query.StreamAsync(actor, id, window, http.RequestAborted) is { } access
                    ? TypedResults.Ok(access)
                    : ApiResults.NotFound("The system was not found.");
            })
            .ForRoles(ComplianceHub.Core.Authorization.Roles.ContractingOfficer, ComplianceHub.Core.Authorization.Roles.Auditor, ComplianceHub.Core.Authorization.Roles.Administrator).WithName("GetSystemAccess")
            .WithSummary("Who could touch the system during a UTC day or at an instant: each holder with the intervals their grant was active, " +
                         "their facts as of that day, escorts, and the verdict under every policy version in force")
            .WithDescription("Rebuilt from history (grant and system audit events, the fact history, escort assignments, waivers and policy " +
                             "versions), not from today's state. asOf (YYYY-MM-DD, a UTC day) defaults to today; at (an ISO 8601 instant, " +
                             "e.g. 2026-03-04T14:00:00Z; an instant without an offset is read as UTC) asks about one instant instead. " +
                             "policyVersion names the version in force at the " +
                             "end of the span; policies lists each version in force and when; each holder's intervals carry the verdict " +
                             "under the version then in force, and verdict is the first failing interval's (or the last one's). " +
                             "Holders are in name order and streamed.")
            .Produces<Core.Features.Grants.SystemAccessOnDay>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests)
            // Each answer rebuilds the whole span (tens of thousands of holders on a large system): limited as exports are.
            .RequireRateLimiting(Hosting.RateLimits.Export);

        systems.MapGet("/{id:guid}/access/export", async (Guid id, DateOnly? asOf, DateTimeOffset? at, HttpContext http,
                Core.Features.Grants.AccessExport export, Core.Features.Grants.SystemAccessQuery query, TimeProvider clock) =>
            {
                if (AccessSpan(http, asOf, at, clock) is var (actor, window, problem) && problem is not null)
                {
                    return problem;
                }
                // The header goes out before the first row; a system that does not exist is a 404 before anything is written.
                if (await query.StreamAsync(actor, id, window, http.RequestAborted) is not { } probe)
                {
                    return ApiResults.NotFound("The system was not found.");
                }
                http.Response.ContentType = "text/csv; charset=utf-8";
                http.Response.Headers[Microsoft.Net.Http.Headers.HeaderNames.ContentDisposition] =
                    new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment")
                    {
                        FileName = Core.Features.Grants.AccessExport.FileName(probe.SystemName, window),
                    }.ToString();
                http.Response.Headers[Microsoft.Net.Http.Headers.HeaderNames.CacheControl] = "no-store";
                await export.WriteCsvAsync(actor, id, window, http.Response.Body, http.RequestAborted);
                return Results.Empty;
            })
            .ForRoles(ComplianceHub.Core.Authorization.Roles.ContractingOfficer, ComplianceHub.Core.Authorization.Roles.Auditor, ComplianceHub.Core.Authorization.Roles.Administrator)
            .WithName("ExportSystemAccess")
            .WithSummary("Who could touch the system during a UTC day or at an instant, as a CSV file: one row per holder and interval")
            .WithDescription("The same answer as GET /systems/{id}/access (asOf or at), streamed as CSV with each interval's facts, escorts " +
                             "and verdict. Completing it is recorded in the audit trail (event 8100) with the file's SHA-256.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(Hosting.RateLimits.Export);

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

    /// <summary>
    /// The reader and the span of a point-in-time request: an officer, auditor or administrator, and a UTC day (asOf, today by
    /// default) or an instant (at) — not both. Otherwise the problem to answer with.
    /// </summary>
    private static (Actor Actor, Core.Features.Grants.AccessWindow Window, IResult? Problem) AccessSpan(HttpContext http, DateOnly? asOf, DateTimeOffset? at,
        TimeProvider clock)
    {
        if (Actor.FromPrincipal(http.User) is not { } actor)
        {
            return (null!, null!, ApiResults.NoActor());
        }
        if (actor.IsVendorRepresentative)
        {
            return (actor, null!, ApiResults.Forbidden("Access reconstruction is for contracting officers, auditors and administrators."));
        }
        if (asOf is not null && at is not null)
        {
            return (actor, null!, TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["at"] = ["Give either asOf (a UTC day) or at (an instant), not both."],
            }, title: "The point in time is not valid."));
        }
        // An instant without an offset is UTC, as every time in the API; model binding would have read it in the server's zone.
        if (at is not null && DateTimeOffset.TryParse(http.Request.Query["at"].ToString(), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var utc))
        {
            at = utc;
        }
        var window = at is { } instant ? Core.Features.Grants.AccessWindow.AtInstant(instant)
            : Core.Features.Grants.AccessWindow.OfDay(asOf ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        return (actor, window, null);
    }
}
