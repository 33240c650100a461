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
        api.MapGet("/escort-assignments", async (HttpContext http, EscortsQuery query, Guid? personId, Guid? escortId, Guid? systemId, bool? active,
                int? page, int? pageSize) =>
                Core.Authorization.Actor.FromPrincipal(http.User) is not { } actor ? ApiResults.NoActor()
                : TypedResults.Ok(await query.AssignmentsAsync(actor, personId, escortId, systemId, active,
                    new Core.Common.PageRequest(page ?? 1, pageSize ?? 50), http.RequestAborted)))
            .WithTags("Escorts").WithName("ListEscortAssignments").WithSummary("Escort assignments, filtered and paged (a representative sees their vendor's)")
            .Produces<Core.Common.PagedResult<EscortAssignmentView>>();

        api.MapGet("/escorted-sessions", async (HttpContext http, EscortsQuery query, Guid? assignmentId, bool? signedOff, int? page, int? pageSize) =>
                Core.Authorization.Actor.FromPrincipal(http.User) is not { } actor ? ApiResults.NoActor()
                : TypedResults.Ok(await query.SessionsAsync(actor, assignmentId, signedOff, new Core.Common.PageRequest(page ?? 1, pageSize ?? 50), http.RequestAborted)))
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

/// <summary>A person with the version read (API.md <c>PUT /personnel/{id}</c>), and optionally the day the change took effect.</summary>
public sealed record PersonUpdateBody(string? Version, string EmployeeId, string FullName, string Email, Core.Domain.EmployerType EmployerType,
    IReadOnlyList<string> Citizenships, string CountryOfBirth, bool UsLawfulPermanentResident, WorkLocation WorkLocation,
    Core.Domain.InvestigationTier InvestigationTier, DateOnly? AdjudicatedOn, bool ContinuousVetting, Core.Domain.Clearance Clearance,
    DateOnly? NdaSignedOn, Core.Domain.EscortQualification EscortQualification, DateOnly? EscortTrainingOn, DateOnly? EffectiveOn)
{
    public PersonFields ToFields() => new(EmployeeId, FullName, Email, EmployerType, Citizenships ?? [], CountryOfBirth, UsLawfulPermanentResident,
        WorkLocation, InvestigationTier, AdjudicatedOn, ContinuousVetting, Clearance, NdaSignedOn, EscortQualification, EscortTrainingOn);
}

/// <summary>One attested person (API.md <c>POST /vendors/{id}/attestations</c>).</summary>
public sealed record AttestationItemBody(Guid PersonId, WorkLocation WorkLocation, IReadOnlyList<string> Citizenships);

/// <summary>A representative's signed statement over a set of their people.</summary>
public sealed record AttestationBody(IReadOnlyList<AttestationItemBody> Items, string Statement);

/// <summary>Personnel: rosters, people, updates with optimistic concurrency, termination and the attribute history.</summary>
internal static class PersonnelEndpoints
{
    public static void MapPersonnelEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/vendors/{vendorId:guid}/personnel", async (Guid vendorId, HttpContext http, PersonnelQuery query, string? search,
                string? workCountry, string? citizenship, Core.Domain.EmploymentStatus? status, int? page, int? pageSize, string? sort, bool? desc) =>
                Core.Authorization.Actor.FromPrincipal(http.User) is not { } actor ? ApiResults.NoActor()
                : await query.ListAsync(actor, vendorId, new PersonnelFilter(search, workCountry, citizenship, status),
                    new Core.Common.PageRequest(page ?? 1, pageSize ?? 50, sort, desc ?? false), http.RequestAborted) is { } roster
                    ? TypedResults.Ok(roster)
                    : ApiResults.NotFound("The vendor was not found."))
            .WithTags("Personnel").WithName("ListPersonnel").WithSummary("A vendor's roster, filtered and paged")
            .Produces<Core.Common.PagedResult<PersonView>>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/vendors/{vendorId:guid}/personnel", (Guid vendorId, PersonFields body, HttpContext http) =>
                ApiResults.SendAsync(http, new AddPerson(vendorId, body), r => TypedResults.Created($"/api/v1/personnel/{r.Person.Id}", r.Person)))
            .WithTags("Personnel").Sends<AddPerson>().WithName("AddPerson").WithSummary("Add a person to a vendor's roster (screened as they are saved)")
            .Produces<PersonView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/personnel/{id:guid}", async (Guid id, HttpContext http, PersonnelQuery query) =>
                Core.Authorization.Actor.FromPrincipal(http.User) is not { } actor ? ApiResults.NoActor()
                : await query.GetAsync(actor, id, http.RequestAborted) is { } person ? TypedResults.Ok(person)
                : ApiResults.NotFound("The person was not found."))
            .WithTags("Personnel").WithName("GetPerson").WithSummary("One person, with the version to send back on update")
            .Produces<PersonView>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPut("/personnel/{id:guid}", (Guid id, PersonUpdateBody body, HttpContext http) =>
                ApiResults.SendAsync(http, new UpdatePerson(id, body.Version ?? "", body.ToFields(), body.EffectiveOn), r => TypedResults.Ok(r)))
            .WithTags("Personnel").Sends<UpdatePerson>().WithName("UpdatePerson")
            .WithSummary("Replace a person's record: changed facts are recorded with their history and consequences")
            .WithDescription("Send the version you read; a stale version is 409. The response carries the person and what the change caused " +
                             "(suspended grants, findings opened and closed).")
            .Produces<PersonSaved>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/vendors/{vendorId:guid}/attestations", async (Guid vendorId, HttpContext http, Core.Features.Attestations.AttestationsQuery query,
                int? page, int? pageSize) =>
                Core.Authorization.Actor.FromPrincipal(http.User) is not { } actor ? ApiResults.NoActor()
                : await query.ListAsync(actor, vendorId, new Core.Common.PageRequest(page ?? 1, pageSize ?? 50), http.RequestAborted) is { } list
                    ? TypedResults.Ok(list)
                    : ApiResults.NotFound("The vendor was not found."))
            .WithTags("Attestations").WithName("ListAttestations").WithSummary("A vendor's signed location and citizenship attestations, newest first")
            .Produces<Core.Common.PagedResult<Core.Features.Attestations.AttestationView>>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/vendors/{vendorId:guid}/attestations", (Guid vendorId, AttestationBody body, HttpContext http) =>
                ApiResults.SendAsync(http, new Core.Features.Attestations.SubmitAttestation(vendorId, body.Statement,
                        (body.Items ?? []).Select(i => new Core.Domain.Attestations.AttestedPerson(i.PersonId, i.WorkLocation?.Country ?? "",
                            i.WorkLocation?.City ?? "", i.Citizenships ?? [])).ToList()),
                    r => TypedResults.Created($"/api/v1/vendors/{vendorId}/attestations/{r.AttestationId}", r)))
            .WithTags("Attestations").Sends<Core.Features.Attestations.SubmitAttestation>().WithName("SubmitAttestation")
            .WithSummary("Attest where your people work and which citizenships they hold (representatives of the vendor)")
            .WithDescription("Differences from the roster are recorded as attested fact changes with their consequences; every attested person's " +
                             "attestation date moves to today. The response carries the content hash of the signed statement.")
            .Produces<Core.Features.Attestations.AttestationResult>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/personnel/{id:guid}/terminate", (Guid id, TerminateBody body, HttpContext http) =>
                ApiResults.SendAsync(http, new TerminatePerson(id, body.EffectiveOn), r => TypedResults.Ok(r)))
            .WithTags("Personnel").Sends<TerminatePerson>().WithName("TerminatePerson").WithSummary("End a person's employment: every grant is revoked at once")
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
