using ComplianceHub.Core.Features.Escorts;

namespace ComplianceHub.Web.Api;

/// <summary>An escort assignment request (API.md <c>POST /escort-assignments</c>).</summary>
public sealed record EscortAssignmentBody(Guid EscortId, Guid PersonId, Guid SystemId, DateOnly StartsOn, DateOnly EndsOn);

/// <summary>One supervised work session (API.md <c>POST /escorted-sessions</c>).</summary>
public sealed record EscortedSessionBody(Guid AssignmentId, DateTimeOffset StartedAt, DateTimeOffset EndedAt, string ChangeTicket, string Summary);


/// <summary>Escort assignments (access decisions: 422 when the escort rules refuse) and escorted sessions with sign-off.</summary>
internal static class EscortEndpoints
{
    public static void MapEscortEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/escort-assignments", async Task<IResult> (ApiCaller caller, HttpContext http, EscortsQuery query, Guid? personId, Guid? escortId, Guid? systemId, bool? active,
                int? page, int? pageSize) =>
                TypedResults.Ok(await query.AssignmentsAsync(caller.Actor, personId, escortId, systemId, active,
                    new Core.Common.PageRequest(page ?? 1, pageSize ?? 50), http.RequestAborted)))
            .WithTags("Escorts").WithName("ListEscortAssignments").WithSummary("Escort assignments, filtered and paged (a representative sees their vendor's)")
            .Produces<Core.Common.PagedResult<EscortAssignmentView>>();

        api.MapGet("/escorted-sessions", async Task<IResult> (ApiCaller caller, HttpContext http, EscortsQuery query, Guid? assignmentId, bool? signedOff, int? page, int? pageSize) =>
                TypedResults.Ok(await query.SessionsAsync(caller.Actor, assignmentId, signedOff, new Core.Common.PageRequest(page ?? 1, pageSize ?? 50), http.RequestAborted)))
            .WithTags("Escorts").WithName("ListEscortedSessions").WithSummary("Escorted sessions, newest first (a representative sees their vendor's)")
            .Produces<Core.Common.PagedResult<EscortedSessionView>>();

        api.MapPost("/escort-assignments", (EscortAssignmentBody body, HttpContext http) =>
                ApiResults.SendAsync(http, new AssignEscort(body.EscortId, body.PersonId, body.SystemId, body.StartsOn, body.EndsOn),
                    a => TypedResults.Created($"/api/v1/escort-assignments/{a.Id}", a)))
            .WithTags("Escorts").Sends<AssignEscort>().WithName("AssignEscort").WithSummary("Assign an escort to supervise a person on a system for a period")
            .Produces<EscortAssignmentView>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapPost("/escorted-sessions", (EscortedSessionBody body, HttpContext http) =>
                ApiResults.SendAsync(http, new RecordEscortedSession(body.AssignmentId, body.StartedAt, body.EndedAt, body.ChangeTicket, body.Summary),
                    s => TypedResults.Created($"/api/v1/escorted-sessions/{s.Id}", s)))
            .WithTags("Escorts").Sends<RecordEscortedSession>().WithName("RecordEscortedSession").WithSummary("Record a supervised work session")
            .Produces<EscortedSessionView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/escorted-sessions/{id:guid}/sign-off", (Guid id, HttpContext http) =>
                ApiResults.SendAsync(http, new SignOffEscortedSession(id), s => TypedResults.Ok(s)))
            .WithTags("Escorts").Sends<SignOffEscortedSession>().WithName("SignOffEscortedSession").WithSummary("The escort's sign-off of a session (due within 24 hours)")
            .Produces<EscortedSessionView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }
}
