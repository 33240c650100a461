using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Findings;
using ComplianceHub.Core.Features.Findings;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Web.Api;

/// <summary>The answer of an acknowledgement.</summary>
public sealed record AcknowledgeBody(string Response);

/// <summary>What was done to remediate.</summary>
public sealed record RemediateBody(string Resolution);

/// <summary>A waiver request (API.md <c>POST /waivers</c>).</summary>
public sealed record WaiverBody(Guid FindingId, string Justification, DateOnly ExpiresOn);

/// <summary>Findings (list, read, acknowledge, remediate) and waivers (request, approve by a second officer).</summary>
internal static class FindingEndpoints
{
    public static void MapFindingEndpoints(this RouteGroupBuilder api)
    {
        var findings = api.MapGroup("/findings").WithTags("Findings");
        findings.MapGet("", async Task<IResult> (ApiCaller caller, HttpContext http, FindingsQuery query, Guid? vendorId, Guid? personId, string? ruleId, FindingStatus? status,
                Severity? severity, int? page, int? pageSize, string? sort, bool? desc) =>
                TypedResults.Ok(await query.ListAsync(caller.Actor, new FindingFilter(vendorId, personId, ruleId, status, severity),
                    new PageRequest(page ?? 1, pageSize ?? 50, sort, desc ?? false), http.RequestAborted)))
            .WithName("ListFindings").WithSummary("Findings, filtered and paged (a representative sees only their vendor's)")
            .Produces<PagedResult<FindingView>>();

        findings.MapGet("/{id:guid}", async (Guid id, ApiCaller caller, HttpContext http, FindingsQuery query) =>
                await query.GetAsync(caller.Actor, id, http.RequestAborted) is { } finding ? TypedResults.Ok(finding)
                : ApiResults.NotFound("The finding was not found."))
            .WithName("GetFinding").WithSummary("One finding").Produces<FindingView>().ProducesProblem(StatusCodes.Status404NotFound);

        findings.MapPost("/{id:guid}/acknowledge", (Guid id, AcknowledgeBody body, HttpContext http) =>
                ApiResults.SendAsync(http, new AcknowledgeFinding(id, body.Response), f => TypedResults.Ok(f)))
            .Sends<AcknowledgeFinding>().WithName("AcknowledgeFinding").WithSummary("Answer an open finding; it stays open until its condition clears")
            .Produces<FindingView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        findings.MapPost("/{id:guid}/remediate", (Guid id, RemediateBody body, HttpContext http) =>
                ApiResults.SendAsync(http, new RemediateFinding(id, body.Resolution), f => TypedResults.Ok(f)))
            .Sends<RemediateFinding>().WithName("RemediateFinding").WithSummary("Declare a finding remediated; refused (422) while its rule still fails")
            .Produces<FindingView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        var waivers = api.MapGroup("/waivers").WithTags("Waivers");
        waivers.MapPost("", (WaiverBody body, HttpContext http) =>
                ApiResults.SendAsync(http, new RequestWaiver(body.FindingId, body.Justification, body.ExpiresOn),
                    w => TypedResults.Created($"/api/v1/waivers/{w.Id}", w)))
            .Sends<RequestWaiver>().WithName("RequestWaiver").WithSummary("Request a time-bound exception to the rule of an open finding")
            .Produces<WaiverView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);

        waivers.MapPost("/{id:guid}/approve", (Guid id, HttpContext http) =>
                ApiResults.SendAsync(http, new ApproveWaiver(id), w => TypedResults.Ok(w)))
            .Sends<ApproveWaiver>().WithName("ApproveWaiver").WithSummary("Approve a waiver (a contracting officer other than the requester)")
            .Produces<WaiverView>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);
    }
}
