using ComplianceHub.Core.Features.AccessLogs;
using ComplianceHub.Core.Features.Personnel;

namespace ComplianceHub.Web.Api;

/// <summary>The day a person's employment ended (API.md <c>POST /personnel/{id}/terminate</c>).</summary>
public sealed record TerminateBody(DateOnly EffectiveOn);

/// <summary>A person with the version read (API.md <c>PUT /personnel/{id}</c>), and optionally the day the change took effect.</summary>
public sealed record PersonUpdateBody(string? Version, string EmployeeId, string FullName, string Email, Core.Domain.EmployerType EmployerType,
    IReadOnlyList<string> Citizenships, string CountryOfBirth, bool UsLawfulPermanentResident, WorkLocation WorkLocation,
    Core.Domain.InvestigationTier InvestigationTier, DateOnly? AdjudicatedOn, bool ContinuousVetting, Core.Domain.Clearance Clearance,
    DateOnly? NdaSignedOn, Core.Domain.EscortQualification EscortQualification, DateOnly? EscortTrainingOn, DateOnly? EffectiveOn)
{
    public PersonFields ToFields() => new(EmployeeId, FullName, Email, EmployerType, Citizenships ?? [], CountryOfBirth, UsLawfulPermanentResident,
        WorkLocation, InvestigationTier, AdjudicatedOn, ContinuousVetting, Clearance, NdaSignedOn, EscortQualification, EscortTrainingOn);
}

/// <summary>Personnel: rosters, people, updates with optimistic concurrency, termination and the attribute history.</summary>
internal static class PersonnelEndpoints
{
    public static void MapPersonnelEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/vendors/{vendorId:guid}/personnel", async (Guid vendorId, ApiCaller caller, HttpContext http, PersonnelQuery query, string? search,
                string? workCountry, string? citizenship, Core.Domain.EmploymentStatus? status, int? page, int? pageSize, string? sort, bool? desc) =>
                await query.ListAsync(caller.Actor, vendorId, new PersonnelFilter(search, workCountry, citizenship, status),
                    new Core.Common.PageRequest(page ?? 1, pageSize ?? 50, sort, desc ?? false), http.RequestAborted) is { } roster
                    ? TypedResults.Ok(roster)
                    : ApiResults.NotFound("The vendor was not found."))
            .WithTags("Personnel").WithName("ListPersonnel").WithSummary("A vendor's roster, filtered and paged")
            .Produces<Core.Common.PagedResult<PersonView>>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/vendors/{vendorId:guid}/personnel", (Guid vendorId, PersonFields body, HttpContext http) =>
                ApiResults.SendAsync(http, new AddPerson(vendorId, body), r => TypedResults.Created($"/api/v1/personnel/{r.Person.Id}", r.Person)))
            .WithTags("Personnel").Sends<AddPerson>().WithName("AddPerson").WithSummary("Add a person to a vendor's roster (screened as they are saved)")
            .Produces<PersonView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/personnel/{id:guid}", async (Guid id, ApiCaller caller, HttpContext http, PersonnelQuery query) =>
                await query.GetAsync(caller.Actor, id, http.RequestAborted) is { } person ? TypedResults.Ok(person)
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

        api.MapPost("/personnel/{id:guid}/terminate", (Guid id, TerminateBody body, HttpContext http) =>
                ApiResults.SendAsync(http, new TerminatePerson(id, body.EffectiveOn), r => TypedResults.Ok(r)))
            .WithTags("Personnel").Sends<TerminatePerson>().WithName("TerminatePerson").WithSummary("End a person's employment: every grant is revoked at once")
            .Produces<PersonChangeResult>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/personnel/{id:guid}/history", async (Guid id, ApiCaller caller, HttpContext http, PersonHistoryQuery query) =>
                await query.HistoryAsync(caller.Actor, id, http.RequestAborted) is { } history ? TypedResults.Ok(history)
                : ApiResults.NotFound("The person was not found."))
            .WithTags("Personnel").WithName("GetPersonHistory")
            .WithSummary("Every change of the person's facts, with effective date, source and who recorded it")
            .Produces<IReadOnlyList<FactChangeView>>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/personnel/{id:guid}/access-evidence", async (Guid id, int? days, ApiCaller caller, HttpContext http, AccessEvidenceQuery query,
                TimeProvider clock) =>
            {
                if (days is < 1 or > MaxEvidenceDays)
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                    {
                        ["days"] = [$"The period is 1 to {MaxEvidenceDays:N0} days (90 when left out)."],
                    }, title: "The period is not valid.");
                }
                return await query.PersonAsync(caller.Actor, id, days ?? AccessEvidenceQuery.DefaultDays, clock.GetUtcNow(), http.RequestAborted) is { } evidence
                    ? TypedResults.Ok(evidence)
                    : ApiResults.NotFound("The person was not found.");
            })
            .WithTags("Personnel").WithName("GetPersonAccessEvidence")
            .WithSummary("Where a person's access came from over the last days, beside their attested work location")
            .WithDescription("A row per country the person's access-log lines came from (an unknown location and a known egress range are rows of " +
                             "their own), with how it stands against the attested work country (agreement: Agrees, Differs, Covered, Unknown, Egress), " +
                             "sign-ins, failed sign-ins, first and last seen and the systems; the totals; the geolocation databases the countries were " +
                             "looked up in; whether the evidence disagrees with the attestation or shows a covered nation. days: 1 to 3,650, 90 when " +
                             "left out. Another vendor's person is 404. A country is where an address is registered, not where a person sits.")
            .Produces<PersonEvidenceView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>The longest period <c>GET /personnel/{id}/access-evidence</c> reads (ten years, as the query allows).</summary>
    public const int MaxEvidenceDays = 3650;
}
