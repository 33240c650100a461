using ComplianceHub.Core.Features.Escorts;
using ComplianceHub.Core.Features.Personnel;

namespace ComplianceHub.Web.Api;

/// <summary>An escort assignment request (API.md <c>POST /escort-assignments</c>).</summary>
public sealed record EscortAssignmentBody(Guid EscortId, Guid PersonId, Guid SystemId, DateOnly StartsOn, DateOnly EndsOn);

/// <summary>One supervised work session (API.md <c>POST /escorted-sessions</c>).</summary>
public sealed record EscortedSessionBody(Guid AssignmentId, DateTimeOffset StartedAt, DateTimeOffset EndedAt, string ChangeTicket, string Summary);

/// <summary>The day a person's employment ended (API.md <c>POST /personnel/{id}/terminate</c>).</summary>
public sealed record TerminateBody(DateOnly EffectiveOn);

/// <summary>Escort assignments (access decisions: 422 when the escort rules refuse) and escorted sessions with sign-off.</summary>
internal static class EscortEndpoints
{
    public static void MapEscortEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/escort-assignments", (EscortAssignmentBody body, HttpContext http) =>
                ApiResults.SendAsync(http, new AssignEscort(body.EscortId, body.PersonId, body.SystemId, body.StartsOn, body.EndsOn),
                    a => TypedResults.Created($"/api/v1/escort-assignments/{a.Id}", a)))
            .WithTags("Escorts").WithName("AssignEscort").WithSummary("Assign an escort to supervise a person on a system for a period")
            .Produces<EscortAssignmentView>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapPost("/escorted-sessions", (EscortedSessionBody body, HttpContext http) =>
                ApiResults.SendAsync(http, new RecordEscortedSession(body.AssignmentId, body.StartedAt, body.EndedAt, body.ChangeTicket, body.Summary),
                    s => TypedResults.Created($"/api/v1/escorted-sessions/{s.Id}", s)))
            .WithTags("Escorts").WithName("RecordEscortedSession").WithSummary("Record a supervised work session")
            .Produces<EscortedSessionView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/escorted-sessions/{id:guid}/sign-off", (Guid id, HttpContext http) =>
                ApiResults.SendAsync(http, new SignOffEscortedSession(id), s => TypedResults.Ok(s)))
            .WithTags("Escorts").WithName("SignOffEscortedSession").WithSummary("The escort's sign-off of a session (due within 24 hours)")
            .Produces<EscortedSessionView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }
}

/// <summary>Person resources that exist so far: termination and the attribute history.</summary>
internal static class PersonnelEndpoints
{
    public static void MapPersonnelEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/personnel/{id:guid}/terminate", (Guid id, TerminateBody body, HttpContext http) =>
                ApiResults.SendAsync(http, new TerminatePerson(id, body.EffectiveOn), r => TypedResults.Ok(r)))
            .WithTags("Personnel").WithName("TerminatePerson").WithSummary("End a person's employment: every grant is revoked at once")
            .Produces<PersonChangeResult>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/personnel/{id:guid}/history", async (Guid id, HttpContext http, PersonHistoryQuery query) =>
                Core.Authorization.Actor.FromPrincipal(http.User) is not { } actor ? ApiResults.NoActor()
                : await query.HistoryAsync(actor, id, http.RequestAborted) is { } history ? TypedResults.Ok(history)
                : ApiResults.NotFound("The person was not found."))
            .WithTags("Personnel").WithName("GetPersonHistory")
            .WithSummary("Every change of the person's facts, with effective date, source and who recorded it")
            .Produces<IReadOnlyList<FactChangeView>>().ProducesProblem(StatusCodes.Status404NotFound);
    }
}
