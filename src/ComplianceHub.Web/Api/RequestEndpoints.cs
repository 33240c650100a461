using ComplianceHub.Core.Common;
using ComplianceHub.Core.Domain.Access;
using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Requests;

namespace ComplianceHub.Web.Api;

/// <summary>A representative's request for an escort (<c>POST /escort-requests</c>).</summary>
public sealed record EscortRequestBody(Guid EscortId, Guid PersonId, Guid SystemId, DateOnly StartsOn, DateOnly EndsOn, string Justification);

/// <summary>An officer's decision on an escort request: approve (the assignment is created through the rules) or decline with a reason.</summary>
public sealed record EscortRequestDecisionBody(bool Approve, string? Reason);

/// <summary>Access requests: escort requests and their decisions, grant requests as their requester follows them, refused requests.</summary>
internal static class RequestEndpoints
{
    public static void MapRequestEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/escort-requests", async Task<IResult> (ApiCaller caller, HttpContext http, AccessRequestsQuery query, EscortRequestStatus? status, Guid? vendorId, int? page, int? pageSize) =>
                TypedResults.Ok(await query.EscortRequestsAsync(caller.Actor, status, vendorId, new PageRequest(page ?? 1, pageSize ?? 50), http.RequestAborted)))
            .WithTags("Requests").WithName("ListEscortRequests").WithSummary("Escort requests, newest first (a representative sees their vendor's)")
            .Produces<PagedResult<EscortRequestRow>>();

        api.MapGet("/grant-requests", async Task<IResult> (ApiCaller caller, HttpContext http, AccessRequestsQuery query, GrantRequestState? state, string? search, Guid? vendorId,
                int? page, int? pageSize) =>
                TypedResults.Ok(await query.GrantsAsync(caller.Actor, state ?? GrantRequestState.All, search, vendorId,
                    new PageRequest(page ?? 1, pageSize ?? 50), http.RequestAborted)))
            .WithTags("Requests").WithName("ListGrantRequests")
            .WithSummary("Grants as their requester follows them: waiting, granted or ended, with the officer's reason (a representative sees their vendor's)")
            .Produces<PagedResult<GrantRequestRow>>();

        api.MapGet("/refused-requests", async Task<IResult> (ApiCaller caller, HttpContext http, AccessRequestsQuery query, int? page, int? pageSize) =>
                TypedResults.Ok(await query.RefusalsAsync(caller.Actor, new PageRequest(page ?? 1, pageSize ?? 50), http.RequestAborted)))
            .WithTags("Requests").WithName("ListRefusedRequests")
            .WithSummary("Grant and escort requests the policy refused, with what was asked and the rules (a representative sees those made from their vendor)")
            .Produces<PagedResult<RefusedRequestRow>>();

        api.MapPost("/escort-requests", (EscortRequestBody body, bool? dryRun, HttpContext http) =>
                ApiResults.SendAsync(http, new RequestEscort(body.EscortId, body.PersonId, body.SystemId, body.StartsOn, body.EndsOn, body.Justification ?? "",
                    dryRun ?? false), r => dryRun == true ? TypedResults.Ok(r) : TypedResults.Created($"/api/v1/escort-requests/{r.Id}", r)))
            .WithTags("Requests").Sends<RequestEscort>().WithName("RequestEscort")
            .WithSummary("Ask a contracting officer to assign one of your people as another's escort on a system (422 when the escort rules refuse it now)")
            .Produces<EscortRequestView>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapPost("/escort-requests/{id:guid}/decision", (Guid id, EscortRequestDecisionBody body, HttpContext http) =>
                ApiResults.SendAsync(http, new DecideEscortRequest(id, body.Approve, body.Reason), r => TypedResults.Ok(r)))
            .WithTags("Requests").Sends<DecideEscortRequest>().WithName("DecideEscortRequest")
            .WithSummary("Approve an escort request (the assignment is created through the rules: 422 when they refuse it) or decline it with a reason")
            .Produces<EscortRequestView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapPost("/escort-requests/{id:guid}/withdraw", (Guid id, HttpContext http) =>
                ApiResults.SendAsync(http, new WithdrawEscortRequest(id), r => TypedResults.Ok(r)))
            .WithTags("Requests").Sends<WithdrawEscortRequest>().WithName("WithdrawEscortRequest").WithSummary("Withdraw a pending escort request of your vendor")
            .Produces<EscortRequestView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }
}
