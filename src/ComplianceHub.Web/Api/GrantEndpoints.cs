using ComplianceHub.Core.Authorization;
using ComplianceHub.Core.Domain;
using ComplianceHub.Core.Features.Grants;
using ComplianceHub.Core.Rules;

namespace ComplianceHub.Web.Api;

/// <summary>A grant request for a person (API.md <c>POST /personnel/{id}/grants</c>).</summary>
public sealed record GrantRequestBody(Guid SystemId, AccessType AccessType, bool Escorted, DateOnly StartsOn, DateOnly? EndsOn, string? Justification);

/// <summary>The reason recorded with an officer's suspend, revoke or reactivate decision.</summary>
public sealed record ReasonBody(string Reason);

/// <summary>Grants: request (201, or 422 with the violations), two-person approval, and officers' status decisions.</summary>
internal static class GrantEndpoints
{
    public static void MapGrantEndpoints(this RouteGroupBuilder api)
    {
        var grants = api.MapGroup("").WithTags("Grants");

        grants.MapGet("/personnel/{personId:guid}/grants", async (Guid personId, ApiCaller caller, HttpContext http, GrantsQuery query) =>
                await query.ForPersonAsync(caller.Actor, personId, http.RequestAborted) is { } list ? TypedResults.Ok(list)
                : ApiResults.NotFound("The person was not found."))
            .WithName("ListPersonGrants").WithSummary("A person's grants, newest first")
            .Produces<IReadOnlyList<GrantView>>().ProducesProblem(StatusCodes.Status404NotFound);

        grants.MapPost("/personnel/{personId:guid}/grants", (Guid personId, GrantRequestBody body, HttpContext http) =>
                ApiResults.SendAsync(http, new RequestGrant(personId, body.SystemId, body.AccessType, body.Escorted, body.StartsOn, body.EndsOn,
                    body.Justification), g => TypedResults.Created($"/api/v1/grants/{g.Id}", g)))
            .Sends<RequestGrant>().WithName("RequestGrant").WithSummary("Request access for a person to a system")
            .WithDescription("Every rule of the active policy runs first: a blocking violation refuses the request (422) and writes nothing but the " +
                             "audited refusal. The grant is Active, or PendingApproval when a second contracting officer must approve (IL4+ or a non-US person).")
            .Produces<GrantView>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        grants.MapGet("/grants/{id:guid}", async (Guid id, ApiCaller caller, HttpContext http, GrantsQuery query) =>
                await query.GetAsync(caller.Actor, id, http.RequestAborted) is { } grant ? TypedResults.Ok(grant)
                : ApiResults.NotFound("The grant was not found."))
            .WithName("GetGrant").WithSummary("One grant").Produces<GrantView>().ProducesProblem(StatusCodes.Status404NotFound);

        grants.MapPost("/grants/{id:guid}/approve", (Guid id, HttpContext http) =>
                ApiResults.SendAsync(http, new ApproveGrant(id), g => TypedResults.Ok(g)))
            .Sends<ApproveGrant>().WithName("ApproveGrant").WithSummary("Approve a pending grant (a contracting officer other than the requester)")
            .Produces<GrantView>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        foreach (var (path, decision) in new[] { ("suspend", GrantDecision.Suspend), ("revoke", GrantDecision.Revoke), ("reactivate", GrantDecision.Reactivate) })
        {
            grants.MapPost($"/grants/{{id:guid}}/{path}", (Guid id, ReasonBody body, HttpContext http) =>
                    ApiResults.SendAsync(http, new DecideGrant(id, decision, body.Reason), g => TypedResults.Ok(g)))
                .Sends<DecideGrant>().WithName($"{decision}Grant").WithSummary($"{decision} a grant, with the reason")
                .WithDescription(decision == GrantDecision.Reactivate ? "Reactivation is an access decision: the rules run again (422 when they refuse)." : "")
                .Produces<GrantView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict)
                .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        }
    }
}
