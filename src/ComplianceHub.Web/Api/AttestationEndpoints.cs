using ComplianceHub.Core.Features.Personnel;

namespace ComplianceHub.Web.Api;

/// <summary>One attested person (API.md <c>POST /vendors/{id}/attestations</c>).</summary>
public sealed record AttestationItemBody(Guid PersonId, WorkLocation WorkLocation, IReadOnlyList<string> Citizenships);

/// <summary>A representative's signed statement over a set of their people.</summary>
public sealed record AttestationBody(IReadOnlyList<AttestationItemBody> Items, string Statement);

/// <summary>A vendor's signed location and citizenship attestations: the list and a new statement.</summary>
internal static class AttestationEndpoints
{
    public static void MapAttestationEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/vendors/{vendorId:guid}/attestations", async (Guid vendorId, ApiCaller caller, HttpContext http, Core.Features.Attestations.AttestationsQuery query,
                int? page, int? pageSize) =>
                await query.ListAsync(caller.Actor, vendorId, new Core.Common.PageRequest(page ?? 1, pageSize ?? 50), http.RequestAborted) is { } list
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
    }
}
