using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Exports;

namespace ComplianceHub.Web.Api;

/// <summary>
/// <c>GET /api/v1/oscal/poam?vendorId=&amp;systemId=&amp;includeClosed=</c> (API.md, ADR 0038): the findings the caller may see as an
/// OSCAL 1.0.6 Plan of Action and Milestones (JSON), streamed to the client as it is read. The Findings page's export menu links here
/// (the sign-in cookie is accepted).
/// </summary>
internal static class OscalEndpoints
{
    public static void MapOscalEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/oscal/poam", async (string? vendorId, string? systemId, string? includeClosed, ApiCaller caller, HttpContext http,
                OscalPoamExport exports) =>
            {
                var errors = new Dictionary<string, string[]>();
                var request = new OscalPoamRequest(Id(vendorId, "vendorId", errors), Id(systemId, "systemId", errors), Flag(includeClosed, errors));
                if (errors.Count > 0)
                {
                    return TypedResults.ValidationProblem(errors, title: "The POA&M request is not valid.");
                }
                var scope = await exports.ScopeAsync(caller.Actor, request, http.RequestAborted);
                return scope is null
                    ? ApiResults.NotFound(request.VendorId is not null && caller.Actor.IsVendorRepresentative
                        ? "No such vendor among those you may see." : "No such vendor or system among those you may see.")
                    : new PoamFileResult(caller.Actor, scope);
            })
            .WithTags("Exports").WithName("GetOscalPoam")
            .ForRoles(Roles.Administrator, Roles.ContractingOfficer, Roles.VendorRepresentative, Roles.Auditor)
            .WithSummary("Findings as an OSCAL 1.0.6 Plan of Action and Milestones (POA&M), JSON, streamed")
            .WithDescription(
                "vendorId and systemId (ids, both optional) narrow the document to one vendor, one cloud system, or both; without them it holds " +
                "the portfolio the caller may see (a representative their own vendor's findings, an officer or auditor of a contracting office its " +
                "vendors'). Open, acknowledged and waived findings are listed; includeClosed=true adds the remediated and closed ones. Each finding " +
                "is an observation, a risk and a POA&M item whose UUIDs are version 5 UUIDs derived from the finding's id, the same in every " +
                "export. A vendor out of the caller's sight or an unknown system is 404; a malformed id or flag is 400. The document validates " +
                "against NIST's oscal_poam_schema.json 1.0.6. Each completed export is audit event 8100 (kind oscal-poam) with the SHA-256 of the file.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).RequireRateLimiting(Hosting.RateLimits.Export);
    }

    private static Guid? Id(string? text, string key, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (Guid.TryParse(text.Trim(), out var id))
        {
            return id;
        }
        errors[key] = [$"'{text}' is not an id."];
        return null;
    }

    private static bool Flag(string? text, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        if (bool.TryParse(text.Trim(), out var value))
        {
            return value;
        }
        errors["includeClosed"] = [$"'{text}' is not true or false."];
        return false;
    }

    /// <summary>Writes the document straight into the response body: headers first, then the findings as they are read.</summary>
    private sealed class PoamFileResult(Actor actor, OscalPoamScope scope) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            var exports = http.RequestServices.GetRequiredService<OscalPoamExport>();
            return StreamedDownload.SendAsync(http, typeof(OscalEndpoints), "findings as an OSCAL POA&M", "application/json; charset=utf-8",
                exports.FileName(), (body, ct) => exports.WriteAsync(actor, scope, body, ct));
        }
    }
}
